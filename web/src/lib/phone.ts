// A phone number as people type it — "+86 138-0013-8000", "（010）6552 9988", full-width
// "１３８…", "0086…" — reduced to the digits the API searches by.

/** The digits of a typed number, country prefix dropped; undefined when it is not a number. */
export function phoneDigits(input: string): string | undefined {
  // Full-width forms (１３８, ＋, －, （）) and the ideographic space as their ASCII.
  const halfWidth = input
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
  if (!/^[\s\d+\-.()]+$/.test(halfWidth)) return undefined;
  let digits = halfWidth.replace(/\D/g, '');
  if (/^\+/.test(halfWidth.trim()) || digits.length > 11)
    digits = digits.replace(/^(0086|86)(?=\d{9,11}$)/, '');
  return digits.length >= 3 ? digits : undefined;
}
