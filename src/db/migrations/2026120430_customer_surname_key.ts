// Customers, the surname searched by its key (the 2026-12-03 defect): a customer recorded as 陳
// or 趙 (an agent typing Traditional, a card filled from a call) was not found by staff searching
// 陈 / 赵. `customers.surname_key` holds the surname as the text engine reads it (Simplified;
// customers/model.ts surnameKey), written with the surname on every insert and update, indexed,
// and the search compares keys. The customers recorded before get theirs here; their surname
// (as typed, as shown), version and updated_at stay as they were: nobody changed them.
import { type Kysely, sql } from 'kysely';
import { surnameKey } from '../../customers/model.ts';
import { hasColumn } from './columns.ts';

const BATCH = 500;

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  // A run cut short on SQLite left the column: the rerun only finishes the backfill.
  if (!(await hasColumn(db, 'customers', 'surname_key')))
    await db.schema.alterTable('customers').addColumn('surname_key', 'text').execute();
  // Keys first, then the index: built once rather than kept up to date through every update.
  await backfillSurnameKeys(db);
  await db.schema
    .createIndex('customers_surname_key')
    .ifNotExists()
    .on('customers')
    .column('surname_key')
    .execute();
}

/**
 * Gives every customer with a surname and no key its key, 500 rows at a time in the order of
 * their id, one update per batch: each row is read and written once, however many different
 * surnames the table holds.
 */
// biome-ignore lint/suspicious/noExplicitAny: as above
export async function backfillSurnameKeys(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    // Only the keyset in SQL: a filter on the new column made PostgreSQL, with no statistics on
    // it yet, scan and sort the whole table for every batch (15 s for 200,000 customers).
    const rows: { id: string; surname: string | null; surname_key: string | null }[] = await db
      .selectFrom('customers')
      .select(['id', 'surname', 'surname_key'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    const keyed = rows.flatMap((r) =>
      r.surname !== null && r.surname_key === null ? [{ id: r.id, key: surnameKey(r.surname) }] : [],
    );
    // A join to the batch's (id, key) pairs: UPDATE … FROM works on both engines (SQLite ≥ 3.33),
    // and VALUES names its columns column1, column2 on both.
    if (keyed.length > 0)
      await sql`update customers set surname_key = v.column2
        from (values ${sql.join(keyed.map((r) => sql`(${r.id}, ${r.key})`))}) as v
        where customers.id = v.column1`.execute(db);
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]?.id ?? after;
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
