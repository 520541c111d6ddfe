// The development sets of training/qa-dev/ (written from the standards, tuned on): every case's
// expected outcome per rule, through the default scorecard and the shipped playbooks.
import { describe, expect, it } from 'vitest';
import { readDevCases, runDevSet } from '../scripts/qa-dev.ts';

describe.each([
  ['complaint', 'complaint, long wait, replies and closing'],
  ['replies', 'replies to thanks and apologies, and the closing'],
])('training/qa-dev/%s: %s', (area) => {
  const outcomes = runDevSet(area);

  it('has cases each way for every rule it is about', () => {
    const cases = readDevCases(area);
    expect(new Set(cases.map((k) => k.id)).size).toBe(cases.length);
    for (const rule of new Set(outcomes.map((o) => o.rule))) {
      const expected = outcomes.filter((o) => o.rule === rule).map((o) => o.expected);
      expect(expected, rule).toContain('fail');
      expect(
        expected.some((e) => e !== 'fail'),
        rule,
      ).toBe(true);
    }
  });

  it.each(outcomes.filter((o) => !o.known).map((o) => [`${o.id} ${o.rule}`, o] as const))('%s', (_, o) => {
    expect(o.got).toBe(o.expected);
  });

  // Misses the engine is known to make (the case says why): fixing one makes its test fail, so
  // that its `known` note is removed.
  it.each(outcomes.filter((o) => o.known).map((o) => [`${o.id} ${o.rule}: ${o.known}`, o] as const))(
    'known miss %s',
    (_, o) => {
      expect(o.got).not.toBe(o.expected);
    },
  );
});
