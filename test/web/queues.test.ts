// The callback queue and the blacklist in Chromium, by a team lead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../support/app.ts';
import { createUser, missingForBrowserTests, startServer, type WebServer } from './harness.ts';
import { BlacklistPage } from './pages/blacklist-page.ts';
import { CallbacksPage } from './pages/callbacks-page.ts';
import { signedInBrowser } from './pages/login-page.ts';

const missing = missingForBrowserTests();

describe.skipIf(missing !== undefined)('callbacks and blacklist in Chromium', () => {
  let server: WebServer;
  let lead2: Session;
  beforeAll(async () => {
    server = await startServer();
    await createUser(server, 'team-lead', 'lead');
    lead2 = await createUser(server, 'team-lead', 'lead2');
    await createUser(server, 'qa-inspector', 'inspector');
  });
  afterAll(async () => {
    await server?.close();
  });

  const signIn = (username: string) => signedInBrowser(server.base, username);
  const openCallback = async (subject: string, contactPhone?: string) => {
    const res = await server.t.app.inject({
      method: 'POST',
      url: '/api/tickets',
      headers: lead2.headers,
      payload: {
        type: 'callback',
        brand: 'zhonghua',
        reason: 'promised',
        subject,
        customerPhone: '13800138001',
        ...(contactPhone ? { contactPhone } : {}),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; version: number; number: string | null };
  };

  it('takes a callback, calls and finishes it; one someone else took is refused and leaves the queue', async () => {
    // The caller asked to be called back on another number: the queue offers that one.
    const first = await openCallback('回电：理赔进度', '13912345678');
    const raced = await openCallback('回电：保单变更');
    const b = await signIn('lead');
    const queue = await new CallbacksPage(b.page, server.base).open();
    await expect
      .poll(() => queue.subjects())
      .toEqual(expect.arrayContaining(['回电：理赔进度', '回电：保单变更']));
    expect(await queue.disabledReason('回电：理赔进度', 'call')).toBe('请先领取');
    // The same queue screen as the follow-ups: the short number to read out under the subject.
    expect(first.number).toMatch(/^ZH-\d{8}-\d{4}$/);
    expect(await queue.number('回电：理赔进度')).toBe(first.number);
    const contactOf = (subject: string) =>
      b.page.locator('tr', { hasText: subject }).getByTestId('queue-contact').textContent();
    expect(await contactOf('回电：理赔进度')).toBe('139 1234 5678');
    expect(await contactOf('回电：保单变更')).toBe('138 0013 8001');

    await queue.press('回电：理赔进度', 'take');
    // Taken: it leaves the "not taken" queue; under "taken" it is ours, ready to call.
    await expect.poll(() => queue.subjects()).not.toContain('回电：理赔进度');
    await queue.show('已领取');
    await expect.poll(() => queue.status('回电：理赔进度')).toBe('已受理');
    await queue.press('回电：理赔进度', 'call');
    await expect.poll(() => queue.status('回电：理赔进度')).toBe('处理中');
    await queue.press('回电：理赔进度', 'done');
    await expect.poll(() => queue.subjects()).not.toContain('回电：理赔进度');

    // Someone else takes the other one while this page still offers it.
    await queue.show('待领取');
    await expect.poll(() => queue.subjects()).toContain('回电：保单变更');
    const res = await server.t.app.inject({
      method: 'POST',
      url: `/api/callbacks/${raced.id}/take`,
      headers: lead2.headers,
      payload: { version: raced.version },
    });
    expect(res.statusCode).toBe(200);
    await queue.press('回电：保单变更', 'take');
    await b.page.locator('.ant-message-error').waitFor();
    await expect.poll(() => queue.subjects()).not.toContain('回电：保单变更');
    await queue.show('已领取');
    await expect.poll(() => queue.disabledReason('回电：保单变更', 'take')).toBe('已被 lead2 领取');
  });

  it('adds a number with a reason and expiry, and removes it with a reason that stays on the entry', async () => {
    const b = await signIn('lead');
    const list = await new BlacklistPage(b.page, server.base).open();
    await list.add('139 0013 9000', '多次辱骂坐席', '2099-01-01 00:00:00');
    const cells = await list.cells('13900139000');
    expect(cells).toEqual(expect.arrayContaining(['多次辱骂坐席', '生效中']));
    // The expiry picked is read in the brand's zone (Shanghai), whatever the browser's.
    expect(cells.join(' ')).toContain('2099/01/01 00:00');
    const check = async () =>
      (
        await server.t.app.inject({
          method: 'GET',
          url: '/api/blacklist/check?phone=13900139000',
          headers: lead2.headers,
        })
      ).json() as { blacklisted: boolean };
    expect(await check()).toMatchObject({ blacklisted: true });

    await list.remove('13900139000', '客户已道歉，解除');
    await list.show('已移除');
    const removed = await list.cells('13900139000');
    // Kept, with who removed it and why.
    expect(removed.join(' ')).toMatch(/已移除lead 于 .* 移除：客户已道歉，解除/);
    expect(await check()).toMatchObject({ blacklisted: false });
  });

  it('offers no past day for the expiry; a past time typed or gone by is refused in the centre’s time, never saved as no expiry', async () => {
    const b = await signIn('lead');
    const list = await new BlacklistPage(b.page, server.base).open();
    await list.startAdd('139 0013 9002', '多次骚扰');
    // Today is the centre's (Asia/Shanghai), not the browser's (Europe/London).
    const day = (at: number) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', dateStyle: 'short' }).format(at);
    const today = day(Date.now());
    const days = await list.expiry.days();
    expect(days.filter((d) => d.date < today && !d.disabled)).toEqual([]);
    expect(days.filter((d) => d.date >= today && d.disabled)).toEqual([]);
    expect(days.some((d) => d.date > today)).toBe(true);
    // No "now" button: it would give the browser's now, read as the centre's time.
    expect(await list.expiry.nowButton().count()).toBe(0);

    // A past time typed stays in the field and is refused there: not saved as "never expires".
    await list.expiry.type('2020-01-01 00:00:00');
    await list.save();
    const refusal = '请选或输入以后的时间（按 Asia/Shanghai，如 2030-01-31 18:00:00），或留空表示永久';
    expect(await list.expiry.error()).toBe(refusal);
    expect(await list.row('13900139002').count()).toBe(0);

    // A time that has gone by when saved (the dialog stayed open): the server's refusal, said in
    // the centre's time as the screen shows times, not in UTC.
    const wall = (at: number) =>
      new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'Asia/Shanghai',
        dateStyle: 'short',
        timeStyle: 'medium',
      }).format(at);
    const soon = Date.now() + 5 * 60_000;
    const later = Date.now() + 10 * 60_000;
    await list.expiry.type(wall(soon));
    server.t.clock.set(new Date(later));
    try {
      await list.save();
      await expect
        .poll(() => list.expiry.error())
        .toBe(`${wall(soon)}（Asia/Shanghai）已过（现在 ${wall(later)}）：请选以后的时间，或留空表示永久`);
    } finally {
      server.t.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
    }
    expect(await list.row('13900139002').count()).toBe(0);
    // A later time is taken, and listed in the centre's time.
    const hour = Date.now() + 60 * 60_000;
    await list.expiry.type(wall(hour));
    await list.save();
    expect((await list.cells('13900139002')).join(' ')).toContain(
      wall(hour).slice(0, 16).replaceAll('-', '/'),
    );
  });

  it('shows a QA inspector neither screen', async () => {
    const b = await signIn('inspector');
    await b.page.goto(`${server.base}/blacklist`);
    await b.page.getByTestId('no-access').waitFor();
    await b.page.goto(`${server.base}/callbacks`);
    await b.page.getByTestId('no-access').waitFor();
  });
});
