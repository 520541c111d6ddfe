// Training of model.json, kept pure and seeded so that the same examples always give the same
// file (scripts/train-situations.ts reads the data and writes the file; the test suite trains
// a tiny model twice and compares). One-vs-rest logistic regression fitted with FTRL-proximal
// (its L1 term leaves most hashed buckets at exactly zero, which keeps the file small), then
// per situation: whether its strong lexicon phrases may decide alone (their precision on the
// training examples) and the probability threshold (best F1 on out-of-fold predictions of the
// training examples, so the threshold is never tuned on the examples it is judged on).

import { seededRandom as random } from '../shared/random.ts';
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
  /**
   * The situations this example speaks for (all when absent): a line labelled only for some, as
   * a whole call's outcome labels its caller's turns for complaint alone, trains, sets thresholds
   * and judges strong phrases for those and is left out of the others.
   */
  only?: readonly DetectedSituation[];
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
  /**
   * How thresholds are chosen on the out-of-fold predictions: per situation its own F-beta
   * (`class`), or all together for the mean over sources of the micro F-beta over every
   * situation (`micro`: coordinate ascent from the `class` choice, `fBeta` only). A rare, poorly separated
   * situation then stops buying its own F1 with false alarms the micro average pays for.
   */
  thresholdRule: 'class' | 'micro';
  /** With `micro`, the sources scored by their micro average; the others by their situations' mean F-beta. */
  microSources?: readonly string[];
  /**
   * Thresholds: per situation the one of best mean recall (the lowest on a tie) whose precision
   * reaches this on every source; the F-beta choice where none does (0: off).
   */
  minPrecision: number;
  /** Gradient weight of each source's examples (1 when absent). */
  sourceWeight?: Readonly<Record<string, number>>;
  /**
   * Only these situations are fitted and given thresholds (all when absent); the others come
   * back with no weights and threshold 0.5, to be taken from a shipped model (`withClassesOf`).
   * Each situation is fitted on its own, so its result is the same with or without the others,
   * in a twentieth of the time.
   */
  classes?: readonly DetectedSituation[];
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
  thresholdRule: 'class',
  minPrecision: 0,
};

function shuffled(n: number, next: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/** The options, with per situation whether it is fitted (`TrainOptions.classes`). */
interface Options extends TrainOptions {
  fits: readonly boolean[];
}

interface Prepared {
  hits: LexiconHits;
  features: Features;
  labels: boolean[];
  /** Per situation, whether the example speaks for it (`TrainingExample.only`). */
  speaks: boolean[];
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
    const only = e.only === undefined ? undefined : new Set(e.only);
    const speaks = DETECTED_SITUATION_IDS.map((id) => only === undefined || only.has(id));
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
      speaks,
      targets,
      source: e.source ?? '',
      group: e.group,
    };
  });
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
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
      if (!ex.speaks[c]) continue;
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
function fitFtrl(data: readonly Prepared[], rows: readonly number[], o: Options): Fitted {
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
  const sw = o.sourceWeight;
  for (let c = 0; c < C; c++) {
    if (!o.fits[c]) {
      weights.push(new Float64Array(FEATURE_COUNT));
      bias.push(0);
      continue;
    }
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
        if (!ex.speaks[c]) continue;
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
        const g = (y * o.positiveWeight * (pr - 1) + (1 - y) * pr) * (sw?.[ex.source] ?? 1);
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
  const unknown = options.classes?.filter((id) => !DETECTED_SITUATION_IDS.includes(id)) ?? [];
  if (unknown.length > 0)
    throw new RangeError(
      `classes: no situation ${unknown.map((id) => `"${id}"`).join(', ')}; the situations are ${DETECTED_SITUATION_IDS.join(', ')}`,
    );
  if (options.classes !== undefined && options.thresholdRule === 'micro')
    throw new RangeError(
      'classes cannot be used with thresholdRule "micro": it chooses every situation\'s threshold together',
    );
  const o: Options = {
    ...DEFAULT_TRAIN_OPTIONS,
    ...options,
    fits: DETECTED_SITUATION_IDS.map((id) => options.classes?.includes(id) ?? true),
  };
  const data = prepare(examples, o);
  const strongDecides = DETECTED_SITUATION_IDS.map((_, c) => {
    let hit = 0;
    let right = 0;
    for (const d of data) {
      if (!d.hits.strong[c] || !d.speaks[c]) continue;
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
  // counts[c][t]: per source, the decisions of situation c at threshold THRESHOLDS[t].
  const counts = DETECTED_SITUATION_IDS.map((_, c) =>
    THRESHOLDS.map((t) => {
      const k = new Map(sources.map((s) => [s, { tp: 0, fp: 0, fn: 0 }]));
      data.forEach((d, i) => {
        if (!d.speaks[c]) return;
        const yes = decide(
          d.hits.strong[c] as boolean,
          d.hits.trap[c] as boolean,
          strongDecides[c] as boolean,
          (oof[i] as number[])[c] as number,
          t,
        );
        const n = k.get(d.source);
        if (n === undefined) return;
        if (yes && d.labels[c]) n.tp++;
        else if (yes) n.fp++;
        else if (d.labels[c]) n.fn++;
      });
      return k;
    }),
  );
  const at = (c: number, t: number) => (counts[c] as Map<string, Counts>[])[t] as Map<string, Counts>;
  const fOf = (k: Counts, b2: number) => ((1 + b2) * k.tp) / ((1 + b2) * k.tp + k.fp + b2 * k.fn);
  const chosen = DETECTED_SITUATION_IDS.map((_, c) => {
    if (!o.fits[c]) return -1;
    const beta = o.fBetaBy?.[DETECTED_SITUATION_IDS[c] as DetectedSituation] ?? o.fBeta;
    const b2 = beta * beta;
    const fs = THRESHOLDS.map((_, t) => {
      const scored = [...at(c, t).values()].filter((k) => k.tp + k.fn > 0);
      if (scored.length === 0) return undefined;
      return scored.reduce((sum, k) => sum + fOf(k, b2), 0) / scored.length;
    });
    let best = -1;
    let bestF = -1;
    fs.forEach((f, t) => {
      if (f === undefined) return;
      // >= : on a tie the higher threshold wins (fewer alerts on text nobody labelled).
      if (f >= bestF) {
        bestF = f;
        best = t;
      }
    });
    return best;
  });
  if (o.minPrecision > 0) {
    // Per situation, the threshold of best mean recall among those precise enough on every source.
    DETECTED_SITUATION_IDS.forEach((_, c) => {
      let best = -1;
      let bestR = -1;
      THRESHOLDS.forEach((_, t) => {
        const ks = [...at(c, t).values()];
        if (ks.some((k) => k.tp + k.fp > 0 && k.tp / (k.tp + k.fp) < o.minPrecision)) return;
        const scored = ks.filter((k) => k.tp + k.fn > 0);
        if (scored.length === 0) return;
        const r = scored.reduce((sum, k) => sum + k.tp / (k.tp + k.fn), 0) / scored.length;
        if (r > bestR) {
          bestR = r;
          best = t;
        }
      });
      if (best >= 0 && chosen[c] !== -1) chosen[c] = best;
    });
  }
  if (o.thresholdRule === 'micro') {
    const b2 = o.fBeta * o.fBeta;
    const pick = chosen.map((t) => (t < 0 ? THRESHOLDS.indexOf(0.5) : t));
    const objective = () => {
      let sum = 0;
      let scored = 0;
      for (const s of sources) {
        if (o.microSources !== undefined && !o.microSources.includes(s)) {
          // A source not scored by its micro average: the mean of its situations' own F-beta.
          let macro = 0;
          let classes = 0;
          pick.forEach((t, c) => {
            const n = at(c, t).get(s) as Counts;
            if (n.tp + n.fn === 0) return;
            macro += fOf(n, b2);
            classes++;
          });
          if (classes === 0) continue;
          sum += macro / classes;
          scored++;
          continue;
        }
        const k = { tp: 0, fp: 0, fn: 0 };
        pick.forEach((t, c) => {
          const n = at(c, t).get(s) as Counts;
          k.tp += n.tp;
          k.fp += n.fp;
          k.fn += n.fn;
        });
        if (k.tp + k.fn === 0) continue;
        sum += fOf(k, b2);
        scored++;
      }
      return scored === 0 ? 0 : sum / scored;
    };
    let current = objective();
    for (let pass = 0; pass < 5; pass++) {
      let moved = false;
      for (let c = 0; c < pick.length; c++) {
        let bestT = pick[c] as number;
        for (let t = 0; t < THRESHOLDS.length; t++) {
          pick[c] = t;
          const f = objective();
          if (f > current + 1e-12) {
            current = f;
            bestT = t;
            moved = true;
          }
        }
        pick[c] = bestT;
      }
      if (!moved) break;
    }
    pick.forEach((t, c) => {
      chosen[c] = t;
    });
  }
  const thresholds = chosen.map((t) => (t < 0 ? 0.5 : (THRESHOLDS[t] as number)));

  const all = Array.from({ length: data.length }, (_, i) => i);
  const final = fitFtrl(data, all, o);
  return storeModel(final.weights, final.bias, thresholds, strongDecides);
}
