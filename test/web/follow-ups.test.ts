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
  beforeAll(async () => {
    server = await startServer();
    agent = await createUser(server, 'agent', 'agent');
    await createUser(server, 'complaint-desk', 'desk');
  });
  afterAll(async () => {
    await server?.close();
  });

  const call = async (url: string, payload: Record<string, unknown>) => {
    const res = await server.t.app.inject({ method: 'POST', url, headers: agent.headers, payload });
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
});
