// Breaches, automatic and manual escalation, and the notifications they write, on both engines.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import { backfillBreached } from '../../src/db/migrations/2026120301_ticket_breached.ts';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { type Client, client, complaintBody, MIN } from './support.ts';

describe.each(ENGINES)('deadlines and escalation on %s', (engine) => {
  let t: TestApp;
  let agent: Client;
  let lead: Client;
  let director: Client;
  beforeEach(async () => {
    t = await testApp(engine);
    agent = client(t, await signInAs(t, 'agent'));
    lead = client(t, await signInAs(t, 'team-lead'));
    director = client(t, await signInAs(t, 'room-director'));
  });
  afterEach(async () => {
    await t.close();
  });

  const breachMetric = async (deadline: string) =>
    (await t.app.metrics.deadlineBreaches.get()).values.find((v) => v.labels.deadline === deadline)?.value ??
    0;

  it('lists breached tickets per deadline kind, those met late included, apart from those overdue now', async () => {
    // Urgent complaints at 09:00 Friday: first response due 09:30, reply (2 clock hours) 11:00.
    const late = await agent.ok('/api/tickets', complaintBody({ subject: '答复晚了' }));
    await agent.ok('/api/tickets', complaintBody({ subject: '无人受理' }));
    const onTime = await agent.ok('/api/tickets', complaintBody({ subject: '按时答复' }));
    t.clock.set(new Date('2026-11-20T01:10:00Z')); // 09:10
    let a = await agent.ok(`/api/tickets/${late.id}/accept`, { version: late.version });
    const c = await agent.ok(`/api/tickets/${onTime.id}/accept`, { version: onTime.version });
    t.clock.set(new Date('2026-11-20T02:00:00Z')); // 10:00: in time
    await agent.ok(`/api/tickets/${c.id}/replies`, { version: c.version, text: '已核实,正在处理' });
    t.clock.set(new Date('2026-11-20T03:30:00Z')); // 11:30: half an hour late
    a = await agent.ok(`/api/tickets/${a.id}/replies`, { version: a.version, text: '抱歉久等,已处理' });
    expect(a.overdue).toBe(false);
    await t.app.services.tickets.runDeadlineChecks(t.clock.now());

    const subjects = async (query: string) => {
      const r = await lead.get(`/api/tickets?${query}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.items.map((x: { subject: string }) => x.subject).sort();
    };
    expect(await subjects('breached=any')).toEqual(['无人受理', '答复晚了']);
    expect(await subjects('breached=reply')).toEqual(['无人受理', '答复晚了']);
    expect(await subjects('breached=first-response')).toEqual(['无人受理']);
    expect(await subjects('breached=resolution,follow-up')).toEqual([]);
    // Overdue now is its own filter: the complaint replied to late is no longer overdue.
    expect(await subjects('overdue=true')).toEqual(['无人受理']);
    expect(await subjects('breached=reply&overdue=false')).toEqual(['答复晚了']);
    const bad = await lead.get('/api/tickets?breached=late');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.details)).toContain('breached');
    // Tickets stored before the column: the migration's back-fill reads their breaches.
    await sql`update tickets set breached_deadlines = null`.execute(t.store.db);
    expect(await subjects('breached=any')).toEqual([]);
    await backfillBreached(t.store.db);
    expect(await subjects('breached=first-response')).toEqual(['无人受理']);
    expect(await subjects('breached=reply')).toEqual(['无人受理', '答复晚了']);
  });

  it('records each breach once, escalates one level per breach and notifies the people reached', async () => {
    // Urgent complaint at 09:00: first response due 09:30, reply due 11:00. Nobody takes it.
    const c = await agent.ok('/api/tickets', complaintBody());
    const checks = t.app.services.tickets;

    expect(await checks.runDeadlineChecks(new Date('2026-11-20T01:30:00Z'))).toEqual({
      tickets: 0,
      breaches: 0,
      escalations: 0,
    }); // due at 09:30 is still on time at 09:30

    t.clock.set(new Date('2026-11-20T01:31:00Z'));
    expect(await checks.runDeadlineChecks(t.clock.now())).toEqual({
      tickets: 1,
      breaches: 1,
      escalations: 1,
    });
    let got = (await agent.get(`/api/tickets/${c.id}`)).body;
    expect(got).toMatchObject({ level: 'team-lead', version: 2 });
    expect(got.deadlines[0]).toMatchObject({
      kind: 'first-response',
      breachedAt: '2026-11-20T01:30:00.000Z',
    });
    // Once: the same check again records nothing.
    expect(await checks.runDeadlineChecks(t.clock.now())).toMatchObject({ breaches: 0 });
    expect(await breachMetric('first-response')).toBe(1);

    t.clock.set(new Date('2026-11-20T03:01:00Z')); // 11:01: the reply is late too
    expect(await checks.runDeadlineChecks(t.clock.now())).toEqual({
      tickets: 1,
      breaches: 1,
      escalations: 1,
    });
    expect(await checks.runDeadlineChecks(t.clock.now())).toMatchObject({ breaches: 0 });
    got = (await agent.get(`/api/tickets/${c.id}`)).body;
    expect(got).toMatchObject({ level: 'room-director', overdue: true, version: 3 });
    expect(await breachMetric('reply')).toBe(1);
    // The list filters by where a ticket stands on the chain (the back office's level filter).
    const atLevel = async (level: string) =>
      (await director.get(`/api/tickets?level=${level}`)).body.items.map((x: { id: string }) => x.id);
    expect(await atLevel('room-director')).toEqual([c.id]);
    expect(await atLevel('agent,team-lead')).toEqual([]);
    expect((await director.get('/api/tickets?level=boss')).status).toBe(400);

    const history = (await agent.get(`/api/tickets/${c.id}/events`)).body.items;
    expect(history.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'breached',
      'escalated',
      'breached',
      'escalated',
    ]);
    expect(history[4].data).toMatchObject({
      from: 'team-lead',
      to: 'room-director',
      reason: 'breach',
      deadline: 'reply',
    });

    // The room director sees the breach that reached them.
    const inbox = (await director.get('/api/notifications')).body;
    expect(inbox).toMatchObject({ total: 1, unread: 1 });
    expect(inbox.items[0]).toMatchObject({
      ticketId: c.id,
      reason: 'breach',
      to: 'user',
      role: 'room-director',
      readAt: null,
      at: '2026-11-20T03:01:00.000Z',
    });
    expect(inbox.items[0].message).toContain('答复时限已超时');
    expect(inbox.items[0].message).toContain('室主任');
    // The team lead was told at the first breach.
    const leadInbox = (await lead.get('/api/notifications')).body;
    expect(leadInbox.items.map((n: { message: string }) => n.message)).toEqual([
      expect.stringContaining('首次响应时限已超时,现由组长/协调员跟进'),
    ]);
    // The agent (not assigned) was not.
    expect((await agent.get('/api/notifications')).body.total).toBe(0);

    // Marking read: one's own only.
    const id = inbox.items[0].id;
    expect((await lead.post(`/api/notifications/${id}/read`)).status).toBe(404);
    expect((await director.post(`/api/notifications/${id}/read`)).body).toEqual({ marked: 1 });
    const read = (await director.get('/api/notifications')).body;
    expect(read).toMatchObject({ unread: 0, items: [{ readAt: '2026-11-20T03:01:00.000Z' }] });
    expect((await director.get('/api/notifications?unread=true')).body.total).toBe(0);
    expect((await lead.post('/api/notifications/read-all')).body).toEqual({ marked: 1 });

    // The checker's changes are audited as the system's.
    const trail = await auditTrail(t.store.db, 'ticket', c.id);
    expect(trail.map((e) => [e.action, e.actorId])).toEqual([
      ['open', expect.any(String)],
      ['breach-check', 'system:server'],
      ['breach-check', 'system:server'],
    ]);
    expect(trail[2]?.changes).toMatchObject({
      level: { from: 'team-lead', to: 'room-director' },
      breaches: ['reply'],
    });
  });

  it('records a breach with the late action that reveals it, and tells the assignee', async () => {
    let c = await agent.ok('/api/tickets', complaintBody());
    c = await agent.ok(`/api/tickets/${c.id}/accept`, { version: c.version });
    t.clock.set(new Date('2026-11-20T03:20:00Z')); // 11:20, reply due 11:00
    c = await agent.ok(`/api/tickets/${c.id}/replies`, {
      version: c.version,
      text: '抱歉久等',
      channel: 'phone',
    });
    expect(c.deadlines[1]).toMatchObject({
      kind: 'reply',
      state: 'met-late',
      breachedAt: '2026-11-20T03:00:00.000Z',
    });
    expect(c.level).toBe('team-lead');
    expect(await breachMetric('reply')).toBe(1);
    // Already recorded: the checker finds nothing more.
    expect(await t.app.services.tickets.runDeadlineChecks(t.clock.now())).toMatchObject({ breaches: 0 });
    // The agent did it themselves: the team lead is told, not the agent.
    expect((await lead.get('/api/notifications')).body.total).toBe(1);
    expect((await agent.get('/api/notifications')).body.total).toBe(0);

    // A breach found by the checker reaches the assignee too.
    let d = await agent.ok('/api/tickets', complaintBody({ subject: '第二单' }));
    d = await agent.ok(`/api/tickets/${d.id}/accept`, { version: d.version }); // reply due 13:20
    t.clock.set(new Date('2026-11-20T05:21:00Z'));
    await t.app.services.tickets.runDeadlineChecks(t.clock.now());
    const mine = (await agent.get('/api/notifications')).body;
    expect(mine.items).toEqual([
      expect.objectContaining({ ticketId: d.id, reason: 'breach', to: 'user', role: null }),
    ]);
  });

  it('escalates by hand with a reason, up to the complaint desk and no further', async () => {
    let c = await agent.ok('/api/tickets', complaintBody());
    c = await agent.ok(`/api/tickets/${c.id}/accept`, { version: c.version });

    const byAgent = await agent.act(c, 'escalate', { reason: '客户要求找领导' });
    expect(byAgent.status).toBe(403);
    expect((await lead.act(c, 'escalate', {})).body.details[0].path).toBe('body.reason');

    c = await lead.ok(`/api/tickets/${c.id}/escalate`, { version: c.version, reason: '客户要求找领导' });
    expect(c.level).toBe('team-lead');
    c = await lead.ok(`/api/tickets/${c.id}/escalate`, { version: c.version, reason: '涉及理赔金额争议' });
    expect(c.level).toBe('room-director');
    c = await director.ok(`/api/tickets/${c.id}/escalate`, { version: c.version, reason: '转投诉处理岗' });
    expect(c.level).toBe('complaint-desk');
    const top = await director.act(c, 'escalate', { reason: '再升级' });
    expect(top.status).toBe(422);
    expect(top.body.details[0].message).toBe('escalation-at-top');

    const events = (await agent.get(`/api/tickets/${c.id}/events`)).body.items.filter(
      (e: { type: string }) => e.type === 'escalated',
    );
    expect(
      events.map((e: { data: { note: string; reason: string } }) => [e.data.reason, e.data.note]),
    ).toEqual([
      ['manual', '客户要求找领导'],
      ['manual', '涉及理赔金额争议'],
      ['manual', '转投诉处理岗'],
    ]);
    // The assignee heard of each step; the room director of the one that reached them, not of
    // their own press.
    expect((await agent.get('/api/notifications')).body.total).toBe(3);
    const directorInbox = (await director.get('/api/notifications')).body.items;
    expect(directorInbox.map((n: { message: string }) => n.message)).toEqual([
      expect.stringContaining('已升级至室主任:涉及理赔金额争议'),
    ]);
    expect(directorInbox).toHaveLength(1);
    // Nobody had the complaint-desk role yet: the notification waits for whoever gets it.
    const desk = client(t, await signInAs(t, 'complaint-desk'));
    const deskInbox = (await desk.get('/api/notifications')).body.items;
    expect(deskInbox).toEqual([
      expect.objectContaining({ to: 'role', role: 'complaint-desk', reason: 'manual', ticketId: c.id }),
    ]);
  });

  it('checks every due ticket once, in batches', async () => {
    const tickets = t.app.services.tickets;
    for (let i = 0; i < 5; i++) {
      await tickets.open(
        { type: 'callback', reason: 'missed-call', brand: 'zhonghua', customerPhone: `1390000000${i}` },
        { userId: null, ip: null },
      );
      t.clock.advance(MIN);
    }
    // Resolution due 11:00–11:04; at 11:10 all five are late.
    expect(await tickets.runDeadlineChecks(new Date('2026-11-20T03:10:00Z'), 2)).toEqual({
      tickets: 5,
      breaches: 5,
      escalations: 5,
    });
    expect(await tickets.runDeadlineChecks(new Date('2026-11-20T03:10:00Z'), 2)).toMatchObject({
      breaches: 0,
    });
    const queue = (await agent.get('/api/callbacks')).body.items;
    expect(queue.map((c: { level: string }) => c.level)).toEqual(Array(5).fill('team-lead'));
  });

  it('routes an attitude complaint to the room director when it is opened', async () => {
    t.clock.advance(MIN);
    const c = await agent.ok('/api/tickets', complaintBody({ subtype: 'service-attitude' }));
    expect(c.level).toBe('room-director');
    const inbox = (await director.get('/api/notifications')).body.items;
    expect(inbox).toEqual([expect.objectContaining({ reason: 'routed', ticketId: c.id })]);
    expect(inbox[0].message).toContain('已转至室主任处理');

    // A message for a busy colleague goes to the coordinator and to the colleague.
    const colleague = client(t, await signInAs(t, 'agent', 'wang.fang'));
    const colleagueId = (await t.app.services.accounts.listUsers()).find(
      (u) => u.username === 'wang.fang',
    )?.id;
    const m = await agent.ok('/api/tickets', { type: 'message', brand: 'zhonghua', colleague: colleagueId });
    expect(m).toMatchObject({ level: 'team-lead', subject: '留言' });
    expect((await colleague.get('/api/notifications')).body.items).toEqual([
      expect.objectContaining({ ticketId: m.id, message: `工单 ${m.number} 「留言」:有客户留言请您回电` }),
    ]);
    expect((await lead.get('/api/notifications')).body.items[0].ticketId).toBe(m.id);
    const unknown = await agent.post('/api/tickets', {
      type: 'message',
      brand: 'zhonghua',
      colleague: 'nobody',
    });
    expect(unknown.body).toMatchObject({ code: 'validation', details: [{ path: 'body.colleague' }] });
  });
  it('tells the agent the reply a complaint opened now is promised, per priority, as the ticket then gets it', async () => {
    // Friday 09:00 China time: 中华保险 promises 2 / 24 clock hours (seed 000 B.七.5).
    const r = await agent.get('/api/complaint-promise?brand=中华保险');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({
      brand: 'zhonghua',
      at: '2026-11-20T01:00:00.000Z',
      options: [
        { priority: 'urgent', hours: 2, basis: 'calendar', dueAt: '2026-11-20T03:00:00.000Z' },
        { priority: 'standard', hours: 24, basis: 'calendar', dueAt: '2026-11-21T01:00:00.000Z' },
      ],
    });
    for (const option of r.body.options) {
      const c = await agent.ok('/api/tickets', complaintBody({ priority: option.priority }));
      expect(c.deadlines.find((d: { kind: string }) => d.kind === 'reply').dueAt).toBe(option.dueAt);
    }
    const unknown = await agent.get('/api/complaint-promise?brand=nope');
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([expect.objectContaining({ path: 'querystring.brand' })]);
  });
});
