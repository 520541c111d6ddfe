// Cross-validation of the situation detector on the TRAINING split only:
// `npx tsx scripts/cv-situations.ts` (options as for training: SITUATIONS_TRAIN_OPTIONS).
//
// This is what settings, features and lexicon changes are chosen by. The held-out split (seed
// lines marked `test`, corpus dialogues hashed to test) is dropped on reading and never used
// here; bench/detect.ts alone reads it, once a choice is made. Folds: corpus turns by dialogue
// (a dialogue's turns never straddle train and judged fold), seed lines round-robin. Each fold's
// model is trained as `npm run train:situations` trains (thresholds from its own inner folds),
// then judged by the full detector (lexicon + model + decision rule).
//
// Options: --folds=N (default 5), --seeds=9,10,11 (train each fold once per training seed and
// pool the counts: one seed's figures move with the seed alone, seed lines by up to ±0.01 F1),
// --errors (out-of-fold misses: corpus turns by ref, written lines with their text),
// --caller-lines (train on training/situations/caller-lines.jsonl too; see src/situations/README.md),
// --phone-lines (and on training/situations/phone-lines.jsonl; both reported in the caller columns).
import { createSituationDetector } from '../src/situations/detect.ts';
import { DETECTED_SITUATION_IDS, type DetectedSituation } from '../src/situations/ids.ts';
import { trainModel } from '../src/situations/train.ts';
import {
  corpusAvailable,
  type LabelledLine,
  readCallerLines,
  readCorpusLines,
  readPhoneLines,
  readSeedLines,
} from './situations-data.ts';

const args = process.argv.slice(2);
const FOLDS = Number(args.find((a) => a.startsWith('--folds='))?.split('=')[1] ?? 5);
const ERRORS = args.includes('--errors');
const options = JSON.parse(process.env.SITUATIONS_TRAIN_OPTIONS ?? '{}');
const SEEDS = args
  .find((a) => a.startsWith('--seeds='))
  ?.split('=')[1]
  ?.split(',')
  .map(Number);

interface Line extends LabelledLine {
  /** Trained as (thresholds: mean F1 over the sources). */
  source: 'seed' | 'caller' | 'corpus';
  /** Reported as: the caller lines apart, so the seed columns stay comparable with earlier runs. */
  report: 'seed' | 'caller' | 'corpus';
  group?: string;
  fold: number;
}

/** A different hash from the split's (situations-data.ts), so folds do not follow the split. */
function foldOf(id: string): number {
  let h = 0x2545f491;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h % FOLDS;
}

// The caller lines are written lines too: with --caller-lines they train as seed lines, reported
// in their own columns.
const CALLER = args.includes('--caller-lines');
const seed = readSeedLines().filter((l) => l.split === 'train');
const PHONE = args.includes('--phone-lines');
// --own-source: the caller and phone lines are a source of their own for the thresholds.
const CALLER_SOURCE: 'seed' | 'caller' = args.includes('--own-source') ? 'caller' : 'seed';
const caller = [...(CALLER ? readCallerLines() : []), ...(PHONE ? readPhoneLines() : [])];
const corpus = corpusAvailable() ? readCorpusLines().lines.filter((l) => l.split === 'train') : [];
const lines: Line[] = [
  ...seed.map((l, i) => ({ ...l, source: 'seed' as const, report: 'seed' as const, fold: i % FOLDS })),
  ...caller.map((l, i) => ({ ...l, source: CALLER_SOURCE, report: 'caller' as const, fold: i % FOLDS })),
  ...corpus.map((l) => {
    const dialogue = (l.ref as string).split('#')[0] as string;
    return {
      ...l,
      source: 'corpus' as const,
      report: 'corpus' as const,
      group: dialogue,
      fold: foldOf(dialogue),
    };
  }),
];

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
const table = (): Map<DetectedSituation, Counts> =>
  new Map(DETECTED_SITUATION_IDS.map((id) => [id, { tp: 0, fp: 0, fn: 0 }]));
const tables = { seed: table(), caller: table(), corpus: table() };
const errors: string[] = [];

for (const trainSeed of SEEDS ?? [undefined])
  for (let fold = 0; fold < FOLDS; fold++) {
    const train = lines.filter((l) => l.fold !== fold);
    const model = trainModel(train, trainSeed === undefined ? options : { ...options, seed: trainSeed });
    const detector = createSituationDetector('combined', model);
    for (const l of lines) {
      if (l.fold !== fold) continue;
      const got = new Set(
        detector.detect(l.text, l.previousAgentText ? { previousAgentText: l.previousAgentText } : undefined),
      );
      const want = new Set(l.situations);
      for (const id of DETECTED_SITUATION_IDS) {
        const c = tables[l.report].get(id) as Counts;
        if (got.has(id) && want.has(id)) c.tp++;
        else if (got.has(id)) {
          c.fp++;
          errors.push(`fp ${id} ${l.report === 'corpus' ? l.ref : `${l.report}: ${l.text}`}`);
        } else if (want.has(id)) {
          c.fn++;
          errors.push(`fn ${id} ${l.report === 'corpus' ? l.ref : `${l.report}: ${l.text}`}`);
        }
      }
    }
  }

const fmt = (a: number, b: number) => (b === 0 ? '  –  ' : (a / b).toFixed(2).padStart(5));
const sum = (t: Map<DetectedSituation, Counts>) =>
  [...t.values()].reduce((s, c) => ({ tp: s.tp + c.tp, fp: s.fp + c.fp, fn: s.fn + c.fn }), {
    tp: 0,
    fp: 0,
    fn: 0,
  });
const f1 = (c: Counts) => (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
const row = (t: Map<DetectedSituation, Counts>, id?: DetectedSituation) => {
  const c = id ? (t.get(id) as Counts) : sum(t);
  return `${fmt(c.tp, c.tp + c.fp)} ${fmt(c.tp, c.tp + c.fn)} ${String(c.tp + c.fn).padStart(4)}`;
};
console.log(
  `cross-validation on the training split only (${FOLDS} folds by dialogue): ${seed.length} seed lines, ${caller.length} caller lines, ${corpus.length} corpus turns; options ${JSON.stringify(options)}${SEEDS ? `, training seeds ${SEEDS.join(',')} pooled` : ''}`,
);
console.log('situation          seed P seed R    n  caller P     R    n  corpus P     R    n');
for (const id of DETECTED_SITUATION_IDS) {
  console.log(
    `${id.padEnd(18)} ${row(tables.seed, id)}     ${row(tables.caller, id)}     ${row(tables.corpus, id)}`,
  );
}
console.log(`micro average      ${row(tables.seed)}     ${row(tables.caller)}     ${row(tables.corpus)}`);
const s = sum(tables.seed);
const k = sum(tables.caller);
const c = sum(tables.corpus);
console.log(
  `micro F1: seed ${f1(s).toFixed(3)}, caller ${caller.length ? f1(k).toFixed(3) : '–'}, corpus ${f1(c).toFixed(3)}`,
);
if (ERRORS) for (const e of errors) console.log(e);
