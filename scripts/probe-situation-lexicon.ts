// Lexicon work on the TRAINING split only (held-out seed lines and corpus dialogues are dropped
// on reading): prints to the terminal, writes nothing.
//
//   npx tsx scripts/probe-situation-lexicon.ts <situation>             strong/cue P / R per source
//   npx tsx scripts/probe-situation-lexicon.ts <situation> --misses    + training turns strong misses / false hits
//   npx tsx scripts/probe-situation-lexicon.ts <situation> --pattern='怎么.{0,6}不了'
//                                                                      what one candidate expression hits
//   npx tsx scripts/probe-situation-lexicon.ts <situation> --errors=FILE
//                                                                      the texts of `cv-situations.ts --errors` misses
import { readFileSync } from 'node:fs';
import { lexiconHits, prepareText } from '../src/situations/features.ts';
import { DETECTED_SITUATION_IDS, type DetectedSituation } from '../src/situations/ids.ts';
import { corpusAvailable, type LabelledLine, readCorpusLines, readSeedLines } from './situations-data.ts';

const args = process.argv.slice(2);
const id = args[0] as DetectedSituation;
if (!DETECTED_SITUATION_IDS.includes(id)) {
  console.error(`usage: probe-situation-lexicon.ts <situation> [--misses] [--pattern=RE] [--errors=FILE]`);
  process.exit(2);
}
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const seed = readSeedLines().filter((l) => l.split === 'train');
const corpus = corpusAvailable() ? readCorpusLines().lines.filter((l) => l.split === 'train') : [];
const short = (t: string) => t.replace(/\s+/g, ' ').slice(0, 140);

function report(source: string, lines: LabelledLine[], hit: (p: string) => boolean, list: boolean): void {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const shown: string[] = [];
  for (const l of lines) {
    const p = prepareText(l.text);
    const got = hit(p);
    const want = l.situations.includes(id);
    if (got && want) tp++;
    else if (got) {
      fp++;
      if (list) shown.push(`  FP [${l.situations.join(',')}] ${short(p)}`);
    } else if (want) {
      fn++;
      if (list) shown.push(`  FN [${l.situations.join(',')}] ${short(p)}`);
    }
  }
  const r = (a: number, b: number) => (b ? (a / b).toFixed(2) : '–');
  console.log(
    `${source}: hits ${tp + fp} (tp ${tp} fp ${fp}), P ${r(tp, tp + fp)} R ${r(tp, tp + fn)} of ${tp + fn}`,
  );
  for (const s of shown) console.log(s);
}

const pattern = opt('pattern');
const errorsFile = opt('errors');
if (errorsFile) {
  const byRef = new Map(corpus.map((l) => [l.ref as string, l]));
  for (const line of readFileSync(errorsFile, 'utf8').split('\n')) {
    const m = /^(fp|fn) (\S+) (stc3-\S+)$/.exec(line);
    if (!m || m[2] !== id) continue;
    const l = byRef.get(m[3] as string);
    if (l) console.log(`${m[1]} [${l.situations.join(',')}] ${short(prepareText(l.text))}`);
  }
} else if (pattern) {
  const re = new RegExp(pattern);
  for (const [name, lines] of [
    ['seed', seed],
    ['corpus', corpus],
  ] as const) {
    const hitLines = lines.filter((l) => re.test(prepareText(l.text)));
    report(name, hitLines, () => true, false);
    for (const l of hitLines) {
      const p = prepareText(l.text);
      console.log(`  ${l.situations.includes(id) ? '+' : '-'} [${l.situations.join(',')}] ${short(p)}`);
    }
  }
} else {
  const list = args.includes('--misses');
  const index = DETECTED_SITUATION_IDS.indexOf(id);
  for (const kind of ['strong', 'cue'] as const) {
    console.log(`— ${kind}`);
    report('seed', seed, (p) => lexiconHits(p)[kind][index] === true, false);
    report('corpus', corpus, (p) => lexiconHits(p)[kind][index] === true, list && kind === 'strong');
  }
}
