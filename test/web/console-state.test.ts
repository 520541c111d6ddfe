// The console's reducer (web/src/console/state.ts) by direct construction: which script lines a
// hold leaves in front of the agent, and whether a call reloaded mid-talk counts as answered.
import { describe, expect, it } from 'vitest';

// The web's modules resolve as a bundler does (imports without extensions): loaded at run time,
// typed here by what the test reads.
interface CallView {
  guidance: { scenario: string }[];
  answered: boolean;
}
type Event = Record<string, unknown>;
interface State {
  calls: Record<string, CallView | undefined>;
}
const stateModule = '../../web/src/console/state.ts';
const { applyEvent, applySnapshot, EMPTY } = (await import(stateModule)) as {
  applyEvent(call: CallView, seq: number, e: Event): CallView;
  applySnapshot(state: State, calls: unknown[], gone: string[]): State;
  EMPTY: State;
};
const call = (status: string, type: string): Event =>
  ({ kind: 'call', type, status, at: 0 }) as unknown as Event;
const line = (scenario: string, at: number): Event => ({
  kind: 'guidance',
  turn: null,
  scenario,
  text: scenario,
  at,
});

function held(): CallView {
  const start = applySnapshot(
    EMPTY,
    [
      {
        callId: 'c1',
        brand: 'zhonghua',
        agentNumber: '1024',
        ringAt: '2026-12-03T08:00:00.000Z',
        status: 'ringing',
        timers: {},
        inspection: null,
        lastSeq: 0,
        events: [],
      },
    ],
    [],
  ).calls.c1 as CallView;
  let c = applyEvent(start, 1, call('talking', 'answer'));
  c = applyEvent(c, 2, line('hold.ask', 1000));
  c = applyEvent(c, 3, call('on-hold', 'hold'));
  c = applyEvent(c, 4, line('hold.over-limit', 7000));
  return c;
}

describe('the console’s alerts', () => {
  it('keep the rule’s scorecard title, by which a rule without a console label is named', () => {
    const withTurn = applyEvent(held(), 5, {
      kind: 'turn',
      turn: 0,
      speaker: 'agent',
      text: '这个我也不太清楚',
      at: 9000,
    });
    const alerted = applyEvent(withTurn, 6, {
      kind: 'alert',
      turn: 0,
      rule: 'custom.vague',
      title: '模糊回答',
      evidence: '不太清楚',
      suggestion: '我帮您查一下',
      at: 9000,
    }) as unknown as { turns: { alerts: { rule: string; title: string | null }[] }[] };
    expect(alerted.turns[0]?.alerts).toEqual([
      expect.objectContaining({ rule: 'custom.vague', title: '模糊回答' }),
    ]);
  });
});

describe('the console’s script lines around a hold', () => {
  it('at the unhold the consent line goes; the callback offer of a hold past its limit stays, under the return line', () => {
    let c = applyEvent(held(), 5, call('talking', 'unhold'));
    c = applyEvent(c, 6, line('hold.return', 9000));
    expect(c.guidance.map((g) => g.scenario)).toEqual(['hold.return', 'hold.over-limit']);
  });

  it('the next hold drops the earlier hold’s callback offer (it gives its own)', () => {
    let c = applyEvent(held(), 5, call('talking', 'unhold'));
    c = applyEvent(c, 6, call('on-hold', 'hold'));
    expect(c.guidance.map((g) => g.scenario)).not.toContain('hold.over-limit');
  });
});

describe('the console’s script lines as the checklist ticks', () => {
  const stage = (id: string, state: string, at: number): Event => ({ kind: 'stage', stage: id, state, at });
  it('a stage done takes its own line off (F no longer puts 您好,请问您贵姓? in again); one missed keeps it', () => {
    // Walk of 2026-12-03 (超越): after the surname was asked and ticked, its line still led.
    let c = applyEvent(held(), 5, call('talking', 'unhold'));
    c = applyEvent(c, 6, line('confirm.problem', 9000));
    c = applyEvent(c, 7, line('identify.ask-surname', 10_000));
    c = applyEvent(c, 8, line('opening.greeting', 0));
    c = applyEvent(c, 9, stage('greeting', 'done', 11_000));
    c = applyEvent(c, 10, stage('surname', 'done', 12_000));
    c = applyEvent(c, 11, stage('confirm', 'missed', 12_000));
    expect(c.guidance.map((g) => g.scenario)).toEqual(['confirm.problem', 'hold.over-limit']);
  });

  it('the greeting ticked keeps the late answer’s apology (让您久等了 still counts in the next turn)', () => {
    let c = applyEvent(held(), 5, call('talking', 'unhold'));
    c = applyEvent(c, 6, line('opening.long-wait', 0));
    c = applyEvent(c, 7, stage('greeting', 'done', 11_000));
    expect(c.guidance.map((g) => g.scenario)).toContain('opening.long-wait');
  });
});

describe('a call resumed from a snapshot', () => {
  it('in talk, its answer past the kept log: answered', () => {
    const s = applySnapshot(
      EMPTY,
      [
        {
          callId: 'c2',
          brand: 'zhonghua',
          agentNumber: '1024',
          ringAt: '2026-12-03T08:00:00.000Z',
          status: 'talking',
          timers: {},
          inspection: null,
          lastSeq: 40,
          events: [],
        },
      ],
      [],
    );
    expect(s.calls.c2?.answered).toBe(true);
  });
});
