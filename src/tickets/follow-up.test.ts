// The follow-up loop (回访) and the ticket gaps of issue 12 §3, on the pure core: the follow-up
// deadline and queue states, a dissatisfied customer reopening the complaint at the complaint
// desk, overdue reminders that keep climbing the chain, the complaint reply in clock hours by
// default, and brand holidays from the settings.
import { describe, expect, it } from 'vitest';
import { breachedKinds, deadlinePolicyFromSettings } from './deadlines.ts';
import { TicketRuleError } from './errors.ts';
import { escalateOnBreaches, remindOverdue } from './escalation.ts';
import { ticketSchedule } from './schedule.ts';
import { cst, draft, due, HOUR, people, policy, WORKING_HOURS } from './test-fixtures.ts';
import type { Ticket } from './types.ts';
import {
  accept,
  availableActions,
  close,
  openTicket,
  recordFollowUp,
  recordReply,
  resolve,
  startWork,
} from './workflow.ts';

const by = 'agent-1024';
const mon = (t: string) => cst('2026-03-02', t);

/** A product-quality complaint (agent level) replied to and resolved Monday 11:00, assigned to agent-1024. */
function resolvedComplaint(p = policy, subtype = 'product-quality'): Ticket {
  let t = openTicket(draft({ type: 'complaint', subtype }), p, people).ticket;
  t = accept(t, { at: mon('10:10'), by }, p, people).ticket;
  t = { ...t, assignee: by };
  t = startWork(t, { at: mon('10:15'), by }, p).ticket;
  t = recordReply(t, { at: mon('10:30'), by, text: '已为您安排换货', channel: 'phone' }, p).ticket;
  return resolve(t, { at: mon('11:00'), by }, p).ticket;
}

describe('the follow-up visit (回访)', () => {
  it('starts its own deadline when the complaint is resolved (48 working hours by default)', () => {
    const t = resolvedComplaint();
    // Monday 11:00 + 48 working hours at 9 h a day (Mon–Fri 09–18): 7 h Mon, 9 × 4 = 36 h Tue–Fri, 5 h next Monday.
    expect(due(t, 'follow-up')).toEqual(cst('2026-03-09', '14:00'));
    expect(ticketSchedule(t).nextDueAt).toEqual(cst('2026-03-09', '14:00'));
  });

  it('the brand setting gives other hours', () => {
    const p = deadlinePolicyFromSettings({
      complaintReplyHours: { urgent: 2, standard: 24 },
      workingHours: { ...WORKING_HOURS, days: [...WORKING_HOURS.days] },
      followUp: { hours: 4, basis: 'calendar' },
    });
    expect(due(resolvedComplaint(p), 'follow-up')).toEqual(mon('15:00'));
  });

  it('records an attempt that did not reach the customer and keeps the ticket in the queue', () => {
    const t = resolvedComplaint();
    const o = recordFollowUp(t, { at: mon('14:00'), by, reached: false, comment: '无人接听' }, policy);
    expect(o.ticket.status).toBe('resolved');
    expect(o.ticket.followUps).toEqual([
      { at: mon('14:00'), by, reached: false, satisfaction: null, comment: '无人接听' },
    ]);
    expect(o.events).toEqual([
      { type: 'follow-up-recorded', at: mon('14:00'), by, reached: false, satisfaction: null, attempt: 1 },
    ]);
    // Still due, and an attempt is no visit: the complaint cannot be closed on it.
    expect(o.ticket.deadlines.find((d) => d.kind === 'follow-up')?.metAt).toBeNull();
    expect(availableActions(o.ticket)).not.toContain('close');
    const second = recordFollowUp(o.ticket, { at: mon('16:00'), by, reached: false, comment: '' }, policy);
    expect(second.events[0]).toMatchObject({ attempt: 2 });
  });

  it('a satisfied customer: follow-up done, deadline met, the complaint may be closed', () => {
    const t = resolvedComplaint();
    const o = recordFollowUp(
      t,
      { at: mon('14:00'), by, reached: true, satisfaction: 4, comment: '满意' },
      policy,
    );
    expect(o.ticket.status).toBe('follow-up-done');
    expect(o.ticket.deadlines.find((d) => d.kind === 'follow-up')?.metAt).toEqual(mon('14:00'));
    expect(o.notifications).toEqual([]);
    expect(close(o.ticket, { at: mon('15:00'), by: 'desk-1' }, policy).ticket.status).toBe('closed');
  });

  it('a dissatisfied customer (≤ the threshold) reopens the complaint at the complaint desk', () => {
    const t = resolvedComplaint();
    const o = recordFollowUp(
      t,
      { at: mon('14:00'), by, reached: true, satisfaction: 2, comment: '换货后仍有问题' },
      policy,
    );
    expect(o.ticket.status).toBe('in-progress');
    expect(o.ticket.level).toBe('complaint-desk');
    expect(o.ticket.assignee).toBeNull();
    expect(o.ticket.resolvedAt).toBeNull();
    // The visit is kept; the unmet follow-up deadline of the next round does not exist yet.
    expect(o.ticket.followUps.at(-1)).toMatchObject({ reached: true, satisfaction: 2 });
    expect(o.events.map((e) => e.type)).toEqual([
      'status-changed',
      'follow-up-recorded',
      'deadline-met',
      'status-changed',
      'escalated',
    ]);
    expect(o.events[3]).toMatchObject({ from: 'follow-up-done', to: 'in-progress' });
    expect((o.events[3] as { reason: string }).reason).toContain('回访不满意(满意度 2/5)');
    expect(o.events[4]).toMatchObject({ from: 'agent', to: 'complaint-desk', reason: 'dissatisfied' });
    expect(o.notifications).toEqual([
      { to: 'role', role: 'complaint-desk', ticketId: t.id, reason: 'dissatisfied' },
    ]);
    // Resolved again, it needs a new visit and a new follow-up deadline.
    const again = resolve(o.ticket, { at: mon('17:00'), by: 'desk-1' }, policy).ticket;
    expect(availableActions(again)).toContain('follow-up');
    expect(availableActions(again)).not.toContain('close');
    expect(again.deadlines.filter((d) => d.kind === 'follow-up')).toHaveLength(1);
    expect(due(again, 'follow-up')?.getTime()).toBeGreaterThan(mon('17:00').getTime());
  });

  it('a reopened complaint owes the customer an answer again, within the reply allowance', () => {
    // Before, its reply met in the first round, it ran no clock at all: nothing could breach.
    const visit = { by, reached: true, satisfaction: 1, comment: '师傅仍未上门' } as const;
    const o = recordFollowUp(resolvedComplaint(), { ...visit, at: mon('14:00') }, policy).ticket;
    // A standard complaint: 24 hours in the reply's basis, here working hours (Mon 4 h, Tue and
    // Wed 9 h, Thu 2 h); the first round's reply stays met, on record.
    expect(o.deadlines.find((d) => d.kind === 'resolution')?.basis).toBe('working');
    expect(due(o, 'resolution')).toEqual(cst('2026-03-05', '11:00'));
    expect(o.deadlines.map((d) => d.kind)).toEqual(['first-response', 'reply', 'resolution', 'follow-up']);
    expect(o.deadlines.find((d) => d.kind === 'reply')?.metAt).toEqual(mon('10:30'));
    const late = escalateOnBreaches(o, cst('2026-03-05', '11:05'));
    expect(late.events).toContainEqual(expect.objectContaining({ type: 'breached', deadline: 'resolution' }));
    expect(late.notifications).toContainEqual(expect.objectContaining({ role: 'complaint-desk' }));
    // Resolved in time, it is met; the next round's visit is due again.
    const again = resolve(o, { at: cst('2026-03-03', '10:00'), by: 'desk-1' }, policy).ticket;
    expect(again.deadlines.find((d) => d.kind === 'resolution')?.metAt).toEqual(cst('2026-03-03', '10:00'));
    // An urgent one: 2 hours.
    const urgent = resolve(
      recordReply(
        startWork(
          accept(
            openTicket(draft({ type: 'complaint', subtype: 'other' }, { priority: 'urgent' }), policy, people)
              .ticket,
            { at: mon('10:10'), by },
            policy,
            people,
          ).ticket,
          { at: mon('10:15'), by },
          policy,
        ).ticket,
        { at: mon('10:30'), by, text: '已答复', channel: 'phone' },
        policy,
      ).ticket,
      { at: mon('11:00'), by },
      policy,
    ).ticket;
    expect(due(recordFollowUp(urgent, { ...visit, at: mon('14:00') }, policy).ticket, 'resolution')).toEqual(
      mon('16:00'),
    );
  });

  it('the threshold is the brand’s: 0 never reopens, 3 reopens a 3', () => {
    const settings = {
      complaintReplyHours: { urgent: 2, standard: 24 },
      workingHours: { ...WORKING_HOURS, days: [...WORKING_HOURS.days] },
    };
    const never = deadlinePolicyFromSettings({ ...settings, followUp: { dissatisfiedAtOrBelow: 0 } });
    const strict = deadlinePolicyFromSettings({ ...settings, followUp: { dissatisfiedAtOrBelow: 3 } });
    const visit = { at: mon('14:00'), by, reached: true, satisfaction: 1, comment: '' };
    expect(recordFollowUp(resolvedComplaint(never), visit, never).ticket.status).toBe('follow-up-done');
    expect(
      recordFollowUp(resolvedComplaint(strict), { ...visit, satisfaction: 3 }, strict).ticket.status,
    ).toBe('in-progress');
    expect(
      recordFollowUp(resolvedComplaint(strict), { ...visit, satisfaction: 4 }, strict).ticket.status,
    ).toBe('follow-up-done');
  });

  it('refuses a reached visit without a satisfaction, and an unreached one with one', () => {
    const t = resolvedComplaint();
    expect(() => recordFollowUp(t, { at: mon('14:00'), by, reached: true, comment: '' }, policy)).toThrow(
      /satisfaction is a whole number from 1 to 5/,
    );
    expect(() =>
      recordFollowUp(t, { at: mon('14:00'), by, reached: false, satisfaction: 3, comment: '' }, policy),
    ).toThrow(/no satisfaction/);
  });

  it('refuses an attempt on a complaint that is not resolved', () => {
    let t = openTicket(draft({ type: 'complaint', subtype: 'other' }), policy, people).ticket;
    t = accept(t, { at: mon('10:10'), by }, policy, people).ticket;
    expect(() => recordFollowUp(t, { at: mon('14:00'), by, reached: false, comment: '' }, policy)).toThrow(
      TicketRuleError,
    );
  });
});

describe('overdue tickets keep reminding', () => {
  // A standard complaint opened Monday 10:00 by nobody: first response due 12:00 (working hours).
  const fresh = () => openTicket(draft({ type: 'complaint', subtype: 'other' }), policy, people).ticket;
  const hourly = HOUR;

  /** The breach check then the reminder, as the service runs them. */
  function check(t: Ticket, now: Date) {
    const b = escalateOnBreaches(t, now);
    const r = remindOverdue(b.ticket, now, hourly);
    return {
      ticket: r.ticket,
      events: [...b.events, ...r.events],
      notifications: [...b.notifications, ...r.notifications],
    };
  }

  it('plans the first reminder an interval after the breach, and the store checks then', () => {
    const t = check(fresh(), mon('12:05')).ticket;
    expect(t.level).toBe('team-lead');
    expect(t.nextReminderAt).toEqual(mon('13:00'));
    expect(ticketSchedule(t).breachCheckAt).toEqual(mon('13:00'));
  });

  it('reminds once per interval, one level further each time, and never twice for one instant', () => {
    let t = check(fresh(), mon('12:05')).ticket;
    // 13:00 is the reminder's instant: the first check after it sends it.
    expect(check(t, mon('13:00')).events).toEqual([]);
    const first = check(t, mon('13:01'));
    expect(first.events.map((e) => e.type)).toEqual(['reminded', 'escalated']);
    expect(first.events[0]).toMatchObject({ count: 1, overdueSince: mon('12:00') });
    expect(first.ticket.level).toBe('room-director');
    expect(first.notifications).toContainEqual({
      to: 'role',
      role: 'room-director',
      ticketId: t.id,
      reason: 'reminder',
    });
    t = first.ticket;
    // The same check again (a rerun, or a second process that read the same ticket): nothing.
    const rerun = check(t, mon('13:01'));
    expect(rerun.events).toEqual([]);
    expect(rerun.ticket).toBe(t);
    // An hour later: the complaint desk; then at the top it keeps reminding the desk.
    t = check(t, mon('14:01')).ticket;
    expect(t.level).toBe('complaint-desk');
    const top = check(t, mon('15:01'));
    expect(top.events.map((e) => e.type)).toEqual(['reminded']);
    expect(top.notifications).toContainEqual({
      to: 'role',
      role: 'complaint-desk',
      ticketId: t.id,
      reason: 'reminder',
    });
  });

  it('a check that runs late sends one reminder, not a burst, and keeps to the hourly instants', () => {
    const t = check(fresh(), mon('12:05')).ticket;
    const late = check(t, mon('16:30'));
    expect(late.events.filter((e) => e.type === 'reminded')).toHaveLength(1);
    expect(late.events[0]).toMatchObject({ count: 4 });
    expect(late.ticket.nextReminderAt).toEqual(mon('17:00'));
  });

  it('a breach reported in the same check is that interval’s notice: no reminder beside it', () => {
    const t = check(fresh(), mon('12:05')).ticket;
    // 14:30: the reply (due Wednesday) is not late, so make the check see a fresh breach by hand.
    const b = escalateOnBreaches(t, mon('14:30'));
    expect(b.events).toEqual([]);
    const quiet = remindOverdue(t, mon('14:30'), hourly, true);
    expect(quiet.events).toEqual([]);
    expect(quiet.ticket.nextReminderAt).toEqual(mon('15:00'));
  });

  it('stops once the ticket is no longer overdue', () => {
    const t = check(fresh(), mon('12:05')).ticket;
    const accepted = accept(t, { at: mon('12:30'), by: 'lead-7' }, policy, people).ticket;
    const after = check(accepted, mon('12:30'));
    expect(after.ticket.nextReminderAt).toBeNull();
    expect(ticketSchedule(after.ticket).breachCheckAt).not.toEqual(mon('13:00'));
    expect(check(after.ticket, mon('13:01')).events.filter((e) => e.type === 'reminded')).toEqual([]);
  });
});

describe('the complaint reply promise', () => {
  const settings = {
    complaintReplyHours: { urgent: 2, standard: 24 },
    workingHours: { ...WORKING_HOURS, days: [...WORKING_HOURS.days] },
  };
  const fridayEvening = cst('2026-03-06', '17:00');

  it('counts clock hours by default: "2 小时之内" is two hours on the wall clock', () => {
    const p = deadlinePolicyFromSettings(settings);
    const t = openTicket(
      draft({ type: 'complaint', subtype: 'other' }, { priority: 'urgent', createdAt: fridayEvening }),
      p,
      people,
    ).ticket;
    expect(due(t, 'reply')).toEqual(cst('2026-03-06', '19:00'));
    expect(t.deadlines.find((d) => d.kind === 'reply')?.basis).toBe('calendar');
  });

  it('counts working hours when the brand says so', () => {
    const p = deadlinePolicyFromSettings({ ...settings, complaintReplyBasis: 'working' });
    const t = openTicket(
      draft({ type: 'complaint', subtype: 'other' }, { priority: 'urgent', createdAt: fridayEvening }),
      p,
      people,
    ).ticket;
    expect(due(t, 'reply')).toEqual(cst('2026-03-09', '10:00'));
  });

  it('the working-hours clock skips the brand’s holidays and opens on its make-up days', () => {
    const p = deadlinePolicyFromSettings({
      ...settings,
      complaintReplyBasis: 'working',
      workingHours: { ...settings.workingHours, holidays: ['2026-03-09'], workdays: ['2026-03-07'] },
    });
    const t = openTicket(
      draft({ type: 'complaint', subtype: 'other' }, { priority: 'urgent', createdAt: fridayEvening }),
      p,
      people,
    ).ticket;
    // 1 h Friday, then Saturday 7 March is a make-up working day: due Saturday 10:00.
    expect(due(t, 'reply')).toEqual(cst('2026-03-07', '10:00'));
    const closed = deadlinePolicyFromSettings({
      ...settings,
      complaintReplyBasis: 'working',
      workingHours: { ...settings.workingHours, holidays: ['2026-03-09'] },
    });
    const u = openTicket(
      draft({ type: 'complaint', subtype: 'other' }, { priority: 'urgent', createdAt: fridayEvening }),
      closed,
      people,
    ).ticket;
    // Monday 9 March is a holiday: due Tuesday 10:00.
    expect(due(u, 'reply')).toEqual(cst('2026-03-10', '10:00'));
  });

  it('a second reopening keeps the breach of the round before on record; the restarted deadline breaches again', () => {
    const visit = { by, reached: true, satisfaction: 1, comment: '还是没解决' } as const;
    // Dissatisfied: reopened with a resolution deadline, which then passes (breached, escalated).
    let t = recordFollowUp(resolvedComplaint(), { ...visit, at: mon('14:00') }, policy).ticket;
    t = escalateOnBreaches(t, cst('2026-03-06', '10:00')).ticket;
    expect(breachedKinds(t)).toContain('resolution');
    // Resolved late, dissatisfied again: the resolution deadline restarts unbreached, the
    // earlier round's breach stays counted (the breached filter, the dashboards).
    t = resolve(t, { at: cst('2026-03-06', '11:00'), by: 'desk-1' }, policy).ticket;
    t = recordFollowUp(t, { ...visit, at: cst('2026-03-06', '12:00') }, policy).ticket;
    const resolution = t.deadlines.find((d) => d.kind === 'resolution');
    expect(resolution).toMatchObject({ breachedAt: null, metAt: null });
    expect(t.earlierBreaches).toEqual(['resolution']);
    expect(breachedKinds(t)).toContain('resolution');
    // The new round's clock runs: it breaches again when it passes.
    const again = escalateOnBreaches(t, new Date((resolution?.dueAt.getTime() ?? 0) + 60_000));
    expect(again.events.some((e) => e.type === 'breached' && e.deadline === 'resolution')).toBe(true);
  });
});
