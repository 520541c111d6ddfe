// What staff type into a search box, and what it is compared with, read one way: the text
// engine's reading (Simplified, full width, stray spaces) and Latin letters in lower case, so
// 陳 finds 陈, Smith finds smith and ＳＭＩＴＨ finds both.
import { normalizeText } from './normalize.ts';

/** `normalizeText`, then lower case. Idempotent, like `normalizeText`. */
export function searchKey(text: string): string {
  return normalizeText(text).toLowerCase();
}
