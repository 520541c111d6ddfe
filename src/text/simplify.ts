// Traditional → Simplified conversion with an exact offset map, built on opencc-js's
// dictionaries and Trie. We do not use OpenCC's ready-made converters because:
//  - none converts both Hong Kong and Taiwan variant forms (hk2s keeps 著急, tw2s turns the
//    Simplified 么 of 什么 into 幺), and
//  - a converter returns only a string, and we must map every output character back to the
//    input (a few entries change the UTF-16 length, e.g. astral ↔ BMP characters).
// So we run OpenCC's own chain (CJK compatibility → variants → TS phrases/characters, with
// TSPhrases segmentation, as in hk2s/tw2s) ourselves, one trie match at a time.

import OpenCCModule from 'opencc-js/t2cn';

// opencc-js's declarations re-export from './core' without an extension, which NodeNext
// resolution cannot follow (its types come out as `any`), so we declare what we use.
type Entry = readonly [string, string];
type DictLike = string | readonly Entry[];
type DictGroup = readonly DictLike[];
interface TrieT {
  addWord(source: string, replacement: string): void;
  matchPrefix(text: string, offset: number): { end: number; value: string } | null;
  segment(text: string): string[];
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

  const ts = trieOf(tsPhrases, tsChars);
  const tsConvert = (s: string) => ts.convert(s);
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

  const variantsTrad = trieOf(phrasesAll, charsAll);
  const variants = trieOf(without著(phrasesAll), without著(charsAll));
  const compatTrie = trieOf(compat);
  const segmenter = trieOf(tsPhrases);

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
      const chain = [traditionalText ? variantsTrad : variants, ts];
      const bits = traditionalText ? triggerTrad : trigger;
      const withMap = starts !== undefined && ends !== undefined;
      let cur: Converted = { text: s, starts, ends };
      if (hasTrigger(s, compatTrigger)) {
        cur = withMap ? apply(compatTrie, s, starts, ends) : { text: compatTrie.convert(s) };
      }
      const text = cur.text;
      const segments = segmenter.segment(text);
      const parts: string[] = [];
      const partStarts: Int32Array[] = [];
      const partEnds: Int32Array[] = [];
      let at = 0;
      for (const seg of segments) {
        const from = at;
        at += seg.length;
        let out: Converted = withMap
          ? { text: seg, starts: cur.starts?.subarray(from, at), ends: cur.ends?.subarray(from, at) }
          : { text: seg };
        if (hasTrigger(seg, bits)) {
          for (const t of chain)
            out = withMap ? apply(t, out.text, out.starts, out.ends) : { text: t.convert(out.text) };
        }
        parts.push(out.text);
        if (out.starts && out.ends) {
          partStarts.push(out.starts);
          partEnds.push(out.ends);
        }
      }
      cur = { text: parts.join('') };
      if (withMap) {
        cur.starts = concat(partStarts, cur.text.length);
        cur.ends = concat(partEnds, cur.text.length);
      }
      return cur;
    },
  };
}

function hasTrigger(s: string, trigger: Uint8Array): boolean {
  for (let i = 0; i < s.length; i++) if (trigger[s.charCodeAt(i)] === 1) return true;
  return false;
}

function concat(parts: Int32Array[], length: number): Int32Array {
  const out = new Int32Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One trie pass with offsets: equal-length replacements map unit by unit, others as a block. */
function apply(trie: TrieT, s: string, starts?: Int32Array, ends?: Int32Array): Converted {
  if (!starts || !ends) return { text: trie.convert(s) };
  const parts: string[] = [];
  const outStarts: number[] = [];
  const outEnds: number[] = [];
  let i = 0;
  while (i < s.length) {
    const m = trie.matchPrefix(s, i);
    let value: string;
    let end: number;
    if (m) {
      value = m.value;
      end = m.end;
    } else {
      const c = s.charCodeAt(i);
      end = i + (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length ? 2 : 1);
      value = s.slice(i, end);
    }
    parts.push(value);
    if (value.length === end - i) {
      for (let k = 0; k < value.length; k++) {
        outStarts.push(starts[i + k] ?? 0);
        outEnds.push(ends[i + k] ?? 0);
      }
    } else {
      for (let k = 0; k < value.length; k++) {
        outStarts.push(starts[i] ?? 0);
        outEnds.push(ends[end - 1] ?? 0);
      }
    }
    i = end;
  }
  return { text: parts.join(''), starts: Int32Array.from(outStarts), ends: Int32Array.from(outEnds) };
}

let instance: Simplifier | undefined;

/** The converter, built on first use: building the tries takes tens of milliseconds. */
export function simplifier(): Simplifier {
  instance ??= build();
  return instance;
}
