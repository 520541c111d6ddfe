// The development sets of the quality-inspection rules (training/qa-dev/<area>/cases.yaml and
// batch-*.yaml):
// `npx tsx scripts/qa-dev.ts [area] [file.yaml…] [--scorecard F]` prints, per rule, how the default scorecard fares on the
// area's hand-written cases (fail = positive: TP/FP/FN, precision, recall, n/a agreement) and
// every case whose outcome differs from the expected one. Tune on these, never on evaluation/.
// `--check` runs the area's check parts instead (check-*.yaml: written with a batch, never tuned on).
// `test/qa-dev.test.ts` asserts every case.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { corpusCall, corpusFile, readCorpus } from '../bench/support/qa-fidelity-data.ts';
import type { Call, CallEvent, Channel, Direction, Turn } from '../src/calls/model.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { Inspector } from '../src/qa/engine.ts';
import type { Outcome } from '../src/qa/result.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface DevCase {
  id: string;
  why: string;
  brand?: string;
  channel?: Channel;
  /** Who placed the call (absent: inbound, the customer calling). */
  direction?: Direction;
  turns: ({ a: string } | { c: string })[];
  /** Who hung up (a phone call's hang-up event), or a dropped line. */
  hangup?: 'customer' | 'agent' | 'dropped';
  expect: Record<string, Outcome>;
  /** Per rule, why the engine still gives another outcome than the expected one (a known miss). */
  known?: Record<string, string>;
}

export interface DevOutcome {
  id: string;
  rule: string;
  expected: Outcome;
  got: Outcome;
  /** The case's `known` reason for this rule: the engine is known to miss it. */
  known?: string;
}

/** The area's check parts (check-*.yaml): cases written with a batch and set aside, never tuned on. */
export function checkFiles(area: string): string[] {
  return readdirSync(join(ROOT, 'training', 'qa-dev', area))
    .filter((f) => /^check-.*\.yaml$/.test(f))
    .sort();
}

/** The area's tuned-on parts: `cases.yaml` and the later batches (batch-*.yaml). */
export function devFiles(area: string): string[] {
  const batches = readdirSync(join(ROOT, 'training', 'qa-dev', area))
    .filter((f) => /^batch-.*\.yaml$/.test(f))
    .sort();
  return ['cases.yaml', ...batches];
}

/** The area's cases: its tuned-on parts (`devFiles`) unless other files of the area are named. */
export function readDevCases(area: string, files: readonly string[] = devFiles(area)): DevCase[] {
  return files.flatMap(
    (f) => parse(readFileSync(join(ROOT, 'training', 'qa-dev', area, f), 'utf8')) as DevCase[],
  );
}

export function devCall(k: DevCase): Call {
  const turns: Turn[] = k.turns.map((t) =>
    // A turn YAML reads as a number (an order number said alone) is its text.
    'a' in t ? { speaker: 'agent', text: String(t.a) } : { speaker: 'customer', text: String(t.c) },
  );
  const events: CallEvent[] =
    k.hangup === undefined
      ? []
      : [
          k.hangup === 'dropped'
            ? { type: 'hangup', at: 0, cause: 'dropped' }
            : { type: 'hangup', at: 0, by: k.hangup },
        ];
  return {
    id: k.id,
    direction: k.direction ?? 'inbound',
    brand: k.brand ?? 'generic',
    ...(k.channel ? { channel: k.channel } : {}),
    events,
    turns,
  };
}

/**
 * Real help-desk threads judged by an inspector for some rules (training/qa-dev/corpus/*.yaml):
 * by corpus id only, the text read at run time from ../shared/corpus (never copied here).
 */
interface CorpusDevFile {
  corpus_file: string;
  brand?: string;
  channel?: Channel;
  calls: {
    id: string;
    fail?: string[];
    pass?: string[];
    na?: string[];
    why: string;
    /** Per rule, why the engine still gives another outcome (a known miss). */
    known?: Record<string, string>;
  }[];
}

/** The corpus area's outcomes, or null when the corpus is not beside the repository. */
export function runCorpusDevSet(
  scorecardFile?: string,
  files: readonly string[] = readdirSync(join(ROOT, 'training', 'qa-dev', 'corpus'))
    .filter((f) => /^(threads|batch-.*)\.yaml$/.test(f))
    .sort(),
): DevOutcome[] | null {
  const inspector = new Inspector(loadScorecard(scorecardFile), Catalog.load());
  const out: DevOutcome[] = [];
  for (const f of files) {
    const file = parse(readFileSync(join(ROOT, 'training', 'qa-dev', 'corpus', f), 'utf8')) as CorpusDevFile;
    const corpus = readCorpus(corpusFile(file.corpus_file));
    if (!corpus) return null;
    for (const c of file.calls) {
      const d = corpus.get(c.id);
      if (!d) throw new Error(`${f}: ${c.id} is not in the corpus ${file.corpus_file}`);
      const r = inspector.inspect(corpusCall(d, file.brand ?? 'generic', file.channel ?? 'chat'));
      const expect: [string, Outcome][] = [
        ...(c.fail ?? []).map((rule) => [rule, 'fail'] as [string, Outcome]),
        ...(c.pass ?? []).map((rule) => [rule, 'pass'] as [string, Outcome]),
        ...(c.na ?? []).map((rule) => [rule, 'n/a'] as [string, Outcome]),
      ];
      for (const [rule, expected] of expect) {
        const got = r.rules.find((x) => x.id === rule)?.outcome;
        if (got === undefined) throw new Error(`${f}: ${c.id}: no rule ${rule} in the default scorecard`);
        const known = c.known?.[rule];
        out.push({ id: c.id, rule, expected, got, ...(known ? { known } : {}) });
      }
    }
  }
  return out;
}

/** Every expected outcome of the area's cases beside the engine's. */
export function runDevSet(area: string, scorecardFile?: string, files?: readonly string[]): DevOutcome[] {
  if (area === 'corpus') {
    const out = runCorpusDevSet(scorecardFile, files);
    if (!out) throw new Error(`the corpus is not at ${corpusFile()}: set HUASHU_CORPUS_DIR`);
    return out;
  }
  const inspector = new Inspector(loadScorecard(scorecardFile), Catalog.load());
  const out: DevOutcome[] = [];
  for (const k of readDevCases(area, files)) {
    const r = inspector.inspect(devCall(k));
    for (const [rule, expected] of Object.entries(k.expect)) {
      const got = r.rules.find((x) => x.id === rule)?.outcome;
      if (got === undefined) throw new Error(`${k.id}: no rule ${rule} in the default scorecard`);
      const known = k.known?.[rule];
      out.push({ id: k.id, rule, expected, got, ...(known ? { known } : {}) });
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--scorecard');
  const scorecardFile = at >= 0 ? args[at + 1] : undefined;
  const named = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--scorecard');
  const area = named.find((a) => !a.endsWith('.yaml')) ?? 'complaint';
  // Files of the area named after it (batch-s25a.yaml): those only.
  const files = named.filter((a) => a.endsWith('.yaml'));
  const outcomes = runDevSet(
    area,
    scorecardFile,
    args.includes('--check') ? checkFiles(area) : files.length > 0 ? files : undefined,
  );
  const rules = [...new Set(outcomes.map((o) => o.rule))].sort();
  const f2 = (x: number) => (Number.isNaN(x) ? '  –' : x.toFixed(2));
  console.log(`rule                              cases  TP  FP  FN     P     R  n/a agree`);
  for (const rule of rules) {
    const os = outcomes.filter((o) => o.rule === rule);
    const tp = os.filter((o) => o.expected === 'fail' && o.got === 'fail').length;
    const fp = os.filter((o) => o.expected !== 'fail' && o.got === 'fail').length;
    const fn = os.filter((o) => o.expected === 'fail' && o.got !== 'fail').length;
    const na = os.filter((o) => (o.expected === 'n/a') === (o.got === 'n/a')).length;
    console.log(
      `${rule.padEnd(34)}${String(os.length).padStart(5)}${String(tp).padStart(4)}${String(fp).padStart(4)}${String(fn).padStart(4)}  ${f2(tp / (tp + fp))}  ${f2(tp / (tp + fn))}  ${na}/${os.length}`,
    );
  }
  const wrong = outcomes.filter((o) => o.expected !== o.got);
  for (const o of wrong)
    console.log(
      `  ${o.id}: ${o.rule} expected ${o.expected}, got ${o.got}${o.known ? ` (known: ${o.known})` : ''}`,
    );
  console.log(`${outcomes.length - wrong.length}/${outcomes.length} outcomes as expected`);
}
