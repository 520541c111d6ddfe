// What the model sees of a turn: lexicon hits per situation and hashed character 1–3-grams of
// the normalized text. Shared by the detector and the training script, so both compute the
// same features. Hashing (FNV-1a into a fixed number of buckets) means the shipped model holds
// numbers only, never an n-gram or any other piece of the text it was trained on.
import { normalizeText } from '../text/normalize.ts';
import { DETECTED_SITUATION_IDS } from './ids.ts';
import { LEXICON } from './lexicon.ts';

/** Number of hashed n-gram buckets (a power of two). */
export const BUCKETS = 1 << 15;
/** Lexicon features per situation: strong hit, cue hit, trap hit. */
const PER_SITUATION = 3;
export const FEATURE_COUNT = BUCKETS + DETECTED_SITUATION_IDS.length * PER_SITUATION;

/** Canonical text: Traditional → Simplified, full → half width, one form per mark, Latin lower case. */
export function prepareText(text: string): string {
  return normalizeText(text).toLowerCase();
}

interface CompiledLexicon {
  strong: RegExp;
  cues: RegExp | undefined;
  traps: RegExp | undefined;
}

/** `test()` on a global RegExp is stateful: the lexicon is kept global for blanking, tested through copies. */
const COMPILED: CompiledLexicon[] = DETECTED_SITUATION_IDS.map((id) => {
  const l = LEXICON[id];
  return {
    strong: new RegExp(l.strong.source, ''),
    cues: l.cues ? new RegExp(l.cues.source, '') : undefined,
    traps: l.traps ? new RegExp(l.traps.source, 'g') : undefined,
  };
});

export interface LexiconHits {
  /** Per situation, in DETECTED_SITUATION_IDS order. */
  strong: boolean[];
  cue: boolean[];
  trap: boolean[];
}

/** Text with every trap span of one situation blanked (same length, so offsets hold). */
function blank(text: string, traps: RegExp): { text: string; hit: boolean } {
  // Most turns hold no trap: a test is cheaper than a replace that copies the text.
  traps.lastIndex = 0;
  if (!traps.test(text)) return { text, hit: false };
  traps.lastIndex = 0;
  let hit = false;
  const out = text.replace(traps, (m) => {
    hit = true;
    return '\u0000'.repeat(m.length);
  });
  return { text: out, hit };
}

export function lexiconHits(prepared: string): LexiconHits {
  const n = COMPILED.length;
  const strong = new Array<boolean>(n).fill(false);
  const cue = new Array<boolean>(n).fill(false);
  const trap = new Array<boolean>(n).fill(false);
  for (let i = 0; i < n; i++) {
    const c = COMPILED[i] as CompiledLexicon;
    let t = prepared;
    if (c.traps) {
      const b = blank(prepared, c.traps);
      t = b.text;
      trap[i] = b.hit;
    }
    strong[i] = c.strong.test(t);
    cue[i] = c.cues ? c.cues.test(t) : false;
  }
  return { strong, cue, trap };
}

/** Sparse feature vector: indices and values of the non-zero features. */
export interface Features {
  index: Int32Array;
  value: Float32Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const BOUNDARY_START = 0x02;
const BOUNDARY_END = 0x03;

/** Scratch space for deduplicating buckets within one turn (single-threaded, reused). */
const seenStamp = new Uint32Array(BUCKETS);
let stamp = 0;

/** Weight of the n-gram part against the lexicon features (each 1). */
const NGRAM_SCALE = 3;

export function featurize(prepared: string, hits: LexiconHits): Features {
  stamp = (stamp + 1) >>> 0;
  if (stamp === 0) {
    seenStamp.fill(0);
    stamp = 1;
  }
  const len = prepared.length;
  const codes = new Uint16Array(len + 2);
  codes[0] = BOUNDARY_START;
  for (let i = 0; i < len; i++) codes[i + 1] = prepared.charCodeAt(i);
  codes[len + 1] = BOUNDARY_END;
  const buckets: number[] = [];
  for (let start = 0; start < codes.length; start++) {
    let h = FNV_OFFSET;
    for (let n = 1; n <= 3 && start + n <= codes.length; n++) {
      h = Math.imul(h ^ (codes[start + n - 1] as number), FNV_PRIME) >>> 0;
      // Mix in the length so a unigram and a trigram ending alike do not share a bucket by design.
      const b = (Math.imul(h ^ n, FNV_PRIME) >>> 0) & (BUCKETS - 1);
      if (seenStamp[b] !== stamp) {
        seenStamp[b] = stamp;
        buckets.push(b);
      }
    }
  }
  const lexCount = hits.strong.length;
  const index = new Int32Array(buckets.length + lexCount * PER_SITUATION);
  const value = new Float32Array(index.length);
  const v = buckets.length > 0 ? NGRAM_SCALE / Math.sqrt(buckets.length) : 0;
  let k = 0;
  for (const b of buckets) {
    index[k] = b;
    value[k++] = v;
  }
  for (let i = 0; i < lexCount; i++) {
    const base = BUCKETS + i * PER_SITUATION;
    index[k] = base;
    value[k++] = hits.strong[i] ? 1 : 0;
    index[k] = base + 1;
    value[k++] = hits.cue[i] ? 1 : 0;
    index[k] = base + 2;
    value[k++] = hits.trap[i] ? 1 : 0;
  }
  return { index, value };
}
