// SQL of the event outbox: the only place that touches event_outbox. Services append events in
// the transaction of their change (appendEvents, or outboxInsert for db/batch.ts's writeTogether);
// the relay reads what is not delivered yet, in order, and stamps it delivered.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { isPostgres } from '../db/batch.ts';
import { insertRows, type PreparedWrite } from '../db/prepared.ts';
import type { DB } from '../db/schema.ts';
import type { EventEnvelope, NewEvent } from './map.ts';
import { noteAppended } from './signal.ts';

type Db = Kysely<DB> | Transaction<DB>;

function rowsOf(events: readonly NewEvent[]) {
  return events.map((e) => ({
    id: randomUUID(),
    type: e.type,
    aggregate_type: e.aggregate.type,
    aggregate_id: e.aggregate.id,
    occurred_at: e.occurredAt,
    payload: JSON.stringify(e.payload),
    delivered_at: null,
  }));
}

/**
 * Appends events in the caller's transaction; they are delivered once it commits. On
 * PostgreSQL a transaction-scoped lock per aggregate makes the writers of one aggregate take
 * their positions in commit order, so its events are delivered in the order they committed.
 */
export async function appendEvents(trx: Db, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  if (isPostgres(trx) && trx.isTransaction) {
    const keys = [...new Set(events.map((e) => `${e.aggregate.type}:${e.aggregate.id}`))].sort();
    // Keyed by the schema too: databases sharing a server (tests) never wait for each other.
    for (const key of keys)
      await sql`select pg_advisory_xact_lock(hashtextextended(current_schema() || ':' || ${key}, 0))`.execute(
        trx,
      );
  }
  const rows = rowsOf(events);
  await insertRows(trx, 'event_outbox', rows).execute();
  noteAppended(rows.map((r) => r.id));
}

/**
 * The INSERT of events, not executed, for db/batch.ts's writeTogether (a change written as one
 * statement). Only for an aggregate the same statement creates: no earlier event can race it.
 */
export function outboxInsert(db: Db, events: readonly NewEvent[]): PreparedWrite {
  const rows = rowsOf(events);
  // Noted now: on PostgreSQL writeTogether runs the query itself, not execute(). The relay
  // looks again until the rows show (committed) or a while has passed (the write failed).
  noteAppended(rows.map((r) => r.id));
  return insertRows(db, 'event_outbox', rows);
}

/**
 * PostgreSQL: takes the relay's lock for the transaction, or says another process has it.
 * Keyed by the schema, so that databases sharing a server (tests) do not wait for each other.
 */
export async function tryRelayLock(trx: Transaction<DB>): Promise<boolean> {
  const r = await sql<{
    locked: boolean;
  }>`select pg_try_advisory_xact_lock(hashtextextended(current_schema() || '.event_outbox relay', 0)) as locked`.execute(
    trx,
  );
  return r.rows[0]?.locked === true;
}

/** The oldest events not delivered yet, in the order they were written. */
export async function undelivered(db: Db, limit: number): Promise<EventEnvelope[]> {
  const rows = await db
    .selectFrom('event_outbox')
    .select(['position', 'id', 'type', 'aggregate_type', 'aggregate_id', 'occurred_at', 'payload'])
    .where('delivered_at', 'is', null)
    .orderBy('position')
    .limit(limit)
    .execute();
  return rows.map(
    (r) =>
      ({
        id: r.id,
        type: r.type,
        aggregate: { type: r.aggregate_type, id: r.aggregate_id },
        position: Number(r.position),
        occurredAt: r.occurred_at,
        payload: JSON.parse(r.payload),
      }) as EventEnvelope,
  );
}

export async function markDelivered(db: Db, positions: readonly number[], at: string): Promise<void> {
  for (let i = 0; i < positions.length; i += 500) {
    await db
      .updateTable('event_outbox')
      .set({ delivered_at: at })
      .where('position', 'in', positions.slice(i, i + 500))
      .execute();
  }
}

/** Deletes events delivered before `before`; returns how many. */
export async function pruneDelivered(db: Db, before: string): Promise<number> {
  const r = await db
    .deleteFrom('event_outbox')
    .where('delivered_at', 'is not', null)
    .where('delivered_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** How many events wait for delivery (health, tests). */
export async function undeliveredCount(db: Db): Promise<number> {
  const r = await db
    .selectFrom('event_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('delivered_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
