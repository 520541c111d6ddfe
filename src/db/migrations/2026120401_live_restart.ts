// Live calls that outlive a restart of the one process (issue 9 §4; no REDIS_URL): the CTI's
// state of each call in progress (`live_calls`, one row a call, rewritten at each CTI event with
// a compare-and-set on `revision`), and live assist's journal of each call's inputs
// (`live_inputs`, one row an input), replayed through a fresh flow at start-up. Both lose a
// call's rows when it ends, or once past HUASHU_LIVE_CALL_HOURS (`expires_at`, ISO text).
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('live_calls')
    .addColumn('call_id', 'text', (c) => c.primaryKey())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('live_inputs')
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_inputs_pk', ['call_id', 'n'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
