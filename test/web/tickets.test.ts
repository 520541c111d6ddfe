// The ticket screens in Chromium, each step by the role that does it: a complaint breaches
// (the team lead is told live), the team lead escalates it, the room director works it
// (accept, reply, resolve, follow-up visit with satisfaction), the complaint desk closes it;
// an agent sees the buttons of their role disabled with the reason; a stale version says
// "someone changed this".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../support/app.ts';
import { complaintBody } from '../tickets/support.ts';
import { createUser, missingForBrowserTests, startServer, type WebServer } from './harness.ts';
import { CustomersPage } from './pages/customers-page.ts';
import { Layout } from './pages/layout.ts';
import { signedInBrowser } from './pages/login-page.ts';
import { TicketDetailPage } from './pages/ticket-detail-page.ts';
import { TicketListPage } from './pages/ticket-list-page.ts';

const missing = missingForBrowserTests();

interface TicketBody {
  id: string;
  version: number;
  number: string;
  deadlines: { kind: string; dueAt: string }[];
}

describe.skipIf(missing !== undefined)('tickets in the back office, in Chromium', () => {
  let server: WebServer;
  let agent: Session;
  let lead: Session;
  beforeAll(async () => {
    server = await startServer();
    // Inside zhonghua's working day (08:00–20:00 Shanghai), so that the urgent complaint's first
    // response (0.5 working hours) falls before its reply (2 clock hours), whatever the hour the
    // test runs: else both breach at once. Forward only (the browser's cookies).
    const now = server.t.clock.now().getTime();
    const shanghaiHour = new Date(now + 8 * 3_600_000).getUTCHours();
    if (shanghaiHour < 8 || shanghaiHour >= 17) {
      let at = Date.UTC(
        new Date(now).getUTCFullYear(),
        new Date(now).getUTCMonth(),
        new Date(now).getUTCDate(),
        2,
      );
      while (at <= now) at += 86_400_000; // 10:00 Shanghai
      server.t.clock.set(new Date(at));
    }
    agent = await createUser(server, 'agent', 'agent');
    lead = await createUser(server, 'team-lead', 'lead');
    await createUser(server, 'room-director', 'director');
    await createUser(server, 'complaint-desk', 'desk');
  });
  afterAll(async () => {
    await server?.close();
  });

  const api = async (session: Session, method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await server.t.app.inject({
      method,
      url,
      headers: session.headers,
      ...(payload ? { payload } : {}),
    });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };

  const signedIn = (username: string) => signedInBrowser(server.base, username);

  it('breached, escalated, worked and closed after a follow-up visit, each step by its role', async () => {
    const opened = (await api(
      agent,
      'POST',
      '/api/tickets',
      complaintBody({ subject: '理赔进度太慢（流程）' }),
    )) as TicketBody;

    // The team lead is looking at the list when the first response deadline passes.
    const leadBrowser = await signedIn('lead');
    const leadLayout = new Layout(leadBrowser.page);
    const list = await new TicketListPage(leadBrowser.page, server.base).open();
    expect(await leadLayout.unreadCount()).toBe(0);
    const due = opened.deadlines.find((d) => d.kind === 'first-response')?.dueAt as string;
    server.t.clock.set(new Date(Date.parse(due) + 60_000));
    const checked = await server.t.app.services.tickets.runDeadlineChecks(server.t.clock.now());
    expect(checked).toMatchObject({ breaches: 1, escalations: 1 });
    // Pushed to the open page (SSE): the badge counts it without a reload.
    await expect.poll(() => leadLayout.unreadCount(), { timeout: 20_000 }).toBe(1);

    // Breached tickets only: this one.
    await list.choose('breached', '任一时限超时');
    await expect.poll(() => list.subjects()).toEqual(['理赔进度太慢（流程）']);
    // Its short number under the subject, the one an agent reads out to the caller.
    expect(await list.numbers()).toEqual([opened.number]);
    expect(opened.number).toMatch(/^ZH-\d{8}-\d{4}$/);
    await list.openTicket('理赔进度太慢（流程）');
    const leadView = new TicketDetailPage(leadBrowser.page, server.base);
    expect(await leadView.level()).toBe('组长');
    const first = await leadView.deadline('first-response');
    expect(first.state).toBe('overdue');
    expect(first.text).toContain('已超时');
    // Shown in the brand's zone (Shanghai), not the browser's (London).
    const shanghai = new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(due));
    expect(first.text).toContain(shanghai);
    await leadView.perform('escalate', { reason: '客户第三次来电，需室主任跟进' });
    expect(await leadView.level()).toBe('室主任');

    // The room director works it.
    const director = await signedIn('director');
    const view = await new TicketDetailPage(director.page, server.base).open(opened.id);
    expect(await view.availability('close')).toMatchObject({ enabled: false });
    await view.perform('accept');
    expect(await view.status()).toBe('已受理');
    await view.perform('start');
    await view.perform('reply', { text: '已为您加急处理理赔，预计三个工作日到账' });
    expect((await view.deadline('reply')).state).toMatch(/^met/);
    await view.perform('resolve');
    expect(await view.status()).toBe('已解决');
    await view.perform('follow-up', { satisfaction: 4, comment: '客户表示满意' });
    expect(await view.status()).toBe('已回访');
    await expect
      .poll(async () => director.page.getByTestId('ticket-follow-ups').textContent())
      .toContain('客户表示满意');

    // The agent who opened it may see it, but not close a complaint nor escalate.
    const agentBrowser = await signedIn('agent');
    const agentView = await new TicketDetailPage(agentBrowser.page, server.base).open(opened.id);
    expect(await agentView.availability('close')).toEqual({
      enabled: false,
      reason: '投诉工单只能由投诉处理岗或组长及以上关闭',
    });
    expect(await agentView.availability('escalate')).toEqual({
      enabled: false,
      reason: '您的角色（坐席）无权执行此操作',
    });
    // Who did what, by name, although an agent may not list the users; the checker is 系统.
    const seen = await agentView.history();
    expect(seen.length).toBeGreaterThan(5);
    // A deadline met by the director's reply names nobody (not 系统: the checker did not do it).
    for (const h of seen)
      expect(h.type === 'deadline-met' ? [''] : ['agent', 'lead', 'director', '系统']).toContain(h.by);
    expect(seen.filter((h) => h.type === 'deadline-met').length).toBeGreaterThan(0);
    expect(seen.find((h) => h.type === 'breached')?.by).toBe('系统');
    expect(seen.find((h) => h.type === 'created')?.by).toBe('agent');
    expect(seen.filter((h) => h.type === 'escalated').map((h) => h.by)).toEqual(['系统', 'lead']);
    const assigned = seen.find((h) => h.type === 'assigned');
    expect(assigned?.by).toBe('director');
    expect(assigned?.text).toContain('— → director');

    // The complaint desk closes it.
    const desk = await signedIn('desk');
    const deskView = await new TicketDetailPage(desk.page, server.base).open(opened.id);
    if (process.env.HUASHU_WEB_SCREENSHOT)
      await desk.page.screenshot({ path: process.env.HUASHU_WEB_SCREENSHOT, fullPage: true });
    await deskView.perform('close');
    expect(await deskView.status()).toBe('已关闭');
    const history = await deskView.historyTypes();
    expect(history).toEqual(
      expect.arrayContaining(['created', 'breached', 'escalated', 'replied', 'follow-up-recorded']),
    );
    expect(history.filter((h) => h === 'escalated')).toHaveLength(2); // the breach's and the team lead's
    expect(history.at(-1)).toBe('status-changed');
  });

  it('says "someone changed this; reload" when the ticket changed since it was shown, and saves nothing', async () => {
    const opened = (await api(
      agent,
      'POST',
      '/api/tickets',
      complaintBody({ subject: '版本冲突' }),
    )) as TicketBody;
    const b = await signedIn('lead');
    const view = await new TicketDetailPage(b.page, server.base).open(opened.id);
    expect(await view.version()).toBe(1);
    // Someone else escalates it meanwhile.
    await api(lead, 'POST', `/api/tickets/${opened.id}/escalate`, { version: 1, reason: '他人先处理' });
    await view.button('accept').click();
    await view.conflict().waitFor();
    expect(await view.conflict().textContent()).toContain('有人已修改此工单');
    expect(await view.status()).toBe('新建');
    await view.reloadAfterConflict();
    expect(await view.version()).toBe(2);
    expect(await view.level()).toBe('组长');
    // Now it goes through.
    await view.perform('accept');
    expect(await view.status()).toBe('已受理');
  });

  it('keeps a reply typed when its send is refused as stale, and sends it on the reloaded version without undoing the other change', async () => {
    let opened = (await api(
      agent,
      'POST',
      '/api/tickets',
      complaintBody({ subject: '冲突后重发答复' }),
    )) as TicketBody;
    opened = (await api(lead, 'POST', `/api/tickets/${opened.id}/accept`, {
      version: opened.version,
    })) as TicketBody;
    const b = await signedIn('lead');
    const view = await new TicketDetailPage(b.page, server.base).open(opened.id);
    await view.startTyping('reply', { text: '已为您申请加急，两个工作日内回电' });
    // Someone else starts work on it meanwhile.
    await api(lead, 'POST', `/api/tickets/${opened.id}/start`, { version: opened.version });
    await view.send();
    await view.dialogConflict().waitFor();
    expect(await view.typed('text')).toBe('已为您申请加急，两个工作日内回电');
    expect(await view.dialogSendEnabled()).toBe(false);
    await view.reloadInDialog();
    expect(await view.typed('text')).toBe('已为您申请加急，两个工作日内回电');
    expect(await view.status()).toBe('处理中');
    await view.send();
    await expect.poll(() => view.typed('text')).toBe('');
    const now = (await api(lead, 'GET', `/api/tickets/${opened.id}`)) as {
      status: string;
      replies: { text: string }[];
    };
    expect(now.status).toBe('in-progress');
    expect(now.replies.map((r) => r.text)).toEqual(['已为您申请加急，两个工作日内回电']);
  });

  it('refuses an escalation or an assignment that someone else made first, saying what changed, and sends neither', async () => {
    let opened = (await api(
      agent,
      'POST',
      '/api/tickets',
      complaintBody({ subject: '升级冲突' }),
    )) as TicketBody & {
      level: string;
    };
    const b = await signedIn('lead');
    const view = await new TicketDetailPage(b.page, server.base).open(opened.id);
    await view.startTyping('escalate', { reason: '客户要求组长回电' });
    // Meanwhile someone else escalates it one level.
    opened = (await api(lead, 'POST', `/api/tickets/${opened.id}/escalate`, {
      version: opened.version,
      reason: '他人先升级',
    })) as typeof opened;
    await view.send();
    await view.dialogConflict().waitFor();
    await view.reloadInDialog();
    expect(await view.dialogRefusal()).toContain('已被他人升级至');
    expect(await view.dialogSendEnabled()).toBe(false);
    expect(await view.typed('reason')).toBe('客户要求组长回电');
    const after = (await api(lead, 'GET', `/api/tickets/${opened.id}`)) as { level: string; version: number };
    expect(after).toMatchObject({ level: opened.level, version: opened.version });

    // Assign: the dialog opened on nobody's ticket; meanwhile it is given to the agent.
    await b.page.keyboard.press('Escape');
    await b.page.locator('.ant-modal:visible').waitFor({ state: 'detached' });
    await view.button('assign').click();
    await view.chooseAssignee('lead (lead)');
    const users = await server.t.app.services.accounts.listUsers();
    const directorId = users.find((u) => u.username === 'director')?.id;
    await api(lead, 'POST', `/api/tickets/${opened.id}/assign`, {
      version: opened.version,
      assignee: directorId,
    });
    await view.send();
    await view.dialogConflict().waitFor();
    await view.reloadInDialog();
    expect(await view.dialogRefusal()).toContain('已被他人分派给 director');
    expect(await view.dialogSendEnabled()).toBe(false);
    const assigned = (await api(lead, 'GET', `/api/tickets/${opened.id}`)) as { assignee: string };
    expect(assigned.assignee).toBe(directorId);
  });

  it('shows a description one line per line, as the console writes it (one turn a line)', async () => {
    const opened = (await api(agent, 'POST', '/api/tickets', {
      ...complaintBody({ subject: '多行描述' }),
      description: '坐席：您好，中华保险\n客户：我要投诉理赔太慢',
    })) as TicketBody;
    const b = await signedIn('lead');
    const view = await new TicketDetailPage(b.page, server.base).open(opened.id);
    expect(await view.description()).toBe('坐席：您好，中华保险\n客户：我要投诉理赔太慢');
  });

  it('filters the list by type, level and "assigned to me"', async () => {
    const visit = server.t.clock.now().getTime() + 24 * 3_600_000;
    await api(agent, 'POST', '/api/tickets', {
      type: 'repair',
      brand: 'zhonghua',
      subject: '空调不制冷',
      customerPhone: '13900139000',
      visitWindow: { from: new Date(visit).toISOString(), to: new Date(visit + 7_200_000).toISOString() },
    });
    const b = await signedIn('agent');
    const list = await new TicketListPage(b.page, server.base).open();
    await expect
      .poll(() => list.subjects())
      .toEqual(expect.arrayContaining(['理赔进度太慢（流程）', '空调不制冷']));
    await list.choose('type', '投诉');
    await expect.poll(() => list.subjects()).not.toContain('空调不制冷');
    await list.choose('level', '室主任');
    await expect.poll(() => list.subjects()).toEqual(['理赔进度太慢（流程）']);
    await list.toggleMine();
    // The agent has none of them (the director took it).
    await expect.poll(() => list.subjects()).toEqual([]);
    expect(b.page.url()).toContain('mine=true');

    // A caller reads out their ticket number: typed as said (lower case, no leading zeros), only
    // that ticket, whatever the other filters; cleared, the filters are back.
    await list.open();
    await expect.poll(async () => (await list.numbers()).length).toBeGreaterThanOrEqual(2);
    const all = await list.subjects();
    const [first] = await list.numbers();
    const target = all[0];
    const spoken = (first ?? '').toLowerCase().replace(/-0+(\d)/, '-$1');
    await list.searchNumber(spoken);
    await expect.poll(() => list.subjects()).toEqual([target]);
    expect(b.page.url()).toContain(`number=${encodeURIComponent(spoken)}`);
    await list.searchNumber('');
    await expect.poll(() => list.subjects()).toEqual(all);

    // Breached, per deadline: the complaint of the first test missed its first response and
    // was closed since; it is no longer overdue, and a breach all the same.
    await list.open();
    await list.choose('breached', '首次响应超时');
    await expect.poll(() => list.subjects()).toEqual(['理赔进度太慢（流程）']);
    expect(b.page.url()).toContain('breached=first-response');
    await list.toggleOverdue();
    await expect.poll(() => list.subjects()).toEqual([]);
    expect(b.page.url()).toContain('overdue=true');
  });

  it('finds tickets by words in either script, the customer’s name or part of the number, with the filters', async () => {
    await api(agent, 'POST', '/api/tickets', {
      ...complaintBody({ subject: '退費投訴（搜索）', customerPhone: '13766661234' }),
      description: '客戶要求退還保費',
    });
    await api(agent, 'POST', '/api/tickets', {
      type: 'suggestion',
      brand: 'zhonghua',
      department: '财务部',
      subject: '建议简化退费流程（搜索）',
      customerPhone: '13755550000',
    });
    const desk = await createUser(server, 'complaint-desk', 'desk');
    await api(desk, 'POST', '/api/customers', { phone: '13755550000', surname: '歐陽', title: '先生' });
    const b = await signedIn('desk');
    const list = await new TicketListPage(b.page, server.base).open();
    // Simplified words find the Traditional subject and description, and the other way round.
    await list.search('退费');
    await expect.poll(() => list.subjects()).toEqual(['建议简化退费流程（搜索）', '退費投訴（搜索）']);
    expect(b.page.url()).toContain(`q=${encodeURIComponent('退费')}`);
    await list.search('退还保费');
    await expect.poll(() => list.subjects()).toEqual(['退費投訴（搜索）']);
    await list.search('歐陽先生');
    await expect.poll(() => list.subjects()).toEqual(['建议简化退费流程（搜索）']);
    await list.search('1234');
    await expect.poll(() => list.subjects()).toEqual(['退費投訴（搜索）']);
    // With a filter beside it: only the words' tickets of that type.
    await list.search('退費');
    await list.choose('type', '建议');
    await expect.poll(() => list.subjects()).toEqual(['建议简化退费流程（搜索）']);
    // A search too long to take says what is expected instead of showing nothing.
    await list.search('退'.repeat(120));
    await expect.poll(() => list.error()).toContain('100');
    await list.search('');
    await expect.poll(() => list.error()).toBeNull();
  });

  // Last: its tickets (an attitude complaint, a suggestion) would change the lists above.
  it('shows what a complaint is about and where a suggestion went; the number opens the customer’s tickets', async () => {
    // No call stored for this number: nobody recorded the customer, their tickets are still theirs.
    const phone = '13700137123';
    const complaint = (await api(agent, 'POST', '/api/tickets', {
      ...complaintBody({ subject: '坐席挂断电话', subtype: 'service-attitude', customerPhone: phone }),
      aboutAgentNumber: '2077',
      contactPhone: '13912345678',
    })) as TicketBody;
    const suggestion = (await api(agent, 'POST', '/api/tickets', {
      type: 'suggestion',
      brand: 'zhonghua',
      subject: '希望增加微信查询',
      department: '产品部',
      customerPhone: phone,
    })) as TicketBody;
    const b = await signedIn('desk');
    const view = await new TicketDetailPage(b.page, server.base).open(complaint.id);
    expect(await view.field('subtype')).toBe('服务态度');
    expect(await view.field('about')).toBe('工号 2077');
    // The number the caller asked to be called back on, beside theirs.
    expect(await b.page.getByTestId('ticket-contact').textContent()).toBe('139 1234 5678');
    await view.open(suggestion.id);
    expect(await view.field('department')).toBe('产品部');
    // None given: the caller's own, not repeated.
    expect(await b.page.getByTestId('ticket-contact').count()).toBe(0);
    expect(await view.field('outcome')).toBe('—');
    // Resolving a suggestion asks for its outcome before anything is sent.
    await view.perform('accept');
    await view.perform('start');
    const before = await view.version();
    await view.button('resolve').click();
    const dialog = b.page.locator('.ant-modal:visible');
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    await dialog.locator('.ant-form-item-explain-error').first().waitFor();
    expect(await view.version()).toBe(before);
    await dialog.locator('.ant-modal-footer .ant-btn:not(.ant-btn-primary)').click();
    // Resolved with its outcome and the reply that tells the caller what became of it (件件有回音):
    // the seed's line for the outcome is filled in, and recorded with the resolution.
    await view.button('resolve').click();
    await view.chooseOutcome('未采纳');
    expect(await view.typedReply()).toContain('十分抱歉，您在建议中提到的内容要求，我们暂时无法向您提供');
    await view.send();
    await b.page.locator(`[data-testid=ticket-detail]:not([data-version="${before}"])`).waitFor();
    expect(await view.field('outcome')).toBe('未采纳');
    expect(await view.replies()).toContain('十分抱歉，您在建议中提到的内容要求');
    // The agent a complaint is about reads it; its buttons say why they are not theirs.
    const aboutAgent = (await api(lead, 'POST', '/api/tickets', {
      ...complaintBody({ subject: '坐席1024态度差', customerPhone: phone }),
      aboutAgentNumber: '1024',
    })) as TicketBody;
    const a = await signedIn('agent');
    const theirs = await new TicketDetailPage(a.page, server.base).open(aboutAgent.id);
    expect(await theirs.field('about')).toBe('工号 1024');
    expect(await theirs.availability('accept')).toEqual({
      enabled: false,
      reason: '这是针对您的投诉：您可以查看，不能处理',
    });
    // The number links to its calls and tickets.
    await view.openCustomer();
    const customers = new CustomersPage(b.page, server.base);
    expect((await customers.historyTickets()).sort()).toEqual(
      ['坐席挂断电话', '希望增加微信查询', '坐席1024态度差'].sort(),
    );
    // Each with the number the caller reads out and its type.
    const bySubject = (rows: { number: string; type: string; subject: string }[]) =>
      Object.fromEntries(rows.map((r) => [r.subject, [r.number, r.type]]));
    expect(bySubject(await customers.historyTicketRows())).toEqual({
      坐席挂断电话: [complaint.number, '投诉'],
      希望增加微信查询: [suggestion.number, '建议'],
      坐席1024态度差: [aboutAgent.number, '投诉'],
    });
    // And a whole number searched on the customers screen opens the same, record or none.
    await customers.open();
    await customers.search('137-0013-7123');
    await customers.numberHistory();
    expect(await customers.historyTickets()).toHaveLength(3);
  });
});
