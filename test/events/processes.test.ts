// Real server processes (`huashu serve`) on one PostgreSQL database (a fresh schema) and the
// machine's Redis (a channel prefix of the test's own): a playbook PUT on one process is in
// force on the other; kill -9 between commit and delivery loses no event; kill -9 in the middle
// of a burst of writes loses no acknowledged change's event.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/events/map.ts';
import type { FanoutMessage } from '../../src/events/redis.ts';
import { login, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { freshStore, type TestStore } from '../support/store.ts';

const REDIS_URL = process.env.HUASHU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PASSWORD = 'events-test-password';

async function until(what: () => boolean | Promise<boolean>, ms: number, what_: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what_}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Everything published on the test's channel, as a process of the deployment would hear it. */
async function listen(prefix: string) {
  const sub = new Redis(REDIS_URL);
  const heard: EventEnvelope[] = [];
  sub.on('message', (_channel, message: string) => {
    heard.push(...(JSON.parse(message) as FanoutMessage).events);
  });
  await sub.subscribe(`${prefix}events`);
  return { heard, close: () => sub.quit() };
}

/** The first delivery of each event, in the order heard (a repeat is allowed: at least once). */
function firsts(heard: readonly EventEnvelope[]): EventEnvelope[] {
  const seen = new Set<string>();
  return heard.filter((e) => !seen.has(e.id) && seen.add(e.id));
}

function expectOrderedPerAggregate(events: readonly EventEnvelope[]): void {
  const last = new Map<string, number>();
  for (const e of events) {
    const key = `${e.aggregate.type}:${e.aggregate.id}`;
    expect(e.position, `${key} out of order`).toBeGreaterThan(last.get(key) ?? 0);
    last.set(key, e.position);
  }
}

function complaint(i: number) {
  return JSON.stringify({
    type: 'complaint',
    subtype: 'service-attitude',
    brand: 'zhonghua',
    subject: `投诉 ${i}`,
    customerPhone: `1380013${String(i % 10000).padStart(4, '0')}`,
  });
}

describe('several server processes on PostgreSQL and Redis', () => {
  let store: TestStore | undefined;
  const servers: ServerProcess[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
    for (const c of closers.splice(0)) await c();
    await store?.drop();
    store = undefined;
  });

  async function setup() {
    store = await freshStore('postgres');
    const prefix = `huashu-test-${randomBytes(6).toString('hex')}:`;
    const env = {
      DATABASE_URL: store.url ?? '',
      REDIS_URL,
      HUASHU_REDIS_PREFIX: prefix,
      HUASHU_ADMIN_PASSWORD: PASSWORD,
    };
    return { env, prefix };
  }

  async function start(env: Record<string, string>): Promise<ServerProcess> {
    const s = await startServerProcess(env, 60_000);
    servers.push(s);
    return s;
  }

  it('a playbook PUT on A is in force on B', { timeout: 180_000 }, async () => {
    const { env } = await setup();
    const a = await start(env);
    const b = await start(env);
    const onA = { ...(await login(a.base, 'admin', PASSWORD)), 'content-type': 'application/json' };
    const onB = await login(b.base, 'admin', PASSWORD);
    const title = async (base: string, headers: Record<string, string>) => {
      const res = await fetch(`${base}/api/playbooks/zhonghua/scenarios/exception.silent-line`, { headers });
      return ((await res.json()) as { title: string }).title;
    };
    expect(await title(b.base, onB)).toBe('无声电话');
    const original = readFileSync(new URL('../../playbooks/zhonghua.yaml', import.meta.url), 'utf8');
    const next = original
      .replace(/^version: \d+/m, 'version: 2')
      .replace('title: 无声电话', 'title: 无声电话(新版)');
    const put = await fetch(`${a.base}/api/playbooks/zhonghua`, {
      method: 'PUT',
      headers: onA,
      body: JSON.stringify({ content: next }),
    });
    expect(put.status).toBe(200);
    // Within a second normally; up to 5 s on a loaded machine. The new text, not the time, is checked.
    await until(async () => (await title(b.base, onB)) === '无声电话(新版)', 5_000, 'the new title on B');
  });

  it('kill -9 after commit, before delivery: a relaying process delivers every event, in order', {
    timeout: 180_000,
  }, async () => {
    const { env, prefix } = await setup();
    const bus = await listen(prefix);
    closers.push(bus.close);
    // A process that only writes (HUASHU_EVENT_RELAY=off): its events wait in the outbox.
    const writer = await start({ ...env, HUASHU_EVENT_RELAY: 'off' });
    const headers = { ...(await login(writer.base, 'admin', PASSWORD)), 'content-type': 'application/json' };
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${writer.base}/api/tickets`, { method: 'POST', headers, body: complaint(i) });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    await writer.kill9();
    expect(bus.heard).toEqual([]);

    await start(env); // relays what the dead process left
    const opened = () =>
      new Set(bus.heard.filter((e) => e.type === 'ticket.opened').map((e) => e.aggregate.id));
    await until(() => ids.every((id) => opened().has(id)), 15_000, 'every ticket.opened');
    const events = firsts(bus.heard);
    expectOrderedPerAggregate(events);
    // Each ticket: opened, then the room director's notification.
    for (const id of ids) {
      expect(events.filter((e) => e.aggregate.id === id).map((e) => e.type)).toEqual([
        'ticket.opened',
        'notification.created',
      ]);
    }
  });

  it('kill -9 in the middle of a burst of writes: every acknowledged change’s event arrives', {
    timeout: 180_000,
  }, async () => {
    const { env, prefix } = await setup();
    const bus = await listen(prefix);
    closers.push(bus.close);
    const server = await start(env);
    const headers = { ...(await login(server.base, 'admin', PASSWORD)), 'content-type': 'application/json' };
    const acknowledged: string[] = [];
    let stop = false;
    let n = 0;
    const writer = async () => {
      while (!stop) {
        try {
          const res = await fetch(`${server.base}/api/tickets`, {
            method: 'POST',
            headers,
            body: complaint(n++),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
        } catch {
          return; // the connection died with the server
        }
      }
    };
    const writers = Array.from({ length: 16 }, writer);
    await until(() => acknowledged.length >= 150, 60_000, '150 tickets');
    await server.kill9();
    stop = true;
    await Promise.allSettled(writers);
    const acked = [...acknowledged];

    await start(env);
    const opened = () =>
      new Set(bus.heard.filter((e) => e.type === 'ticket.opened').map((e) => e.aggregate.id));
    await until(() => acked.every((id) => opened().has(id)), 20_000, 'every acknowledged ticket.opened');
    const missing = acked.filter((id) => !opened().has(id));
    expect(missing).toEqual([]);
    expectOrderedPerAggregate(firsts(bus.heard));
  });
});
