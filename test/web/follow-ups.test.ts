// The follow-up queue (回访) in Chromium: an agent records an attempt that did not reach the
// customer, then a visit with a dissatisfied customer, which reopens the complaint at the
// complaint desk (the queue no longer shows it; the ticket says where it went and why).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../support/app.ts';
import { createUser, missingForBrowserTests, openBrowser, startServer, type WebServer } from './harness.ts';
import { FollowUpsPage } from './pages/follow-ups-page.ts';
import { LoginPage } from './pages/login-page.ts';

const missing = missingForBrowserTests();

describe.skipIf(missing !== undefined)('the follow-up queue in Chromium', () => {
  let server: WebServer;
  let agent: Session;
  let desk: Session;
  beforeAll(async () => {
    server = await startServer();
    agent = await createUser(server, 'agent', 'agent');
    desk = await createUser(server, 'complaint-desk', 'desk');
  });
  afterAll(async () => {
    await server?.close();
  });

  const call = async (url: string, payload: Record<string, unknown>, as: Session = agent) => {
    const res = await server.t.app.inject({ method: 'POST', url, headers: as.headers, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as { id: string; version: number };
  };

  it('records an attempt, then a dissatisfied visit that reopens the complaint at the complaint desk', async () => {
    let c = await call('/api/tickets', {
      type: 'complaint',
      brand: 'zhonghua',
      subtype: 'product-quality',
      subject: '回访:理赔金额',
      customerPhone: '13800138002',
    });
    c = await call(`/api/tickets/${c.id}/accept`, { version: c.version });
    c = await call(`/api/tickets/${c.id}/start`, { version: c.version });
    c = await call(`/api/tickets/${c.id}/replies`, { version: c.version, text: '已为您重新核算' });
    c = await call(`/api/tickets/${c.id}/resolve`, { version: c.version });

    const b = await openBrowser();
    await (await new LoginPage(b.page, server.base).open()).signIn('agent');
    await b.page.getByTestId('home-page').waitFor();
    const queue = await new FollowUpsPage(b.page, server.base).open();
    await expect.poll(() => queue.subjects()).toEqual(['回访:理赔金额']);
    expect(await queue.attempts('回访:理赔金额')).toBe('0');
    expect(await queue.number('回访:理赔金额')).toMatch(/^ZH-\d{8}-\d{4}$/);
    expect(await queue.due('回访:理赔金额')).not.toBe('—');

    await queue.record('回访:理赔金额', { reached: false });
    await b.page.getByText('已记录第 1 次回访尝试').waitFor();
    await expect.poll(() => queue.attempts('回访:理赔金额')).toBe('1');

    await queue.record('回访:理赔金额', { reached: true, stars: 2, comment: '金额仍有误' });
    await b.page.getByText('客户不满意:投诉已重新打开,转投诉处理岗处理').waitFor();
    await expect.poll(() => queue.subjects()).toEqual([]);

    // The ticket: in progress again, at the complaint desk, with both visits and the reason.
    await b.page.goto(`${server.base}/tickets/${c.id}`);
    await b.page.getByTestId('ticket-status').waitFor();
    expect((await b.page.getByTestId('ticket-status').textContent())?.trim()).toBe('处理中');
    const visits = b.page.getByTestId('follow-up-visit');
    await expect.poll(() => visits.count()).toBe(2);
    expect(await visits.first().getAttribute('data-reached')).toBe('false');
    const history = b.page.locator('[data-testid="history-item"][data-type="escalated"]');
    await expect.poll(async () => (await history.last().textContent()) ?? '').toContain('投诉处理岗');
    expect(await history.last().textContent()).toContain('回访不满意');
    // No script errors (the CSP notes about inline styles come from the table and select of
    // every list page, already there before this screen).
    expect(b.problems.filter((p) => /TypeError|ReferenceError|Uncaught/.test(p))).toEqual([]);
  });

  it('after a refused stale visit keeps what was typed, reloads, sends the new version; a visit made meanwhile is not overwritten', async () => {
    const resolved = async (subject: string, phone: string) => {
      let c = await call('/api/tickets', {
        type: 'complaint',
        brand: 'zhonghua',
        subtype: 'product-quality',
        subject,
        customerPhone: phone,
      });
      c = await call(`/api/tickets/${c.id}/accept`, { version: c.version });
      c = await call(`/api/tickets/${c.id}/start`, { version: c.version });
      c = await call(`/api/tickets/${c.id}/replies`, { version: c.version, text: '已核实处理' });
      return call(`/api/tickets/${c.id}/resolve`, { version: c.version });
    };
    const c = await resolved('回访:冲突后重发', '13800138003');
    const b = await openBrowser();
    await (await new LoginPage(b.page, server.base).open()).signIn('agent');
    await b.page.getByTestId('home-page').waitFor();
    const queue = await new FollowUpsPage(b.page, server.base).open();
    await expect.poll(() => queue.subjects()).toContain('回访:冲突后重发');
    await queue.startRecording('回访:冲突后重发', { stars: 4, comment: '客户认可处理结果' });

    // The desk adds a reply meanwhile: the dialog's version is stale.
    await call(`/api/tickets/${c.id}/replies`, { version: c.version, text: '补充:已退还差额' }, desk);
    await queue.save();
    await queue.conflict().waitFor();
    expect(await queue.saveEnabled()).toBe(false);
    expect(await queue.typedComment()).toBe('客户认可处理结果');
    const before = await server.t.app.inject({
      method: 'GET',
      url: `/api/tickets/${c.id}`,
      headers: desk.headers,
    });
    expect(before.json()).toMatchObject({ status: 'resolved', followUps: [] });

    // Reloaded: what was typed is still there, and it goes through on the new version.
    await queue.reloadInDialog();
    expect(await queue.typedComment()).toBe('客户认可处理结果');
    expect(await queue.typedStars()).toBe(4);
    expect(await queue.saveEnabled()).toBe(true);
    await queue.save();
    await queue.dialog().waitFor({ state: 'detached' });
    const after = (
      await server.t.app.inject({ method: 'GET', url: `/api/tickets/${c.id}`, headers: desk.headers })
    ).json() as {
      status: string;
      followUps: { comment: string; satisfaction: number }[];
      replies: { text: string }[];
    };
    expect(after.status).toBe('follow-up-done');
    expect(after.followUps).toMatchObject([{ comment: '客户认可处理结果', satisfaction: 4 }]);
    expect(after.replies.map((r) => r.text)).toEqual(['已核实处理', '补充:已退还差额']);

    // Someone else records the visit meanwhile: reloaded, the dialog says so and sends nothing.
    const d = await resolved('回访:他人已回访', '13800138004');
    await queue.open();
    await expect.poll(() => queue.subjects()).toContain('回访:他人已回访');
    await queue.startRecording('回访:他人已回访', { stars: 5, comment: '我这边的记录' });
    await call(
      `/api/tickets/${d.id}/follow-up`,
      { version: d.version, satisfaction: 3, comment: '组里已回访' },
      desk,
    );
    await queue.save();
    await queue.conflict().waitFor();
    await queue.reloadInDialog();
    expect(await queue.refusal()).toContain('已回访');
    expect(await queue.saveEnabled()).toBe(false);
    expect(await queue.typedComment()).toBe('我这边的记录');
    const other = (
      await server.t.app.inject({ method: 'GET', url: `/api/tickets/${d.id}`, headers: desk.headers })
    ).json() as { followUps: { comment: string }[] };
    expect(other.followUps.map((f) => f.comment)).toEqual(['组里已回访']);
  });
});
