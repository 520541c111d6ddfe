// A 工号 is unique per brand, so two agents may both be 1024 at different brands: each sees
// only their own brand's calls of 1024, and may act only on those; on both engines.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { callJson } from './fixtures.ts';

describe.each(['sqlite', 'postgres'] as const)('calls scoped by brand and 工号 on %s', (engine) => {
  let t: TestApp;
  let zhonghuaAgent: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    const admin = await signInAs(t, 'admin');
    for (const [username, brand] of [
      ['li', 'zhonghua'],
      ['wang', 'chaoyue'],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: { ...admin.headers, 'accept-language': 'en' },
        payload: {
          username,
          displayName: username,
          role: 'agent',
          agentNumber: '7001',
          brand,
          password: 'correct horse 1',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const [id, brand] of [
      ['call-zh', 'zhonghua'],
      ['call-cy', 'chaoyue'],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/calls',
        headers: admin.headers,
        payload: callJson({ id, brand, agent: '7001' }),
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'li', password: 'correct horse 1' },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const csrf = (login.json() as { csrfToken: string }).csrfToken;
    zhonghuaAgent = { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
  });
  afterEach(async () => {
    await t.close();
  });

  it("lists and opens only the agent's own brand's calls of their 工号", async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/calls', headers: zhonghuaAgent.headers });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: { id: string }[] }).items.map((c) => c.id)).toEqual(['call-zh']);
    const other = await t.app.inject({
      method: 'GET',
      url: '/api/calls/call-cy',
      headers: zhonghuaAgent.headers,
    });
    expect(other.statusCode).toBe(403);
    const own = await t.app.inject({
      method: 'GET',
      url: '/api/calls/call-zh',
      headers: zhonghuaAgent.headers,
    });
    expect(own.statusCode).toBe(200);
  });

  it("does not show the other brand's call in the customer's history, not even as a fact", async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/customers/${encodeURIComponent('13800138000')}/history`,
      headers: zhonghuaAgent.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    const calls = (res.json() as { calls: { id: string; qa: unknown; agent: { id: string | null } }[] })
      .calls;
    const cy = calls.find((c) => c.id === 'call-cy');
    const zh = calls.find((c) => c.id === 'call-zh');
    expect(zh?.qa).not.toBeNull();
    expect(cy).toBeUndefined();
  });

  it("a brand-limited director lists, opens and exports only that brand's calls; the unlimited all", async () => {
    const admin = await signInAs(t, 'admin');
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: {
        username: 'cy-director',
        displayName: 'cy-director',
        role: 'room-director',
        brand: 'chaoyue',
        password: 'correct horse 1',
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'cy-director', password: 'correct horse 1' },
    });
    const headers = { cookie: String(login.headers['set-cookie']).split(';')[0] ?? '' };
    const get = (url: string, h: Record<string, string> = headers) =>
      t.app.inject({ method: 'GET', url, headers: h });
    const listed = (r: { json(): unknown }) =>
      (r.json() as { items: { id: string }[] }).items.map((c) => c.id);
    expect(listed(await get('/api/calls'))).toEqual(['call-cy']);
    // Another brand asked by name: refused naming the account's brand (not an empty list that
    // reads as "no calls"), in the list and the export alike (before any row is written).
    for (const url of ['/api/calls?brand=zhonghua', '/api/exports/calls.csv?brand=zhonghua']) {
      const other = await get(url);
      expect(other.statusCode, url).toBe(403);
      expect(other.json().message, url).toContain('chaoyue');
    }
    expect(listed(await get('/api/calls?brand=chaoyue'))).toEqual(['call-cy']);
    expect(listed(await get('/api/calls', admin.headers)).sort()).toEqual(['call-cy', 'call-zh']);
    expect((await get('/api/calls/call-zh')).statusCode).toBe(404);
    expect((await get('/api/calls/call-cy')).statusCode).toBe(200);
    const csv = await get('/api/exports/calls.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('call-cy');
    expect(csv.body).not.toContain('call-zh');
    const all = await get('/api/exports/calls.csv', admin.headers);
    expect(all.body).toContain('call-zh');
  });

  it("a brand-limited QA inspector can neither add words to another brand's call nor read its inspections", async () => {
    const admin = await signInAs(t, 'admin');
    // A zhonghua call the switch stored without words (the ASR's transcript not yet in).
    const bare = await t.app.inject({
      method: 'POST',
      url: '/api/calls',
      headers: admin.headers,
      payload: { ...callJson({ id: 'call-zh-bare', brand: 'zhonghua', agent: '7001' }), turns: [] },
    });
    expect(bare.statusCode, bare.body).toBe(201);
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: {
        username: 'cy-qa',
        displayName: 'cy-qa',
        role: 'qa-inspector',
        brand: 'chaoyue',
        password: 'correct horse 1',
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'cy-qa', password: 'correct horse 1' },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const headers = { cookie, 'x-csrf-token': (login.json() as { csrfToken: string }).csrfToken };
    const words = [
      { speaker: 'agent', text: '您好,中华保险,工号7001,很高兴为您服务' },
      { speaker: 'customer', text: '我想查一下保单' },
    ];
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/calls/call-zh-bare/transcript',
      headers,
      payload: { turns: words },
    });
    expect(put.statusCode, put.body).toBe(404);
    // Nothing changed on the other brand's call, and the answer confirmed nothing about it.
    expect(put.body).not.toContain('7001');
    const stored = await t.app.inject({
      method: 'GET',
      url: '/api/calls/call-zh-bare',
      headers: admin.headers,
    });
    expect((stored.json() as { turns: unknown[] }).turns).toEqual([]);
    const inspections = (id: string) =>
      t.app.inject({ method: 'GET', url: `/api/scorecards/inspections/${id}`, headers });
    expect((await inspections('call-zh')).statusCode).toBe(404);
    expect((await inspections('call-cy')).statusCode).toBe(200);
    // Nor store a call as another brand's (a known id's 409 would confirm it).
    const post = (id: string, brand: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/calls',
        headers,
        payload: callJson({ id, brand, agent: '7001' }),
      });
    expect((await post('call-zh', 'zhonghua')).statusCode).toBe(403);
    expect((await post('call-zh-new', 'zhonghua')).statusCode).toBe(403);
    expect((await post('call-cy-new', 'chaoyue')).statusCode).toBe(201);
  });
});
