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
    // The refusal says the time in the centre's zone (Asia/Shanghai, as the token screen shows
    // times) and what to do, in the caller's language; not an ISO instant in UTC.
    // Picked 09:30:00 on the screen, sent at 09:30:20: seconds said, as the picker shows them.
    t.clock.set(new Date('2026-11-20T01:30:20Z'));
    const refusal = (lang: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: { ...admin.headers, 'accept-language': lang },
        payload: { name: 'old', expiresAt: '2026-11-20T01:30:00Z' },
      });
    expect((await refusal('zh-CN')).json()).toMatchObject({
      code: 'validation',
      message:
        '到期时间须晚于现在：2026-11-20 09:30:00（Asia/Shanghai）已过，现在是 2026-11-20 09:30:20；请选以后的时间，或留空表示永不过期',
      details: [
        {
          path: 'body.expiresAt',
          message:
            '2026-11-20 09:30:00（Asia/Shanghai）已过（现在 2026-11-20 09:30:20）：请选以后的时间，或留空表示永不过期',
        },
      ],
    });
    expect((await refusal('en')).json().message).toBe(
      'the expiry must be in the future: 2026-11-20 09:30:00 (Asia/Shanghai) has passed, it is now 2026-11-20 09:30:20; pick a later time, or leave it empty for a token that never expires',
    );
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/tokens', headers: admin.headers })).json().items,
    ).toEqual([]);
    const soon = new Date(t.clock.now().getTime() + 3600_000).toISOString();
    const { json } = await mint({ name: 'temp', expiresAt: soon });
    const auth = { authorization: `Bearer ${json.token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/tickets', headers: auth })).statusCode).toBe(200);
    t.clock.advance(3600_000 + 1);
    expect((await t.app.inject({ method: 'GET', url: '/api/tickets', headers: auth })).statusCode).toBe(401);
  });
});
