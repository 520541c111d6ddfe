// The scorecard check an admin's editor shows: every problem of the YAML with line and column
// (syntax, schema, cross-field references), none for the shipped file; the shipped files are
// what the store is seeded from.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../playbook/catalog.ts';
import { FixedClock } from '../shared/clock.ts';
import { DEFAULT_SCORECARD_ID, ScorecardService, shippedScorecards } from './store.ts';

const catalog = Catalog.load();
const lint = (text: string) =>
  new ScorecardService(
    null as never,
    catalog,
    new FixedClock(new Date(0)),
    () => 'id',
    () => {},
  ).lint(text);
const SHIPPED = readFileSync(new URL('../../scorecards/default.yaml', import.meta.url), 'utf8');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('scorecard lint', () => {
  it('finds nothing in the shipped scorecard, which seeds the store as "default"', () => {
    expect(lint(SHIPPED)).toEqual([]);
    expect(shippedScorecards().map((s) => s.id)).toContain(DEFAULT_SCORECARD_ID);
  });

  it('places a wrong type at its line and column with the field path', () => {
    const text = SHIPPED.replace(/^total: 100$/m, 'total: lots');
    const [issue, ...rest] = lint(text);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ line: lineOf(text, 'total: lots'), column: 8, path: 'total' });
  });

  it('places an unknown phrase set and a YAML syntax error', () => {
    const unknown = SHIPPED.replace('any: [$wait-thanks]', 'any: [$wait-thnaks]');
    const [issue] = lint(unknown);
    expect(issue?.line).toBe(lineOf(unknown, '$wait-thnaks'));
    expect(issue?.message).toContain("no phrase set 'wait-thnaks'");
    const syntax = `${SHIPPED}\nrules: [oops\n`;
    expect(lint(syntax)[0]?.line).toBeGreaterThan(0);
  });
});
