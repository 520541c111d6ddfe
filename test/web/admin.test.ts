// Admin screens in Chromium: users (create with the server's password rule on the field,
// change role, reset a password, disable; a team lead's team) and API tokens (create: the secret once; revoke).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/audit.ts';
import { createUser, missingForBrowserTests, openBrowser, startServer, type WebServer } from './harness.ts';
import { LoginPage } from './pages/login-page.ts';
import { TokensPage } from './pages/tokens-page.ts';
import { UsersPage } from './pages/users-page.ts';

const missing = missingForBrowserTests();

describe.skipIf(missing !== undefined)('admin screens in Chromium', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startServer();
    await createUser(server, 'admin', 'boss');
  });
  afterAll(async () => {
    await server?.close();
  });

  const signIn = async (username: string, password?: string) => {
    const b = await openBrowser();
    await (await new LoginPage(b.page, server.base).open()).signIn(username, password);
    return b;
  };
  const login = (username: string, password: string) =>
    server.t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  it('creates a user, changes their role, resets their password and disables them', async () => {
    const b = await signIn('boss');
    await b.page.getByTestId('home-page').waitFor();
    const users = await new UsersPage(b.page, server.base).open();
    // The server's password rule comes back on the field, in the UI's language (it came in
    // English): what is wrong and what a password needs.
    await users.create({ username: 'wangfang', displayName: '王芳', agentNumber: '3301', password: 'short' });
    const refused = await users.fieldError();
    expect(refused).toContain('密码至少 10 个字符');
    expect(refused).not.toMatch(/characters/);
    await users.cancelDialog();
    await users.create({
      username: 'wangfang',
      displayName: '王芳',
      agentNumber: '3301',
      password: 'Hotline 2026 ok',
    });
    expect(await users.cells('wangfang')).toEqual(expect.arrayContaining(['王芳', '坐席', '3301', '启用']));
    // Her 工号 for another agent: said under the 工号 field, who holds it (it was a toast).
    await users.create({
      username: 'lisi',
      displayName: '李四',
      agentNumber: '3301',
      password: 'Hotline 2026 ok',
    });
    expect(await users.fieldErrorUnder('agentNumber')).toBe('已被 wangfang 使用');
    await users.cancelDialog();
    expect((await login('lisi', 'Hotline 2026 ok')).statusCode).toBe(401); // not created
    expect((await login('wangfang', 'Hotline 2026 ok')).statusCode).toBe(200);

    await users.edit('wangfang', { role: '组长/协调员' });
    await expect.poll(() => users.cells('wangfang')).toContain('组长/协调员');

    await users.resetPassword('wangfang', 'Another pass 99');
    await expect.poll(async () => (await login('wangfang', 'Another pass 99')).statusCode).toBe(200);
    expect((await login('wangfang', 'Hotline 2026 ok')).statusCode).toBe(401);

    await users.toggle('wangfang');
    await expect.poll(() => users.cells('wangfang')).toContain('已停用');
    expect((await login('wangfang', 'Another pass 99')).statusCode).toBe(401);
  });

  it('gives a team lead a team on creation, changes it and clears it, shown in the list', async () => {
    const b = await signIn('boss');
    await b.page.getByTestId('home-page').waitFor();
    const users = await new UsersPage(b.page, server.base).open();
    const team = async () =>
      (await server.t.app.services.accounts.listUsers()).find((u) => u.username === 'zhaolead')?.team;
    await users.create({
      username: 'zhaolead',
      displayName: '赵组长',
      role: '组长/协调员',
      team: '夜班二组',
      password: 'Hotline 2026 ok',
    });
    expect(await users.cells('zhaolead')).toContain('赵组长');
    expect(await users.team('zhaolead')).toBe('夜班二组');
    expect(await team()).toBe('夜班二组');
    // The dialog opens on the team held; a rename keeps the name edited with it.
    await users.edit('zhaolead', { displayName: '赵组长（白班）', team: '一組' });
    await expect.poll(() => users.team('zhaolead')).toBe('一組');
    expect(await team()).toBe('一組');
    await users.edit('zhaolead', { displayName: '赵组长' });
    await expect.poll(() => users.cells('zhaolead')).toContain('赵组长');
    expect(await team()).toBe('一組');
    // A team set elsewhere (the CLI) while the list is open: a rename from the list as loaded
    // leaves it, the team field not having been changed.
    const lead = (await server.t.app.services.accounts.listUsers()).find((u) => u.username === 'zhaolead');
    await server.t.app.services.accounts.updateUser(
      String(lead?.id),
      { team: '夜班一组' },
      systemActor('cli'),
    );
    expect(await users.team('zhaolead')).toBe('一組');
    await users.edit('zhaolead', { displayName: '赵组长（夜班）' });
    await expect.poll(() => users.cells('zhaolead')).toContain('赵组长（夜班）');
    expect(await team()).toBe('夜班一组');
    await users.edit('zhaolead', { team: '' });
    await expect.poll(() => users.team('zhaolead')).toBe('—');
    expect(await team()).toBeNull();
  });

  it('creates an API token shown once, which then works, and revokes it', async () => {
    await createUser(server, 'qa-inspector', 'inspector');
    const b = await signIn('boss');
    await b.page.getByTestId('home-page').waitFor();
    const tokens = await new TokensPage(b.page, server.base).open();
    const secret = await tokens.create('质检导出', 'inspector');
    expect(secret.length).toBeGreaterThan(20);
    await expect.poll(() => tokens.status('质检导出')).toBe('有效');
    const call = () =>
      server.t.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { authorization: `Bearer ${secret}` },
      });
    expect((await call()).json()).toMatchObject({ user: { username: 'inspector' } });
    await tokens.revoke('质检导出');
    await expect.poll(() => tokens.status('质检导出')).toBe('已撤销');
    expect((await call()).statusCode).toBe(401);
  });
});
