import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from './calendar.ts';
import {
  checkBreaches,
  DeadlinePolicy,
  type DeadlineRules,
  deadlinePolicyFromSettings,
  deadlineViews,
  nextDeadline,
} from './deadlines.ts';
import { TicketDefinitionError } from './errors.ts';
import {
  complaint,
  cst,
  due,
  HOUR,
  MONDAY_10,
  open,
  people,
  policy,
  WORKING_HOURS,
} from './test-fixtures.ts';
import type { Ticket } from './types.ts';
import { accept, close, openTicket, recordReply, resolve, startWork, waitForCustomer } from './workflow.ts';

const by = 'agent-1024';
const mon = (t: string) => cst('2026-03-02', t);
const tue = (t: string) => cst('2026-03-03', t);

/** An urgent complaint opened Monday 10:00: first response due 10:30, reply due 12:00. */
function urgent(): Ticket {
  return complaint('product-quality', { priority: 'urgent' });
}

function working(t: Ticket, acceptedAt = mon('10:20')): Ticket {
  const a = accept(t, { at: acceptedAt, by }, policy, people).ticket;
  return startWork(a, { at: new Date(acceptedAt.getTime() + 5 * 60_000), by }, policy).ticket;
}

const reply = (at: Date) => ({ at, by, text: '已为您查明原因', channel: 'phone' as const });

describe('the deadlines a ticket gets', () => {
  it('gives a complaint the brand’s reply time in working hours, by priority', () => {
    const standard = complaint();
    // The follow-up visit's deadline starts only when the complaint is resolved.
    expect(standard.deadlines.map((d) => d.kind)).toEqual(['first-response', 'reply']);
    expect(due(standard, 'first-response')).toEqual(mon('12:00'));
    // 24 working hours from Monday 10:00 at 9 h a day: 8 h Monday, 9 h Tuesday, 7 h Wednesday.
    expect(due(standard, 'reply')).toEqual(cst('2026-03-04', '16:00'));
    expect(due(urgent(), 'first-response')).toEqual(mon('10:30'));
    expect(due(urgent(), 'reply')).toEqual(mon('12:00'));
  });

  it('carries an urgent complaint opened on Friday evening over the weekend', () => {
    const t = complaint('product-quality', { priority: 'urgent', createdAt: cst('2026-03-06', '17:00') });
    expect(due(t, 'reply')).toEqual(cst('2026-03-09', '10:00'));
  });

  it('counts wall-clock hours when the brand says so', () => {
    const wall = deadlinePolicyFromSettings(
      { complaintReplyHours: { urgent: 2, standard: 24 }, workingHours: { ...WORKING_HOURS, days: ['mon'] } },
      { rules: { complaint: { reply: { hours: { urgent: 2, standard: 24 }, basis: 'calendar' } } } },
    );
    const t = openTicket(
      {
        id: 't',
        brand: 'b',
        subject: 's',
        createdBy: by,
        createdAt: MONDAY_10,
        type: 'complaint',
        subtype: 'other',
      },
      wall,
    ).ticket;
    expect(due(t, 'reply')).toEqual(tue('10:00'));
  });

  it('ends a repair at its visit window and a callback at its promised time', () => {
    const repair = open({
      type: 'repair',
      booking: 'installation',
      visitWindow: { from: tue('14:00'), to: tue('16:00') },
    });
    expect(due(repair, 'resolution')).toEqual(tue('16:00'));
    expect(open({ type: 'callback', reason: 'promised', dueAt: mon('15:00') }).deadlines).toEqual([
      expect.objectContaining({ kind: 'resolution', basis: 'calendar', dueAt: mon('15:00') }),
    ]);
    // Without a promised time the policy's callback rule applies (2 working hours).
    expect(due(open({ type: 'callback', reason: 'dropped-line' }), 'resolution')).toEqual(mon('12:00'));
  });

  it('gives call records no deadlines', () => {
    expect(open({ type: 'wrong-number' }).deadlines).toEqual([]);
    expect(open({ type: 'harassment' }).deadlines).toEqual([]);
  });
});

describe('waiting for the customer', () => {
  it('stops the clocks and moves the due time later by the working time waited', () => {
    const waiting = waitForCustomer(working(urgent()), { at: mon('11:00'), by }, policy).ticket;
    expect(waiting.pausedAt).toEqual(mon('11:00'));
    // 1 h of the reply's 2 h left when the wait began; waited Mon 11:00–18:00 and Tue 09:00–10:00.
    const resumed = startWork(waiting, { at: tue('10:00'), by }, policy).ticket;
    expect(due(resumed, 'reply')).toEqual(tue('11:00'));
    expect(resumed.pausedAt).toBeNull();
    expect(resumed.pausedMs).toBe(23 * HOUR);
    // The first response was met before the wait: it does not move.
    expect(due(resumed, 'first-response')).toEqual(mon('10:30'));
  });

  it('adds up several waits', () => {
    let t = waitForCustomer(working(urgent()), { at: mon('10:40'), by }, policy).ticket;
    t = startWork(t, { at: mon('11:10'), by }, policy).ticket;
    t = waitForCustomer(t, { at: mon('11:20'), by }, policy).ticket;
    t = startWork(t, { at: mon('11:50'), by }, policy).ticket;
    expect(t.pausedMs).toBe(HOUR);
    expect(due(t, 'reply')).toEqual(mon('13:00'));
  });

  it('records no breach while waiting, even past the original due time', () => {
    const waiting = waitForCustomer(working(urgent()), { at: mon('11:00'), by }, policy).ticket;
    expect(checkBreaches(waiting, mon('17:00')).events).toEqual([]);
    const reply = deadlineViews(waiting, mon('17:00')).find((v) => v.kind === 'reply');
    expect(reply).toMatchObject({ state: 'paused', remainingMs: HOUR });
  });

  it('counts a reply given during the wait against the moved due time', () => {
    const waiting = waitForCustomer(working(urgent()), { at: mon('11:00'), by }, policy).ticket;
    const replied = recordReply(waiting, reply(mon('16:00')), policy);
    expect(replied.events).toContainEqual(
      expect.objectContaining({ type: 'deadline-met', deadline: 'reply', late: false }),
    );
    const after = startWork(replied.ticket, { at: tue('10:00'), by }, policy).ticket;
    expect(checkBreaches(after, tue('12:00')).events).toEqual([]);
  });

  it('does not rescue a deadline that was already missed when the wait began', () => {
    const late = waitForCustomer(working(urgent(), mon('10:45')), { at: mon('12:30'), by }, policy).ticket;
    const resumed = startWork(late, { at: tue('10:00'), by }, policy).ticket;
    expect(due(resumed, 'reply')).toEqual(mon('12:00'));
    expect(
      checkBreaches(resumed, tue('10:00')).events.map((e) => e.type === 'breached' && e.deadline),
    ).toEqual(['first-response', 'reply']);
  });

  it('moves a wall-clock deadline by the wall-clock time waited', () => {
    const repair = open({
      type: 'repair',
      booking: 'repair',
      visitWindow: { from: tue('14:00'), to: tue('16:00') },
    });
    const waiting = waitForCustomer(working(repair), { at: mon('17:00'), by }, policy).ticket;
    const resumed = startWork(waiting, { at: tue('09:00'), by }, policy).ticket;
    expect(due(resumed, 'resolution')).toEqual(cst('2026-03-04', '08:00'));
  });
});

describe('breaches', () => {
  it('records a breach once, when the due time has passed', () => {
    const t = urgent();
    expect(checkBreaches(t, mon('10:30')).events).toEqual([]); // due at 10:30 is not yet late
    const first = checkBreaches(t, mon('10:31'));
    expect(first.events).toEqual([
      { type: 'breached', deadline: 'first-response', at: mon('10:30'), detectedAt: mon('10:31') },
    ]);
    expect(first.ticket.version).toBe(t.version + 1);
    const again = checkBreaches(first.ticket, mon('11:00'));
    expect(again.events).toEqual([]);
    expect(again.ticket).toBe(first.ticket);
    expect(checkBreaches(again.ticket, mon('12:01')).events).toEqual([
      expect.objectContaining({ type: 'breached', deadline: 'reply', at: mon('12:00') }),
    ]);
  });

  it('records a deadline met late even if no check ran before it was met', () => {
    const replied = recordReply(working(urgent()), reply(mon('12:30')), policy);
    expect(replied.events).toContainEqual(
      expect.objectContaining({ type: 'deadline-met', deadline: 'reply', late: true }),
    );
    expect(checkBreaches(replied.ticket, mon('12:31')).events).toEqual([
      expect.objectContaining({ type: 'breached', deadline: 'reply', at: mon('12:00') }),
    ]);
  });

  it('reports nothing for a deadline met on time', () => {
    const replied = recordReply(working(urgent()), reply(mon('11:59')), policy).ticket;
    expect(checkBreaches(replied, cst('2026-03-09', '09:00')).events).toEqual([]);
  });

  it('stops counting when the ticket is closed', () => {
    // A technical question: first response 2 h, reply 24 h; closed without a reply.
    let t = open({ type: 'technical' });
    t = working(t);
    t = resolve(t, { at: mon('10:40'), by }, policy).ticket;
    t = close(t, { at: mon('11:00'), by }, policy).ticket;
    expect(checkBreaches(t, cst('2026-03-13', '09:00')).events).toEqual([]);
    expect(deadlineViews(t, cst('2026-03-13', '09:00')).map((v) => [v.kind, v.state])).toEqual([
      ['first-response', 'met'],
      ['reply', 'void'],
    ]);
  });
});

describe('the next deadline', () => {
  it('is the unmet deadline due first', () => {
    const t = urgent();
    expect(nextDeadline(t, mon('10:00'))).toMatchObject({
      kind: 'first-response',
      state: 'open',
      remainingMs: HOUR / 2,
    });
    const accepted = accept(t, { at: mon('10:10'), by }, policy, people).ticket;
    expect(nextDeadline(accepted, mon('10:10'))).toMatchObject({ kind: 'reply', dueAt: mon('12:00') });
    const replied = recordReply(accepted, reply(mon('11:00')), policy).ticket;
    expect(nextDeadline(replied, mon('11:00'))).toBeNull();
  });

  it('includes an overdue deadline, with how late it is', () => {
    expect(nextDeadline(urgent(), mon('13:00'))).toMatchObject({
      kind: 'first-response',
      state: 'overdue',
      remainingMs: -2.5 * HOUR,
    });
  });

  it('follows a repair to its visit window', () => {
    const repair = open({
      type: 'repair',
      booking: 'repair',
      visitWindow: { from: tue('14:00'), to: tue('16:00') },
    });
    expect(nextDeadline(repair, mon('10:00'))?.kind).toBe('first-response');
    const accepted = accept(repair, { at: mon('10:05'), by }, policy, people).ticket;
    expect(nextDeadline(accepted, mon('10:05'))).toMatchObject({ kind: 'resolution', dueAt: tue('16:00') });
  });
});

describe('deadline policies', () => {
  const calendar = new WorkingCalendar(WORKING_HOURS);

  function problems(rules: unknown): string[] {
    try {
      new DeadlinePolicy({ calendar, rules: rules as DeadlineRules });
    } catch (e) {
      expect(e).toBeInstanceOf(TicketDefinitionError);
      return (e as TicketDefinitionError).problems.map((p) => p.path);
    }
    return [];
  }

  it('rejects a negative or zero duration', () => {
    expect(problems({ complaint: { reply: { hours: -2 } } })).toEqual(['complaint.reply.hours']);
    expect(problems({ complaint: { reply: { hours: { urgent: 0, standard: 24 } } } })).toEqual([
      'complaint.reply.hours.urgent',
    ]);
    expect(() =>
      deadlinePolicyFromSettings(
        {
          complaintReplyHours: { urgent: 2, standard: 24 },
          workingHours: { ...WORKING_HOURS, days: ['mon'] },
        },
        { rules: { message: { resolution: { hours: -1 } } } },
      ),
    ).toThrow(/invalid deadline policy: message\.resolution\.hours: expected a number of hours > 0, got -1/);
  });

  it('rejects unknown names and a repair resolution rule', () => {
    expect(
      problems({
        complaints: {},
        complaint: { answer: { hours: 1 }, reply: { hours: 1, basis: 'wall' } },
        repair: { resolution: { hours: 48 } },
      }),
    ).toEqual(['complaints', 'complaint.answer', 'complaint.reply.basis', 'repair.resolution']);
  });

  it('accepts the default rules', () => {
    expect(policy.rules.complaint?.reply).toEqual({ hours: { urgent: 2, standard: 24 }, basis: 'working' });
  });
});
