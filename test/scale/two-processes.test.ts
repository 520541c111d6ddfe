// Two real server processes (`huashu serve`) on one PostgreSQL database and one Redis, as a
// call centre runs them behind a load balancer: live calls are shared (a ring posted to A is in
// B's /api/cti/live; killing A during a call loses nothing, and the hangup posted to B stores
// it), and the deadline check that both run records and notifies a breach once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { FixedClock, timeOrderedIds } from '../../src/shared/clock.ts';
import { START, shippedCatalog, signInAs, type TestApp } from '../support/app.ts';
import { login, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { freshStore, type TestStore } from '../support/store.ts';
import { client, complaintBody } from '../tickets/support.ts';
import { deleteKeys, REDIS_URL, randomPrefix, testRedis } from './redis.ts';

const PASSWORD = 'correct horse 1';

describe('two server processes on PostgreSQL and Redis', () => {
  let store: TestStore;
  let prefix: string;
  let a: ServerProcess;
  let b: ServerProcess;
  let overdueTicket: string;
  let bridge: Record<string, string>;

  beforeAll(async () => {
    store = await freshStore('postgres');
    prefix = randomPrefix();
    // Before the servers: the users, and an urgent complaint opened ten days ago (its first
    // response and reply are long overdue), through the app on a clock set back.
    const clock = new FixedClock(START);
    const app = await buildApp({
      config: loadConfig({ DATABASE_URL: store.url }),
      store,
      catalog: shippedCatalog(),
      clock,
      ids: timeOrderedIds,
    });
    const t: TestApp = { app, store, clock, close: async () => {} };
    await signInAs(t, 'admin');
    await signInAs(t, 'team-lead');
    await signInAs(t, 'room-director');
    const agent = client(t, await signInAs(t, 'agent'));
    overdueTicket = (await agent.ok('/api/tickets', complaintBody())).id;
    await app.close();

    const env = {
      DATABASE_URL: store.url ?? '',
      REDIS_URL,
      HUASHU_REDIS_PREFIX: prefix,
      HUASHU_CHECK_SECONDS: '0.3',
    };
    a = await startServerProcess(env);
    b = await startServerProcess(env);
    const admin = await login(a.base, 'admin', PASSWORD);
    const res = await fetch(`${a.base}/api/tokens`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'CTI bridge', scopes: ['cti'] }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    bridge = { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
  }, 120_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await store?.drop();
    const r = await testRedis();
    await deleteKeys(r.redis, prefix);
    await r.close();
  });

  const post = async (server: ServerProcess, payload: Record<string, unknown>) => {
    const res = await fetch(`${server.base}/api/cti/events`, {
      method: 'POST',
      headers: { ...bridge, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json();
  };
  const get = async (server: ServerProcess, url: string, headers: Record<string, string>) => {
    const res = await fetch(`${server.base}${url}`, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const ring = (server: ServerProcess, callId: string) =>
    post(server, {
      callId,
      type: 'ring',
      at: new Date().toISOString(),
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: '1024', name: '李娜' },
    });
  const liveIds = async (server: ServerProcess, lead: Record<string, string>) => {
    const r = await get(server, '/api/cti/live', lead);
    expect(r.status).toBe(200);
    return (r.body.items as { callId: string; status: string }[]).map((c) => `${c.callId}:${c.status}`);
  };

  it('a ring posted to A is in B’s live calls, and an answer on B is seen on A', async () => {
    const lead = await login(b.base, 'team-lead', PASSWORD);
    await ring(a, 'two-proc.1');
    expect(await liveIds(b, lead)).toContain('two-proc.1:ringing');
    await post(b, { callId: 'two-proc.1', type: 'answer', at: new Date().toISOString() });
    expect(await liveIds(a, lead)).toContain('two-proc.1:talking');
  });

  it('records and notifies an overdue ticket’s breaches once although both processes run the check', async () => {
    const director = await login(b.base, 'room-director', PASSWORD);
    const agentHeaders = await login(a.base, 'agent', PASSWORD);
    // Both processes check every 0.3 s; wait until the breaches are in, then some more checks.
    const deadline = Date.now() + 30_000;
    let ticket: Record<string, unknown> = {};
    for (;;) {
      ticket = (await get(a, `/api/tickets/${overdueTicket}`, agentHeaders)).body;
      if (ticket.level === 'room-director') break;
      if (Date.now() > deadline) throw new Error(`no breach recorded: ${JSON.stringify(ticket)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const events = (await get(b, `/api/tickets/${overdueTicket}/events`, agentHeaders)).body.items as {
      type: string;
      data: { deadline?: string };
    }[];
    const breaches = events.filter((e) => e.type === 'breached').map((e) => e.data.deadline);
    expect(breaches.sort()).toEqual(['first-response', 'reply']);
    expect(new Set(breaches).size).toBe(breaches.length);
    const inbox = (await get(a, '/api/notifications', director)).body as {
      items: { ticketId: string; reason: string }[];
    };
    const forTicket = inbox.items.filter((n) => n.ticketId === overdueTicket && n.reason === 'breach');
    expect(forTicket).toHaveLength(1);
    // And the checks ran in one process at a time: the periodic job's runs are listed once each.
    const admin = await login(a.base, 'admin', PASSWORD);
    const jobs = (await get(b, '/api/admin/jobs?status=completed&limit=500', admin)).body.items as {
      name: string;
      createdAt: string;
    }[];
    const checks = jobs.filter((j) => j.name === 'deadline-check');
    expect(checks.length).toBeGreaterThan(0);
  });

  it('killing A during a call leaves it live on B, and its hangup posted to B stores it', async () => {
    const lead = await login(b.base, 'team-lead', PASSWORD);
    await ring(a, 'two-proc.2');
    await post(a, { callId: 'two-proc.2', type: 'answer', at: new Date().toISOString() });
    await a.kill9();
    expect(await liveIds(b, lead)).toContain('two-proc.2:talking');
    await post(b, { callId: 'two-proc.2', type: 'hangup', at: new Date().toISOString(), by: 'customer' });
    expect(await liveIds(b, lead)).not.toContain('two-proc.2:talking');
    const stored = await get(b, '/api/calls/two-proc.2', lead);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ id: 'two-proc.2', brand: 'zhonghua', answered: true });
  });
});
