// The brand a notification is about (`notifications.brand`), so that a brand-limited account
// reads, counts, streams and marks read only its brand's. Before it, only a ticket's
// notifications could be told apart (through their ticket); review and appeal notifications
// (src/review: no ticket) reached every brand-limited account of the role, and its "mark all
// read" marked them for everyone. Filled here for the rows written before:
// - a ticket's notification: the ticket's brand;
// - a review's or appeal's: the brand of the call it is about, found through its
//   `notification.created` event in the outbox (aggregate: the call; the payload names the
//   notification and its brand), while the outbox still keeps that event — the relay prunes
//   delivered events after 7 days, so on an older install most are gone; then
// - the call its text names (every review and appeal notice says 通话 <id>), while the call is
//   stored; then
// - its recipient's brand, for one addressed to a brand-limited user (review and appeal notices
//   reach only users of the call's brand, and calibration only inspectors of the session's).
// A notification whose brand cannot be found stays null: read by accounts without a brand only;
// the migration says how many on the console.
// Rerunnable: only rows still without a brand are filled (a SQLite start cut short in the
// backfill finishes it, columns.ts).
import type { Kysely } from 'kysely';
import { hasColumn } from './columns.ts';

const BATCH = 500;

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  if (!(await hasColumn(db, 'notifications', 'brand')))
    await db.schema.alterTable('notifications').addColumn('brand', 'text').execute();
  const { left } = await backfillNotificationBrands(db);
  // Said, not silent: these disappear from brand-limited accounts' lists.
  if (left > 0)
    console.warn(
      `2026120701_notification_brand: ${left} older notification(s) name no ticket, no stored call and no brand-limited recipient; only accounts without a brand see them now`,
    );
}

/** What the backfill filled (from tickets, outbox events, the call named, the recipient) and left. */
export interface Filled {
  fromTickets: number;
  fromCalls: number;
  fromText: number;
  fromRecipients: number;
  left: number;
}

/** The call a review or appeal notice names (`通话 <id> …`, `对通话 <id> 的…`). */
const NAMED_CALL = /通话 (\S+?)(?: |的|$)/;

/** Gives the notifications without a brand their ticket's, or their call's (see above). */
// biome-ignore lint/suspicious/noExplicitAny: as above
export async function backfillNotificationBrands(db: Kysely<any>): Promise<Filled> {
  const tickets = await db
    .updateTable('notifications')
    .set((eb) => ({
      brand: eb
        .selectFrom('tickets')
        .select('tickets.brand')
        .whereRef('tickets.id', '=', 'notifications.ticket_id'),
    }))
    .where('brand', 'is', null)
    .where('ticket_id', 'is not', null)
    .executeTakeFirst();
  let fromCalls = 0;
  let after = 0;
  for (;;) {
    const rows: { position: number | string; aggregate_id: string; payload: string }[] = await db
      .selectFrom('event_outbox')
      .select(['position', 'aggregate_id', 'payload'])
      .where('type', '=', 'notification.created')
      .where('aggregate_type', '=', 'call')
      .where('position', '>', after)
      .orderBy('position')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1]?.position ?? after);
    const callIds = [...new Set(rows.map((r) => r.aggregate_id))];
    const calls: { id: string; brand: string }[] = await db
      .selectFrom('calls')
      .select(['id', 'brand'])
      .where('id', 'in', callIds)
      .execute();
    const callBrand = new Map(calls.map((c) => [c.id, c.brand]));
    // The call's brand; the event's own when the call is gone.
    const byBrand = new Map<string, string[]>();
    for (const r of rows) {
      let payload: { notificationId?: unknown; brand?: unknown };
      try {
        payload = JSON.parse(r.payload);
      } catch {
        continue;
      }
      const id = typeof payload.notificationId === 'string' ? payload.notificationId : null;
      const brand =
        callBrand.get(r.aggregate_id) ?? (typeof payload.brand === 'string' ? payload.brand : null);
      if (id === null || brand === null) continue;
      byBrand.set(brand, [...(byBrand.get(brand) ?? []), id]);
    }
    for (const [brand, ids] of byBrand) {
      const r = await db
        .updateTable('notifications')
        .set({ brand })
        .where('brand', 'is', null)
        .where('ticket_id', 'is', null)
        .where('id', 'in', ids)
        .executeTakeFirst();
      fromCalls += Number(r.numUpdatedRows);
    }
    if (rows.length < BATCH) break;
  }
  // The rest without a ticket: the call their text names, else a brand-limited recipient's brand.
  let fromText = 0;
  let fromRecipients = 0;
  let left = 0;
  let afterId = '';
  for (;;) {
    const rows: { id: string; user_id: string | null; message: string }[] = await db
      .selectFrom('notifications')
      .select(['id', 'user_id', 'message'])
      .where('brand', 'is', null)
      .where('ticket_id', 'is', null)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    afterId = rows[rows.length - 1]?.id ?? afterId;
    const named = new Map(rows.map((r) => [r.id, NAMED_CALL.exec(r.message)?.[1]]));
    const callIds = [...new Set([...named.values()].filter((c): c is string => c !== undefined))];
    const userIds = [...new Set(rows.flatMap((r) => (r.user_id === null ? [] : [r.user_id])))];
    const callBrand = new Map<string, string>(
      callIds.length === 0
        ? []
        : (await db.selectFrom('calls').select(['id', 'brand']).where('id', 'in', callIds).execute()).map(
            (c: { id: string; brand: string }) => [c.id, c.brand],
          ),
    );
    const userBrand = new Map<string, string>(
      userIds.length === 0
        ? []
        : (
            await db
              .selectFrom('users')
              .select(['id', 'brand'])
              .where('id', 'in', userIds)
              .where('brand', 'is not', null)
              .execute()
          ).map((u: { id: string; brand: string }) => [u.id, u.brand]),
    );
    const byBrand = new Map<string, string[]>();
    for (const r of rows) {
      const call = named.get(r.id);
      const fromCall = call === undefined ? undefined : callBrand.get(call);
      const brand = fromCall ?? (r.user_id === null ? undefined : userBrand.get(r.user_id));
      if (brand === undefined) {
        left++;
        continue;
      }
      if (fromCall !== undefined) fromText++;
      else fromRecipients++;
      byBrand.set(brand, [...(byBrand.get(brand) ?? []), r.id]);
    }
    for (const [brand, ids] of byBrand)
      await db
        .updateTable('notifications')
        .set({ brand })
        .where('brand', 'is', null)
        .where('id', 'in', ids)
        .execute();
    if (rows.length < BATCH) break;
  }
  return { fromTickets: Number(tickets.numUpdatedRows), fromCalls, fromText, fromRecipients, left };
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
