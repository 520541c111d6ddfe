// Training of model.json, kept pure and seeded so that the same examples always give the same
// file (scripts/train-situations.ts reads the data and writes the file; the test suite trains
// a tiny model twice and compares). One-vs-rest logistic regression fitted with FTRL-proximal
// (its L1 term leaves most hashed buckets at exactly zero, which keeps the file small), then
// per situation: whether its strong lexicon phrases may decide alone (their precision on the
// training examples) and the probability threshold (best F1 on out-of-fold predictions of the
// training examples, so the threshold is never tuned on the examples it is judged on).
import {
  FEATURE_COUNT,
  type Features,
  featurize,
  type LexiconHits,
  lexiconHits,
  prepareText,
} from './features.ts';
import { DETECTED_SITUATION_IDS, type DetectedSituation } from './ids.ts';
import { decide, type StoredModel, storeModel } from './model.ts';

export interface TrainingExample {
  text: string;
  situations: readonly DetectedSituation[];
  /**
   * Where the example comes from (e.g. "seed", "corpus"). Thresholds maximise the mean F1 over
   * the sources that have examples of the situation, so that plentiful real text does not
   * drown the lines written from the standards, nor the other way round.
   */
  source?: string;
  /**
   * Examples of one group (e.g. the turns of one dialogue) always fall in the same fold, so
   * out-of-fold predictions never see a sibling turn of the text they judge.
   */
  group?: string;
  /**
   * Another labeller's situations for the same text (the corpus's second labelling): with
   * `second` set, the model trains on both (soft: the mean of the two labels; union: either).
   * Thresholds and strong-phrase trust are still judged on `situations` alone.
   */
  second?: readonly DetectedSituation[];
}

export interface TrainOptions {
  seed: number;
  epochs: number;
  /** Folds for the out-of-fold predictions the thresholds are tuned on. */
  folds: number;
  alpha: number;
  beta: number;
  l1: number;
  l2: number;
  /** Gradient weight of a positive example (situations are rare: most turns show none). */
  positiveWeight: number;
  /** Strong phrases decide alone when at least this share of their hits is right. */
  strongPrecision: number;
  /** Thresholds maximise F-beta: below 1 favours precision, above 1 recall. */
  fBeta: number;
  /** Per situation F-beta, overriding `fBeta` (e.g. recall-weighted for the judgement calls). */
  fBetaBy?: Partial<Record<DetectedSituation, number>>;
  /** How examples' `second` labels train: not at all, the mean of both labels, or their union. */
  second: 'none' | 'soft' | 'union';
  /**
   * NB scaling (NBSVM): each feature's value times its log-count ratio between a situation's
   * positive and negative training examples, smoothed by this count (0: off). The stored
   * weight is the learnt one times that ratio, so scoring is unchanged.
   */
  nb: number;
  /** The sources whose F-beta the thresholds maximise (all when absent). */
  thresholdSources?: readonly string[];
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  seed: 9,
  epochs: 12,
  folds: 4,
  alpha: 0.3,
  beta: 1,
  l1: 1,
  l2: 0.5,
  strongPrecision: 0.8,
  positiveWeight: 1,
  fBeta: 1,
  second: 'none',
  nb: 0,
};

/** mulberry32: small seeded generator, so shuffles are the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(n: number, next: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

interface Prepared {
  hits: LexiconHits;
  features: Features;
  labels: boolean[];
  /** What the model is fitted to, per situation (the labels, or with `second` both labellings). */
  targets: number[];
  source: string;
  group: string | undefined;
}

function prepare(examples: readonly TrainingExample[], o: TrainOptions): Prepared[] {
  return examples.map((e) => {
    const hits = lexiconHits(prepareText(e.text));
    const set = new Set(e.situations);
    const labels = DETECTED_SITUATION_IDS.map((id) => set.has(id));
    const other = e.second && o.second !== 'none' ? new Set(e.second) : undefined;
    const targets = DETECTED_SITUATION_IDS.map((id, c) => {
      const a = labels[c] ? 1 : 0;
      if (!other) return a;
      const b = other.has(id) ? 1 : 0;
      return o.second === 'soft' ? (a + b) / 2 : Math.max(a, b);
    });
    return {
      hits,
      features: featurize(prepareText(e.text), hits),
      labels,
      targets,
      source: e.source ?? '',
      group: e.group,
    };
  });
}

interface Fitted {
  weights: Float64Array[];
  bias: number[];
}

/**
 * Per situation, each feature's NB log-count ratio r = log((p_f/|p|)/(q_f/|q|)) over the rows,
 * p_f (q_f) the smoothed count of positive (negative) rows showing feature f; undefined when off.
 */
function nbScales(
  data: readonly Prepared[],
  rows: readonly number[],
  o: TrainOptions,
): Float64Array[] | undefined {
  if (o.nb <= 0) return undefined;
  return DETECTED_SITUATION_IDS.map((_, c) => {
    const p = new Float64Array(FEATURE_COUNT).fill(o.nb);
    const q = new Float64Array(FEATURE_COUNT).fill(o.nb);
    for (const r of rows) {
      const ex = data[r] as Prepared;
      const t = ex.targets[c] as number;
      const { index, value } = ex.features;
      for (let k = 0; k < index.length; k++) {
        if (value[k] === 0) continue;
        const i = index[k] as number;
        p[i] = (p[i] as number) + t;
        q[i] = (q[i] as number) + 1 - t;
      }
    }
    let sp = 0;
    let sq = 0;
    for (let i = 0; i < FEATURE_COUNT; i++) {
      sp += p[i] as number;
      sq += q[i] as number;
    }
    const scale = new Float64Array(FEATURE_COUNT);
    for (let i = 0; i < FEATURE_COUNT; i++)
      scale[i] = Math.log((p[i] as number) / sp / ((q[i] as number) / sq));
    return scale;
  });
}

/** FTRL-proximal, all situations at once; the bias is the extra coordinate FEATURE_COUNT (no L1). */
function fitFtrl(data: readonly Prepared[], rows: readonly number[], o: TrainOptions): Fitted {
  const C = DETECTED_SITUATION_IDS.length;
  const D = FEATURE_COUNT + 1;
  const next = random(o.seed);
  // One shuffle per epoch, shared by every situation (each is fitted on its own).
  const orders = Array.from({ length: o.epochs }, () => shuffled(rows.length, next));
  let longest = 0;
  for (const r of rows) longest = Math.max(longest, (data[r] as Prepared).features.index.length);
  const wi = new Float64Array(longest + 1);
  const weights: Float64Array[] = [];
  const bias: number[] = [];
  const scales = nbScales(data, rows, o);
  for (let c = 0; c < C; c++) {
    const scale = scales?.[c];
    const z = new Float64Array(D);
    const n = new Float64Array(D);
    const weightOf = (i: number): number => {
      const zi = z[i] as number;
      const l1 = i === FEATURE_COUNT ? 0 : o.l1;
      if (Math.abs(zi) <= l1) return 0;
      return -(zi - Math.sign(zi) * l1) / ((o.beta + Math.sqrt(n[i] as number)) / o.alpha + o.l2);
    };
    const update = (i: number, gi: number, wv: number): void => {
      const ni = n[i] as number;
      const sigma = (Math.sqrt(ni + gi * gi) - Math.sqrt(ni)) / o.alpha;
      z[i] = (z[i] as number) + gi - sigma * wv;
      n[i] = ni + gi * gi;
    };
    for (const order of orders) {
      for (const r of order) {
        const ex = data[rows[r] as number] as Prepared;
        const { index, value } = ex.features;
        const len = index.length;
        let s = 0;
        for (let k = 0; k < len; k++) {
          let v = value[k] as number;
          if (v === 0) continue;
          if (scale) v *= scale[index[k] as number] as number;
          const w = weightOf(index[k] as number);
          wi[k] = w;
          s += w * v;
        }
        const wb = weightOf(FEATURE_COUNT);
        s += wb;
        // Gradient of the log loss for a target y in [0, 1], positives weighted.
        const y = ex.targets[c] as number;
        const pr = 1 / (1 + Math.exp(-s));
        const g = y * o.positiveWeight * (pr - 1) + (1 - y) * pr;
        for (let k = 0; k < len; k++) {
          let v = value[k] as number;
          if (v === 0) continue;
          if (scale) v *= scale[index[k] as number] as number;
          update(index[k] as number, g * v, wi[k] as number);
        }
        update(FEATURE_COUNT, g, wb);
      }
    }
    const wc = new Float64Array(FEATURE_COUNT);
    for (let i = 0; i < FEATURE_COUNT; i++) wc[i] = weightOf(i) * (scale ? (scale[i] as number) : 1);
    weights.push(wc);
    bias.push(weightOf(FEATURE_COUNT));
  }
  return { weights, bias };
}

function probabilities(f: Fitted, x: Features): number[] {
  return f.bias.map((b, c) => {
    const wc = f.weights[c] as Float64Array;
    let s = b;
    for (let k = 0; k < x.index.length; k++)
      s += (x.value[k] as number) * (wc[x.index[k] as number] as number);
    return 1 / (1 + Math.exp(-s));
  });
}

/**
 * Fold of each example: examples without a group are dealt round-robin in a seeded shuffle;
 * a group's examples all go to the fold its first example is dealt to.
 */
function assignFolds(data: readonly Prepared[], folds: number, seed: number): Int32Array {
  const order = shuffled(data.length, random(seed));
  const foldOf = new Int32Array(data.length);
  const groupFold = new Map<string, number>();
  let k = 0;
  for (const row of order) {
    const g = (data[row] as Prepared).group;
    const known = g === undefined ? undefined : groupFold.get(g);
    if (known !== undefined) {
      foldOf[row] = known;
      continue;
    }
    foldOf[row] = k % folds;
    if (g !== undefined) groupFold.set(g, k % folds);
    k++;
  }
  return foldOf;
}

const THRESHOLDS = Array.from({ length: 19 }, (_, i) => Math.round((0.05 + i * 0.05) * 100) / 100);

export function trainModel(
  examples: readonly TrainingExample[],
  options: Partial<TrainOptions> = {},
): StoredModel {
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const data = prepare(examples, o);
  const strongDecides = DETECTED_SITUATION_IDS.map((_, c) => {
    let hit = 0;
    let right = 0;
    for (const d of data) {
      if (!d.hits.strong[c]) continue;
      hit++;
      if (d.labels[c]) right++;
    }
    return hit === 0 || right / hit >= o.strongPrecision;
  });

  // Out-of-fold probabilities of every training example.
  const oof: number[][] = new Array(data.length);
  const foldOf = assignFolds(data, o.folds, o.seed + 1);
  for (let fold = 0; fold < o.folds; fold++) {
    const trainRows: number[] = [];
    for (let i = 0; i < data.length; i++) if (foldOf[i] !== fold) trainRows.push(i);
    const fitted = fitFtrl(data, trainRows, o);
    for (let i = 0; i < data.length; i++) {
      if (foldOf[i] === fold) oof[i] = probabilities(fitted, (data[i] as Prepared).features);
    }
  }

  const sources = [...new Set(data.map((d) => d.source))].filter(
    (s) => o.thresholdSources === undefined || o.thresholdSources.includes(s),
  );
  const thresholds = DETECTED_SITUATION_IDS.map((_, c) => {
    let best = 0.5;
    let bestF = -1;
    for (const t of THRESHOLDS) {
      const counts = new Map(sources.map((s) => [s, { tp: 0, fp: 0, fn: 0 }]));
      data.forEach((d, i) => {
        const yes = decide(
          d.hits.strong[c] as boolean,
          d.hits.trap[c] as boolean,
          strongDecides[c] as boolean,
          (oof[i] as number[])[c] as number,
          t,
        );
        const k = counts.get(d.source);
        if (k === undefined) return;
        if (yes && d.labels[c]) k.tp++;
        else if (yes) k.fp++;
        else if (d.labels[c]) k.fn++;
      });
      const scored = [...counts.values()].filter((k) => k.tp + k.fn > 0);
      if (scored.length === 0) return 0.5;
      const beta = o.fBetaBy?.[DETECTED_SITUATION_IDS[c] as DetectedSituation] ?? o.fBeta;
      const b2 = beta * beta;
      const f =
        scored.reduce((sum, k) => sum + ((1 + b2) * k.tp) / ((1 + b2) * k.tp + k.fp + b2 * k.fn), 0) /
        scored.length;
      // >= : on a tie the higher threshold wins (fewer alerts on text nobody labelled).
      if (f >= bestF) {
        bestF = f;
        best = t;
      }
    }
    return best;
  });

  const all = Array.from({ length: data.length }, (_, i) => i);
  const final = fitFtrl(data, all, o);
  return storeModel(final.weights, final.bias, thresholds, strongDecides);
}
