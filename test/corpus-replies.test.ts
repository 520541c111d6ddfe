// Four trigger/reply rules on real help-desk threads (scripts/corpus-replies-labels.tsv, issue 11):
// a change that fails threads the hand verdicts pass or mark n/a, or misses a fault they found,
// fails here. The corpus is read from ../shared/corpus at run time (never copied): without it the
// figures are skipped, with a message. `npx tsx scripts/corpus-replies.ts --misses` lists the
// dialogues a rule gets wrong.
import { describe, expect, it } from 'vitest';
import { Catalog } from '../src/playbook/catalog.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';
import {
  CORPUS_FILE,
  REPLY_RULES,
  type ReplyRule,
  readCorpus,
  readReplyLabels,
  replyFigures,
  runReplyLabels,
} from './support/corpus-replies.ts';

const labels = readReplyLabels();
const corpus = readCorpus();
if (!corpus) console.warn(`corpus-replies: ${CORPUS_FILE} not found, the P/R figures are skipped`);

/**
 * Minimum precision and recall of `fail` per rule on the whole file, and outcomes agreeing
 * (measured: scripts/README.md). The long-wait rule has two faults in the file: its precision
 * rests on one, so a floor of 0.9 allows no false fault at all.
 */
const FLOOR: Record<ReplyRule, { p: number; r: number; agree: number }> = {
  // Session 11 (wt-fid-emo): P 0.77 → 0.82, R 0.94 → 1.00, 88 → 90 of 94 agree.
  'thanks-reply': { p: 0.8, r: 0.95, agree: 0.95 },
  'apology-reply': { p: 0.9, r: 0.9, agree: 0.95 },
  // Session 11: no false fault left (P 0.33 → 1.00), 25 → 27 of 31 agree.
  'long-wait-apology': { p: 0.9, r: 0.9, agree: 0.85 },
  // Re-judged when the hand-off to private messages was again held to owe the time limit (wt-fid-cd):
  // the misses left are settled threads the engine's patterns do not read as settled. With the
  // detector retrained on the wider lexicon (wt-det-lex) 63 of 80 agree (64 before). Session 11
  // (thanks as acceptance, suggestions passed on, 内生效, 25 more threads judged blind: P 0.68 on
  // them before the change): P 0.82 → 0.87, R 0.95 → 0.98, 91 of 105. Session 12 (wt-triggers: what the
  // customer can do now, acceptance a turn earlier, praise as the last words; 30 more threads judged
  // blind, 23 of them agreeing before the change, 27 after): P 0.86 → 0.94, R 0.95, 114 → 124 of 135.
  'contact-and-deadline': { p: 0.9, r: 0.93, agree: 0.9 },
};

describe('scripts/corpus-replies-labels.tsv', () => {
  it('judges at least 180 dialogues, every rule, with faults of every rule and a check part', () => {
    expect(new Set(labels.map((l) => l.dialogueId)).size).toBeGreaterThanOrEqual(180);
    for (const rule of Object.keys(REPLY_RULES) as ReplyRule[])
      expect(labels.filter((l) => l.rule === rule && l.expected === 'fail').length, rule).toBeGreaterThan(0);
    expect(labels.filter((l) => l.set === 'check').length).toBeGreaterThanOrEqual(40);
    const keys = labels.map((l) => `${l.dialogueId}#${l.rule}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.skipIf(!corpus)('holds no held-out dialogue, and every one is in the corpus', async () => {
    const { readLabels: heldOut, CORPUS_LABELS } = await import('../bench/support/qa-fidelity-data.ts');
    const held = new Set(heldOut(CORPUS_LABELS).calls.map((c) => c.id));
    for (const id of new Set(labels.map((l) => l.dialogueId))) {
      expect(held.has(id), id).toBe(false);
      expect(corpus?.has(id), id).toBe(true);
    }
  });

  it.skipIf(!corpus)('the rules keep their precision, recall and agreement on it', () => {
    const results = runReplyLabels(loadScorecard(), Catalog.load(), labels, corpus ?? new Map());
    const got = replyFigures(results).map((f) => ({
      rule: f.rule,
      ok:
        f.precision >= FLOOR[f.rule].p &&
        f.recall >= FLOOR[f.rule].r &&
        f.agree / Math.max(1, f.labels) >= FLOOR[f.rule].agree,
      figures: `P ${f.precision.toFixed(2)} R ${f.recall.toFixed(2)} agree ${f.agree}/${f.labels} (tp ${f.tp} fp ${f.fp} fn ${f.fn})`,
    }));
    expect(got.filter((g) => !g.ok)).toEqual([]);
  });
});
