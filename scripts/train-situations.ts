// `npm run train:situations`: trains the situation model on the TRAIN split of the seed lines and
// of the labelled corpus turns (scripts/situations-data.ts) and writes src/situations/model.json.
// Seeded: the same data gives the same file. Without the corpus beside the repository it trains
// on the seed lines alone and says so. The shipped file is `npm run train:situations --
// --classes=complaint` (complaint retrained in session 32, the other situations as they were;
// test/situation-model.test.ts holds it equal to that retrain).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { StoredModel } from '../src/situations/model.ts';
import { trainModel } from '../src/situations/train.ts';
import {
  corpusAvailable,
  type LabelledLine,
  ROOT,
  readCallerLines,
  readCorpusLines,
  readDevCallLines,
  readPhoneLines,
  readSeedLines,
  trainingExamples,
  withClassesOf,
} from './situations-data.ts';

// --caller-lines: the caller lines too (not in the shipped model: src/situations/README.md says why).
const CALLER = process.argv.includes('--caller-lines');
const PHONE = process.argv.includes('--phone-lines');
const OWN = process.argv.includes('--own-source');
const seed = readSeedLines();
const devCalls = readDevCallLines();
const written = [...(CALLER ? readCallerLines() : []), ...(PHONE ? readPhoneLines() : [])];
let corpus: LabelledLine[] = [];
if (corpusAvailable()) {
  const c = readCorpusLines();
  corpus = c.lines;
  console.log(
    `corpus: ${c.lines.length} labelled customer turns (${c.conflicts} labelled twice differently, ${c.unmatched} not found)`,
  );
} else {
  console.warn('corpus not found beside the repository: training on the seed lines only');
}
const train = trainingExamples({ seed, written, devCalls, corpus, ownSource: OWN });
console.log(
  `training on ${train.length} lines: ${seed.filter((l) => l.split === 'train').length} seed, ${written.length} caller/phone, ${devCalls.length} development calls' caller turns (complaint only), ${corpus.filter((l) => l.split === 'train').length} corpus`,
);
const file = join(ROOT, 'src/situations/model.json');
// --classes a,b: only these situations take the new training (and only they are fitted); the
// others stay as model.json has them. Training all twenty reshuffles every situation's examples,
// which moves the others' weights and thresholds for no reason of their own (the shipped file:
// complaint retrained in session 32).
const classesArg = process.argv.find((a) => a.startsWith('--classes='))?.slice('--classes='.length);
// SITUATIONS_TRAIN_OPTIONS='{"l1":1}' tries other settings (see DEFAULT_TRAIN_OPTIONS in src/situations/train.ts).
let trained: StoredModel;
try {
  trained = trainModel(train, {
    ...JSON.parse(process.env.SITUATIONS_TRAIN_OPTIONS ?? '{}'),
    ...(classesArg === undefined ? {} : { classes: classesArg.split(',') }),
  });
} catch (e) {
  if (!(e instanceof RangeError)) throw e;
  console.error(`train:situations: ${e.message}`);
  process.exit(1);
}
const model =
  classesArg === undefined
    ? trained
    : withClassesOf(trained, JSON.parse(readFileSync(file, 'utf8')) as StoredModel, classesArg.split(','));
const json = `${JSON.stringify(model)}\n`;
writeFileSync(file, json);
const weights = model.classes.reduce((n, c) => n + c.index.length, 0);
console.log(
  `wrote src/situations/model.json: ${(json.length / 1024).toFixed(0)} KiB, ${weights} non-zero weights`,
);
for (const c of model.classes) {
  console.log(
    `  ${c.id.padEnd(18)} threshold ${c.threshold.toFixed(2)}  strong phrases decide: ${c.strongDecides ? 'yes' : 'no '}  weights ${c.index.length}${classesArg === undefined || classesArg.split(',').includes(c.id) ? '' : '  (kept)'}`,
  );
}
