// A scorecard published on one server process is in force on another without a restart (two
// real `huashu serve` processes on one PostgreSQL and Redis): the next call that rings on B has
// the new rule in its live alerts and its inspection; a call already ringing on B when A
// published keeps the old version to its hang-up — posted to A, which stores it judged by that
// version — and each stored call names the version that judged it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { FixedClock, timeOrderedIds } from '../../src/shared/clock.ts';
import { type LiveEventMessage, openSocket } from '../live/socket-client.ts';
import { deleteKeys, REDIS_URL, randomPrefix, testRedis } from '../scale/redis.ts';
import { START, shippedCatalog, signInAs, type TestApp } from '../support/app.ts';
import { login, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { freshStore, type TestStore } from '../support/store.ts';
import { TURNS, V2 } from './versions.ts';

const PASSWORD = 'correct horse 1';

async function until<T>(what: () => Promise<T | undefined>, ms: number, label: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await what();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting: ${label}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a published scorecard on two server processes', () => {
  let store: TestStore;
  let prefix: string;
  let a: ServerProcess;
  let b: ServerProcess;

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
    await app.close();
    const env = { DATABASE_URL: store.url ?? '', REDIS_URL, HUASHU_REDIS_PREFIX: prefix };
    [a, b] = await Promise.all([startServerProcess(env, 90_000), startServerProcess(env, 90_000)]);
  }, 180_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await store?.drop();
    const r = await testRedis();
    await deleteKeys(r.redis, prefix);
    await r.close();
  });

  it('B takes the version A published for the next call; a call ringing meanwhile keeps its own', {
    timeout: 120_000,
  }, async () => {
    const adminOnA = await login(a.base, 'admin', PASSWORD);
    const onA = { ...adminOnA, 'content-type': 'application/json' };
    const onB = await login(b.base, 'admin', PASSWORD);
    const tokenRes = await fetch(`${a.base}/api/tokens`, {
      method: 'POST',
      headers: onA,
      body: JSON.stringify({ name: 'CTI bridge', scopes: ['cti'] }),
    });
    expect(tokenRes.status).toBe(201);
    const bridge = {
      authorization: `Bearer ${((await tokenRes.json()) as { token: string }).token}`,
      'content-type': 'application/json',
    };
    const post = async (server: ServerProcess, url: string, payload: unknown, status = 200) => {
      const res = await fetch(`${server.base}${url}`, {
        method: 'POST',
        headers: bridge,
        body: JSON.stringify(payload),
      });
      expect(res.status, await res.clone().text()).toBe(status);
    };
    const cti = (server: ServerProcess, callId: string, type: string, extra: Record<string, unknown> = {}) =>
      post(server, '/api/cti/events', { callId, type, at: new Date().toISOString(), ...extra });
    const inForceOn = async (server: ServerProcess, headers: Record<string, string>) =>
      ((await (await fetch(`${server.base}/api/scorecards`, { headers })).json()) as { inForce: number })
        .inForce;

    // The agent's console on B, where the calls ring (their flows live on B).
    const agent = await login(b.base, 'agent', PASSWORD);
    const console_ = await openSocket(b.base, { cookie: agent.cookie ?? '', origin: b.base });
    await console_.next((m) => m.type === 'ready');
    console_.send({ type: 'subscribe' });
    await console_.next((m) => m.type === 'snapshot');

    expect(await inForceOn(b, onB)).toBe(1);
    const draft = await fetch(`${a.base}/api/scorecards/default/draft`, {
      method: 'PUT',
      headers: onA,
      body: JSON.stringify({ content: V2 }),
    });
    expect(draft.status, await draft.clone().text()).toBe(200);
    const ring = (callId: string) =>
      cti(b, callId, 'ring', {
        brand: 'zhonghua',
        caller: '13800138000',
        agent: { number: '1024', name: '李娜' },
      });
    await ring('old');
    await cti(a, 'old', 'answer'); // posted to A, applied by the flow on B

    const published = await fetch(`${a.base}/api/scorecards/default/versions/2/publish`, {
      method: 'POST',
      headers: adminOnA,
    });
    expect(published.status, await published.clone().text()).toBe(200);
    // No restart and no look per call: B hears of it (Redis) and puts it in force.
    await until(async () => ((await inForceOn(b, onB)) === 2 ? true : undefined), 15_000, 'version 2 on B');
    await ring('new');
    await cti(b, 'new', 'answer');
    const live = (await (await fetch(`${a.base}/api/cti/live`, { headers: onA })).json()) as {
      items: { callId: string; scorecardVersion: number }[];
    };
    expect(Object.fromEntries(live.items.map((c) => [c.callId, c.scorecardVersion]))).toEqual({
      old: 1,
      new: 2,
    });

    for (const id of ['old', 'new'])
      for (const { speaker, text } of TURNS)
        await post(b, `/api/live/calls/${id}/turns`, { speaker, text }, 202);
    // The old call's hang-up reaches A, which stores it (judged by version 1, though 2 is in force there).
    await cti(a, 'old', 'hangup', { by: 'customer' });
    await cti(b, 'new', 'hangup', { by: 'customer' });

    const inspection = async (id: string) => {
      const m = (await console_.next(
        (x) => x.type === 'event' && x.callId === id && (x as LiveEventMessage).event.kind === 'inspection',
        30_000,
      )) as LiveEventMessage;
      return m.event as unknown as { scorecardVersion: number; inspection: unknown };
    };
    const oldLive = await inspection('old');
    const newLive = await inspection('new');
    expect(oldLive.scorecardVersion).toBe(1);
    expect(newLive.scorecardVersion).toBe(2);
    const alerts = (id: string) =>
      console_
        .events(id)
        .filter((m) => m.event.kind === 'alert')
        .map((m) => m.event.rule);
    expect(alerts('new')).toContain('opening.no-wei');
    expect(alerts('old')).not.toContain('opening.no-wei');

    // The stored calls, once their words are in (B's live assist hands them over after the hang-up).
    const stored = (id: string) =>
      until(
        async () => {
          const call = (await (await fetch(`${a.base}/api/calls/${id}`, { headers: onA })).json()) as {
            turns: unknown[];
            qa: { scorecardVersion: number; failedRules: string[]; result: unknown };
          };
          return call.turns.length === TURNS.length ? call : undefined;
        },
        15_000,
        `the words of ${id}`,
      );
    const old = await stored('old');
    const fresh = await stored('new');
    expect(old.qa.scorecardVersion).toBe(1);
    expect(fresh.qa.scorecardVersion).toBe(2);
    expect(old.qa.failedRules).not.toContain('opening.no-wei');
    expect(fresh.qa.failedRules).toContain('opening.no-wei');
    // One rule set, one result: the stored inspection is the live one.
    expect(old.qa.result).toEqual(oldLive.inspection);
    expect(fresh.qa.result).toEqual(newLive.inspection);
    await console_.close();
  });
});
