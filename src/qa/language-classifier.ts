// The forbidden-language classifier: a small hashed character 1–3-gram logistic regression per
// rule (vague, excuse, blame, lecture) that reads an agent's whole line, beside the scorecard's
// patterns. The patterns hold the wordings written so far; each new writer's lines showed that
// other wordings of the same fault slip past them (training/qa-dev/language/README.md: check parts
// at recall 0.25–0.70). The classifier generalizes from the development lines to such wordings;
// its threshold per rule is set for a precision of 0.9 on out-of-fold predictions. Trained by
// `npm run train:language` (scripts/train-language.ts, src/qa/language-train.ts); the stored file
// holds numbers only (hashed buckets), never a piece of the lines it was trained on.
// Pure: no I/O; the model ships with the code.
import { BUCKETS, lowerCase, ngramBuckets, prepareText } from '../situations/features.ts';
import { normalizeText } from '../text/normalize.ts';
import { CLASSIFIED_RULES, type ClassifiedRule } from './classified-rules.ts';
import stored from './language-model.json' with { type: 'json' };

export { CLASSIFIED_RULES, type ClassifiedRule };

export const LANGUAGE_MODEL_FORMAT = 'huashu-language/1';

export interface StoredRuleModel {
  rule: ClassifiedRule;
  /** Bias times `scale`. */
  bias: number;
  /** Probability at or above which a line is flagged. */
  threshold: number;
  /** Non-zero weights: bucket numbers (ascending) and their weights times `scale`. */
  index: number[];
  weight: number[];
}

export interface StoredLanguageModel {
  format: typeof LANGUAGE_MODEL_FORMAT;
  buckets: number;
  /** Lines shorter than this (prepared, in characters) are never flagged: 您好!, 不客气。 */
  minLength: number;
  scale: number;
  rules: StoredRuleModel[];
  /** What it was trained on (counts only), for the README and a reader of the file. */
  trainedOn: Record<string, number>;
}

export class LanguageModelError extends Error {
  override name = 'LanguageModelError';
}

/** The value of each of a line's `count` distinct n-gram buckets. */
export function featureValue(count: number): number {
  return count > 0 ? 1 / Math.sqrt(count) : 0;
}

export interface LanguageClassifier {
  /** The rules whose fault the line reads as (bit i: CLASSIFIED_RULES[i]). */
  flags(text: string): number;
  /** `flags` of a line already normalized (`normalizeText`, as the engine's turns are). */
  flagsNormalized(normalized: string): number;
  /** Probability per rule (CLASSIFIED_RULES order), for the training script and tests. */
  probabilities(text: string): number[];
}

/** Distinct texts remembered: agents repeat their scripts' lines; cleared when full. */
const MEMO_LIMIT = 8192;

/**
 * Checks one stored label (threshold, non-zero weights by ascending bucket, 16-bit weights) and
 * writes its weights into `into` at `bucket × stride + offset`: what is wrong, or null. Shared
 * with the grievance classifier's loader.
 */
export function readStoredWeights(
  label: { threshold: number; index: readonly number[]; weight: readonly number[] },
  into: Int16Array,
  stride: number,
  offset: number,
): string | null {
  if (!(label.threshold > 0 && label.threshold < 1))
    return `threshold ${label.threshold} is not between 0 and 1`;
  if (label.index.length !== label.weight.length)
    return `${label.index.length} buckets but ${label.weight.length} weights`;
  let last = -1;
  for (let j = 0; j < label.index.length; j++) {
    const b = label.index[j] as number;
    const w = label.weight[j] as number;
    if (!Number.isInteger(b) || b <= last || b >= BUCKETS)
      return `bucket ${b} (entry ${j}) out of order or range`;
    if (!Number.isInteger(w) || w < -32768 || w > 32767)
      return `weight ${w} (entry ${j}) is not a 16-bit integer`;
    last = b;
    into[b * stride + offset] = w;
  }
  return null;
}

/** Checks a stored model and builds its scorer; throws LanguageModelError saying what is wrong. */
export function loadLanguageClassifier(model: StoredLanguageModel): LanguageClassifier {
  const where = 'language model';
  if (model.format !== LANGUAGE_MODEL_FORMAT)
    throw new LanguageModelError(
      `${where}: format ${String(model.format)}, expected ${LANGUAGE_MODEL_FORMAT}`,
    );
  if (model.buckets !== BUCKETS)
    throw new LanguageModelError(
      `${where}: ${model.buckets} buckets, the features have ${BUCKETS}: retrain (npm run train:language)`,
    );
  if (!(model.scale > 0)) throw new LanguageModelError(`${where}: scale must be positive`);
  const names = model.rules.map((r) => r.rule);
  if (names.length !== CLASSIFIED_RULES.length || CLASSIFIED_RULES.some((r, i) => names[i] !== r))
    throw new LanguageModelError(
      `${where}: rules ${names.join(', ')}, expected ${CLASSIFIED_RULES.join(', ')} in that order`,
    );
  const R = CLASSIFIED_RULES.length;
  if (R !== 4) throw new LanguageModelError(`${where}: the scorer reads four rules, not ${R}`);
  // Interleaved per bucket, as stored (weight × scale, which fits 16 bits): a line's ~90 buckets
  // read one 8-byte row each from 256 kB, most of it in the processor's cache.
  const weights = new Int16Array(BUCKETS * R);
  const bias: number[] = [];
  const cut: number[] = [];
  model.rules.forEach((r, k) => {
    const problem = readStoredWeights(r, weights, R, k);
    if (problem !== null) throw new LanguageModelError(`${where}: rule ${r.rule}: ${problem}`);
    // p >= t  ⇔  bias + value × Σw >= logit(t), all in units of 1/scale: no exponential per line.
    bias.push(r.bias);
    cut.push(Math.log(r.threshold / (1 - r.threshold)) * model.scale);
  });
  const [b0, b1, b2, b3] = bias as [number, number, number, number];
  const [c0, c1, c2, c3] = cut as [number, number, number, number];
  /** The four rules' scores of a prepared line (× scale), into `sums`. */
  const sums: [number, number, number, number] = [0, 0, 0, 0];
  const scoreInto = (prepared: string): void => {
    const { buckets, count } = ngramBuckets(prepared);
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < count; j++) {
      const row = (buckets[j] as number) << 2;
      s0 += weights[row] as number;
      s1 += weights[row + 1] as number;
      s2 += weights[row + 2] as number;
      s3 += weights[row + 3] as number;
    }
    const v = featureValue(count);
    sums[0] = b0 + v * s0;
    sums[1] = b1 + v * s1;
    sums[2] = b2 + v * s2;
    sums[3] = b3 + v * s3;
  };
  const over = (): number =>
    (sums[0] >= c0 ? 1 : 0) | (sums[1] >= c1 ? 2 : 0) | (sums[2] >= c2 ? 4 : 0) | (sums[3] >= c3 ? 8 : 0);
  const memo = new Map<string, number>();
  const flagsNormalized = (normalized: string): number => {
    const known = memo.get(normalized);
    if (known !== undefined) return known;
    // prepareText is lowerCase after normalizeText: the normalizing (most of its cost) is done.
    const prepared = lowerCase(normalized).trim();
    let out = 0;
    if (prepared.length >= model.minLength) {
      scoreInto(prepared);
      out = over();
    }
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(normalized, out);
    return out;
  };
  return {
    flags: (text) => flagsNormalized(normalizeText(text)),
    flagsNormalized,
    probabilities(text) {
      scoreInto(prepareText(text).trim());
      return sums.map((z) => 1 / (1 + Math.exp(-z / model.scale)));
    },
  };
}

let shipped: LanguageClassifier | null = null;

/** The classifier shipped with the code (language-model.json), loaded once. */
export function languageClassifier(): LanguageClassifier {
  shipped ??= loadLanguageClassifier(stored as StoredLanguageModel);
  return shipped;
}
