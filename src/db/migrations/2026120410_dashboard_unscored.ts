// Dashboards, calls with no score (issue 11 §2 review): a call on which every rule was n/a
// (unanswered, no agent speech) has no score, yet its facts held the scorecard's total (100) and
// the quality dashboard averaged it in. `dash_calls.qa_unscored` marks such a call (its
// `qa_score` null: not in `inspected`, the average or the bands); `dash_call_day` and
// `dash_call_month` count them (`unscored`). The facts of the calls recorded before are corrected
// here from their stored result, and each rollup row they are in (agent, team and brand day, the
// agent's month) moved by the same amounts: out of `inspected`, `score_sum` and the score's band,
// into `unscored` — what a recount from the corrected facts would give.
import { type Kysely, sql } from 'kysely';

const BATCH = 500;

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['dash_call_day', 'dash_call_month'])
    await db.schema
      .alterTable(table)
      .addColumn('unscored', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  await db.schema
    .alterTable('dash_calls')
    .addColumn('qa_unscored', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await correctFacts(db);
}

type Row = { call_id: string; brand: string; day: string; team: string; agent: string; qa_score: number };

/** The calls inspected with a score and no failed rule whose stored result is all n/a. */
// biome-ignore lint/suspicious/noExplicitAny: as above
export async function correctFacts(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows: (Row & { qa_result: string | null })[] = await db
      .selectFrom('dash_calls as d')
      .innerJoin('calls as c', 'c.id', 'd.call_id')
      .select(['d.call_id', 'd.brand', 'd.day', 'd.team', 'd.agent', 'd.qa_score', 'c.qa_result'])
      .where('d.call_id', '>', after)
      .where('d.qa_score', 'is not', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('dash_call_rules as r').select('r.call_id').whereRef('r.call_id', '=', 'd.call_id'),
          ),
        ),
      )
      .orderBy('d.call_id')
      .limit(BATCH)
      .execute();
    for (const r of rows) {
      const rules: { outcome?: string }[] = r.qa_result ? (JSON.parse(r.qa_result).rules ?? []) : [];
      if (r.qa_result && !rules.some((x) => x.outcome !== 'n/a'))
        await unscore(db, { ...r, qa_score: Number(r.qa_score) });
    }
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]?.call_id ?? after;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: as above
async function unscore(db: Kysely<any>, r: Row): Promise<void> {
  const s = r.qa_score;
  const band =
    s < 60 ? 'score_lt60' : s < 70 ? 'score_60' : s < 80 ? 'score_70' : s < 90 ? 'score_80' : 'score_90';
  await db
    .updateTable('dash_calls')
    .set({ qa_score: null, qa_unscored: 1 })
    .where('call_id', '=', r.call_id)
    .execute();
  const moved = sql`inspected = inspected - 1, score_sum = score_sum - ${s}, ${sql.id(band)} = ${sql.id(band)} - 1, unscored = unscored + 1`;
  // The agent's, its team's ('*' agent) and the brand's ('*' team and agent) rows of the day.
  await sql`update dash_call_day set ${moved} where brand = ${r.brand} and day = ${r.day}
    and ((team = ${r.team} and agent = ${r.agent}) or (team = ${r.team} and agent = '*') or (team = '*' and agent = '*'))`.execute(
    db,
  );
  await sql`update dash_call_month set ${moved} where brand = ${r.brand} and month = ${r.day.slice(0, 7)}
    and team = ${r.team} and agent = ${r.agent}`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
