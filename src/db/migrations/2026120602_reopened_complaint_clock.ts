// Complaints reopened before reopening started their clock (DeadlinePolicy.reopenDeadline,
// session 20) run no clock: their reply was met in the first round, so nothing could breach,
// remind or escalate while the customer waited for an answer again. Each one still open
// (in progress or waiting for the customer) gets here the deadline a reopening gives today: a
// `resolution` deadline of the reply allowance from its latest reopening, the waits for the
// customer since then added as the workflow adds them. The allowance and its basis are the
// ticket's own reply deadline's (2 h / 24 h by priority, clock hours unless the brand said
// working hours). A working-hours allowance needs the brand's calendar, which lives in its
// playbook, not in the database: such a complaint is left as it was, and counted in the log
// (none of the shipped playbooks counts the reply in working hours). Version and updated_at stay: nobody changed
// the ticket. Rerunnable: a complaint with a resolution deadline is not touched again.
import type { Kysely } from 'kysely';
import { ticketSchedule } from '../../tickets/schedule.ts';
import type { Ticket } from '../../tickets/types.ts';

const BATCH = 500;
const DEADLINE_ORDER = ['first-response', 'reply', 'resolution', 'follow-up'];
const REOPENED_FROM = ['resolved', 'follow-up-done', 'closed'];

interface StoredDeadline {
  kind: string;
  basis: string;
  budgetMs: number;
  startsAt: string;
  pausedMs: number;
  dueAt: string;
  metAt: string | null;
  breachedAt: string | null;
}

/** The ticket JSON as stored: only its deadlines are read here. */
type StoredData = { deadlines?: StoredDeadline[] } & Record<string, unknown>;

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  const { workingHours } = await backfillReopenedClock(db);
  // Said, not silent: the desk should know these still run no clock.
  if (workingHours > 0)
    console.warn(
      `2026120602_reopened_complaint_clock: ${workingHours} open complaint(s) without a resolution deadline count their reply in working hours; the brand's calendar is in its playbook, not the database, so they were left without one (a new reopening gives them one)`,
    );
}

/** What the backfill did: clocks given; complaints left without one (working-hours reply basis). */
export interface Backfilled {
  given: number;
  workingHours: number;
}

/** Gives every open reopened complaint without a resolution deadline its clock. */
// biome-ignore lint/suspicious/noExplicitAny: as above
export async function backfillReopenedClock(db: Kysely<any>): Promise<Backfilled> {
  let after = '';
  let given = 0;
  let workingHours = 0;
  for (;;) {
    const rows: { id: string; data: string; version: number }[] = await db
      .selectFrom('tickets')
      .select(['id', 'data', 'version'])
      .where('type', '=', 'complaint')
      .where('status', 'in', ['in-progress', 'waiting-for-customer'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    const todo: {
      r: (typeof rows)[number];
      data: StoredData;
      deadlines: StoredDeadline[];
      reply: StoredDeadline;
    }[] = [];
    for (const r of rows) {
      const data: StoredData = JSON.parse(r.data);
      const deadlines: StoredDeadline[] = data.deadlines ?? [];
      if (deadlines.some((d) => d.kind === 'resolution')) continue;
      const reply = deadlines.find((d) => d.kind === 'reply');
      if (!reply) continue;
      if (reply.basis !== 'calendar') workingHours++;
      else todo.push({ r, data, deadlines, reply });
    }
    // One query a batch for the status changes of its candidates, grouped here by ticket.
    const changes: { ticket_id: string; data: string }[] =
      todo.length === 0
        ? []
        : await db
            .selectFrom('ticket_events')
            .select(['ticket_id', 'data'])
            .where(
              'ticket_id',
              'in',
              todo.map((x) => x.r.id),
            )
            .where('type', '=', 'status-changed')
            .orderBy('ticket_id')
            .orderBy('seq')
            .execute();
    const movesOf = new Map<string, { from: string; to: string; at: string }[]>();
    for (const c of changes) {
      const list = movesOf.get(c.ticket_id) ?? [];
      list.push(JSON.parse(c.data));
      movesOf.set(c.ticket_id, list);
    }
    for (const { r, data, deadlines, reply } of todo) {
      const moves = movesOf.get(r.id) ?? [];
      const reopened = moves.findLastIndex((m) => REOPENED_FROM.includes(m.from) && m.to === 'in-progress');
      if (reopened < 0) continue;
      const startsAt = Date.parse(moves[reopened]?.at ?? '');
      // The waits for the customer since the reopening, each moving the deadline when it began
      // before the due time (DeadlinePolicy.afterPause); one still going is the ticket's pausedAt.
      let pausedMs = 0;
      let waitFrom: number | null = null;
      for (const m of moves.slice(reopened + 1)) {
        if (m.to === 'waiting-for-customer') waitFrom = Date.parse(m.at);
        else if (m.from === 'waiting-for-customer' && waitFrom !== null) {
          if (waitFrom < startsAt + reply.budgetMs + pausedMs) pausedMs += Date.parse(m.at) - waitFrom;
          waitFrom = null;
        }
      }
      const resolution: StoredDeadline = {
        kind: 'resolution',
        basis: 'calendar',
        budgetMs: reply.budgetMs,
        startsAt: new Date(startsAt).toISOString(),
        pausedMs,
        dueAt: new Date(startsAt + reply.budgetMs + pausedMs).toISOString(),
        metAt: null,
        breachedAt: null,
      };
      data.deadlines = [...deadlines, resolution].sort(
        (a, b) => DEADLINE_ORDER.indexOf(a.kind) - DEADLINE_ORDER.indexOf(b.kind),
      );
      const schedule = ticketSchedule(revived(data));
      const updated = await db
        .updateTable('tickets')
        .set({
          data: JSON.stringify(data),
          next_deadline_at: schedule.nextDueAt?.toISOString() ?? null,
          breach_check_at: schedule.breachCheckAt?.toISOString() ?? null,
        })
        .where('id', '=', r.id)
        .where('version', '=', r.version)
        .executeTakeFirst();
      // Changed since it was read (a live server): not given here; a rerun will see it.
      given += Number(updated.numUpdatedRows);
    }
    if (rows.length < BATCH) return { given, workingHours };
    after = rows[rows.length - 1]?.id ?? after;
  }
}

/** The stored ticket with the dates the schedule compares restored (a copy). */
// biome-ignore lint/suspicious/noExplicitAny: raw JSON, as stored
function revived(data: any): Ticket {
  const at = (s: string | null | undefined) => (s ? new Date(s) : null);
  return {
    ...data,
    closedAt: at(data.closedAt),
    pausedAt: at(data.pausedAt),
    nextReminderAt: at(data.nextReminderAt),
    deadlines: (data.deadlines as StoredDeadline[]).map((d) => ({
      ...d,
      startsAt: new Date(d.startsAt),
      dueAt: new Date(d.dueAt),
      metAt: at(d.metAt),
      breachedAt: at(d.breachedAt),
    })),
  } as Ticket;
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
