// The live-call stores, memory, database (SQLite, PostgreSQL) and Redis, behave alike: a write is a compare-and-set on the
// revision (of two writers holding the same revision exactly one wins), a call expires after
// its last write (a hangup that never came), the sweep frees expired calls, and with a database
// or Redis a second connection (another server process) sees the same calls.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveCall, LiveCallStore } from '../../src/cti/live.ts';
import { MemoryLiveCallStore } from '../../src/cti/live.ts';
import { RedisLiveCallStore } from '../../src/cti/live-redis.ts';
import { SqlLiveCallStore } from '../../src/cti/repository.ts';
import { openStore } from '../../src/db/database.ts';
import { FixedClock } from '../../src/shared/clock.ts';
import { freePort } from '../support/server-process.ts';
import { freshStore } from '../support/store.ts';
import { type TestRedis, testRedis } from './redis.ts';

const TTL = 400;

function call(callId: string, revision = 1): LiveCall {
  return {
    callId,
    brand: 'zhonghua',
    direction: 'inbound',
    caller: '13800138000',
    callerPhone: null,
    agent: { id: '1024', name: '李娜' },
    status: 'ringing',
    ringAt: '2026-11-20T01:00:00.000Z',
    answeredAt: null,
    holdSince: null,
    lastEventAt: '2026-11-20T01:00:00.000Z',
    events: [{ type: 'ring', at: 0 }],
    blacklistEntryId: null,
    revision,
  };
}

interface Subject {
  store: LiveCallStore;
  /** The same calls as another process sees them (memory: the same store). */
  other: LiveCallStore;
  /** Lets more than TTL pass. */
  pass(): Promise<void>;
  close(): Promise<void>;
}

const subjects: Record<string, () => Promise<Subject>> = {
  memory: async () => {
    const clock = new FixedClock(new Date('2026-11-20T01:00:00Z'));
    const store = new MemoryLiveCallStore(clock, { staleAfterMs: TTL });
    return { store, other: store, pass: async () => clock.advance(TTL + 1), close: async () => {} };
  },
  ...Object.fromEntries(
    (['sqlite', 'postgres'] as const).map((engine) => [
      engine,
      async (): Promise<Subject> => {
        const clock = new FixedClock(new Date('2026-11-20T01:00:00Z'));
        const db = await freshStore(engine);
        // Another process: a connection of its own to the same file or schema.
        const second = openStore(
          db.url ? { databaseUrl: db.url } : { sqliteFile: `${db.dataDir}/huashu.sqlite` },
        );
        return {
          store: new SqlLiveCallStore(db.db, clock, { staleAfterMs: TTL }),
          other: new SqlLiveCallStore(second.db, clock, { staleAfterMs: TTL }),
          pass: async () => clock.advance(TTL + 1),
          close: async () => {
            await second.close();
            await db.drop();
          },
        };
      },
    ]),
  ),
  redis: async () => {
    const r: TestRedis = await testRedis();
    return {
      store: new RedisLiveCallStore(r.redis, { prefix: r.prefix, staleAfterMs: TTL }),
      other: new RedisLiveCallStore(r.another(), { prefix: r.prefix, staleAfterMs: TTL }),
      pass: () => new Promise((ok) => setTimeout(ok, TTL + 150)),
      close: r.close,
    };
  },
};

describe.each(Object.keys(subjects))('live calls in %s', (kind) => {
  let s: Subject;
  afterEach(async () => {
    await s.close();
  });

  it('creates a call once, and the other process reads it', async () => {
    s = await (subjects[kind] as () => Promise<Subject>)();
    expect(await s.store.create(call('c1'))).toBe(true);
    expect(await s.other.create(call('c1'))).toBe(false);
    expect(await s.other.get('c1')).toEqual(call('c1'));
    expect((await s.other.list()).map((c) => c.callId)).toEqual(['c1']);
  });

  it('of two writers holding the same revision exactly one wins; a stale revision cannot remove', async () => {
    s = await (subjects[kind] as () => Promise<Subject>)();
    await s.store.create(call('c2'));
    const answered = { ...call('c2', 2), status: 'talking' as const };
    const held = { ...call('c2', 2), status: 'on-hold' as const };
    const results = await Promise.all([s.store.replace(answered, 1), s.other.replace(held, 1)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = await s.store.get('c2');
    expect(stored?.revision).toBe(2);
    expect(stored?.status).toBe(results[0] ? 'talking' : 'on-hold');
    expect(await s.store.remove('c2', 1)).toBe(false);
    expect(await s.store.get('c2')).toBeDefined();
    expect(await s.other.remove('c2', 2)).toBe(true);
    expect(await s.store.get('c2')).toBeUndefined();
    expect(await s.store.list()).toEqual([]);
  });

  it('a call without events expires after its last write; the sweep frees it; a write renews it', async () => {
    s = await (subjects[kind] as () => Promise<Subject>)();
    await s.store.create(call('lost'));
    await s.store.create(call('kept'));
    await s.pass();
    await s.store.create(call('fresh'));
    expect(await s.store.get('lost')).toBeUndefined();
    expect((await s.other.list()).map((c) => c.callId)).toEqual(['fresh']);
    expect(await s.store.sweep()).toBeGreaterThanOrEqual(1);
    expect(await s.store.sweep()).toBe(0);
    // An expired call can ring anew under its id; a write keeps a call alive past the TTL.
    expect(await s.store.create(call('kept'))).toBe(true);
    expect(await s.store.replace(call('fresh', 2), 1)).toBe(true);
    expect((await s.store.list()).map((c) => c.callId).sort()).toEqual(['fresh', 'kept']);
  });
});

describe('live calls while Redis is away', () => {
  it('a read or write is refused with code unavailable and says Redis, not a bare internal error', async () => {
    const redis = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    const store = new RedisLiveCallStore(redis, { prefix: 'unused:' });
    try {
      await expect(store.list()).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringContaining('Redis'),
      });
      await expect(store.create(call('x'))).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      redis.disconnect();
    }
  });
});
