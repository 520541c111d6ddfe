// The events of the modules' changes, built from their domain values, so that each service
// adds one line to its transaction. Numbers are masked here (no payload carries a whole one).
import { maskText } from '../observability/mask.ts';
import type { Notification } from '../tickets/repository.ts';
import type { Ticket, TicketEvent } from '../tickets/types.ts';
import { type Aggregate, event, type MaskedNumber, type NewEvent, type TicketRef } from './map.ts';

/** The masked form of a person's number (`139****5678`), or null. */
export function masked(number: string | null | undefined): MaskedNumber {
  return number ? maskText(number) : null;
}

/** A notification row as the tickets module writes it (its read time does not matter here). */
export type NotificationRow = Omit<Notification, 'readAt'>;

function ticketRef(t: Ticket): TicketRef {
  return { ticketId: t.id, brand: t.brand, status: t.status, level: t.level, version: t.version };
}

/**
 * A ticket's change: ticket.opened (action 'open') or ticket.changed, a ticket.breached and
 * ticket.escalated per such history event, and notification.created per notification. All
 * under the ticket's aggregate, so that a console sees them in the order they happened.
 */
export function ticketEvents(
  ticket: Ticket,
  action: string,
  history: readonly TicketEvent[],
  notifications: readonly NotificationRow[],
  at: Date,
): NewEvent[] {
  const aggregate: Aggregate = { type: 'ticket', id: ticket.id };
  const when = at.toISOString();
  const ref = ticketRef(ticket);
  const out: NewEvent[] = [
    action === 'open'
      ? event('ticket.opened', aggregate, when, {
          ...ref,
          type: ticket.type,
          priority: ticket.priority,
          assignee: ticket.assignee,
        })
      : event('ticket.changed', aggregate, when, {
          ...ref,
          action,
          assignee: ticket.assignee,
          events: history.map((e) => e.type),
        }),
  ];
  for (const e of history) {
    if (e.type === 'breached')
      out.push(
        event('ticket.breached', aggregate, when, {
          ...ref,
          deadline: e.deadline,
          dueAt: e.at.toISOString(),
        }),
      );
    if (e.type === 'escalated')
      out.push(
        event('ticket.escalated', aggregate, when, { ...ref, from: e.from, to: e.to, reason: e.reason }),
      );
  }
  for (const n of notifications) {
    out.push(
      event('notification.created', aggregate, n.at, {
        notificationId: n.id,
        userId: n.userId,
        role: n.role,
        ticketId: n.ticketId,
        brand: ticket.brand,
        reason: n.reason,
        message: maskText(n.message),
        at: n.at,
      }),
    );
  }
  return out;
}
