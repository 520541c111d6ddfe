// Admins manage accounts and API tokens, on both engines: disable / enable (sessions and
// tokens end at once), roles, password resets, token lists and expiry; usernames unique
// ignoring case, also under concurrent creation; a minimum password strength; 工号 unique
// per brand; clear 400s instead of 500s for a bad token owner.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

describe.each(ENGINES)('account administration on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    admin = await signInAs(t, 'admin');
  });
  afterEach(async () => {
    await t.close();
  });

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: Record<string, string>,
    payload?: unknown,
  ) =>
    t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const newUser = (body: Record<string, unknown>) =>
    call('POST', '/api/users', admin.headers, {
      displayName: 'x',
      role: 'agent',
      password: 'a long passphrase 9',
      ...body,
    });
  const userId = async (username: string) =>
    (await t.app.services.accounts.findUserByUsername(username))?.id as string;
  async function tokenFor(s: Session, body: Record<string, unknown> = { name: 'crm' }) {
    const res = await call('POST', '/api/tokens', s.headers, body);
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; token: string };
  }

  it('disabling a user ends their open session and their token at once; enabling lets them sign in again', async () => {
    const agent = await signInAs(t, 'agent');
    const { token } = await tokenFor(agent);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await call('GET', '/api/auth/me', agent.headers)).statusCode).toBe(200);
    const id = await userId('agent');
    const off = await call('PATCH', `/api/users/${id}`, admin.headers, { disabled: true });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ username: 'agent', disabled: true });
    expect((await call('GET', '/api/auth/me', agent.headers)).statusCode).toBe(401);
    expect((await call('GET', '/api/auth/me', bearer)).statusCode).toBe(401);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'agent', password: 'correct horse 1' },
    });
    expect(refused.statusCode).toBe(401);
    expect(
      (await call('PATCH', `/api/users/${id}`, admin.headers, { disabled: false })).json().disabled,
    ).toBe(false);
    const again = await signInAs(t, 'agent');
    expect((await call('GET', '/api/auth/me', again.headers)).statusCode).toBe(200);
    // The old session and token stay dead: re-enabling does not revive a stolen credential.
    expect((await call('GET', '/api/auth/me', agent.headers)).statusCode).toBe(401);
    expect((await call('GET', '/api/auth/me', bearer)).statusCode).toBe(401);
  });

  it('changes roles at once, and never leaves the system without an active admin', async () => {
    const agent = await signInAs(t, 'agent');
    const id = await userId('agent');
    const r = await call('PATCH', `/api/users/${id}`, admin.headers, {
      role: 'team-lead',
      displayName: '李娜',
    });
    expect(r.json()).toMatchObject({ role: 'team-lead', displayName: '李娜' });
    expect((await call('GET', '/api/auth/me', agent.headers)).json().user.role).toBe('team-lead');
    const self = await userId('admin');
    const last = await call('PATCH', `/api/users/${self}`, admin.headers, { disabled: true });
    expect(last.statusCode).toBe(409);
    expect(last.json().message).toContain('last active admin');
    expect((await call('PATCH', '/api/users/nobody', admin.headers, { role: 'agent' })).statusCode).toBe(404);
  });

  it("a blank team is refused in the reader's language, the team held kept", async () => {
    const lead = await newUser({ username: 'lead1', role: 'team-lead', team: '一组' });
    const id = lead.json().id as string;
    const zh = { ...admin.headers, 'accept-language': 'zh-CN' };
    const blank = await call('PATCH', `/api/users/${id}`, zh, { team: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().details).toEqual([
      { path: 'body.team', message: '去掉首尾空格后不能为空；要清除班组请传 null' },
    ]);
    expect((await t.app.services.accounts.findUserByUsername('lead1'))?.team).toBe('一组');
  });

  it('a password reset ends the sessions and replaces the password; a weak one is refused with the rule', async () => {
    const agent = await signInAs(t, 'agent');
    const id = await userId('agent');
    const weak = await call('POST', `/api/users/${id}/password`, admin.headers, { password: 'Password-123' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toContain('a common password');
    expect(weak.json().details[0].path).toBe('body.password');
    const ok = await call('POST', `/api/users/${id}/password`, admin.headers, {
      password: 'a brand new phrase 2',
    });
    expect(ok.statusCode).toBe(200);
    expect((await call('GET', '/api/auth/me', agent.headers)).statusCode).toBe(401);
    const login = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'agent', password } });
    expect((await login('correct horse 1')).statusCode).toBe(401);
    expect((await login('a brand new phrase 2')).statusCode).toBe(200);
  });

  it('the password rule: 10 characters, two kinds, not the username, not a common password', async () => {
    const cases: [string, string, string][] = [
      ['short1', 'short', 'at least 10'],
      ['oneclass', 'abcdefghijkl', 'only one kind of character'],
      ['digits', '98765432101234', 'only one kind of character'],
      ['same.name1', 'Same.Name1', 'the same as the username'],
      ['common', 'Qwertyuiop123', 'a common password'],
    ];
    for (const [username, password, expected] of cases) {
      const r = await newUser({ username, password });
      expect(r.statusCode, password).toBe(400);
      expect(r.json().message, password).toContain(expected);
      expect(r.json().details.map((d: { path: string }) => d.path)).toContain('body.password');
    }
    expect((await newUser({ username: 'ok.user', password: 'correct horse 1' })).statusCode).toBe(201);
    expect((await newUser({ username: 'ok.user2', password: '春眠不觉晓 处处闻啼鸟' })).statusCode).toBe(201);
  });

  it('usernames are unique ignoring case, and sign-in ignores case', async () => {
    const r = await newUser({ username: 'Admin' });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'conflict', details: [{ path: 'body.username' }] });
    expect((await newUser({ username: 'Li.Na' })).statusCode).toBe(201);
    expect((await newUser({ username: 'li.na' })).statusCode).toBe(409);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'LI.NA', password: 'a long passphrase 9' },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.username).toBe('Li.Na');
  });

  it('10 concurrent creations of one username: exactly one 201, the rest 409', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => newUser({ username: i % 2 ? 'zhao.lei' : 'Zhao.Lei' })),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().code).toBe('conflict');
    const users = (await call('GET', '/api/users', admin.headers)).json().items as { username: string }[];
    expect(users.filter((u) => u.username.toLowerCase() === 'zhao.lei')).toHaveLength(1);
  });

  it('a token for a user that does not exist is a 400 naming body.userId', async () => {
    const r = await call('POST', '/api/tokens', admin.headers, { name: 'x', userId: 'no-such-user' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'validation', details: [{ path: 'body.userId' }] });
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, () =>
        call('POST', '/api/tokens', admin.headers, { name: 'x', userId: 'ghost' }),
      ),
    );
    expect(concurrent.map((c) => c.statusCode)).toEqual(Array(10).fill(400));
  });

  it('lists tokens without their secret: admins all, a user their own; a token cannot mint tokens', async () => {
    const agent = await signInAs(t, 'agent');
    const mine = await tokenFor(agent, { name: 'agent tool' });
    await tokenFor(admin, { name: 'provisioning', scopes: ['admin', 'read', 'write'] });
    const all = await call('GET', '/api/tokens', admin.headers);
    expect(all.statusCode).toBe(200);
    expect(
      all
        .json()
        .items.map((x: { name: string }) => x.name)
        .sort(),
    ).toEqual(['agent tool', 'provisioning']);
    expect(all.body).not.toContain(mine.token);
    expect(all.body).not.toContain(mine.token.slice(5, 20));
    expect(Object.keys(all.json().items[0]).sort()).not.toContain('token');
    const own = (await call('GET', '/api/tokens', agent.headers)).json().items as {
      name: string;
      status: string;
    }[];
    expect(own).toEqual([
      expect.objectContaining({ name: 'agent tool', status: 'active', username: 'agent' }),
    ]);
    const adminId = await userId('admin');
    expect((await call('GET', `/api/tokens?userId=${adminId}`, agent.headers)).statusCode).toBe(403);
    // A token, even with every scope, cannot create tokens.
    const full = await tokenFor(admin, { name: 'root', scopes: ['admin', 'read', 'write', 'cti'] });
    const minted = await call(
      'POST',
      '/api/tokens',
      { authorization: `Bearer ${full.token}`, 'accept-language': 'en' },
      { name: 'child' },
    );
    expect(minted.statusCode).toBe(403);
    expect(minted.json().message).toContain('cannot create API tokens');
  });

  it('expires a token now or earlier, never later', async () => {
    const agent = await signInAs(t, 'agent');
    const soon = new Date(t.clock.now().getTime() + 24 * 3600_000).toISOString();
    const tok = await tokenFor(agent, { name: 'sync', expiresAt: soon });
    const bearer = { authorization: `Bearer ${tok.token}` };
    const later = new Date(t.clock.now().getTime() + 48 * 3600_000).toISOString();
    const longer = await call('PATCH', `/api/tokens/${tok.id}`, agent.headers, { expiresAt: later });
    expect(longer.statusCode).toBe(400);
    expect((await call('GET', '/api/auth/me', bearer)).statusCode).toBe(200);
    expect((await call('PATCH', `/api/tokens/${tok.id}`, admin.headers, {})).statusCode).toBe(204);
    expect((await call('GET', '/api/auth/me', bearer)).statusCode).toBe(401);
    const listed = (await call('GET', '/api/tokens', agent.headers)).json().items[0];
    expect(listed).toMatchObject({ name: 'sync', status: 'expired' });
  });
});

describe.each(ENGINES)('工号 unique per brand on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    admin = await signInAs(t, 'admin');
  });
  afterEach(async () => {
    await t.close();
  });
  const create = (username: string, agentNumber: string, brand?: string | null) =>
    t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: {
        username,
        displayName: username,
        role: 'agent',
        agentNumber,
        password: 'a long passphrase 9',
        ...(brand === undefined ? {} : { brand }),
      },
    });

  it('a second user with 李娜’s 1024 is refused, naming the holder', async () => {
    expect((await create('li.na', '1024')).statusCode).toBe(201);
    const dup = await create('copycat', '1024');
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toContain("'li.na'");
    expect(dup.json().details).toEqual([{ path: 'body.agentNumber', message: 'held by li.na' }]);
    // A 工号 without a brand holds it at every brand.
    expect((await create('copycat', '1024', 'zhonghua')).statusCode).toBe(409);
  });

  it('the same 工号 at two brands is fine; then neither brand-less nor the same brand again', async () => {
    const a = await create('zh.1025', '1025', '中华保险');
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({ brand: 'zhonghua', agentNumber: '1025' });
    expect((await create('qjl.1025', '1025', 'quanjiale')).statusCode).toBe(201);
    expect((await create('any.1025', '1025')).statusCode).toBe(409);
    expect((await create('zh2.1025', '1025', 'zhonghua')).statusCode).toBe(409);
    const unknown = await create('x.1026', '1026', 'Beijing Hotline');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().details[0].path).toBe('body.brand');
  });

  it('a 工号 typed in full-width digits is the same 工号; letters are refused in the caller’s language', async () => {
    const wide = await create('li.na', '１０２４');
    expect(wide.statusCode).toBe(201);
    expect(wide.json()).toMatchObject({ agentNumber: '1024' });
    expect((await create('copycat', '1024')).statusCode).toBe(409);
    const letters = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { ...admin.headers, 'accept-language': 'zh-CN' },
      payload: {
        username: 'abc',
        displayName: 'abc',
        role: 'agent',
        agentNumber: 'ab12',
        password: 'a long passphrase 9',
      },
    });
    expect(letters.statusCode).toBe(400);
    expect(letters.json().details).toEqual([
      expect.objectContaining({
        path: 'body.agentNumber',
        message: expect.stringContaining('工号应为 2 到 8 位数字'),
      }),
    ]);
    expect(await t.app.services.accounts.findUserByUsername('abc')).toBeUndefined();
    const badName = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { ...admin.headers, 'accept-language': 'zh-CN' },
      payload: { username: 'li na', displayName: '李娜', role: 'agent', password: 'a long passphrase 9' },
    });
    expect(badName.json().details).toEqual([
      expect.objectContaining({ path: 'body.username', message: expect.stringContaining('用户名只能包含') }),
    ]);
  });

  it('updates are checked too: moving to a taken 工号 or widening to every brand', async () => {
    const zh = (await create('zh.2001', '2001', 'zhonghua')).json() as { id: string };
    await create('qjl.2001', '2001', 'quanjiale');
    const other = (await create('other', '3000')).json() as { id: string };
    const patch = (id: string, body: unknown) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/users/${id}`,
        headers: admin.headers,
        payload: body as object,
      });
    const taken = await patch(other.id, { agentNumber: '2001' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().message).toMatch(/'zh\.2001'|'qjl\.2001'/);
    expect((await patch(zh.id, { brand: null })).statusCode).toBe(409);
    expect((await patch(other.id, { agentNumber: '2001', brand: 'chaoyue' })).statusCode).toBe(200);
    const users = (await t.app.inject({ method: 'GET', url: '/api/users', headers: admin.headers })).json()
      .items as { username: string; brand: string | null; agentNumber: string | null }[];
    expect(users.find((u) => u.username === 'other')).toMatchObject({
      brand: 'chaoyue',
      agentNumber: '2001',
    });
  });

  it('concurrent creations of one 工号 under different names: exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => create(`agent.${i}`, '4242')));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });
});
