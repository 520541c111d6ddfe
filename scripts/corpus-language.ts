// Precision and recall of the forbidden-language rules on real agent turns:
//   npx tsx scripts/corpus-language.ts                figures per rule (a turn is the unit)
//   npx tsx scripts/corpus-language.ts --misses [rule] and each turn a rule gets wrong, with its
//                                                     text (printed to the terminal only: the
//                                                     corpus is third-party text, never copy it
//                                                     into the repository)
//   npx tsx scripts/corpus-language.ts --scorecard F  try scorecard file F (kept outside the repo)
// Labels: scripts/corpus-language-labels.tsv (ids, turn indices, rule names); corpus:
// ../shared/corpus/stc3_weibo_helpdesk_zh.jsonl. See scripts/README.md.
import { resolve } from 'node:path';
import { Catalog } from '../src/playbook/catalog.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';
import {
  CORPUS_FILE,
  figures,
  LANGUAGE_RULES,
  type LanguageRule,
  readCorpus,
  readLabels,
  runLabels,
  type TurnResult,
} from '../test/support/corpus-language.ts';

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
const labels = readLabels();
const started = performance.now();
const results = runLabels(
  scorecardFile ? loadScorecard(resolve(scorecardFile)) : loadScorecard(),
  Catalog.load(),
  labels,
  corpus,
);
const ms = performance.now() - started;
const dialogues = new Set(labels.map((l) => l.dialogueId)).size;
console.log(
  `${dialogues} dialogues, ${results.length} agent turns (scripts/corpus-language-labels.tsv), ` +
    `inspected in ${ms.toFixed(0)} ms\n`,
);
const table = (title: string, rows: TurnResult[]) => {
  const n = new Set(rows.map((r) => r.label.dialogueId)).size;
  console.log(`${title}: ${n} dialogues, ${rows.length} agent turns\n`);
  console.log('| rule | support | TP | FP | FN | P | R |\n|---|--:|--:|--:|--:|--:|--:|');
  for (const f of figures(rows))
    console.log(
      `| language.forbidden.${f.rule} | ${f.support} | ${f.tp} | ${f.fp} | ${f.fn} | ` +
        `${f.precision.toFixed(2)} | ${f.recall.toFixed(2)} |`,
    );
  console.log('');
};
table('All', results);
table(
  'Tuning part (the patterns were written on it)',
  results.filter((r) => r.label.set === 'tune'),
);
table(
  'Check part (labelled afterwards, measured only)',
  results.filter((r) => r.label.set === 'check'),
);

if (misses) {
  const only =
    missRule && (LANGUAGE_RULES as readonly string[]).includes(missRule)
      ? (missRule as LanguageRule)
      : undefined;
  console.log('');
  for (const r of results)
    for (const rule of LANGUAGE_RULES) {
      if (only && rule !== only) continue;
      const want = r.label.fails.includes(rule);
      const got = r.fired.get(rule);
      if (want === (got !== undefined)) continue;
      const what = got ? `FP [${got.join(' | ')}]` : `FN (${r.label.reason})`;
      console.log(`${rule} ${what} ${r.label.dialogueId}#${r.label.turn}: ${r.text.replace(/\n/g, ' / ')}`);
    }
}
