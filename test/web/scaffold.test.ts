// The web UI's frame in a real browser: sign-in, the menu by role, the language switch, the
// 404 and "no access" pages, sign-out, and the page's CSP (antd's styles under a nonce).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  createUser,
  missingForBrowserTests,
  openBrowser,
  startServer,
  type WebServer,
} from './harness.ts';
import { HomePage } from './pages/home-page.ts';
import { Layout } from './pages/layout.ts';
import { LoginPage } from './pages/login-page.ts';

const missing = missingForBrowserTests();

describe.skipIf(missing !== undefined)('the web UI frame in Chromium', () => {
  let server: WebServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    await createUser(server, 'admin', 'boss');
    await createUser(server, 'agent', 'agent');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('signs an admin in to a Chinese home page with every screen in the menu, under the strict CSP', async () => {
    browser = await openBrowser();
    const { page } = browser;
    // A signed-out visitor is sent to sign-in.
    await page.goto(`${server.base}/tickets`);
    const login = new LoginPage(page, server.base);
    await page.getByTestId('login-page').waitFor();
    expect(page.url()).toBe(`${server.base}/login`);
    await login.signIn('boss', 'wrong password 1');
    await expect.poll(async () => login.error().textContent()).toMatch(/用户名或密码/);
    await login.signIn('boss');
    // Back where the visitor was going.
    await page.waitForURL(`${server.base}/tickets`);
    const home = await new HomePage(page, server.base).open();
    expect(await home.heading()).toBe('欢迎，boss');
    const layout = new Layout(page);
    expect(await layout.menuLabels()).toEqual(
      expect.arrayContaining([
        '首页',
        '坐席工作台',
        '工单',
        '回拨队列',
        '黑名单',
        '客户',
        '通话',
        '话术库',
        '用户管理',
        'API 令牌',
      ]),
    );
    expect(await layout.currentUser().textContent()).toContain('管理员');
    // antd's styles applied (the nonce works): the menu's selected item is coloured, and no
    // style or script was refused.
    const selectedColour = await page
      .locator('.ant-menu-item-selected')
      .first()
      .evaluate('(el) => getComputedStyle(el).backgroundColor');
    expect(selectedColour).not.toBe('rgba(0, 0, 0, 0)');
    if (process.env.HUASHU_WEB_SCREENSHOT) await page.screenshot({ path: process.env.HUASHU_WEB_SCREENSHOT });
    expect(browser.problems.filter((p) => /Content Security Policy|Refused/.test(p))).toEqual([]);
    // The Chinese text is drawn with a CJK font (fonts-wqy-microhei), not boxes: a 汉字 is
    // about as wide as it is tall, as wide as another, and wider than a Latin letter.
    // (Browser code as text: the tests' TypeScript has no DOM types.)
    const widths = (await page.evaluate(`(() => {
      const c = document.createElement('canvas').getContext('2d');
      c.font = '16px sans-serif';
      return { han: c.measureText('工').width, other: c.measureText('单').width, latin: c.measureText('i').width };
    })()`)) as { han: number; other: number; latin: number };
    expect(widths.han).toBeGreaterThan(12);
    expect(widths.han).toBeCloseTo(widths.other, 0);
    expect(widths.han).toBeGreaterThan(widths.latin * 2);
  });

  it('switches to English and back, remembers the choice, and gets the API errors in English', async () => {
    browser = await openBrowser();
    const { page } = browser;
    const login = await new LoginPage(page, server.base).open();
    await new Layout(page).switchLanguage();
    await page.getByText('Sign in', { exact: true }).first().waitFor();
    await login.signIn('boss', 'wrong password 1');
    await expect.poll(async () => login.error().textContent()).toMatch(/username or password/i);
    await login.signIn('boss');
    const layout = new Layout(page);
    await page.getByTestId('home-page').waitFor();
    expect(await new HomePage(page, server.base).heading()).toBe('Welcome, boss');
    expect(await layout.menuLabels()).toEqual(
      expect.arrayContaining(['Home', 'Tickets', 'Users', 'API tokens']),
    );
    // Remembered across a reload.
    await page.reload();
    expect(await layout.menuLabels()).toContain('Tickets');
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await layout.switchLanguage();
    expect(await layout.menuLabels()).toContain('工单');
  });

  it('says so when the server cannot be reached, after retrying', async () => {
    browser = await openBrowser();
    const { page } = browser;
    await (await new LoginPage(page, server.base).open()).signIn('boss');
    await page.getByTestId('home-page').waitFor();
    // The network drops every ticket request (as when the server or the line is down).
    let attempts = 0;
    await page.route('**/api/tickets?**', (route) => {
      attempts++;
      return route.abort('connectionrefused');
    });
    await new Layout(page).openFromMenu('工单');
    const toast = page.locator('.ant-message-notice').filter({ hasText: '无法连接服务器' });
    await toast.waitFor({ timeout: 30_000 });
    expect(attempts).toBe(4); // the first try and three retries
  });

  it('keeps an agent out of the admin screens: not in the menu, and "no access" at their URL', async () => {
    browser = await openBrowser();
    const { page } = browser;
    await (await new LoginPage(page, server.base).open()).signIn('agent');
    const layout = new Layout(page);
    await page.getByTestId('home-page').waitFor();
    const menu = await layout.menuLabels();
    // Their own: the console, tickets, the follow-up visits they make, their calls and the reviews of them (to appeal).
    expect(menu).toEqual(['首页', '坐席工作台', '工单', '回访队列', '通话', '人工复核']);
    await page.goto(`${server.base}/admin/users`);
    await layout.noAccess().waitFor();
    expect(await layout.noAccess().textContent()).toContain('坐席');
    // A path nobody has is the 404 page; an unknown API path stays the API's JSON 404.
    await page.goto(`${server.base}/no/such/page`);
    await layout.notFound().waitFor();
    const api = await page.request.get(`${server.base}/api/no-such-route`);
    expect(api.status()).toBe(404);
    expect(await api.json()).toMatchObject({ code: 'not-found' });
    // Sign-out ends the session: the next page is sign-in.
    await layout.signOut();
    await page.getByTestId('login-page').waitFor();
    await page.goto(`${server.base}/tickets`);
    await page.getByTestId('login-page').waitFor();
  });
});
