// Experiment (issue 11 §1/§4): can a learned classifier of agent lines lift the recall of the
// forbidden-language rules where the patterns fail to generalize? Per category (vague, provoking,
// rhetorical, excuse, hedge, blame, lecture) a logistic regression over the hashed character
// 1–3-grams the situation detector uses (src/situations/features.ts), trained on the dev lines
// that are NOT check parts (training/qa-dev/language/*.yaml without *check*), with negatives from
// the harmless dev lines, every playbook line (all brands, rendered in the brand's script) and the
// agent turns of the example calls that fail no forbidden-language rule (examples/expected.yaml).
// A rule would fail when its patterns fire OR the model's score reaches the category's threshold.
//
//   npx tsx scripts/language-model-cv.ts           cross-validation on the non-check lines only
//                                                  (5 folds by line hash): settings and thresholds
//   npx tsx scripts/language-model-cv.ts --check   then, once, the chosen model on the check parts
//                                                  and on the corpus-language labels
//   LANGUAGE_MODEL_CV='{"l2":1e-4}'                 try other settings
//
// Thresholds: per category the lowest whose out-of-fold precision (model alone, over every
// out-of-fold row: dev lines, playbook lines, example turns) is at least 0.95 with 3 hits or more.
//
// FIGURES (session of issue 11 §1/§4, measured once; the model was NOT shipped):
// Data: 1,347 non-check dev lines, 364 playbook lines, 208 example agent turns.
// Settings chosen by 5-fold CV on those rows only (defaults above; l2 1e-5/1e-3, 30 epochs,
// positive weight 3, step 0.5 or 0.05, sentence-level scoring, folds by file: all no better,
// model-alone mean out-of-fold recall 0.39–0.46 at P ≥ 0.95). Out of fold (model alone P / R;
// patterns or model: new false alarms on harmless lines): vague 0.97 / 0.67 (4), provoking
// 0.97 / 0.57 (7), rhetorical 1.00 / 0.29 (0), excuse 0.95 / 0.40 (2), hedge 0.98 / 0.67 (1),
// blame 0.96 / 0.36 (2), lecture 0.96 / 0.27 (1); on playbook lines 4, on example turns 1.
// Trained on all of them, the model adds no false alarm on those rows (in sample).
// Corpus-language labels (764 real agent turns, 122 faults labelled): no model hit at all, right or wrong.
// Not a threshold or length effect: ranked by the model's score, their faulty turns are no higher
// than the harmless ones (AUC per category 0.32–0.73, about 0.5 for vague, provoking, hedge and
// blame; the same scoring each sentence; real turns average 50 characters, dev lines 16).
// Check parts (359 lines, never trained or tuned on), run once, P / R patterns → patterns or model:
//   vague      0.98 / 0.85 → 0.98 / 0.94      provoking  0.98 / 0.74 → 0.95 / 0.84 (3 new false alarms)
//   rhetorical 1.00 / 0.77 → 1.00 / 0.77      excuse     0.91 / 0.86 → 0.92 / 0.95
//   hedge      1.00 / 1.00 → 1.00 / 1.00      blame      1.00 / 0.73 → 1.00 / 0.75
//   lecture    1.00 / 0.68 → 1.00 / 0.82
// batch-s15-check.yaml alone (62 lines): vague R 0.44 → 0.67, provoking 1.00 / 0.25 → 0.91 / 0.42,
// excuse R 0.78 → 0.89, blame R 0.10 → 0.20, lecture R 0.33 → 0.44, rhetorical 0.00 → 0.00.
// Not shipped: provoking's check precision falls (the ship rule asks it not below before), the
// out-of-fold run already showed new false alarms on harmless dev and playbook lines, and the
// model never fires on real agent turns (it generalizes to lines written like its training
// lines, not to real speech). Keeping only the categories that passed on the check parts would
// be a choice made on them: it needs a fresh check batch first.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { readCallFile } from '../src/calls/import.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { brandVariables, renderText } from '../src/playbook/render.ts';
import { Inspector } from '../src/qa/engine.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';
import { seededRandom } from '../src/shared/random.ts';
import { BUCKETS, ngramBuckets, ngramValue, prepareText } from '../src/situations/features.ts';
import { CORPUS_FILE, readCorpus, readLabels } from '../test/support/corpus-language.ts';
import { DEV_FILES, DEV_RULES, type DevItem, devFailures, readDevSet } from '../test/support/qa-dev.ts';

const CATEGORIES = ['vague', 'provoking', 'rhetorical', 'excuse', 'hedge', 'blame', 'lecture'] as const;
type Category = (typeof CATEGORIES)[number];

interface Options {
  seed: number;
  epochs: number;
  /** Adagrad step. */
  rate: number;
  l2: number;
  /** Gradient weight of a positive row. */
  positiveWeight: number;
  folds: number;
  minPrecision: number;
  minHits: number;
  /** Folds by line hash, or by dev file (playbook and example rows by hash). */
  foldBy: 'hash' | 'file';
  /** Score each sentence of a line as well as the whole line, and take the highest. */
  sentences: boolean;
}
const OPTIONS: Options = {
  seed: 7,
  epochs: 15,
  rate: 0.2,
  l2: 1e-4,
  positiveWeight: 1,
  folds: 5,
  minPrecision: 0.95,
  minHits: 3,
  foldBy: 'hash',
  sentences: false,
  ...(JSON.parse(process.env.LANGUAGE_MODEL_CV ?? '{}') as Partial<Options>),
};
const CHECK = process.argv.includes('--check');

interface Row {
  text: string;
  labels: Set<Category>;
  source: 'dev' | 'check' | 'playbook' | 'example';
  x: Int32Array;
  v: number;
  /** Its sentences' features (when it has more than one). */
  parts: { x: Int32Array; v: number }[];
  file: string;
  /** The dev item, for the engine's own verdict. */
  item?: DevItem;
}

const agentText = (item: DevItem): string =>
  item.say ??
  (item.turns ?? [])
    .filter((t) => t.startsWith('a:'))
    .map((t) => t.slice(3))
    .join('');

function features(text: string): { x: Int32Array; v: number } {
  const { buckets, count } = ngramBuckets(prepareText(text));
  return { x: buckets.slice(0, count), v: ngramValue(count) };
}

/** Sentences: split after 。!?;~ and line breaks (normalized text has half-width marks). */
function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[。!?;~\n!?;])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function row(
  text: string,
  labels: Iterable<Category>,
  source: Row['source'],
  file: string,
  item?: DevItem,
): Row {
  const ss = sentencesOf(text);
  const parts = ss.length > 1 ? ss.map(features) : [];
  const r: Row = { text, labels: new Set(labels), source, file, parts, ...features(text) };
  if (item) r.item = item;
  return r;
}

const isCategory = (s: string): s is Category => (CATEGORIES as readonly string[]).includes(s);

// ── data ───────────────────────────────────────────────────────────────────────────────────
const devRows: Row[] = [];
for (const f of DEV_FILES) {
  const source = f.includes('check') ? 'check' : 'dev';
  for (const item of readDevSet([f]))
    devRows.push(row(agentText(item), item.fails.filter(isCategory), source, f, item));
}
const catalog = Catalog.load();
const playbookRows: Row[] = [];
for (const pb of catalog.playbooks) {
  const vars = brandVariables(pb);
  for (const s of pb.scenarios)
    for (const t of [...s.lines.map((l) => l.text), ...s.steps.map((st) => st.text)])
      playbookRows.push(row(renderText(t, vars, pb.brand.script).text, [], 'playbook', ''));
}
const expected = parse(readFileSync(new URL('../examples/expected.yaml', import.meta.url), 'utf8')) as {
  calls: Record<string, { fail?: string[]; knownIssues?: { rule: string }[] }>;
};
const languageRule = (r: string) => r.startsWith('language.forbidden.');
const exampleRows: Row[] = [];
for (const [id, e] of Object.entries(expected.calls)) {
  if ((e.fail ?? []).some(languageRule) || (e.knownIssues ?? []).some((k) => languageRule(k.rule))) continue;
  const file = (e as { file?: string }).file;
  if (!file) continue;
  for await (const r of readCallFile(new URL(`../examples/${file}`, import.meta.url).pathname)) {
    if (!r.ok || r.call.id !== id) continue;
    for (const t of r.call.turns) if (t.speaker === 'agent') exampleRows.push(row(t.text, [], 'example', ''));
  }
}
const trainRows = [...devRows.filter((r) => r.source === 'dev'), ...playbookRows, ...exampleRows];

// ── model ──────────────────────────────────────────────────────────────────────────────────
interface Model {
  w: Float64Array[];
  b: number[];
}

function trainModel(rows: readonly Row[], o: Options): Model {
  const next = seededRandom(o.seed);
  const w: Float64Array[] = [];
  const b: number[] = [];
  const order = rows.map((_, i) => i);
  for (const cat of CATEGORIES) {
    const wc = new Float64Array(BUCKETS);
    const g2 = new Float64Array(BUCKETS);
    let bc = 0;
    let gb = 0;
    for (let e = 0; e < o.epochs; e++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      for (const k of order) {
        const r = rows[k] as Row;
        let s = bc;
        for (const f of r.x) s += (wc[f] as number) * r.v;
        const y = r.labels.has(cat) ? 1 : 0;
        const p = 1 / (1 + Math.exp(-s));
        const g = (p - y) * (y ? o.positiveWeight : 1);
        for (const f of r.x) {
          const gf = g * r.v + o.l2 * (wc[f] as number);
          g2[f] = (g2[f] as number) + gf * gf;
          wc[f] = (wc[f] as number) - (o.rate * gf) / Math.sqrt(g2[f] as number);
        }
        gb += g * g;
        bc -= (o.rate * g) / Math.sqrt(gb);
      }
    }
    w.push(wc);
    b.push(bc);
  }
  return { w, b };
}

function scores(m: Model, r: Row): number[] {
  const pieces = OPTIONS.sentences ? [r, ...r.parts] : [r];
  return CATEGORIES.map((_, c) => {
    const wc = m.w[c] as Float64Array;
    let best = 0;
    for (const piece of pieces) {
      let s = m.b[c] as number;
      for (const f of piece.x) s += (wc[f] as number) * piece.v;
      best = Math.max(best, 1 / (1 + Math.exp(-s)));
    }
    return best;
  });
}

function lineHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

// ── cross-validation ───────────────────────────────────────────────────────────────────────
const oof = new Map<Row, number[]>();
for (let fold = 0; fold < OPTIONS.folds; fold++) {
  const dev = DEV_FILES.filter((f) => !f.includes('check'));
  const inFold = (r: Row) =>
    (OPTIONS.foldBy === 'file' && r.file ? dev.indexOf(r.file as (typeof dev)[number]) : lineHash(r.text)) %
      OPTIONS.folds ===
    fold;
  const m = trainModel(
    trainRows.filter((r) => !inFold(r)),
    OPTIONS,
  );
  for (const r of trainRows) if (inFold(r)) oof.set(r, scores(m, r));
}

const GRID = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
const thresholds = CATEGORIES.map((cat, c) => {
  for (const t of GRID) {
    let tp = 0;
    let fp = 0;
    for (const r of trainRows) {
      if (((oof.get(r) as number[])[c] as number) < t) continue;
      if (r.labels.has(cat)) tp++;
      else fp++;
    }
    if (tp + fp >= OPTIONS.minHits && tp / (tp + fp) >= OPTIONS.minPrecision) return t;
  }
  return 1.01;
});

const inspector = new Inspector(loadScorecard(), catalog);
const engineOf = new Map<Row, Set<string>>();
devRows.forEach((r, n) => {
  engineOf.set(r, new Set(devFailures(inspector, r.item as DevItem, `dev-${n}`)));
});

const pct = (a: number, b: number) => (b ? (a / b).toFixed(2) : '–');
function table(title: string, rows: readonly Row[], scoreOf: (r: Row) => number[]): void {
  let recall = 0;
  let alarms = 0;
  console.log(`\n${title}: ${rows.length} lines\n`);
  console.log(
    '| rule | support | threshold | patterns P / R | model alone P / R | patterns or model P / R | new false alarms |',
  );
  console.log('|---|--:|--:|--:|--:|--:|--:|');
  CATEGORIES.forEach((cat, c) => {
    const t = thresholds[c] as number;
    const k = { e: [0, 0], m: [0, 0], o: [0, 0], support: 0, newFp: 0 };
    for (const r of rows) {
      const want = r.labels.has(cat);
      if (want) k.support++;
      const e = engineOf.get(r)?.has(cat) ?? false;
      const m = (scoreOf(r)[c] as number) >= t;
      for (const [key, got] of [
        ['e', e],
        ['m', m],
        ['o', e || m],
      ] as const)
        if (got) {
          const pair = k[key];
          pair[want ? 0 : 1] = (pair[want ? 0 : 1] as number) + 1;
        }
      if (m && !e && !want) k.newFp++;
    }
    recall += k.support ? (k.m[0] as number) / k.support : 0;
    alarms += k.newFp;
    const pr = ([tp, fp]: number[]) =>
      `${pct(tp as number, (tp as number) + (fp as number))} / ${pct(tp as number, k.support)}`;
    console.log(
      `| ${DEV_RULES[cat]} | ${k.support} | ${t > 1 ? 'none' : t.toFixed(2)} | ${pr(k.e)} | ${pr(k.m)} | ${pr(k.o)} | ${k.newFp} |`,
    );
  });
  console.log(
    `\nsummary: model-alone mean recall ${(recall / CATEGORIES.length).toFixed(3)}, new false alarms ${alarms}`,
  );
}

console.log(`options ${JSON.stringify(OPTIONS)}`);
console.log(
  `training rows: ${devRows.filter((r) => r.source === 'dev').length} dev (non-check), ${playbookRows.length} playbook, ${exampleRows.length} example agent turns`,
);
const oofScore = (r: Row) => oof.get(r) as number[];
table(
  'Out of fold, dev lines (non-check)',
  devRows.filter((r) => r.source === 'dev'),
  oofScore,
);
for (const src of ['playbook', 'example'] as const) {
  const rows = trainRows.filter((r) => r.source === src);
  const alarms = CATEGORIES.map((cat, c) => {
    const n = rows.filter((r) => (oofScore(r)[c] as number) >= (thresholds[c] as number)).length;
    return `${cat} ${n}`;
  });
  console.log(`\nOut of fold, false alarms on ${rows.length} ${src} lines: ${alarms.join(', ')}`);
}

const final = trainModel(trainRows, OPTIONS);
{
  // The shipped model would be trained on these rows: its false alarms on them (in sample).
  const harmless = (r: Row, c: number) =>
    !r.labels.has(CATEGORIES[c] as Category) && !engineOf.get(r)?.has(CATEGORIES[c] as Category);
  for (const src of ['dev', 'playbook', 'example'] as const) {
    const rows = trainRows.filter((r) => r.source === src);
    const alarms = CATEGORIES.map((cat, c) => {
      const n = rows.filter(
        (r) => harmless(r, c) && (scores(final, r)[c] as number) >= (thresholds[c] as number),
      ).length;
      return `${cat} ${n}`;
    });
    console.log(
      `In sample (final model), new false alarms on ${rows.length} ${src} lines: ${alarms.join(', ')}`,
    );
  }
}
const corpus = readCorpus();
if (corpus) {
  // Corpus-language labels (dev data): the model's extra findings per rule, judged by the labels.
  const labels = readLabels();
  const k = new Map(CATEGORIES.map((c) => [c, { tp: 0, fp: 0 }]));
  for (const l of labels) {
    const text = corpus.get(l.dialogueId)?.turns[l.turn]?.text;
    if (text === undefined) throw new Error(`${l.dialogueId}#${l.turn} is not in ${CORPUS_FILE}`);
    const s = scores(final, row(text, [], 'example', ''));
    CATEGORIES.forEach((cat, c) => {
      if ((s[c] as number) < (thresholds[c] as number)) return;
      const n = k.get(cat) as { tp: number; fp: number };
      if ((l.fails as string[]).includes(cat)) n.tp++;
      else n.fp++;
    });
  }
  console.log(
    `\nModel hits on the ${labels.length} corpus-language labelled agent turns (trained on all non-check rows): ${CATEGORIES.map(
      (c) => `${c} ${k.get(c)?.tp} right / ${k.get(c)?.fp} wrong`,
    ).join(', ')}`,
  );
} else console.log(`\ncorpus not found (${CORPUS_FILE}): corpus-language labels skipped`);

if (CHECK) {
  const checkRows = devRows.filter((r) => r.source === 'check');
  table('Check parts (never trained or tuned on), model trained on all non-check rows', checkRows, (r) =>
    scores(final, r),
  );
  const s15 = readDevSet(['batch-s15-check.yaml']).map(agentText);
  table(
    'batch-s15-check.yaml alone',
    checkRows.filter((r) => s15.includes(r.text)),
    (r) => scores(final, r),
  );
}
