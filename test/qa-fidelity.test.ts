// The held-out QA evaluation (evaluation/qa-fidelity/) is well formed: its label files parse,
// label every rule of the default scorecard exactly once per call and nothing else, the calls
// written from the seeds import, the corpus ids exist, and no corpus text is in the repository's
// copy (n-gram overlap, when the corpus is beside the repository). Plus the rank statistics the
// bench prints.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type CalibrationReading,
  CORPUS_LABELS,
  calibrationReadingProblems,
  corpusFile,
  EVAL_DIR,
  expectedOutcomes,
  type Judged,
  kendallTauB,
  labelledRules,
  labelProblems,
  majorityReference,
  readCalibrationReadings,
  readCorpus,
  readLabels,
  readSeedCalls,
  ruleStats,
  SEED_LABELS,
  spearmanRho,
  wilsonInterval,
} from '../bench/support/qa-fidelity-data.ts';
import type { Outcome } from '../src/qa/result.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';

const ruleIds = loadScorecard().rules.map((r) => r.id);
const seedLabels = readLabels(SEED_LABELS);
const corpusLabels = readLabels(CORPUS_LABELS);
const seedCalls = await readSeedCalls();

describe('the labels', () => {
  it('label every rule of the default scorecard once per call, and no other', () => {
    expect(labelProblems(seedLabels, ruleIds)).toEqual([]);
    expect(labelProblems(corpusLabels, ruleIds)).toEqual([]);
  });

  it('exercise every rule both ways on the calls written from the seeds', () => {
    for (const rule of labelledRules(seedLabels, ruleIds)) {
      const fails = seedLabels.calls.filter((c) => c.fail.includes(rule)).length;
      const passes = seedLabels.calls.filter((c) => c.pass.includes(rule)).length;
      expect({ rule, enoughFails: fails >= 8, somePasses: passes >= 3 }).toEqual({
        rule,
        enoughFails: true,
        somePasses: true,
      });
    }
  });

  it('give every call a written reason and seed calls of several brands and channels', () => {
    expect(seedLabels.calls.every((c) => (c.why ?? '').length > 0)).toBe(true);
    expect(new Set(seedCalls.map((c) => c.brand)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(seedCalls.map((c) => c.channel ?? 'phone'))).toEqual(new Set(['phone', 'chat', 'email']));
    expect(seedCalls.some((c) => c.direction === 'outbound')).toBe(true);
  });
});

describe('the calibration readings (calibration/: a second inspector, blind)', () => {
  const firstIds = {
    seeds: new Set(seedLabels.calls.map((c) => c.id)),
    corpus: new Set(corpusLabels.calls.map((c) => c.id)),
  };

  it('label each of their rules once per call, on calls of their set, each call once', () => {
    const readings = readCalibrationReadings();
    for (const { file, reading } of readings)
      expect({ file, problems: calibrationReadingProblems(reading, ruleIds, firstIds[reading.set]) }).toEqual(
        {
          file,
          problems: [],
        },
      );
    // Between them, the second readers (B) read every call of the sets they read once (they split
    // a set); the third (C) read each call once too.
    for (const reader of ['B', 'C'])
      for (const set of ['seeds', 'corpus'] as const) {
        const ids = readings
          .filter((r) => r.reading.set === set && r.reading.reader === reader)
          .flatMap((r) => r.reading.calls.map((c) => c.id));
        if (ids.length > 0 && reader === 'B') expect(new Set(ids)).toEqual(firstIds[set]);
        expect(new Set(ids).size).toBe(ids.length);
      }
    expect(new Set(readings.map((r) => r.reading.reader))).toEqual(new Set(['B', 'C']));
  });

  it('leave no label of A and B apart that the third reader (C) has not read: the majority is whole', () => {
    const readings = readCalibrationReadings();
    const first = new Map(
      [...seedLabels.calls, ...corpusLabels.calls].map((c) => [c.id, expectedOutcomes(c)] as const),
    );
    const third = new Map<string, Map<string, Outcome>>();
    for (const { reading } of readings)
      if (reading.reader === 'C') for (const c of reading.calls) third.set(c.id, expectedOutcomes(c));
    const unread: string[] = [];
    const disputed = new Set<string>();
    for (const { reading } of readings) {
      if (reading.reader !== 'B') continue;
      for (const c of reading.calls) {
        const a = first.get(c.id) ?? new Map<string, Outcome>();
        const b = expectedOutcomes(c);
        if (reading.rules.some((r) => a.get(r) !== b.get(r))) disputed.add(c.id);
        unread.push(
          ...majorityReference(a, b, third.get(c.id), reading.rules).unread.map((r) => `${c.id} ${r}`),
        );
      }
    }
    expect(unread).toEqual([]);
    // C read the calls A and B differ on (blind to which rule) and no other.
    expect(new Set(third.keys())).toEqual(disputed);
  });

  it('give the label two readers in three give: A where B agrees, else C when C sides with one', () => {
    const rules = ['r.same', 'r.c-with-a', 'r.c-with-b', 'r.three-ways', 'r.unread', 'r.not-read-by-b'];
    const a = new Map<string, Outcome>([
      ['r.same', 'fail'],
      ['r.c-with-a', 'fail'],
      ['r.c-with-b', 'fail'],
      ['r.three-ways', 'fail'],
      ['r.unread', 'pass'],
      ['r.not-read-by-b', 'fail'],
    ]);
    const b = new Map<string, Outcome>([
      ['r.same', 'fail'],
      ['r.c-with-a', 'pass'],
      ['r.c-with-b', 'n/a'],
      ['r.three-ways', 'pass'],
      ['r.unread', 'fail'],
    ]);
    const c = new Map<string, Outcome>([
      ['r.same', 'pass'],
      ['r.c-with-a', 'fail'],
      ['r.c-with-b', 'n/a'],
      ['r.three-ways', 'n/a'],
    ]);
    const m = majorityReference(a, b, c, rules);
    expect([...m.reference]).toEqual([
      ['r.same', 'fail'],
      ['r.c-with-a', 'fail'],
      ['r.c-with-b', 'n/a'],
    ]);
    expect(m.changed).toEqual(['r.c-with-b']);
    expect(m.split).toEqual(['r.three-ways']);
    expect(m.unread).toEqual(['r.unread']);
    // No third reading: every rule the two read apart is unread, the rest stands.
    expect(majorityReference(a, b, undefined, rules).unread).toEqual([
      'r.c-with-a',
      'r.c-with-b',
      'r.three-ways',
      'r.unread',
    ]);
  });

  it('of development threads (training/qa-dev/corpus/calibration) read threads of the development set, each rule once', () => {
    const devDir = join(EVAL_DIR, '../../training/qa-dev/corpus');
    const devIds = new Set(
      readdirSync(devDir)
        .filter((f) => f.endsWith('.yaml'))
        .flatMap((f) =>
          (parse(readFileSync(join(devDir, f), 'utf8')) as { calls: { id: string }[] }).calls.map(
            (c) => c.id,
          ),
        ),
    );
    const readings = readCalibrationReadings(join(devDir, 'calibration'));
    expect(readings.length).toBeGreaterThan(0);
    for (const { file, reading } of readings)
      expect({ file, problems: calibrationReadingProblems(reading, ruleIds, devIds) }).toEqual({
        file,
        problems: [],
      });
    // No development thread is one of the held-out set's.
    const heldOut = new Set(corpusLabels.calls.map((c) => c.id));
    expect(readings.flatMap((r) => r.reading.calls.map((c) => c.id)).filter((id) => heldOut.has(id))).toEqual(
      [],
    );
  });

  it('finds what a reading gets wrong: an unknown rule, a rule labelled twice or not at all, a stranger call', () => {
    const bad: CalibrationReading = {
      version: 1,
      set: 'seeds',
      reader: 'B',
      rules: ['language.forbidden.excuse', 'no.such-rule'],
      calls: [
        { id: 'fid-zh-01', fail: ['language.forbidden.excuse'], na: [], pass: ['language.forbidden.excuse'] },
        { id: 'nobody', fail: [], na: [], pass: ['closing.farewell'] },
      ],
    };
    expect(calibrationReadingProblems(bad, ruleIds, firstIds.seeds)).toEqual([
      'rules: unknown rule no.such-rule',
      'fid-zh-01: rule language.forbidden.excuse appears 2 times (must be once in fail, na or pass)',
      'fid-zh-01: rule no.such-rule appears 0 times (must be once in fail, na or pass)',
      'nobody: not a call of the seeds set',
      "nobody: closing.farewell is not in the reading's rules",
      'nobody: rule language.forbidden.excuse appears 0 times (must be once in fail, na or pass)',
      'nobody: rule no.such-rule appears 0 times (must be once in fail, na or pass)',
    ]);
  });
});

describe('the calls written from the seeds', () => {
  it('import as calls, one per label, ids matching', () => {
    expect(seedCalls.map((c) => c.id).sort()).toEqual(seedLabels.calls.map((c) => c.id).sort());
    expect(new Set(seedCalls.map((c) => c.id)).size).toBe(seedCalls.length);
  });
});

const corpus = readCorpus(corpusFile(corpusLabels.corpus_file));

describe('the corpus sample', () => {
  it('references at least 60 dialogues by id, none twice', () => {
    const ids = corpusLabels.calls.map((c) => c.id);
    expect(ids.length).toBeGreaterThanOrEqual(60);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^stc3-(train|test)-\d+$/);
  });

  it.skipIf(!corpus)('references only dialogues that exist in the corpus', () => {
    const missing = corpusLabels.calls.map((c) => c.id).filter((id) => !corpus?.has(id));
    expect(missing).toEqual([]);
  });

  it.skipIf(!corpus)(
    'leaves the corpus text out of every file of evaluation/qa-fidelity and training/qa-dev/corpus',
    () => {
      // Letters and digits only; a run of 14 shared with the corpus and not in the service
      // standards themselves would be copied text (stock lines such as 您好非常抱歉给您带来不便,
      // 12 characters, occur in both by coincidence).
      const N = 14;
      const norm = (s: string) => (s.match(/[\p{L}\p{N}]/gu) ?? []).join('');
      const seedsDir = join(corpusFile(), '../../seeds');
      const seeds = readdirSync(seedsDir)
        .filter((f) => f.endsWith('.txt'))
        .map((f) => norm(readFileSync(join(seedsDir, f), 'utf8')))
        .join('\n');
      const grams = new Set<string>();
      for (const d of corpus?.values() ?? [])
        for (const t of d.turns) {
          const s = norm(t.text);
          for (let i = 0; i + N <= s.length; i++) grams.add(s.slice(i, i + N));
        }
      const copiedIn = (name: string, raw: string) => {
        const text = norm(raw);
        const out: string[] = [];
        for (let i = 0; i + N <= text.length; i++) {
          const g = text.slice(i, i + N);
          if (grams.has(g) && !seeds.includes(g)) out.push(`${name}: ${g}`);
        }
        return out;
      };
      // The check finds a copied turn (kept in memory only).
      const long = [...(corpus?.values() ?? [])]
        .flatMap((d) => d.turns)
        .find((t) => norm(t.text).length > 40);
      expect(copiedIn('control', `why: "${long?.text ?? ''}"`).length).toBeGreaterThan(0);
      // Every file, in subfolders too (calibration/: a second inspector's labels).
      const copied = readdirSync(EVAL_DIR, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .flatMap((e) => copiedIn(e.name, readFileSync(join(e.parentPath, e.name), 'utf8')));
      expect(copied).toEqual([]);
      // The development set of real threads (training/qa-dev/corpus) refers to them by id too.
      const devDir = join(EVAL_DIR, '../../training/qa-dev/corpus');
      const copiedDev = readdirSync(devDir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .flatMap((e) => copiedIn(e.name, readFileSync(join(e.parentPath, e.name), 'utf8')));
      expect(copiedDev).toEqual([]);
      // …and so do the inspectors' marks of those threads (training/qa-dev/marks/corpus).
      const marksDir = join(EVAL_DIR, '../../training/qa-dev/marks/corpus');
      const copiedMarks = readdirSync(marksDir).flatMap((f) =>
        copiedIn(f, readFileSync(join(marksDir, f), 'utf8')),
      );
      expect(copiedMarks).toEqual([]);
    },
  );
});

describe('the measures', () => {
  it("Kendall's tau-b: agreement, reversal, and ties as scipy computes them", () => {
    expect(kendallTauB([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // scipy.stats.kendalltau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) -> -0.47140452079103173
    expect(kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-0.47140452079103173, 12);
    expect(kendallTauB([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it("Wilson's interval: Newcombe's (1998) worked examples of the score method", () => {
    const at = (k: number, n: number) => {
      const w = wilsonInterval(k, n);
      return w ? [Number(w.low.toFixed(4)), Number(w.high.toFixed(4))] : null;
    };
    expect(at(81, 263)).toEqual([0.2553, 0.3662]);
    expect(at(15, 148)).toEqual([0.0624, 0.1605]);
    expect(at(0, 20)).toEqual([0, 0.1611]);
    expect(at(1, 29)).toEqual([0.0061, 0.1718]);
    // The bounds stay inside [0, 1] for all-right and all-wrong counts; no count, no interval.
    expect(at(10, 10)?.[1]).toBe(1);
    expect(at(0, 0)).toBeNull();
  });

  it("Spearman's rho ranks ties by their average rank", () => {
    expect(spearmanRho([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
  });

  it('counts fail as the positive class and compares n/a on its own', () => {
    const j = (id: string, e: Outcome, a: Outcome): Judged => ({
      id,
      expected: new Map([['r', e]]),
      actual: new Map([['r', a]]),
    });
    const s = ruleStats('r', [
      j('tp', 'fail', 'fail'),
      j('fn', 'fail', 'n/a'),
      j('fp', 'n/a', 'fail'),
      j('tn', 'pass', 'pass'),
      j('na', 'n/a', 'n/a'),
    ]);
    expect(s).toMatchObject({ support: 2, tp: 1, fp: 1, fn: 1, tn: 1, precision: 0.5, recall: 0.5 });
    expect(s).toMatchObject({
      naAgree: 3,
      naOnlyInspector: 1,
      naOnlyEngine: 1,
      fpIds: ['fp'],
      fnIds: ['fn'],
    });
  });
});
