// ScorecardFlows: a call gets the rules of the version its ring names, for its whole length;
// a call that names none gets the version in force; a published version is for the next ring.
import { describe, expect, it } from 'vitest';
import { Catalog } from '../playbook/catalog.ts';
import { Inspector } from '../qa/engine.ts';
import { loadScorecard } from '../qa/scorecard.ts';
import type { CallFlow, FlowSetup } from './model.ts';
import { ScorecardFlows } from './scorecard-flows.ts';

describe('ScorecardFlows', () => {
  const catalog = Catalog.load();
  const judges = [1, 2, 3, 4, 5, 6].map(() => new Inspector(loadScorecard(), catalog));
  const shipped = new Inspector(loadScorecard(), catalog);
  // The flow records which inspector's factory made it.
  const made = new Map<CallFlow, Inspector>();
  const flows = new ScorecardFlows(
    (judge) => () => {
      const flow = {} as CallFlow;
      made.set(flow, judge);
      return flow;
    },
    shipped,
  );
  const ring = (scorecardVersion?: number | null): Inspector | undefined => {
    const setup: FlowSetup = { callId: 'c', brand: 'zhonghua', direction: 'inbound' };
    return made.get(flows.factory(scorecardVersion === undefined ? setup : { ...setup, scorecardVersion }));
  };

  it('gives each ring its version’s rules; a newer version does not change an older ring’s', () => {
    expect(flows.versionInForce).toBeNull();
    expect(ring()).toBe(shipped);
    flows.use(judges[0] as Inspector, 1);
    expect(ring()).toBe(judges[0]);
    expect(ring(null)).toBe(shipped); // rang before a stored version was in force
    flows.use(judges[1] as Inspector, 2);
    expect(flows.versionInForce).toBe(2);
    expect(ring()).toBe(judges[1]);
    expect(ring(1)).toBe(judges[0]);
    // Only the last few versions are kept: one long gone is judged by the one in force.
    for (let v = 3; v <= 6; v++) flows.use(judges[v - 1] as Inspector, v);
    expect(ring(1)).toBe(judges[5]);
    expect(ring(3)).toBe(judges[2]);
  });
});
