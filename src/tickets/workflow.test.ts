import { describe, expect, it } from 'vitest';
import { checkBreaches } from './deadlines.ts';
import { type TicketRuleCode, TicketRuleError } from './errors.ts';
import { complaint, cst, draft, due, HOUR, MIN, MONDAY_10, open, people, policy } from './test-fixtures.ts';
import { TICKET_STATUSES, type Ticket, type TicketStatus } from './types.ts';
import {
  accept,
  assign,
  availableActions,
  close,
  openTicket,
  ownershipRefusal,
  recordFollowUp,
  recordReply,
  reopen,
  resolve,
  rolesForLevel,
  startWork,
  type TicketAction,
  TRANSITIONS,
  type WorkerLookup,
  waitForCustomer,
} from './workflow.ts';

const by = 'agent-1024';
const ACTIONS: TicketAction[] = ['accept', 'start', 'wait', 'resolve', 'follow-up', 'close', 'reopen'];

/** The life cycle as the issue states it, written out independently of TRANSITIONS. */
const EXPECTED: Record<TicketStatus, Partial<Record<TicketAction, TicketStatus>>> = {
  new: { accept: 'accepted' },
  accepted: { start: 'in-progress', resolve: 'resolved' },
  'in-progress': { wait: 'waiting-for-customer', resolve: 'resolved' },
  'waiting-for-customer': { start: 'in-progress', resolve: 'resolved' },
  resolved: { 'follow-up': 'follow-up-done', close: 'closed', reopen: 'in-progress' },
  'follow-up-done': { close: 'closed', reopen: 'in-progress' },
  closed: { reopen: 'in-progress' },
};

/** How each status is reached from new. */
const PATH: Record<TicketStatus, TicketAction[]> = {
  new: [],
  accepted: ['accept'],
  'in-progress': ['accept', 'start'],
  'waiting-for-customer': ['accept', 'start', 'wait'],
  resolved: ['accept', 'start', 'resolve'],
  'follow-up-done': ['accept', 'start', 'resolve', 'follow-up'],
  closed: ['accept', 'start', 'resolve', 'follow-up', 'close'],
};

function perform(t: Ticket, action: TicketAction, at: Date) {
  const s = { at, by };
  switch (action) {
    case 'accept':
      return accept(t, s, policy, people);
    case 'start':
      return startWork(t, s, policy);
    case 'wait':
      return waitForCustomer(t, s, policy);
    case 'resolve':
      return resolve(t, s, policy);
    case 'follow-up':
      return recordFollowUp(t, { ...s, satisfaction: 5, comment: '满意' }, policy);
    case 'close':
      return close(t, s, policy);
    case 'reopen':
      return reopen(t, { ...s, reason: '问题再次出现' }, policy);
  }
}

/** The ticket in `status`, one operation every 10 minutes from Monday 10:00. */
function reach(status: TicketStatus, t: Ticket = open({ type: 'technical' })): Ticket {
  PATH[status].forEach((action, i) => {
    t = perform(t, action, new Date(MONDAY_10.getTime() + (i + 1) * 10 * MIN)).ticket;
  });
  expect(t.status).toBe(status);
  return t;
}

const LATER = cst('2026-03-02', '12:00');

function refusal(f: () => unknown): { code: TicketRuleCode; message: string; allowed: readonly string[] } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TicketRuleError);
    const { code, message, allowed } = e as TicketRuleError;
    return { code, message, allowed };
  }
  throw new Error('expected the operation to be refused');
}

describe('the transition table', () => {
  it('is the life cycle of the issue', () => {
    const table = Object.fromEntries(TICKET_STATUSES.map((s) => [s, {} as Record<string, string>]));
    for (const t of TRANSITIONS) (table[t.from] as Record<string, string>)[t.action] = t.to;
    expect(table).toEqual({ ...EXPECTED, new: { accept: 'accepted', close: 'closed' } });
  });

  const cases = TICKET_STATUSES.flatMap((from) =>
    ACTIONS.map((action) => ({ from, action, to: EXPECTED[from][action] })),
  );

  it.each(cases.filter((c) => c.to))('$from --$action--> $to', ({ from, action, to }) => {
    const before = reach(from);
    const { ticket, events } = perform(before, action, LATER);
    expect(ticket.status).toBe(to);
    expect(ticket.version).toBe(before.version + events.filter((e) => e.type === 'status-changed').length);
    const moves = events.filter((e) => e.type === 'status-changed');
    expect(moves[0]).toMatchObject({ type: 'status-changed', from, at: LATER, by });
    expect(moves.at(-1)).toMatchObject({ type: 'status-changed', to, at: LATER, by });
  });

  it('resolves an accepted ticket whose work is done, recording the start at the same instant', () => {
    const accepted = reach('accepted');
    const { ticket, events } = resolve(accepted, { at: LATER, by }, policy);
    expect(ticket.status).toBe('resolved');
    expect(ticket.resolvedAt).toEqual(LATER);
    expect(events.filter((e) => e.type === 'status-changed')).toEqual([
      { type: 'status-changed', from: 'accepted', to: 'in-progress', at: LATER, by },
      { type: 'status-changed', from: 'in-progress', to: 'resolved', at: LATER, by },
    ]);
    // A complaint gets its follow-up visit's clock as from in progress.
    const complaint = perform(open({ type: 'complaint', subtype: 'other' }), 'accept', LATER).ticket;
    const viaStart = resolve(perform(complaint, 'start', LATER).ticket, { at: LATER, by }, policy).ticket;
    const direct = resolve(complaint, { at: LATER, by }, policy).ticket;
    expect(direct.deadlines).toEqual(viaStart.deadlines);
    expect(direct.version).toBe(viaStart.version);
  });

  it.each(cases.filter((c) => !c.to))('$from --$action--> refused', ({ from, action }) => {
    const before = reach(from);
    const { code, message, allowed } = refusal(() => perform(before, action, LATER));
    expect(code).toBe('transition-not-allowed');
    expect(allowed).toEqual(Object.keys(EXPECTED[from]));
    for (const a of allowed) expect(message).toContain(a);
  });

  it('says what is allowed instead', () => {
    expect(
      refusal(() =>
        recordFollowUp(reach('accepted'), { at: LATER, by, satisfaction: 5, comment: '' }, policy),
      ).message,
    ).toBe(
      'cannot follow-up a ticket that is accepted; the allowed actions are: start (→ in-progress), resolve (→ resolved)',
    );
    expect(
      refusal(() => close(open({ type: 'complaint', subtype: 'other' }), { at: LATER, by }, policy)).message,
    ).toMatch(/only wrong-number and harassment records close straight from new; accept it first/);
  });

  it('lets a call record close straight from new', () => {
    for (const type of ['wrong-number', 'harassment'] as const) {
      const record = open({ type });
      expect(availableActions(record)).toEqual(['accept', 'close']);
      expect(close(record, { at: LATER, by }, policy).ticket).toMatchObject({
        status: 'closed',
        closedAt: LATER,
      });
    }
  });

  it('never changes the ticket it is given', () => {
    const before = reach('in-progress');
    const copy = structuredClone(before);
    waitForCustomer(before, { at: LATER, by }, policy);
    recordReply(before, { at: LATER, by, text: '答复', channel: 'sms' }, policy);
    expect(before).toEqual(copy);
  });
});

describe('件件有回音: a complaint is done only after a reply and a follow-up visit', () => {
  const reply = (at: Date) => ({ at, by, text: '经核实，已为您处理', channel: 'phone' as const });
  const visit = (at: Date) => ({ at, by, reached: true, satisfaction: 4 as const, comment: '基本满意' });

  it('refuses the follow-up visit and closing without a reply', () => {
    const resolved = reach('resolved', complaint());
    expect(availableActions(resolved)).toEqual(['reopen']);
    expect(refusal(() => recordFollowUp(resolved, visit(LATER), policy)).code).toBe('reply-required');
    const closing = refusal(() => close(resolved, { at: LATER, by }, policy));
    expect(closing.code).toBe('reply-required');
    expect(closing.message).toMatch(/record the reply first/);
  });

  it('refuses closing without a follow-up visit', () => {
    const replied = recordReply(reach('in-progress', complaint()), reply(LATER), policy).ticket;
    const resolved = resolve(replied, { at: LATER, by }, policy).ticket;
    expect(availableActions(resolved)).toEqual(['follow-up', 'reopen']);
    const closing = refusal(() => close(resolved, { at: LATER, by }, policy));
    expect(closing).toMatchObject({ code: 'follow-up-required', allowed: ['follow-up'] });
  });

  it('closes once both are recorded, and wants a new visit after reopening', () => {
    let t = recordReply(reach('in-progress', complaint()), reply(cst('2026-03-02', '11:00')), policy).ticket;
    t = resolve(t, { at: cst('2026-03-02', '11:30'), by }, policy).ticket;
    const followedUp = recordFollowUp(t, visit(cst('2026-03-02', '15:00')), policy);
    expect(followedUp.ticket.followUps).toEqual([visit(cst('2026-03-02', '15:00'))]);
    expect(followedUp.events).toContainEqual(
      expect.objectContaining({ type: 'follow-up-recorded', satisfaction: 4 }),
    );
    t = close(followedUp.ticket, { at: cst('2026-03-02', '15:05'), by }, policy).ticket;
    expect(t.status).toBe('closed');

    t = reopen(t, { at: cst('2026-03-03', '10:00'), by, reason: '客户反映问题仍未解决' }, policy).ticket;
    t = resolve(t, { at: cst('2026-03-03', '11:00'), by }, policy).ticket;
    expect(t.followUps).toHaveLength(1); // the old visit is kept, but it predates this resolution
    expect(refusal(() => close(t, { at: cst('2026-03-03', '11:05'), by }, policy)).code).toBe(
      'follow-up-required',
    );
    t = recordFollowUp(t, visit(cst('2026-03-03', '16:00')), policy).ticket;
    expect(close(t, { at: cst('2026-03-03', '16:05'), by }, policy).ticket.status).toBe('closed');
  });

  it('does not apply to other ticket types', () => {
    const resolved = reach('resolved', open({ type: 'technical' }));
    expect(close(resolved, { at: LATER, by }, policy).ticket.status).toBe('closed');
  });
});

describe('operations', () => {
  it('opens a ticket with its level, deadlines and a created event', () => {
    const out = openTicket(
      {
        id: 'T-2026-0001',
        brand: 'zhonghua',
        subject: '投诉座席态度',
        customerPhone: '13800138000',
        createdBy: by,
        createdAt: MONDAY_10,
        priority: 'urgent',
        type: 'complaint',
        subtype: 'service-attitude',
      },
      policy,
    );
    expect(out.ticket).toMatchObject({
      id: 'T-2026-0001',
      status: 'new',
      level: 'room-director',
      version: 1,
      assignee: null,
      customerPhone: '13800138000',
    });
    expect(out.events).toEqual([{ type: 'created', at: MONDAY_10, by, level: 'room-director' }]);
    expect(out.notifications).toEqual([
      { to: 'role', role: 'room-director', ticketId: 'T-2026-0001', reason: 'routed' },
    ]);
  });

  it('meets the first response on accept and the reply on the first reply only', () => {
    const accepted = accept(complaint(), { at: cst('2026-03-02', '10:10'), by }, policy, people);
    expect(accepted.events[1]).toEqual({
      type: 'deadline-met',
      deadline: 'first-response',
      at: cst('2026-03-02', '10:10'),
      dueAt: cst('2026-03-02', '12:00'),
      late: false,
    });
    const first = recordReply(accepted.ticket, { at: LATER, by, text: '一', channel: 'phone' }, policy);
    const second = recordReply(first.ticket, { at: LATER, by, text: '二', channel: 'sms' }, policy);
    expect(first.events.map((e) => e.type)).toEqual(['replied', 'deadline-met']);
    expect(second.events.map((e) => e.type)).toEqual(['replied']);
    expect(second.ticket.replies.map((r) => r.text)).toEqual(['一', '二']);
    expect(second.ticket.deadlines.find((d) => d.kind === 'reply')?.metAt).toEqual(LATER);
  });

  it('refuses a reply before acceptance and after closing', () => {
    const r = { at: LATER, by, text: '答复', channel: 'phone' as const };
    expect(refusal(() => recordReply(complaint(), r, policy))).toMatchObject({
      code: 'not-allowed-in-status',
      allowed: ['accept'],
    });
    expect(refusal(() => recordReply(reach('closed'), r, policy)).message).toMatch(/reopen it first/);
  });

  it('resolves a suggestion only with its outcome, once the customer has a reply', () => {
    const untold = reach('in-progress', open({ type: 'suggestion', department: '产品部' }));
    expect(refusal(() => resolve(untold, { at: LATER, by, outcome: 'adopted' }, policy)).code).toBe(
      'reply-required',
    );
    const t = recordReply(
      untold,
      { at: LATER, by, text: '感谢您的宝贵建议，已被采纳', channel: 'phone' },
      policy,
    ).ticket;
    expect(refusal(() => resolve(t, { at: LATER, by }, policy)).code).toBe('outcome-required');
    const adopted = resolve(t, { at: LATER, by, outcome: 'adopted' }, policy).ticket;
    expect(adopted).toMatchObject({ status: 'resolved', outcome: 'adopted', resolvedAt: LATER });
    expect(
      refusal(() => resolve(reach('in-progress'), { at: LATER, by, outcome: 'adopted' }, policy)).code,
    ).toBe('invalid-input');
  });

  it('restarts the resolution deadline on reopen', () => {
    // A message for a colleague: resolution within 2 working hours.
    const resolved = reach('resolved', open({ type: 'message', colleague: 'agent-1024' })); // the colleague works it
    const closed = close(resolved, { at: cst('2026-03-02', '11:00'), by }, policy).ticket;
    const out = reopen(closed, { at: cst('2026-03-03', '10:00'), by, reason: '同事未回电' }, policy);
    expect(out.events).toEqual([
      {
        type: 'status-changed',
        from: 'closed',
        to: 'in-progress',
        at: cst('2026-03-03', '10:00'),
        by,
        reason: '同事未回电',
      },
    ]);
    expect(out.ticket).toMatchObject({ status: 'in-progress', resolvedAt: null, closedAt: null });
    expect(due(out.ticket, 'resolution')).toEqual(cst('2026-03-03', '12:00'));
    expect(out.ticket.deadlines.find((d) => d.kind === 'resolution')?.metAt).toBeNull();
  });

  it('does not count the time a ticket spent closed against its other deadlines', () => {
    // A technical question closed Monday 10:50 without its reply (due Wednesday 16:00, 23 h 10 min
    // of working time later) and reopened the next Monday: the reply is owed 23 h 10 min from then.
    const closed = reach('closed');
    expect(due(closed, 'reply')).toEqual(cst('2026-03-04', '16:00'));
    const reopened = reopen(
      closed,
      { at: cst('2026-03-09', '10:00'), by, reason: '客户追问' },
      policy,
    ).ticket;
    expect(due(reopened, 'reply')).toEqual(cst('2026-03-11', '15:10'));
    expect(checkBreaches(reopened, cst('2026-03-09', '10:00')).events).toEqual([]);
  });

  it('assigns and tells the new assignee', () => {
    const t = complaint();
    const out = assign(t, { at: LATER, by: 'lead-7', assignee: 'agent-2048' }, people);
    expect(out.ticket).toMatchObject({ assignee: 'agent-2048', version: 2 });
    expect(out.events).toEqual([{ type: 'assigned', from: null, to: 'agent-2048', at: LATER, by: 'lead-7' }]);
    expect(out.notifications).toEqual([
      { to: 'user', userId: 'agent-2048', ticketId: 't-1', reason: 'assigned' },
    ]);
    const again = assign(out.ticket, { at: LATER, by: 'lead-7', assignee: 'agent-2048' }, people);
    expect(again.events).toEqual([]);
    expect(again.ticket.version).toBe(2);
    expect(refusal(() => assign(reach('closed'), { at: LATER, by, assignee: 'x' }, people)).code).toBe(
      'not-allowed-in-status',
    );
  });

  it('rejects bad input with invalid-input', () => {
    const resolved = reach('resolved');
    for (const satisfaction of [0, 6, 3.5])
      expect(
        refusal(() =>
          recordFollowUp(resolved, { at: LATER, by, satisfaction: satisfaction as 1, comment: '' }, policy),
        ).code,
      ).toBe('invalid-input');
    expect(
      refusal(() =>
        recordFollowUp(
          resolved,
          { at: cst('2026-03-02', '10:15'), by, satisfaction: 3, comment: '' },
          policy,
        ),
      ).message,
    ).toMatch(/before the resolution/);
    expect(refusal(() => reopen(resolved, { at: LATER, by, reason: '  ' }, policy)).code).toBe(
      'invalid-input',
    );
    expect(
      refusal(() => recordReply(reach('accepted'), { at: LATER, by, text: '', channel: 'phone' }, policy))
        .code,
    ).toBe('invalid-input');
    expect(
      refusal(() =>
        recordReply(reach('accepted'), { at: LATER, by, text: '好', channel: 'fax' as 'sms' }, policy),
      ).message,
    ).toMatch(/unknown reply channel "fax"/);
    const waiting = reach('waiting-for-customer');
    expect(refusal(() => startWork(waiting, { at: cst('2026-03-02', '10:05'), by }, policy)).message).toMatch(
      /before the wait began/,
    );
    expect(
      refusal(() => open({ type: 'repair', booking: 'repair', visitWindow: { from: LATER, to: MONDAY_10 } }))
        .message,
    ).toBe('the visit window must end after it starts');
    expect(refusal(() => open({ type: 'complaint', subtype: 'rude' })).code).toBe('invalid-input');
    expect(refusal(() => open({ type: 'technical' }, { subject: ' ' })).message).toBe(
      'the subject must not be blank',
    );
  });

  it('keeps the total time waited for the customer', () => {
    let t = reach('in-progress');
    t = waitForCustomer(t, { at: cst('2026-03-02', '11:00'), by, reason: '等待客户提供发票' }, policy).ticket;
    t = resolve(t, { at: cst('2026-03-02', '13:30'), by }, policy).ticket;
    expect(t).toMatchObject({ status: 'resolved', pausedAt: null, pausedMs: 2.5 * HOUR });
  });
});

describe('who may own a ticket (assigned, accepting)', () => {
  // The injected view of the users, built by hand: who has which role and 工号.
  const staff: WorkerLookup = (id) =>
    ({
      'agent-1024': { id, role: 'agent', agentNumber: '1024' },
      'agent-2048': { id, role: 'agent', agentNumber: '2048' },
      'lead-7': { id, role: 'team-lead', agentNumber: '0007' },
      'director-1': { id, role: 'room-director', agentNumber: null },
      'desk-1': { id, role: 'complaint-desk', agentNumber: null },
      'qa-1': { id, role: 'qa-inspector', agentNumber: null },
      'admin-1': { id, role: 'admin', agentNumber: null },
    })[id];
  const codeOf = (f: () => unknown) => refusal(f).code;

  it('lets a ticket be owned at its level or above, never by QA or an admin', () => {
    expect(rolesForLevel('agent')).toEqual(['agent', 'team-lead', 'room-director', 'complaint-desk']);
    expect(rolesForLevel('room-director')).toEqual(['room-director', 'complaint-desk']);
    const repair = open({ type: 'technical' }); // agent level
    for (const id of ['agent-1024', 'lead-7', 'director-1', 'desk-1'])
      expect(ownershipRefusal(repair, id, staff)).toBeNull();
    for (const id of ['qa-1', 'admin-1', 'nobody'])
      expect(codeOf(() => assign(repair, { at: LATER, by: 'lead-7', assignee: id }, staff))).toBe(
        'not-eligible',
      );
    expect(ownershipRefusal(repair, 'qa-1', staff)?.message).toContain('QA inspector');
    expect(ownershipRefusal(repair, 'admin-1', staff)?.message).toContain('admin account');

    // An attitude complaint starts at the room director: no agent or team lead takes it.
    const attitude = complaint('service-attitude');
    expect(attitude.level).toBe('room-director');
    const refused = refusal(() => accept(attitude, { at: LATER, by: 'agent-1024' }, policy, staff));
    expect(refused.code).toBe('not-eligible');
    expect(refused.message).toBe(
      'this complaint ticket is at the room-director (室主任) level: only room-director, complaint-desk may own or accept it, and agent-1024 is agent',
    );
    expect(refused.allowed).toEqual(['room-director', 'complaint-desk']);
    expect(codeOf(() => accept(attitude, { at: LATER, by: 'lead-7' }, policy, staff))).toBe('not-eligible');
    expect(accept(attitude, { at: LATER, by: 'desk-1' }, policy, staff).ticket.status).toBe('accepted');
    expect(
      assign(attitude, { at: LATER, by: 'director-1', assignee: 'director-1' }, staff).ticket.assignee,
    ).toBe('director-1');
    // Opening with an assignee follows the same rule; without a view of the users, none is taken.
    expect(
      codeOf(() =>
        openTicket(
          draft({ type: 'complaint', subtype: 'agent-error' }, { assignee: 'agent-2048' }),
          policy,
          staff,
        ),
      ),
    ).toBe('not-eligible');
    expect(codeOf(() => openTicket(draft({ type: 'technical' }, { assignee: 'agent-2048' }), policy))).toBe(
      'not-eligible',
    );
  });

  it('lets the colleague a message is for own it, though it is routed to the coordinator', () => {
    const message = open({ type: 'message', colleague: 'agent-2048' });
    expect(message.level).toBe('team-lead');
    expect(ownershipRefusal(message, 'agent-2048', staff)).toBeNull();
    expect(codeOf(() => assign(message, { at: LATER, by: 'lead-7', assignee: 'agent-1024' }, staff))).toBe(
      'not-eligible',
    );
  });

  it('never lets the agent a complaint is about own it, by 工号 or by user id', () => {
    const aboutNumber = complaint('product-quality', { aboutAgentNumber: '1024' } as never);
    expect(aboutNumber).toMatchObject({ level: 'agent', aboutAgentNumber: '1024', aboutUserId: null });
    const refused = refusal(() =>
      assign(aboutNumber, { at: LATER, by: 'lead-7', assignee: 'agent-1024' }, staff),
    );
    expect(refused.code).toBe('subject-of-complaint');
    expect(refused.message).toContain('about 工号 1024');
    expect(codeOf(() => accept(aboutNumber, { at: LATER, by: 'agent-1024' }, policy, staff))).toBe(
      'subject-of-complaint',
    );
    expect(accept(aboutNumber, { at: LATER, by: 'agent-2048' }, policy, staff).ticket.status).toBe(
      'accepted',
    );

    // About a team lead by user id: not theirs even at a level they could otherwise work.
    const aboutLead = complaint('agent-error', { aboutUserId: 'lead-7' } as never);
    expect(codeOf(() => assign(aboutLead, { at: LATER, by: 'director-1', assignee: 'lead-7' }, staff))).toBe(
      'subject-of-complaint',
    );
    expect(ownershipRefusal(aboutLead, 'director-1', staff)).toBeNull();
    // A blank 工号 is bad input.
    expect(codeOf(() => open({ type: 'complaint', subtype: 'other', aboutAgentNumber: ' ' }))).toBe(
      'invalid-input',
    );
  });
});
