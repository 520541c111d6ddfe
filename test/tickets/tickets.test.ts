// Tickets over HTTP on both engines: open, list and read with deadlines, the complaint life
// cycle with its close guard, waiting for the customer, version conflicts, who may do what,
// validation errors and the audit trail.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { type Client, client, complaintBody, HOUR, MIN } from './support.ts';

describe.each(ENGINES)('tickets on %s', (engine) => {
  let t: TestApp;
  let agent: Client;
  beforeEach(async () => {
    t = await testApp(engine);
    agent = client(t, await signInAs(t, 'agent'));
  });
  afterEach(async () => {
    await t.close();
  });

  it('opens a ticket, lists it with filters and pages, and reads it with its deadlines', async () => {
    // Friday 20 November 2026, 09:00 in Shanghai; 中华保险 works 08:00–20:00 every day.
    const opened = await agent.post('/api/tickets', complaintBody());
    expect(opened.status).toBe(201);
    const c = opened.body;
    expect(c).toMatchObject({
      brand: 'zhonghua',
      type: 'complaint',
      status: 'new',
      priority: 'urgent',
      level: 'agent',
      version: 1,
      customerPhone: '13800138000', // dashes dropped
      details: { type: 'complaint', subtype: 'product-quality' },
      availableActions: ['accept'],
      overdue: false,
    });
    expect(
      c.deadlines.map((d: { kind: string; dueAt: string; state: string }) => [d.kind, d.dueAt, d.state]),
    ).toEqual([
      ['first-response', '2026-11-20T01:30:00.000Z', 'open'],
      ['reply', '2026-11-20T03:00:00.000Z', 'open'], // complaintReplyHours.urgent = 2
    ]);
    expect(c.nextDeadline).toMatchObject({ kind: 'first-response', remainingMs: 30 * MIN });

    t.clock.advance(5 * MIN);
    const cb = await agent.post('/api/tickets', {
      type: 'callback',
      brand: 'quanjiale',
      reason: 'promised',
      customerPhone: '13900000001',
    });
    expect(cb.status).toBe(201);
    expect(cb.body).toMatchObject({
      subject: '回拨:已承诺回电',
      details: { type: 'callback', reason: 'promised' },
    });
    t.clock.advance(5 * MIN);
    const sg = await agent.post('/api/tickets', {
      type: 'suggestion',
      brand: '中华保险', // a brand by its name
      department: '理赔部',
      subject: '希望增加夜间理赔热线',
    });
    expect(sg.status).toBe(201);
    expect(sg.body.brand).toBe('zhonghua');

    const all = await agent.get('/api/tickets');
    expect(all.body.total).toBe(3);
    expect(all.body.items.map((x: { id: string }) => x.id)).toEqual([sg.body.id, cb.body.id, c.id]); // newest first
    const byType = await agent.get('/api/tickets?type=complaint,suggestion');
    expect(byType.body.total).toBe(2);
    expect((await agent.get('/api/tickets?brand=quanjiale')).body.items[0].id).toBe(cb.body.id);
    expect((await agent.get('/api/tickets?customerPhone=138 0013 8000')).body.items[0].id).toBe(c.id);
    expect((await agent.get('/api/tickets?status=new,accepted')).body.total).toBe(3);
    expect((await agent.get('/api/tickets?status=closed')).body.total).toBe(0);
    const p1 = await agent.get('/api/tickets?limit=2&offset=0');
    const p2 = await agent.get('/api/tickets?limit=2&offset=2');
    expect([p1.body.items.length, p2.body.items.length, p1.body.total, p2.body.offset]).toEqual([2, 1, 3, 2]);
    expect((await agent.get('/api/tickets?createdFrom=2026-11-20&createdTo=2026-11-20')).body.total).toBe(3);
    expect((await agent.get('/api/tickets?createdTo=2026-11-19')).body.total).toBe(0);
    expect(
      (await agent.get(`/api/tickets?createdFrom=${encodeURIComponent('2026-11-20T09:05:00+08:00')}`)).body
        .total,
    ).toBe(2);
    const byDeadline = await agent.get('/api/tickets?sort=deadline');
    expect(byDeadline.body.items[0].id).toBe(c.id); // due 09:30 first

    // 09:31: the complaint's first response is overdue.
    t.clock.set(new Date('2026-11-20T01:31:00Z'));
    const overdue = await agent.get('/api/tickets?overdue=true');
    expect(overdue.body.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect((await agent.get('/api/tickets?overdue=false')).body.total).toBe(2);
    const got = await agent.get(`/api/tickets/${c.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      overdue: true,
      nextDeadline: { kind: 'first-response', state: 'overdue' },
    });
    expect(got.body.nextDeadline.remainingMs).toBe(-1 * MIN);

    const missing = await agent.get('/api/tickets/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not-found');
  });

  it('answers validation errors with field paths', async () => {
    const bad = await agent.post('/api/tickets', {
      type: 'complaint',
      brand: '',
      subtype: 'rude',
      customerPhone: 'call me',
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation');
    const paths = bad.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.brand', 'body.subtype', 'body.customerPhone']));

    const repair = await agent.post('/api/tickets', {
      type: 'repair',
      brand: 'quanjiale',
      visitWindow: { from: 'tomorrow', to: '2026-11-21T12:00:00+08:00' },
    });
    expect(repair.status).toBe(400);
    expect(repair.body.details.map((d: { path: string }) => d.path)).toContain('body.visitWindow.from');

    const unknownBrand = await agent.post('/api/tickets', complaintBody({ brand: 'acme' }));
    expect(unknownBrand.status).toBe(400);
    expect(unknownBrand.body).toMatchObject({ code: 'validation', details: [{ path: 'body.brand' }] });
    expect(unknownBrand.body.message).toContain('zhonghua');

    const c = await agent.ok('/api/tickets', complaintBody());
    const noVersion = await agent.post(`/api/tickets/${c.id}/accept`, {});
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.details.map((d: { path: string }) => d.path)).toEqual(['body.version']);
    const badQuery = await agent.get('/api/tickets?status=open&limit=0');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['querystring.status.0', 'querystring.limit']),
    );
    const badSatisfaction = await agent.act(c, 'follow-up', { satisfaction: 6 });
    expect(badSatisfaction.body.details.map((d: { path: string }) => d.path)).toEqual(['body.satisfaction']);
  });

  it('runs a complaint through its life cycle; it closes only with a reply and a follow-up visit', async () => {
    const desk = client(t, await signInAs(t, 'complaint-desk'));
    let c = await agent.ok('/api/tickets', complaintBody({ priority: 'standard' }));
    t.clock.advance(10 * MIN);
    c = await agent.ok(`/api/tickets/${c.id}/accept`, { version: c.version });
    expect(c).toMatchObject({ status: 'accepted', assignee: expect.any(String), assigneeName: 'agent' });
    expect(c.deadlines[0]).toMatchObject({ kind: 'first-response', state: 'met' });
    c = await agent.ok(`/api/tickets/${c.id}/start`, { version: c.version });
    t.clock.advance(HOUR);
    c = await agent.ok(`/api/tickets/${c.id}/resolve`, { version: c.version });
    expect(c.status).toBe('resolved');

    // 件件有回音: no reply yet.
    const noReply = await desk.act(c, 'close');
    expect(noReply.status).toBe(422);
    expect(noReply.body.code).toBe('rule-violation');
    expect(noReply.body.details).toEqual([
      { path: 'rule', message: 'reply-required' },
      { path: 'allowed', message: 'reply' },
    ]);
    expect(noReply.body.message).toContain('needs a recorded reply to the customer before it can be closed');
    expect((await agent.act(c, 'follow-up', { satisfaction: 4 })).body.details[0].message).toBe(
      'reply-required',
    );

    c = await agent.ok(`/api/tickets/${c.id}/replies`, {
      version: c.version,
      text: '已为您加急处理理赔,预计三个工作日到账',
      channel: 'phone',
    });
    expect(c.replies).toHaveLength(1);
    expect(c.deadlines[1]).toMatchObject({ kind: 'reply', state: 'met' });
    const noVisit = await desk.act(c, 'close');
    expect(noVisit.status).toBe(422);
    expect(noVisit.body.details[0].message).toBe('follow-up-required');
    expect(noVisit.body.message).toContain('follow-up visit (回访)');

    c = await agent.ok(`/api/tickets/${c.id}/follow-up`, {
      version: c.version,
      satisfaction: 5,
      comment: '满意',
    });
    expect(c).toMatchObject({ status: 'follow-up-done', followUps: [{ satisfaction: 5, comment: '满意' }] });
    expect(c.availableActions).toEqual(['close', 'reopen']);

    // Agents do not close complaints; the complaint desk does.
    const byAgent = await agent.act(c, 'close');
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.message).toContain('complaint desk');
    c = await desk.ok(`/api/tickets/${c.id}/close`, { version: c.version });
    expect(c).toMatchObject({ status: 'closed', closedAt: expect.any(String), availableActions: ['reopen'] });

    // Wrong transitions say what is allowed.
    const again = await desk.act(c, 'start');
    expect(again.status).toBe(422);
    expect(again.body.message).toContain('the allowed actions are: reopen');

    // Reopened with a reason; it needs a new visit after its new resolution.
    expect((await agent.act(c, 'reopen', { reason: '  ' })).body.details[0].path).toBe('body.reason');
    t.clock.advance(HOUR);
    c = await agent.ok(`/api/tickets/${c.id}/reopen`, {
      version: c.version,
      reason: '客户来电表示款项仍未到账',
    });
    expect(c.status).toBe('in-progress');
    c = await agent.ok(`/api/tickets/${c.id}/resolve`, { version: c.version });
    expect((await desk.act(c, 'close')).body.details[0].message).toBe('follow-up-required');

    const history = await agent.get(`/api/tickets/${c.id}/events`);
    expect(history.body.items.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'assigned',
      'status-changed',
      'deadline-met',
      'status-changed',
      'status-changed',
      'replied',
      'deadline-met',
      'status-changed',
      'follow-up-recorded',
      'deadline-met', // the follow-up visit's own deadline (回访时限)
      'status-changed',
      'status-changed',
      'status-changed',
      'deadline-met', // reopened, it owed an answer again within the reply allowance: resolved in time
    ]);
  });

  it('closes other tickets by their own rules', async () => {
    const wrong = await agent.ok('/api/tickets', {
      type: 'wrong-number',
      brand: 'zhonghua',
      customerPhone: '13700000000',
    });
    expect(wrong).toMatchObject({
      subject: '打错电话记录',
      deadlines: [],
      availableActions: ['accept', 'close'],
    });
    expect((await agent.ok(`/api/tickets/${wrong.id}/close`, { version: 1 })).status).toBe('closed');

    let s = await agent.ok('/api/tickets', { type: 'suggestion', brand: 'zhonghua', department: '客服部' });
    s = await agent.ok(`/api/tickets/${s.id}/accept`, { version: s.version });
    s = await agent.ok(`/api/tickets/${s.id}/start`, { version: s.version });
    const noOutcome = await agent.act(s, 'resolve');
    expect(noOutcome.status).toBe(422);
    expect(noOutcome.body.details).toEqual([
      { path: 'rule', message: 'outcome-required' },
      { path: 'allowed', message: 'adopted' },
      { path: 'allowed', message: 'not-adopted' },
    ]);
    // 件件有回音 (seed 004, 000 八): the caller is told what became of the suggestion before it is done.
    const untold = await agent.act(s, 'resolve', { outcome: 'not-adopted' });
    expect(untold.status).toBe(422);
    expect(untold.body.details).toEqual([
      { path: 'rule', message: 'reply-required' },
      { path: 'allowed', message: 'reply' },
      {
        path: 'body.reply',
        message:
          'required: {text, channel}, the reply telling the customer the outcome (this suggestion has none yet)',
      },
    ]);
    expect(untold.body.message).toContain('once the customer has been told its outcome');
    // The reply goes with the resolution, recorded first, in one change.
    const told = '十分抱歉，您在建议中提到的内容要求，我们暂时无法向您提供，请谅解！';
    s = await agent.ok(`/api/tickets/${s.id}/resolve`, {
      version: s.version,
      outcome: 'not-adopted',
      reply: { text: told, channel: 'phone' },
    });
    expect(s).toMatchObject({ status: 'resolved', replies: [{ text: told, channel: 'phone' }] });
    expect(s.details).toMatchObject({ type: 'suggestion', outcome: 'not-adopted' });
    const kinds = (await agent.get(`/api/tickets/${s.id}/events`)).body.items.map(
      (e: { type: string }) => e.type,
    );
    expect(kinds.slice(-2)).toEqual(['replied', 'status-changed']);
    expect((await agent.ok(`/api/tickets/${s.id}/close`, { version: s.version })).status).toBe('closed');

    const tech = await agent.ok('/api/tickets', {
      type: 'technical',
      brand: 'quanjiale',
      subject: '空调不制冷',
    });
    const closeNew = await agent.act(tech, 'close');
    expect(closeNew.status).toBe(422);
    expect(closeNew.body.message).toContain('accept it first');
  });

  it('resolves an accepted ticket whose work is done without pressing start; the history shows the start', async () => {
    let tech = await agent.ok('/api/tickets', {
      type: 'technical',
      brand: 'quanjiale',
      subject: '遥控器失灵',
    });
    tech = await agent.ok(`/api/tickets/${tech.id}/accept`, { version: tech.version });
    expect(tech.availableActions).toEqual(['start', 'resolve']);
    const resolved = await agent.ok(`/api/tickets/${tech.id}/resolve`, { version: tech.version });
    expect(resolved.status).toBe('resolved');
    const history = await agent.get(`/api/tickets/${tech.id}/events`);
    const moves = history.body.items
      .filter((e: { type: string }) => e.type === 'status-changed')
      .map((e: { at: string; data: { from: string; to: string } }) => [e.data.from, e.data.to, e.at]);
    expect(moves.slice(-2)).toEqual([
      ['accepted', 'in-progress', resolved.updatedAt],
      ['in-progress', 'resolved', resolved.updatedAt],
    ]);
  });

  it('stops the deadline clocks while waiting for the customer', async () => {
    let c = await agent.ok('/api/tickets', complaintBody()); // reply due 11:00
    t.clock.advance(10 * MIN);
    c = await agent.ok(`/api/tickets/${c.id}/accept`, { version: c.version });
    c = await agent.ok(`/api/tickets/${c.id}/start`, { version: c.version });
    t.clock.advance(20 * MIN); // 09:30: 90 minutes left on the reply
    c = await agent.ok(`/api/tickets/${c.id}/wait`, { version: c.version, reason: '等客户提供保单号' });
    expect(c).toMatchObject({ status: 'waiting-for-customer', waitingSince: '2026-11-20T01:30:00.000Z' });
    expect(c.deadlines[1]).toMatchObject({ kind: 'reply', state: 'paused', remainingMs: 90 * MIN });

    t.clock.advance(3 * HOUR); // 12:30, past the original 11:00
    const waiting = (await agent.get(`/api/tickets/${c.id}`)).body;
    expect(waiting).toMatchObject({ overdue: false, nextDeadline: { kind: 'reply', state: 'paused' } });
    expect(waiting.deadlines[1]).toMatchObject({ state: 'paused', remainingMs: 90 * MIN });
    expect((await agent.get('/api/tickets?overdue=true')).body.total).toBe(0);
    expect(await t.app.services.tickets.runDeadlineChecks(t.clock.now())).toMatchObject({ breaches: 0 });

    c = await agent.ok(`/api/tickets/${c.id}/start`, { version: c.version }); // back at 12:30
    expect(c.deadlines[1]).toMatchObject({
      state: 'open',
      dueAt: '2026-11-20T06:00:00.000Z', // 14:00: the 3 hours waited added
      pausedMs: 3 * HOUR,
      remainingMs: 90 * MIN,
    });
    expect(c.waitingSince).toBeNull();
  });

  it('refuses a change made on a stale version (409) and keeps the first writer’s change', async () => {
    const lead = client(t, await signInAs(t, 'team-lead'));
    const director = client(t, await signInAs(t, 'room-director'));
    const other = await signInAs(t, 'agent', 'wang.fang');
    const otherId = (await t.app.services.accounts.listUsers()).find((u) => u.username === 'wang.fang')?.id;
    let c = await agent.ok('/api/tickets', complaintBody());
    c = await agent.ok(`/api/tickets/${c.id}/accept`, { version: c.version });
    const seen = c.version;

    // Both supervisors loaded the ticket at the same version.
    const first = await lead.post(`/api/tickets/${c.id}/escalate`, { version: seen, reason: '客户情绪激动' });
    expect(first.status).toBe(200);
    const second = await director.post(`/api/tickets/${c.id}/assign`, { version: seen, assignee: otherId });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'conflict', details: [{ path: 'body.version' }] });
    expect(second.body.message).toContain(`it is at version ${seen + 1}`);
    const stored = (await agent.get(`/api/tickets/${c.id}`)).body;
    expect(stored).toMatchObject({ level: 'team-lead', assignee: c.assignee, version: seen + 1 });

    // Truly at the same time: exactly one of two replies on the same version is stored.
    const same = { version: stored.version, text: '您好,已在处理', channel: 'phone' };
    const [a, b] = await Promise.all([
      agent.post(`/api/tickets/${c.id}/replies`, same),
      agent.post(`/api/tickets/${c.id}/replies`, { ...same, text: '第二条' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const after = (await agent.get(`/api/tickets/${c.id}`)).body;
    expect(after.replies).toHaveLength(1);
    expect(after.version).toBe(stored.version + 1);
    expect(other.cookie).toBeTruthy();
  });

  it('lets agents work their own and unassigned tickets, and see a caller’s history', async () => {
    const colleague = client(t, await signInAs(t, 'agent', 'wang.fang'));
    const qa = client(t, await signInAs(t, 'qa-inspector'));
    let mine = await agent.ok('/api/tickets', complaintBody());
    mine = await agent.ok(`/api/tickets/${mine.id}/accept`, { version: mine.version });
    const pool = await colleague.ok('/api/tickets', {
      type: 'technical',
      brand: 'quanjiale',
      subject: '空调不制冷',
    });

    const touch = await colleague.act(mine, 'start');
    expect(touch.status).toBe(403);
    expect(touch.body.message).toContain('an agent works only on their own tickets or unassigned ones');
    // The colleague's list: their own and the unassigned pool, not mine…
    const listed = await colleague.get('/api/tickets');
    expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([pool.id]);
    // …unless they look the caller up.
    expect((await colleague.get('/api/tickets?customerPhone=13800138000')).body.total).toBe(1);
    expect((await qa.get('/api/tickets')).body.total).toBe(2);
    expect((await qa.get(`/api/tickets/${mine.id}`)).status).toBe(200);
    const qaWrites = await qa.post('/api/tickets', complaintBody());
    expect(qaWrites.status).toBe(403);
    expect((await agent.get('/api/tickets?assignee=me')).body.items.map((x: { id: string }) => x.id)).toEqual(
      [mine.id],
    );
    expect((await qa.get('/api/tickets?assignee=none')).body.items.map((x: { id: string }) => x.id)).toEqual([
      pool.id,
    ]);
  });

  it('writes an audit entry for every change, with who, when, what and from where', async () => {
    const desk = client(t, await signInAs(t, 'complaint-desk'));
    let c = await agent.ok('/api/tickets', complaintBody());
    t.clock.advance(MIN);
    c = await agent.ok(`/api/tickets/${c.id}/accept`, { version: c.version });
    c = await agent.ok(`/api/tickets/${c.id}/start`, { version: c.version });
    c = await agent.ok(`/api/tickets/${c.id}/wait`, { version: c.version });
    c = await agent.ok(`/api/tickets/${c.id}/replies`, {
      version: c.version,
      text: '已处理',
      channel: 'sms',
    });
    c = await agent.ok(`/api/tickets/${c.id}/resolve`, { version: c.version });
    c = await agent.ok(`/api/tickets/${c.id}/follow-up`, {
      version: c.version,
      satisfaction: 3,
      comment: '一般',
    });
    c = await desk.ok(`/api/tickets/${c.id}/close`, { version: c.version });
    c = await desk.ok(`/api/tickets/${c.id}/reopen`, { version: c.version, reason: '客户不认可' });
    c = await desk.ok(`/api/tickets/${c.id}/escalate`, { version: c.version, reason: '重大投诉' });
    const refused = await desk.act({ ...c, version: 1 }, 'assign', { assignee: c.assignee });
    expect(refused.status).toBe(409);

    const trail = await auditTrail(t.store.db, 'ticket', c.id);
    expect(trail.map((e) => e.action)).toEqual([
      'open',
      'accept',
      'start',
      'wait',
      'reply',
      'resolve',
      'follow-up',
      'close',
      'reopen',
      'escalate',
    ]);
    const users = await t.app.services.accounts.listUsers();
    const idOf = (name: string) => users.find((u) => u.username === name)?.id;
    expect(trail[0]).toMatchObject({
      actorId: idOf('agent'),
      actorIp: '127.0.0.1',
      at: '2026-11-20T01:00:00.000Z',
      changes: { type: 'complaint', brand: 'zhonghua', priority: 'urgent' },
    });
    expect(trail[1]?.changes).toMatchObject({
      status: { from: 'new', to: 'accepted' },
      assignee: { from: null, to: idOf('agent') },
      version: { from: 1, to: 3 },
    });
    expect(trail[4]?.changes).toMatchObject({ replies: { from: 0, to: 1 }, channel: 'sms', text: '已处理' });
    expect(trail[6]?.changes).toMatchObject({ satisfaction: 3, comment: '一般' });
    expect(trail[7]).toMatchObject({
      actorId: idOf('complaint-desk'),
      changes: { status: { to: 'closed' } },
    });
    expect(trail[8]?.changes).toMatchObject({
      reason: '客户不认可',
      status: { from: 'closed', to: 'in-progress' },
    });
    expect(trail[9]?.changes).toMatchObject({
      level: { from: 'agent', to: 'team-lead' },
      reason: '重大投诉',
    });
  });
});
