// The labelled QA evaluation of evaluation/qa-fidelity/ (held out: never tune on it) and what
// bench/qa-fidelity.ts computes from it: its label files (zod), the seed-written calls, the corpus
// dialogues they reference (read at run time from ../shared/corpus, never copied), the
// per-rule confusion of engine outcomes against the inspector's, and rank agreement of scores.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleRankCorrelation } from 'simple-statistics';
import { parse } from 'yaml';
import { z } from 'zod';
import { readCallFile } from '../../src/calls/import.ts';
import type { Call, Channel } from '../../src/calls/model.ts';
import type { Outcome } from '../../src/qa/result.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const EVAL_DIR = join(ROOT, 'evaluation/qa-fidelity');
export const SEED_LABELS = join(EVAL_DIR, 'seed-labels.yaml');
export const CORPUS_LABELS = join(EVAL_DIR, 'corpus-labels.yaml');
export const CORPUS_DIR = resolve(process.env.HUASHU_CORPUS_DIR ?? join(ROOT, '../shared/corpus'));

const ruleList = z.array(z.string().min(1));
const labelledCall = z.strictObject({
  id: z.string().min(1),
  /** The inspector's holistic mark of the call, 0-100. */
  score: z.number().int().min(0).max(100),
  fail: ruleList,
  na: ruleList,
  pass: ruleList,
  why: z.string().optional(),
});
const labelsFile = z.strictObject({
  version: z.literal(1),
  set: z.enum(['seeds', 'corpus']),
  calls_file: z.string().optional(),
  corpus_file: z.string().optional(),
  brand: z.string().optional(),
  channel: z.enum(['phone', 'chat', 'email']).optional(),
  /**
   * Rules of the scorecard this set has no labels for yet (added to the scorecard after the set
   * was labelled), each with why: left out of the figures, never guessed from the engine.
   */
  unlabelled: z.array(z.strictObject({ rule: z.string(), why: z.string().min(1) })).default([]),
  calls: z.array(labelledCall).min(1),
});
export type LabelledCall = z.output<typeof labelledCall>;
export type LabelsFile = z.output<typeof labelsFile>;

/** Reads and checks a labels file; throws with the file and the zod path on a bad one. */
export function readLabels(file: string): LabelsFile {
  const parsed = labelsFile.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${file}: ${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** The inspector's outcome of each rule of one call (of a labels file or a calibration reading). */
export function expectedOutcomes(c: Pick<LabelledCall, 'fail' | 'na' | 'pass'>): Map<string, Outcome> {
  const m = new Map<string, Outcome>();
  for (const r of c.fail) m.set(r, 'fail');
  for (const r of c.na) m.set(r, 'n/a');
  for (const r of c.pass) m.set(r, 'pass');
  return m;
}

/** Problems of a labels file against the scorecard's rule ids: unknown, missing or repeated rules, duplicate ids. */
export function labelProblems(file: LabelsFile, ruleIds: readonly string[]): string[] {
  const known = new Set(ruleIds);
  const out: string[] = [];
  const seen = new Set<string>();
  const unlabelled = new Set(file.unlabelled.map((u) => u.rule));
  for (const r of unlabelled) if (!known.has(r)) out.push(`unlabelled: unknown rule ${r}`);
  for (const c of file.calls) {
    if (seen.has(c.id)) out.push(`${c.id}: labelled twice`);
    seen.add(c.id);
    const all = [...c.fail, ...c.na, ...c.pass];
    for (const r of all) if (!known.has(r)) out.push(`${c.id}: unknown rule ${r}`);
    for (const r of ruleIds) {
      const n = all.filter((x) => x === r).length;
      if (unlabelled.has(r)) {
        if (n !== 0) out.push(`${c.id}: rule ${r} is labelled but listed as unlabelled`);
        continue;
      }
      if (n !== 1) out.push(`${c.id}: rule ${r} appears ${n} times (must be once in fail, na or pass)`);
    }
  }
  return out;
}

/**
 * A calibration reading (校准): a second inspector's independent, blind reading of a set
 * (`calibration/`): the same calls, some of the rules, labelled without the first reader's labels
 * or the engine. Several files may share a set (a reader each for part of its calls).
 */
const calibrationReadingFile = z.strictObject({
  version: z.literal(1),
  set: z.enum(['seeds', 'corpus']),
  /** Who read it (a letter per reader: the first reader, whose labels are the set's, is A). */
  reader: z.string().min(1),
  /** The rules this reading labels, each exactly once per call. */
  rules: ruleList.min(1),
  calls: z.array(labelledCall.omit({ score: true })).min(1),
});
export type CalibrationReading = z.output<typeof calibrationReadingFile>;
export const CALIBRATION_DIR = join(EVAL_DIR, 'calibration');

/** The calibration readings in `dir` (none when it is absent), each checked like a labels file. */
export function readCalibrationReadings(
  dir = CALIBRATION_DIR,
): { file: string; reading: CalibrationReading }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const parsed = calibrationReadingFile.safeParse(parse(readFileSync(file, 'utf8')));
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new Error(`${file}: ${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}`);
      }
      return { file, reading: parsed.data };
    });
}

/**
 * Problems of a calibration reading: a rule not of the scorecard, a call not in the first reader's set
 * or read twice, a rule of its list not labelled exactly once, a label of a rule not in its list.
 */
export function calibrationReadingProblems(
  r: CalibrationReading,
  ruleIds: readonly string[],
  firstIds: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  const known = new Set(ruleIds);
  const listed = new Set(r.rules);
  for (const rule of r.rules) if (!known.has(rule)) out.push(`rules: unknown rule ${rule}`);
  const seen = new Set<string>();
  for (const c of r.calls) {
    if (!firstIds.has(c.id)) out.push(`${c.id}: not a call of the ${r.set} set`);
    if (seen.has(c.id)) out.push(`${c.id}: read twice`);
    seen.add(c.id);
    const all = [...c.fail, ...c.na, ...c.pass];
    for (const rule of all) if (!listed.has(rule)) out.push(`${c.id}: ${rule} is not in the reading's rules`);
    for (const rule of r.rules) {
      const n = all.filter((x) => x === rule).length;
      if (n !== 1) out.push(`${c.id}: rule ${rule} appears ${n} times (must be once in fail, na or pass)`);
    }
  }
  return out;
}

/**
 * The reference two readers in three give a call, rule by rule (校准's majority): the first
 * reader's label (A, the set's) where the second (B) agrees; where they differ, the third
 * reader's (C, who reads blind only the calls A and B differ on) when it is A's or B's. A rule
 * all three read three ways is `split`, one C has not read `unread`: neither is in the
 * reference, so no measure counts it. Only the rules B read (`rules`) are referenced.
 */
export function majorityReference(
  a: ReadonlyMap<string, Outcome>,
  b: ReadonlyMap<string, Outcome>,
  c: ReadonlyMap<string, Outcome> | undefined,
  rules: readonly string[],
): { reference: Map<string, Outcome>; changed: string[]; split: string[]; unread: string[] } {
  const reference = new Map<string, Outcome>();
  const changed: string[] = [];
  const split: string[] = [];
  const unread: string[] = [];
  for (const rule of rules) {
    const first = a.get(rule);
    const second = b.get(rule);
    if (first === undefined || second === undefined) continue;
    if (first === second) {
      reference.set(rule, first);
      continue;
    }
    const third = c?.get(rule);
    if (third === undefined) unread.push(rule);
    else if (third === first) reference.set(rule, first);
    else if (third === second) {
      reference.set(rule, second);
      changed.push(rule);
    } else split.push(rule);
  }
  return { reference, changed, split, unread };
}

export async function readSeedCalls(file = join(EVAL_DIR, 'seed-calls.jsonl')): Promise<Call[]> {
  const calls: Call[] = [];
  for await (const r of readCallFile(file)) {
    if (!r.ok)
      throw new Error(`${r.error.file}:${r.error.line ?? ''} ${r.error.path ?? ''}: ${r.error.message}`);
    calls.push(r.call);
  }
  return calls;
}

export interface CorpusDialogue {
  id: string;
  turns: { speaker: 'agent' | 'customer'; text: string }[];
}

export function corpusFile(name = 'stc3_weibo_helpdesk_zh.jsonl'): string {
  return join(CORPUS_DIR, name);
}

/** Every corpus dialogue, or null when the corpus is not beside the repository. */
export function readCorpus(file = corpusFile()): Map<string, CorpusDialogue> | null {
  if (!existsSync(file)) return null;
  const out = new Map<string, CorpusDialogue>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const d = JSON.parse(line) as CorpusDialogue;
    out.set(d.id, d);
  }
  return out;
}

/** A corpus dialogue as the call it is inspected as (the labels file gives brand and channel). */
export function corpusCall(d: CorpusDialogue, brand: string, channel: Channel): Call {
  return {
    id: d.id,
    brand,
    channel,
    direction: 'inbound',
    events: [],
    turns: d.turns.map((t) => ({ speaker: t.speaker, text: t.text })),
  };
}

// ---- measures ----

export interface RuleStats {
  rule: string;
  /** Calls the inspector failed on this rule (the positives). */
  support: number;
  tp: number;
  fp: number;
  fn: number;
  /** Calls both judged (neither said n/a) and both passed. */
  tn: number;
  precision: number | null;
  recall: number | null;
  /** Calls where inspector and engine agree on whether the rule applies (n/a or not), of all calls. */
  naAgree: number;
  /** Inspector n/a, engine judged it (pass or fail). */
  naOnlyInspector: number;
  /** Engine n/a, inspector judged it. */
  naOnlyEngine: number;
  calls: number;
  /** Call ids of the false positives and false negatives. */
  fpIds: string[];
  fnIds: string[];
}

export interface Judged {
  id: string;
  expected: Map<string, Outcome>;
  actual: Map<string, Outcome>;
}

/** Per rule: fail is the positive class; n/a counts as "not fail" for P/R and is compared on its own. */
export function ruleStats(rule: string, judged: readonly Judged[]): RuleStats {
  const s: RuleStats = {
    rule,
    support: 0,
    tp: 0,
    fp: 0,
    fn: 0,
    tn: 0,
    precision: null,
    recall: null,
    naAgree: 0,
    naOnlyInspector: 0,
    naOnlyEngine: 0,
    calls: judged.length,
    fpIds: [],
    fnIds: [],
  };
  for (const j of judged) {
    const e = j.expected.get(rule);
    const a = j.actual.get(rule);
    if (e === undefined || a === undefined) continue;
    if (e === 'fail') s.support++;
    if (e === 'fail' && a === 'fail') s.tp++;
    else if (a === 'fail') {
      s.fp++;
      s.fpIds.push(j.id);
    } else if (e === 'fail') {
      s.fn++;
      s.fnIds.push(j.id);
    } else if (e === 'pass' && a === 'pass') s.tn++;
    if ((e === 'n/a') === (a === 'n/a')) s.naAgree++;
    else if (e === 'n/a') s.naOnlyInspector++;
    else s.naOnlyEngine++;
  }
  s.precision = s.tp + s.fp > 0 ? s.tp / (s.tp + s.fp) : null;
  s.recall = s.tp + s.fn > 0 ? s.tp / (s.tp + s.fn) : null;
  return s;
}

/**
 * Kendall's tau-b of two paired samples (ties in either corrected for), in [-1, 1]; NaN when
 * either sample is constant. O(n^2): the sets here are a few hundred calls.
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new Error(`kendallTauB: ${x.length} vs ${y.length} values`);
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign((x[i] as number) - (x[j] as number));
      const dy = Math.sign((y[i] as number) - (y[j] as number));
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) tiesX++;
      else if (dy === 0) tiesY++;
      else if (dx === dy) concordant++;
      else discordant++;
    }
  }
  const denom = Math.sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY));
  return denom === 0 ? Number.NaN : (concordant - discordant) / denom;
}

/** The normal quantile of a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/**
 * Wilson's score interval, at 95%, of a proportion `k` of `n` (null when `n` is 0): where a
 * precision or recall measured on a few calls may truly lie. With 9 of 14 flagged calls right it
 * is 0.39–0.84, so a precision target of 0.9 is missed beyond chance; with 8 of 10 it is
 * 0.49–0.94, and a recall target of 0.85 is neither met nor missed by the set's evidence.
 */
export function wilsonInterval(k: number, n: number): { low: number; high: number } | null {
  if (n === 0) return null;
  const p = k / n;
  const z2 = Z95 * Z95;
  const d = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / d;
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Spearman's rho (Pearson on average ranks, ties handled) of two paired samples. */
export function spearmanRho(x: readonly number[], y: readonly number[]): number {
  if (x.length < 2) return Number.NaN;
  return sampleRankCorrelation([...x], [...y]);
}

/** The rules of the scorecard a labels file has labels for (all but its `unlabelled`). */
export function labelledRules(file: LabelsFile, ruleIds: readonly string[]): string[] {
  const unlabelled = new Set(file.unlabelled.map((u) => u.rule));
  return ruleIds.filter((r) => !unlabelled.has(r));
}
