// The forbidden-language rules on real agent turns (issue 11): the hand verdicts of
// scripts/corpus-language-labels.tsv (ids, turn indices, rule names only) joined at run time with
// the STC-3 Weibo help-desk dialogues beside the repository (../shared/corpus, third-party text:
// read, never copied). Each listed dialogue is inspected as a chat thread of the generic brand,
// as `huashu qa` and the QA fidelity bench do, and a rule counts as firing on an agent turn when
// it has a finding on that turn. Read by scripts/corpus-language.ts (figures, misses) and
// test/corpus-language.test.ts (minimum precision and recall).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Call } from '../../src/calls/model.ts';
import type { Catalog } from '../../src/playbook/catalog.ts';
import { Inspector } from '../../src/qa/engine.ts';
import type { Scorecard } from '../../src/qa/scorecard.ts';

export const LABELS_FILE = fileURLToPath(
  new URL('../../scripts/corpus-language-labels.tsv', import.meta.url),
);
const SHARED = process.env.HUASHU_SHARED_DIR ?? fileURLToPath(new URL('../../../shared/', import.meta.url));
export const CORPUS_FILE = join(
  process.env.HUASHU_CORPUS_DIR ?? join(SHARED, 'corpus'),
  'stc3_weibo_helpdesk_zh.jsonl',
);

/** The rules judged, by the short name the labels use. */
export const LANGUAGE_RULES = ['provoking', 'blame', 'lecture', 'excuse', 'vague', 'hedge'] as const;
export type LanguageRule = (typeof LANGUAGE_RULES)[number];
export const ruleId = (r: LanguageRule) => `language.forbidden.${r}`;

export interface TurnLabel {
  dialogueId: string;
  turn: number;
  fails: LanguageRule[];
  reason: string;
  line: number;
  /** `tune`: what the patterns were written on; `check`: labelled afterwards, measured only. */
  set: 'tune' | 'check';
}

export interface Dialogue {
  id: string;
  turns: { speaker: 'agent' | 'customer'; text: string }[];
}

/**
 * The data rows of a labels file (tab-separated; `#` comments, a `dialogueId` header; rows after
 * a `# check:` comment are the check part), each with its 1-based line and its part.
 */
export function labelRows(file: string): { cols: string[]; line: number; set: 'tune' | 'check' }[] {
  const rows: { cols: string[]; line: number; set: 'tune' | 'check' }[] = [];
  let set: 'tune' | 'check' = 'tune';
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(/\r$/, '');
      if (line.startsWith('# check:')) set = 'check';
      if (line.trim() === '' || line.startsWith('#') || line.startsWith('dialogueId\t')) return;
      rows.push({ cols: line.split('\t'), line: i + 1, set });
    });
  return rows;
}

export function readLabels(file = LABELS_FILE): TurnLabel[] {
  return labelRows(file).map(({ cols: [dialogueId, turn, fails, reason], line, set }) => {
    if (!dialogueId || turn === undefined || fails === undefined)
      throw new Error(`${file}:${line}: expected dialogueId, turn, fails, reason`);
    const names = fails === '-' ? [] : fails.split(',');
    for (const n of names)
      if (!(LANGUAGE_RULES as readonly string[]).includes(n))
        throw new Error(`${file}:${line}: unknown rule ${n}`);
    return {
      dialogueId,
      turn: Number(turn),
      fails: names as LanguageRule[],
      reason: reason ?? '',
      line,
      set,
    };
  });
}

/** The corpus by id, or undefined when it is not beside the repository. */
export function readCorpus(file = CORPUS_FILE): Map<string, Dialogue> | undefined {
  if (!existsSync(file)) return undefined;
  const out = new Map<string, Dialogue>();
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    if (l.trim() === '') continue;
    const d = JSON.parse(l) as Dialogue;
    out.set(d.id, d);
  }
  return out;
}

export const corpusCall = (d: Dialogue): Call => ({
  id: d.id,
  brand: 'generic',
  channel: 'chat',
  direction: 'inbound',
  events: [],
  turns: d.turns.map((t) => ({ speaker: t.speaker, text: t.text })),
});

export interface TurnResult {
  label: TurnLabel;
  text: string;
  /** The judged rules with a finding on this turn, and the words each found. */
  fired: Map<LanguageRule, string[]>;
}

export interface RuleFigures {
  rule: LanguageRule;
  support: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

/** Inspects every labelled dialogue and returns each labelled agent turn with what fired on it. */
export function runLabels(
  scorecard: Scorecard,
  catalog: Catalog,
  labels: TurnLabel[],
  corpus: Map<string, Dialogue>,
): TurnResult[] {
  const inspector = new Inspector(scorecard, catalog, { defaultBrand: 'generic' });
  const byDialogue = new Map<string, TurnLabel[]>();
  for (const l of labels) byDialogue.set(l.dialogueId, [...(byDialogue.get(l.dialogueId) ?? []), l]);
  const out: TurnResult[] = [];
  for (const [id, turnLabels] of byDialogue) {
    const d = corpus.get(id);
    if (!d) throw new Error(`dialogue ${id} is not in the corpus`);
    const r = inspector.inspect(corpusCall(d));
    for (const label of turnLabels) {
      const t = d.turns[label.turn];
      if (t?.speaker !== 'agent') throw new Error(`${id} turn ${label.turn} is not an agent turn`);
      const fired = new Map<LanguageRule, string[]>();
      for (const rule of LANGUAGE_RULES) {
        const words = r.findings
          .filter((f) => f.rule === ruleId(rule) && f.turn === label.turn)
          .map((f) => f.evidence);
        if (words.length > 0) fired.set(rule, words);
      }
      out.push({ label, text: t.text, fired });
    }
  }
  return out;
}

/** Precision and recall per rule, a turn being the unit. */
export function figures(results: TurnResult[]): RuleFigures[] {
  return LANGUAGE_RULES.map((rule) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const r of results) {
      const want = r.label.fails.includes(rule);
      const got = r.fired.has(rule);
      if (want && got) tp++;
      else if (got) fp++;
      else if (want) fn++;
    }
    return {
      rule,
      support: tp + fn,
      tp,
      fp,
      fn,
      precision: tp + fp ? tp / (tp + fp) : 1,
      recall: tp + fn ? tp / (tp + fn) : 1,
    };
  });
}
