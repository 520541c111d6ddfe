// A hang-up sets the call `ending`, stores it, then removes its live row: a process that stops
// between those steps leaves the call `ending`, and every later hang-up would be refused until
// the row expired. The CTI settles it: at start-up (alone: at once; with other processes on
// Redis: once it has been ending longer than a hang-up takes), or when the call's next event
// arrives past that bound. Stored: the row goes; not stored: the call is live again as it was.
// Real stores (SQLite, PostgreSQL, the machine's Redis); the process "stops" by a store that
// throws at the step where it died.
import { afterEach, describe, expect, it } from 'vitest';
import type { Application } from '../../src/app/application.ts';
import type { LiveCall, LiveCallStore } from '../../src/cti/live.ts';
import { RedisLiveCallStore } from '../../src/cti/live-redis.ts';
import { SqlLiveCallStore } from '../../src/cti/repository.ts';
import { ENDING_STUCK_AFTER_MS } from '../../src/cti/service.ts';
import type { FixedClock } from '../../src/shared/clock.ts';
import { closeRigs, type LogLine, restartRig } from '../live/restart-rig.ts';
import { type TestRedis, testRedis } from '../scale/redis.ts';
import { ENGINES } from '../support/store.ts';

const integration = { kind: 'integration' } as const;
const bridge = { userId: 'bridge', ip: null, role: 'admin', agentNumber: null } as const;
const TTL = 3600_000;

const redises: TestRedis[] = [];
afterEach(async () => {
  await closeRigs();
  for (const r of redises.splice(0)) await r.close();
});

/** Where a store "stops the process": after writing the `ending` row, or at the removal after the store. */
type Death = { at: 'ending' | 'remove' | null };

/**
 * The store a process uses, around a real one: once, `death.at` makes it throw at that step (as
 * the process dying there); `afterEnding` runs once the `ending` row is written.
 */
class StoppingStore implements LiveCallStore {
  constructor(
    private readonly inner: LiveCallStore,
    private readonly death: Death,
    private readonly afterEnding?: (call: LiveCall) => Promise<void>,
  ) {}
  get(callId: string) {
    return this.inner.get(callId);
  }
  create(call: LiveCall) {
    return this.inner.create(call);
  }
  async replace(call: LiveCall, expected: number): Promise<boolean> {
    const ok = await this.inner.replace(call, expected);
    if (ok && call.status === 'ending') {
      await this.afterEnding?.(call);
      if (this.death.at === 'ending') {
        this.death.at = null;
        throw new Error('the process stopped');
      }
    }
    return ok;
  }
  async remove(callId: string, expected: number): Promise<boolean> {
    if (this.death.at === 'remove') {
      this.death.at = null;
      throw new Error('the process stopped');
    }
    return this.inner.remove(callId, expected);
  }
  list() {
    return this.inner.list();
  }
  sweep() {
    return this.inner.sweep();
  }
}

function events(app: Application) {
  const cti = (callId: string, type: 'ring' | 'answer' | 'hold' | 'hangup') =>
    app.cti.handle(
      {
        callId,
        type,
        ...(type === 'ring' ? { brand: 'zhonghua', agent: { id: '1024' } } : {}),
        ...(type === 'hangup' ? { by: 'customer' as const } : {}),
      },
      bridge,
      integration,
    );
  return { cti };
}

async function talking(app: Application, clock: FixedClock, callId: string) {
  const { cti } = events(app);
  await cti(callId, 'ring');
  clock.advance(3000);
  await cti(callId, 'answer');
  clock.advance(2000);
}

const statusOf = async (app: Application, callId: string) =>
  (await app.cti.liveCalls()).find((c) => c.callId === callId)?.status;

describe.each(ENGINES)('a hang-up interrupted mid-way, one process on %s', (engine) => {
  it('stopped after storing the call: the next start removes its live row, the call stays stored and ended', async () => {
    const { store, clock, open, rows } = await restartRig(engine);
    const death: Death = { at: null };
    const first = await open('a', {
      liveCalls: new StoppingStore(new SqlLiveCallStore(store.db, clock, { staleAfterMs: TTL }), death),
    });
    const callId = 'stored-then-stopped';
    await talking(first, clock, callId);
    death.at = 'remove';
    await expect(events(first).cti(callId, 'hangup')).rejects.toThrow('the process stopped');
    expect(await first.calls.exists(callId)).toBe(true);
    // Until settled, the call is "hanging up" and a hang-up sent again is refused.
    expect(await statusOf(first, callId)).toBe('ending');
    await expect(events(first).cti(callId, 'hangup')).rejects.toThrow(/is hanging up/);
    await first.close();

    clock.advance(1000);
    const log: LogLine[] = [];
    const second = await open('b', { log });
    expect(await second.cti.liveCalls()).toEqual([]);
    expect(log.find((l) => l.obj.callId === callId)?.msg).toMatch(/interrupted after the call was stored/);
    // Live assist ends the call it replayed (the CTI no longer holds it), its journal with it.
    expect(second.live.heldCalls).toBe(0);
    for (let i = 0; i < 100 && (await rows()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await rows()).toBe(0);
    await expect(events(second).cti(callId, 'hangup')).rejects.toThrow(
      /already ended \(hung up and stored\)/,
    );
    expect((await second.calls.get(callId, { kind: 'all' })).events.map((e) => e.type)).toEqual([
      'ring',
      'answer',
      'hangup',
    ]);
  }, 60_000);

  it('stopped before storing it: the next start puts the call back as it was (on hold), and the hang-up sent again stores it', async () => {
    const { store, clock, open } = await restartRig(engine);
    const death: Death = { at: null };
    const first = await open('a', {
      liveCalls: new StoppingStore(new SqlLiveCallStore(store.db, clock, { staleAfterMs: TTL }), death),
    });
    const callId = 'stopped-before-store';
    await talking(first, clock, callId);
    await events(first).cti(callId, 'hold');
    clock.advance(1000);
    death.at = 'ending';
    await expect(events(first).cti(callId, 'hangup')).rejects.toThrow('the process stopped');
    expect(await first.calls.exists(callId)).toBe(false);
    expect(await statusOf(first, callId)).toBe('ending');
    await first.close();

    const log: LogLine[] = [];
    const second = await open('b', { log });
    expect(await statusOf(second, callId)).toBe('on-hold');
    expect(log.find((l) => l.obj.callId === callId)?.obj).toMatchObject({ status: 'on-hold' });
    // Live assist rebuilt it (the CTI's events and the journal agree), and hears the hang-up.
    expect(second.live.heldCalls).toBe(1);
    clock.advance(1000);
    await events(second).cti(callId, 'hangup');
    expect(await second.cti.liveCalls()).toEqual([]);
    expect((await second.calls.get(callId, { kind: 'all' })).events.map((e) => e.type)).toEqual([
      'ring',
      'answer',
      'hold',
      'hangup',
    ]);
  }, 60_000);
});

describe('a hang-up interrupted mid-way, several processes on Redis', () => {
  async function redisRig() {
    const r = await testRedis();
    redises.push(r);
    const rig = await restartRig('postgres');
    const store = () => new RedisLiveCallStore(r.another(), { prefix: r.prefix, staleAfterMs: TTL });
    // A process of several: no journal (events go through Redis), live calls in Redis.
    const open = (prefix: string, liveCalls: LiveCallStore, log?: LogLine[]) =>
      rig.open(prefix, { liveJournal: null, liveCalls, ...(log ? { log } : {}) });
    return { ...rig, store, open };
  }

  it('another process settles it only once it has been ending longer than a hang-up takes: at its start, or at the call’s next event', async () => {
    const { clock, store, open } = await redisRig();
    const death: Death = { at: null };
    const a = await open('a', new StoppingStore(store(), death));
    await talking(a, clock, 'stored');
    await talking(a, clock, 'not-stored');
    death.at = 'remove';
    await expect(events(a).cti('stored', 'hangup')).rejects.toThrow('the process stopped');
    death.at = 'ending';
    await expect(events(a).cti('not-stored', 'hangup')).rejects.toThrow('the process stopped');

    // B starts at once: either hang-up may still be running in A, so neither is touched.
    const logB: LogLine[] = [];
    const b = await open('b', store(), logB);
    expect(logB).toEqual([]);
    expect(await statusOf(b, 'stored')).toBe('ending');
    expect(await statusOf(b, 'not-stored')).toBe('ending');
    await expect(events(b).cti('stored', 'hangup')).rejects.toThrow(/is hanging up/);

    // Past the bound, the call's next event settles it first: stored, so the row goes and the
    // hang-up is refused as one after a hang-up.
    clock.advance(ENDING_STUCK_AFTER_MS);
    await expect(events(b).cti('stored', 'hangup')).rejects.toThrow(/already ended \(hung up and stored\)/);
    expect(await statusOf(b, 'stored')).toBeUndefined();

    // A process starting now settles the other: not stored, live again, its hang-up taken.
    const logC: LogLine[] = [];
    const c = await open('c', store(), logC);
    expect(logC.map((l) => [l.obj.callId, l.obj.status])).toEqual([['not-stored', 'talking']]);
    expect(await statusOf(c, 'not-stored')).toBe('talking');
    await events(c).cti('not-stored', 'hangup');
    expect(await c.calls.exists('not-stored')).toBe(true);
    expect(await statusOf(c, 'not-stored')).toBeUndefined();
  }, 60_000);

  it('a hang-up whose store outlasts the bound, settled meanwhile by another process as not stored: its end still removes the call’s live row', async () => {
    const { clock, store, open } = await redisRig();
    const b = await open('b', store());
    let slow = false;
    const afterEnding = async (call: LiveCall) => {
      if (!slow) return;
      slow = false;
      // The store that follows takes longer than the bound: B looks meanwhile, the call not
      // stored yet, and puts it back.
      clock.advance(ENDING_STUCK_AFTER_MS);
      expect(await b.cti.settleInterruptedHangups()).toEqual([
        { callId: call.callId, outcome: 'reopened', status: 'talking' },
      ]);
    };
    const a = await open('a', new StoppingStore(store(), { at: null }, afterEnding));
    await talking(a, clock, 'slow');
    slow = true;
    await events(a).cti('slow', 'hangup');
    expect(await b.calls.exists('slow')).toBe(true);
    expect(await b.cti.liveCalls()).toEqual([]);
  }, 60_000);
});
