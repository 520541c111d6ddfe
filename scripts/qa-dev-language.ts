// Precision and recall of the forbidden-language rules on the development set
// (training/qa-dev/language/, written from the seeds): what the patterns are tuned on.
//   npx tsx scripts/qa-dev-language.ts            figures per rule
//   npx tsx scripts/qa-dev-language.ts --misses   and each line a rule gets wrong
//   npx tsx scripts/qa-dev-language.ts check.yaml one file of the set only
//   npx tsx scripts/qa-dev-language.ts --check    the check parts only (*check*.yaml: written with a
//                                                 batch, never tuned on)
import { Catalog } from '../src/playbook/catalog.ts';
import { Inspector } from '../src/qa/engine.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';
import {
  DEV_FILES,
  DEV_RULES,
  type DevRule,
  devFailures,
  itemText,
  readDevSet,
} from '../test/support/qa-dev.ts';

const inspector = new Inspector(loadScorecard(), Catalog.load());
const files = process.argv.slice(2).filter((a) => a.endsWith('.yaml'));
const CHECK = process.argv.includes('--check');
const items = readDevSet(
  files.length ? files : CHECK ? DEV_FILES.filter((f) => f.includes('check')) : undefined,
);
const MISSES = process.argv.includes('--misses');
const rows: string[] = [];
const misses: string[] = [];
const engine = items.map((item, n) => devFailures(inspector, item, `dev-${n}`));
for (const rule of Object.keys(DEV_RULES) as DevRule[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  items.forEach((item, n) => {
    const want = item.fails.includes(rule);
    const got = engine[n]?.includes(rule) ?? false;
    if (want && got) tp++;
    else if (got) {
      fp++;
      misses.push(`${rule} FP: ${itemText(item)}`);
    } else if (want) {
      fn++;
      misses.push(`${rule} FN: ${itemText(item)}`);
    }
  });
  const p = tp + fp ? (tp / (tp + fp)).toFixed(2) : '–';
  const r = tp + fn ? (tp / (tp + fn)).toFixed(2) : '–';
  rows.push(`| ${DEV_RULES[rule]} | ${tp + fn} | ${tp} | ${fp} | ${fn} | ${p} | ${r} |`);
}
console.log(
  `${items.length} lines\n\n| rule | support | TP | FP | FN | P | R |\n|---|--:|--:|--:|--:|--:|--:|`,
);
console.log(rows.join('\n'));
if (MISSES) console.log(`\n${misses.join('\n')}`);
