// SQL for the blacklist. The only place that touches the blacklist table; rows are mapped to
// entries before they leave.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Phone } from '../customers/phone.ts';
import type { BlacklistTable, DB } from '../db/schema.ts';
import type { BlacklistEntry, BlacklistStatus } from './model.ts';

export type Db = Kysely<DB> | Transaction<DB>;

function toEntry(r: Selectable<BlacklistTable>): BlacklistEntry {
  return {
    id: r.id,
    phone: r.phone as Phone,
    reason: r.reason,
    addedBy: r.added_by,
    addedAt: r.created_at,
    expiresAt: r.expires_at,
    callId: r.call_id,
    removedAt: r.removed_at,
    removedBy: r.removed_by,
    removalReason: r.removal_reason,
  };
}

export async function insertEntry(db: Db, e: BlacklistEntry): Promise<void> {
  await db
    .insertInto('blacklist')
    .values({
      id: e.id,
      phone: e.phone,
      reason: e.reason,
      added_by: e.addedBy,
      created_at: e.addedAt,
      expires_at: e.expiresAt,
      call_id: e.callId,
      removed_at: null,
      removed_by: null,
      removal_reason: null,
    })
    .execute();
}

export async function findEntry(db: Db, id: string): Promise<BlacklistEntry | undefined> {
  const r = await db.selectFrom('blacklist').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toEntry(r) : undefined;
}

/** The entry refusing the number at `now` (not removed, not expired), the latest if several. */
export async function findActive(db: Db, phone: Phone, now: string): Promise<BlacklistEntry | undefined> {
  const r = await db
    .selectFrom('blacklist')
    .selectAll()
    .where('phone', '=', phone)
    .where('removed_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r ? toEntry(r) : undefined;
}

/** Records the removal unless the entry was removed already; true when this call removed it. */
export async function markRemoved(
  db: Db,
  id: string,
  removal: { at: string; by: string | null; reason: string },
): Promise<boolean> {
  const r = await db
    .updateTable('blacklist')
    .set({ removed_at: removal.at, removed_by: removal.by, removal_reason: removal.reason })
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface BlacklistQuery {
  phone?: Phone;
  /** Digits the number ends with (尾号). */
  phoneSuffix?: string;
  /** Entries in this state at `now`; all when absent. */
  status?: BlacklistStatus;
  now: string;
  limit: number;
  offset: number;
}

export async function listEntries(
  db: Db,
  f: BlacklistQuery,
): Promise<{ items: BlacklistEntry[]; total: number }> {
  let q = db.selectFrom('blacklist');
  if (f.phone !== undefined) q = q.where('phone', '=', f.phone);
  if (f.phoneSuffix !== undefined) q = q.where('phone', 'like', `%${f.phoneSuffix}`);
  if (f.status === 'removed') q = q.where('removed_at', 'is not', null);
  if (f.status === 'active')
    q = q
      .where('removed_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', f.now)]));
  if (f.status === 'expired')
    q = q
      .where('removed_at', 'is', null)
      .where('expires_at', 'is not', null)
      .where('expires_at', '<=', f.now);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { items: rows.map(toEntry), total: Number(total.n) };
}

/** The calls a number was blacklisted from (harassment calls), for what agents may see of them. */
export async function harassmentCallIds(db: Db, phone: Phone): Promise<Set<string>> {
  const rows = await db
    .selectFrom('blacklist')
    .select('call_id')
    .where('phone', '=', phone)
    .where('call_id', 'is not', null)
    .execute();
  return new Set(rows.flatMap((r) => (r.call_id ? [r.call_id] : [])));
}
