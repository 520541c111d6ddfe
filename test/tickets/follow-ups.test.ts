// The follow-up loop (回访) through the API on both engines: the queue of resolved complaints,
// taking a visit, an attempt that does not reach the customer, a dissatisfied customer
// reopening the complaint at the complaint desk; overdue tickets that keep reminding (once per
// interval, also when the check runs twice at once); the complaint reply in clock hours.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { type Client, client, complaintBody, HOUR, MIN } from './support.ts';

describe.each(ENGINES)('follow-up visits on %s', (engine) => {
  let t: TestApp;
  let agent: Client;
  let colleague: Client;
  let desk: Client;
  beforeEach(async () => {
    t = await testApp(engine);
    agent = client(t, await signInAs(t, 'agent'));
    colleague = client(t, await signInAs(t, 'agent', 'wang.fang'));
    desk = client(t, await signInAs(t, 'complaint-desk'));
  });
  afterEach(async () => {
    await t.close();
  });

  /** A product-quality complaint the agent accepted, replied to and resolved; then nobody's. */
  async function resolvedComplaint() {
    let c = await agent.ok('/api/tickets', complaintBody({ priority: 'standard' }));
    c = await agent.ok(`/api/tickets/${c.id}/accept`, { version: c.version });
    c = await agent.ok(`/api/tickets/${c.id}/start`, { version: c.version });
    c = await agent.ok(`/api/tickets/${c.id}/replies`, { version: c.version, text: '已安排理赔专员处理' });
    t.clock.advance(HOUR);
    c = await agent.ok(`/api/tickets/${c.id}/resolve`, { version: c.version });
    return c;
  }

  it('queues resolved complaints, one person takes a visit, a dissatisfied customer reopens it at the desk', async () => {
    const c = await resolvedComplaint();
    expect(c.deadlines.map((d: { kind: string }) => d.kind)).toContain('follow-up');
    // The complaint reply promise is clock hours: 24 h after 09:00 Friday.
    expect(c.deadlines.find((d: { kind: string }) => d.kind === 'reply')).toMatchObject({
      basis: 'calendar',
      dueAt: '2026-11-21T01:00:00.000Z',
    });
    const queue = (await colleague.get('/api/follow-ups')).body;
    expect(queue.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect(queue.items[0].nextDeadline).toMatchObject({ kind: 'follow-up', state: 'open' });
    // The first agent's own complaint is theirs; give it back to the queue by assigning nobody?
    // No: it stays theirs, and someone else taking it is a conflict.
    expect((await colleague.post(`/api/follow-ups/${c.id}/take`, { version: c.version })).status).toBe(409);
    expect((await agent.get('/api/follow-ups?taken=false')).body.items).toEqual([]);

    // The customer does not answer: an attempt, still in the queue.
    t.clock.advance(2 * HOUR);
    let v = await agent.ok(`/api/tickets/${c.id}/follow-up`, {
      version: c.version,
      reached: false,
      comment: '无人接听',
    });
    expect(v).toMatchObject({ status: 'resolved', followUpAttempts: 1 });
    expect(v.followUps).toEqual([
      {
        at: expect.any(String),
        by: expect.any(String),
        reached: false,
        satisfaction: null,
        comment: '无人接听',
      },
    ]);
    expect((await agent.get('/api/follow-ups')).body.total).toBe(1);

    // A reached visit must say the satisfaction: a clear 400 naming the field.
    const missing = await agent.act(v, 'follow-up', { reached: true });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('satisfaction');

    // Reached, dissatisfied (2 ≤ the default threshold 2): reopened at the complaint desk.
    t.clock.advance(HOUR);
    v = await agent.ok(`/api/tickets/${c.id}/follow-up`, {
      version: v.version,
      reached: true,
      satisfaction: 2,
      comment: '理赔金额有误',
    });
    expect(v).toMatchObject({
      status: 'in-progress',
      level: 'complaint-desk',
      assignee: null,
      followUpAttempts: 0,
    });
    expect(v.availableActions).not.toContain('close');
    // It owes the customer an answer again within the reply allowance (24 clock hours), running.
    const reopenedAt = Date.parse(v.followUps.at(-1).at);
    expect(v.nextDeadline).toMatchObject({
      kind: 'resolution',
      basis: 'calendar',
      state: 'open',
      dueAt: new Date(reopenedAt + 24 * HOUR).toISOString(),
    });
    expect((await agent.get('/api/follow-ups')).body.total).toBe(0);
    const inbox = (await desk.get('/api/notifications')).body;
    expect(inbox.items[0]).toMatchObject({ ticketId: c.id, reason: 'dissatisfied' });
    expect(inbox.items[0].message).toContain('回访不满意(满意度 2/5)');
    const history = (await desk.get(`/api/tickets/${c.id}/events`)).body.items;
    expect(history.at(-1)).toMatchObject({
      type: 'escalated',
      data: { from: 'agent', to: 'complaint-desk', reason: 'dissatisfied' },
    });
    // The agent is no longer its owner: the desk takes it and resolves it; a new visit is due.
    v = await desk.ok(`/api/tickets/${c.id}/assign`, {
      version: v.version,
      assignee: (await t.app.services.accounts.listUsers()).find((u) => u.username === 'complaint-desk')?.id,
    });
    v = await desk.ok(`/api/tickets/${c.id}/resolve`, { version: v.version });
    expect((await agent.get('/api/follow-ups')).body.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    v = await desk.ok(`/api/tickets/${c.id}/follow-up`, { version: v.version, satisfaction: 5 });
    expect(v.status).toBe('follow-up-done');
    v = await desk.ok(`/api/tickets/${c.id}/close`, { version: v.version });
    expect(v.status).toBe('closed');
  });

  it('take: a complaint nobody has becomes yours; the queue filters by taken', async () => {
    const c = await resolvedComplaint();
    // Nobody's again (a supervisor could do this by assigning; here the desk handles the visit).
    const lead = client(t, await signInAs(t, 'team-lead'));
    const leadId = (await t.app.services.accounts.listUsers()).find((u) => u.username === 'team-lead')?.id;
    const given = await lead.ok(`/api/tickets/${c.id}/assign`, { version: c.version, assignee: leadId });
    expect((await colleague.get('/api/follow-ups?taken=true')).body.total).toBe(1);
    expect((await colleague.post(`/api/follow-ups/${c.id}/take`, { version: given.version })).status).toBe(
      409,
    );
    // Not a complaint: not in the follow-up queue.
    const cb = await agent.ok('/api/tickets', { type: 'callback', brand: 'zhonghua', reason: 'promised' });
    expect((await agent.post(`/api/follow-ups/${cb.id}/take`, { version: cb.version })).status).toBe(404);
  });

  it('finds tickets overdue before reminders existed and reminds them, in batches, once', async () => {
    // Three urgent complaints at 09:00 Friday: first response due 09:30, reply (2 clock hours)
    // 11:00. Both breached by 11:01.
    const ids: string[] = [];
    for (const subject of ['旧投诉一', '旧投诉二', '旧投诉三'])
      ids.push((await agent.ok('/api/tickets', complaintBody({ subject }))).id);
    const checks = t.app.services.tickets;
    t.clock.set(new Date('2026-11-20T03:01:00Z'));
    expect((await checks.runDeadlineChecks(t.clock.now())).breaches).toBe(6);
    // As stored before the reminder feature: every breach recorded, no reminder planned, so
    // nothing left for the breach-check walk.
    const db = t.store.db;
    const rows = await sql<{ id: string; data: string }>`select id, data from tickets`.execute(db);
    for (const r of rows.rows) {
      const data = JSON.parse(r.data);
      delete data.nextReminderAt;
      await sql`update tickets set data = ${JSON.stringify(data)}, breach_check_at = null
        where id = ${r.id}`.execute(db);
    }
    const reminders = async () => {
      const lead = client(t, await signInAs(t, 'team-lead')); // sessions run out over a weekend
      const counts: number[] = [];
      for (const id of ids) {
        const history = (await lead.get(`/api/tickets/${id}/events`)).body.items;
        counts.push(history.filter((e: { type: string }) => e.type === 'reminded').length);
      }
      return counts;
    };
    // Monday, nothing having touched them: the sweep (one ticket per batch) finds every one and
    // reminds it once; a second sweep at the same instant sends nothing more.
    t.clock.set(new Date('2026-11-23T02:10:00Z'));
    await checks.runDeadlineChecks(t.clock.now(), 1);
    await checks.runDeadlineChecks(t.clock.now(), 1);
    expect(await reminders()).toEqual([1, 1, 1]);
    // Planned from then on: an hour later the next reminder, through the breach-check walk.
    t.clock.advance(HOUR);
    await checks.runDeadlineChecks(t.clock.now());
    expect(await reminders()).toEqual([2, 2, 2]);
  });

  it('overdue tickets keep reminding every hour, one level further up, once per instant', async () => {
    // Urgent complaint at 09:00 Friday: first response due 09:30 (working hours). Nobody takes it.
    const c = await agent.ok('/api/tickets', complaintBody());
    const checks = t.app.services.tickets;
    t.clock.set(new Date('2026-11-20T01:31:00Z'));
    await checks.runDeadlineChecks(t.clock.now());
    let got = (await agent.get(`/api/tickets/${c.id}`)).body;
    expect(got.level).toBe('team-lead');
    // Past 10:30: still overdue an hour after the breach: reminded, room director.
    t.clock.set(new Date('2026-11-20T02:31:00Z'));
    // Two checkers at once (two processes): one reminder between them.
    await Promise.all([checks.runDeadlineChecks(t.clock.now()), checks.runDeadlineChecks(t.clock.now())]);
    await checks.runDeadlineChecks(t.clock.now());
    got = (await agent.get(`/api/tickets/${c.id}`)).body;
    expect(got.level).toBe('room-director');
    const history = (await agent.get(`/api/tickets/${c.id}/events`)).body.items;
    expect(history.filter((e: { type: string }) => e.type === 'reminded')).toHaveLength(1);
    const director = client(t, await signInAs(t, 'room-director'));
    const notes = (await director.get('/api/notifications')).body.items;
    expect(notes.filter((n: { reason: string }) => n.reason === 'reminder')).toHaveLength(1);
    expect(notes[0].message).toContain('第1次提醒');
    // 10:59: nothing new; past 11:00 the reply deadline's breach (its own notice); past 11:30 the next reminder.
    t.clock.set(new Date('2026-11-20T02:59:00Z'));
    expect((await checks.runDeadlineChecks(t.clock.now())).escalations).toBe(0);
    t.clock.set(new Date('2026-11-20T03:01:00Z'));
    expect(await checks.runDeadlineChecks(t.clock.now())).toMatchObject({ breaches: 1, escalations: 1 });
    t.clock.set(new Date('2026-11-20T03:31:00Z'));
    expect(await checks.runDeadlineChecks(t.clock.now())).toMatchObject({ breaches: 0, escalations: 0 });
    const types = (await agent.get(`/api/tickets/${c.id}/events`)).body.items.map(
      (e: { type: string }) => e.type,
    );
    expect(types.filter((x: string) => x === 'reminded')).toHaveLength(2);
    // Someone acts (the desk accepts): no more reminders for the first response.
    got = (await agent.get(`/api/tickets/${c.id}`)).body;
    expect(got.level).toBe('complaint-desk');
    t.clock.advance(10 * MIN);
    got = await desk.ok(`/api/tickets/${c.id}/accept`, { version: got.version });
  });
});
