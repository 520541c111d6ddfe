// The statistical part of the detector: one-vs-rest logistic regression over features.ts,
// stored in model.json (written by scripts/train-situations.ts, shipped with the code). The
// file holds numbers only: per situation a bias, a decision threshold, whether its strong
// lexicon phrases decide alone, and the non-zero weights as delta-encoded feature indices
// with weights in thousandths.

import {
  BOUNDARY_END,
  BOUNDARY_START,
  BUCKETS,
  FEATURE_COUNT,
  type Features,
  FNV_OFFSET,
  FNV_PRIME,
  hitsOfMasks,
  type LexiconHits,
  lexiconFeature,
  ngramBuckets,
  ngramValue,
} from './features.ts';
import { DETECTED_SITUATION_IDS, type DetectedSituation } from './ids.ts';

export const MODEL_FORMAT = 'huashu-situations/1';
/** Weights are stored as integers: weight × WEIGHT_SCALE. */
export const WEIGHT_SCALE = 1000;

export interface StoredClass {
  id: string;
  bias: number;
  threshold: number;
  strongDecides: boolean;
  /** Feature indices, each as the difference from the previous one. */
  index: number[];
  /** Weights × WEIGHT_SCALE, rounded. */
  weight: number[];
}

export interface StoredModel {
  format: string;
  featureCount: number;
  classes: StoredClass[];
}

export class SituationModelError extends Error {
  override name = 'SituationModelError';
}

export interface SituationModel {
  readonly thresholds: Float64Array;
  readonly strongDecides: boolean[];
  /** Probability per situation, in DETECTED_SITUATION_IDS order. */
  probabilities(f: Features): Float64Array;
  /**
   * The same as `probabilities(featurize(prepared, hits))`, bit for bit, without building the
   * feature vector; the result is a scratch array, valid until the next call.
   */
  probabilitiesOfText(prepared: string, hits: LexiconHits): Float64Array;
  /**
   * A scorer of some situations only (indices into DETECTED_SITUATION_IDS): probability k of
   * its result is `probabilitiesOfText(…)[classes[k]]`, bit for bit.
   */
  focus(classes: readonly number[]): FocusedScorer;
}

/** Scores a few situations of the model, as `SituationModel.focus` builds it. */
export interface FocusedScorer {
  /** Probability per focused situation, in the order given; a scratch array, valid until the next call. */
  probabilitiesOfText(prepared: string, hits: LexiconHits): Float64Array;
  /**
   * Bit k set when focused situation k's probability reaches its threshold: the same as
   * `probabilitiesOfText(…)[k] >= threshold`, for every text, at a fraction of the cost.
   */
  exceeds(prepared: string, hits: LexiconHits): number;
  /** `exceeds` of the hits as `lexiconMasks` gives them (bit i: situation i), with no list. */
  exceedsMasks(prepared: string, strong: number, cue: number, trap: number): number;
}

const BUCKET_MASK = BUCKETS - 1;
// `exceedsMasks` hashes with these constants written out (see there): they must be features.ts's.
if (FNV_OFFSET !== 0x811c9dc5 || FNV_PRIME !== 0x01000193 || BOUNDARY_END !== 0x03 || BUCKET_MASK !== 0x7fff)
  throw new Error('situations: exceedsMasks hashes with constants other than features.ts gives');
/** The start mark's unigram: its hash (the first bigram's goes on from it) and its bucket. */
const START_HASH = Math.imul(FNV_OFFSET ^ BOUNDARY_START, FNV_PRIME);
const START_BUCKET = Math.imul(START_HASH ^ 1, FNV_PRIME) & BUCKET_MASK;

/** Thresholds the fast decision takes on: far enough from 0 and 1 for its margin to hold. */
const FAST_THRESHOLD_MIN = 1e-6;
/** Margin on the log-odds beyond the error bound (see `exceeds`). */
const LOGIT_MARGIN = 1e-7;

/** One class's weights: feature, weight as a float32, and as stored (thousandths). */
interface Decoded {
  f: Int32Array;
  w: Float32Array;
  q: Float64Array;
}

/** Set bits of a 32-bit integer. */
function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

/** Reads the stored model; throws SituationModelError if it does not fit this code. */
export function loadModel(stored: StoredModel): SituationModel {
  if (stored.format !== MODEL_FORMAT) {
    throw new SituationModelError(`situation model: format ${stored.format}, expected ${MODEL_FORMAT}`);
  }
  if (stored.featureCount !== FEATURE_COUNT) {
    throw new SituationModelError(
      `situation model: ${stored.featureCount} features, this code computes ${FEATURE_COUNT}: retrain (npm run train:situations)`,
    );
  }
  const C = DETECTED_SITUATION_IDS.length;
  const byId = new Map(stored.classes.map((c) => [c.id, c]));
  const bias = new Float64Array(C);
  const thresholds = new Float64Array(C);
  const strongDecides: boolean[] = [];
  // Weights by feature: row f holds the (class, weight) pairs of feature f that are not zero
  // (about 3 of 20 on average), so scoring a turn reads ~0.4 MB of weights, not a dense 2.6 MB
  // table whose rows miss the cache. Within a class, features are still added in the order
  // the turn lists them: the sums are the dense table's bit for bit (a zero weight adds 0).
  const perFeature = new Int32Array(FEATURE_COUNT + 1);
  const decoded: Decoded[] = [];
  DETECTED_SITUATION_IDS.forEach((id: DetectedSituation, c) => {
    const sc = byId.get(id);
    if (!sc) throw new SituationModelError(`situation model: no class for "${id}": retrain`);
    if (sc.index.length !== sc.weight.length) {
      throw new SituationModelError(`situation model: class "${id}" has mismatched index and weight lists`);
    }
    bias[c] = sc.bias;
    thresholds[c] = sc.threshold;
    strongDecides.push(sc.strongDecides);
    const fs = new Int32Array(sc.index.length);
    const ws = new Float32Array(sc.index.length);
    const qs = Float64Array.from(sc.weight);
    let f = 0;
    for (let k = 0; k < sc.index.length; k++) {
      f += sc.index[k] as number;
      if (f < 0 || f >= FEATURE_COUNT)
        throw new SituationModelError(`situation model: feature ${f} out of range`);
      fs[k] = f;
      ws[k] = (sc.weight[k] as number) / WEIGHT_SCALE;
      perFeature[f + 1] = (perFeature[f + 1] as number) + 1;
    }
    decoded.push({ f: fs, w: ws, q: qs });
  });
  const rowStart = perFeature;
  for (let f = 0; f < FEATURE_COUNT; f++)
    rowStart[f + 1] = (rowStart[f + 1] as number) + (rowStart[f] as number);
  const total = rowStart[FEATURE_COUNT] as number;
  const rowClass = new Uint8Array(total);
  const rowWeight = new Float32Array(total);
  const fill = rowStart.slice(0, FEATURE_COUNT);
  decoded.forEach(({ f: fs, w: ws }, c) => {
    for (let k = 0; k < fs.length; k++) {
      const f = fs[k] as number;
      const at = fill[f] as number;
      fill[f] = at + 1;
      rowClass[at] = c;
      // A stored weight decodes to a float32 (as the dense table held it); zeros are pruned.
      rowWeight[at] = ws[k] as number;
    }
  });

  /** z += v × row f of the weights. */
  const add = (z: Float64Array, f: number, v: number) => {
    for (let e = rowStart[f] as number, end = rowStart[f + 1] as number; e < end; e++) {
      const c = rowClass[e] as number;
      z[c] = (z[c] as number) + v * (rowWeight[e] as number);
    }
  };
  const sigmoid = (z: Float64Array) => {
    for (let c = 0; c < C; c++) z[c] = 1 / (1 + Math.exp(-(z[c] as number)));
    return z;
  };
  const scratch = new Float64Array(C);

  /**
   * Weights of some classes only, per n-gram bucket that any of them weighs: K adjacent
   * weights, in thousandths as the file stores them (Int16), the rows of those buckets alone
   * and in bucket order. For quality inspection's four situations that is 15,000 of 32,768
   * buckets in 120 kB, where a dense Float32 table was 512 kB: a turn's buckets land at
   * random, so the table's size decides how many of them miss the processor's caches, and
   * those misses were most of the detector's cost. A bucket's row is found by the bitmap of
   * weighed buckets and a count of the set bits before it (a rank). Each weight is decoded to
   * the float32 the sparse rows hold (q / 1000, rounded to float32) and added in the same
   * order, so each class's sum is the sparse rows' bit for bit; a zero adds nothing.
   */
  const focus = (classes: readonly number[]): FocusedScorer => {
    const K = classes.length;
    const lexFeatures = FEATURE_COUNT - BUCKETS;
    const lex = new Float32Array(lexFeatures * K);
    const fbias = new Float64Array(K);
    // One bit per bucket: does any focused class weigh it? (4 kB, always in the nearest cache.)
    // Most buckets of a turn are weighed by none: they are not looked up at all.
    const weighed = new Uint32Array(BUCKETS >>> 5);
    let exact = true;
    classes.forEach((c, k) => {
      const d = decoded[c];
      if (d === undefined) throw new SituationModelError(`situation model: no class ${c}`);
      fbias[k] = bias[c] as number;
      for (let e = 0; e < d.f.length; e++) {
        const f = d.f[e] as number;
        if (f < BUCKETS) {
          weighed[f >>> 5] = (weighed[f >>> 5] as number) | (1 << (f & 31));
          const q = d.q[e] as number;
          if (!Number.isInteger(q) || q < -32768 || q > 32767) exact = false;
        } else lex[(f - BUCKETS) * K + k] = d.w[e] as number;
      }
    });
    // rank[i]: weighed buckets before word i of the bitmap.
    const rank = new Int32Array(weighed.length + 1);
    for (let i = 0; i < weighed.length; i++)
      rank[i + 1] = (rank[i] as number) + popcount(weighed[i] as number);
    const rows = rank[weighed.length] as number;
    // Thousandths as stored; a model whose weights do not fit (none trained here) keeps floats.
    const thousandths = exact ? new Int16Array(rows * K) : undefined;
    const floats = exact ? undefined : new Float32Array(rows * K);
    const rowOf = (b: number) => {
      const word = weighed[b >>> 5] as number;
      return (rank[b >>> 5] as number) + popcount(word & ((1 << (b & 31)) - 1));
    };
    classes.forEach((c, k) => {
      const d = decoded[c] as Decoded;
      for (let e = 0; e < d.f.length; e++) {
        const f = d.f[e] as number;
        if (f >= BUCKETS) continue;
        const at = rowOf(f) * K + k;
        if (thousandths) thousandths[at] = d.q[e] as number;
        else (floats as Float32Array)[at] = d.w[e] as number;
      }
    });
    const z = new Float64Array(K);
    const thresholdOf = new Float64Array(K);
    // Per class the log-odds of its threshold (NaN: a threshold the fast path does not take).
    const logits = new Float64Array(K);
    classes.forEach((c, k) => {
      const thr = thresholds[c] as number;
      thresholdOf[k] = thr;
      logits[k] =
        thr >= FAST_THRESHOLD_MIN && thr <= 1 - FAST_THRESHOLD_MIN ? Math.log(thr / (1 - thr)) : Number.NaN;
    });
    /** Bits of the classes in `only` (all when 0) whose probability reaches the threshold. */
    const exactBits = (p: Float64Array, only: number) => {
      let bits = 0;
      for (let k = 0; k < K; k++)
        if ((only === 0 || (only & (1 << k)) !== 0) && (p[k] as number) >= (thresholdOf[k] as number))
          bits |= 1 << k;
      return bits;
    };
    // The non-zero thousandths of each weighed bucket's row, packed with their class
    // (q << shift | k), for `exceeds`: in two bytes each when they fit (61 kB for quality
    // inspection's seven situations, against 236 kB for all K of every row), else four;
    // undefined when the weights are not thousandths of an Int16 or the classes are too many
    // for the bits of an answer.
    let entries: Int16Array | undefined;
    let shift = 0;
    while (1 << shift < K) shift++;
    const classMask = (1 << shift) - 1;
    const rowStart = new Int32Array(rows + 1);
    if (thousandths && K <= 30) {
      const packed: number[] = [];
      // A weight too large for two bytes beside its class is split into parts of one sign that
      // fit (integer sums: the parts add up to it exactly), so the table stays at two bytes an
      // entry: quality inspection's eleven situations hold a few weights over 2,047 thousandths,
      // which made it four bytes for all 50,000 (200 kB instead of 100 kB).
      const limit = (32768 >> shift) - 1;
      for (let r = 0; r < rows; r++) {
        rowStart[r] = packed.length;
        for (let k = 0; k < K; k++) {
          let q = thousandths[r * K + k] as number;
          while (q !== 0) {
            const part = Math.max(-limit, Math.min(limit, q));
            packed.push(part * (1 << shift) + k);
            q -= part;
          }
        }
      }
      rowStart[rows] = packed.length;
      entries = Int16Array.from(packed);
    }
    // Where each bucket's entries are: `starts[b] … starts[b + 1]`, the rows in bucket order (a
    // bucket no focused class weighs has none). Two bytes a bucket when the entries fit (64 kB
    // for quality inspection's eleven situations), else four; a bucket's end is its neighbour's
    // start, on the same cache line nearly always. (Before: an Int32 of first entry × 256 + how
    // many, 128 kB, and a row of more than 255 entries scored every text the exact way.) The
    // n-gram pass reads a bucket here at random per n-gram, between the lexicon pass and the
    // rest of an inspection, which evict what they do not use: a table half the size stays
    // cached more, and the pass was mostly the waits for those reads.
    const rowsEnd = entries === undefined ? 0 : (rowStart[rows] as number);
    const size = entries === undefined ? 0 : BUCKETS + 1;
    const starts = rowsEnd <= 0xffff ? new Uint16Array(size) : new Int32Array(size);
    if (entries !== undefined) {
      for (let b = 0, r = 0, at = 0; b < BUCKETS; b++) {
        starts[b] = at;
        if (((weighed[b >>> 5] as number) & (1 << (b & 31))) !== 0) at = rowStart[++r] as number;
      }
      starts[BUCKETS] = rowsEnd;
    }
    const sums = new Float64Array(K);
    // The largest weight in size, in thousandths (0 when `entries` is not built).
    let largestQ = 0;
    if (entries)
      for (let e = 0; e < entries.length; e++)
        largestQ = Math.max(largestQ, Math.abs((entries[e] as number) >> shift));
    // `exceedsMasks`' n-gram pass: per bucket the stamp of the last text that had it (a byte,
    // 32 kB; a text takes the next stamp, and the table is cleared once in 255 texts), how
    // many distinct buckets, how many weights read. (A bit per bucket, 4 kB, had to be read,
    // written and listed for clearing after the text: ~10% more time in the n-gram pass.)
    const stamps = new Uint8Array(BUCKETS);
    let stamp = 0;
    let count = 0;
    let read = 0;
    const ent = entries ?? new Int16Array(0);
    const sh = shift;
    /** Bucket b of the text being scored: if it is new, counts it and adds its weights. */
    const weigh = (b: number) => {
      if (stamps[b] === stamp) return;
      stamps[b] = stamp;
      count++;
      let e = starts[b] as number;
      const end = starts[b + 1] as number;
      if (e === end) return;
      read += end - e;
      for (; e < end; e++) {
        const x = ent[e] as number;
        sums[x & classMask] = (sums[x & classMask] as number) + (x >> sh);
      }
    };
    const lexSum = new Float64Array(K);
    const lexAbs = new Float64Array(K);
    // Per kind (strong, cue, trap), the situations whose lexicon feature of that kind a focused
    // class weighs: `exceedsMasks` adds those hits alone (a zero weight adds nothing).
    const lexWeighed = [0, 0, 0];
    for (let i = 0; i < lexFeatures / 3; i++)
      for (let f = 0; f < 3; f++)
        for (let k = 0; k < K; k++)
          if (lex[(i * 3 + f) * K + k] !== 0) lexWeighed[f] = (lexWeighed[f] as number) | (1 << i);
    return {
      probabilitiesOfText(prepared, hits) {
        z.set(fbias);
        const { buckets, count } = ngramBuckets(prepared);
        const v = ngramValue(count);
        for (let j = 0; j < count; j++) {
          const b = buckets[j] as number;
          const word = weighed[b >>> 5] as number;
          const bit = 1 << (b & 31);
          if ((word & bit) === 0) continue;
          const row = ((rank[b >>> 5] as number) + popcount(word & (bit - 1))) * K;
          if (thousandths)
            for (let k = 0; k < K; k++)
              z[k] = (z[k] as number) + v * Math.fround((thousandths[row + k] as number) / WEIGHT_SCALE);
          else
            for (let k = 0; k < K; k++)
              z[k] = (z[k] as number) + v * ((floats as Float32Array)[row + k] as number);
        }
        for (let i = 0; i < hits.strong.length; i++) {
          const base = (lexiconFeature(i) - BUCKETS) * K;
          if (hits.strong[i]) for (let k = 0; k < K; k++) z[k] = (z[k] as number) + (lex[base + k] as number);
          if (hits.cue[i])
            for (let k = 0; k < K; k++) z[k] = (z[k] as number) + (lex[base + K + k] as number);
          if (hits.trap[i])
            for (let k = 0; k < K; k++) z[k] = (z[k] as number) + (lex[base + 2 * K + k] as number);
        }
        for (let k = 0; k < K; k++) z[k] = 1 / (1 + Math.exp(-(z[k] as number)));
        return z;
      },
      exceeds(prepared, hits) {
        let strong = 0;
        let cue = 0;
        let trap = 0;
        for (let i = 0; i < hits.strong.length; i++) {
          if (hits.strong[i]) strong |= 1 << i;
          if (hits.cue[i]) cue |= 1 << i;
          if (hits.trap[i]) trap |= 1 << i;
        }
        return this.exceedsMasks(prepared, strong, cue, trap);
      },
      exceedsMasks(prepared, strong, cue, trap) {
        const ent = entries;
        if (ent === undefined)
          return exactBits(this.probabilitiesOfText(prepared, hitsOfMasks(strong, cue, trap)), 0);
        // Integer sums of the thousandths (exact, in any order) over the non-zero weights of
        // each weighed bucket alone: no division, no float per weight, ~2 weights a bucket
        // instead of K. The n-grams are hashed here, in one pass that carries the hashes of
        // the uni- and bigram ending at the character before (a trigram's hash is its bigram's
        // one step on), in a different order from `ngramBuckets` (integer sums do not mind)
        // and with no bucket list; each distinct bucket is weighed as soon as it is seen.
        for (let k = 0; k < K; k++) sums[k] = 0;
        const len = prepared.length;
        if (++stamp === 256) {
          stamps.fill(0);
          stamp = 1;
        }
        count = 0;
        read = 0;
        // The start mark: its unigram only (its bigram is made with the first character).
        // The hash constants are written out (FNV_OFFSET, FNV_PRIME, BOUNDARY_END and
        // BUCKET_MASK of features.ts; the module checks they agree): an imported binding is
        // loaded from its module's cell at every use, FNV_OFFSET as a boxed double, where a
        // literal is folded into the instruction (642,000 instructions per inspected call in
        // the detector's replay, from 663,000).
        let h1 = START_HASH;
        let h2 = 0;
        weigh(START_BUCKET);
        for (let i = 0; i <= len; i++) {
          const code = i < len ? prepared.charCodeAt(i) : 0x03;
          const u = Math.imul(0x811c9dc5 ^ code, 0x01000193);
          const b = Math.imul(h1 ^ code, 0x01000193);
          weigh(Math.imul(u ^ 1, 0x01000193) & 0x7fff);
          weigh(Math.imul(b ^ 2, 0x01000193) & 0x7fff);
          if (i > 0) weigh(Math.imul(Math.imul(h2 ^ code, 0x01000193) ^ 3, 0x01000193) & 0x7fff);
          h1 = u;
          h2 = b;
        }
        // Every weight read is at most the largest in size: a bound on the sum of their sizes
        // for the error bound below, with no work per weight.
        const abs = read * largestQ;
        const v = ngramValue(count);
        for (let k = 0; k < K; k++) {
          lexSum[k] = 0;
          lexAbs[k] = 0;
        }
        // Every lexicon hit is a term of the sum (a zero weight too), as before.
        const terms = count + 1 + popcount(strong) + popcount(cue) + popcount(trap);
        // Only the hits with a weight for a focused class, in the order of the feature list.
        let lexHits =
          (strong & (lexWeighed[0] as number)) |
          (cue & (lexWeighed[1] as number)) |
          (trap & (lexWeighed[2] as number));
        while (lexHits !== 0) {
          const i = 31 - Math.clz32(lexHits & -lexHits);
          lexHits &= lexHits - 1;
          const base = i * 3 * K;
          for (let f = 0; f < 3; f++) {
            const on = f === 0 ? strong : f === 1 ? cue : trap;
            if ((on & (1 << i)) === 0) continue;
            for (let k = 0; k < K; k++) {
              const w = lex[base + f * K + k] as number;
              lexSum[k] = (lexSum[k] as number) + w;
              lexAbs[k] = (lexAbs[k] as number) + Math.abs(w);
            }
          }
        }
        // probabilitiesOfText sums v × float32(q / 1000) in the text's order: each weight
        // differs from q / 1000 by at most 2^-23 of it, and each of the `terms` float64
        // additions and products rounds by 2^-53 of the magnitudes summed. Beyond that bound
        // (doubled) and a margin, its probability is on the same side of the threshold as
        // this sum's; the rare text within it is scored as probabilitiesOfText scores it.
        const ngramAbs = (v * abs) / WEIGHT_SCALE;
        const rel = 2 ** -22 + (terms + 16) * 2 ** -51;
        let bits = 0;
        let unsure = 0;
        for (let k = 0; k < K; k++) {
          const t = logits[k] as number;
          const zk = (fbias[k] as number) + (v * (sums[k] as number)) / WEIGHT_SCALE + (lexSum[k] as number);
          const err = (ngramAbs + Math.abs(fbias[k] as number) + (lexAbs[k] as number) + 1) * rel;
          if (Number.isNaN(t)) unsure |= 1 << k;
          else if (zk - err >= t + LOGIT_MARGIN) bits |= 1 << k;
          else if (zk + err > t - LOGIT_MARGIN) unsure |= 1 << k;
        }
        if (unsure !== 0)
          bits |= exactBits(this.probabilitiesOfText(prepared, hitsOfMasks(strong, cue, trap)), unsure);
        return bits;
      },
    };
  };

  return {
    thresholds,
    strongDecides,
    focus,
    probabilities(x) {
      const z = Float64Array.from(bias);
      for (let k = 0; k < x.index.length; k++) {
        const v = x.value[k] as number;
        if (v !== 0) add(z, x.index[k] as number, v);
      }
      return sigmoid(z);
    },
    probabilitiesOfText(prepared, hits) {
      const z = scratch;
      z.set(bias);
      const { buckets, count } = ngramBuckets(prepared);
      const v = ngramValue(count);
      for (let k = 0; k < count; k++) add(z, buckets[k] as number, v);
      for (let i = 0; i < hits.strong.length; i++) {
        const base = lexiconFeature(i);
        if (hits.strong[i]) add(z, base, 1);
        if (hits.cue[i]) add(z, base + 1, 1);
        if (hits.trap[i]) add(z, base + 2, 1);
      }
      return sigmoid(z);
    },
  };
}

/** Dense weights per situation (as training produces them) → the stored form, near-zero weights pruned. */
export function storeModel(
  weights: Float64Array[],
  bias: number[],
  thresholds: number[],
  strongDecides: boolean[],
): StoredModel {
  return {
    format: MODEL_FORMAT,
    featureCount: FEATURE_COUNT,
    classes: DETECTED_SITUATION_IDS.map((id, c) => {
      const w = weights[c] as Float64Array;
      const index: number[] = [];
      const weight: number[] = [];
      let prev = 0;
      for (let f = 0; f < w.length; f++) {
        const q = Math.round((w[f] as number) * WEIGHT_SCALE);
        if (q === 0) continue;
        index.push(f - prev);
        weight.push(q);
        prev = f;
      }
      return {
        id,
        bias: Math.round((bias[c] as number) * WEIGHT_SCALE) / WEIGHT_SCALE,
        threshold: thresholds[c] as number,
        strongDecides: strongDecides[c] as boolean,
        index,
        weight,
      };
    }),
  };
}

/** The detector's rule for one situation: a trap with no clean hit vetoes; a trusted strong hit decides. */
export function decide(
  strong: boolean,
  trap: boolean,
  strongDecides: boolean,
  probability: number,
  threshold: number,
): boolean {
  if (trap && !strong) return false;
  if (strong && strongDecides) return true;
  return probability >= threshold;
}
