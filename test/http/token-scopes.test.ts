// API tokens do what their scopes allow and no more, and stop at their expiry; on both engines.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';

describe.each(['sqlite', 'postgres'] as const)('API token scopes on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    admin = await signInAs(t, 'admin');
  });
  afterEach(async () => {
    await t.close();
  });

  async function mint(body: Record<string, unknown>) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: admin.headers,
      payload: body,
    });
    return {
      status: res.statusCode,
      json: res.json() as { token: string; scopes: string[]; expiresAt: string | null },
    };
  }

  it('a new token reads and writes by default, and says so', async () => {
    const { status, json } = await mint({ name: 'crm' });
    expect(status).toBe(201);
    expect(json.scopes).toEqual(['read', 'write']);
    expect(json.expiresAt).toBeNull();
  });

  it('a read-only token reads but cannot change anything', async () => {
    const { json } = await mint({ name: 'wallboard', scopes: ['read'] });
    const auth = { authorization: `Bearer ${json.token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/tickets', headers: auth })).statusCode).toBe(200);
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/blacklist',
      headers: auth,
      payload: { phone: '13800138000', reason: '骚扰电话' },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().message).toContain('write');
  });

  it("an admin's token needs the admin scope for admin-only routes", async () => {
    const user = (n: string) => ({
      username: n,
      displayName: n,
      role: 'agent',
      password: 'a long passphrase 9',
    });
    const plain = await mint({ name: 'sync', scopes: ['read', 'write'] });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${plain.json.token}` },
      payload: user('wang'),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain('admin');
    const full = await mint({ name: 'provisioning', scopes: ['admin'] });
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${full.json.token}` },
      payload: user('zhao'),
    });
    expect(ok.statusCode).toBe(201);
  });

  it('a token stops working at its expiry; an expiry in the past is refused', async () => {
    const past = await mint({ name: 'old', expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    const soon = new Date(t.clock.now().getTime() + 3600_000).toISOString();
    const { json } = await mint({ name: 'temp', expiresAt: soon });
    const auth = { authorization: `Bearer ${json.token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/tickets', headers: auth })).statusCode).toBe(200);
    t.clock.advance(3600_000 + 1);
    expect((await t.app.inject({ method: 'GET', url: '/api/tickets', headers: auth })).statusCode).toBe(401);
  });
});
