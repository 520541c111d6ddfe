// Channels (issue 11): where a stored conversation took place — a phone call, a chat thread or
// an email thread — so that re-inspection applies the same rules as on arrival (no ring or
// hang-up rule on a chat). Every call stored before this was a phone call.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('calls')
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo('phone'))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
