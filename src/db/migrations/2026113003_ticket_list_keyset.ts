// The ticket list pages by keyset (newest first: `(created_at, id) < the cursor's`), which
// this index serves as one seek however deep the page. It replaces the index on created_at
// alone, of which it is an extension (every query that used that one can use this one).
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tickets_created_id').on('tickets').columns(['created_at', 'id']).execute();
  await db.schema.dropIndex('tickets_created').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
