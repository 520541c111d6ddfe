// QA fidelity, both ways: `npm run bench:qa-fidelity` (or `npx tsx bench/qa-fidelity.ts`).
//
// Runs the default scorecard on the labelled evaluation of evaluation/qa-fidelity/ — calls written
// from the service standards (seed-calls.jsonl + seed-labels.yaml) and a sample of real help-desk
// threads (corpus-labels.yaml: ids only; the text is read at run time from ../shared/corpus) —
// and prints per rule: support (calls the inspector failed), TP/FP/FN, precision and recall
// (fail = positive; an n/a on either side counts as "not fail"), n/a agreement (both say the
// rule applies, or both say it does not), and flags the rules with at least 8 positives below
// precision 0.9 or recall 0.85 — "beyond chance" when the measure's 95% interval (Wilson's) ends
// under the target too, as a handful of calls can leave it either side. Then how the engine's
// scores rank the calls against the inspector's 0-100 marks: Spearman's rho and Kendall's tau-b.
//
// The evaluation is HELD OUT: never change rules, phrases or patterns by looking at its misses
// (evaluation/qa-fidelity/README.md). The figures are for measuring a change made on other data.
//
// Options:
//   --markdown      print the README tables
//   --misses        list each rule's false positives and false negatives by call id (no text)
//   --scorecard F   another scorecard file; --playbooks D another playbook folder
//
// When evaluation/qa-fidelity/calibration/ holds a second inspector's blind reading of a set,
// also prints, per rule it labels, how the two inspectors agree (the second reader's fails against
// the first's, as the engine's are measured), the engine against each, and the engine on the calls
// the two agree on: how much of a rule's shortfall is the reading of the calls, not the engine.
// With a third reader (C, who read blind the calls A and B differ on), also the engine against
// the label two readers in three give (the majority reference), per rule, with its targets.
//
//   --heldout       corpus set restricted to the dialogues no earlier tuning looked at (not in
//                   scripts/corpus-judgements.tsv, in the situation detector's held-out split)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Call } from '../src/calls/model.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { Inspector } from '../src/qa/engine.ts';
import type { Outcome } from '../src/qa/result.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';
import {
  CORPUS_LABELS,
  calibrationReadingProblems,
  corpusCall,
  corpusFile,
  expectedOutcomes,
  type Judged,
  kendallTauB,
  type LabelsFile,
  labelledRules,
  labelProblems,
  majorityReference,
  ROOT,
  type RuleStats,
  readCalibrationReadings,
  readCorpus,
  readLabels,
  readSeedCalls,
  ruleStats,
  SEED_LABELS,
  spearmanRho,
  wilsonInterval,
} from './support/qa-fidelity-data.ts';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const MARKDOWN = args.includes('--markdown');
const MISSES = args.includes('--misses');
const HELDOUT = args.includes('--heldout');
const MIN_SUPPORT = 8;
const TARGET_P = 0.9;
const TARGET_R = 0.85;

const scorecard = loadScorecard(opt('--scorecard'));
const catalog = opt('--playbooks') ? Catalog.load(opt('--playbooks')) : Catalog.load();
const inspector = new Inspector(scorecard, catalog);
const ruleIds = scorecard.rules.map((r) => r.id);

interface SetRun {
  name: string;
  judged: Judged[];
  scores: { engine: number; inspector: number }[];
  /** The rules this set has labels for (a rule added to the scorecard later may have none yet). */
  rules: string[];
  note?: string;
}

function check(file: string, labels: LabelsFile) {
  const problems = labelProblems(labels, ruleIds);
  if (problems.length) {
    console.error(`${file}: ${problems.length} problem(s) against the scorecard's rules:`);
    for (const p of problems.slice(0, 20)) console.error(`  ${p}`);
    process.exit(2);
  }
}

function run(name: string, labels: LabelsFile, calls: Map<string, Call>, note?: string): SetRun {
  const judged: Judged[] = [];
  const scores: SetRun['scores'] = [];
  for (const l of labels.calls) {
    const call = calls.get(l.id);
    if (!call) continue;
    const r = inspector.inspect(call);
    judged.push({
      id: l.id,
      expected: expectedOutcomes(l),
      actual: new Map<string, Outcome>(r.rules.map((x) => [x.id, x.outcome])),
    });
    scores.push({ engine: r.score, inspector: l.score });
  }
  return { name, judged, scores, rules: labelledRules(labels, ruleIds), ...(note ? { note } : {}) };
}

// ---- the sets ----

const sets: SetRun[] = [];
const seedLabels = readLabels(SEED_LABELS);
check(SEED_LABELS, seedLabels);
const seedCalls = new Map((await readSeedCalls()).map((c) => [c.id, c]));
const missingSeed = seedLabels.calls.filter((l) => !seedCalls.has(l.id));
if (missingSeed.length) {
  console.error(`seed labels without a call: ${missingSeed.map((l) => l.id).join(', ')}`);
  process.exit(2);
}
sets.push(run('seeds', seedLabels, seedCalls));

const corpusLabels = readLabels(CORPUS_LABELS);
check(CORPUS_LABELS, corpusLabels);
const corpus = readCorpus(corpusFile(corpusLabels.corpus_file));
if (!corpus) {
  console.log(`corpus not found at ${corpusFile(corpusLabels.corpus_file)}: the corpus set is skipped`);
} else {
  const brand = corpusLabels.brand ?? 'generic';
  const channel = corpusLabels.channel ?? 'chat';
  let ids = corpusLabels.calls.map((l) => l.id);
  const judgedBefore = tunedIds();
  const { corpusSplit, enriched } = await detectorSplit();
  const heldout = ids.filter((id) => !judgedBefore.has(id) && corpusSplit(id, enriched) === 'test');
  const note =
    `${ids.length} dialogues: ${ids.filter((id) => judgedBefore.has(id)).length} in the word-rule tuning ` +
    `sample (scripts/corpus-judgements.tsv), ${ids.filter((id) => corpusSplit(id, enriched) === 'train').length} ` +
    `in the situation detector's training split; ${heldout.length} in neither (--heldout)`;
  if (HELDOUT) ids = heldout;
  const calls = new Map<string, Call>();
  for (const id of ids) {
    const d = corpus.get(id);
    if (!d) {
      console.error(`corpus-labels.yaml: ${id} is not in the corpus`);
      process.exit(2);
    }
    calls.set(id, corpusCall(d, brand, channel));
  }
  sets.push(run(HELDOUT ? 'corpus (held out)' : 'corpus', corpusLabels, calls, note));
}
if (sets.length === 2) {
  const [a, b] = sets as [SetRun, SetRun];
  sets.push({
    name: 'both',
    judged: [...a.judged, ...b.judged],
    scores: [...a.scores, ...b.scores],
    rules: a.rules.filter((r) => b.rules.includes(r)),
  });
}

function tunedIds(): Set<string> {
  const f = join(ROOT, 'scripts/corpus-judgements.tsv');
  if (!existsSync(f)) return new Set();
  return new Set(
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('stc3-'))
      .map((l) => l.split('\t')[0] as string),
  );
}

async function detectorSplit() {
  const m = await import('../scripts/situations-data.ts');
  const text = readFileSync(join(m.CORPUS_DIR, 'README.md'), 'utf8');
  const block = (text.split(/^## Keyword-enriched ids.*$/m)[1] ?? '').split('```')[1] ?? '';
  const enriched = new Set(
    block
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('stc3-')),
  );
  return { corpusSplit: m.corpusSplit, enriched };
}

// ---- output ----

const pct = (v: number | null) => (v === null ? '–' : v.toFixed(2));
const flagged = (s: RuleStats) =>
  s.support >= MIN_SUPPORT &&
  ((s.precision !== null && s.precision < TARGET_P) || (s.recall !== null && s.recall < TARGET_R));
// Where precision and recall may truly lie, given how few calls they are measured on (Wilson's 95%
// interval): a rule is short beyond chance when the interval of a measure below its target ends
// under the target too; else the set cannot tell it from one that meets the target.
const precisionInterval = (s: RuleStats) => wilsonInterval(s.tp, s.tp + s.fp);
const recallInterval = (s: RuleStats) => wilsonInterval(s.tp, s.support);
const span = (w: { low: number; high: number } | null) =>
  w === null ? '–' : `${w.low.toFixed(2)}–${w.high.toFixed(2)}`;
const shortBeyondChance = (s: RuleStats) =>
  flagged(s) && ((precisionInterval(s)?.high ?? 1) < TARGET_P || (recallInterval(s)?.high ?? 1) < TARGET_R);

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows].map((r) => r.map(String));
  const width = head.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) =>
    MARKDOWN
      ? `| ${r.map((c, i) => (i === 0 ? c.padEnd(width[i] ?? 0) : c.padStart(width[i] ?? 0))).join(' | ')} |`
      : r.map((c, i) => (i === 0 ? c.padEnd(width[i] ?? 0) : c.padStart(width[i] ?? 0))).join('  ');
  const out = [line(cells[0] as string[])];
  if (MARKDOWN)
    out.push(`| ${width.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`);
  for (const r of cells.slice(1)) out.push(line(r));
  return out.join('\n');
}

for (const set of sets) {
  const stats = set.rules.map((r) => ruleStats(r, set.judged));
  const totals = stats.reduce(
    (t, s) => ({ tp: t.tp + s.tp, fp: t.fp + s.fp, fn: t.fn + s.fn, support: t.support + s.support }),
    { tp: 0, fp: 0, fn: 0, support: 0 },
  );
  console.log(`\n## ${set.name}: ${set.judged.length} calls${set.note ? ` (${set.note})` : ''}\n`);
  const missing = ruleIds.filter((r) => !set.rules.includes(r));
  if (missing.length) console.log(`not labelled in this set yet, so not measured: ${missing.join(', ')}\n`);
  const rows = stats.map((s) => [
    s.rule,
    s.support,
    s.tp,
    s.fp,
    s.fn,
    pct(s.precision),
    span(precisionInterval(s)),
    pct(s.recall),
    span(recallInterval(s)),
    `${s.naAgree}/${s.calls}`,
    s.naOnlyInspector,
    s.naOnlyEngine,
    shortBeyondChance(s) ? '**below target, beyond chance**' : flagged(s) ? '**below target**' : '',
  ]);
  rows.push([
    'all rules',
    totals.support,
    totals.tp,
    totals.fp,
    totals.fn,
    pct(totals.tp + totals.fp ? totals.tp / (totals.tp + totals.fp) : null),
    span(wilsonInterval(totals.tp, totals.tp + totals.fp)),
    pct(totals.tp + totals.fn ? totals.tp / (totals.tp + totals.fn) : null),
    span(wilsonInterval(totals.tp, totals.tp + totals.fn)),
    '',
    '',
    '',
    '',
  ]);
  console.log(
    table(
      [
        'rule',
        'support',
        'TP',
        'FP',
        'FN',
        'P',
        'P 95%',
        'R',
        'R 95%',
        'n/a agree',
        'n/a insp only',
        'n/a engine only',
        '',
      ],
      rows,
    ),
  );
  const e = set.scores.map((s) => s.engine);
  const i = set.scores.map((s) => s.inspector);
  console.log(
    `\nscores vs the inspector's ranking: Spearman rho ${spearmanRho(e, i).toFixed(2)}, Kendall tau-b ${kendallTauB(e, i).toFixed(2)}` +
      ` (engine mean ${(e.reduce((a, b) => a + b, 0) / e.length).toFixed(1)}, inspector mean ${(i.reduce((a, b) => a + b, 0) / i.length).toFixed(1)})`,
  );
  const below = stats.filter(flagged).map((s) => s.rule);
  console.log(
    below.length
      ? `rules with >= ${MIN_SUPPORT} positives below P ${TARGET_P} / R ${TARGET_R}: ${below.join(', ')}`
      : `no rule with >= ${MIN_SUPPORT} positives is below P ${TARGET_P} / R ${TARGET_R}`,
  );
  const beyond = stats.filter(shortBeyondChance).map((s) => s.rule);
  if (below.length)
    console.log(
      beyond.length
        ? `of these, short beyond chance (the 95% interval of the measure ends under the target): ${beyond.join(', ')}`
        : 'none of these is short beyond chance (every 95% interval reaches the target)',
    );
  if (MISSES) {
    for (const s of stats) {
      if (s.fpIds.length === 0 && s.fnIds.length === 0) continue;
      console.log(`  ${s.rule}`);
      if (s.fpIds.length) console.log(`    FP: ${s.fpIds.join(' ')}`);
      if (s.fnIds.length) console.log(`    FN: ${s.fnIds.join(' ')}`);
    }
  }
}

// ---- two inspectors ----

const readings = readCalibrationReadings();
if (readings.length > 0) {
  const firstIds = {
    seeds: new Set(seedLabels.calls.map((c) => c.id)),
    corpus: new Set(corpusLabels.calls.map((c) => c.id)),
  };
  // Reader B read every call of a set; reader C (the third) only those A and B differ on.
  const second = {
    seeds: new Map<string, Map<string, Outcome>>(),
    corpus: new Map<string, Map<string, Outcome>>(),
  };
  const third = {
    seeds: new Map<string, Map<string, Outcome>>(),
    corpus: new Map<string, Map<string, Outcome>>(),
  };
  const secondRules: { seeds: string[] | null; corpus: string[] | null } = { seeds: null, corpus: null };
  for (const { file, reading } of readings) {
    const problems = calibrationReadingProblems(reading, ruleIds, firstIds[reading.set]);
    if (problems.length) {
      console.error(`${file}: ${problems.length} problem(s):`);
      for (const p of problems.slice(0, 20)) console.error(`  ${p}`);
      process.exit(2);
    }
    const into = reading.reader === 'C' ? third : second;
    for (const c of reading.calls) into[reading.set].set(c.id, expectedOutcomes(c));
    if (reading.reader === 'C') continue;
    const had = secondRules[reading.set];
    secondRules[reading.set] = had === null ? reading.rules : had.filter((r) => reading.rules.includes(r));
  }
  console.log(
    "\n## calibration (校准): the set's labels (reader A) and a second inspector's blind reading (B; evaluation/qa-fidelity/calibration)",
  );
  for (const set of sets) {
    const kinds =
      set.name === 'both'
        ? (['seeds', 'corpus'] as const)
        : set.name.startsWith('corpus')
          ? (['corpus'] as const)
          : (['seeds'] as const);
    const rules = kinds
      .map((k) => secondRules[k])
      .reduce<string[] | null>(
        (a, b) => (a === null || b === null ? null : a.filter((r) => b.includes(r))),
        ruleIds.slice(),
      );
    const read = set.judged.filter((j) => kinds.some((k) => second[k].has(j.id)));
    if (rules === null || rules.length === 0 || read.length === 0) continue;
    const bOf = (id: string) => second.seeds.get(id) ?? second.corpus.get(id) ?? new Map<string, Outcome>();
    const bVsA: Judged[] = read.map((j) => ({ id: j.id, expected: j.expected, actual: bOf(j.id) }));
    const engineVsB: Judged[] = read.map((j) => ({ id: j.id, expected: bOf(j.id), actual: j.actual }));
    console.log(`\n### ${set.name}: ${read.length} of ${set.judged.length} calls read twice\n`);
    const pr = (x: RuleStats) => `${pct(x.precision)} / ${pct(x.recall)}`;
    const rows = rules.map((rule) => {
      const ba = ruleStats(rule, bVsA);
      const ea = ruleStats(rule, read);
      const eb = ruleStats(rule, engineVsB);
      // The calls both readers give the same outcome for this rule.
      const agreed = read.filter((j) => j.expected.get(rule) === bOf(j.id).get(rule));
      const ec = ruleStats(rule, agreed);
      return [
        rule,
        ba.support,
        eb.support,
        `${agreed.length}/${read.length}`,
        pr(ba),
        pr(ea),
        pr(eb),
        ec.support,
        pr(ec),
        span(precisionInterval(ec)),
      ];
    });
    console.log(
      table(
        [
          'rule',
          'A fails',
          'B fails',
          'A = B',
          'B vs A: P / R',
          'engine vs A',
          'engine vs B',
          'fails A = B',
          'engine where A = B',
          'its P 95%',
        ],
        rows,
      ),
    );
    // Two readers in three: A where B agrees, else the third reader's (C) when it is A's or B's.
    const cOf = (id: string) => third.seeds.get(id) ?? third.corpus.get(id);
    const readByC = read.filter((j) => cOf(j.id) !== undefined).length;
    if (readByC === 0) continue;
    let changed = 0;
    let split = 0;
    let unread = 0;
    const byMajority: Judged[] = read.map((j) => {
      const m = majorityReference(j.expected, bOf(j.id), cOf(j.id), rules);
      changed += m.changed.length;
      split += m.split.length;
      unread += m.unread.length;
      return { id: j.id, expected: m.reference, actual: j.actual };
    });
    console.log(
      `\n#### ${set.name}: the reference of two readers in three (A where B agrees, else the third reader C, who read the ${readByC} calls A and B differ on, blind): ${changed} of A's labels changed, ${split} read three ways and ${unread} not read by C (left out)\n`,
    );
    const mrows = rules.map((rule) => {
      const ea = ruleStats(rule, read);
      const em = ruleStats(rule, byMajority);
      return [
        rule,
        ea.support,
        em.support,
        pr(ea),
        pr(em),
        span(precisionInterval(em)),
        span(recallInterval(em)),
        flagged(em)
          ? shortBeyondChance(em)
            ? 'short, beyond chance'
            : 'short'
          : em.support >= MIN_SUPPORT
            ? 'met'
            : `few fails (< ${MIN_SUPPORT})`,
      ];
    });
    console.log(
      table(
        [
          'rule',
          'A fails',
          'majority fails',
          'engine vs A',
          'engine vs majority',
          'its P 95%',
          'its R 95%',
          'targets',
        ],
        mrows,
      ),
    );
  }
}
