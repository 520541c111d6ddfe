// Sign-in, sessions, CSRF, API tokens and the error bodies, on both engines.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

describe.each(ENGINES)('auth on %s', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp(engine);
  });
  afterEach(async () => {
    await t.close();
  });

  it('creates the first admin once and prints a generated password only then', async () => {
    const first = await t.app.services.accounts.ensureFirstAdmin(undefined);
    expect(first.created).toBe(true);
    expect(first.generatedPassword).toMatch(/^[\w]{4}-[\w]{4}-[\w]{4}-[\w]{4}$/);
    expect(await t.app.services.accounts.ensureFirstAdmin(undefined)).toEqual({ created: false });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: first.generatedPassword },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ username: 'admin', role: 'admin' });
  });

  it('signs in with an HttpOnly, SameSite session cookie and signs out', async () => {
    await t.app.services.accounts.ensureFirstAdmin('admin-password-1');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'admin-password-1' },
    });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^huashu_session=hs_s_/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const session = cookie.split(';')[0] ?? '';
    const csrf = res.json().csrfToken as string;
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session } });
    expect(me.json().user.username).toBe('admin');
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: session, 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session } });
    expect(after.statusCode).toBe(401);
  });

  it('gives the same error for an unknown user and a wrong password', async () => {
    await t.app.services.accounts.ensureFirstAdmin('admin-password-1');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'accept-language': 'en' },
      payload: { username: 'admin', password: 'nope-nope' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'accept-language': 'en' },
      payload: { username: 'ghost', password: 'nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json()).toMatchObject({ code: 'unauthenticated', message: 'wrong username or password' });
  });

  it('refuses a state-changing request from a cookie session without the CSRF token', async () => {
    const s = await signInAs(t, 'admin');
    const payload = {
      username: 'li.na',
      displayName: '李娜',
      role: 'agent',
      agentNumber: '1024',
      password: 'a long passphrase 9',
    };
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: s.cookie },
      payload,
    });
    expect(noToken.statusCode).toBe(403);
    // Its own code (the web client then takes the session's current token and sends again).
    expect(noToken.json().code).toBe('csrf-mismatch');
    expect(noToken.json().message).toContain('x-csrf-token');
    expect(noToken.json().message).toContain('其他标签页');
    const ok = await t.app.inject({ method: 'POST', url: '/api/users', headers: s.headers, payload });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ username: 'li.na', role: 'agent', agentNumber: '1024' });
  });

  it("refuses a page's request once the browser's session is another user's (x-huashu-user)", async () => {
    const a = await signInAs(t, 'agent');
    const b = await signInAs(t, 'admin');
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: a.headers });
    const aId = me.json().user.id as string;
    // The page shown as A, the cookie now B's: refused for GET and POST alike, saying who it is.
    const read = await t.app.inject({
      method: 'GET',
      url: '/api/tickets',
      headers: { ...b.headers, 'x-huashu-user': aId },
    });
    expect(read.statusCode).toBe(401);
    expect(read.json().code).toBe('session-changed');
    expect(read.json().message).toContain("signed in as 'admin'");
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { ...b.headers, 'x-huashu-user': aId },
    });
    expect(write.json().code).toBe('session-changed');
    // The same user's session is served as before.
    const same = await t.app.inject({
      method: 'GET',
      url: '/api/tickets',
      headers: { ...a.headers, 'x-huashu-user': aId },
    });
    expect(same.statusCode).toBe(200);
  });

  it('API tokens authenticate without CSRF, and stop working when revoked', async () => {
    const s = await signInAs(t, 'agent');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: s.headers,
      payload: { name: 'CTI' },
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json() as { id: string; token: string };
    const auth = { authorization: `Bearer ${token}`, 'accept-language': 'en' };
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: auth })).json().user.username,
    ).toBe('agent');
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: auth });
    expect(revoke.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: auth });
    expect(after.statusCode).toBe(401);
    expect(after.json().message).toContain('unknown or revoked API token');
  });

  it('answers validation errors with the field path', async () => {
    const s = await signInAs(t, 'admin');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: s.headers,
      payload: { username: 'x', displayName: '', role: 'boss', password: 'short', extra: 1 },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { code: string; details: { path: string }[] };
    expect(body.code).toBe('validation');
    const paths = body.details.map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.username', 'body.displayName', 'body.role', 'body.password']),
    );
  });

  it('rejects a taken username with a conflict', async () => {
    const s = await signInAs(t, 'admin');
    const payload = { username: 'agent', displayName: 'x', role: 'agent', password: 'a long passphrase 9' };
    await signInAs(t, 'agent');
    const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: s.headers, payload });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict', details: [{ path: 'body.username' }] });
  });
});

describe('the API surface', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp('sqlite');
  });
  afterEach(async () => {
    await t.close();
  });

  it('serves the OpenAPI document at /api/docs/json and the UI at /api/docs', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    const json = doc.json() as { openapi: string; paths: Record<string, unknown> };
    expect(json.openapi).toMatch(/^3\./);
    expect(Object.keys(json.paths)).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/users', '/api/health']),
    );
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('health, metrics, unknown routes, bad JSON and oversized bodies', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({
      status: 'ok',
      database: 'sqlite',
    });
    // Off without HUASHU_METRICS_TOKEN; with it, see test/http/privacy.test.ts.
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    const missing = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'not-found' });
    const badJson = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "admin", ',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().code).toBe('bad-request');
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'a'.repeat(10 * 1024 * 1024), password: 'x' }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('payload-too-large');
  });
});
