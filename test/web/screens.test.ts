// Every screen of the UI in Chromium at 1366×768, with the data of a working day (a call in
// progress with a flagged phrase, tickets of every type, a breached complaint, callbacks, a
// blacklist, customers, stored calls with findings, users and tokens), photographed into
// test-results/screenshots/<screen>.png for a person to look at (CI keeps the folder; `npm run
// screenshots` copies the README's two into docs/screenshots/). Each photo is taken once the
// screen shows its data, which the test checks first, so a screen that breaks fails here.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPlaybooks } from '../../src/playbook/store.ts';
import type { Session } from '../support/app.ts';
import {
  createUser,
  missingForBrowserTests,
  openBrowser,
  SCREENSHOTS,
  saveScreenshot,
  startServer,
  type WebServer,
} from './harness.ts';
import { AuditPage } from './pages/audit-page.ts';
import { BlacklistPage } from './pages/blacklist-page.ts';
import { CallbacksPage } from './pages/callbacks-page.ts';
import { CallsPage } from './pages/calls-page.ts';
import { ConsolePage } from './pages/console.ts';
import { CustomersPage } from './pages/customers-page.ts';
import { DashboardsPage, WallboardPage } from './pages/dashboards-page.ts';
import { FollowUpsPage } from './pages/follow-ups-page.ts';
import { HomePage } from './pages/home-page.ts';
import { Layout } from './pages/layout.ts';
import { LoginPage, signedInBrowser } from './pages/login-page.ts';
import { PlaybooksPage } from './pages/playbooks-page.ts';
import { AppealsPage, CalibrationPage, ReviewListPage } from './pages/review-pages.ts';
import { ScorecardsPage } from './pages/scorecards-page.ts';
import { TicketDetailPage } from './pages/ticket-detail-page.ts';
import { TicketListPage } from './pages/ticket-list-page.ts';
import { TokensPage } from './pages/tokens-page.ts';
import { UsersPage } from './pages/users-page.ts';

const missing = missingForBrowserTests();
const HOUR = 3_600_000;
const KNOWN = '13800138000'; // 王先生: called before, has tickets
const STARTED = Date.now();
/** The photo of each screen of the menu (web/src/screens.ts); a screen added there needs one. */
const PHOTO: Record<string, string> = {
  home: 'home',
  console: 'console-call',
  tickets: 'tickets',
  callbacks: 'callbacks',
  blacklist: 'blacklist',
  customers: 'customers',
  calls: 'calls',
  playbooks: 'playbooks',
  users: 'users',
  tokens: 'tokens',
  audit: 'audit',
  'follow-ups': 'follow-ups',
  scorecards: 'scorecards',
  reviews: 'reviews',
  appeals: 'appeals',
  calibration: 'calibration',
  dashboards: 'dashboards',
  wallboard: 'wallboard',
};

describe.skipIf(missing !== undefined)('every screen at 1366×768, photographed', () => {
  let server: WebServer;
  let admin: Session;
  let lead: Session;
  let agent: Session;
  let bridge: Record<string, string>;
  let complaintId: string;
  let complaintDeadlines: { kind: string; dueAt: string }[];

  const api = async (
    session: Session | Record<string, string>,
    method: string,
    url: string,
    payload?: object,
  ) => {
    const headers = 'headers' in session ? (session as Session).headers : session;
    const res = await server.t.app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload ? { payload } : {}),
    });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.body ? res.json() : null;
  };

  beforeAll(async () => {
    server = await startServer({ ownCatalog: true });
    await seedPlaybooks(server.t.store.db, server.t.app.services.catalog, server.t.clock);
    const accounts = server.t.app.services.accounts;
    const people = [
      { username: 'boss', displayName: '陈建国', role: 'admin' },
      { username: 'lina', displayName: '李娜', role: 'agent', agentNumber: '1024', brand: 'zhonghua' },
      { username: 'wangfang', displayName: '王芳', role: 'agent', agentNumber: '1025', brand: 'zhonghua' },
      { username: 'zhangwei', displayName: '张伟', role: 'team-lead' },
      { username: 'liuyang', displayName: '刘洋', role: 'room-director' },
      { username: 'chenjing', displayName: '陈静', role: 'complaint-desk' },
      { username: 'zhaomin', displayName: '赵敏', role: 'qa-inspector' },
    ] as const;
    for (const p of people)
      await accounts.createUser({ ...p, password: 'correct horse 1' }, { userId: null, ip: null });
    admin = await createUser(server, 'admin', 'boss');
    lead = await createUser(server, 'team-lead', 'zhangwei');
    agent = await createUser(server, 'agent', 'lina');
    const inspector = await createUser(server, 'qa-inspector', 'zhaomin');
    const leadId = (await accounts.listUsers()).find((u) => u.username === 'zhangwei')?.id as string;

    // Stored calls with their QA findings, on real numbers.
    const sample = (file: string) =>
      JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
    for (const [file, phone] of [
      ['cy-forbidden-rhetorical.json', '18900133372'],
      ['zh-angry-apology.json', KNOWN],
      ['qjl-model-repair.json', '13912345678'],
      ['zh-complaint-no-deadline.json', '13698765432'],
    ] as const) {
      const call = sample(file);
      await api(inspector, 'POST', '/api/calls', { ...call, customer: { phone } });
    }
    await api(lead, 'PATCH', `/api/customers/${KNOWN}`, {
      version: 1,
      surname: '王',
      title: '先生',
      notes: '车险客户，上月理赔',
    });
    await api(lead, 'PATCH', '/api/customers/18900133372', { version: 1, surname: '赵', title: '女士' });

    // Tickets of every kind a call opens.
    const now = server.t.clock.now().getTime();
    const complaint = await api(agent, 'POST', '/api/tickets', {
      type: 'complaint',
      brand: 'zhonghua',
      subtype: 'service-attitude',
      priority: 'urgent',
      subject: '理赔进度太慢，客户要求答复',
      description: '客户反映车险理赔两周未处理，情绪激动',
      customerPhone: KNOWN,
    });
    complaintId = complaint.id;
    complaintDeadlines = complaint.deadlines;
    const tomorrow = now + 24 * HOUR;
    await api(agent, 'POST', '/api/tickets', {
      type: 'repair',
      brand: 'zhonghua',
      subject: '空调不制冷，预约上门维修',
      customerPhone: '13912345678',
      visitWindow: {
        from: new Date(tomorrow).toISOString(),
        to: new Date(tomorrow + 2 * HOUR).toISOString(),
      },
    });
    await api(agent, 'POST', '/api/tickets', {
      type: 'technical',
      brand: 'zhonghua',
      subject: 'App 无法上传理赔照片',
      customerPhone: '13698765432',
    });
    await api(agent, 'POST', '/api/tickets', {
      type: 'callback',
      brand: 'zhonghua',
      reason: 'promised',
      subject: '回电告知保单变更结果',
      customerPhone: KNOWN,
      dueAt: new Date(now + 3 * HOUR).toISOString(),
    });
    await api(agent, 'POST', '/api/tickets', {
      type: 'callback',
      brand: 'zhonghua',
      reason: 'dropped-line',
      subject: '通话中断，回拨客户',
      customerPhone: '13711112222',
    });
    await api(agent, 'POST', '/api/tickets', {
      type: 'suggestion',
      brand: 'zhonghua',
      department: '产品部',
      subject: '建议增加微信理赔进度提醒',
      customerPhone: '18900133372',
    });
    await api(agent, 'POST', '/api/tickets', {
      type: 'message',
      brand: 'zhonghua',
      colleague: leadId,
      subject: '客户要求组长回电',
      customerPhone: KNOWN,
    });
    await api(lead, 'POST', '/api/tickets', {
      type: 'complaint',
      brand: 'chaoyue',
      subtype: 'agent-error',
      priority: 'standard',
      subject: '退费金额解释有误',
      customerPhone: '18900133372',
    });

    // The blacklist: one by hand with an expiry, one for good.
    await api(lead, 'POST', '/api/blacklist', {
      phone: '13366668888',
      reason: '多次辱骂坐席',
      expiresAt: new Date(now + 30 * 24 * HOUR).toISOString(),
    });
    await api(lead, 'POST', '/api/blacklist', { phone: '17012345678', reason: '骚扰电话，反复拨打' });

    // The telephone system's token (the ring and the caller's words come through it).
    const token = await api(admin, 'POST', '/api/tokens', { name: 'CTI 网关', scopes: ['cti'] });
    bridge = { authorization: `Bearer ${token.token as string}` };
    await api(admin, 'POST', '/api/tokens', { name: '质检系统导入', scopes: ['read', 'write'] });
  });
  afterAll(async () => {
    await server?.close();
  });

  const signedIn = (username: string) => signedInBrowser(server.base, username);

  it('an agent kept out of a supervisor screen', async () => {
    const b = await signedIn('lina');
    await b.page.goto(`${server.base}/customers`);
    await new Layout(b.page).noAccess().waitFor();
    await saveScreenshot(b.page, 'no-access');
  });

  it('the agent console: idle, ringing, in a call with a flagged phrase, a ticket, after the hang-up', async () => {
    const b = await signedIn('lina');
    const c = await new ConsolePage(b.page, server.base).open();
    await c.waitOnline();
    await saveScreenshot(b.page, 'console-idle');

    await api(bridge, 'POST', '/api/cti/events', {
      callId: 'shot-1',
      type: 'ring',
      brand: 'zhonghua',
      caller: KNOWN,
      agent: { number: '1024', name: '李娜' },
    });
    await c.waitStatus('ringing');
    await expect.poll(() => c.card().textContent()).toContain('王先生');
    await b.page.getByTestId('card-history').waitFor();
    await saveScreenshot(b.page, 'console-ringing');

    await c.key('a');
    await c.waitStatus('talking');
    await expect.poll(() => c.bestSuggestion().textContent()).toContain('1024号为您服务');
    await c.useBestSuggestion();
    await c.input().press('Enter');
    await expect.poll(() => c.turns().count()).toBe(1);
    await api(bridge, 'POST', '/api/live/calls/shot-1/turns', {
      speaker: 'customer',
      text: '我要投诉，你们的理赔服务太差了，两个星期都没人管',
    });
    await expect.poll(() => c.turns().count()).toBe(2);
    await c.say('这个我也不知道');
    await expect.poll(async () => (await c.flagged().allInnerTexts()).join('|')).toContain('不知道');
    await expect.poll(() => c.alertLines().count()).toBeGreaterThan(0);
    await c.input().fill('非常抱歉给您带来不便，我马上为您登记');
    await saveScreenshot(b.page, 'console-call');

    await c.key('?');
    await c.shortcutSheet().waitFor();
    await saveScreenshot(b.page, 'console-shortcuts');
    await c.key('Escape');
    await c.shortcutSheet().waitFor({ state: 'hidden' });

    await c.openTicket('complaint');
    await saveScreenshot(b.page, 'console-ticket-dialog');
    // Whom the complaint is about is the agent's choice (never assumed).
    await c.chooseTicketAbout('不针对坐席');
    await c.submitTicket();

    await c.control('hangup').click();
    await c.waitStatus('ended');
    await c.inspection().waitFor();
    await saveScreenshot(b.page, 'console-ended');
  });

  it('the console and the ticket list in English', async () => {
    const b = await signedIn('lina');
    await new Layout(b.page).switchLanguage();
    const c = await new ConsolePage(b.page, server.base).open();
    await c.waitOnline();
    await api(bridge, 'POST', '/api/cti/events', {
      callId: 'shot-2',
      type: 'ring',
      brand: 'zhonghua',
      caller: '18900133372',
      agent: { number: '1024', name: '李娜' },
    });
    await c.waitStatus('ringing');
    await c.key('a');
    await c.waitStatus('talking');
    await c.useBestSuggestion();
    await c.input().press('Enter');
    await api(bridge, 'POST', '/api/live/calls/shot-2/turns', {
      speaker: 'customer',
      text: '我上周交了代办费，现在不想办了，能不能全额退？',
    });
    await expect.poll(() => c.turns().count()).toBe(2);
    await c.say('规定就是这样，你到底想怎么样？');
    await expect.poll(() => c.flagged().count()).toBeGreaterThan(0);
    await saveScreenshot(b.page, 'console-call-en');
    await c.control('hangup').click();
    await c.waitStatus('ended');

    const list = await new TicketListPage(b.page, server.base).open();
    await expect.poll(() => list.subjects()).toContain('空调不制冷，预约上门维修');
    await saveScreenshot(b.page, 'tickets-en');
  });
  // Last: it moves the server's clock past a deadline (the live console counts in real time).
  it('the sign-in page and the back office', async () => {
    // The urgent complaint breaches its first response: escalated to the team lead.
    const due = (complaintDeadlines as { kind: string; dueAt: string }[]).find(
      (d) => d.kind === 'first-response',
    )?.dueAt as string;
    server.t.clock.set(new Date(Date.parse(due) + 5 * 60_000));
    await server.t.app.services.tickets.runDeadlineChecks(server.t.clock.now());

    const b = await openBrowser();
    await new LoginPage(b.page, server.base).open();
    await saveScreenshot(b.page, 'login');
    await new LoginPage(b.page, server.base).signIn('boss');
    await b.page.getByTestId('home-page').waitFor();
    const home = await new HomePage(b.page, server.base).open();
    expect(await home.heading()).toContain('陈建国');
    await saveScreenshot(b.page, 'home');

    const list = await new TicketListPage(b.page, server.base).open();
    await expect.poll(() => list.subjects()).toContain('空调不制冷，预约上门维修');
    await saveScreenshot(b.page, 'tickets');
    await new TicketDetailPage(b.page, server.base).open(complaintId);
    expect((await new TicketDetailPage(b.page, server.base).deadline('first-response')).state).toBe(
      'overdue',
    );
    await b.page.getByTestId('history-item').first().waitFor();
    await saveScreenshot(b.page, 'ticket-detail');

    const callbacks = await new CallbacksPage(b.page, server.base).open();
    await expect.poll(() => callbacks.subjects()).toContain('通话中断，回拨客户');
    await saveScreenshot(b.page, 'callbacks');

    const blacklist = await new BlacklistPage(b.page, server.base).open();
    await blacklist.cells('17012345678');
    await saveScreenshot(b.page, 'blacklist');

    const customers = await new CustomersPage(b.page, server.base).open();
    await expect.poll(() => customers.phones()).toContain(KNOWN);
    await saveScreenshot(b.page, 'customers');
    expect(await customers.history(KNOWN)).toContain('王先生');
    await saveScreenshot(b.page, 'customer-history');

    const calls = await new CallsPage(b.page, server.base).open();
    await expect.poll(() => calls.callIds()).toContain('cy-forbidden-rhetorical');
    await saveScreenshot(b.page, 'calls');
    const call = await calls.openCall('cy-forbidden-rhetorical');
    expect((await call.findingRules()).length).toBeGreaterThan(0);
    await saveScreenshot(b.page, 'call-detail');

    const playbooks = await new PlaybooksPage(b.page, server.base).open('zhonghua');
    await playbooks.search('tousu');
    const hits = await playbooks.hits();
    await playbooks.openScenario(hits[0] as string);
    await saveScreenshot(b.page, 'playbooks');
    await playbooks.openEditor();
    await saveScreenshot(b.page, 'playbook-editor');

    const users = await new UsersPage(b.page, server.base).open();
    await users.cells('lina');
    await saveScreenshot(b.page, 'users');
    const tokens = await new TokensPage(b.page, server.base).open();
    expect(await tokens.status('CTI 网关')).toBeTruthy();
    await saveScreenshot(b.page, 'tokens');
    const audit = await new AuditPage(b.page, server.base).open();
    await expect.poll(async () => (await audit.table()).length).toBeGreaterThan(0);
    await saveScreenshot(b.page, 'audit');

    // The supervision screens (the day's calls and tickets above are their data).
    await new FollowUpsPage(b.page, server.base).open();
    await saveScreenshot(b.page, 'follow-ups');
    await new ScorecardsPage(b.page, server.base).open();
    await saveScreenshot(b.page, 'scorecards');
    await new ReviewListPage(b.page, server.base).open();
    await saveScreenshot(b.page, 'reviews');
    await new AppealsPage(b.page, server.base).open();
    await saveScreenshot(b.page, 'appeals');
    await new CalibrationPage(b.page, server.base).open();
    await saveScreenshot(b.page, 'calibration');
    const dashboards = await new DashboardsPage(b.page, server.base).open();
    await expect.poll(() => dashboards.chartDrawn('dash-calls-chart')).toBe(true);
    await saveScreenshot(b.page, 'dashboards');
    await new WallboardPage(b.page, server.base).open();
    await saveScreenshot(b.page, 'wallboard');

    await b.page.goto(`${server.base}/no/such/page`);
    await new Layout(b.page).notFound().waitFor();
    await saveScreenshot(b.page, 'not-found');
  });

  it('has photographed every screen of the menu in this run', () => {
    // The screens' ids, read from the UI's list (its imports are the web build's, not Node's).
    const source = readFileSync(new URL('../../web/src/screens.ts', import.meta.url), 'utf8');
    const ids = [...source.matchAll(/\bid: '([\w-]+)'/g)].map((m) => m[1] as string);
    expect(ids.length).toBeGreaterThan(5);
    const stale = ids
      .map((id) => join(SCREENSHOTS, `${PHOTO[id] ?? `(no photo for the screen ${id})`}.png`))
      .filter((file) => (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < STARTED);
    expect(stale).toEqual([]);
  });
});
