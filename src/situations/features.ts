// What the model sees of a turn: lexicon hits per situation and hashed character 1–3-grams of
// the normalized text. Shared by the detector and the training script, so both compute the
// same features. Hashing (FNV-1a into a fixed number of buckets) means the shipped model holds
// numbers only, never an n-gram or any other piece of the text it was trained on.
import { PhraseMatcher } from '../text/match.ts';
import { normalizeText } from '../text/normalize.ts';
import { anchorsOf, hasReferences, MAX_TERM_SETS, splitAlternatives } from './anchors.ts';
import { DETECTED_SITUATION_IDS } from './ids.ts';
import { LEXICON } from './lexicon.ts';

/** Number of hashed n-gram buckets (a power of two). */
export const BUCKETS = 1 << 15;
/** Lexicon features per situation: strong hit, cue hit, trap hit. */
const PER_SITUATION = 3;
export const FEATURE_COUNT = BUCKETS + DETECTED_SITUATION_IDS.length * PER_SITUATION;

/** Canonical text: Traditional → Simplified, full → half width, one form per mark, Latin lower case. */
export function prepareText(text: string): string {
  return lowerCase(normalizeText(text));
}

/**
 * `text.toLowerCase()`, without building a new string for text that has nothing to lower:
 * a customer's turn is Han characters, digits and punctuation, and toLowerCase on a two-byte
 * string costs about as much as the rest of its preparation. Only ASCII A–Z, and everything
 * outside ASCII and the CJK blocks U+2E80–U+9FFF (which have no case: a test checks each),
 * can change.
 */
export function lowerCase(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x41 || (c > 0x5a && c < 0x80) || (c >= 0x2e80 && c <= 0x9fff)) continue;
    return text.toLowerCase();
  }
  return text;
}

/** One expression of the lexicon and the anchors that say when it could match. */
interface Slot {
  regex: RegExp;
  /**
   * Per term (`termStart …`), its alternative alone (terms are the top-level alternatives'),
   * tested without the rest: only those whose term the text holds can match. Null: the whole
   * expression runs (a back reference or a named group, or terms that are not per alternative).
   */
  alternatives: RegExp[] | null;
  /** No anchor proved: run on every text. */
  always: boolean;
  /** An alternation of plain literals: an anchor hit on an unblanked text is a match. */
  literalOnly: boolean;
  /** Its terms: `termFull[termStart … termEnd)` (none when `always`). */
  termStart: number;
  termEnd: number;
}

interface CompiledLexicon {
  strong: number;
  cues: number;
  traps: number;
  decisive: number;
}

const slots: Slot[] = [];
/**
 * Anchor phrases; the value of one is its term and the set of the term it belongs to, as
 * `term << 2 | set` (a term has at most MAX_TERM_SETS sets, so a set is a bit of 4).
 */
const anchorEntries: { phrase: string; value: number }[] = [];
/** Per term, the bits of all its sets: the term holds when the text has a string of each. */
const termFullList: number[] = [];
/** Per term, its expression. */
const termSlotList: number[] = [];
/** Per term, 1 when a text holding it is matched by its expression (`Anchors.sure`). */
const termSureList: number[] = [];
/** The phrase matcher normalizes its phrases: only literals it finds as written can anchor. */
const usable = (literal: string) => normalizeText(literal) === literal;

if (MAX_TERM_SETS > 4) throw new Error('anchor terms hold 4 sets at most');

function slot(regex: RegExp | undefined, flags: string): number {
  if (!regex) return -1;
  const a = anchorsOf(regex.source, usable);
  const id = slots.length;
  // An expression's anchors as terms: the alternatives' own sets where they were proved (a
  // common word alone, 等 or 找, no longer runs it), else its literals as one term of one set
  // (an alternation of plain literals must keep that: an anchor hit is its match).
  const terms: string[][][] = a.literals === null ? [] : (a.terms ?? [[a.literals]]);
  const termStart = termFullList.length;
  terms.forEach((term, k) => {
    const t = termFullList.length;
    termFullList.push((1 << term.length) - 1);
    termSlotList.push(id);
    termSureList.push(a.terms && a.sure?.[k] ? 1 : 0);
    term.forEach((set, j) => {
      for (const phrase of set) anchorEntries.push({ phrase, value: (t << 2) | j });
    });
  });
  // `test` of an alternation is any alternative's: those whose term the text lacks cannot match,
  // so the others are tested alone (a long expression, a lookahead over the whole text, runs
  // only when its own words are there). Without `g`: a test keeps no state.
  const parts = a.terms && !hasReferences(regex.source) ? splitAlternatives(regex.source) : null;
  const alternatives =
    parts !== null && parts.length === terms.length && parts.length > 1
      ? parts.map((part) => new RegExp(part, ''))
      : null;
  slots.push({
    regex: new RegExp(regex.source, flags),
    alternatives,
    always: a.literals === null,
    literalOnly: a.literalOnly,
    termStart,
    termEnd: termFullList.length,
  });
  return id;
}

/** `test()` on a global RegExp is stateful: traps are kept global for blanking, the rest tested without `g`. */
const COMPILED: CompiledLexicon[] = DETECTED_SITUATION_IDS.map((id) => {
  const l = LEXICON[id];
  return {
    traps: slot(l.traps, 'g'),
    strong: slot(l.strong, '') as number,
    cues: slot(l.cues, ''),
    decisive: slot(l.decisive, ''),
  };
});

/** Every anchor of every expression: one pass over a text marks the terms it satisfies in part or whole. */
const anchors = new PhraseMatcher(anchorEntries);
/**
 * Per state of the anchor automaton where anchors end, their values (`term << 2 | set`), listed
 * once at load: `stateValues[stateValueStart[s] … stateValueStart[s + 1])`. The scan then
 * hands over a state, not each anchor's value with its offsets (`scanStates`).
 */
const stateValueStart = new Int32Array(anchors.states + 1);
const stateValues: number[] = [];
for (let st = 0; st < anchors.states; st++) {
  stateValueStart[st] = stateValues.length;
  for (const v of new Set(anchors.stateValues(st))) stateValues.push(v);
}
stateValueStart[anchors.states] = stateValues.length;
const stateValueList = Int32Array.from(stateValues);
/** Per expression, the bit of its situation (`touched`). */
const slotSituation = new Int32Array(slots.length);
/** The situations with an expression that runs on every text (no anchor proved). */
let alwaysSituations = 0;
COMPILED.forEach((c, i) => {
  for (const s of [c.traps, c.strong, c.cues, c.decisive]) {
    if (s < 0) continue;
    slotSituation[s] = 1 << i;
    if ((slots[s] as Slot).always) alwaysSituations |= 1 << i;
  }
});
const termFull = Uint8Array.from(termFullList);
const termSlot = Int32Array.from(termSlotList);
const termSure = Uint8Array.from(termSureList);
/** Per term, the sets of it found in the text being read. */
const termBits = new Uint8Array(termFull.length);
/**
 * Per expression, whether a term of it is whole in the text being read (its anchors allow a
 * match): set as the scan completes the term, so asking costs one read, not a walk over the
 * expression's terms (the long complaint expressions have dozens).
 */
const allowed = new Uint8Array(slots.length);
/**
 * Per expression, whether a sure term of it (a plain literal alternative) is whole in the text
 * being read: on that text, unblanked, it matches without being run.
 */
const sure = new Uint8Array(slots.length);
/** The terms the text marked (`termBits` and `allowed` are cleared through them after it). */
let markedTerms = new Int32Array(64);
let marked = 0;
const mark = (v: number) => {
  const t = v >>> 2;
  const before = termBits[t] as number;
  const bits = before | (1 << (v & 3));
  if (bits === before) return;
  termBits[t] = bits;
  if (before === 0) {
    if (marked === markedTerms.length) {
      const grown = new Int32Array(marked * 2);
      grown.set(markedTerms);
      markedTerms = grown;
    }
    markedTerms[marked++] = t;
  }
  if (bits === termFull[t]) {
    const s = termSlot[t] as number;
    allowed[s] = 1;
    if (termSure[t] === 1) sure[s] = 1;
    touched |= slotSituation[s] as number;
  }
};
/**
 * The situations of the expressions the text being read allows (bit i: situation i): only
 * those, and the ones with an expression that always runs, can have a hit, so the lexicon
 * pass looks at no other (most texts allow a few of twenty).
 */
let touched = 0;
/** `mark` for every anchor value of a state the scan reached. */
const markState = (state: number) => {
  for (let k = stateValueStart[state] as number, end = stateValueStart[state + 1] as number; k < end; k++)
    mark(stateValueList[k] as number);
};

/** Whether expression `s`'s anchors allow a match: some term of it has a string of each set. */
function anchored(s: number): boolean {
  return allowed[s] === 1;
}

export interface LexiconHits {
  /** Per situation, in DETECTED_SITUATION_IDS order. */
  strong: boolean[];
  cue: boolean[];
  trap: boolean[];
  /** A `decisive` phrase: decides at detection, never a model feature. */
  decisive: boolean[];
}

/**
 * Whether the last `blank` found a trap (single-threaded): `blank` returns the text alone, so a
 * turn's lexicon pass builds no object per situation.
 */
let blankHit = false;

/** Text with every trap span of one situation blanked (same length, so offsets hold); sets `blankHit`. */
function blank(text: string, sl: Slot): string {
  // Most turns hold no trap: a test is cheaper than a replace that copies the text.
  blankHit = false;
  if (!tests(sl, text)) return text;
  const traps = sl.regex;
  traps.lastIndex = 0;
  return text.replace(traps, (m) => {
    blankHit = true;
    return '\u0000'.repeat(m.length);
  });
}

/** Whether expression `s` matches `text`; `clean`: the text is the prepared one, nothing blanked. */
function matches(s: number, text: string, clean: boolean): boolean {
  if (s < 0) return false;
  const sl = slots[s] as Slot;
  if (!sl.always && !anchored(s)) return false;
  if (clean && (sl.literalOnly || sure[s] === 1)) return true;
  return tests(sl, text);
}

/**
 * `sl.regex.test(text)` of an expression the anchors allow: its alternatives whose term is whole
 * in the prepared text, each alone (a blanked text holds no anchor the prepared one lacks).
 */
function tests(sl: Slot, text: string): boolean {
  const alternatives = sl.alternatives;
  if (alternatives === null) {
    sl.regex.lastIndex = 0;
    return sl.regex.test(text);
  }
  for (let t = sl.termStart; t < sl.termEnd; t++)
    if (termBits[t] === termFull[t] && (alternatives[t - sl.termStart] as RegExp).test(text)) return true;
  return false;
}

/**
 * The lexicon hits of a text as bit masks: bit i of `strong`, `cue`, `trap`, `decisive` is situation i's
 * (DETECTED_SITUATION_IDS order; twenty fit in an integer). One object, reused: valid until
 * the next call. The detector reads these, so a turn allocates no array; `lexiconHits` is the
 * same hits as lists.
 */
export interface LexiconMasks {
  strong: number;
  cue: number;
  trap: number;
  decisive: number;
}

const masks: LexiconMasks = { strong: 0, cue: 0, trap: 0, decisive: 0 };

if (COMPILED.length > 31) throw new Error('lexicon masks hold 31 situations at most');

export function lexiconMasks(prepared: string): LexiconMasks {
  let strong = 0;
  let cue = 0;
  let trap = 0;
  let decisive = 0;
  touched = 0;
  anchors.scanStates(prepared, markState);
  // A situation none of whose expressions is allowed has no hit (`matches` is false for each
  // and its traps are not run): skipping it changes nothing.
  let todo = touched | alwaysSituations;
  while (todo !== 0) {
    const i = 31 - Math.clz32(todo & -todo);
    todo &= todo - 1;
    const c = COMPILED[i] as CompiledLexicon;
    let t = prepared;
    let trapped = false;
    if (c.traps >= 0) {
      const sl = slots[c.traps] as Slot;
      if (sl.always || anchored(c.traps)) {
        t = blank(prepared, sl);
        trapped = blankHit;
      }
    }
    const bit = 1 << i;
    if (trapped) trap |= bit;
    if (matches(c.strong, t, !trapped)) strong |= bit;
    if (matches(c.cues, t, !trapped)) cue |= bit;
    if (matches(c.decisive, t, !trapped)) decisive |= bit;
  }
  for (let j = 0; j < marked; j++) {
    const t = markedTerms[j] as number;
    termBits[t] = 0;
    allowed[termSlot[t] as number] = 0;
    sure[termSlot[t] as number] = 0;
  }
  marked = 0;
  masks.strong = strong;
  masks.cue = cue;
  masks.trap = trap;
  masks.decisive = decisive;
  return masks;
}

/** Lexicon masks → the lists of `LexiconHits`. */
export function hitsOfMasks(strong: number, cue: number, trap: number, decisive = 0): LexiconHits {
  const n = COMPILED.length;
  const s = new Array<boolean>(n);
  const c = new Array<boolean>(n);
  const t = new Array<boolean>(n);
  const d = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    s[i] = (strong & (1 << i)) !== 0;
    c[i] = (cue & (1 << i)) !== 0;
    t[i] = (trap & (1 << i)) !== 0;
    d[i] = (decisive & (1 << i)) !== 0;
  }
  return { strong: s, cue: c, trap: t, decisive: d };
}

export function lexiconHits(prepared: string): LexiconHits {
  const m = lexiconMasks(prepared);
  return hitsOfMasks(m.strong, m.cue, m.trap, m.decisive);
}

/** Sparse feature vector: indices and values of the non-zero features. */
export interface Features {
  index: Int32Array;
  value: Float32Array;
}

// The n-gram hash (FNV-1a over char codes, the n mixed in last); the focused scorer
// (model.ts `exceedsMasks`) hashes with the same constants in a loop of its own.
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;
export const BOUNDARY_START = 0x02;
export const BOUNDARY_END = 0x03;

/**
 * Buckets seen in the text being hashed (single-threaded, reused): one bit per bucket, 4 kB,
 * so it stays in the processor's nearest cache; only the words a text set are cleared after
 * it. (A stamp per bucket, 128 kB, missed the cache on nearly every n-gram once the rest of
 * an inspection had run between two turns; a hashed set cost a multiply and probes.)
 */
const seen = new Int32Array(BUCKETS >>> 5);
/** Distinct buckets of the last text hashed, grown as needed. */
let bucketScratch = new Int32Array(1024);

/** Weight of the n-gram part against the lexicon features (each 1). */
const NGRAM_SCALE = 3;

/** The value of each n-gram feature of a text with `count` distinct buckets (stored as a float32). */
export function ngramValue(count: number): number {
  return count > 0 ? Math.fround(NGRAM_SCALE / Math.sqrt(count)) : 0;
}

/**
 * The distinct buckets of a prepared text's character 1–3-grams (with a start and an end mark),
 * in first-seen order: `buckets[0 … count)`, a scratch array valid until the next call. Hashed
 * over char codes: no n-gram string and no array per text is built.
 */
export function ngramBuckets(prepared: string): { buckets: Int32Array; count: number } {
  const len = prepared.length;
  const codes = len + 2;
  if (bucketScratch.length < 3 * codes) bucketScratch = new Int32Array(3 * codes * 2);
  const out = bucketScratch;
  let count = 0;
  for (let start = 0; start < codes; start++) {
    let h = FNV_OFFSET;
    for (let n = 1; n <= 3 && start + n <= codes; n++) {
      const k = start + n - 1;
      const code = k === 0 ? BOUNDARY_START : k === codes - 1 ? BOUNDARY_END : prepared.charCodeAt(k - 1);
      h = Math.imul(h ^ code, FNV_PRIME) >>> 0;
      // Mix in the length so a unigram and a trigram ending alike do not share a bucket by design.
      const b = (Math.imul(h ^ n, FNV_PRIME) >>> 0) & (BUCKETS - 1);
      const w = b >>> 5;
      const bit = 1 << (b & 31);
      const word = seen[w] as number;
      if ((word & bit) === 0) {
        seen[w] = word | bit;
        out[count++] = b;
      }
    }
  }
  for (let j = 0; j < count; j++) seen[(out[j] as number) >>> 5] = 0;
  return { buckets: out, count };
}

/** Index of the first lexicon feature of situation `i` (strong, then cue, then trap). */
export function lexiconFeature(i: number): number {
  return BUCKETS + i * PER_SITUATION;
}

export function featurize(prepared: string, hits: LexiconHits): Features {
  const { buckets, count } = ngramBuckets(prepared);
  const lexCount = hits.strong.length;
  const index = new Int32Array(count + lexCount * PER_SITUATION);
  const value = new Float32Array(index.length);
  const v = ngramValue(count);
  let k = 0;
  for (let j = 0; j < count; j++) {
    index[k] = buckets[j] as number;
    value[k++] = v;
  }
  for (let i = 0; i < lexCount; i++) {
    const base = lexiconFeature(i);
    index[k] = base;
    value[k++] = hits.strong[i] ? 1 : 0;
    index[k] = base + 1;
    value[k++] = hits.cue[i] ? 1 : 0;
    index[k] = base + 2;
    value[k++] = hits.trap[i] ? 1 : 0;
  }
  return { index, value };
}
