// Escalation (升级) up the chain agent → team lead/coordinator → room director → complaint
// desk: one level per breached deadline, or one level by hand with a reason. Each step says
// whom to tell; the service delivers the notifications.
import type { Role } from '../playbook/vocabulary.ts';
import { checkBreaches } from './deadlines.ts';
import { TicketRuleError } from './errors.ts';
import {
  ESCALATION_CHAIN,
  type EscalationLevel,
  type NotificationIntent,
  type NotificationReason,
  type Outcome,
  revise,
  type Stamp,
  type Ticket,
  type TicketDetails,
  type TicketEvent,
} from './types.ts';

/**
 * Where a new ticket starts on the chain. Seed 002 二.(六): an attitude complaint is handed to
 * the room director, who passes it to the complaint desk; 二.(七): an agent's error goes to the
 * team lead (小组长) at once; 一.(五): a message for a colleague goes to the coordinator.
 */
export function initialLevel(details: TicketDetails): EscalationLevel {
  if (details.type === 'complaint' && details.subtype === 'service-attitude') return 'room-director';
  if (details.type === 'complaint' && details.subtype === 'agent-error') return 'team-lead';
  if (details.type === 'message') return 'team-lead';
  return 'agent';
}

/** The level above, or null at the top (the complaint desk). */
export function nextLevel(level: EscalationLevel): EscalationLevel | null {
  return ESCALATION_CHAIN[ESCALATION_CHAIN.indexOf(level) + 1] ?? null;
}

/** Tell `role` (when given) and the ticket's assignee (when there is one). */
export function notify(ticket: Ticket, role: Role | null, reason: NotificationReason): NotificationIntent[] {
  const out: NotificationIntent[] = [];
  if (role) out.push({ to: 'role', role, ticketId: ticket.id, reason });
  if (ticket.assignee) out.push({ to: 'user', userId: ticket.assignee, ticketId: ticket.id, reason });
  return out;
}

/** Manual escalation (the button): one level up, with the user's reason. */
export function escalate(ticket: Ticket, s: Stamp & { reason: string }): Outcome {
  if (ticket.status === 'closed')
    throw new TicketRuleError(
      'not-allowed-in-status',
      'a closed ticket cannot be escalated; reopen it first',
      ['reopen'],
    );
  if (typeof s.by !== 'string' || s.by.trim() === '')
    throw new TicketRuleError('invalid-input', 'the user who escalates must not be blank');
  if (typeof s.reason !== 'string' || s.reason.trim() === '')
    throw new TicketRuleError(
      'invalid-input',
      'say why the ticket is escalated (the reason must not be blank)',
    );
  if (!(s.at instanceof Date) || Number.isNaN(s.at.getTime()) || s.at < ticket.createdAt)
    throw new TicketRuleError(
      'invalid-input',
      'the time of the escalation must be a valid date after the ticket was opened',
    );
  const to = nextLevel(ticket.level);
  if (!to)
    throw new TicketRuleError(
      'escalation-at-top',
      'the ticket is already at the complaint desk, the top of the chain; it cannot be escalated further',
    );
  const next = revise(ticket, s.at, { level: to });
  const event: TicketEvent = {
    type: 'escalated',
    from: ticket.level,
    to,
    at: s.at,
    reason: 'manual',
    by: s.by,
    note: s.reason,
  };
  return { ticket: next, events: [event], notifications: notify(next, to, 'manual') };
}

/**
 * Records new breaches (see `checkBreaches`) and climbs one level per breach. At the top the
 * ticket stays where it is and each breach is still reported to the complaint desk, so that a
 * missed deadline never goes unnoticed. Run it after every operation and on a timer.
 */
export function escalateOnBreaches(ticket: Ticket, now: Date): Outcome {
  const checked = checkBreaches(ticket, now);
  const events: TicketEvent[] = [];
  const notifications: NotificationIntent[] = [];
  let level = ticket.level;
  for (const breach of checked.events) {
    events.push(breach);
    if (breach.type !== 'breached') continue;
    const to = nextLevel(level);
    if (to) {
      events.push({
        type: 'escalated',
        from: level,
        to,
        at: now,
        reason: 'breach',
        deadline: breach.deadline,
      });
      level = to;
    }
    notifications.push(...notify(checked.ticket, level, 'breach'));
  }
  if (level === ticket.level) return { ticket: checked.ticket, events, notifications };
  // One change for the whole check: checkBreaches already counted a version, the level rides along.
  return { ticket: { ...checked.ticket, level }, events, notifications };
}

/** Since when the ticket is overdue: the earliest running unmet deadline already past, or null. */
export function overdueSince(ticket: Ticket, now: Date): Date | null {
  if (ticket.closedAt) return null;
  let since: Date | null = null;
  for (const d of ticket.deadlines) {
    if (d.metAt || d.dueAt >= now || (ticket.pausedAt && ticket.pausedAt < d.dueAt)) continue;
    if (!since || d.dueAt < since) since = d.dueAt;
  }
  return since;
}

/**
 * Overdue tickets keep reminding: while a ticket stays overdue, every `intervalMs` after its
 * breach it is reminded about once more and climbs one more level (team lead → room director
 * → complaint desk; at the top the complaint desk is reminded). The reminders fall on fixed
 * instants (overdue since + k × interval), kept in `nextReminderAt`, so a check run twice at
 * the same time, or late, sends one reminder, never a burst; two processes are kept apart by
 * the version check of the store. Once nothing is overdue, `nextReminderAt` is cleared. A
 * breach reported in the same check is that interval's notice (no second one beside it).
 * Run it after `escalateOnBreaches` at the same instant.
 */
export function remindOverdue(
  ticket: Ticket,
  now: Date,
  intervalMs: number,
  /** A breach was just reported and escalated at `now`: it is this interval's notice, so plan the next only. */
  justBreached = false,
): Outcome {
  const since = overdueSince(ticket, now);
  const unchanged: Outcome = { ticket, events: [], notifications: [] };
  // Only once the breach is recorded (escalateOnBreaches runs first): the breach is the first notice.
  const recorded =
    since && ticket.deadlines.some((d) => d.breachedAt && d.dueAt.getTime() === since.getTime());
  if (!since || !recorded) {
    if (!ticket.nextReminderAt) return unchanged;
    return { ticket: revise(ticket, now, { nextReminderAt: null }), events: [], notifications: [] };
  }
  const first = new Date(since.getTime() + intervalMs);
  // A reminder planned for an earlier overdue spell does not count for this one.
  const due = ticket.nextReminderAt && ticket.nextReminderAt > since ? ticket.nextReminderAt : first;
  // Like a due time, a reminder at 13:00 is sent by the first check after 13:00.
  if (due >= now) {
    if (ticket.nextReminderAt?.getTime() === due.getTime()) return unchanged;
    return { ticket: revise(ticket, now, { nextReminderAt: due }), events: [], notifications: [] };
  }
  const slots = Math.floor((now.getTime() - due.getTime()) / intervalMs);
  const fired = new Date(due.getTime() + slots * intervalMs);
  if (justBreached)
    return {
      ticket: revise(ticket, now, { nextReminderAt: new Date(fired.getTime() + intervalMs) }),
      events: [],
      notifications: [],
    };
  const count = Math.round((fired.getTime() - since.getTime()) / intervalMs);
  const events: TicketEvent[] = [{ type: 'reminded', at: now, overdueSince: since, count }];
  const to = nextLevel(ticket.level);
  if (to) events.push({ type: 'escalated', from: ticket.level, to, at: now, reason: 'reminder' });
  const next = revise(ticket, now, {
    level: to ?? ticket.level,
    nextReminderAt: new Date(fired.getTime() + intervalMs),
  });
  return { ticket: next, events, notifications: notify(next, next.level, 'reminder') };
}
