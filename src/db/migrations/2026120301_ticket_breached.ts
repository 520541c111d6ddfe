// The deadlines a ticket ever breached (issue 12 §3 follow-up): `breached_deadlines` lists the
// kinds whose breach is recorded — passed unmet, or met late — as `|first-response|reply|`
// (null: none), so the ticket list filters "breached" per deadline kind without reading every
// ticket's JSON. Back-filled here from the stored tickets, in batches.
import type { Kysely } from 'kysely';

const BATCH = 500;

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('breached_deadlines', 'text').execute();
  await backfillBreached(db);
}

/** Sets `breached_deadlines` of every stored ticket from its JSON, BATCH tickets at a time. */
// biome-ignore lint/suspicious/noExplicitAny: as above
export async function backfillBreached(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows: { id: string; data: string }[] = await db
      .selectFrom('tickets')
      .select(['id', 'data'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const r of rows) {
      const deadlines: { kind: string; breachedAt?: string | null }[] = JSON.parse(r.data).deadlines ?? [];
      const kinds = deadlines.filter((d) => d.breachedAt).map((d) => d.kind);
      if (kinds.length > 0)
        await db
          .updateTable('tickets')
          .set({ breached_deadlines: `|${kinds.join('|')}|` })
          .where('id', '=', r.id)
          .execute();
    }
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]?.id ?? after;
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
