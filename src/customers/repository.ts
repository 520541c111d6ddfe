// SQL for customers, and the read of a customer's tickets for their history. The only place
// that touches the customers table; rows are mapped to domain values before they leave.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CustomersTable, DB } from '../db/schema.ts';
import { type Customer, surnameKey, type Title } from './model.ts';
import type { Phone } from './phone.ts';

export type Db = Kysely<DB> | Transaction<DB>;

function toCustomer(row: Selectable<CustomersTable>): Customer {
  return {
    id: row.id,
    phone: row.phone as Phone,
    surname: row.surname,
    title: row.title as Title | null,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

export async function findByPhone(db: Db, phone: Phone): Promise<Customer | undefined> {
  const row = await db.selectFrom('customers').selectAll().where('phone', '=', phone).executeTakeFirst();
  return row ? toCustomer(row) : undefined;
}

/** Inserts the customer unless the number is already there; true when it was inserted. */
export async function insertIfAbsent(db: Db, c: Customer): Promise<boolean> {
  const r = await db
    .insertInto('customers')
    .values({
      id: c.id,
      phone: c.phone,
      surname: c.surname,
      surname_key: surnameKey(c.surname),
      title: c.title,
      notes: c.notes,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      version: c.version,
    })
    .onConflict((oc) => oc.column('phone').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Writes the new values if the stored version is still `expectedVersion`; false otherwise. */
export async function updateIfVersion(db: Db, next: Customer, expectedVersion: number): Promise<boolean> {
  const r = await db
    .updateTable('customers')
    .set({
      surname: next.surname,
      surname_key: surnameKey(next.surname),
      title: next.title,
      notes: next.notes,
      updated_at: next.updatedAt,
      version: next.version,
    })
    .where('id', '=', next.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface CustomerFilter {
  /** Digits anywhere in the number (尾号 search). */
  phoneContains?: string;
  surname?: string;
  limit: number;
  offset: number;
}

export async function listCustomers(
  db: Db,
  f: CustomerFilter,
): Promise<{ items: Customer[]; total: number }> {
  let q = db.selectFrom('customers');
  if (f.phoneContains) q = q.where('phone', 'like', `%${f.phoneContains}%`);
  // Keys compared: 陈 and 陳 find the customer whichever of the two was recorded (model.ts).
  if (f.surname) q = q.where('surname_key', '=', surnameKey(f.surname));
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { items: rows.map(toCustomer), total: Number(total.n) };
}

/**
 * The numbers of the customers with one of these names (the surname key, and the title when
 * one was given: 陈女士), not run: a subquery for another module's list — the tickets searched
 * by their customer's name (tickets/repository.ts) — served by the index on surname_key.
 */
export function phonesOfCustomersNamed(
  db: Db,
  names: readonly { surnameKey: string; title: string | null }[],
) {
  return db
    .selectFrom('customers')
    .select('customers.phone')
    .where((eb) =>
      eb.or(
        names.map((n) =>
          n.title === null
            ? eb('customers.surname_key', '=', n.surnameKey)
            : eb.and([eb('customers.surname_key', '=', n.surnameKey), eb('customers.title', '=', n.title)]),
        ),
      ),
    );
}

// The blacklist belongs to its own module: its repository reads it. Re-exported for the
// customer service, which passes its store (test/architecture.test.ts). The customer's tickets
// the service reads from the tickets repository itself (which reads this one: no re-export back).
export { harassmentCallIds } from '../blacklist/repository.ts';
