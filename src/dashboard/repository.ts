// The only SQL of the dashboard tables (dash_*): the facts of each call and ticket, the daily
// rollups kept from them, and the dashboards' queries, which read the rollups (calls, quality)
// or the ticket facts. The same SQL on SQLite and PostgreSQL; sums come back as numbers.
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { isPostgres } from '../db/batch.ts';
import type { DB } from '../db/schema.ts';
import type { AppealFacts, CallFacts, TicketFacts } from './facts.ts';

export type Db = Kysely<DB> | Transaction<DB>;

/** Which rows a dashboard counts: a brand (null: every brand), local days, a team, an agent. */
export interface FactQuery {
  brand: string | null;
  from: string;
  to: string;
  team?: string | undefined;
  agent?: string | undefined;
}

/** What a call-handling or quality row is grouped by; 'all': one row. */
export type Dimension = 'all' | 'brand' | 'team' | 'agent' | 'day';

export interface Bucket {
  brand: string;
  day: string;
  team: string;
  agent: string;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

// ---- upkeep ----

/** The bucket the call was counted in, if it was. */
export async function callBucket(db: Db, callId: string): Promise<Bucket | undefined> {
  return await db
    .selectFrom('dash_calls')
    .select(['brand', 'day', 'team', 'agent'])
    .where('call_id', '=', callId)
    .executeTakeFirst();
}

/** Whether the number called the brand in [from, before), other than the call itself. */
export async function calledWithin(
  db: Db,
  brand: string,
  phone: string,
  from: string,
  before: string,
  callId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('dash_calls')
    .select('call_id')
    .where('brand', '=', brand)
    .where('phone', '=', phone)
    .where('started_at', '>=', from)
    .where('started_at', '<', before)
    .where('call_id', '<>', callId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The calls of the number at the brand in (after, until] not yet counted as repeats, other than
 * the call itself, marked as repeats (a call recorded after them lies in their 24 h before);
 * returns the buckets whose rollups changed.
 */
export async function markRepeatsAfter(
  db: Db,
  brand: string,
  phone: string,
  after: string,
  until: string,
  callId: string,
): Promise<Bucket[]> {
  const rows = await db
    .selectFrom('dash_calls')
    .select(['call_id', 'brand', 'day', 'team', 'agent'])
    .where('brand', '=', brand)
    .where('phone', '=', phone)
    .where('started_at', '>', after)
    .where('started_at', '<=', until)
    .where('call_id', '<>', callId)
    .where('repeated', '=', 0)
    .execute();
  if (rows.length === 0) return [];
  await db
    .updateTable('dash_calls')
    .set({ repeated: 1 })
    .where(
      'call_id',
      'in',
      rows.map((r) => r.call_id),
    )
    .execute();
  return rows.map(({ call_id: _id, ...bucket }) => bucket);
}

/**
 * Stores a call's facts, replacing what was there; with `onlyIfMissing` (the back-fill) a call
 * that has facts already keeps them (they came from its latest event). Whether it wrote.
 */
export async function saveCallFacts(trx: Db, f: CallFacts, onlyIfMissing = false): Promise<boolean> {
  const row = {
    call_id: f.callId,
    brand: f.brand,
    day: f.day,
    started_at: f.startedAt,
    team: f.team,
    agent: f.agent,
    phone: f.phone,
    offered: f.offered ? 1 : 0,
    answered: f.answered ? 1 : 0,
    wait_ms: f.waitMs,
    handle_ms: f.handleMs,
    hold_ms: f.holdMs,
    holds: f.holds,
    holds_over: f.holdsOver,
    repeated: f.repeat ? 1 : 0,
    qa_score: f.qaScore,
    qa_fatal: f.qaFatal ? 1 : 0,
    qa_unscored: f.qaUnscored ? 1 : 0,
  };
  const { call_id: _id, ...update } = row;
  const written = await trx
    .insertInto('dash_calls')
    .values(row)
    .onConflict((oc) =>
      onlyIfMissing ? oc.column('call_id').doNothing() : oc.column('call_id').doUpdateSet(update),
    )
    .executeTakeFirst();
  if (onlyIfMissing && Number(written.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  await trx.deleteFrom('dash_call_rules').where('call_id', '=', f.callId).execute();
  const rules = [...new Set(f.failedRules)];
  if (rules.length > 0)
    await trx
      .insertInto('dash_call_rules')
      .values(
        rules.map((rule) => ({
          call_id: f.callId,
          rule,
          brand: f.brand,
          day: f.day,
          team: f.team,
          agent: f.agent,
        })),
      )
      .execute();
  return true;
}

const DAY_COLUMNS = [
  'calls',
  'offered',
  'answered',
  'abandoned',
  'in_threshold',
  'offered_answered',
  'wait_ms',
  'handled',
  'handle_ms',
  'hold_ms',
  'holds',
  'holds_over',
  'with_phone',
  'repeats',
  'inspected',
  'score_sum',
  'fatal',
  'score_lt60',
  'score_60',
  'score_70',
  'score_80',
  'score_90',
  'unscored',
] as const;

const KEY = ['brand', 'day', 'team', 'agent'] as const;

/** The sums of dash_calls in DAY_COLUMNS order; a call answered within `thresholdMs` is in the service level. */
function daySums(thresholdMs: number): RawBuilder<unknown> {
  const when = (cond: RawBuilder<unknown>) => sql`sum(case when ${cond} then 1 else 0 end)`;
  const offeredAnswered = sql`offered = 1 and answered = 1`;
  return sql.join([
    sql`count(*)`,
    sql`sum(offered)`,
    sql`sum(answered)`,
    when(sql`offered = 1 and answered = 0`),
    when(sql`offered = 1 and answered = 1 and wait_ms <= ${sql.lit(Math.round(thresholdMs))}`),
    when(offeredAnswered),
    sql`coalesce(sum(case when ${offeredAnswered} then wait_ms else 0 end), 0)`,
    when(sql`handle_ms is not null`),
    sql`coalesce(sum(handle_ms), 0)`,
    sql`sum(hold_ms)`,
    sql`sum(holds)`,
    sql`sum(holds_over)`,
    when(sql`phone is not null`),
    sql`sum(repeated)`,
    when(sql`qa_score is not null`),
    sql`coalesce(sum(qa_score), 0)`,
    sql`sum(qa_fatal)`,
    when(sql`qa_score < 60`),
    when(sql`qa_score >= 60 and qa_score < 70`),
    when(sql`qa_score >= 70 and qa_score < 80`),
    when(sql`qa_score >= 80 and qa_score < 90`),
    when(sql`qa_score >= 90`),
    sql`sum(qa_unscored)`,
  ]);
}

const ids = (names: readonly string[]) => sql.join(names.map((n) => sql.id(n)));
const excluded = (names: readonly string[]) =>
  sql.join(names.map((n) => sql`${sql.id(n)} = excluded.${sql.id(n)}`));
const summed = sql.join(DAY_COLUMNS.map((c) => sql`sum(${sql.id(c)})`));
const and = (conds: RawBuilder<unknown>[]) => sql.join(conds, sql` and `);

/** The grain of a rollup row: 'agent' (a team's agent), 'team' (agent '*'), 'brand' (team and agent '*'). */
export type Grain = 'agent' | 'team' | 'brand';
/** The team and agent of the rows that sum a team or a brand. */
export const ALL = '*';

/** The last day of a YYYY-MM month, as text that sorts after every day of it. */
const monthEnd = (month: string) => `${month}-31`;

/**
 * A transaction that saves facts and recounts rollups, serialized with the others. A recount
 * reads the facts as its statement sees them: on PostgreSQL (read committed) two transactions
 * recording calls of one bucket at once would each miss the other's fact, and the later upsert
 * would keep a count one short, so each takes one advisory lock first. SQLite has one writer.
 */
export async function rollupTransaction<T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (isPostgres(trx))
      await sql`select pg_advisory_xact_lock(hashtextextended(current_schema() || '.dashboard rollups', 0))`.execute(
        trx,
      );
    return fn(trx);
  });
}

/**
 * Counts the rollups of a bucket (or, with only `brand`, of the whole brand) again from the
 * facts: the agent's day, then its team's and brand's day from the agents' rows, then the
 * agent's month. Idempotent, so an event delivered twice, or to several processes, counts
 * once; it runs in a rollupTransaction, so concurrent recounts of one bucket see each other's facts.
 */
export async function recountCalls(
  trx: Db,
  where: { brand: string; day?: string; team?: string; agent?: string },
  thresholdMs: number,
): Promise<void> {
  const base = (day: RawBuilder<unknown> | null, team: boolean, agent: boolean) => {
    const c = [sql`brand = ${where.brand}`];
    if (day !== null) c.push(day);
    if (team && where.team !== undefined) c.push(sql`team = ${where.team}`);
    if (agent && where.agent !== undefined) c.push(sql`agent = ${where.agent}`);
    return c;
  };
  const onDay = where.day === undefined ? null : sql`day = ${where.day}`;
  const grain = (g: Grain) => sql`grain = ${g}`;
  const upsertDay = (select: RawBuilder<unknown>) =>
    sql`insert into dash_call_day (${ids([...KEY, 'grain', ...DAY_COLUMNS])}) ${select}
      on conflict (brand, day, team, agent) do update set ${excluded(DAY_COLUMNS)}`.execute(trx);
  const upsertRules = (select: RawBuilder<unknown>) =>
    sql`insert into dash_rule_day (brand, day, team, agent, grain, rule, failed) ${select}
      on conflict (brand, day, team, agent, rule) do update set failed = excluded.failed`.execute(trx);

  // The agents' days, from the facts.
  const agents = and(base(onDay, true, true));
  await sql`delete from dash_call_day where ${grain('agent')} and ${agents}`.execute(trx);
  await sql`delete from dash_rule_day where ${grain('agent')} and ${agents}`.execute(trx);
  await upsertDay(sql`select brand, day, team, agent, 'agent', ${daySums(thresholdMs)} from dash_calls
    where ${agents} group by brand, day, team, agent`);
  await upsertRules(sql`select brand, day, team, agent, 'agent', rule, count(*) from dash_call_rules
    where ${agents} group by brand, day, team, agent, rule`);

  // The teams' days, from the agents' rows.
  const teams = and(base(onDay, true, false));
  await sql`delete from dash_call_day where ${grain('team')} and ${teams}`.execute(trx);
  await sql`delete from dash_rule_day where ${grain('team')} and ${teams}`.execute(trx);
  await upsertDay(sql`select brand, day, team, ${ALL}, 'team', ${summed} from dash_call_day
    where ${grain('agent')} and ${teams} group by brand, day, team`);
  await upsertRules(sql`select brand, day, team, ${ALL}, 'team', rule, sum(failed) from dash_rule_day
    where ${grain('agent')} and ${teams} group by brand, day, team, rule`);

  // The brand's days, from the teams' rows.
  const brand = and(base(onDay, false, false));
  await sql`delete from dash_call_day where ${grain('brand')} and ${brand}`.execute(trx);
  await sql`delete from dash_rule_day where ${grain('brand')} and ${brand}`.execute(trx);
  await upsertDay(sql`select brand, day, ${ALL}, ${ALL}, 'brand', ${summed} from dash_call_day
    where ${grain('team')} and ${brand} group by brand, day`);
  await upsertRules(sql`select brand, day, ${ALL}, ${ALL}, 'brand', rule, sum(failed) from dash_rule_day
    where ${grain('team')} and ${brand} group by brand, day, rule`);

  // The agent's month, from the agent's days.
  const month = where.day?.slice(0, 7);
  const inMonth = month === undefined ? null : sql`day >= ${`${month}-01`} and day <= ${monthEnd(month)}`;
  const monthOf = sql`substr(day, 1, 7)`;
  const months = [sql`brand = ${where.brand}`];
  if (month !== undefined) months.push(sql`month = ${month}`);
  if (where.team !== undefined) months.push(sql`team = ${where.team}`);
  if (where.agent !== undefined) months.push(sql`agent = ${where.agent}`);
  await sql`delete from dash_call_month where ${and(months)}`.execute(trx);
  await sql`insert into dash_call_month (brand, month, team, agent, ${ids(DAY_COLUMNS)})
    select brand, ${monthOf}, team, agent, ${summed} from dash_call_day
    where ${grain('agent')} and ${and(base(inMonth, true, true))} group by brand, ${monthOf}, team, agent
    on conflict (brand, month, team, agent) do update set ${excluded(DAY_COLUMNS)}`.execute(trx);
}

/** Stores a ticket's facts (with `onlyIfMissing`, only when it has none); whether it wrote. */
export async function saveTicketFacts(db: Db, f: TicketFacts, onlyIfMissing = false): Promise<boolean> {
  const row = {
    ticket_id: f.ticketId,
    brand: f.brand,
    type: f.type,
    level: f.level,
    status: f.status,
    open: f.open ? 1 : 0,
    created_at: f.createdAt,
    created_day: f.createdDay,
    reply_ms: f.replyMs,
    close_ms: f.closeMs,
    breached: f.breached ? 1 : 0,
    overdue: f.overdue ? 1 : 0,
    satisfaction: f.satisfaction,
  };
  const { ticket_id: _id, ...update } = row;
  const written = await db
    .insertInto('dash_tickets')
    .values(row)
    .onConflict((oc) =>
      onlyIfMissing ? oc.column('ticket_id').doNothing() : oc.column('ticket_id').doUpdateSet(update),
    )
    .executeTakeFirst();
  return !onlyIfMissing || Number(written.numInsertedOrUpdatedRows ?? 0) > 0;
}

// ---- appeals ----

/** Stores an appeal's facts (with `onlyIfMissing`, only when it has none); whether it wrote. */
export async function saveAppealFacts(db: Db, f: AppealFacts, onlyIfMissing = false): Promise<boolean> {
  const row = {
    appeal_id: f.appealId,
    call_id: f.callId,
    brand: f.brand,
    day: f.day,
    team: f.team,
    agent: f.agent,
    rule: f.rule,
    status: f.status,
  };
  const { appeal_id: _id, ...update } = row;
  const written = await db
    .insertInto('dash_appeals')
    .values(row)
    .onConflict((oc) =>
      onlyIfMissing
        ? oc.column('appeal_id').doNothing()
        : oc.column('appeal_id').doUpdateSet({
            ...update,
            // A judgement is final: the filing's event handled after it (handlers run
            // concurrently) must not make the appeal pending again.
            status: sql<string>`case when dash_appeals.status = 'open' then excluded.status else dash_appeals.status end`,
          }),
    )
    .executeTakeFirst();
  return !onlyIfMissing || Number(written.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The bucket an appeal was counted in, if it was. */
export async function appealBucket(db: Db, appealId: string): Promise<Bucket | undefined> {
  return await db
    .selectFrom('dash_appeals')
    .select(['brand', 'day', 'team', 'agent'])
    .where('appeal_id', '=', appealId)
    .executeTakeFirst();
}

const APPEAL_COLUMNS = ['filed', 'pending', 'upheld', 'overturned'] as const;

/**
 * Counts the appeal rollup of a bucket (or of a whole brand, or one brand's day) again from the
 * facts, agent grain first, then the team's and the brand's from it. Idempotent, as recountCalls.
 */
export async function recountAppeals(
  trx: Db,
  where: { brand: string; day?: string; team?: string; agent?: string },
): Promise<void> {
  const conds = (team: boolean, agent: boolean) => {
    const c = [sql`brand = ${where.brand}`];
    if (where.day !== undefined) c.push(sql`day = ${where.day}`);
    if (team && where.team !== undefined) c.push(sql`team = ${where.team}`);
    if (agent && where.agent !== undefined) c.push(sql`agent = ${where.agent}`);
    return and(c);
  };
  const upsert = (select: RawBuilder<unknown>) =>
    sql`insert into dash_appeal_day (brand, day, team, agent, grain, rule, ${ids(APPEAL_COLUMNS)}) ${select}
      on conflict (agent, team, brand, day, rule) do update set ${excluded(APPEAL_COLUMNS)}`.execute(trx);
  const summedAppeals = sql.join(APPEAL_COLUMNS.map((c) => sql`sum(${sql.id(c)})`));
  const agents = conds(true, true);
  await sql`delete from dash_appeal_day where grain = 'agent' and ${agents}`.execute(trx);
  await upsert(sql`select brand, day, team, agent, 'agent', rule, count(*),
      sum(case when status = 'open' then 1 else 0 end),
      sum(case when status = 'upheld' then 1 else 0 end),
      sum(case when status = 'overturned' then 1 else 0 end)
    from dash_appeals where ${agents} group by brand, day, team, agent, rule`);
  const teams = conds(true, false);
  await sql`delete from dash_appeal_day where grain = 'team' and ${teams}`.execute(trx);
  await upsert(sql`select brand, day, team, ${ALL}, 'team', rule, ${summedAppeals} from dash_appeal_day
    where grain = 'agent' and ${teams} group by brand, day, team, rule`);
  const brand = conds(false, false);
  await sql`delete from dash_appeal_day where grain = 'brand' and ${brand}`.execute(trx);
  await upsert(sql`select brand, day, ${ALL}, ${ALL}, 'brand', rule, ${summedAppeals} from dash_appeal_day
    where grain = 'team' and ${brand} group by brand, day, rule`);
}

export interface AppealSums {
  key: string;
  filed: number;
  pending: number;
  upheld: number;
  overturned: number;
}

const toAppealSums = (row: Record<string, unknown>, key: string): AppealSums => ({
  key,
  filed: num(row.filed),
  pending: num(row.pending),
  upheld: num(row.upheld),
  overturned: num(row.overturned),
});

const appealSums = sql.join(APPEAL_COLUMNS.map((c) => sql`sum(${sql.id(c)}) as ${sql.id(c)}`));

/** The appeals against the calls of the query's days, one row per value of `dim` (or `rule`). */
export async function appealSumsBy(db: Db, q: FactQuery, dim: Dimension | 'rule'): Promise<AppealSums[]> {
  const key = dim === 'all' ? sql`''` : sql.id(dim);
  const group = dim === 'all' ? sql`` : sql`group by ${key} order by ${key}`;
  const grain = grainOf(q, dim === 'rule' ? 'all' : dim);
  const r = await sql<Record<string, unknown>>`select ${key} as key, ${appealSums}
    from dash_appeal_day where ${rollupFilter(q, grain, between(q.from, q.to))} ${group}`.execute(db);
  return r.rows.filter((row) => num(row.filed) > 0).map((row) => toAppealSums(row, String(row.key ?? '')));
}

// ---- the back-fill ----

/** Which of `ids` have facts of the kind already. */
export async function withFacts(
  db: Db,
  kind: 'calls' | 'tickets' | 'appeals',
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows =
    kind === 'calls'
      ? await db.selectFrom('dash_calls').select('call_id as id').where('call_id', 'in', ids).execute()
      : kind === 'tickets'
        ? await db
            .selectFrom('dash_tickets')
            .select('ticket_id as id')
            .where('ticket_id', 'in', ids)
            .execute()
        : await db
            .selectFrom('dash_appeals')
            .select('appeal_id as id')
            .where('appeal_id', 'in', ids)
            .execute();
  return new Set(rows.map((r) => r.id));
}

/** Whether any facts of each kind are kept. */
export async function factsKept(db: Db): Promise<{ calls: boolean; tickets: boolean; appeals: boolean }> {
  const any = async (table: 'dash_calls' | 'dash_tickets' | 'dash_appeals') =>
    (await db.selectFrom(table).select(sql<number>`1`.as('one')).limit(1).executeTakeFirst()) !== undefined;
  return {
    calls: await any('dash_calls'),
    tickets: await any('dash_tickets'),
    appeals: await any('dash_appeals'),
  };
}

// ---- the dashboards ----

/** The grain a query reads: the finest its filters need. */
function grainOf(q: FactQuery, dim: Dimension): Grain {
  if (q.agent !== undefined || dim === 'agent') return 'agent';
  if (q.team !== undefined || dim === 'team') return 'team';
  return 'brand';
}

function rollupFilter(q: FactQuery, grain: Grain, days: RawBuilder<unknown>): RawBuilder<unknown> {
  const c = [sql`grain = ${grain}`, days];
  if (q.brand !== null) c.push(sql`brand = ${q.brand}`);
  if (q.team !== undefined) c.push(sql`team = ${q.team}`);
  if (q.agent !== undefined) c.push(sql`agent = ${q.agent}`);
  return and(c);
}

const between = (from: string, to: string) => sql`day >= ${from} and day <= ${to}`;

const nextMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
const lastDayOf = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
const dayBefore = (day: string) => new Date(Date.parse(day) - 86_400_000).toISOString().slice(0, 10);
const dayAfter = (day: string) => new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);

/** The whole months within [from, to], and the days outside them: [first, last] or null. */
export function splitMonths(
  from: string,
  to: string,
): { months: [string, string] | null; days: [string, string][] } {
  const first = from.endsWith('-01') ? from.slice(0, 7) : nextMonth(from.slice(0, 7));
  const last =
    lastDayOf(to.slice(0, 7)) === to
      ? to.slice(0, 7)
      : to.slice(0, 7) === first
        ? null
        : previousMonth(to.slice(0, 7));
  if (last === null || first > last) return { months: null, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < `${first}-01`) days.push([from, dayBefore(`${first}-01`)]);
  if (to > lastDayOf(last)) days.push([dayAfter(lastDayOf(last)), to]);
  return { months: [first, last], days };
}
function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export type DayRow = { key: string } & Record<(typeof DAY_COLUMNS)[number], number>;

function toDayRows(rows: Record<string, unknown>[], dim: Dimension): DayRow[] {
  return rows
    .filter((row) => dim !== 'all' || row.calls !== null)
    .map((row) => {
      const out: Record<string, unknown> = { key: String(row.key ?? '') };
      for (const c of DAY_COLUMNS) out[c] = num(row[c]);
      return out as DayRow;
    });
}

/**
 * The rollup's sums over the query, one row per value of `dim`, ordered by it. Reads the
 * coarsest grain the filters allow; per agent over whole months, the months' rows.
 */
export async function daySumsBy(db: Db, q: FactQuery, dim: Dimension): Promise<DayRow[]> {
  const sums = sql.join(DAY_COLUMNS.map((c) => sql`sum(${sql.id(c)}) as ${sql.id(c)}`));
  const key = dim === 'all' ? sql`''` : sql.id(dim);
  const group = dim === 'all' ? sql`` : sql`group by ${key} order by ${key}`;
  const grain = grainOf(q, dim);
  const split =
    dim === 'agent' || dim === 'team' || dim === 'brand' || dim === 'all' ? splitMonths(q.from, q.to) : null;
  if (grain === 'agent' && q.agent === undefined && split?.months) {
    // Per agent over a long period: the whole months from dash_call_month, the days around them.
    const cols = ids(['brand', 'team', 'agent', ...DAY_COLUMNS]);
    const m = [sql`month >= ${split.months[0]}`, sql`month <= ${split.months[1]}`];
    if (q.brand !== null) m.push(sql`brand = ${q.brand}`);
    if (q.team !== undefined) m.push(sql`team = ${q.team}`);
    const parts = [sql`select ${cols} from dash_call_month where ${and(m)}`];
    for (const [a, b] of split.days)
      parts.push(sql`select ${cols} from dash_call_day where ${rollupFilter(q, 'agent', between(a, b))}`);
    const r = await sql<Record<string, unknown>>`select ${key} as key, ${sums}
      from (${sql.join(parts, sql` union all `)}) s ${group}`.execute(db);
    return toDayRows(r.rows, dim);
  }
  const r = await sql<Record<string, unknown>>`select ${key} as key, ${sums}
    from dash_call_day where ${rollupFilter(q, grain, between(q.from, q.to))} ${group}`.execute(db);
  return toDayRows(r.rows, dim);
}

/** The rules failed most often over the query. */
export async function topRules(
  db: Db,
  q: FactQuery,
  limit: number,
): Promise<{ rule: string; failed: number }[]> {
  const r = await sql<{ rule: string; failed: unknown }>`select rule, sum(failed) as failed
    from dash_rule_day where ${rollupFilter(q, grainOf(q, 'all'), between(q.from, q.to))}
    group by rule order by sum(failed) desc, rule limit ${limit}`.execute(db);
  return r.rows.map((x) => ({ rule: x.rule, failed: num(x.failed) }));
}

/** How often each of `rules` failed per day. */
export async function ruleTrend(
  db: Db,
  q: FactQuery,
  rules: readonly string[],
): Promise<{ rule: string; day: string; failed: number }[]> {
  if (rules.length === 0) return [];
  const r = await sql<{ rule: string; day: string; failed: unknown }>`select rule, day, sum(failed) as failed
    from dash_rule_day where ${rollupFilter(q, grainOf(q, 'all'), between(q.from, q.to))}
    and rule in (${sql.join(rules.map((x) => sql`${x}`))})
    group by rule, day order by day, rule`.execute(db);
  return r.rows.map((x) => ({ rule: x.rule, day: x.day, failed: num(x.failed) }));
}

export interface FatalRow {
  callId: string;
  brand: string;
  startedAt: string;
  team: string;
  agent: string;
  score: number | null;
}

/**
 * The latest calls with a fatal finding over the query, newest first: `from` / `to` are the
 * instants the query's first day starts and the day after its last starts (partial indexes in
 * time order; the literal `qa_fatal = 1` lets the planner take them).
 */
export async function fatalCalls(
  db: Db,
  q: FactQuery,
  instants: { from: string; to: string },
  limit: number,
): Promise<FatalRow[]> {
  let query = db
    .selectFrom('dash_calls')
    .select(['call_id', 'brand', 'started_at', 'team', 'agent', 'qa_score'])
    .where(sql<boolean>`qa_fatal = 1`)
    .where('started_at', '>=', instants.from)
    .where('started_at', '<', instants.to);
  if (q.brand !== null) query = query.where('brand', '=', q.brand);
  if (q.team !== undefined) query = query.where('team', '=', q.team);
  if (q.agent !== undefined) query = query.where('agent', '=', q.agent);
  const rows = await query.orderBy('started_at', 'desc').orderBy('call_id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    callId: r.call_id,
    brand: r.brand,
    startedAt: r.started_at,
    team: r.team,
    agent: r.agent,
    score: r.qa_score === null ? null : Number(r.qa_score),
  }));
}

/** Open tickets (not closed) by type and escalation level. */
export async function ticketBacklog(
  db: Db,
  brand: string | null,
): Promise<{ type: string; level: string; open: number; overdue: number }[]> {
  let query = db
    .selectFrom('dash_tickets')
    .select((eb) => [
      'type',
      'level',
      eb.fn.countAll<number>().as('open'),
      eb.fn.sum<number>('overdue').as('overdue'),
    ])
    .where('open', '=', 1);
  if (brand !== null) query = query.where('brand', '=', brand);
  const rows = await query.groupBy(['type', 'level']).orderBy('type').orderBy('level').execute();
  return rows.map((r) => ({ type: r.type, level: r.level, open: num(r.open), overdue: num(r.overdue) }));
}

export interface TicketSumsRow {
  key: string;
  opened: number;
  breached: number;
  replied: number;
  replyMs: number;
  closed: number;
  closeMs: number;
  visited: number;
  satisfactionSum: number;
  satisfied: number;
}

/** Counts the ticket rollup of a brand's day (and type), or of the whole brand, again from the ticket facts. */
export async function recountTickets(
  trx: Db,
  where: { brand: string; day?: string; type?: string },
): Promise<void> {
  const c = [sql`brand = ${where.brand}`];
  if (where.day !== undefined) c.push(sql`created_day = ${where.day}`);
  if (where.type !== undefined) c.push(sql`type = ${where.type}`);
  const filter = and(c);
  const dayFilter = and(c.map((x, i) => (i === 1 && where.day !== undefined ? sql`day = ${where.day}` : x)));
  await sql`delete from dash_ticket_day where ${dayFilter}`.execute(trx);
  await sql`insert into dash_ticket_day (brand, day, type, opened, breached, replied, reply_ms, closed, close_ms,
      visited, satisfaction_sum, satisfied)
    select brand, created_day, type, count(*), sum(breached),
      sum(case when reply_ms is not null then 1 else 0 end), coalesce(sum(reply_ms), 0),
      sum(case when close_ms is not null then 1 else 0 end), coalesce(sum(close_ms), 0),
      sum(case when satisfaction is not null then 1 else 0 end), coalesce(sum(satisfaction), 0),
      sum(case when satisfaction >= 4 then 1 else 0 end)
    from dash_tickets where ${filter} group by brand, created_day, type
    on conflict (brand, day, type) do update set ${excluded([
      'opened',
      'breached',
      'replied',
      'reply_ms',
      'closed',
      'close_ms',
      'visited',
      'satisfaction_sum',
      'satisfied',
    ])}`.execute(trx);
}

/** The tickets opened in the query's days, one row per type or day (from the daily rollup). */
export async function ticketSums(
  db: Db,
  q: FactQuery,
  dim: 'all' | 'type' | 'day',
): Promise<TicketSumsRow[]> {
  const key = dim === 'all' ? sql`''` : sql.id(dim);
  const group = dim === 'all' ? sql`` : sql`group by ${key} order by ${key}`;
  const conds = [between(q.from, q.to)];
  if (q.brand !== null) conds.unshift(sql`brand = ${q.brand}`);
  const r = await sql<Record<string, unknown>>`select ${key} as key, sum(opened) as opened,
      sum(breached) as breached, sum(replied) as replied, sum(reply_ms) as reply_ms, sum(closed) as closed,
      sum(close_ms) as close_ms, sum(visited) as visited, sum(satisfaction_sum) as satisfaction_sum,
      sum(satisfied) as satisfied
    from dash_ticket_day where ${and(conds)} ${group}`.execute(db);
  return r.rows
    .filter((row) => num(row.opened) > 0)
    .map((row) => ({
      key: String(row.key ?? ''),
      opened: num(row.opened),
      breached: num(row.breached),
      replied: num(row.replied),
      replyMs: num(row.reply_ms),
      closed: num(row.closed),
      closeMs: num(row.close_ms),
      visited: num(row.visited),
      satisfactionSum: num(row.satisfaction_sum),
      satisfied: num(row.satisfied),
    }));
}
