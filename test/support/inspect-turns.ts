// Turns written in a test and the default scorecard's outcome of one rule on them: the round tests'
// (src/qa/round-s*.test.ts) shared way to state a call in a few lines.
import type { Call, Turn } from '../../src/calls/model.ts';
import { Catalog } from '../../src/playbook/catalog.ts';
import { Inspector } from '../../src/qa/engine.ts';
import type { Outcome } from '../../src/qa/result.ts';
import { loadScorecard } from '../../src/qa/scorecard.ts';

let inspector: Inspector | undefined;

export const a = (text: string): Turn => ({ speaker: 'agent', text });
export const c = (text: string): Turn => ({ speaker: 'customer', text });

/** The rule's outcome on an inbound `generic` call of these turns (`extra` sets the channel, direction…). */
export function outcome(turns: Turn[], rule: string, extra: Partial<Call> = {}): Outcome | undefined {
  inspector ??= new Inspector(loadScorecard(), Catalog.load());
  return inspector
    .inspect({ id: 'x', direction: 'inbound', brand: 'generic', events: [], turns, ...extra })
    .rules.find((r) => r.id === rule)?.outcome;
}
