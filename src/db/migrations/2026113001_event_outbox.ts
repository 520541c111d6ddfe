// The event outbox (src/events): each domain event is written here in the transaction of the
// change it reports, and delivered after commit by the relay, which then stamps delivered_at.
// `position` orders the rows as they were written (SQLite's rowid; a PostgreSQL sequence);
// the partial index keeps the relay's "what is not delivered yet" a short index scan however
// many delivered rows are kept.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('event_outbox')
    .addColumn('position', postgres ? 'bigserial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('aggregate_type', 'text', (c) => c.notNull())
    .addColumn('aggregate_id', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema
    .createIndex('event_outbox_undelivered')
    .on('event_outbox')
    .column('position')
    .where(sql.ref('delivered_at'), 'is', null)
    .execute();
  // Pruning deletes delivered rows by age.
  await db.schema
    .createIndex('event_outbox_delivered_at')
    .on('event_outbox')
    .column('delivered_at')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
