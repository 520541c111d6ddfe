// Helpers for migrations that must survive being cut short. On SQLite, Kysely runs a migration
// without a transaction around it (no transactional DDL), so a process killed during a long
// backfill leaves the column added but the migration unrecorded; the next start runs it again
// and must not fail on "duplicate column name". Adding only what is missing makes the rerun
// finish the backfill instead. On PostgreSQL the migration's transaction rolled it all back.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function hasColumn(db: Kysely<any>, table: string, column: string): Promise<boolean> {
  if (db.getExecutor().adapter.supportsTransactionalDdl) return false;
  const found = await sql<{
    name: string;
  }>`select name from pragma_table_info(${table}) where name = ${column}`.execute(db);
  return found.rows.length > 0;
}
