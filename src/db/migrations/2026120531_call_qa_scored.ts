// Calls with no score in the calls list (the 2026-12-03 supervision walk-through): a missed call,
// on which every rule is n/a, showed 质检得分 100 in the calls list, the call and the customer's
// history, while the quality dashboard rightly left it out (2026120410_dashboard_unscored). The
// lists read no stored result (kilobytes a call), so `calls.qa_scored` keeps whether some rule
// applied (qa/result.ts `isScored`): 1 or 0; null without a result. Set here for the calls
// stored before: a call with a failed rule is scored; one without, from its stored result.
import type { Kysely } from 'kysely';
import { hasColumn } from './columns.ts';

const BATCH = 500;

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  // A rerun after a SQLite start cut short in the backfill (columns.ts) finishes it.
  if (!(await hasColumn(db, 'calls', 'qa_scored')))
    await db.schema.alterTable('calls').addColumn('qa_scored', 'integer').execute();
  await db
    .updateTable('calls')
    .set({ qa_scored: 1 })
    .where('qa_result', 'is not', null)
    .where('qa_failed_rules', '!=', '')
    .where('qa_scored', 'is', null)
    .execute();
  await scoreCleanCalls(db);
}

/** The calls with a result and no failed rule: scored when some rule passed (not all n/a). */
// biome-ignore lint/suspicious/noExplicitAny: as above
export async function scoreCleanCalls(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows: { id: string; qa_result: string }[] = await db
      .selectFrom('calls')
      .select(['id', 'qa_result'])
      .where('id', '>', after)
      .where('qa_result', 'is not', null)
      .where('qa_scored', 'is', null)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    const scored: string[] = [];
    const unscored: string[] = [];
    for (const r of rows) {
      const rules: { outcome?: string }[] = JSON.parse(r.qa_result).rules ?? [];
      (rules.some((x) => x.outcome !== 'n/a') ? scored : unscored).push(r.id);
    }
    if (scored.length)
      await db.updateTable('calls').set({ qa_scored: 1 }).where('id', 'in', scored).execute();
    if (unscored.length)
      await db.updateTable('calls').set({ qa_scored: 0 }).where('id', 'in', unscored).execute();
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]?.id ?? after;
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
