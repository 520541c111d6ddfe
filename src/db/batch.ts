// Writes that belong together, sent as one unit. On PostgreSQL they become one statement
// (each a data-modifying WITH query): atomic by itself, without BEGIN and COMMIT, and one
// round trip to the server instead of one per write plus two. That round trip, not the
// work, is most of what a small write costs there. On SQLite, where a statement is a
// function call, they run one after the other: call it inside a transaction there.
import {
  type Compilable,
  type Kysely,
  type OperationNodeSource,
  PostgresAdapter,
  sql,
  type Transaction,
} from 'kysely';
import type { PreparedWrite } from './prepared.ts';

// biome-ignore lint/suspicious/noExplicitAny: any schema
type AnyDb = Kysely<any> | Transaction<any>;

export type Write = (Compilable & OperationNodeSource) | PreparedWrite;

const isPrepared = (w: Write): w is PreparedWrite => !('toOperationNode' in w);

export function isPostgres(db: AnyDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Runs the writes (INSERT, UPDATE or DELETE queries, not yet executed) together: one
 * statement on PostgreSQL, in order on SQLite. Their results are not returned. On
 * PostgreSQL the writes see the database as it was before the statement, not each other's
 * rows (foreign keys are checked at its end), so no write may depend on another's effect.
 */
export async function writeTogether(db: AnyDb, writes: readonly Write[]): Promise<void> {
  if (writes.length > 1 && isPostgres(db)) {
    const ctes = writes.map((w, i) => sql`${sql.id(`write_${i}`)} as (${isPrepared(w) ? w.query() : w})`);
    await sql`with ${sql.join(ctes)} select 1`.execute(db);
    return;
  }
  for (const w of writes) await (isPrepared(w) ? w.execute() : db.executeQuery(w));
}
