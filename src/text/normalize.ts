// Canonical form of Chinese text for matching, with a map back to the original so that a
// match can be highlighted in what the person actually wrote or said. See README.md for the
// rules; the order is: one pass of character clean-up (invisible characters, pinyin artifacts,
// HTML remnants, width, punctuation, whitespace), then Traditional → Simplified.

import { type Converted, simplifier } from './simplify.ts';

export interface Normalized {
  /** The normalized text. */
  readonly text: string;
  /** The text as given. */
  readonly original: string;
  /** Offset in `original` where the character at `index` of `text` starts (`text.length` → end of the last one). */
  toOriginal(index: number): number;
  /** The range of `original` covering `text.slice(start, end)`. */
  originalSpan(start: number, end: number): { start: number; end: number };
}

// Character classes, one byte per UTF-16 code unit.
const SPACE = 1;
const INVISIBLE = 2;
const HAN = 4;
/** Han, kana, bopomofo, CJK punctuation: whitespace next to these is not a word separator. */
const CJK = 8;
const PUNCT = 16;
/** May start a multi-character rule (pinyin, ellipsis, dash, HTML). */
const SPECIAL = 32;

const LOST_CHAR = 0xfffd;
const ELLIPSIS = 0x2026;
const EM_DASH = 0x2014;

const info = new Uint8Array(0x10000);
/** Single-character folding: full width → ASCII, then one form per punctuation mark. */
const fold = new Uint16Array(0x10000);

function setRange(from: number, to: number, bits: number): void {
  for (let c = from; c <= to; c++) info[c] = (info[c] ?? 0) | bits;
}

function initTables(): void {
  for (let c = 0; c < 0x10000; c++) fold[c] = c;
  for (const c of [
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
  ]) {
    info[c] = SPACE;
  }
  setRange(0x2000, 0x200a, SPACE);
  for (const c of [
    0xad, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff,
  ]) {
    info[c] = INVISIBLE;
  }
  setRange(0x3400, 0x4dbf, HAN | CJK);
  setRange(0x4e00, 0x9fff, HAN | CJK);
  setRange(0xf900, 0xfaff, HAN | CJK);
  setRange(0x3001, 0x303f, CJK);
  setRange(0x3040, 0x30ff, CJK);
  setRange(0x3100, 0x312f, CJK);
  setRange(0x31a0, 0x31bf, CJK);
  info[LOST_CHAR] = CJK | SPECIAL;
  setRange(0x21, 0x2f, PUNCT);
  setRange(0x3a, 0x40, PUNCT);
  setRange(0x5b, 0x60, PUNCT);
  setRange(0x7b, 0x7e, PUNCT);
  setRange(0x2010, 0x205e, PUNCT);
  info[0xb7] = PUNCT;

  for (let c = 0xff01; c <= 0xff5e; c++) fold[c] = c - 0xfee0;
  const to = (target: string, sources: string) => {
    for (const ch of sources) fold[ch.charCodeAt(0)] = target.charCodeAt(0);
  };
  to('"', '“”„‟「」『』〝〞〟＂﹁﹂﹃﹄');
  to("'", '‘’‚‛＇');
  to('[', '【〔〖〘［');
  to(']', '】〕〗〙］');
  to('~', '〜～');
  to('—', '―');
  to('。', '｡');
  to('、', '､﹑');
  to('"', '｢｣');
  to('·', '･');
  to('(', '｟﹙');
  to(')', '｠﹚');
  to(',', '﹐');
  to('.', '﹒');
  to(';', '﹔');
  to(':', '﹕');
  to('?', '﹖');
  to('!', '﹗');
  for (const ch of '(（?？<…‥.．。｡„—―') info[ch.charCodeAt(0)] = (info[ch.charCodeAt(0)] ?? 0) | SPECIAL;
}
initTables();

// --- Pinyin artifacts ---------------------------------------------------------------------

const TONED = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ';
const TONELESS = 'aaaaeeeeiiiioooouuuuvvvvvnnnm';
const pinyinLetter = new Map<number, string>();
for (let c = 0x61; c <= 0x7a; c++) pinyinLetter.set(c, String.fromCharCode(c));
for (let i = 0; i < TONED.length; i++) pinyinLetter.set(TONED.charCodeAt(i), TONELESS[i] ?? '');
/** One Hanyu Pinyin syllable without tone marks (ü written v). */
const SYLLABLE =
  /^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:a|o|e|i|u|v|ai|ei|ao|ou|an|en|ang|eng|ong|er|ia|ie|iao|iu|ian|in|iang|ing|iong|ua|uo|uai|ui|uan|un|uang|ue|ve|van|vn)$|^(?:n|ng|m|hm|hng)$/;

/**
 * If `s` has pinyin syllables at `j` closed by `)`/`）`, returns the offset after the closer,
 * else -1. At most `maxSyllables` space-separated syllables; at least one tone mark or ü,
 * so that plain words in parentheses such as (VIP), (book118) or (me) are never taken.
 */
function pinyinAt(s: string, j: number, maxSyllables: number): number {
  let toned = false;
  let syllables = 0;
  let k = j;
  for (;;) {
    let plain = '';
    while (k < s.length) {
      const c = s.charCodeAt(k);
      const p = pinyinLetter.get(c);
      if (p === undefined) break;
      if (c > 0x7a) toned = true;
      plain += p;
      k++;
    }
    if (plain.length === 0 || plain.length > 6 || !SYLLABLE.test(plain)) return -1;
    syllables++;
    const c = s.charCodeAt(k);
    if (c === 0x29 || c === 0xff09) return toned ? k + 1 : -1;
    if (c !== 0x20 || syllables >= maxSyllables) return -1;
    k++;
  }
}

/** Latin or Cyrillic letter: before a pinyin reading it can only be mojibake of a Han character. */
function isLetterRemnant(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x400 && c <= 0x4ff);
}

// --- HTML remnants --------------------------------------------------------------------------

const TAGS = new Set(
  'a b big br div em font h1 h2 h3 h4 h5 h6 hr i img label li ol p section small span strong sub sup table td th tr u ul'.split(
    ' ',
  ),
);

const ATTRIBUTES = /^(?:\s+[A-Za-z][\w:-]*=(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=]+))*\s*\/?$/;

/** `<tag …>`, `</tag>`, or `?/tag>` (a closing tag whose `<` was lost to mojibake): end offset or -1. */
function htmlTagAt(s: string, i: number): number {
  const lt = s.charCodeAt(i) === 0x3c;
  let k = i + 1;
  const slash = s.charCodeAt(k) === 0x2f;
  if (slash) k++;
  else if (!lt) return -1;
  const nameStart = k;
  while (k < s.length && /[A-Za-z0-9]/.test(s.charAt(k))) k++;
  if (!TAGS.has(s.slice(nameStart, k).toLowerCase())) return -1;
  if (s.charCodeAt(k) === 0x3e) return k + 1;
  if (!lt || !(s.charAt(k) === ' ' || s.charAt(k) === '/')) return -1;
  const close = s.indexOf('>', k);
  if (close < 0 || close > k + 300) return -1;
  // Attributes must look like HTML (`a="b"`), so that `a<b and c>d` stays text.
  return ATTRIBUTES.test(s.slice(k, close)) ? close + 1 : -1;
}

// --- Ellipses -------------------------------------------------------------------------------

function runOf(s: string, i: number, a: number, b: number): number {
  let k = i;
  while (k < s.length && (s.charCodeAt(k) === a || s.charCodeAt(k) === b)) k++;
  return k - i;
}

/** One ellipsis mark at `i`: …, ‥, three or more dots, two or more 。, two or more „. */
function ellipsisTokenAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === ELLIPSIS || c === 0x2025) return i + 1;
  if (c === 0x2e || c === 0xff0e) {
    const n = runOf(s, i, 0x2e, 0xff0e);
    return n >= 3 ? i + n : -1;
  }
  if (c === 0x3002 || c === 0xff61) {
    const n = runOf(s, i, 0x3002, 0xff61);
    return n >= 2 ? i + n : -1;
  }
  if (c === 0x201e) {
    const n = runOf(s, i, 0x201e, 0x201e);
    return n >= 2 ? i + n : -1;
  }
  return -1;
}

/** A run of ellipsis marks, possibly separated by whitespace ("… …"): end offset or -1. */
function ellipsisAt(s: string, i: number): number {
  let end = ellipsisTokenAt(s, i);
  if (end < 0) return -1;
  for (;;) {
    let k = end;
    while (k < s.length && (info[s.charCodeAt(k)] ?? 0) & (SPACE | INVISIBLE)) k++;
    const next = ellipsisTokenAt(s, k);
    if (next < 0) return end;
    end = next;
  }
}

// --- The clean-up pass ----------------------------------------------------------------------

interface Cleaned extends Converted {
  /** Contains a character the Traditional → Simplified step may change. */
  convert: boolean;
  /** Enough Traditional-only characters to treat the text as Traditional (see README). */
  traditional: boolean;
}

function codesToString(codes: Uint16Array, length: number): string {
  if (length <= 8192)
    return String.fromCharCode.apply(null, codes.subarray(0, length) as unknown as number[]);
  let s = '';
  for (let at = 0; at < length; at += 8192) {
    s += String.fromCharCode.apply(
      null,
      codes.subarray(at, Math.min(length, at + 8192)) as unknown as number[],
    );
  }
  return s;
}

/** Code units are stored little-endian (x86, ARM): a Buffer over the output decodes as UTF-16LE. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The first `length` units of the output buffer as a string (Buffer decoding: ~2.5× apply's speed on a turn). */
function outString(length: number): string {
  return LITTLE_ENDIAN ? outBytes.toString('utf16le', 0, 2 * length) : codesToString(outBuf, length);
}

// Scratch buffers reused across calls (normalization is synchronous), grown as needed: most
// turns are short, and allocating three typed arrays per turn dominated the cost.
let outBuf = new Uint16Array(1024);
let startBuf = new Int32Array(1024);
let endBuf = new Int32Array(1024);
let outBytes = Buffer.from(outBuf.buffer);

function ensureCapacity(n: number): void {
  if (outBuf.length >= n) return;
  const size = Math.max(n, outBuf.length * 2);
  outBuf = new Uint16Array(size);
  startBuf = new Int32Array(size);
  endBuf = new Int32Array(size);
  outBytes = Buffer.from(outBuf.buffer);
}

/** State of one clean-up pass; module-level so the hot loop touches no closure context. */
let o = 0;
let prev = -1;
let spaceFrom = -1;
let spaceTo = -1;
/** The pending whitespace holds a line break: a message boundary, kept as a space. */
let spaceBreak = false;
/** Every output character so far came from the input character at the same index. */
let identity = true;

function emit(code: number, from: number, to: number, bits: number): void {
  if (spaceFrom >= 0) {
    // Whitespace survives as one space unless it sits between CJK and CJK-or-punctuation. A
    // run with a line break always survives, as one line break: it separates messages (several chat messages in one turn),
    // and a phrase must not match across two of them.
    const drop =
      !spaceBreak &&
      prev >= 0 &&
      (prev & (CJK | PUNCT)) !== 0 &&
      (bits & (CJK | PUNCT)) !== 0 &&
      ((prev | bits) & CJK) !== 0;
    if (prev >= 0 && !drop) {
      // A line break stays a line break, so that normalizing again changes nothing.
      outBuf[o] = spaceBreak ? 0x0a : 0x20;
      startBuf[o] = spaceFrom;
      endBuf[o] = spaceTo;
      if (spaceFrom !== o || spaceTo !== o + 1) identity = false;
      o++;
    } else identity = false;
    spaceFrom = -1;
    spaceBreak = false;
  }
  outBuf[o] = code;
  startBuf[o] = from;
  endBuf[o] = to;
  if (from !== o || to !== from + 1) identity = false;
  o++;
  prev = bits;
}

function clean(s: string, withMap: boolean): Cleaned {
  const { trigger, traditional } = simplifier();
  const n = s.length;
  ensureCapacity(n);
  o = 0;
  prev = -1;
  spaceFrom = -1;
  spaceTo = -1;
  spaceBreak = false;
  identity = true;
  let changed = false;
  let needsConversion = 0;
  let han = 0;
  let trad = 0;

  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    const bits = info[c] ?? 0;
    if (bits & INVISIBLE) {
      identity = false;
      i++;
      continue;
    }
    if (bits & SPACE) {
      if (spaceFrom < 0) spaceFrom = i;
      spaceTo = i + 1;
      if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) spaceBreak = true;
      i++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c < 0xdc00 && d >= 0xdc00 && d <= 0xdfff) {
        const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        const isHan = cp >= 0x20000 && cp <= 0x3ffff;
        if (isHan) han++;
        needsConversion = 1;
        emit(c, i, i + 2, isHan ? HAN | CJK : 0);
        outBuf[o] = d;
        startBuf[o] = i;
        endBuf[o] = i + 2;
        identity = false;
        o++;
        i += 2;
      } else {
        emit(LOST_CHAR, i, i + 1, CJK);
        changed = true;
        i++;
      }
      continue;
    }
    if (bits & SPECIAL) {
      let end = -1;
      if (c === 0x28 || c === 0xff08) {
        end = pinyinAt(s, i + 1, 4);
        if (end > 0) {
          // A pinyin reading after a character: drop it, keep the character. After a letter
          // (`I(yè)` in seed 004) the letter is what mojibake left of a Han character.
          if (o > 0 && spaceFrom < 0 && isLetterRemnant(outBuf[o - 1] ?? 0)) {
            outBuf[o - 1] = LOST_CHAR;
            prev = CJK;
          }
          identity = false;
          i = end;
          continue;
        }
      } else if (c === 0x3f || c === 0xff1f || c === LOST_CHAR) {
        // `?qū)`: a character and its `(` lost to mojibake, the reading left behind.
        end = pinyinAt(s, i + 1, 1);
        if (end > 0) {
          emit(LOST_CHAR, i, end, CJK);
          changed = true;
          i = end;
          continue;
        }
      }
      if (c === 0x3c || c === 0x3f) {
        end = htmlTagAt(s, i);
        if (end > 0) {
          identity = false;
          i = end;
          continue;
        }
      }
      end = ellipsisAt(s, i);
      if (end > 0) {
        emit(ELLIPSIS, i, end, PUNCT);
        if (c !== ELLIPSIS) changed = true;
        i = end;
        continue;
      }
      if (c === EM_DASH || c === 0x2015) {
        end = i + runOf(s, i, EM_DASH, 0x2015);
        emit(EM_DASH, i, end, PUNCT);
        if (c !== EM_DASH) changed = true;
        i = end;
        continue;
      }
    }
    const f = fold[c] ?? c;
    if (bits & HAN) {
      han++;
      trad += traditional[c] ?? 0;
    }
    needsConversion |= trigger[f] ?? 0;
    if (f !== c) changed = true;
    emit(f, i, i + 1, f === c ? bits : (info[f] ?? 0));
    i++;
  }
  if (o !== n) identity = false;

  // Unchanged text (most Simplified transcripts with half-width punctuation) is returned as
  // is, and a one-to-one map is not stored at all.
  const text = identity && !changed ? s : outString(o);
  const keepMap = withMap && (!identity || needsConversion === 1);
  return {
    text,
    starts: keepMap ? startBuf.slice(0, o) : undefined,
    ends: keepMap ? endBuf.slice(0, o) : undefined,
    convert: needsConversion === 1,
    // One Traditional-only character in twenty Han characters: see README.
    traditional: trad > 0 && trad * 20 >= han,
  };
}

// --- The fast path ---------------------------------------------------------------------------
//
// Most turns need no structural change: no whitespace, invisible character, pinyin reading,
// HTML, ellipsis or dash run, nothing to convert; at most full-width punctuation folded one to
// one (`，` → `,`). Their normalized text is the per-character fold and their offset map the
// identity, so one table load per character decides and produces it, instead of the clean-up
// pass's several tables and three buffer writes per character. Anything else takes that pass
// (a test holds the two equal on every seed and corpus turn).

/** `fast[c]`: 0 = take the clean-up pass; COND = a multi-character rule's first character; else the folded code. */
let fast: Uint16Array | undefined;
/** Starts a rule (pinyin, HTML, ellipsis, dash) that a following Han character or the end rules out. */
const COND = 1;

function fastTable(): Uint16Array {
  const { trigger } = simplifier();
  const t = new Uint16Array(0x10000);
  for (let c = 0x20; c < 0x10000; c++) {
    const bits = info[c] ?? 0;
    const f = fold[c] ?? c;
    if (bits & (SPACE | INVISIBLE) || (c >= 0xd800 && c <= 0xdfff) || trigger[f] === 1) continue;
    if (bits & SPECIAL) {
      // ‥ and ― always change (to … and —); the others stay one character before a Han one.
      if (c !== 0x2025 && c !== 0x2015) t[c] = COND;
      continue;
    }
    t[c] = f;
  }
  return t;
}

/**
 * The normalized text of `s` when it needs no more than a one-to-one fold (the offset map is
 * then the identity), else null. Returns `s` itself when nothing changes.
 */
function fastText(s: string): string | null {
  if (fast === undefined) fast = fastTable();
  const table = fast;
  const n = s.length;
  ensureCapacity(n);
  const out = outBuf;
  let folded = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let v = table[c] as number;
    if (v !== c) {
      if (v === 0) return null;
      if (v === COND) {
        // A pinyin reading, an HTML tag, a run of dots, 。, … or — needs a next character
        // that is no Han one: before Han (or at the end) the mark is a single character.
        if (i + 1 < n && ((info[s.charCodeAt(i + 1)] ?? 0) & HAN) === 0) return null;
        v = fold[c] ?? c;
      }
      if (v !== c) folded = true;
    }
    out[i] = v;
  }
  return folded ? outString(n) : s;
}

function pipeline(s: string, withMap: boolean): Converted {
  const cleaned = clean(s, withMap);
  if (!cleaned.convert) return cleaned;
  return simplifier().convert(cleaned.text, cleaned.traditional, cleaned.starts, cleaned.ends);
}

class NormalizedText implements Normalized {
  readonly text: string;
  readonly original: string;
  /** Null when every character maps to the original character at the same index. */
  readonly #starts: Int32Array | null;
  readonly #ends: Int32Array | null;

  constructor(text: string, original: string, starts: Int32Array | null, ends: Int32Array | null) {
    this.text = text;
    this.original = original;
    this.#starts = starts;
    this.#ends = ends;
  }

  toOriginal(index: number): number {
    const n = this.text.length;
    if (!Number.isInteger(index) || index < 0 || index > n) {
      throw new RangeError(`index ${index} outside normalized text of length ${n}`);
    }
    if (!this.#starts || !this.#ends) return index;
    if (index < n) return this.#starts[index] ?? 0;
    return n === 0 ? 0 : (this.#ends[n - 1] ?? 0);
  }

  originalSpan(start: number, end: number): { start: number; end: number } {
    const n = this.text.length;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end) {
      throw new RangeError(`span [${start}, ${end}) outside normalized text of length ${n}`);
    }
    if (start === end) {
      const at = this.toOriginal(start);
      return { start: at, end: at };
    }
    if (!this.#starts || !this.#ends) return { start, end };
    return { start: this.#starts[start] ?? 0, end: this.#ends[end - 1] ?? 0 };
  }
}

/** Normalizes `text` for matching and keeps the way back to it. */
export function normalize(text: string): Normalized {
  const t = fastText(text);
  if (t !== null) return new NormalizedText(t, text, null, null);
  const r = pipeline(text, true);
  return new NormalizedText(r.text, text, r.starts ?? null, r.ends ?? null);
}

/** The normalized text only (no offset map), e.g. for phrase lists. */
export function normalizeText(text: string): string {
  return fastText(text) ?? pipeline(text, false).text;
}

/** `normalize` without the fast path (the clean-up pass for every text), for tests. */
export function normalizeSlow(text: string): Normalized {
  const r = pipeline(text, true);
  return new NormalizedText(r.text, text, r.starts ?? null, r.ends ?? null);
}
