// What a form keeps when the request it sends fails (Chromium, real server): the session
// expiring mid-form (the server's clock past the session's hours) asks for the password over
// the page instead of leaving for the sign-in page, and the typed reply is still there to send;
// the server unreachable says so in Chinese and keeps the dialog and its text; a ticket that
// cannot be loaded says why, with a retry, instead of "no such ticket".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs } from '../support/app.ts';
import { complaintBody } from '../tickets/support.ts';
import { createUser, missingForBrowserTests, PASSWORD, startServer, type WebServer } from './harness.ts';
import { signedInBrowser } from './pages/login-page.ts';
import { SessionDialog } from './pages/session-dialog.ts';
import { TicketDetailPage } from './pages/ticket-detail-page.ts';

const missing = missingForBrowserTests();
const REPLY = '已为您加急处理，预计三个工作日内到账，\n到账后短信通知您';

describe.skipIf(missing !== undefined)('a form when its request fails, in Chromium', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startServer({ env: { HUASHU_SESSION_HOURS: '1' } });
    await createUser(server, 'agent', 'agent');
    await createUser(server, 'room-director', 'director');
  });
  afterAll(async () => {
    await server?.close();
  });

  const api = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    // A session of its own each time: the test moves the clock past the session's hours.
    const director = await signInAs(server.t, 'room-director', 'director');
    const res = await server.t.app.inject({
      method,
      url,
      headers: director.headers,
      ...(payload ? { payload } : {}),
    });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  /** A complaint accepted by the room director: open for a reply. */
  const acceptedTicket = async (subject: string): Promise<string> => {
    const t = await api('POST', '/api/tickets', complaintBody({ subject }));
    await api('POST', `/api/tickets/${t.id}/accept`, { version: t.version });
    return t.id as string;
  };
  const replies = async (id: string): Promise<string[]> =>
    ((await api('GET', `/api/tickets/${id}`)).replies as { text: string }[]).map((r) => r.text);

  it('the session expires while a reply is typed: the password asked over the page, the reply kept and sent', async () => {
    const id = await acceptedTicket('会话过期时的答复');
    const b = await signedInBrowser(server.base, 'director');
    const ticket = await new TicketDetailPage(b.page, server.base).open(id);
    await ticket.startTyping('reply', { text: REPLY });
    // The session's hour passes while the director types.
    server.t.clock.set(new Date(server.t.clock.now().getTime() + 2 * 3_600_000));
    await ticket.send();
    const session = new SessionDialog(b.page);
    await session.waitOpen();
    expect(await session.text()).toContain('页面上填写的内容都还在');
    // Still the ticket, not the sign-in page, and the reply as typed; nothing stored.
    expect(new URL(b.page.url()).pathname).toBe(`/tickets/${id}`);
    expect(await ticket.typed('text')).toBe(REPLY);
    expect(await replies(id)).toEqual([]);
    // A wrong password says why and asks again.
    await session.signIn('not the password');
    expect(await session.error()).toContain('用户名或密码错误');
    await session.signIn(PASSWORD);
    await session.waitClosed();
    expect(await ticket.typed('text')).toBe(REPLY);
    await ticket.send();
    await expect.poll(() => replies(id)).toEqual([REPLY]);
    await expect.poll(() => ticket.typed('text')).toBe('');
  });

  it('the server unreachable: says so in Chinese, the reply stays in its dialog and goes once it is back', async () => {
    const id = await acceptedTicket('服务器断开时的答复');
    const b = await signedInBrowser(server.base, 'director');
    const ticket = await new TicketDetailPage(b.page, server.base).open(id);
    await ticket.startTyping('reply', { text: REPLY });
    // No answer at all from the server (as when it is down or the network is cut).
    await b.page.route('**/api/tickets/*/replies', (r) => r.abort('connectionrefused'));
    await ticket.send();
    const toast = b.page.locator('.ant-message-notice').filter({ hasText: '无法连接服务器' });
    await toast.waitFor();
    expect(await toast.textContent()).not.toMatch(/offline/i);
    expect(await ticket.typed('text')).toBe(REPLY);
    await b.page.unroute('**/api/tickets/*/replies');
    await ticket.send();
    await expect.poll(() => replies(id)).toEqual([REPLY]);
  });

  it('a ticket that cannot be loaded says why and offers to try again, not "no such ticket"', async () => {
    const id = await acceptedTicket('加载失败时的工单');
    const b = await signedInBrowser(server.base, 'director');
    // The server unreachable for the ticket itself (its three retries included).
    await b.page.route(`**/api/tickets/${id}`, (r) => r.abort('connectionrefused'));
    const ticket = new TicketDetailPage(b.page, server.base);
    await b.page.goto(`${server.base}/tickets/${id}`);
    const failed = b.page.getByTestId('load-failed');
    await failed.waitFor({ timeout: 30_000 });
    const said = (await failed.textContent()) ?? '';
    expect(said).toContain('加载失败');
    expect(said).toContain('无法连接服务器');
    expect(said).not.toContain('没有这个工单');
    // Back: one click shows it.
    await b.page.unroute(`**/api/tickets/${id}`);
    await b.page.getByTestId('load-retry').click();
    await ticket.root().waitFor();
    expect(await ticket.status()).toBe('已受理');
  });
});
