// Dashboards, handle time and hold (the 2026-12-03 admin walk): a chat or email thread had its
// span as handle time, so one email answered three hours after it came made a week's AHT 823 s
// instead of 55 s; its hold/unhold events counted as hold. Such a call now has neither
// (dashboard/facts.ts). Here the facts of the threads recorded before lose them, and the
// rollups' `handled`, `handle_ms`, `hold_ms`, `holds` and `holds_over` are counted again from the
// facts, as the service's recount does (agent days from the facts, team days from the agents',
// brand days from the teams', months from the agents' days). Its other columns are left alone:
// recountCalls would also recount `in_threshold`, which needs each brand's service-level goal, a
// setting a migration does not see. Set-based, so a rerun — also after a run cut short between
// statements on SQLite — gives the same rows.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

const SUMS = sql`sum(handled) as handled, sum(handle_ms) as handle_ms, sum(hold_ms) as hold_ms,
  sum(holds) as holds, sum(holds_over) as holds_over`;
const SET = sql`handled = s.handled, handle_ms = s.handle_ms, hold_ms = s.hold_ms, holds = s.holds,
  holds_over = s.holds_over`;

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  // PostgreSQL runs migrations in a transaction already; SQLite's migrator does not.
  if (db.isTransaction) await correct(db);
  else await db.transaction().execute(correct);
}

// biome-ignore lint/suspicious/noExplicitAny: as above
async function correct(trx: Kysely<any>): Promise<void> {
  // The lock the dashboard service's recounts take (repository.rollupTransaction): a process
  // already running must not recount a bucket between these statements.
  if (trx.getExecutor().adapter instanceof PostgresAdapter)
    await sql`select pg_advisory_xact_lock(hashtextextended(current_schema() || '.dashboard rollups', 0))`.execute(
      trx,
    );
  await sql`update dash_calls set handle_ms = null, hold_ms = 0, holds = 0, holds_over = 0
    where call_id in (select id from calls where channel <> 'phone')
      and (handle_ms is not null or hold_ms <> 0 or holds <> 0 or holds_over <> 0)`.execute(trx);
  await sql`update dash_call_day set ${SET}
    from (select brand, day, team, agent, sum(case when handle_ms is not null then 1 else 0 end) as handled,
        coalesce(sum(handle_ms), 0) as handle_ms, sum(hold_ms) as hold_ms, sum(holds) as holds,
        sum(holds_over) as holds_over
      from dash_calls group by brand, day, team, agent) as s
    where dash_call_day.grain = 'agent' and dash_call_day.brand = s.brand and dash_call_day.day = s.day
      and dash_call_day.team = s.team and dash_call_day.agent = s.agent`.execute(trx);
  await sql`update dash_call_day set ${SET}
    from (select brand, day, team, ${SUMS} from dash_call_day where grain = 'agent'
      group by brand, day, team) as s
    where dash_call_day.grain = 'team' and dash_call_day.brand = s.brand and dash_call_day.day = s.day
      and dash_call_day.team = s.team`.execute(trx);
  await sql`update dash_call_day set ${SET}
    from (select brand, day, ${SUMS} from dash_call_day where grain = 'team' group by brand, day) as s
    where dash_call_day.grain = 'brand' and dash_call_day.brand = s.brand and dash_call_day.day = s.day`.execute(
    trx,
  );
  await sql`update dash_call_month set ${SET}
    from (select brand, substr(day, 1, 7) as month, team, agent, ${SUMS} from dash_call_day
      where grain = 'agent' group by brand, substr(day, 1, 7), team, agent) as s
    where dash_call_month.brand = s.brand and dash_call_month.month = s.month
      and dash_call_month.team = s.team and dash_call_month.agent = s.agent`.execute(trx);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
