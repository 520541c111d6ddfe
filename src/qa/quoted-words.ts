// Words an agent puts in quotation marks are someone else's: a surveyor's rude words read back
// for the complaint desk (对您说了'你到底懂不懂'), a text message's or a button's words (点"不知道
// 密码?"). Seed 002 服务态度.(三) lists what the agent says to the customer; reported words are not
// that, so the checks of the agent's words leave them out: neither a forbidden phrase (`none`) nor
// what the agent was to say (`any`: 师傅只说了句"不好意思" is no apology). Words outside the marks
// still count: 条款写的是"不在赔付范围",这个没有为什么 fails.
//
// Pure (no I/O). Works on normalized text, where “” 「」 『』 are " and ‘’ is ' (normalize.ts).

/** The longest quotation read as reported words; a longer "pair" is two stray marks. */
const MAX_QUOTED = 80;
const HAN = /\p{sc=Han}/u;

/**
 * The [start, end) spans of the words inside quotation marks in `text` (marks excluded), flat;
 * null when there are none. A mark pairs with the next same mark on the line; the words must hold
 * a Chinese character (an English apostrophe, don't, pairs with nothing), and a ' right after a
 * Latin letter is an apostrophe, not a mark.
 */
export function quotedSpans(text: string): number[] | null {
  if (text.indexOf('"') < 0 && text.indexOf("'") < 0) return null;
  let out: number[] | null = null;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if ((c !== '"' && c !== "'") || (c === "'" && /[A-Za-z]/.test(text[i - 1] ?? ''))) {
      i++;
      continue;
    }
    const close = closing(text, i, c);
    if (close < 0) {
      i++;
      continue;
    }
    const words = text.slice(i + 1, close);
    if (words.length > 0 && HAN.test(words)) {
      out ??= [];
      out.push(i + 1, close);
    }
    i = close + 1;
  }
  return out;
}

/** Where the quotation opened at `open` with mark `mark` closes on its line; -1 if it does not. */
function closing(text: string, open: number, mark: string): number {
  const end = Math.min(text.length, open + 1 + MAX_QUOTED + 1);
  for (let j = open + 1; j < end; j++) {
    const c = text[j];
    if (c === '\n') return -1;
    if (c === mark) return j;
  }
  return -1;
}

/** Whether [start, end) lies inside one of the flat `spans` (none when null). */
export function insideQuoted(spans: readonly number[] | null, start: number, end: number): boolean {
  if (spans === null) return false;
  for (let k = 0; k < spans.length; k += 2)
    if (start >= (spans[k] as number) && end <= (spans[k + 1] as number)) return true;
  return false;
}

/** `text` without the quoted words (the marks kept, empty): what the agent said themselves. */
export function withoutQuoted(text: string, spans: readonly number[]): string {
  let out = '';
  let at = 0;
  for (let k = 0; k < spans.length; k += 2) {
    out += text.slice(at, spans[k]);
    at = spans[k + 1] as number;
  }
  return out + text.slice(at);
}
