// The inspectors' holistic marks of the development calls (training/qa-dev/marks) and how the
// default scorecard's scores rank those calls: every case marked once, and the check parts
// (never fitted on) ranked at least as well as when the points were fitted (rho 0.72 each).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFile, spearmanRho } from '../bench/support/qa-fidelity-data.ts';
import { deductions, readMarkedCalls } from '../scripts/qa-marks.ts';

const corpus = existsSync(corpusFile());

describe.skipIf(!corpus)('development marks', () => {
  it('mark every case of their files once, and the shipped points rank the check parts as fitted', () => {
    const marked = readMarkedCalls();
    expect(marked.length).toBeGreaterThan(700);
    const { rows } = deductions(marked);
    for (const area of ['calls', 'corpus']) {
      const idx = marked.map((m, i) => (m.area === area && m.check ? i : -1)).filter((i) => i >= 0);
      expect(idx.length).toBeGreaterThan(70);
      const rho = spearmanRho(
        idx.map((i) => rows[i]?.score ?? 0),
        idx.map((i) => marked[i]?.mark ?? 0),
      );
      // The points before (session 30's) gave 0.65 and 0.62.
      expect(rho, area).toBeGreaterThanOrEqual(0.7);
    }
  });
});
