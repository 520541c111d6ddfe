// The brand a notification is about (`notifications.brand`), so that a brand-limited account
// reads, counts, streams and marks read only its brand's. Before it, only a ticket's
// notifications could be told apart (through their ticket); review and appeal notifications
// (src/review: no ticket) reached every brand-limited account of the role, and its "mark all
// read" marked them for everyone. Filled here for the rows written before:
// - a ticket's notification: the ticket's brand;
// - a review's or appeal's: the brand of the call it is about, found through its
//   `notification.created` event in the outbox (aggregate: the call; the payload names the
//   notification and its brand), while the outbox still keeps that event.
// A notification whose brand cannot be found stays null: read by accounts without a brand only.
// Rerunnable: only rows still without a brand are filled (a SQLite start cut short in the
// backfill finishes it, columns.ts).
import type { Kysely } from 'kysely';
import { hasColumn } from './columns.ts';

const BATCH = 500;

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  if (!(await hasColumn(db, 'notifications', 'brand')))
    await db.schema.alterTable('notifications').addColumn('brand', 'text').execute();
  await backfillNotificationBrands(db);
}

/** What the backfill filled: from tickets, from the events of calls. */
export interface Filled {
  fromTickets: number;
  fromCalls: number;
}

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
  return { fromTickets: Number(tickets.numUpdatedRows), fromCalls };
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
