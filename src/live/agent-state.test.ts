import { describe, expect, it } from 'vitest';
import {
  type AgentInput,
  type AgentRecord,
  AgentStateError,
  applyAgentInput,
  current,
  initialRecord,
  notReadyLimitSeconds,
  DEFAULT_AGENT_STATE_RULES as RULES,
} from './agent-state.ts';

const KEY = { agentNumber: '1024', brand: 'zhonghua' };
const T0 = Date.UTC(2026, 10, 30, 2, 0, 0);
const signIn: AgentInput = { kind: 'sign-in', userId: 'u1', name: '李娜', team: '一组' };
const call = (type: Extract<AgentInput, { kind: 'call' }>['type'], extra: object = {}): AgentInput => ({
  kind: 'call',
  callId: 'c1',
  brand: 'zhonghua',
  type,
  ...extra,
});

/** Applies inputs one second apart from T0; the record after each. */
function run(inputs: AgentInput[], from: AgentRecord = initialRecord(KEY, T0)): AgentRecord[] {
  let r = from;
  return inputs.map((input, i) => {
    r = applyAgentInput(r, input, T0 + (i + 1) * 1000, RULES);
    return r;
  });
}
const states = (rs: AgentRecord[]) =>
  rs.map((r) => (r.state === 'not-ready' ? `not-ready:${r.reason}` : r.state));

describe('agent states', () => {
  it('starts offline; a sign-in is not ready (no reason) until the agent says ready', () => {
    const rs = run([signIn, { kind: 'ready' }, { kind: 'not-ready', reason: 'meal' }, { kind: 'ready' }]);
    expect(states(rs)).toEqual(['not-ready:null', 'ready', 'not-ready:meal', 'ready']);
    expect(rs[0]).toMatchObject({ userId: 'u1', name: '李娜', team: '一组', online: true, since: T0 + 1000 });
    expect(rs.map((r) => r.since)).toEqual([T0 + 1000, T0 + 2000, T0 + 3000, T0 + 4000]);
  });

  it('follows the call: talking at the answer (ringing changes nothing), wrap-up at the hang-up, then ready at the timer', () => {
    const rs = run([
      signIn,
      { kind: 'ready' },
      call('ring'),
      call('answer'),
      call('hold'),
      call('unhold'),
      call('hangup', { wrapUpMs: 30_000 }),
      { kind: 'wrap-up-end', callId: 'c1' },
    ]);
    expect(states(rs)).toEqual([
      'not-ready:null',
      'ready',
      'ready',
      'talking',
      'talking',
      'talking',
      'wrap-up',
      'ready',
    ]);
    expect(rs.map((r) => r.call?.status ?? null)).toEqual([
      null,
      null,
      'ringing',
      'talking',
      'on-hold',
      'talking',
      null,
      null,
    ]);
    // Time in state: the hold did not restart the talking clock.
    expect(rs[5]?.since).toBe(T0 + 4000);
    expect(rs[6]?.wrapUp).toEqual({ callId: 'c1', until: T0 + 7000 + 30_000 });
  });

  it('a not-ready asked for during a call takes effect after the call and its wrap-up', () => {
    const rs = run([
      signIn,
      { kind: 'ready' },
      call('ring'),
      call('answer'),
      { kind: 'not-ready', reason: 'break' },
      call('hangup', { wrapUpMs: 30_000 }),
    ]);
    expect(states(rs)).toEqual(['not-ready:null', 'ready', 'ready', 'talking', 'talking', 'wrap-up']);
    const after = current(rs[5] as AgentRecord, T0 + 6000 + 30_000);
    expect(after).toMatchObject({ state: 'not-ready', reason: 'break', since: T0 + 36_000 });
  });

  it('ready during the wrap-up ends it early; an unanswered ring leaves no wrap-up', () => {
    const rs = run([
      signIn,
      { kind: 'ready' },
      call('ring'),
      call('hangup', { wrapUpMs: 30_000 }),
      call('ring'),
      call('answer'),
      call('hangup', { wrapUpMs: 30_000 }),
      { kind: 'ready' },
    ]);
    expect(states(rs)).toEqual([
      'not-ready:null',
      'ready',
      'ready',
      'ready',
      'ready',
      'talking',
      'wrap-up',
      'ready',
    ]);
    expect(rs[7]?.wrapUp).toBeNull();
    // The timer's end after an early ready changes nothing.
    const late = applyAgentInput(
      rs[7] as AgentRecord,
      { kind: 'wrap-up-end', callId: 'c1' },
      T0 + 60_000,
      RULES,
    );
    expect(late).toBe(rs[7]);
  });

  it('a brand without a wrap-up time goes straight back to what the agent chose', () => {
    const rs = run([
      signIn,
      { kind: 'ready' },
      call('ring'),
      call('answer'),
      call('hangup', { wrapUpMs: 0 }),
    ]);
    expect(rs[4]?.state).toBe('ready');
  });

  it('the wrap-up ends at its time even when the timer’s event never comes', () => {
    const [, , , , hung] = run([
      signIn,
      { kind: 'ready' },
      call('ring'),
      call('answer'),
      call('hangup', { wrapUpMs: 10_000 }),
    ]);
    const r = hung as AgentRecord;
    expect(current(r, T0 + 5000 + 9_999).state).toBe('wrap-up');
    expect(current(r, T0 + 5000 + 20_000)).toMatchObject({
      state: 'ready',
      since: T0 + 15_000,
      wrapUp: null,
    });
  });

  it('a reconnect keeps the agent’s choice; a sign-out is offline; a sign-in after it is not ready again', () => {
    const rs = run([signIn, { kind: 'ready' }, signIn, { kind: 'sign-out' }, signIn]);
    expect(states(rs)).toEqual(['not-ready:null', 'ready', 'ready', 'offline', 'not-ready:null']);
    expect(rs[2]?.since).toBe(T0 + 2000);
  });

  it('a call outranks offline: an agent on the phone without a console is talking', () => {
    const rs = run([call('ring'), call('answer'), call('hangup', { wrapUpMs: 5000 })]);
    expect(states(rs)).toEqual(['offline', 'talking', 'wrap-up']);
    expect(current(rs[2] as AgentRecord, T0 + 60_000).state).toBe('offline');
  });

  it('ignores another call’s events, but an answer makes a transferred call the agent’s', () => {
    const rs = run([
      signIn,
      { kind: 'ready' },
      call('ring'),
      { ...call('hangup'), callId: 'other' } as AgentInput,
    ]);
    expect(rs[3]).toBe(rs[2]);
    const [answered] = run([{ kind: 'call', callId: 'c2', brand: 'zhonghua', type: 'answer' }], rs[2]);
    expect(answered?.call).toEqual({ callId: 'c2', brand: 'zhonghua', status: 'talking' });
  });

  it('a repeated request changes nothing (same object, same since)', () => {
    const [, ready] = run([signIn, { kind: 'ready' }]);
    expect(applyAgentInput(ready as AgentRecord, { kind: 'ready' }, T0 + 99_000, RULES)).toBe(ready);
  });

  it('refuses a reason not in the brand’s list, and any change while signed out, with typed errors', () => {
    const [online] = run([signIn]);
    const refused = (r: AgentRecord, input: AgentInput) => {
      try {
        applyAgentInput(r, input, T0 + 5000, RULES);
      } catch (err) {
        expect(err).toBeInstanceOf(AgentStateError);
        return { code: (err as AgentStateError).code, zh: (err as AgentStateError).messages.zh };
      }
      throw new Error('not refused');
    };
    expect(refused(online as AgentRecord, { kind: 'not-ready', reason: 'nap' })).toEqual({
      code: 'unknown-reason',
      zh: expect.stringContaining('break（小休）'),
    });
    expect(refused(initialRecord(KEY, T0), { kind: 'ready' }).code).toBe('signed-out');
  });

  it('limits a not-ready by its reason, else the brand’s default', () => {
    expect(notReadyLimitSeconds(RULES, 'meal')).toBe(45 * 60);
    expect(notReadyLimitSeconds(RULES, null)).toBe(15 * 60);
  });
});
