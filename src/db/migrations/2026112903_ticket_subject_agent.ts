// A complaint records the agent it is about (工号 and, when known, the user), who can never own
// it. The ticket's JSON (`data`) holds them for the domain; these columns let the store find a
// person's complaints. Earlier complaints name nobody (null).
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('about_agent_number', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('about_user_id', 'text').execute();
  await db.schema.createIndex('tickets_about_agent').on('tickets').column('about_agent_number').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
