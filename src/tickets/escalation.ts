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
