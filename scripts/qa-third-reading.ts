// The third reading (校准, third reader) of the held-out evaluation: the calls where the set's
// labels (reader A) and the second, blind reading (reader B, evaluation/qa-fidelity/calibration)
// differ on some rule, written out for a third inspector to read blind — the calls only, every
// rule of the second reading, never which rule was disputed nor either reader's label. The bench
// then takes, per call and rule, the label two of the three readers give (bench/qa-fidelity).
//
//   npx tsx scripts/qa-third-reading.ts            # the disputed calls and rules, counted
//   npx tsx scripts/qa-third-reading.ts <dir>      # and the reader's input files, written in <dir>
//
// The input files hold corpus text: write them outside the repository (never commit them).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CORPUS_LABELS,
  expectedOutcomes,
  ROOT,
  readCalibrationReadings,
  readCorpus,
  readLabels,
  readSeedCalls,
  SEED_LABELS,
} from '../bench/support/qa-fidelity-data.ts';

const out = process.argv[2];
const first = new Map<string, Map<string, string>>();
for (const file of [SEED_LABELS, CORPUS_LABELS])
  for (const c of readLabels(file).calls) first.set(c.id, expectedOutcomes(c));

/** Per set, the calls in the second reading's order with the rules the readers differ on. */
const disputed = { seeds: new Map<string, string[]>(), corpus: new Map<string, string[]>() };
const rulesOf: { seeds: string[]; corpus: string[] } = { seeds: [], corpus: [] };
for (const { reading } of readCalibrationReadings()) {
  if (reading.reader !== 'B') continue;
  rulesOf[reading.set] = reading.rules;
  for (const c of reading.calls) {
    const b = expectedOutcomes(c);
    const a = first.get(c.id);
    const differ = reading.rules.filter((r) => a?.get(r) !== b.get(r));
    if (differ.length > 0) disputed[reading.set].set(c.id, differ);
  }
}

for (const set of ['seeds', 'corpus'] as const) {
  const items = [...disputed[set].values()].reduce((n, rules) => n + rules.length, 0);
  console.log(`${set}: ${disputed[set].size} calls, ${items} disputed labels`);
  const byRule = new Map<string, number>();
  for (const rules of disputed[set].values()) for (const r of rules) byRule.set(r, (byRule.get(r) ?? 0) + 1);
  for (const [rule, n] of byRule) console.log(`  ${rule}: ${n}`);
}

if (out !== undefined) {
  const dir = resolve(out);
  if (dir.startsWith(`${ROOT}`))
    throw new Error(`${dir}: inside the repository; corpus text must stay outside it`);
  mkdirSync(dir, { recursive: true });
  const seeds = await readSeedCalls();
  const seedLines = seeds.filter((c) => disputed.seeds.has(c.id)).map((c) => JSON.stringify(c));
  writeFileSync(join(dir, 'seeds-input.jsonl'), `${seedLines.join('\n')}\n`);
  const corpus = readCorpus();
  if (corpus === null) throw new Error('the corpus is not beside the repository (../shared/corpus)');
  const corpusLines = [...disputed.corpus.keys()].map((id) => {
    const d = corpus.get(id);
    if (!d) throw new Error(`${id}: not in the corpus`);
    return JSON.stringify({ id, channel: 'chat', brand: 'generic', turns: d.turns });
  });
  writeFileSync(join(dir, 'corpus-input.jsonl'), `${corpusLines.join('\n')}\n`);
  writeFileSync(
    join(dir, 'rules.json'),
    `${JSON.stringify({ seeds: rulesOf.seeds, corpus: rulesOf.corpus }, null, 2)}\n`,
  );
  console.log(
    `written: ${dir}/seeds-input.jsonl (${seedLines.length}), corpus-input.jsonl (${corpusLines.length}), rules.json`,
  );
}
