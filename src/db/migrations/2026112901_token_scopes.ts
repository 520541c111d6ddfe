// API tokens carry scopes (what an integration may do) and may expire. Tokens made before
// scopes existed keep what they could do then: read and write as their owner, not CTI events.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('read write'))
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
