// Precision and recall of four trigger/reply rules on real help-desk threads (issue 11):
//   npx tsx scripts/corpus-replies.ts                figures per rule (a dialogue is the unit)
//   npx tsx scripts/corpus-replies.ts --misses [rule] and each dialogue a rule gets wrong, with its
//                                                     text (printed to the terminal only: the
//                                                     corpus is third-party text, never copy it
//                                                     into the repository)
//   npx tsx scripts/corpus-replies.ts --scorecard F  try scorecard file F (kept outside the repo)
// Labels: scripts/corpus-replies-labels.tsv (ids, rule names, outcomes); corpus:
// ../shared/corpus/stc3_weibo_helpdesk_zh.jsonl. See scripts/README.md.
import { resolve } from 'node:path';
import { Catalog } from '../src/playbook/catalog.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';
import {
  CORPUS_FILE,
  REPLY_RULES,
  type ReplyResult,
  type ReplyRule,
  readCorpus,
  readReplyLabels,
  replyFigures,
  runReplyLabels,
} from '../test/support/corpus-replies.ts';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const misses = args.includes('--misses');
const missRule = option('--misses');
const scorecardFile = option('--scorecard');

const corpus = readCorpus();
if (!corpus) {
  console.error(`corpus not found: ${CORPUS_FILE} (expected beside the repository, in ../shared/corpus)`);
  process.exit(2);
}
const labels = readReplyLabels();
const results = runReplyLabels(
  scorecardFile ? loadScorecard(resolve(scorecardFile)) : loadScorecard(),
  Catalog.load(),
  labels,
  corpus,
);
console.log(
  `${new Set(labels.map((l) => l.dialogueId)).size} dialogues, ${labels.length} labels ` +
    '(scripts/corpus-replies-labels.tsv); fail = positive, n/a and pass both "not fail"\n',
);
const table = (title: string, rows: ReplyResult[]) => {
  console.log(`${title}: ${rows.length} labels\n`);
  console.log('| rule | labels | TP | FP | FN | P | R | outcome agrees |\n|---|--:|--:|--:|--:|--:|--:|--:|');
  for (const f of replyFigures(rows))
    console.log(
      `| ${REPLY_RULES[f.rule]} | ${f.labels} | ${f.tp} | ${f.fp} | ${f.fn} | ` +
        `${f.precision.toFixed(2)} | ${f.recall.toFixed(2)} | ${f.agree}/${f.labels} |`,
    );
  console.log('');
};
table('All', results);
table(
  'Tuning part (the rules were changed on it)',
  results.filter((r) => r.label.set === 'tune'),
);
table(
  'Check part (set aside, measured only)',
  results.filter((r) => r.label.set === 'check'),
);

if (misses) {
  const only = missRule && missRule in REPLY_RULES ? (missRule as ReplyRule) : undefined;
  for (const r of results) {
    if (only && r.label.rule !== only) continue;
    if (r.got === r.label.expected) continue;
    const d = corpus.get(r.label.dialogueId);
    console.log(
      `\n${r.label.rule} want ${r.label.expected} got ${r.got} [${r.label.set}] ${r.label.dialogueId} ` +
        `(${r.label.reason}) findings on turns ${r.turns.join(',') || '-'}`,
    );
    d?.turns.forEach((t, i) => {
      console.log(`  ${i} ${t.speaker === 'agent' ? 'A' : 'C'}: ${t.text.replace(/\n/g, ' / ')}`);
    });
  }
}
