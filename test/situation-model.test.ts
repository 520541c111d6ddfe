// The shipped situation model (src/situations/model.json): its complaint situation is what
// `npm run train:situations -- --classes=complaint` makes of the seed lines, the development
// calls' caller turns and the labelled corpus turns (session 32), the other nineteen situations
// as the file had them. Skipped where the corpus is not beside the repository (training reads it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFiles, readDevCases } from '../scripts/qa-dev.ts';
import {
  corpusAvailable,
  NOT_WEAK_LABELS,
  readCorpusLines,
  readDevCallLines,
  readSeedLines,
  trainingExamples,
  withClassesOf,
} from '../scripts/situations-data.ts';
import type { StoredModel } from '../src/situations/model.ts';
import { trainModel } from '../src/situations/train.ts';

const shipped = JSON.parse(
  readFileSync(new URL('../src/situations/model.json', import.meta.url), 'utf8'),
) as StoredModel;

describe('the shipped situation model', () => {
  it.skipIf(!corpusAvailable())(
    'has the complaint situation npm run train:situations -- --classes=complaint trains, weight for weight',
    () => {
      const examples = trainingExamples({
        seed: readSeedLines(),
        written: [],
        devCalls: readDevCallLines(),
        corpus: readCorpusLines().lines,
      });
      const retrained = withClassesOf(trainModel(examples, { classes: ['complaint'] }), shipped, [
        'complaint',
      ]);
      expect(retrained).toEqual(shipped);
    },
    120_000,
  );

  it('learns complaint from whole development calls: a caller turn of every call, the check parts left out', () => {
    const lines = readDevCallLines();
    const checkIds = new Set(readDevCases('calls', checkFiles('calls')).map((k) => `calls/${k.id}`));
    expect(checkIds.size).toBeGreaterThan(100);
    // Negatives (every caller turn of a call owing no apology) and one weak positive per call owing
    // one and a contact; each speaks for complaint alone, a call's turns one fold group.
    expect(lines.filter((l) => l.situations.length === 0).length).toBeGreaterThan(500);
    expect(lines.filter((l) => l.situations.includes('complaint')).length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l.only).toEqual(['complaint']);
      expect(l.group.startsWith('calls/')).toBe(true);
      // The check parts (check-*.yaml) stay measurement: none of their calls trains.
      expect(checkIds.has(l.group), l.group).toBe(false);
    }
    // Nor the tuned-on files set aside from the weak labels (NOT_WEAK_LABELS: batch-s34's outbound calls).
    const apart = new Set(readDevCases('calls', [...NOT_WEAK_LABELS]).map((k) => `calls/${k.id}`));
    expect(apart.size).toBeGreaterThan(20);
    for (const l of lines) expect(apart.has(l.group), l.group).toBe(false);
  });

  it('retrains only the situations named, and refuses one it does not know', () => {
    const fresh: StoredModel = {
      ...shipped,
      classes: shipped.classes.map((c) => ({ ...c, threshold: 0.99 })),
    };
    const mixed = withClassesOf(fresh, shipped, ['complaint']);
    for (const c of mixed.classes) expect(c.threshold === 0.99).toBe(c.id === 'complaint');
    expect(() => withClassesOf(fresh, shipped, ['complaints'])).toThrow(/unknown situation complaints/);
  });
});
