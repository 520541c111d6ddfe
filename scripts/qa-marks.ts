// How the engine's scores rank the development calls against an inspector's holistic 0–100 marks
// (training/qa-dev/marks/<area>/<file>.yaml, one mark per case of training/qa-dev/<area>/<file>.yaml,
// given blind to the engine): Spearman's rho and Kendall's tau-b per area, for the tuned-on files
// and the check parts (check-*.yaml, never tuned on) apart.
//
//   npx tsx scripts/qa-marks.ts [--scorecard F]   # rho / tau-b with the scorecard's points
//   npx tsx scripts/qa-marks.ts --fit             # + per-rule scales fitted on the tuned-on marks
//
// `--fit` fits, on the tuned-on files only, one non-negative scale per rule for the points it
// deducts now (least squares of 100 − mark on each rule's deduction, drawn towards 1 so that a rule
// seldom failed keeps its points), then prints the scaled points and rho / tau-b with them on both
// parts. The check parts say whether the scales carry over; the held-out evaluation
// (bench/qa-fidelity.ts) is measured once after, never fitted on.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  corpusCall,
  corpusFile,
  kendallTauB,
  readCorpus,
  spearmanRho,
} from '../bench/support/qa-fidelity-data.ts';
import type { Call } from '../src/calls/model.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { Inspector } from '../src/qa/engine.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';
import { devCall, ROOT, readDevCases } from './qa-dev.ts';

export interface MarkEntry {
  id: string;
  mark: number | null;
  why: string;
}

export interface MarkedCall {
  area: string;
  file: string;
  /** A check part (check-*.yaml): never tuned on. */
  check: boolean;
  call: Call;
  mark: number;
}

const MARKS = join(ROOT, 'training', 'qa-dev', 'marks');

/** Every marked call of the areas that have marks, with its call as the dev runner builds it. */
export function readMarkedCalls(): MarkedCall[] {
  const out: MarkedCall[] = [];
  if (!existsSync(MARKS)) return out;
  const areas = readdirSync(MARKS, { withFileTypes: true }).filter((d) => d.isDirectory());
  for (const area of areas.map((d) => d.name).sort()) {
    for (const file of readdirSync(join(MARKS, area))
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const marks = parse(readFileSync(join(MARKS, area, file), 'utf8')) as MarkEntry[];
      const byId = new Map(marks.map((m) => [m.id, m]));
      if (byId.size !== marks.length) throw new Error(`marks/${area}/${file}: an id is marked twice`);
      const calls = callsOf(area, file);
      const missing = [...calls.keys()].filter((id) => !byId.has(id));
      const unknown = marks.filter((m) => !calls.has(m.id)).map((m) => m.id);
      if (missing.length > 0 || unknown.length > 0)
        throw new Error(
          `marks/${area}/${file}: ${missing.length} cases of ${area}/${file} unmarked (${missing.slice(0, 3).join(', ')}), ${unknown.length} ids not in it (${unknown.slice(0, 3).join(', ')})`,
        );
      for (const m of marks) {
        if (m.mark === null) continue;
        if (!Number.isInteger(m.mark) || m.mark < 0 || m.mark > 100)
          throw new Error(`marks/${area}/${file}: ${m.id}: mark ${m.mark} is not a whole number 0–100`);
        out.push({
          area,
          file,
          check: file.startsWith('check-'),
          call: calls.get(m.id) as Call,
          mark: m.mark,
        });
      }
    }
  }
  return out;
}

function callsOf(area: string, file: string): Map<string, Call> {
  if (area !== 'corpus') return new Map(readDevCases(area, [file]).map((k) => [k.id, devCall(k)]));
  const f = parse(readFileSync(join(ROOT, 'training', 'qa-dev', 'corpus', file), 'utf8')) as {
    corpus_file: string;
    brand?: string;
    calls: { id: string }[];
  };
  const corpus = readCorpus(corpusFile(f.corpus_file));
  if (!corpus) throw new Error(`the corpus is not at ${corpusFile()}: set HUASHU_CORPUS_DIR`);
  return new Map(
    f.calls.map((c) => {
      const d = corpus.get(c.id);
      if (!d) throw new Error(`corpus/${file}: ${c.id} is not in the corpus`);
      return [c.id, corpusCall(d, f.brand ?? 'generic', 'chat')];
    }),
  );
}

/** Per marked call, each rule's deduction (points, ≥ 0) in the scorecard's rule order. */
export function deductions(marked: readonly MarkedCall[], scorecardFile?: string) {
  const scorecard = loadScorecard(scorecardFile);
  const inspector = new Inspector(scorecard, Catalog.load());
  const rules = scorecard.rules.map((r) => r.id);
  const rows = marked.map((m) => {
    const r = inspector.inspect(m.call);
    const d = rules.map((id) => -(r.rules.find((x) => x.id === id)?.points ?? 0));
    return { d, score: r.score };
  });
  return { rules, total: scorecard.total, rows };
}

/** Non-negative scales s minimising Σ (y − Σ s·d)² + λ·n·Σ (s − 1)² (coordinate descent). */
export function fitScales(d: readonly number[][], y: readonly number[], lambda: number): number[] {
  const k = d[0]?.length ?? 0;
  const s = new Array<number>(k).fill(1);
  const n = d.length;
  const pred = d.map((row) => row.reduce((a, v, j) => a + v * (s[j] as number), 0));
  for (let it = 0; it < 500; it++) {
    let moved = 0;
    for (let j = 0; j < k; j++) {
      let num = lambda * n;
      let den = lambda * n;
      for (let i = 0; i < n; i++) {
        const v = (d[i] as number[])[j] as number;
        if (v === 0) continue;
        const rest = (pred[i] as number) - v * (s[j] as number);
        num += v * ((y[i] as number) - rest);
        den += v * v;
      }
      const next = Math.max(0, num / den);
      const delta = next - (s[j] as number);
      if (delta !== 0) {
        for (let i = 0; i < n; i++) pred[i] = (pred[i] as number) + delta * ((d[i] as number[])[j] as number);
        s[j] = next;
        moved = Math.max(moved, Math.abs(delta));
      }
    }
    if (moved < 1e-6) break;
  }
  return s;
}

function report(label: string, engine: number[], marks: number[]): string {
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / Math.max(1, x.length);
  return `${label.padEnd(26)} ${String(marks.length).padStart(4)}  rho ${spearmanRho(engine, marks).toFixed(2)}  tau-b ${kendallTauB(engine, marks).toFixed(2)}  engine mean ${mean(engine).toFixed(1)}, marks ${mean(marks).toFixed(1)}`;
}

if (process.argv[1]?.endsWith('qa-marks.ts')) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--scorecard');
  const scorecardFile = at >= 0 ? args[at + 1] : undefined;
  const marked = readMarkedCalls();
  if (marked.length === 0) throw new Error(`no marks under ${MARKS}`);
  const { rules, total, rows } = deductions(marked, scorecardFile);
  const groups = (scores: number[]) => {
    const lines: string[] = [];
    for (const area of [...new Set(marked.map((m) => m.area))])
      for (const check of [false, true]) {
        const idx = marked
          .map((m, i) => (m.area === area && m.check === check ? i : -1))
          .filter((i) => i >= 0);
        if (idx.length > 1)
          lines.push(
            report(
              `${area} ${check ? 'check' : 'tuned-on'}`,
              idx.map((i) => scores[i] as number),
              idx.map((i) => (marked[i] as MarkedCall).mark),
            ),
          );
      }
    for (const check of [false, true]) {
      const idx = marked.map((m, i) => (m.check === check ? i : -1)).filter((i) => i >= 0);
      lines.push(
        report(
          `all ${check ? 'check' : 'tuned-on'}`,
          idx.map((i) => scores[i] as number),
          idx.map((i) => (marked[i] as MarkedCall).mark),
        ),
      );
    }
    return lines.join('\n');
  };
  console.log(`scores with the scorecard's points (${scorecardFile ?? 'scorecards/default.yaml'}):`);
  console.log(groups(rows.map((r) => r.score)));
  if (args.includes('--fit')) {
    const lambdaAt = args.indexOf('--lambda');
    const lambda = lambdaAt >= 0 ? Number(args[lambdaAt + 1]) : 0.02;
    if (!(lambda >= 0)) throw new Error(`--lambda ${args[lambdaAt + 1]}: a number ≥ 0 is needed`);
    const tuned = marked.map((m, i) => (m.check ? -1 : i)).filter((i) => i >= 0);
    const s = fitScales(
      tuned.map((i) => (rows[i] as { d: number[] }).d),
      tuned.map((i) => total - (marked[i] as MarkedCall).mark),
      lambda,
    );
    const fails = rules.map(
      (_, j) => tuned.filter((i) => ((rows[i] as { d: number[] }).d[j] as number) > 0).length,
    );
    console.log(`\nscales fitted on the tuned-on marks (λ ${lambda}): rule, calls it deducts in, scale`);
    for (const [j, id] of rules.entries())
      console.log(`  ${id.padEnd(34)} ${String(fails[j]).padStart(4)}  ×${(s[j] as number).toFixed(2)}`);
    const scaled = rows.map((r) => Math.max(0, total - r.d.reduce((a, v, j) => a + v * (s[j] as number), 0)));
    console.log('\nscores with the fitted scales:');
    console.log(groups(scaled));
  }
}
