// The dashboards and the wallboard in Chromium, by a room director: figures a supervisor checks
// by hand, charts drawn, a table per chart, filters in the URL (a reload keeps the view), the
// export links carrying the same filters; the wallboard following a call live over the
// WebSocket — ringing, talking, on hold past the limit in red, hung up —, an agent's state as
// they set it in their console (示闲, 示忙 for a break past its limit in red) and as their call
// makes it (通话中, 话后处理), and an agent kept out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../support/app.ts';
import { createUser, missingForBrowserTests, startServer, type WebServer } from './harness.ts';
import { ConsolePage } from './pages/console.ts';
import { DashboardsPage, WallboardPage } from './pages/dashboards-page.ts';
import { Layout } from './pages/layout.ts';
import { signedInBrowser } from './pages/login-page.ts';

const missing = missingForBrowserTests();
const S = 1000;
/** Waits for what the page shows (a loaded 2-core box: a reload can take seconds). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });

describe.skipIf(missing !== undefined)('dashboards and the wallboard in Chromium', () => {
  let server: WebServer;
  let admin: Session;
  let bridge: Record<string, string>;
  let today: string;

  const inject = async (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    headers: Record<string, string>,
    payload?: object,
  ) => {
    const res = await server.t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await createUser(server, 'admin');
    await createUser(server, 'room-director', 'director');
    await server.t.app.services.accounts.createUser(
      {
        username: 'lina',
        displayName: '李娜',
        role: 'agent',
        password: 'correct horse 1',
        agentNumber: '1024',
        brand: 'zhonghua',
        team: '一组',
      },
      { userId: null, ip: null },
    );
    const token = await inject('POST', '/api/tokens', admin.headers, { name: 'CTI bridge', scopes: ['cti'] });
    expect(token.status, JSON.stringify(token.body)).toBe(201);
    bridge = { authorization: `Bearer ${token.body.token}` };
    // Two calls earlier today in Shanghai (the dashboards' and the wallboard's day): one
    // answered in 8 s, one abandoned after 30 s. An hour ago, or since midnight when the day
    // is younger: they start at 00:02 at the earliest and end (98 s on) before now, so in the
    // day's first four minutes the hook waits for 00:04 (its own timeout allows it).
    const DAY = 86_400_000;
    const sinceMidnight = (t: number) => (t + 8 * 3_600_000) % DAY;
    const young = 4 * 60_000 - sinceMidnight(Date.now());
    if (young > 0) {
      await new Promise((resolve) => setTimeout(resolve, young));
      server.t.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
    }
    const now = server.t.clock.now().getTime();
    const started = new Date(now - Math.min(3_600_000, sinceMidnight(now) - 2 * 60_000)).toISOString();
    today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(now));
    for (const [id, answered] of [
      ['web-1', true],
      ['web-2', false],
    ] as const) {
      const r = await inject('POST', '/api/calls', admin.headers, {
        id,
        brand: 'zhonghua',
        agent: { id: '1024', name: '李娜' },
        customer: { phone: '13800138000' },
        startedAt: started,
        events: answered
          ? [
              { type: 'ring', at: 0 },
              { type: 'answer', at: 8 * S },
              { type: 'hangup', at: 98 * S },
            ]
          : [
              { type: 'ring', at: 0 },
              { type: 'hangup', at: 30 * S },
            ],
        turns: answered ? [{ speaker: 'agent', text: '您好，中华保险1024号为您服务', start: 9 * S }] : [],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    // Counted once their events are delivered.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const r = await inject(
        'GET',
        `/api/dashboard/calls?brand=zhonghua&from=${today}&to=${today}&by=all`,
        admin.headers,
      );
      if (r.body.total.calls === 2) break;
      if (Date.now() > deadline) throw new Error(`the calls were not counted: ${JSON.stringify(r.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 360_000);
  afterAll(async () => {
    await server?.close();
  });

  const signIn = (username: string) => signedInBrowser(server.base, username);

  it('shows the call figures as a chart and a table, keeps the filters in the URL, and exports them', async () => {
    const b = await signIn('director');
    const page = await new DashboardsPage(b.page, server.base).open(
      `brand=zhonghua&from=${today}&to=${today}`,
    );
    await poll(() => page.statistic('dash-sl')).toBe('50.0%');
    expect(await page.statistic('dash-abandon')).toBe('50.0%');
    // The abandon after 30 s counts; the page says a hang-up within the 3 rings would not.
    expect(await page.countedNote()).toContain('不计短时放弃');
    expect(await page.chartDrawn('dash-calls-chart')).toBe(true);
    await page.by('按坐席');
    await poll(() => page.callRow('1024')).toEqual(expect.arrayContaining(['1024', '2', '1', '50.0%']));
    expect(b.page.url()).toContain('by=agent');
    // The URL is the view: a reload (or a colleague given the link) shows the same.
    await b.page.reload();
    await poll(() => page.callRow('1024')).toEqual(expect.arrayContaining(['1024', '2']));
    const csv = await page.exportHref('csv');
    expect(csv).toContain('/api/exports/dashboard-calls.csv?');
    expect(csv).toContain('by=agent');
    const download = await b.page.request.get(`${server.base}${csv}`);
    expect(download.status()).toBe(200);
    expect(await download.text()).toContain('1024');
    // Quality: its own tab, in the URL too.
    await page.tab('质检');
    await b.page.getByTestId('dash-quality-table').waitFor();
    expect(b.page.url()).toContain('tab=quality');
    await poll(() => page.chartDrawn('dash-quality-chart')).toBe(true);
    const refused = b.problems.filter((p) => /Content Security Policy|Refused/.test(p));
    expect(refused, refused.join('\n')).toEqual([]);
  });

  it('follows a call live on the wallboard: ringing, talking, on hold past the limit in red, hung up', async () => {
    const b = await signIn('director');
    const wall = await new WallboardPage(b.page, server.base).open('brand=zhonghua');
    await poll(() => wall.connection()).toBe('online');
    await poll(() => wall.count('sl')).toBe('50.0%');
    // 李娜 has no console open: offline; her call still makes her talking (a phone needs no screen).
    expect(await wall.agentState('1024')).toBe('offline');
    const offline = Number(await wall.agentCount('offline'));
    expect(offline).toBeGreaterThan(0);
    const now = server.t.clock.now().getTime();
    const cti = async (body: Record<string, unknown>) => {
      const r = await inject('POST', '/api/cti/events', bridge, { callId: 'live-1', ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };
    // The telephone system's own times: rang 100 s ago, on hold for the last 70 s (limit 60 s).
    await cti({
      type: 'ring',
      at: new Date(now - 100 * S).toISOString(),
      brand: 'zhonghua',
      caller: '13900139000',
      agent: { number: '1024', name: '李娜' },
    });
    await poll(() => wall.count('ringing')).toBe('1');
    expect(await wall.agentState('1024')).toBe('offline');
    // Never signed in, her phone ringing: the row says 振铃, not 离线 beside 振铃.
    await poll(() => wall.agentLabel('1024')).toBe('振铃');
    // The count strip agrees with her row: not counted under 离线.
    expect(await wall.agentCount('offline')).toBe(String(offline - 1));
    // The call's 工号 column shows the 工号 (with the name), as the agents' table does.
    expect(await wall.callAgent('live-1')).toBe('1024 李娜');
    await cti({ type: 'answer', at: new Date(now - 90 * S).toISOString() });
    await poll(() => wall.count('talking')).toBe('1');
    await poll(() => wall.agentState('1024')).toBe('talking');
    await cti({ type: 'hold', at: new Date(now - 70 * S).toISOString() });
    await poll(() => wall.count('on-hold')).toBe('1');
    expect(await wall.agentState('1024')).toBe('talking');
    expect(await wall.overLimit('live-1')).toBe('true');
    expect(await wall.holdClockColor('live-1')).toBe('rgb(207, 19, 34)');
    await cti({ type: 'hangup', by: 'customer' });
    await poll(() => wall.agentState('1024')).toBe('wrap-up');
    await poll(() => wall.count('on-hold')).toBe('0');
    // In English the agents' state column says what it holds (坐席状态), as in Chinese.
    await new Layout(b.page).switchLanguage();
    await poll(() => wall.agentHeaders()).toEqual(['Agent no.', 'Team', 'Agent state', 'Time in state']);
    const refused = b.problems.filter((p) => /Content Security Policy|Refused/.test(p));
    expect(refused, refused.join('\n')).toEqual([]);
  });

  it('shows a brand-limited account its own brand’s wallboard when the address names another', async () => {
    await server.t.app.services.accounts.createUser(
      {
        username: 'zh-director',
        displayName: '中华主任',
        role: 'room-director',
        password: 'correct horse 1',
        brand: 'zhonghua',
      },
      { userId: null, ip: null },
    );
    const b = await signIn('zh-director');
    const wall = await new WallboardPage(b.page, server.base).open('brand=generic');
    await poll(() => wall.brandInUrl()).toBe('zhonghua');
    await poll(() => wall.connection()).toBe('online');
    expect(await wall.errors()).toEqual([]);
  });

  it('shows an appeal and its final judgement in the quality dashboard', async () => {
    // web-1 reviewed, its agent appeals a confirmed finding, a room director overturns it.
    const lead = await createUser(server, 'qa-lead', 'qa-lead');
    const inspector = await createUser(server, 'qa-inspector', 'insp');
    const director = await createUser(server, 'room-director', 'director');
    const agent = await createUser(server, 'agent', 'lina');
    const plan = {
      allFatal: true,
      allComplaints: true,
      mode: 'count',
      amount: 5,
      seed: 1,
      dueDays: 3,
      appealWindowDays: 7,
      assign: 'least-loaded',
    };
    expect((await inject('PUT', '/api/review/plans/zhonghua', lead.headers, plan)).status).toBe(200);
    const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
    const monday = new Date(Date.parse(`${today}T00:00:00Z`) - weekday * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const run = await inject('POST', '/api/review/plans/zhonghua/run', lead.headers, { week: monday });
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    const review = (
      run.body.assigned as { id: string; callId: string; findings: { index: number; ref: string }[] }[]
    ).find((r) => r.callId === 'web-1');
    expect(review?.findings.length).toBeGreaterThan(0);
    if (!review) return;
    const done = await inject('POST', `/api/reviews/${review.id}/complete`, inspector.headers, {
      verdicts: review.findings.map((f) => ({ finding: f.index, verdict: 'correct' })),
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const appeal = await inject('POST', `/api/reviews/${review.id}/appeals`, agent.headers, {
      finding: review.findings[0]?.ref,
      reason: '请复核',
    });
    expect(appeal.status, JSON.stringify(appeal.body)).toBe(201);

    const b = await signIn('director');
    const page = await new DashboardsPage(b.page, server.base).open(
      `brand=zhonghua&from=${today}&to=${today}&tab=quality&by=agent`,
    );
    // Filed and pending first; overturned once judged (the page reloads the figures).
    await poll(() => page.appealTotals()).toEqual(['1', '1', '0', '0', '—']);
    const judged = await inject('POST', `/api/appeals/${appeal.body.id}/judgement`, director.headers, {
      outcome: 'overturn',
      note: '录音核实，撤销',
    });
    expect(judged.status, JSON.stringify(judged.body)).toBe(200);
    await poll(async () => {
      await b.page.reload();
      // The figures once the screen has loaded them (a reload shows 加载中 first).
      await b.page.getByTestId('dash-appeal-totals').waitFor({ timeout: 15_000 });
      return page.appealTotals();
    }).toEqual(['1', '0', '0', '1', '100.0%']);
    expect((await page.qualityRow('1024')).slice(-5)).toEqual(['1', '0', '0', '1', '100.0%']);
    const rules = await page.appealRuleRows();
    expect(rules).toHaveLength(1);
    expect(rules[0]?.slice(-5)).toEqual(['1', '0', '0', '1', '100.0%']);
    expect(await page.chartDrawn('dash-appeal-chart')).toBe(true);
    const csv = await b.page.request.get(`${server.base}${await page.exportHref('csv')}`);
    expect(await csv.text()).toContain('改判率%');
  });

  it('saves an export under its name, and says why when the server refuses one (a period too long)', async () => {
    const b = await signIn('director');
    const page = await new DashboardsPage(b.page, server.base).open(
      `brand=zhonghua&from=${today}&to=${today}`,
    );
    const file = await page.download('csv');
    expect(file.name).toBe('话务看板.csv');
    expect(file.text).toContain('平均应答速度');
    // Over the longest period: the server's reason on the page, and no file (the link saved a
    // 500's JSON, or nothing, without a word).
    await page.open(`brand=zhonghua&from=2020-01-01&to=${today}`);
    const refused = await page.refusedExport('xlsx');
    expect(refused.message).toMatch(/^导出失败：时间段最长 732 天/);
    expect(refused.downloaded).toBe(false);
  });

  it('shows an agent’s state live: signed in, ready, on a break past its limit in red, then talking and wrap-up', async () => {
    const b = await signIn('director');
    const wall = await new WallboardPage(b.page, server.base).open('brand=zhonghua');
    await poll(() => wall.connection()).toBe('online');
    // The last test's wrap-up ends with the brand's 30 s.
    server.t.clock.advance(31_000);
    const agent = await signIn('lina');
    const console = await new ConsolePage(agent.page, server.base).open();
    await console.waitOnline();
    // Signing in is not ready (no reason) until the agent says ready.
    await poll(() => console.agentState()).toBe('not-ready');
    await poll(() => wall.agentState('1024')).toBe('not-ready');
    expect(await wall.agentLabel('1024')).toBe('示忙 · 签入未示闲');

    await console.key('r');
    await poll(() => console.agentState()).toBe('ready');
    await poll(() => wall.agentState('1024')).toBe('ready');
    expect(await wall.agentCount('ready')).toBe('1');

    // A break that began 16½ minutes ago (the server's clock moved back for the request): past
    // 小休's 15 minutes, so the wallboard shows it in red. The half minute absorbs the time the
    // key press takes to reach the server on a loaded machine (at exactly 16 it read 15:59).
    server.t.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000 - 16 * 60_000 - 30_000));
    await console.notReadyByKeys(0); // N, then Enter on the first reason (小休)
    await poll(() => wall.agentLabel('1024')).toBe('示忙 · 小休');
    server.t.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
    await poll(() => console.agentStateText()).toContain('小休');
    await poll(() => wall.agentOver('1024')).toBe('true');
    expect(await wall.agentTime('1024')).toMatch(/^16:\d\d \/ 15:00$/);

    // A call rings to her and she answers: talking, with the break to follow.
    const cti = async (body: Record<string, unknown>) => {
      const r = await inject('POST', '/api/cti/events', bridge, { callId: 'live-2', ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };
    await cti({
      type: 'ring',
      brand: 'zhonghua',
      caller: '13900139000',
      agent: { number: '1024', name: '李娜' },
    });
    await console.waitStatus('ringing');
    await console.key('a');
    await poll(() => wall.agentState('1024')).toBe('talking');
    await poll(() => console.agentState()).toBe('talking');
    expect(await agent.page.getByTestId('agent-state-next').textContent()).toContain('小休');
    expect(await wall.agentOver('1024')).toBe('false');
    await console.key('e');
    await poll(() => wall.agentState('1024')).toBe('wrap-up');
    await poll(() => console.agentState()).toBe('wrap-up');
    for (const p of [b.problems, agent.problems]) {
      const refused = p.filter((x) => /Content Security Policy|Refused/.test(x));
      expect(refused, refused.join('\n')).toEqual([]);
    }
  });

  it('gives a QA inspector a live wallboard, and names the failed rules in English in the English UI', async () => {
    await createUser(server, 'qa-inspector', 'watcher');
    const b = await signIn('watcher');
    const wall = await new WallboardPage(b.page, server.base).open('brand=zhonghua');
    // The socket admits QA inspectors (it refused them: "disconnected" for good, a minute behind).
    await poll(() => wall.connection()).toBe('online');
    const cti = async (body: Record<string, unknown>) => {
      const r = await inject('POST', '/api/cti/events', bridge, { callId: 'qa-watched', ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };
    await cti({
      type: 'ring',
      brand: 'zhonghua',
      caller: '13900139000',
      agent: { number: '1024', name: '李娜' },
    });
    await poll(() => wall.count('ringing')).toBe('1');
    await cti({ type: 'hangup', by: 'customer', cause: 'no-answer' });
    await poll(() => wall.count('ringing')).toBe('0');

    // The quality tab's top failed rules: the API's Chinese titles in Chinese, English ones in English.
    const dash = await new DashboardsPage(b.page, server.base).open(
      `brand=zhonghua&from=${today}&to=${today}`,
    );
    await dash.tab('质检');
    await poll(async () => (await dash.topRuleTitles()).length).toBeGreaterThan(0);
    expect((await dash.topRuleTitles()).join('\n')).toMatch(/\p{Script=Han}/u);
    await new Layout(b.page).switchLanguage();
    await poll(async () => (await dash.topRuleTitles()).join('\n')).not.toMatch(/\p{Script=Han}/u);
    expect((await dash.topRuleTitles()).every((title) => /\([a-z.-]+\)$/.test(title))).toBe(true);
  });

  it('keeps an agent out of the dashboards and the wallboard', async () => {
    const b = await signIn('lina');
    await b.page.goto(`${server.base}/dashboards`);
    await b.page.getByTestId('no-access').waitFor();
    await b.page.goto(`${server.base}/wallboard`);
    await b.page.getByTestId('no-access').waitFor();
    expect(await b.page.getByRole('menuitem', { name: '看板' }).count()).toBe(0);
  });
});
