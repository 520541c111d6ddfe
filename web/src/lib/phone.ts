// A phone number as people type it — "+86 138-0013-8000", "（010）6552 9988", full-width
// "１３８…", "0086…" — reduced to the digits the API searches by.

/** Full-width forms (１３８, ＋, －, （）) as their ASCII; everything else unchanged. */
export function halfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** The digits of a typed number, country prefix dropped; undefined when it is not a number. */
export function phoneDigits(input: string): string | undefined {
  // Full-width forms and the ideographic space as their ASCII.
  const ascii = halfWidth(input).replace(/\u3000/g, ' ');
  if (!/^[\s\d+\-.()]+$/.test(ascii)) return undefined;
  let digits = ascii.replace(/\D/g, '');
  if (/^\+/.test(ascii.trim()) || digits.length > 11) digits = digits.replace(/^(0086|86)(?=\d{9,11}$)/, '');
  return digits.length >= 3 ? digits : undefined;
}

/**
 * A stored number as staff read it back, the one spelling of the whole UI and of the exports
 * (src/customers/phone.ts formatPhone): 138 0013 8000, 010-12345678, 0755-12345678. A masked
 * (138****8000) or foreign (+852…) number is shown as stored.
 */
export function formatPhone(p: string | null | undefined): string {
  if (!p) return '—';
  if (/^1[3-9]\d{9}$/.test(p)) return `${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`;
  if (/^0\d{9,11}$/.test(p)) {
    const area = /^0(?:10|2\d)/.test(p) ? 3 : 4;
    return `${p.slice(0, area)}-${p.slice(area)}`;
  }
  return p;
}
