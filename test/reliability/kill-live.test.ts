// kill -9 of the one server process (no Redis) during a live call loses neither the call nor
// its words: the next process on the same database has the call live, takes its next turn
// (not "the process holding the call does not answer"), and its hang-up stores every word
// acknowledged before the kill, inspected.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { login, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

const PASSWORD = 'kill-live-password';

describe.each(ENGINES)('kill -9 during a live call on %s', (engine) => {
  let server: ServerProcess | undefined;
  let pgStore: TestStore | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await server?.stop();
    await pgStore?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    server = undefined;
    pgStore = undefined;
    dataDir = undefined;
  });

  it('the next process has the call live and takes it to its hang-up', { timeout: 90_000 }, async () => {
    let env: Record<string, string>;
    if (engine === 'sqlite') {
      dataDir = mkdtempSync(join(tmpdir(), 'huashu-kill-live-'));
      env = { HUASHU_DATA_DIR: dataDir, HUASHU_ADMIN_PASSWORD: PASSWORD };
    } else {
      pgStore = await freshStore('postgres');
      env = { DATABASE_URL: pgStore.url ?? '', HUASHU_ADMIN_PASSWORD: PASSWORD };
    }
    server = await startServerProcess(env);
    const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
      const res = await fetch(`${server?.base}${path}`, {
        method,
        headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : {} };
    };
    const admin = await login(server.base, 'admin', PASSWORD);
    const token = await call('POST', '/api/tokens', admin, { name: 'CTI bridge', scopes: ['cti'] });
    expect(token.status, JSON.stringify(token.json)).toBe(201);
    const bridge = { authorization: `Bearer ${token.json.token as string}` };
    const cti = async (body: Record<string, unknown>) => {
      const r = await call('POST', '/api/cti/events', bridge, { callId: 'k1', ...body });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return r.json;
    };
    const asr = async (speaker: string, text: string) => {
      const r = await call('POST', '/api/live/calls/k1/turns', bridge, { speaker, text });
      expect(r.status, JSON.stringify(r.json)).toBe(202);
    };

    await cti({ type: 'ring', brand: 'zhonghua', caller: '13800138000', agent: { number: '1024' } });
    await cti({ type: 'answer' });
    await asr('agent', '您好，中华保险1024号为您服务');
    await asr('customer', '我想查一下保单');
    await server.kill9();

    server = await startServerProcess(env);
    const live = await call('GET', '/api/cti/live', admin);
    expect(live.status).toBe(200);
    expect(live.json.items).toEqual([expect.objectContaining({ callId: 'k1', status: 'talking' })]);
    await asr('agent', '好的，您的保单下个月到期');
    const hangup = await cti({ type: 'hangup', by: 'customer' });
    expect(hangup.hangup.call.id).toBe('k1');
    // The words reach the stored call after the hang-up (live assist's transcript), inspected.
    let stored: { turns: { text: string }[]; qa: { score: number } | null } | undefined;
    for (let i = 0; i < 100; i++) {
      const r = await call('GET', '/api/calls/k1', admin);
      stored = r.json;
      if (r.status === 200 && stored?.turns.length === 3) break;
      await new Promise((ok) => setTimeout(ok, 50));
    }
    expect(stored?.turns.map((t) => t.text)).toEqual([
      '您好，中华保险1024号为您服务',
      '我想查一下保单',
      '好的，您的保单下个月到期',
    ]);
    expect(stored?.qa?.score).toEqual(expect.any(Number));
  });
});
