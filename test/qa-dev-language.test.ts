// The development set of the forbidden-language rules (training/qa-dev/language/, written from the seeds):
// every line fails exactly the rules it is written to break — and a harmless look-alike none.
import { describe, expect, it } from 'vitest';
import { Catalog } from '../src/playbook/catalog.ts';
import { Inspector } from '../src/qa/engine.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';
import { DEV_RULES, type DevRule, devFailures, itemText, readDevSet } from './support/qa-dev.ts';

const inspector = new Inspector(loadScorecard(), Catalog.load());
const items = readDevSet();

describe('training/qa-dev/language: each line fails exactly its rules', () => {
  it('covers every rule of the set both ways', () => {
    for (const rule of Object.keys(DEV_RULES) as DevRule[]) {
      expect(items.filter((i) => i.fails.includes(rule)).length, rule).toBeGreaterThanOrEqual(3);
      expect(items.filter((i) => !i.fails.includes(rule)).length, rule).toBeGreaterThanOrEqual(3);
    }
  });

  const cases = (known: boolean) =>
    items
      .map((item, n) => [itemText(item), item.fails.join(' ') || '(none)', item, n] as const)
      .filter(([, , item]) => (item.known !== undefined) === known);
  const check = (item: (typeof items)[number], n: number) =>
    expect(devFailures(inspector, item, `dev-${n}`)).toEqual(
      (Object.keys(DEV_RULES) as DevRule[]).filter((k) => item.fails.includes(k)),
    );

  it.each(cases(false))('%s → %s', (_text, _fails, item, n) => check(item, n));
  // A known miss stays visible: this fails (and says so) the day the engine gets the line right.
  it.fails.each(cases(true))('known miss: %s → %s', (_text, _fails, item, n) => check(item, n));
});
