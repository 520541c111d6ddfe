// Live assist over two real server processes on one PostgreSQL and one Redis: a console on B
// sees a call rung on A (whose flow lives on A), the turn it sends to B reaches A's flow and
// the alert comes back, a CTI event posted to B is applied by A's flow, and a console that
// reconnects to A resumes with exactly the events it missed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { FixedClock, timeOrderedIds } from '../../src/shared/clock.ts';
import { deleteKeys, REDIS_URL, randomPrefix, testRedis } from '../scale/redis.ts';
import { START, shippedCatalog, signInAs, type TestApp } from '../support/app.ts';
import { login, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { freshStore, type TestStore } from '../support/store.ts';
import { type LiveEventMessage, openSocket } from './socket-client.ts';

const PASSWORD = 'correct horse 1';

describe('live assist on two server processes', () => {
  let store: TestStore;
  let prefix: string;
  let a: ServerProcess;
  let b: ServerProcess;
  let bridge: Record<string, string>;

  beforeAll(async () => {
    store = await freshStore('postgres');
    prefix = randomPrefix();
    const app = await buildApp({
      config: loadConfig({ DATABASE_URL: store.url }),
      store,
      catalog: shippedCatalog(),
      clock: new FixedClock(START),
      ids: timeOrderedIds,
    });
    const t: TestApp = { app, store, clock: new FixedClock(START), close: async () => {} };
    await signInAs(t, 'admin');
    await signInAs(t, 'agent'); // 工号 1024
    await signInAs(t, 'team-lead');
    await app.close();
    const env = { DATABASE_URL: store.url ?? '', REDIS_URL, HUASHU_REDIS_PREFIX: prefix };
    // Together: two first starts at once seed the shipped playbooks one after the other (an
    // advisory lock; test/reliability/first-start-race.test.ts).
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
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

  const post = async (server: ServerProcess, url: string, payload: Record<string, unknown>, status = 200) => {
    const res = await fetch(`${server.base}${url}`, {
      method: 'POST',
      headers: { ...bridge, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect(res.status, await res.clone().text()).toBe(status);
  };
  const console_ = async (server: ServerProcess, username: string, resume?: Record<string, number>) => {
    const session = await login(server.base, username, PASSWORD);
    const c = await openSocket(server.base, { cookie: session.cookie ?? '', origin: server.base });
    await c.next((m) => m.type === 'ready');
    c.send({ type: 'subscribe', ...(resume ? { resume } : {}) });
    const snapshot = await c.next((m) => m.type === 'snapshot');
    return { c, snapshot };
  };
  const isEvent = (callId: string, kind: string) => (m: { type: string; [k: string]: unknown }) =>
    m.type === 'event' && m.callId === callId && (m as LiveEventMessage).event.kind === kind;

  it('carries a call rung on A to a console on B, and B’s inputs to A’s flow', {
    timeout: 60_000,
  }, async () => {
    const { c: onB } = await console_(b, 'agent');
    const { c: leadOnA } = await console_(a, 'team-lead');
    const callId = `two.${Date.now()}`;
    await post(a, '/api/cti/events', {
      callId,
      type: 'ring',
      at: new Date().toISOString(),
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: '1024' },
    });
    const ring = (await onB.next(isEvent(callId, 'call'))) as LiveEventMessage;
    expect(ring).toMatchObject({ seq: 1, event: { type: 'ring' } });

    // The answer is posted to B; the flow on A applies it.
    await post(b, '/api/cti/events', { callId, type: 'answer', at: new Date().toISOString() });
    await onB.next(isEvent(callId, 'guidance'));

    // A typed turn sent to B reaches A's flow; the alert comes back to B (and to the lead on A).
    onB.send({ type: 'turn', callId, speaker: 'agent', text: '这个我真不知道', ref: 'k' });
    await onB.next((m) => m.type === 'ack' && m.ref === 'k');
    const alert = (await onB.next(isEvent(callId, 'alert'))) as LiveEventMessage;
    await leadOnA.next((m) => m.type === 'event' && m.callId === callId && m.seq === alert.seq);
    const upToAlert = (c: typeof onB) =>
      c
        .events(callId)
        .map((e) => e.seq)
        .filter((n) => n <= alert.seq);
    expect(upToAlert(onB)).toEqual(upToAlert(onB).map((_, i) => i + 1));
    expect(upToAlert(leadOnA)).toEqual(upToAlert(onB));

    // B's console drops; the ASR posts a turn to B; a console reconnecting to A gets exactly the rest.
    const seen = alert.seq;
    await onB.close();
    await post(b, `/api/live/calls/${callId}/turns`, { speaker: 'customer', text: '我要投诉' }, 202);
    await leadOnA.next(isEvent(callId, 'situation'));
    const { c: again, snapshot } = await console_(a, 'agent', { [callId]: seen });
    const call = (
      snapshot.calls as { callId: string; events: { seq: number; event: { kind: string } }[] }[]
    ).find((x) => x.callId === callId);
    // Every event after the one it saw, none twice: the rest of what the agent's turn caused,
    // then the ASR's turn with its situation and the script line for it.
    const resumed = call?.events ?? [];
    expect(resumed.map((e) => e.seq)).toEqual(resumed.map((_, i) => seen + 1 + i));
    const kinds = resumed.map((e) => e.event.kind);
    expect(kinds.slice(kinds.lastIndexOf('turn'))).toEqual(
      expect.arrayContaining(['turn', 'situation', 'guidance']),
    );

    await post(b, '/api/cti/events', {
      callId,
      type: 'hangup',
      at: new Date().toISOString(),
      by: 'customer',
    });
    const end = (await again.next(isEvent(callId, 'call'))) as LiveEventMessage;
    // The hang-up posted to B, numbered right after what the console had.
    expect(end).toMatchObject({ seq: seen + resumed.length + 1, event: { type: 'hangup', status: 'ended' } });
    await again.close();
    await leadOnA.close();
  });
});
