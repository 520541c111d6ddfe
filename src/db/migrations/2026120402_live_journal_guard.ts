// Live assist's journal, made safe to start on (issue 9 §4, review of 2026120401): a call whose
// journal rows cannot be read back is moved aside (`live_inputs_rejected`, kept for inspection,
// never read by the server) instead of stopping the start-up; and one process at a time keeps
// the journal (`live_journal_holder`, one row: who holds it and when it was last seen), so a
// second process without Redis on the same database is refused at start-up rather than
// colliding with the first on (call_id, n).
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('live_inputs_rejected')
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('problem', 'text')
    .addColumn('rejected_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_inputs_rejected_pk', ['call_id', 'n', 'rejected_at'])
    .execute();
  await db.schema
    .createTable('live_journal_holder')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
