// The deadline checker's walk: every ticket whose breach check is due by `now`, through the
// indexed `breach_check_at`, then every overdue one with nothing planned (indexed
// `next_deadline_at`), in batches. Each ticket is checked (and changed, in its own
// transaction) by the service's `check`; this file only walks and counts.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import * as repo from './repository.ts';
import type { TicketEvent } from './types.ts';

export interface DeadlineCheckResult {
  /** Tickets whose breach was recorded now. */
  tickets: number;
  breaches: number;
  escalations: number;
}

/** What one ticket's check recorded: its breaches and the escalations they caused. */
export function checkCounts(events: readonly TicketEvent[]): { breaches: number; escalations: number } {
  return {
    breaches: events.filter((e) => e.type === 'breached').length,
    escalations: events.filter((e) => e.type === 'escalated').length,
  };
}

type Walk = (
  db: Kysely<DB>,
  now: Date,
  after: { at: string; id: string } | null,
  limit: number,
) => Promise<{ id: string; at: string }[]>;

/**
 * Checks every ticket due by `now` once, `batchSize` at a time, and adds up what was recorded;
 * then every ticket overdue with no reminder planned (overdue before reminders existed), which
 * the check gives its reminder and plans the next.
 */
export async function checkDueTickets(
  db: Kysely<DB>,
  now: Date,
  batchSize: number,
  check: (id: string) => Promise<{ breaches: number; escalations: number }>,
): Promise<DeadlineCheckResult> {
  const result: DeadlineCheckResult = { tickets: 0, breaches: 0, escalations: 0 };
  // A checked ticket's next check is at or after `now` (every breach due by now is recorded
  // at once, the next reminder planned), so walking each set in order visits a ticket once.
  const walk = async (next: Walk) => {
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const due = await next(db, now, after, batchSize);
      for (const { id } of due) {
        const r = await check(id);
        result.tickets += r.breaches > 0 ? 1 : 0;
        result.breaches += r.breaches;
        result.escalations += r.escalations;
      }
      const last = due.at(-1);
      if (!last || due.length < batchSize) return;
      after = last;
    }
  };
  await walk(repo.dueForBreachCheck);
  await walk(repo.overdueUnplanned);
  return result;
}
