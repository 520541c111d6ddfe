// Who may be given a ticket and who may accept it, on both engines: only someone who may work
// it at its level (never a QA inspector or an admin account), and never the agent a complaint
// is about, who is recorded on the complaint (from the call's agent, or given) and may change
// nothing on it.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postCall } from '../calls/fixtures.ts';
import { agentWithNumber } from '../cti/bridge.ts';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { type Client, client, complaintBody } from './support.ts';

describe.each(ENGINES)('ticket assignment and acceptance on %s', (engine) => {
  let t: TestApp;
  let lina: Client; // agent, 工号 1024
  let wang: Client; // agent, 工号 2048
  let lead: Client;
  let director: Client;
  let desk: Client;
  let ids: Record<string, string>;
  beforeEach(async () => {
    t = await testApp(engine);
    lina = client(t, await signInAs(t, 'agent'));
    wang = client(t, await agentWithNumber(t, 'wang', '2048'));
    lead = client(t, await signInAs(t, 'team-lead'));
    director = client(t, await signInAs(t, 'room-director'));
    desk = client(t, await signInAs(t, 'complaint-desk'));
    await signInAs(t, 'qa-inspector');
    await signInAs(t, 'admin');
    ids = Object.fromEntries((await t.app.services.accounts.listUsers()).map((u) => [u.username, u.id]));
  });
  afterEach(async () => {
    await t.close();
  });

  const refusedWith = (r: {
    status: number;
    body: { code: string; message: string; details: unknown[] };
  }) => ({
    status: r.status,
    code: r.body.code,
    rule: (r.body.details as { path: string; message: string }[]).find((d) => d.path === 'rule')?.message,
  });

  it('never gives a ticket to a QA inspector or an admin, and lets an agent give one only to themselves', async () => {
    // The attack: an agent opens a ticket assigned to the QA inspector.
    const byAgent = await lina.post('/api/tickets', complaintBody({ assignee: ids['qa-inspector'] }));
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.details).toEqual([{ path: 'body.assignee', message: 'not you' }]);
    expect((await lina.post('/api/tickets', complaintBody({ assignee: ids.wang }))).status).toBe(403);
    const own = await lina.ok('/api/tickets', complaintBody({ assignee: ids.agent }));
    expect(own.assignee).toBe(ids.agent);

    // A supervisor cannot either, whether opening or assigning.
    const opened = await lead.post('/api/tickets', complaintBody({ assignee: ids['qa-inspector'] }));
    expect(refusedWith(opened)).toEqual({ status: 422, code: 'rule-violation', rule: 'not-eligible' });
    expect(opened.body.message).toContain('QA inspector');
    const c = await lead.ok('/api/tickets', complaintBody());
    const toQa = await lead.act(c, 'assign', { assignee: ids['qa-inspector'] });
    expect(refusedWith(toQa)).toEqual({ status: 422, code: 'rule-violation', rule: 'not-eligible' });
    const toAdmin = await lead.act(c, 'assign', { assignee: ids.admin });
    expect(refusedWith(toAdmin).rule).toBe('not-eligible');
    expect(toAdmin.body.message).toContain('admin account');
    expect((await lead.get(`/api/tickets/${c.id}`)).body).toMatchObject({ assignee: null, version: 1 });
    expect((await lead.act(c, 'assign', { assignee: ids.wang })).status).toBe(200);
  });

  it('lets only the room director and the complaint desk accept a complaint routed to the room director', async () => {
    const attitude = await lina.ok('/api/tickets', complaintBody({ subtype: 'service-attitude' }));
    expect(attitude.level).toBe('room-director');
    // The attack: any agent accepts it (and so owns it).
    const byAgent = await lina.act(attitude, 'accept');
    expect(refusedWith(byAgent)).toEqual({ status: 422, code: 'rule-violation', rule: 'not-eligible' });
    expect(byAgent.body.message).toBe(
      'this ticket is at the room director level, and an agent may not take it on: leave it to a room director or complaint desk to accept, or ask a supervisor to assign it to one',
    );
    expect(refusedWith(await lead.act(attitude, 'accept')).rule).toBe('not-eligible');
    expect(refusedWith(await director.act(attitude, 'assign', { assignee: ids.wang })).rule).toBe(
      'not-eligible',
    );
    expect((await lina.get(`/api/tickets/${attitude.id}`)).body).toMatchObject({
      status: 'new',
      assignee: null,
    });
    const accepted = await desk.ok(`/api/tickets/${attitude.id}/accept`, { version: attitude.version });
    expect(accepted).toMatchObject({ status: 'accepted', assignee: ids['complaint-desk'] });

    // A message for a colleague is routed to the coordinator, who passes it to that colleague.
    const message = await lina.ok('/api/tickets', {
      type: 'message',
      brand: 'zhonghua',
      colleague: ids.wang,
    });
    expect(refusedWith(await lead.act(message, 'assign', { assignee: ids.agent })).rule).toBe('not-eligible');
    expect((await lead.act(message, 'assign', { assignee: ids.wang })).status).toBe(200);
  });

  it("records the agent a complaint is about as chosen, never the call's agent by default; that agent never owns or works it", async () => {
    const res = await postCall(t, (await signInAs(t, 'qa-inspector')).headers, { id: 'rude', agent: '1024' });
    expect(res.statusCode, res.body).toBe(201);
    // Opened from 李娜's call after the hang-up, about the product: about nobody, and she may take it.
    const product = await lina.ok('/api/tickets', complaintBody({ callId: 'rude' }));
    expect(product.details).toEqual({
      type: 'complaint',
      subtype: 'product-quality',
      aboutAgentNumber: null,
      aboutUserId: null,
    });
    expect((await lina.act(product, 'accept')).status).toBe(200);
    // About the agent of the call, chosen so.
    let c = await wang.ok('/api/tickets', complaintBody({ callId: 'rude', aboutAgentNumber: '1024' }));
    expect(c.details).toEqual({
      type: 'complaint',
      subtype: 'product-quality',
      aboutAgentNumber: '1024',
      aboutUserId: ids.agent,
    });
    const stored = await sql<{ about_agent_number: string; about_user_id: string }>`
      select about_agent_number, about_user_id from tickets where id = ${c.id}`.execute(t.store.db);
    expect(stored.rows).toEqual([{ about_agent_number: '1024', about_user_id: ids.agent }]);

    // 李娜 cannot accept it, nor be given it; a colleague can.
    const self = await lina.act(c, 'accept');
    expect(self.status).toBe(403);
    expect(self.body.message).toContain('this complaint is about you (工号 1024)');
    const given = await lead.act(c, 'assign', { assignee: ids.agent });
    expect(refusedWith(given)).toEqual({ status: 422, code: 'rule-violation', rule: 'subject-of-complaint' });
    expect(given.body.message).toContain('about 工号 1024');
    c = await wang.ok(`/api/tickets/${c.id}/accept`, { version: c.version });
    expect(c.assignee).toBe(ids.wang);
    expect((await lina.get(`/api/tickets/${c.id}`)).status).toBe(200); // reading is fine
  });

  it('shows the agent a complaint is about what happened to it, but not who recorded it or who works it', async () => {
    const users = await t.app.services.accounts.listUsers();
    const nameOf = (id: string) => users.find((u) => u.id === id)?.displayName as string;
    let c = await wang.ok('/api/tickets', complaintBody({ aboutAgentNumber: '1024' }));
    c = await lead.ok(`/api/tickets/${c.id}/escalate`, { version: c.version, reason: '客户要求主任处理' });
    c = await lead.ok(`/api/tickets/${c.id}/assign`, { version: c.version, assignee: ids['team-lead'] });
    const people = [ids.wang, ids['team-lead']] as string[];

    // Their colleagues read who did what, by name.
    const seen = (await lead.get(`/api/tickets/${c.id}/events`)).body.items as {
      type: string;
      data: Record<string, unknown>;
      names: Record<string, string>;
    }[];
    expect(seen.find((e) => e.type === 'created')?.names).toEqual({
      [ids.wang as string]: nameOf(ids.wang as string),
    });
    expect(seen.find((e) => e.type === 'assigned')?.data).toMatchObject({ to: ids['team-lead'] });

    // The subject reads the same entries, in order, with no person in them: no id, no name.
    const res = await lina.get(`/api/tickets/${c.id}/events`);
    expect(res.status).toBe(200);
    const theirs = res.body.items as typeof seen;
    expect(theirs.map((e) => e.type)).toEqual(seen.map((e) => e.type));
    const text = JSON.stringify(theirs);
    for (const id of people) expect(text).not.toContain(id);
    expect(text).not.toContain(nameOf(ids.wang as string));
    expect(theirs.every((e) => Object.keys(e.names).length === 0)).toBe(true);
    // What happened stays readable: the escalation's levels and note.
    expect(theirs.find((e) => e.type === 'escalated')?.data).toMatchObject({
      from: 'agent',
      to: 'team-lead',
      note: '客户要求主任处理',
    });
  });

  it('shows the agent a complaint is about the ticket itself without who recorded it, works it or replied, and offers them no action', async () => {
    const users = await t.app.services.accounts.listUsers();
    const nameOf = (id: string) => users.find((u) => u.id === id)?.displayName as string;
    let c = await wang.ok('/api/tickets', complaintBody({ aboutAgentNumber: '1024' }));
    c = await desk.ok(`/api/tickets/${c.id}/accept`, { version: c.version });
    c = await desk.ok(`/api/tickets/${c.id}/replies`, {
      version: c.version,
      text: '已向客户致歉并说明处理结果',
      channel: 'phone',
    });
    c = await desk.ok(`/api/tickets/${c.id}/resolve`, { version: c.version });
    // Colleagues see who: the desk worker by name.
    expect(c.assigneeName).toBe(nameOf(ids['complaint-desk'] as string));
    const people = [ids.wang, ids['complaint-desk']] as string[];
    const noPeople = (v: Record<string, unknown>) => {
      const text = JSON.stringify(v);
      for (const id of people) expect(text).not.toContain(id);
      expect(text).not.toContain(nameOf(ids['complaint-desk'] as string));
      expect(text).not.toContain(nameOf(ids.wang as string));
    };

    // The subject reads it by id, by the caller's number and in the follow-up queue: what
    // happened (status, level, deadlines, the reply's text) but no person, and no button.
    const one = await lina.get(`/api/tickets/${c.id}`);
    expect(one.status).toBe(200);
    noPeople(one.body);
    expect(one.body).toMatchObject({
      status: 'resolved',
      createdBy: null,
      assignee: null,
      assigneeName: null,
      availableActions: [],
      replies: [{ by: null, text: '已向客户致歉并说明处理结果', channel: 'phone' }],
    });
    expect(one.body.deadlines.length).toBeGreaterThan(0);
    const listed = await lina.get('/api/tickets?customerPhone=13800138000');
    expect(listed.status).toBe(200);
    const mine = listed.body.items.find((x: { id: string }) => x.id === c.id);
    expect(mine).toBeDefined();
    noPeople(mine);
    const queue = await lina.get('/api/follow-ups');
    const queued = queue.body.items.find((x: { id: string }) => x.id === c.id);
    expect(queued).toBeDefined();
    noPeople(queued);
    // Others' views are untouched.
    const theirs = (await wang.get(`/api/tickets/${c.id}`)).body;
    expect(theirs).toMatchObject({ createdBy: ids.wang, assignee: ids['complaint-desk'] });
    expect(theirs.replies[0].by).toBe(ids['complaint-desk']);
  });

  it('tells the agent a complaint is about nothing of it: not where it went, who works it, nor its breaches', async () => {
    const leadUser = ids['team-lead'] as string;
    const otherLead = client(t, await signInAs(t, 'team-lead', 'lead2'));
    const ticketsIn = async (c: Client) =>
      ((await c.get('/api/notifications')).body.items as { ticketId: string; message: string }[]).map(
        (n) => n.ticketId,
      );
    // Routed to the team leads (an agent's error): the other lead is told, the lead it is about is not.
    let c = await lina.ok('/api/tickets', complaintBody({ subtype: 'agent-error', aboutUserId: leadUser }));
    expect(c.level).toBe('team-lead');
    expect(await ticketsIn(otherLead)).toContain(c.id);
    expect(await ticketsIn(lead)).not.toContain(c.id);
    // Escalated by hand and breached: still nothing for them.
    c = await director.ok(`/api/tickets/${c.id}/accept`, { version: c.version });
    c = await director.ok(`/api/tickets/${c.id}/escalate`, { version: c.version, reason: '转室主任' });
    c = await director.ok(`/api/tickets/${c.id}/escalate`, { version: c.version, reason: '转投诉处理岗' });
    // By 工号: an agent's complaint routed to the agents' level reaches none of the subject's accounts.
    const byNumber = await wang.ok('/api/tickets', complaintBody({ aboutAgentNumber: '1024' }));
    await t.app.services.tickets.runDeadlineChecks(new Date('2099-01-01T00:00:00Z'));
    expect(await ticketsIn(lead)).not.toContain(c.id);
    expect(await ticketsIn(lina)).not.toContain(byNumber.id);
    // Others still are.
    expect(await ticketsIn(desk)).toContain(c.id);
    expect(await ticketsIn(lead)).toContain(byNumber.id);
  });

  it('tells the level above when the one holder of the role it goes to is the complaint’s subject', async () => {
    const leadUser = ids['team-lead'] as string;
    const ticketsIn = async (c: Client) =>
      ((await c.get('/api/notifications')).body.items as { ticketId: string }[]).map((n) => n.ticketId);
    // The only team lead is the one complained about: the room director is told, not the lead.
    const c = await lina.ok('/api/tickets', complaintBody({ subtype: 'agent-error', aboutUserId: leadUser }));
    expect(c.level).toBe('team-lead');
    expect(await ticketsIn(director)).toContain(c.id);
    expect(await ticketsIn(lead)).not.toContain(c.id);
  });

  it('takes the agent a complaint is about as given, and keeps them off it at every level', async () => {
    const leadUser = ids['team-lead'] as string;
    let c = await lina.ok('/api/tickets', complaintBody({ subtype: 'agent-error', aboutUserId: leadUser }));
    expect(c.details).toMatchObject({ aboutUserId: leadUser, aboutAgentNumber: null });
    expect(c.level).toBe('team-lead');
    // The team lead it is about may do nothing with it, not even escalate it.
    expect((await lead.act(c, 'accept')).status).toBe(403);
    expect((await lead.act(c, 'escalate', { reason: '转室主任' })).status).toBe(403);
    expect(refusedWith(await director.act(c, 'assign', { assignee: leadUser })).rule).toBe(
      'subject-of-complaint',
    );
    c = await director.ok(`/api/tickets/${c.id}/accept`, { version: c.version });
    c = await director.ok(`/api/tickets/${c.id}/escalate`, { version: c.version, reason: '转室主任' });
    expect(c.level).toBe('room-director');

    const byNumber = await lina.ok('/api/tickets', complaintBody({ aboutAgentNumber: '2048' }));
    expect(byNumber.details).toMatchObject({ aboutAgentNumber: '2048', aboutUserId: ids.wang });
    expect((await wang.act(byNumber, 'accept')).status).toBe(403);
    const mismatch = await lina.post(
      '/api/tickets',
      complaintBody({ aboutAgentNumber: '2048', aboutUserId: ids.agent }),
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.details).toEqual([
      { path: 'body.aboutAgentNumber', message: expect.stringContaining('1024') },
    ]);
    // Full-width digits are the same 工号; letters are none, and nothing is stored for them.
    const fullWidth = await lina.ok('/api/tickets', complaintBody({ aboutAgentNumber: '２０４８' }));
    expect(fullWidth.details).toMatchObject({ aboutAgentNumber: '2048', aboutUserId: ids.wang });
    const listed = async () => ((await lina.get('/api/tickets')).body as { total: number }).total;
    const before = await listed();
    const letters = await lina.post('/api/tickets', complaintBody({ aboutAgentNumber: 'abc' }));
    expect(letters.status).toBe(400);
    expect(letters.body.details).toEqual([
      { path: 'body.aboutAgentNumber', message: expect.stringContaining('2 to 8 digits') },
    ]);
    expect(await listed()).toBe(before);
    const notAComplaint = await lina.post('/api/tickets', {
      type: 'technical',
      brand: 'zhonghua',
      aboutAgentNumber: '2048',
    });
    expect(notAComplaint.status).toBe(400);
  });
});
