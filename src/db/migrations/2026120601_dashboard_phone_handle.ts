// Dashboards, handle time (the 2026-12-03 admin walk): a chat or email thread had its span as
// handle time, so one email answered three hours after it came made a week's AHT 823 s instead
// of 55 s. Such a call now has none (dashboard/facts.ts). The facts of the threads recorded
// before lose theirs here, and each rollup row they are in (agent, team and brand day, the
// agent's month) drops them from `handled` and `handle_ms` — what a recount would give.
import { type Kysely, sql } from 'kysely';

const BATCH = 500;

type Row = { call_id: string; brand: string; day: string; team: string; agent: string; handle_ms: number };

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (;;) {
    // Each batch's rows leave the selection (handle_ms set null), so the next batch starts
    // again from the first.
    const rows: Row[] = await db
      .selectFrom('dash_calls as d')
      .innerJoin('calls as c', 'c.id', 'd.call_id')
      .select(['d.call_id', 'd.brand', 'd.day', 'd.team', 'd.agent', 'd.handle_ms'])
      .where('d.handle_ms', 'is not', null)
      .where('c.channel', '!=', 'phone')
      .orderBy('d.call_id')
      .limit(BATCH)
      .execute();
    for (const r of rows) await dropHandle(db, { ...r, handle_ms: Number(r.handle_ms) });
    if (rows.length < BATCH) return;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: as above
async function dropHandle(db: Kysely<any>, r: Row): Promise<void> {
  await db.updateTable('dash_calls').set({ handle_ms: null }).where('call_id', '=', r.call_id).execute();
  const moved = sql`handled = handled - 1, handle_ms = handle_ms - ${r.handle_ms}`;
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
