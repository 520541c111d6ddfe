// Traditional → Simplified conversion with an exact offset map, built on opencc-js's
// dictionaries and Trie. We do not use OpenCC's ready-made converters because:
//  - none converts both Hong Kong and Taiwan variant forms (hk2s keeps 著急, tw2s turns the
//    Simplified 么 of 什么 into 幺), and
//  - a converter returns only a string, and we must map every output character back to the
//    input (a few entries change the UTF-16 length, e.g. astral ↔ BMP characters).
// So we run OpenCC's own chain (CJK compatibility → variants → TS phrases/characters, with
// TSPhrases segmentation, as in hk2s/tw2s) ourselves, one trie match at a time.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import OpenCCModule from 'opencc-js/t2cn';

// opencc-js's declarations re-export from './core' without an extension, which NodeNext
// resolution cannot follow (its types come out as `any`), so we declare what we use.
type Entry = readonly [string, string];
type DictLike = string | readonly Entry[];
type DictGroup = readonly DictLike[];
interface TrieT {
  addWord(source: string, replacement: string): void;
  matchPrefix(text: string, offset: number): { end: number; value: string } | null;
  convert(text: string): string;
}
interface OpenCCApi {
  Trie: new () => TrieT;
  Locale: {
    from: Record<string, readonly DictGroup[] | undefined>;
    to: Record<string, readonly DictGroup[] | undefined>;
    configs: Record<string, { normalizationChain?: readonly DictGroup[] } | undefined>;
  };
}
const OpenCC = OpenCCModule as unknown as OpenCCApi;

export interface Simplifier {
  /** 1 where a BMP code unit can change under conversion (surrogates always count). */
  readonly trigger: Uint8Array;
  /** 1 where a code unit is a Traditional-only character (for the script vote). */
  readonly traditional: Uint8Array;
  /**
   * Converts `s`. When `starts`/`ends` are given (original range per code unit of `s`), returns
   * the ranges per code unit of the result as well.
   */
  convert(s: string, traditionalText: boolean, starts?: Int32Array, ends?: Int32Array): Converted;
}

export interface Converted {
  text: string;
  starts?: Int32Array;
  ends?: Int32Array;
}

/** 著 means 着 in Taiwan and Hong Kong text but is also a Simplified character (显著, 土著). */
const TRAD_ONLY_VARIANT = '著';
/**
 * Simplified characters that OpenCC also reads as Traditional variants of something else:
 * Taiwan's 么 (幺) is the Simplified 么 of 什么; 坏 (坯 in 打坏 → 打坯) is the Simplified 坏 of
 * 壞. Entries that would change them are dropped, so Simplified text keeps them.
 */
const NEVER_CONVERT = new Set(['么', '坏']);

function entries(d: DictLike): Entry[] {
  if (typeof d !== 'string') return [...d];
  if (d === '') return [];
  return d.split('|').map((line) => {
    const space = line.indexOf(' ');
    return [line.slice(0, space), line.slice(space + 1)] as const;
  });
}

function group(groups: readonly DictGroup[] | undefined, name: string): Entry[][] {
  const first = groups?.[0];
  if (!first) throw new Error(`opencc-js: missing dictionary group ${name}`);
  return first.map(entries);
}

function trieOf(...dicts: Entry[][]): TrieT {
  const t = new OpenCC.Trie();
  // Earlier dictionaries win, as in OpenCC's loadDictGroup.
  for (let i = dicts.length - 1; i >= 0; i--) for (const [k, v] of dicts[i] ?? []) t.addWord(k, v);
  return t;
}

/**
 * Marks the characters whose presence lets `dict` change a text: those that differ between a
 * key and its value. A text with none of them comes out of the conversion unchanged.
 */
function markTriggers(bits: Uint8Array, dict: readonly Entry[]): void {
  for (const [k, v] of dict) {
    if (k === v) continue;
    const ks = [...k];
    const vs = [...v];
    ks.forEach((c, i) => {
      if (ks.length !== vs.length || c !== vs[i])
        for (let u = 0; u < c.length; u++) bits[c.charCodeAt(u)] = 1;
    });
  }
}

function build(): Simplifier {
  const L = OpenCC.Locale;
  const [hkPhrases = [], hkChars = []] = group(L.from.hk, 'from.hk');
  const [twPhrases = [], twChars = []] = group(L.from.tw, 'from.tw');
  const [tsAllPhrases = [], tsChars = []] = group(L.to.cn, 'to.cn');
  const tsPhrases = tsAllPhrases.filter(([k]) => ![...k].some((c) => NEVER_CONVERT.has(c)));
  const [compat = []] = group(L.configs.t2s?.normalizationChain, 'configs.t2s.normalizationChain');

  const tsPass = pass(tsPhrases, tsChars);
  const tsConvert = (s: string) => tsPass.trie.convert(s);
  // Keep only variant entries that change the final result: HK 户→戶 or TW 才→纔 come back
  // unchanged through TS and would only make common Simplified characters look convertible.
  const effective = (dict: Entry[]) =>
    dict.filter(([k, v]) => !NEVER_CONVERT.has(k) && tsConvert(k) !== tsConvert(v));
  const charsAll = [...effective(hkChars), ...effective(twChars)];
  const charKeys = new Set(charsAll.map(([k]) => k));
  // A phrase entry matters if it changes the result or shields a character entry (著名 著名).
  const phrases = (dict: Entry[]) =>
    dict.filter(([k, v]) => tsConvert(k) !== tsConvert(v) || [...k].some((c) => charKeys.has(c)));
  const phrasesAll = [...phrases(hkPhrases), ...phrases(twPhrases)];
  const without著 = (dict: Entry[]) => dict.filter(([k]) => !k.includes(TRAD_ONLY_VARIANT));

  const variantsTrad = pass(phrasesAll, charsAll);
  const variants = pass(without著(phrasesAll), without著(charsAll));
  const compatPass = pass(compat);
  const segmenter = pass(tsPhrases);

  const compatTrigger = new Uint8Array(0x10000);
  markTriggers(compatTrigger, compat);
  compatTrigger.fill(1, 0xd800, 0xe000);
  const trigger = new Uint8Array(0x10000);
  for (const d of [compat, without著(phrasesAll), without著(charsAll), tsPhrases, tsChars])
    markTriggers(trigger, d);
  trigger.fill(1, 0xd800, 0xe000);
  const triggerTrad = trigger.slice();
  triggerTrad[TRAD_ONLY_VARIANT.charCodeAt(0)] = 1;
  const traditional = new Uint8Array(0x10000);
  for (const [k, v] of tsChars) if (k.length === 1 && k !== v) traditional[k.charCodeAt(0)] = 1;

  return {
    trigger,
    traditional,
    convert(s, traditionalText, starts, ends) {
      const variantPass = traditionalText ? variantsTrad : variants;
      const bits = traditionalText ? triggerTrad : trigger;
      let cur: Converted = { text: s, starts, ends };
      if (hasTrigger(s, 0, s.length, compatTrigger)) cur = apply(compatPass, s, starts, ends);
      const text = cur.text;
      const out = new Builder(text.length, cur.starts !== undefined);
      // As OpenCC: cut at TSPhrases words, then convert each piece on its own.
      forEachSegment(segmenter, text, (from, to) => {
        if (!hasTrigger(text, from, to, bits)) {
          out.copy(text, from, to, cur.starts, cur.ends);
          return;
        }
        const piece = text.slice(from, to);
        const a = apply(variantPass, piece, cur.starts?.subarray(from, to), cur.ends?.subarray(from, to));
        const b = apply(tsPass, a.text, a.starts, a.ends);
        out.copy(b.text, 0, b.text.length, b.starts, b.ends);
      });
      return out.result();
    },
  };
}

interface Pass {
  trie: TrieT;
  /** 1 for code units that start a key: elsewhere no match is tried. */
  first: Uint8Array;
}

function pass(...dicts: Entry[][]): Pass {
  const first = new Uint8Array(0x10000);
  for (const d of dicts) for (const [k] of d) first[k.charCodeAt(0)] = 1;
  return { trie: trieOf(...dicts), first };
}

function hasTrigger(s: string, from: number, to: number, trigger: Uint8Array): boolean {
  for (let i = from; i < to; i++) if (trigger[s.charCodeAt(i)] === 1) return true;
  return false;
}

/** OpenCC's segmentation (longest dictionary word, else runs of other text), as ranges. */
function forEachSegment(p: Pass, s: string, each: (from: number, to: number) => void): void {
  let run = 0;
  let i = 0;
  while (i < s.length) {
    const m = p.first[s.charCodeAt(i)] === 1 ? p.trie.matchPrefix(s, i) : null;
    if (m) {
      if (run < i) each(run, i);
      each(i, m.end);
      i = m.end;
      run = i;
    } else {
      i++;
    }
  }
  if (run < s.length) each(run, s.length);
}

/** Output text with, optionally, the original range of each code unit. */
class Builder {
  readonly #parts: string[] = [];
  #starts: Int32Array | undefined;
  #ends: Int32Array | undefined;
  #length = 0;

  constructor(capacity: number, withMap: boolean) {
    if (withMap) {
      this.#starts = new Int32Array(Math.max(16, capacity));
      this.#ends = new Int32Array(Math.max(16, capacity));
    }
  }

  #reserve(n: number): void {
    const starts = this.#starts;
    const ends = this.#ends;
    if (!starts || !ends || this.#length + n <= starts.length) return;
    const size = Math.max(starts.length * 2, this.#length + n);
    this.#starts = new Int32Array(size);
    this.#starts.set(starts);
    this.#ends = new Int32Array(size);
    this.#ends.set(ends);
  }

  /** Appends `s[from, to)`, whose code units map one to one to `starts`/`ends[from, to)`. */
  copy(s: string, from: number, to: number, starts?: Int32Array, ends?: Int32Array): void {
    if (from === to) return;
    this.#parts.push(from === 0 && to === s.length ? s : s.slice(from, to));
    this.#reserve(to - from);
    if (this.#starts && this.#ends && starts && ends) {
      this.#starts.set(starts.subarray(from, to), this.#length);
      this.#ends.set(ends.subarray(from, to), this.#length);
    }
    this.#length += to - from;
  }

  /** Appends `value`, every code unit of which maps to the range [start, end). */
  block(value: string, start: number, end: number): void {
    this.#parts.push(value);
    this.#reserve(value.length);
    if (this.#starts && this.#ends) {
      this.#starts.fill(start, this.#length, this.#length + value.length);
      this.#ends.fill(end, this.#length, this.#length + value.length);
    }
    this.#length += value.length;
  }

  result(): Converted {
    const text = this.#parts.join('');
    return {
      text,
      starts: this.#starts?.subarray(0, this.#length),
      ends: this.#ends?.subarray(0, this.#length),
    };
  }
}

/** One trie pass: equal-length replacements map unit by unit, others as one block. */
function apply(p: Pass, s: string, starts?: Int32Array, ends?: Int32Array): Converted {
  const out = new Builder(s.length, starts !== undefined && ends !== undefined);
  let run = 0;
  let i = 0;
  while (i < s.length) {
    const m = p.first[s.charCodeAt(i)] === 1 ? p.trie.matchPrefix(s, i) : null;
    if (!m) {
      i++;
      continue;
    }
    out.copy(s, run, i, starts, ends);
    if (m.value.length === m.end - i) {
      out.copy(m.value, 0, m.value.length, starts?.subarray(i, m.end), ends?.subarray(i, m.end));
    } else {
      out.block(m.value, starts?.[i] ?? 0, ends?.[m.end - 1] ?? 0);
    }
    i = m.end;
    run = i;
  }
  out.copy(s, run, s.length, starts, ends);
  return out.result();
}

/**
 * The bitmaps every normalization reads (`trigger`, `traditional`), stored by the build
 * (scripts/build.js) beside the compiled module: deriving them means building the tries
 * (60–100 ms of a cold start), while most texts (Simplified, nothing to convert) need only
 * them. Absent when running the sources; then everything is built on first use.
 */
export const STORED_TABLES_FILE = new URL('../text/simplify-tables.json', import.meta.url);

interface StoredTables {
  /** The dictionaries the bitmaps were derived from (dictionaryKey()). */
  key: string;
  /** Bitsets over the BMP code units, base64. */
  trigger: string;
  traditional: string;
}

let dictKey: string | undefined;

/**
 * A hash of the opencc-js dictionaries this module reads: stored tables derived from other
 * dictionaries (opencc-js upgraded without a new build) are not used.
 */
export function dictionaryKey(): string {
  const L = OpenCC.Locale;
  dictKey ??= createHash('sha256')
    .update(JSON.stringify([L.from.hk, L.from.tw, L.to.cn, L.configs.t2s?.normalizationChain]))
    .digest('base64url');
  return dictKey;
}

function packBits(bits: Uint8Array): string {
  const packed = new Uint8Array(bits.length >> 3);
  for (let i = 0; i < bits.length; i++)
    if (bits[i] === 1) packed[i >> 3] = (packed[i >> 3] ?? 0) | (1 << (i & 7));
  return Buffer.from(packed).toString('base64');
}

function unpackBits(text: string): Uint8Array | undefined {
  const packed = Buffer.from(text, 'base64');
  if (packed.length !== 0x10000 >> 3) return undefined;
  const bits = new Uint8Array(0x10000);
  for (let i = 0; i < bits.length; i++) bits[i] = ((packed[i >> 3] ?? 0) >> (i & 7)) & 1;
  return bits;
}

/** What the build stores: the bitmaps of a converter built now, keyed by the dictionaries. */
export function storedTablesData(s: Simplifier = build()): StoredTables {
  return { key: dictionaryKey(), trigger: packBits(s.trigger), traditional: packBits(s.traditional) };
}

/** The bitmaps of stored data, or undefined if it is malformed or from other dictionaries. */
export function tablesFromStored(data: unknown): Pick<Simplifier, 'trigger' | 'traditional'> | undefined {
  const d = data as Partial<StoredTables> | null;
  if (typeof d?.trigger !== 'string' || typeof d.traditional !== 'string') return undefined;
  if (d.key !== dictionaryKey()) return undefined;
  const trigger = unpackBits(d.trigger);
  const traditional = unpackBits(d.traditional);
  return trigger && traditional ? { trigger, traditional } : undefined;
}

/** The converter over stored bitmaps, its tries built on the first text to convert. */
export function lazySimplifier(tables: Pick<Simplifier, 'trigger' | 'traditional'>): Simplifier {
  let full: Simplifier | undefined;
  return {
    trigger: tables.trigger,
    traditional: tables.traditional,
    convert(s, traditionalText, starts, ends) {
      full ??= build();
      return full.convert(s, traditionalText, starts, ends);
    },
  };
}

function stored(): Simplifier | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(STORED_TABLES_FILE, 'utf8'));
  } catch {
    return undefined; // running src/, or a build without it
  }
  const tables = tablesFromStored(data);
  return tables ? lazySimplifier(tables) : undefined;
}

let instance: Simplifier | undefined;

/** The converter, built on first use: building the tries takes tens of milliseconds. */
export function simplifier(): Simplifier {
  instance ??= stored() ?? build();
  return instance;
}

/** A converter built from the dictionaries now, whatever the build stored (for tests). */
export function builtSimplifier(): Simplifier {
  return build();
}
