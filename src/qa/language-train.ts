// Training of language-model.json (the forbidden-language classifier), kept pure and seeded so
// the same lines always give the same file (scripts/train-language.ts reads the lines and writes
// it; a test trains a small model twice and compares). Per rule: logistic regression by
// stochastic gradient descent over the hashed character 1–3-grams, then the threshold: the lowest
// of 0.30, 0.35 … 0.95 whose out-of-fold precision (5 folds) is at least `precision`, so the
// threshold is never judged on the lines it was fitted on.
import { seededRandom as random } from '../shared/random.ts';
import { BUCKETS, ngramBuckets, prepareText } from '../situations/features.ts';
import {
  CLASSIFIED_RULES,
  type ClassifiedRule,
  featureValue,
  LANGUAGE_MODEL_FORMAT,
  type StoredLanguageModel,
} from './language-classifier.ts';

export interface LanguageExample {
  text: string;
  /** The classified rules the line breaks (none: a harmless line). */
  fails: readonly ClassifiedRule[];
}

export interface LanguageTrainOptions {
  seed: number;
  epochs: number;
  /** Learning rate of the first epoch; epoch e uses rate / (1 + decay × e). */
  rate: number;
  decay: number;
  l2: number;
  /** Gradient weight of a faulty line. */
  positiveWeight: number;
  folds: number;
  /** Out-of-fold precision the threshold must reach. */
  precision: number;
  minLength: number;
  scale: number;
  /** Weights whose magnitude times `scale` rounds below this are dropped (0.1 by default: a third of the file, no line changes on the check parts). */
  prune: number;
}

export const DEFAULT_LANGUAGE_TRAIN_OPTIONS: LanguageTrainOptions = {
  seed: 7,
  epochs: 30,
  rate: 0.5,
  decay: 0.2,
  l2: 1e-5,
  positiveWeight: 2,
  folds: 5,
  precision: 0.9,
  minLength: 6,
  scale: 1000,
  prune: 100,
};

interface Row {
  buckets: Int32Array;
  value: number;
}

function featurize(text: string): Row {
  const { buckets, count } = ngramBuckets(prepareText(text).trim());
  return { buckets: buckets.slice(0, count), value: featureValue(count) };
}

function fitWeights(
  rows: readonly Row[],
  ys: readonly number[],
  o: LanguageTrainOptions,
): { w: Float64Array; bias: number } {
  const w = new Float64Array(BUCKETS);
  let bias = -2;
  const order = rows.map((_, i) => i);
  const rnd = random(o.seed);
  for (let e = 0; e < o.epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const rate = o.rate / (1 + e * o.decay);
    for (const i of order) {
      const { buckets, value } = rows[i] as Row;
      let z = bias;
      for (const b of buckets) z += (w[b] as number) * value;
      const y = ys[i] as number;
      const g = (1 / (1 + Math.exp(-z)) - y) * (y === 1 ? o.positiveWeight : 1);
      for (const b of buckets) w[b] = (w[b] as number) - rate * (g * value + o.l2 * (w[b] as number));
      bias -= rate * g;
    }
  }
  // Small weights are left out of the file; the out-of-fold fits leave them out too, so the
  // threshold is chosen for the model as stored.
  for (let b = 0; b < w.length; b++) if (Math.abs(Math.round((w[b] as number) * o.scale)) < o.prune) w[b] = 0;
  return { w, bias };
}

function probability(m: { w: Float64Array; bias: number }, row: Row): number {
  let z = m.bias;
  for (const b of row.buckets) z += (m.w[b] as number) * row.value;
  return 1 / (1 + Math.exp(-z));
}

/** The lowest threshold of the grid whose precision on `scores` is at least `precision`. */
export function chooseThreshold(scores: readonly number[], ys: readonly number[], precision: number): number {
  let best = 0.95;
  for (let k = 95; k >= 30; k -= 5) {
    const t = k / 100;
    let tp = 0;
    let fp = 0;
    scores.forEach((s, i) => {
      if (s < t) return;
      if (ys[i] === 1) tp++;
      else fp++;
    });
    if (tp + fp > 0 && tp / (tp + fp) >= precision) best = t;
  }
  return best;
}

/** One label's stored weights: bias and non-zero weights times `scale`, and its threshold. */
export interface TrainedLabel {
  bias: number;
  threshold: number;
  index: number[];
  weight: number[];
}

/**
 * One label (ys: 1 present, 0 absent) over the texts' rows: out-of-fold probabilities choose the
 * threshold (`foldOf` gives each text's fold), then a fit on every text gives the weights.
 */
function trainLabel(
  rows: readonly Row[],
  ys: readonly number[],
  foldOf: readonly number[],
  o: LanguageTrainOptions,
): TrainedLabel {
  const oof = new Array<number>(rows.length).fill(0);
  for (let f = 0; f < o.folds; f++) {
    const inFold = (i: number) => foldOf[i] === f;
    const m = fitWeights(
      rows.filter((_, i) => !inFold(i)),
      ys.filter((_, i) => !inFold(i)),
      o,
    );
    rows.forEach((row, i) => {
      if (inFold(i)) oof[i] = probability(m, row);
    });
  }
  const threshold = chooseThreshold(oof, ys, o.precision);
  const m = fitWeights(rows, ys, o);
  const index: number[] = [];
  const weight: number[] = [];
  m.w.forEach((x, b) => {
    const q = Math.round(x * o.scale);
    if (Math.abs(q) >= o.prune) {
      index.push(b);
      weight.push(q);
    }
  });
  return { bias: Math.round(m.bias * o.scale), threshold, index, weight };
}

/** A fold per text, by position in a seeded order. */
function folds(n: number, o: LanguageTrainOptions): number[] {
  const rnd = random(o.seed + 1);
  return Array.from({ length: n }, () => Math.floor(rnd() * o.folds));
}

/**
 * One binary classifier over whole texts, trained as each language rule is (the grievance
 * classifier, grievance-classifier.ts): `ys[i]` 1 when text i shows what is classified.
 */
export function trainBinaryClassifier(
  texts: readonly string[],
  ys: readonly number[],
  options: Partial<LanguageTrainOptions> = {},
): TrainedLabel {
  const o = { ...DEFAULT_LANGUAGE_TRAIN_OPTIONS, ...options };
  if (texts.length < o.folds) throw new Error(`${texts.length} texts: at least ${o.folds} needed`);
  if (texts.length !== ys.length) throw new Error(`${texts.length} texts but ${ys.length} labels`);
  return trainLabel(texts.map(featurize), ys, folds(texts.length, o), o);
}

export function trainLanguageModel(
  examples: readonly LanguageExample[],
  options: Partial<LanguageTrainOptions> = {},
): StoredLanguageModel {
  const o = { ...DEFAULT_LANGUAGE_TRAIN_OPTIONS, ...options };
  if (examples.length < o.folds) throw new Error(`${examples.length} lines: at least ${o.folds} needed`);
  const rows = examples.map((e) => featurize(e.text));
  // A fold by position in a seeded order: every rule's folds are the same lines.
  const foldOf = folds(examples.length, o);
  const trainedOn: Record<string, number> = { lines: examples.length };
  const rules = CLASSIFIED_RULES.map((rule) => {
    const ys = examples.map((e) => (e.fails.includes(rule) ? 1 : 0));
    trainedOn[rule] = ys.reduce((n: number, y) => n + y, 0);
    return { rule, ...trainLabel(rows, ys, foldOf, o) };
  });
  return {
    format: LANGUAGE_MODEL_FORMAT,
    buckets: BUCKETS,
    minLength: o.minLength,
    scale: o.scale,
    rules,
    trainedOn,
  };
}
