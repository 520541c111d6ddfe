// Tickets found by words (the complaint desk looks a ticket up by what the caller said, a name,
// part of a number): `tickets.search_text` holds the ticket as searched (tickets/search.ts
// ticketSearchText, Simplified and lower case), written with the ticket on every insert and
// update. The tickets stored before get theirs here, from their JSON; nothing else of them
// changes (version, updated_at stay: nobody changed the ticket).
import { type Kysely, sql } from 'kysely';
import { ticketSearchText } from '../../tickets/search.ts';
import { hasColumn } from './columns.ts';

const BATCH = 500;

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  // A run cut short on SQLite left the column: the rerun only finishes the backfill.
  if (!(await hasColumn(db, 'tickets', 'search_text')))
    await db.schema.alterTable('tickets').addColumn('search_text', 'text').execute();
  await backfillSearchText(db);
}

/**
 * Gives every ticket without a search text its text, BATCH tickets at a time in the order of
 * their id, one UPDATE … FROM (VALUES …) per batch (as 2026120430 does for customers).
 */
// biome-ignore lint/suspicious/noExplicitAny: as above
export async function backfillSearchText(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows: { id: string; data: string; search_text: string | null }[] = await db
      .selectFrom('tickets')
      .select(['id', 'data', 'search_text'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    const texts = rows.flatMap((r) =>
      r.search_text === null ? [{ id: r.id, text: ticketSearchText(JSON.parse(r.data)) }] : [],
    );
    if (texts.length > 0)
      await sql`update tickets set search_text = v.column2
        from (values ${sql.join(texts.map((r) => sql`(${r.id}, ${r.text})`))}) as v
        where tickets.id = v.column1`.execute(db);
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]?.id ?? after;
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
