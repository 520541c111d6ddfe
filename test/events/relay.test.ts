// The outbox and its relay on a real store (SQLite file, PostgreSQL schema) and, for the
// fan-out, the machine's Redis under a channel of the test's own: events written with a change
// are delivered after it commits, once, in order per aggregate; a rolled-back change's never;
// one relay at a time on PostgreSQL; old delivered rows are pruned.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/events/bus.ts';
import { Events } from '../../src/events/events.ts';
import { type EventEnvelope, event, type NewEvent } from '../../src/events/map.ts';
import { KEEP_DELIVERED_MS } from '../../src/events/relay.ts';
import { appendEvents, undeliveredCount } from '../../src/events/repository.ts';
import { FixedClock } from '../../src/shared/clock.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

const REDIS_URL = process.env.HUASHU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function changed(brand: string, version: number): NewEvent {
  return event('playbook.changed', { type: 'playbook', id: brand }, new Date().toISOString(), {
    brand,
    version,
    by: null,
  });
}

const versionOf = (e: EventEnvelope) => (e.type === 'playbook.changed' ? e.payload.version : null);

async function until(what: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(ENGINES)('the event outbox and relay on %s', (engine) => {
  let store: TestStore | undefined;
  const running: Events[] = [];
  afterEach(async () => {
    for (const e of running.splice(0)) await e.stop();
    await store?.drop();
    store = undefined;
  });

  function events(s: TestStore, options: Partial<ConstructorParameters<typeof Events>[0]> = {}): Events {
    const e = new Events({ db: s.db, clock: new FixedClock(new Date()), pollMs: 100, ...options });
    running.push(e);
    return e;
  }

  it('delivers committed events once, in order; a rolled-back change’s never', {
    timeout: 60_000,
  }, async () => {
    store = await freshStore(engine);
    const s = store;
    const bus = events(s);
    const got: EventEnvelope[] = [];
    bus.subscribe('*', (e) => {
      got.push(e);
    });
    await bus.start();
    for (let v = 1; v <= 20; v++)
      await s.db.transaction().execute((trx) => appendEvents(trx, [changed('a', v)]));
    await expect(
      s.db.transaction().execute(async (trx) => {
        await appendEvents(trx, [changed('a', 999)]);
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    await s.db.transaction().execute((trx) => appendEvents(trx, [changed('a', 21), changed('b', 1)]));
    await until(() => got.length >= 22);
    await bus.idle();
    expect(got.filter((e) => e.aggregate.id === 'a').map(versionOf)).toEqual(
      Array.from({ length: 21 }, (_, i) => i + 1),
    );
    expect(new Set(got.map((e) => e.id)).size).toBe(got.length);
    expect(got.map((e) => e.position)).toEqual([...got.map((e) => e.position)].sort((x, y) => x - y));
    expect(await undeliveredCount(s.db)).toBe(0);
  });

  it('delivers, in order per aggregate, what concurrent writers commit', { timeout: 60_000 }, async () => {
    store = await freshStore(engine);
    const s = store;
    const bus = events(s);
    const got: EventEnvelope[] = [];
    bus.subscribe('playbook.changed', (e) => {
      got.push(e);
    });
    await bus.start();
    // 4 aggregates, 25 versions each, written by 4 writers at once; each transaction does a
    // little more after appending, so that commits overlap.
    const writer = async (brand: string) => {
      for (let v = 1; v <= 25; v++) {
        await s.db.transaction().execute(async (trx) => {
          await appendEvents(trx, [changed(brand, v)]);
          await trx.selectFrom('event_outbox').select('id').limit(1).execute();
        });
      }
    };
    await Promise.all(['a', 'b', 'c', 'd'].map(writer));
    await until(() => got.length >= 100);
    for (const brand of ['a', 'b', 'c', 'd']) {
      const versions = got.filter((e) => e.aggregate.id === brand).map(versionOf);
      expect(versions, brand).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    }
  });

  it('delivers an aggregate’s events in commit order when a later writer would commit first', {
    timeout: 60_000,
  }, async () => {
    store = await freshStore(engine);
    const s = store;
    const bus = events(s);
    const got: EventEnvelope[] = [];
    bus.subscribe('*', (e) => {
      got.push(e);
    });
    await bus.start();
    // The first change appends and keeps its transaction open a while; the second starts
    // after it and would commit first. The second must come after the first, as it committed.
    let appended!: () => void;
    const firstAppended = new Promise<void>((r) => {
      appended = r;
    });
    const first = s.db.transaction().execute(async (trx) => {
      await appendEvents(trx, [changed('a', 1)]);
      appended();
      await new Promise((r) => setTimeout(r, 400));
    });
    await firstAppended;
    const second = s.db.transaction().execute((trx) => appendEvents(trx, [changed('a', 2)]));
    await Promise.all([first, second]);
    await until(() => got.length >= 2);
    expect(got.map(versionOf)).toEqual([1, 2]);
  });

  it('a process with the relay off writes; another delivers what it left', { timeout: 60_000 }, async () => {
    store = await freshStore(engine);
    const s = store;
    const writer = events(s, { relay: false });
    const heardByWriter: EventEnvelope[] = [];
    writer.subscribe('*', (e) => {
      heardByWriter.push(e);
    });
    await writer.start();
    for (let v = 1; v <= 5; v++)
      await s.db.transaction().execute((trx) => appendEvents(trx, [changed('a', v)]));
    await new Promise((r) => setTimeout(r, 300));
    expect(await undeliveredCount(s.db)).toBe(5);
    expect(heardByWriter).toEqual([]);
    const relay = events(s);
    const got: EventEnvelope[] = [];
    relay.subscribe('*', (e) => {
      got.push(e);
    });
    await relay.start();
    await until(() => got.length >= 5);
    expect(got.map(versionOf)).toEqual([1, 2, 3, 4, 5]);
  });

  it('prunes delivered events after 7 days, never undelivered ones', { timeout: 60_000 }, async () => {
    store = await freshStore(engine);
    const s = store;
    const clock = new FixedClock(new Date('2026-11-01T00:00:00Z'));
    const first = events(s, { clock });
    await first.start();
    await s.db.transaction().execute((trx) => appendEvents(trx, [changed('old', 1)]));
    let delivered = 0;
    first.subscribe('*', () => {
      delivered++;
    });
    await until(() => delivered === 1);
    await first.stop();
    // One waiting for a relay, and 8 days later a new relay prunes on its first pass.
    await s.db.transaction().execute((trx) => appendEvents(trx, [changed('waiting', 1)]));
    const later = new FixedClock(new Date(clock.now().getTime() + KEEP_DELIVERED_MS + 86_400_000));
    const rows = () => s.db.selectFrom('event_outbox').select(['aggregate_id', 'delivered_at']).execute();
    expect((await rows()).length).toBe(2);
    const second = events(s, { clock: later, relay: true });
    const got: string[] = [];
    second.subscribe('*', (e) => {
      got.push(e.aggregate.id);
    });
    await second.start();
    await until(() => got.length === 1);
    await second.idle(); // the prune runs at the end of the pass that delivered
    const left = await rows();
    expect(left.map((r) => r.aggregate_id)).toEqual(['waiting']);
    expect(got).toEqual(['waiting']);
  });
});

describe('several processes on PostgreSQL and Redis', () => {
  let store: TestStore | undefined;
  const running: Events[] = [];
  afterEach(async () => {
    for (const e of running.splice(0)) await e.stop();
    await store?.drop();
    store = undefined;
  });

  it('one relay at a time; every process hears every event once, in order', { timeout: 60_000 }, async () => {
    store = await freshStore('postgres');
    const s = store;
    const prefix = `huashu-test-${randomBytes(6).toString('hex')}:`;
    const heard = new Map<string, EventEnvelope[]>();
    for (const name of ['a', 'b', 'c']) {
      const e = new Events({
        db: s.db,
        clock: new FixedClock(new Date()),
        redisUrl: REDIS_URL,
        redisPrefix: prefix,
        // c only writes and listens.
        relay: name !== 'c',
        pollMs: 100,
      });
      running.push(e);
      const list: EventEnvelope[] = [];
      heard.set(name, list);
      e.subscribe('*', (ev) => {
        list.push(ev);
      });
      await e.start();
    }
    // Writers in every "process" (they share the store; each Events relays only its own wake-ups
    // and polls, under the one lock).
    await Promise.all(
      ['x', 'y', 'z'].map(async (brand) => {
        for (let v = 1; v <= 20; v++)
          await s.db.transaction().execute((trx) => appendEvents(trx, [changed(brand, v)]));
      }),
    );
    await until(() => [...heard.values()].every((l) => l.length >= 60), 20_000);
    await new Promise((r) => setTimeout(r, 300));
    for (const [name, list] of heard) {
      expect(new Set(list.map((e) => e.id)).size, name).toBe(60);
      expect(list.length, `${name} heard an event twice`).toBe(60);
      for (const brand of ['x', 'y', 'z']) {
        const versions = list.filter((e) => e.aggregate.id === brand).map(versionOf);
        expect(versions, `${name} ${brand}`).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      }
    }
  });
});

describe('the bus', () => {
  it('hands a repeated event id to its handlers once', () => {
    const errors: unknown[] = [];
    const bus = new EventBus((err) => errors.push(err));
    const seen: string[] = [];
    bus.subscribe('playbook.changed', (e) => {
      seen.push(e.id);
    });
    bus.subscribe('*', () => {
      throw new Error('a broken handler');
    });
    const e = {
      id: 'e1',
      type: 'playbook.changed',
      aggregate: { type: 'playbook', id: 'a' },
      position: 1,
      occurredAt: '2026-11-30T00:00:00.000Z',
      payload: { brand: 'a', version: 2, by: null },
    } as const satisfies EventEnvelope;
    expect(bus.dispatch(e)).toBe(true);
    expect(bus.dispatch(e)).toBe(false);
    expect(seen).toEqual(['e1']);
    expect(errors).toHaveLength(1);
  });
});
