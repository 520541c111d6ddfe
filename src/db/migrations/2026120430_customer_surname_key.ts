// Customers, the surname searched by its key (the 2026-12-03 defect): a customer recorded as 陳
// or 趙 (an agent typing Traditional, a card filled from a call) was not found by staff searching
// 陈 / 赵. `customers.surname_key` holds the surname as the text engine reads it (Simplified;
// customers/model.ts surnameKey), written with the surname on every insert and update, indexed,
// and the search compares keys. The customers recorded before get theirs here; their surname
// (as typed, as shown), version and updated_at stay as they were: nobody changed them.
import { type Kysely, sql } from 'kysely';
import { surnameKey } from '../../customers/model.ts';

const BATCH = 500;

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('surname_key', 'text').execute();
  // Keys first, then the index: built once rather than kept up to date through every update.
  await backfillSurnameKeys(db);
  await db.schema.createIndex('customers_surname_key').on('customers').column('surname_key').execute();
}

/**
 * Gives every customer with a surname and no key its key: one update per 500 distinct surnames
 * (a CASE over them), so a table holding many different surnames is read a few times, not once
 * per surname.
 */
// biome-ignore lint/suspicious/noExplicitAny: as above
export async function backfillSurnameKeys(db: Kysely<any>): Promise<void> {
  // Keyset over the surnames, so that a row left without a key could never loop it.
  let after: string | undefined;
  for (;;) {
    let q = db
      .selectFrom('customers')
      .select('surname')
      .distinct()
      .where('surname', 'is not', null)
      .where('surname_key', 'is', null);
    if (after !== undefined) q = q.where('surname', '>', after);
    const rows: { surname: string }[] = await q.orderBy('surname').limit(BATCH).execute();
    if (rows.length > 0) {
      const names = rows.map((r) => r.surname);
      const key = sql`case ${sql.join(
        names.map((n) => sql`when surname = ${n} then ${surnameKey(n)}`),
        sql` `,
      )} end`;
      await db
        .updateTable('customers')
        .set({ surname_key: key })
        .where('surname', 'in', names)
        .where('surname_key', 'is', null)
        .execute();
    }
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]?.surname;
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
