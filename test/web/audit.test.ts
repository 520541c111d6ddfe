// The audit log screen in Chromium, as an admin investigating: a user created, a failed sign-in
// from an address, an export of full numbers, each shown with who (by name, the system's actors
// in words), what, on which record, from where and what changed; filtered by actor and by
// record type, the filters kept in the URL; one check in English. A non-admin has no link and
// is told they may not see it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditWriter } from '../../src/audit/audit.ts';
import { createUser, missingForBrowserTests, startServer, type WebServer } from './harness.ts';
import { AuditPage, type AuditRow } from './pages/audit-page.ts';
import { Layout } from './pages/layout.ts';
import { signedInBrowser } from './pages/login-page.ts';
import { UsersPage } from './pages/users-page.ts';

const missing = missingForBrowserTests();

describe.skipIf(missing !== undefined)('the audit log screen in Chromium', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startServer();
    await createUser(server, 'admin', 'boss');
    await createUser(server, 'agent', 'agent');
  });
  afterAll(async () => {
    await server?.close();
  });

  const pick = (rows: AuditRow[]) => rows.map((r) => [r.actor, r.action, r.entity, r.entityId]);

  it('shows who did what, from where and what changed; filters by actor and record type in the URL; English too', async () => {
    const b = await signedInBrowser(server.base, 'boss');
    const boss = await server.t.app.services.accounts.findUserByUsername('boss');
    // An admin creates an account on the users screen.
    const users = await new UsersPage(b.page, server.base).open();
    await users.create({
      username: 'li.na',
      displayName: '李娜',
      agentNumber: '3301',
      password: 'Hotline 2026 ok',
    });
    await users.cells('li.na');
    const liNa = await server.t.app.services.accounts.findUserByUsername('li.na');
    // Someone tries to sign in as her from another address.
    server.t.clock.advance(60_000);
    const failed = await server.t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'li.na', password: 'guessed wrong 1' },
      remoteAddress: '203.0.113.7',
    });
    expect(failed.statusCode).toBe(401);
    // The admin exports the tickets with customers' full numbers.
    server.t.clock.advance(60_000);
    const exported = await b.page.request.get(`${server.base}/api/exports/tickets.csv?fullNumbers=true`);
    expect(exported.status()).toBe(200);
    // A change on a ticket with a long value (its page linked, the value folded).
    server.t.clock.advance(60_000);
    const long = `客户反映${'网点排队时间过长，'.repeat(10)}要求回电`;
    await new AuditWriter(() => 'entry-ticket-1', server.t.clock).record(server.t.store.db, {
      actor: { userId: boss?.id ?? '', ip: '10.1.2.3' },
      entityType: 'ticket',
      entityId: 'ticket-0001',
      action: 'escalate',
      changes: { level: { from: 'normal', to: 'urgent' }, reason: long },
    });

    // Newest first, in words.
    const audit = await new AuditPage(b.page, server.base).open();
    await expect
      .poll(async () => pick(await audit.table()).slice(0, 3))
      .toEqual([
        ['boss', '升级', '工单', 'ticket-0001'],
        ['boss', '导出（完整号码）', '导出', 'tickets.csv'],
        ['匿名', '登录失败', '登录', 'li.na'],
      ]);
    const rows = await audit.table();
    expect(rows[0]?.changes).toBe(`level：normal → urgent | reason：${long.slice(0, 60)}… 展开`);
    expect(rows[0]?.ip).toBe('10.1.2.3');
    expect(await audit.entityLink('ticket-0001')).toBe('/tickets/ticket-0001');
    expect(await audit.unfoldFirst()).toContain(`${long} 收起`);
    expect(rows[2]).toMatchObject({ ip: '203.0.113.7' });
    expect(rows[2]?.changes).toContain('reason：wrong password');
    expect(rows.find((r) => r.action === '创建' && r.entity === '用户')).toMatchObject({
      actor: 'boss',
      entityId: '李娜（li.na）',
      changes: expect.stringContaining('username：li.na | role：agent | agentNumber：3301'),
    });
    // The time as the UI shows times (the centre's zone, 24-hour).
    expect(rows[0]?.at).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);

    // Who tried to sign in as whom: the anonymous actor.
    await audit.choose('actor', '匿名');
    await expect.poll(async () => pick(await audit.table())).toEqual([['匿名', '登录失败', '登录', 'li.na']]);
    expect(new URL(b.page.url()).searchParams.get('actor')).toBe('anonymous');

    // What the admin did to accounts: actor and record type together, kept over a reload.
    await audit.clear();
    await audit.choose('actor', 'boss');
    await audit.choose('entity', '用户');
    await expect
      .poll(async () => pick(await audit.table()))
      .toEqual([['boss', '创建', '用户', '李娜（li.na）']]);
    expect(Object.fromEntries(new URL(b.page.url()).searchParams)).toEqual({
      actor: boss?.id,
      entity: 'user',
    });
    await b.page.reload();
    await expect
      .poll(async () => pick(await audit.table()))
      .toEqual([['boss', '创建', '用户', '李娜（li.na）']]);

    // Her record by id: nothing matches the action picked, said in words.
    await audit.clear();
    await audit.entityId(liNa?.id ?? '');
    await expect
      .poll(async () => pick(await audit.table()))
      .toEqual([['boss', '创建', '用户', '李娜（li.na）']]);
    await audit.choose('action', '停用');
    await expect.poll(() => audit.emptyText()).toBe('没有符合筛选条件的审计记录，可放宽或清除筛选');

    // A time range, as the screen shows times (the centre's zone), its end minute included: from
    // and to the minute of the failed sign-in finds it (an exclusive end found nothing).
    const wall = (shown: string | undefined) => (shown ?? '').replaceAll('/', '-');
    await audit.open(`from=${wall(rows[2]?.at)}&to=${wall(rows[2]?.at)}`);
    await expect
      .poll(async () => pick(await audit.table()))
      .toContainEqual(['匿名', '登录失败', '登录', 'li.na']);
    expect(await audit.range()).toEqual([wall(rows[2]?.at), wall(rows[2]?.at)]);

    // In English: the system's actors and the actions in English words.
    await audit.open('actor=anonymous');
    await new Layout(b.page).switchLanguage();
    await expect
      .poll(async () => pick(await audit.table()))
      .toEqual([['Anonymous', 'Sign-in failed', 'Sign-in', 'li.na']]);
    await new Layout(b.page).switchLanguage();
  });

  it('gives a non-admin no link to it, and says at its URL that they may not see it', async () => {
    const b = await signedInBrowser(server.base, 'agent');
    const layout = new Layout(b.page);
    expect(await layout.menuLabels()).not.toContain('审计日志');
    await b.page.goto(`${server.base}/audit`);
    await layout.noAccess().waitFor();
    expect(await layout.noAccess().textContent()).toContain('坐席');
    const boss = await signedInBrowser(server.base, 'boss');
    expect(await new Layout(boss.page).menuLabels()).toContain('审计日志');
  });
});
