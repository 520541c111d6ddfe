// Two tabs of one browser share its session cookie (Chromium, real server). Signing in again in
// one tab (the same user) leaves the other tab's next save working, with what was typed; another
// user signing in in one tab never turns the other tab into theirs: its save is refused, the
// dialog says who the browser is now and asks for this page's user's password, the typed reply
// is kept and, once signed in again, filed under the page's user.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentWithNumber } from '../cti/bridge.ts';
import { signInAs } from '../support/app.ts';
import { complaintBody } from '../tickets/support.ts';
import { createUser, missingForBrowserTests, PASSWORD, startServer, type WebServer } from './harness.ts';
import { ConsolePage } from './pages/console.ts';
import { signedInBrowser } from './pages/login-page.ts';
import { SessionDialog } from './pages/session-dialog.ts';
import { TicketDetailPage } from './pages/ticket-detail-page.ts';

const missing = missingForBrowserTests();
const REPLY = '已为您加急处理，预计三个工作日内到账';

describe.skipIf(missing !== undefined)('two tabs sharing one browser session, in Chromium', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startServer();
    await createUser(server, 'agent', 'agent');
    await createUser(server, 'room-director', 'director');
    await agentWithNumber(server.t, 'agent2', '2048');
  });
  afterAll(async () => {
    await server?.close();
  });

  const api = async (method: 'GET' | 'POST', url: string, payload?: object) => {
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
  const acceptedTicket = async (subject: string): Promise<string> => {
    const t = await api('POST', '/api/tickets', complaintBody({ subject }));
    await api('POST', `/api/tickets/${t.id}/accept`, { version: t.version });
    return t.id as string;
  };
  const replies = async (id: string): Promise<{ by: string; text: string }[]> =>
    ((await api('GET', `/api/tickets/${id}`)).replies as { by: string; text: string }[]).map((r) => ({
      by: r.by,
      text: r.text,
    }));
  const idOf = async (username: string): Promise<string> =>
    (await server.t.app.services.accounts.listUsers()).find((u) => u.username === username)?.id ?? '';
  /** Signs in as `username` in the tab, as its sign-in page or session dialog does. */
  const signInIn = async (tab: Page, username: string) => {
    const status = await tab.evaluate(
      async ({ username, password }) =>
        (
          await fetch('/api/auth/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username, password }),
          })
        ).status,
      { username, password: PASSWORD },
    );
    expect(status).toBe(200);
  };

  it('the same user signs in again in another tab: the first tab saves what was typed, no dialog', async () => {
    const id = await acceptedTicket('另一标签页重新登录');
    const b = await signedInBrowser(server.base, 'director');
    const ticket = await new TicketDetailPage(b.page, server.base).open(id);
    await ticket.startTyping('reply', { text: REPLY });
    const other = await b.context.newPage();
    await other.goto(`${server.base}/`);
    await signInIn(other, 'director');
    await ticket.send();
    await expect.poll(() => replies(id)).toEqual([{ by: await idOf('director'), text: REPLY }]);
    await expect.poll(() => ticket.typed('text')).toBe('');
    expect(await b.page.getByTestId('session-password').count()).toBe(0);
    expect(await b.page.locator('.ant-message-notice').allTextContents()).not.toContainEqual(
      expect.stringContaining('csrf'),
    );
  });

  it('another user signs in in another tab: nothing is filed as them, the dialog says so, the reply kept', async () => {
    const id = await acceptedTicket('另一用户登录');
    const b = await signedInBrowser(server.base, 'director');
    const ticket = await new TicketDetailPage(b.page, server.base).open(id);
    await ticket.startTyping('reply', { text: REPLY });
    const other = await b.context.newPage();
    await other.goto(`${server.base}/`);
    await signInIn(other, 'agent');
    await ticket.send();
    const session = new SessionDialog(b.page);
    await session.waitOpen();
    await expect.poll(() => session.text()).toContain('以“agent”登录');
    expect(await b.page.getByTestId('current-user').textContent()).toContain('director');
    expect(await ticket.typed('text')).toBe(REPLY);
    expect(await replies(id)).toEqual([]);
    // Signing in again as the page's user (director), then sending: filed as director.
    await session.signIn(PASSWORD);
    await session.waitClosed();
    expect(await ticket.typed('text')).toBe(REPLY);
    await ticket.send();
    await expect.poll(() => replies(id)).toEqual([{ by: await idOf('director'), text: REPLY }]);
    expect(await b.page.getByTestId('current-user').textContent()).toContain('director');
  });

  it('another user signs in in another tab: the console does not take their calls when its socket reconnects', async () => {
    const b = await signedInBrowser(server.base, 'agent');
    const console = await new ConsolePage(b.page, server.base).open();
    await console.waitOnline();
    const other = await b.context.newPage();
    await other.goto(`${server.base}/`);
    await signInIn(other, 'agent2');
    // The connection drops (a network blip, a server restart): the console reconnects with the
    // browser's cookie, now agent2's, and is refused instead of subscribing to agent2's calls.
    const sockets = (server.t.app as unknown as { websocketServer: { clients: Set<{ terminate(): void }> } })
      .websocketServer.clients;
    for (const s of sockets) s.terminate();
    const session = new SessionDialog(b.page);
    await session.waitOpen();
    await expect.poll(() => session.text()).toContain('以“agent2”登录');
    await expect.poll(() => console.connection().getAttribute('data-connection')).toBe('signed-out');
    // Signed in again as the page's user: the console is online again, as agent.
    await session.signIn(PASSWORD);
    await session.waitClosed();
    await console.waitOnline();
    const shown = await b.page.getByTestId('current-user').textContent();
    expect(shown).toContain('agent');
    expect(shown).not.toContain('agent2');
    await b.close();
  });
});
