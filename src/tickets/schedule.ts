// The two instants the store indexes for a ticket, derived from its deadlines. Pure, like the
// rest of the core: the repository writes them to columns so that "what is overdue" and "what
// may have breached" are one indexed comparison with `now` each.
import type { Ticket } from './types.ts';

export interface TicketSchedule {
  /**
   * The due time of the unmet deadline that is running (not stopped by a wait for the
   * customer) and due first, or null (closed, all met, or all paused). The ticket is overdue
   * exactly when this is before `now`; lists sort work by it.
   */
  nextDueAt: Date | null;
  /**
   * The earliest due time whose breach is not recorded yet and can still be: `checkBreaches(t, now)`
   * records something exactly when this is before `now`. Null when no breach can come without a
   * change to the ticket (every deadline met in time, recorded, or stopped before it was due).
   * While the ticket is overdue it is also the next reminder (`nextReminderAt`), so the same
   * indexed walk sends reminders.
   */
  breachCheckAt: Date | null;
}

function earliest(a: Date | null, b: Date): Date {
  return a === null || b < a ? b : a;
}

export function ticketSchedule(ticket: Ticket): TicketSchedule {
  let nextDueAt: Date | null = null;
  let breachCheckAt: Date | null = null;
  const stoppedAt = ticket.closedAt ?? ticket.pausedAt;
  for (const d of ticket.deadlines) {
    const running = !d.metAt && !ticket.closedAt && !(ticket.pausedAt && ticket.pausedAt < d.dueAt);
    if (running) nextDueAt = earliest(nextDueAt, d.dueAt);
    if (d.breachedAt) continue;
    // Mirrors checkBreaches: a deadline breaches when the time its clock stopped (met, closed,
    // waiting, or still running) lies after its due time.
    const breachable = d.metAt ? d.metAt > d.dueAt : !(stoppedAt && stoppedAt <= d.dueAt);
    if (breachable) breachCheckAt = earliest(breachCheckAt, d.dueAt);
  }
  if (ticket.nextReminderAt) breachCheckAt = earliest(breachCheckAt, ticket.nextReminderAt);
  return { nextDueAt, breachCheckAt };
}
