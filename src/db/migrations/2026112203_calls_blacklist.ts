// Calls, customers and the blacklist as the API uses them: whether a call was answered (missed
// calls, the repeat-caller hint), the call a number was blacklisted from (one-step harassment),
// and an index for searching calls by brand and date.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('calls').addColumn('answered', 'integer').execute();
  await db.schema.alterTable('blacklist').addColumn('call_id', 'text').execute();
  await db.schema.createIndex('calls_brand_started').on('calls').columns(['brand', 'started_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
