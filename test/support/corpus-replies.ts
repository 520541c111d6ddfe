// Four trigger/reply rules on real help-desk threads (issue 11): the hand verdicts of
// scripts/corpus-replies-labels.tsv (ids, rule names, outcomes only) joined at run time with the
// STC-3 Weibo dialogues beside the repository (../shared/corpus, third-party text: read, never
// copied). Each listed dialogue is inspected as a chat thread of the generic brand, as `huashu qa`
// and the QA fidelity bench do, and the rule's outcome compared with the hand verdict. Read by
// scripts/corpus-replies.ts (figures, misses) and test/corpus-replies.test.ts (minimum figures).
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../../src/playbook/catalog.ts';
import { Inspector } from '../../src/qa/engine.ts';
import type { Outcome } from '../../src/qa/result.ts';
import type { Scorecard } from '../../src/qa/scorecard.ts';
import { corpusCall, type Dialogue, labelRows } from './corpus-language.ts';

export { CORPUS_FILE, readCorpus } from './corpus-language.ts';

export const REPLIES_LABELS_FILE = fileURLToPath(
  new URL('../../scripts/corpus-replies-labels.tsv', import.meta.url),
);

/** The rules judged, by the short name the labels use, and their scorecard ids. */
export const REPLY_RULES = {
  'thanks-reply': 'emotion.thanks-reply',
  'apology-reply': 'emotion.apology-reply',
  'long-wait-apology': 'emotion.long-wait-apology',
  'contact-and-deadline': 'complaint.contact-and-deadline',
} as const;
export type ReplyRule = keyof typeof REPLY_RULES;
const OUTCOMES: readonly string[] = ['pass', 'fail', 'n/a'];

export interface ReplyLabel {
  dialogueId: string;
  rule: ReplyRule;
  expected: Outcome;
  reason: string;
  line: number;
  /** `tune`: what the rules were changed on; `check`: set aside, measured only. */
  set: 'tune' | 'check';
}

export function readReplyLabels(file = REPLIES_LABELS_FILE): ReplyLabel[] {
  return labelRows(file).map(({ cols: [dialogueId, rule, expected, reason], line, set }) => {
    if (!dialogueId || !rule || !expected)
      throw new Error(`${file}:${line}: expected dialogueId, rule, expected, reason`);
    if (!(rule in REPLY_RULES)) throw new Error(`${file}:${line}: unknown rule ${rule}`);
    if (!OUTCOMES.includes(expected)) throw new Error(`${file}:${line}: unknown outcome ${expected}`);
    return {
      dialogueId,
      rule: rule as ReplyRule,
      expected: expected as Outcome,
      reason: reason ?? '',
      line,
      set,
    };
  });
}

export interface ReplyResult {
  label: ReplyLabel;
  got: Outcome;
  /** The turns the rule's findings sit on. */
  turns: number[];
}

/** Inspects every labelled dialogue and returns each label with the rule's outcome. */
export function runReplyLabels(
  scorecard: Scorecard,
  catalog: Catalog,
  labels: ReplyLabel[],
  corpus: Map<string, Dialogue>,
): ReplyResult[] {
  const inspector = new Inspector(scorecard, catalog, { defaultBrand: 'generic' });
  const inspected = new Map<string, ReturnType<Inspector['inspect']>>();
  return labels.map((label) => {
    const d = corpus.get(label.dialogueId);
    if (!d) throw new Error(`dialogue ${label.dialogueId} is not in the corpus`);
    let r = inspected.get(d.id);
    if (!r) {
      r = inspector.inspect(corpusCall(d));
      inspected.set(d.id, r);
    }
    const id = REPLY_RULES[label.rule];
    const got = r.rules.find((x) => x.id === id)?.outcome ?? 'n/a';
    const turns = r.findings.filter((f) => f.rule === id && f.turn !== null).map((f) => f.turn as number);
    return { label, got, turns };
  });
}

export interface ReplyFigures {
  rule: ReplyRule;
  labels: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  /** Labels whose outcome is exactly the expected one (pass, fail and n/a apart). */
  agree: number;
}

/** Precision and recall of `fail` per rule (the QA fidelity bench's measure), a dialogue the unit. */
export function replyFigures(results: ReplyResult[]): ReplyFigures[] {
  return (Object.keys(REPLY_RULES) as ReplyRule[]).map((rule) => {
    const rows = results.filter((r) => r.label.rule === rule);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const r of rows) {
      const want = r.label.expected === 'fail';
      const got = r.got === 'fail';
      if (want && got) tp++;
      else if (got) fp++;
      else if (want) fn++;
    }
    return {
      rule,
      labels: rows.length,
      tp,
      fp,
      fn,
      precision: tp + fp ? tp / (tp + fp) : 1,
      recall: tp + fn ? tp / (tp + fn) : 1,
      agree: rows.filter((r) => r.got === r.label.expected).length,
    };
  });
}
