// The grievance classifier: one small hashed character 1–3-gram logistic regression that reads a
// caller's whole turn and says whether it voices dissatisfaction with us (a complaint said without
// 投诉: a fault back after the repair, money taken twice, a visit nobody came to, being passed
// between desks, a rude fitter…). The situation detector serves live assist and the help-desk
// threads it was trained on; on phone calls written by a writer it had never read it heard about
// a quarter of such complaints (training/qa-dev/calls/README.md, session 28), and the complaint
// words of the scorecard hold only the families written so far. This model is trained on the
// customer turns of the whole-call development sets and written caller lines
// (`npm run train:grievance`), its threshold the lowest with out-of-fold precision 0.95; a
// scorecard's `situation` condition asks it with `grievance: [channels]` (the first turn an
// inbound caller says something in counts as a complaint when it reads it; the rule's own guards
// still apply). Not in the default scorecard: it cost held-out precision (top-level README,
// "Session 28"). The stored file holds numbers only.
// Pure: no I/O; the model ships with the code.
import { BUCKETS, lowerCase, ngramBuckets, prepareText } from '../situations/features.ts';
import { normalizeText } from '../text/normalize.ts';
import stored from './grievance-model.json' with { type: 'json' };
import { featureValue, readStoredWeights } from './language-classifier.ts';

export const GRIEVANCE_MODEL_FORMAT = 'huashu-grievance/1';

export interface StoredGrievanceModel {
  format: typeof GRIEVANCE_MODEL_FORMAT;
  buckets: number;
  /** Turns shorter than this (prepared, in characters) are never read as a grievance: 对, 可以. */
  minLength: number;
  scale: number;
  /** Bias times `scale`. */
  bias: number;
  /** Probability at or above which a turn is read as a grievance. */
  threshold: number;
  /** Non-zero weights: bucket numbers (ascending) and their weights times `scale`. */
  index: number[];
  weight: number[];
  /** What it was trained on (counts only), for the README and a reader of the file. */
  trainedOn: Record<string, number>;
}

export class GrievanceModelError extends Error {
  override name = 'GrievanceModelError';
}

export interface GrievanceClassifier {
  /** Whether the turn reads as dissatisfaction with us. */
  reads(text: string): boolean;
  /** `reads` of a turn already normalized (`normalizeText`, as the engine's turns are). */
  readsNormalized(normalized: string): boolean;
  /** Whether a normalized turn is long enough to be read at all (not 对, 可以, a number alone). */
  statesNormalized(normalized: string): boolean;
  /** The probability, for the training script and tests. */
  probability(text: string): number;
}

/** Distinct texts remembered: callers repeat short turns; cleared when full. */
const MEMO_LIMIT = 8192;

/** Checks a stored model and builds its scorer; throws GrievanceModelError saying what is wrong. */
export function loadGrievanceClassifier(model: StoredGrievanceModel): GrievanceClassifier {
  const where = 'grievance model';
  if (model.format !== GRIEVANCE_MODEL_FORMAT)
    throw new GrievanceModelError(
      `${where}: format ${String(model.format)}, expected ${GRIEVANCE_MODEL_FORMAT}`,
    );
  if (model.buckets !== BUCKETS)
    throw new GrievanceModelError(
      `${where}: ${model.buckets} buckets, the features have ${BUCKETS}: retrain (npm run train:grievance)`,
    );
  if (!(model.scale > 0)) throw new GrievanceModelError(`${where}: scale must be positive`);
  const weights = new Int16Array(BUCKETS);
  const problem = readStoredWeights(model, weights, 1, 0);
  if (problem !== null) throw new GrievanceModelError(`${where}: ${problem}`);
  // p >= t  ⇔  bias + value × Σw >= logit(t), in units of 1/scale: no exponential per turn.
  const cut = Math.log(model.threshold / (1 - model.threshold)) * model.scale;
  const score = (prepared: string): number => {
    const { buckets, count } = ngramBuckets(prepared);
    let s = 0;
    for (let j = 0; j < count; j++) s += weights[buckets[j] as number] as number;
    return model.bias + featureValue(count) * s;
  };
  const memo = new Map<string, boolean>();
  const readsNormalized = (normalized: string): boolean => {
    const known = memo.get(normalized);
    if (known !== undefined) return known;
    const prepared = lowerCase(normalized).trim();
    const out = prepared.length >= model.minLength && score(prepared) >= cut;
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(normalized, out);
    return out;
  };
  return {
    reads: (text) => readsNormalized(normalizeText(text)),
    readsNormalized,
    statesNormalized: (normalized) => lowerCase(normalized).trim().length >= model.minLength,
    probability: (text) => 1 / (1 + Math.exp(-score(prepareText(text).trim()) / model.scale)),
  };
}

let shipped: GrievanceClassifier | null = null;

/** The classifier shipped with the code (grievance-model.json), loaded once. */
export function grievanceClassifier(): GrievanceClassifier {
  shipped ??= loadGrievanceClassifier(stored as StoredGrievanceModel);
  return shipped;
}
