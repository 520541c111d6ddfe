// LiveAssistService without a server: the timers of many calls served by one deadline heap, in
// order and once each; a flow's refusal told to that call's consoles only; a call that becomes
// an agent's mid-way reaches them whole, from seq 1.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLiveCallStore } from '../../src/cti/live.ts';
import type { CtiEvent, EventOutcome } from '../../src/cti/service.ts';
import { type LiveMessage, MemoryLiveHub } from '../../src/live/hub.ts';
import type { FlowSetup } from '../../src/live/model.ts';
import type { LiveScope } from '../../src/live/scope.ts';
import { LiveAssistService, type Pushed } from '../../src/live/service.ts';
import { DeadlineHeap } from '../../src/live/timer-heap.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { createStubFlowFactory } from './stub-flow.ts';

const services: LiveAssistService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});

function service(limits = { ringMs: 60, holdWarningMs: 40, holdMs: 80 }) {
  const s = new LiveAssistService({
    clock: systemClock,
    factory: createStubFlowFactory(limits),
    hub: new MemoryLiveHub(() => Date.now()),
    liveCalls: new MemoryLiveCallStore(),
    liveTtlMs: 3600_000,
  });
  services.push(s);
  return s;
}

const outcome = (e: CtiEvent): EventOutcome => ({
  callId: e.callId,
  type: e.type,
  status: 'ringing',
  live: null,
  ring: null,
  hangup: null,
});
const cti = (
  s: LiveAssistService,
  callId: string,
  type: CtiEvent['type'],
  at: Date,
  extra: Partial<CtiEvent> = {},
) => {
  const e: CtiEvent = { callId, type, at, ...extra };
  return s.onCti(e, outcome(e));
};
const ring = (s: LiveAssistService, callId: string, agentNumber?: string) =>
  cti(s, callId, 'ring', new Date(), {
    brand: 'zhonghua',
    ...(agentNumber ? { agent: { id: agentNumber } } : {}),
  });

async function watch(s: LiveAssistService, scope: LiveScope) {
  const got: Pushed[] = [];
  const sub = await s.subscribe(scope, {}, (p) => got.push(p));
  sub.start();
  return {
    got,
    events: (callId: string) =>
      got
        .filter(
          (p): p is { kind: 'event'; message: LiveMessage } =>
            p.kind === 'event' && p.message.callId === callId,
        )
        .map((p) => p.message),
    close: () => sub.close(),
  };
}

async function until(what: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the deadline heap', () => {
  it('gives deadlines back earliest first', () => {
    const heap = new DeadlineHeap();
    const dues = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    for (const [i, due] of dues.entries()) heap.push({ due, callId: `c${i}`, generation: 1 });
    const out: number[] = [];
    for (let d = heap.pop(); d; d = heap.pop()) out.push(d.due);
    expect(out).toEqual([...dues].sort((a, b) => a - b));
  });
});

describe('live assist service', () => {
  it('fires every call’s timers once, in order, from one heap', async () => {
    // Limits long enough that a loaded machine answers a call before its ring expires (the
    // answer follows its own ring at once), short enough that the test waits about a second.
    const s = service({ ringMs: 1000, holdWarningMs: 500, holdMs: 1000 });
    const all = await watch(s, { kind: 'brand', brand: null });
    const n = 300;
    // Half are answered (their ring timer stops) and put on hold; half ring out.
    for (let i = 0; i < n; i++) {
      await ring(s, `t-${i}`, '1024');
      if (i % 2 === 0) {
        await cti(s, `t-${i}`, 'answer', new Date());
        await cti(s, `t-${i}`, 'hold', new Date());
      }
    }
    const timers = (id: string) =>
      all
        .events(id)
        .filter((m) => m.event.kind === 'timer')
        .map((m) => `${(m.event as { timer: string }).timer}:${(m.event as { state: string }).state}`);
    await until(() =>
      Array.from({ length: n }, (_, i) => timers(`t-${i}`).length).every(
        (c, i) => c === (i % 2 === 0 ? 5 : 2),
      ),
    );
    expect(timers('t-1')).toEqual(['ring:started', 'ring:expired']);
    expect(timers('t-0')).toEqual([
      'ring:started',
      'ring:stopped',
      'hold:started',
      'hold:warning',
      'hold:expired',
    ]);
    for (let i = 0; i < n; i++) {
      const seqs = all.events(`t-${i}`).map((m) => m.seq);
      expect(seqs).toEqual(seqs.map((_, k) => k + 1));
    }
    // Nothing more comes: each deadline fired once.
    const count = all.got.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(all.got.length).toBe(count);
    all.close();
  });

  it('tells a flow’s refusal to that call’s consoles only', async () => {
    const s = service({ ringMs: 60_000, holdWarningMs: 60_000, holdMs: 60_000 });
    const first = await watch(s, { kind: 'agent', agentNumber: '1001', brand: null });
    const second = await watch(s, { kind: 'agent', agentNumber: '1002', brand: null });
    await ring(s, 'e-1', '1001');
    await ring(s, 'e-2', '1002');
    const t0 = Date.now();
    await cti(s, 'e-1', 'answer', new Date(t0 + 5000));
    await cti(s, 'e-1', 'hold', new Date(t0 + 1000)); // before the answer: the flow refuses it
    await until(() => first.got.some((p) => p.kind === 'error'));
    expect(first.got.find((p) => p.kind === 'error')).toMatchObject({
      error: { callId: 'e-1', code: 'out-of-order' },
    });
    expect(second.got.filter((p) => p.kind === 'error')).toEqual([]);
    expect(second.events('e-1')).toEqual([]);
    // The refused input left no trace in the call's events.
    expect(first.events('e-1').map((m) => m.event.kind)).not.toContain('hold');
  });

  it('gives an agent a call answered to them after it rang to nobody, from seq 1', async () => {
    const s = service({ ringMs: 60_000, holdWarningMs: 60_000, holdMs: 60_000 });
    const agent = await watch(s, { kind: 'agent', agentNumber: '1024', brand: 'zhonghua' });
    const elsewhere = await watch(s, { kind: 'agent', agentNumber: '1024', brand: 'other' });
    await ring(s, 'q-1');
    await cti(s, 'q-1', 'answer', new Date(), { agent: { id: '1024' } });
    await until(() => agent.events('q-1').length >= 4);
    const seqs = agent.events('q-1').map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(agent.events('q-1')[0]?.event).toMatchObject({ kind: 'call', type: 'ring' });
    expect(elsewhere.events('q-1')).toEqual([]);
  });

  it('tells the flow at ring what the hotline knows: a repeat caller, a line dropped moments ago', async () => {
    const setups: FlowSetup[] = [];
    const stub = createStubFlowFactory();
    const s = new LiveAssistService({
      clock: systemClock,
      factory: (setup) => {
        setups.push(setup);
        return stub(setup);
      },
      hub: new MemoryLiveHub(() => Date.now()),
      liveCalls: new MemoryLiveCallStore(),
      liveTtlMs: 3600_000,
    });
    services.push(s);
    const phone = '13800138000' as never;
    const t0 = Date.now();
    await cti(s, 'd-1', 'ring', new Date(t0), {
      brand: 'zhonghua',
      caller: { phone, asGiven: '13800138000' },
    });
    await cti(s, 'd-1', 'answer', new Date(t0 + 1000));
    await cti(s, 'd-1', 'hangup', new Date(t0 + 9000), { cause: 'dropped' });
    const again: CtiEvent = {
      callId: 'd-2',
      type: 'ring',
      at: new Date(t0 + 29_000),
      brand: 'zhonghua',
      caller: { phone, asGiven: '13800138000' },
    };
    await s.onCti(again, {
      ...outcome(again),
      ring: {
        blacklisted: false,
        blacklist: null,
        customer: null,
        repeatCaller: {
          repeat: true,
          callsToday: 1,
          previous: {
            callId: 'd-1',
            startedAt: new Date(t0).toISOString(),
            subject: '账单',
            agent: null,
            answered: true,
          },
          prompt: null,
        } as never,
      },
    });
    expect(setups[0]?.atRing).toEqual({ repeatCaller: null, blacklisted: false, droppedMsAgo: null });
    expect(setups[1]?.atRing).toEqual({
      repeatCaller: { count: 1, lastSubject: '账单' },
      blacklisted: false,
      droppedMsAgo: 20_000,
    });
    expect(setups[1]?.customer?.phone).toBe('13800138000');
  });
});
