// Customers' surname key in lower case (the 2026-12-05 defect): a customer recorded as Smith
// was not found by staff searching smith (or SMITH), as `surname_key` kept the case as typed.
// customers/model.ts surnameKey now folds Latin letters to lower case (src/text searchKey);
// the keys stored before are recomputed here. Only the key changes: the surname (as typed, as
// shown), the version and updated_at stay as they were — nobody changed the customer.
import { type Kysely, sql } from 'kysely';
import { surnameKey } from '../../customers/model.ts';

const BATCH = 500;

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await recomputeSurnameKeys(db);
}

/**
 * Sets every customer's key to what `surnameKey` gives today, BATCH rows at a time in the order
 * of their id; one UPDATE per batch, of the rows whose key differs (a Chinese surname's key is
 * already right and is not written again). Also keys a row that had none.
 */
// biome-ignore lint/suspicious/noExplicitAny: as above
export async function recomputeSurnameKeys(db: Kysely<any>): Promise<number> {
  let after = '';
  let changed = 0;
  for (;;) {
    const rows: { id: string; surname: string | null; surname_key: string | null }[] = await db
      .selectFrom('customers')
      .select(['id', 'surname', 'surname_key'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    const keyed = rows.flatMap((r) => {
      const key = surnameKey(r.surname);
      return key !== null && key !== r.surname_key ? [{ id: r.id, key }] : [];
    });
    if (keyed.length > 0)
      await sql`update customers set surname_key = v.column2
        from (values ${sql.join(keyed.map((r) => sql`(${r.id}, ${r.key})`))}) as v
        where customers.id = v.column1`.execute(db);
    changed += keyed.length;
    if (rows.length < BATCH) return changed;
    after = rows[rows.length - 1]?.id ?? after;
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
