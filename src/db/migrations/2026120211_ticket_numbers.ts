// Short ticket numbers (issue 12 §3): `ZH-20261129-0042`, what an agent reads out to a caller.
// Each brand counts its tickets per local day in `ticket_number_counters` (one row per brand
// and day, bumped by an upsert, so two concurrent openings never get the same number; a number
// taken by an opening that then fails is skipped: gaps are allowed, duplicates never). The
// number is unique and searchable; tickets opened before this have none (null).
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('number', 'text').execute();
  await db.schema.createIndex('tickets_number').on('tickets').column('number').unique().execute();
  await db.schema
    .createTable('ticket_number_counters')
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_number_counters_pk', ['brand', 'day'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
