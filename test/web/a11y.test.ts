// Accessibility in Chromium: axe-core (WCAG 2.1 A/AA and best practices) finds no serious or
// critical violation on the agent console (idle, ringing, in a call, its ticket dialog), on the
// ticket screens (list, detail, an action's dialog), nor on the other screens; and every
// console control is reached by the Tab key, each with a name, while the shortcuts keep working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  createUser,
  describeViolations,
  missingForBrowserTests,
  seriousViolations,
  startServer,
  type WebServer,
} from './harness.ts';
import { ConsolePage } from './pages/console.ts';
import { signedInBrowser } from './pages/login-page.ts';
import { TicketDetailPage } from './pages/ticket-detail-page.ts';
import { TicketListPage } from './pages/ticket-list-page.ts';

const missing = missingForBrowserTests();

describe.skipIf(missing !== undefined)('accessibility in Chromium', () => {
  let server: WebServer;
  let bridge: Record<string, string>;
  let ticketId: string;
  let n = 0;

  const api = async (headers: Record<string, string>, url: string, payload: object) => {
    const res = await server.t.app.inject({ method: 'POST', url, headers, payload });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  const ring = (callId: string) =>
    api(bridge, '/api/cti/events', {
      callId,
      type: 'ring',
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: '1024', name: 'agent' },
    });

  beforeAll(async () => {
    server = await startServer();
    const admin = await createUser(server, 'admin', 'boss');
    const agent = await createUser(server, 'agent', 'agent'); // 工号 1024
    await createUser(server, 'team-lead', 'lead');
    const token = await api(admin.headers, '/api/tokens', { name: 'CTI', scopes: ['cti'] });
    bridge = { authorization: `Bearer ${token.token as string}` };
    const ticket = await api(agent.headers, '/api/tickets', {
      type: 'complaint',
      brand: 'zhonghua',
      subtype: 'service-attitude',
      priority: 'urgent',
      subject: '理赔进度太慢',
      customerPhone: '13800138000',
    });
    ticketId = ticket.id;
    await api(agent.headers, '/api/tickets', {
      type: 'technical',
      brand: 'zhonghua',
      subject: 'App 无法上传照片',
      customerPhone: '13900139000',
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const signedIn = (username: string) => signedInBrowser(server.base, username, { bypassCSP: true });
  const expectNoSerious = async (b: Browser, where: string) => {
    const found = await seriousViolations(b.page);
    expect(found, describeViolations(where, found)).toEqual([]);
  };

  it('finds nothing serious on the console: idle, ringing, in a call, the ticket dialog, the shortcut sheet', async () => {
    const b = await signedIn('agent');
    const c = await new ConsolePage(b.page, server.base).open();
    await c.waitOnline();
    await expectNoSerious(b, 'console, idle');

    const id = `a11y-${++n}`;
    await ring(id);
    await c.waitStatus('ringing');
    await expectNoSerious(b, 'console, ringing');

    await c.key('a');
    await c.waitStatus('talking');
    await c.useBestSuggestion();
    await c.input().press('Enter');
    await api(bridge, `/api/live/calls/${id}/turns`, {
      speaker: 'customer',
      text: '我要投诉，你们的服务太差了',
    });
    await c.say('这个我也不知道');
    await expect.poll(() => c.flagged().count()).toBeGreaterThan(0);
    await expectNoSerious(b, 'console, in a call');

    await c.openTicket('complaint');
    await expectNoSerious(b, 'console, complaint dialog');
    await b.page.keyboard.press('Escape');
    await b.page.getByTestId('ticket-form').waitFor({ state: 'detached' });

    await c.key('?');
    await c.shortcutSheet().waitFor();
    await expectNoSerious(b, 'console, shortcut sheet');
    await c.key('Escape');

    await c.control('hangup').click();
    await c.waitStatus('ended');
    await c.inspection().waitFor();
    await expectNoSerious(b, 'console, after the hang-up');
  });

  it('finds nothing serious on the ticket list, a ticket, and an action dialog', async () => {
    const b = await signedIn('lead');
    const list = await new TicketListPage(b.page, server.base).open();
    await expect.poll(() => list.subjects()).toContain('理赔进度太慢');
    await expectNoSerious(b, 'ticket list');

    const view = await new TicketDetailPage(b.page, server.base).open(ticketId);
    await b.page.getByTestId('history-item').first().waitFor();
    await expectNoSerious(b, 'ticket detail');

    await view.button('escalate').click();
    await b.page.locator('.ant-modal:visible').waitFor();
    await expectNoSerious(b, 'ticket detail, escalate dialog');
  });

  it('finds nothing serious on the other screens either (home, queues, people, playbooks, admin)', async () => {
    const b = await signedIn('boss');
    for (const [path, root] of [
      ['/', 'home-page'],
      ['/callbacks', 'callbacks-page'],
      ['/blacklist', 'blacklist-page'],
      ['/customers', 'customers-page'],
      ['/calls', 'calls-page'],
      ['/playbooks?brand=zhonghua', 'playbooks-page'],
      ['/admin/users', 'users-page'],
      ['/admin/tokens', 'tokens-page'],
      ['/audit', 'audit-page'],
    ] as const) {
      await b.page.goto(`${server.base}${path}`);
      await b.page.getByTestId(root).waitFor();
      await b.page
        .locator('.ant-spin-spinning')
        .first()
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      await expectNoSerious(b, path);
    }
  });

  it('reaches every console control with Tab, each named, and the shortcuts still work', async () => {
    const b = await signedIn('agent');
    const c = await new ConsolePage(b.page, server.base).open();
    await c.waitOnline();
    const id = `a11y-${++n}`;
    await ring(id);
    await c.waitStatus('ringing');
    await c.key('a');
    await c.waitStatus('talking');

    // Every enabled control of the softphone, the script lines and the one-click tickets.
    const wanted = (await b.page
      .locator(
        '[data-testid=softphone] button:not([disabled]), [data-testid=suggestions] button, button[data-testid^=ticket-], [data-testid=shortcuts-open]',
      )
      .evaluateAll((els) =>
        els.map((e) => e.getAttribute('data-testid') || e.textContent || '').filter((x) => x !== ''),
      )) as string[];
    expect(wanted.length).toBeGreaterThan(15);

    // Tab from the top of the page: what takes the focus, in order (name and test id).
    await b.page.evaluate('document.activeElement && document.activeElement.blur()');
    const reached: { id: string; name: string }[] = [];
    for (let i = 0; i < 120; i++) {
      await b.page.keyboard.press('Tab');
      const focused = (await b.page.evaluate(`(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return null;
        const label = e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].textContent) || e.textContent || e.getAttribute('placeholder') || '';
        return { id: e.getAttribute('data-testid') || e.textContent || '', name: label.trim() };
      })()`)) as { id: string; name: string } | null;
      if (!focused) continue;
      if (reached.some((r) => r.id === focused.id && r.name === focused.name) && reached.length > 20) break;
      reached.push(focused);
    }
    const ids = reached.map((r) => r.id);
    const missed = wanted.filter((w) => !ids.includes(w));
    expect(missed, `not reached by Tab: ${missed.join(', ')}`).toEqual([]);
    const unnamed = reached.filter((r) => r.name === '');
    expect(unnamed, `focusable without a name: ${JSON.stringify(unnamed)}`).toEqual([]);
    // The softphone's controls come in their visual order: answer, hold, transfer, hang up, then the line buttons.
    const order = ['control-hold', 'control-transfer', 'control-hangup', 'control-silent-line'].map((x) =>
      ids.indexOf(x),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));

    // Tab, then Enter on a focused control does what its click does: hold.
    await b.page.getByTestId('control-hold').focus();
    await b.page.keyboard.press('Enter');
    await c.waitStatus('on-hold');
    // And the shortcut (H, outside a text field) still works after tabbing around: unhold.
    await c.key('h');
    await c.waitStatus('talking');
    await c.key('e');
    await c.waitStatus('ended');
  });
});
