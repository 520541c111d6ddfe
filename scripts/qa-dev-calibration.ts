// A second inspector's blind reading of some development threads (training/qa-dev/corpus/
// calibration/*.yaml, the format of evaluation/qa-fidelity/calibration): per rule, how it
// agrees with the development labels (the first reading, which the rules were tuned on), the
// engine against each reading, and every outcome where the two readings differ, with both whys.
// Where the readers differ is where the development labels teach a convention of their own.
//
//   npx tsx scripts/qa-dev-calibration.ts [--list rule [--engine]]

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  expectedOutcomes,
  type Judged,
  readCalibrationReadings,
  ruleStats,
} from '../bench/support/qa-fidelity-data.ts';
import type { Outcome } from '../src/qa/result.ts';
import { ROOT, runCorpusDevSet } from './qa-dev.ts';

const args = process.argv.slice(2);
const listRule = args.includes('--list') ? args[args.indexOf('--list') + 1] : undefined;
// --engine: list where the engine and the second reading differ instead of the two readings.
const againstEngine = args.includes('--engine');
const dir = join(ROOT, 'training', 'qa-dev', 'corpus');
const readings = readCalibrationReadings(join(dir, 'calibration'));
if (readings.length === 0) {
  console.log('no calibration reading in training/qa-dev/corpus/calibration');
  process.exit(0);
}
const dev = runCorpusDevSet(
  undefined,
  readdirSync(dir)
    .filter((f) => /^(threads|batch-.*|check-.*)\.yaml$/.test(f))
    .sort(),
);
if (dev === null) {
  console.log('the corpus is not beside the repository: nothing to compare');
  process.exit(0);
}
// The first reading's why per thread.
const firstWhy = new Map<string, string>();
for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')))
  for (const c of (parse(readFileSync(join(dir, f), 'utf8')) as { calls?: { id: string; why: string }[] })
    .calls ?? [])
    firstWhy.set(c.id, c.why);

const first = new Map<string, Map<string, Outcome>>();
const engine = new Map<string, Map<string, Outcome>>();
for (const o of dev) {
  if (!first.has(o.id)) first.set(o.id, new Map());
  if (!engine.has(o.id)) engine.set(o.id, new Map());
  first.get(o.id)?.set(o.rule, o.expected);
  engine.get(o.id)?.set(o.rule, o.got);
}
const second = new Map<string, { labels: Map<string, Outcome>; why: string }>();
const rules = readings[0]?.reading.rules ?? [];
for (const { reading } of readings)
  for (const c of reading.calls) second.set(c.id, { labels: expectedOutcomes(c), why: c.why ?? '' });
const ids = [...second.keys()].filter((id) => first.has(id));
const pr = (s: ReturnType<typeof ruleStats>) =>
  `${s.precision === null ? '–' : s.precision.toFixed(2)} / ${s.recall === null ? '–' : s.recall.toFixed(2)}`;
console.log(
  `${ids.length} development threads read twice (first: the development labels; second: ${readings.map((r) => r.file.slice(dir.length + 1)).join(', ')})\n`,
);
console.log(
  'rule                            first fails  second fails  agree   second vs first  engine vs first  engine vs second',
);
for (const rule of rules) {
  const j = (exp: (id: string) => Outcome | undefined, act: (id: string) => Outcome | undefined): Judged[] =>
    ids.flatMap((id) => {
      const e = exp(id);
      const a = act(id);
      return e === undefined || a === undefined
        ? []
        : [{ id, expected: new Map([[rule, e]]), actual: new Map([[rule, a]]) }];
    });
  const f = (id: string) => first.get(id)?.get(rule);
  const s = (id: string) => second.get(id)?.labels.get(rule);
  const e = (id: string) => engine.get(id)?.get(rule);
  const both = ids.filter((id) => f(id) !== undefined && s(id) !== undefined);
  const sf = ruleStats(rule, j(f, s));
  const ef = ruleStats(rule, j(f, e));
  const es = ruleStats(rule, j(s, e));
  const agree = both.filter((id) => f(id) === s(id)).length;
  console.log(
    `${rule.padEnd(32)}${String(sf.support).padStart(11)}${String(es.support).padStart(14)}${`${agree}/${both.length}`.padStart(7)}${pr(sf).padStart(17)}${pr(ef).padStart(17)}${pr(es).padStart(19)}`,
  );
  if (rule === listRule)
    for (const id of both.filter((x) => (againstEngine ? e(x) !== s(x) : f(x) !== s(x))))
      console.log(
        `    ${id}: first ${f(id)}, second ${s(id)}, engine ${e(id)}\n      first: ${firstWhy.get(id) ?? ''}\n      second: ${second.get(id)?.why ?? ''}`,
      );
}
