// SQL for stored calls. The only place that touches the calls table; rows are mapped to the
// domain values of service.ts before they leave.
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { CallsTable, DB } from '../db/schema.ts';
import { type CallResult, isScored } from '../qa/result.ts';
import type { CallEvent, Channel, Direction, Turn } from './model.ts';
import type { CallSummary, StoredCall } from './views.ts';

export type Db = Kysely<DB> | Transaction<DB>;

/** What the service hands over to store: the call, and the columns derived for searching. */
export interface NewCallRecord {
  call: StoredCall;
  /** The words of every turn, normalized (Simplified, half-width, lower case), one turn a line. */
  transcript: string;
}

/** Failed rule ids as stored: ",a,b," so that one LIKE finds a rule exactly. */
/** `qa_scored`: whether some rule applied, so the lists show no score for a call all n/a. */
const scoredFlag = (qa: StoredCall['qa']) => (qa ? (isScored(qa.result) ? 1 : 0) : null);
const ruleList = (ids: readonly string[]) => (ids.length ? `,${ids.join(',')},` : '');
const parseRuleList = (s: string) => s.split(',').filter(Boolean);
/** pg gives `real` back as float4: 83.33 becomes 83.33000183; scores have two decimals. */
const score = (v: number | null) => (v === null ? null : Math.round(Number(v) * 100) / 100);

const SUMMARY_COLUMNS = [
  'id',
  'brand',
  'direction',
  'channel',
  'agent_id',
  'agent_name',
  'customer_phone',
  'started_at',
  'ended_at',
  'subject',
  'answered',
  'qa_score',
  'qa_fatal',
  'qa_failed_rules',
  'qa_scorecard_version',
  'qa_scored',
  'created_at',
] as const;

type SummaryRow = Pick<Selectable<CallsTable>, (typeof SUMMARY_COLUMNS)[number]>;

function toSummary(r: SummaryRow): CallSummary {
  return {
    id: r.id,
    brand: r.brand,
    direction: r.direction as Direction,
    channel: r.channel as Channel,
    agent: { id: r.agent_id, name: r.agent_name },
    customerPhone: r.customer_phone,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    subject: r.subject,
    answered: r.answered === null ? null : Number(r.answered) === 1,
    qa:
      r.qa_score === null
        ? null
        : {
            score: score(r.qa_score) ?? 0,
            fatal: Number(r.qa_fatal) === 1,
            failedRules: parseRuleList(r.qa_failed_rules),
            scorecardVersion: r.qa_scorecard_version == null ? null : Number(r.qa_scorecard_version),
            // Unknown (a row written by an older build before its migration): scored, as before.
            scored: r.qa_scored == null || Number(r.qa_scored) === 1,
          },
    createdAt: r.created_at,
  };
}

function toStored(r: Selectable<CallsTable>): StoredCall {
  const summary = toSummary(r);
  return {
    ...summary,
    events: JSON.parse(r.events) as CallEvent[],
    turns: JSON.parse(r.turns) as Turn[],
    qa: summary.qa && r.qa_result ? { ...summary.qa, result: JSON.parse(r.qa_result) as CallResult } : null,
  };
}

export async function insertCall(db: Db, rec: NewCallRecord): Promise<void> {
  const c = rec.call;
  await db
    .insertInto('calls')
    .values({
      id: c.id,
      brand: c.brand,
      direction: c.direction,
      channel: c.channel,
      agent_id: c.agent.id,
      agent_name: c.agent.name,
      customer_phone: c.customerPhone,
      started_at: c.startedAt,
      ended_at: c.endedAt,
      subject: c.subject,
      events: JSON.stringify(c.events),
      turns: JSON.stringify(c.turns),
      transcript: rec.transcript,
      qa_score: c.qa?.score ?? null,
      qa_fatal: c.qa ? (c.qa.fatal ? 1 : 0) : null,
      qa_failed_rules: ruleList(c.qa?.failedRules ?? []),
      qa_result: c.qa ? JSON.stringify(c.qa.result) : null,
      qa_scorecard_version: c.qa?.scorecardVersion ?? null,
      qa_scored: scoredFlag(c.qa),
      created_at: c.createdAt,
      answered: c.answered === null ? null : c.answered ? 1 : 0,
    })
    .execute();
}

export async function callExists(db: Db, id: string): Promise<boolean> {
  const r = await db.selectFrom('calls').select('id').where('id', '=', id).executeTakeFirst();
  return r !== undefined;
}

/** The brand of a stored call; undefined when no call has the id. */
export async function brandOfCall(db: Db, id: string): Promise<string | undefined> {
  const r = await db.selectFrom('calls').select('brand').where('id', '=', id).executeTakeFirst();
  return r?.brand;
}

export async function findCall(db: Db, id: string): Promise<StoredCall | undefined> {
  const r = await db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toStored(r) : undefined;
}

/** Replaces the words of a call and what was derived from them (a transcript that came later). */
export async function updateTranscript(db: Db, rec: NewCallRecord): Promise<number> {
  const c = rec.call;
  const r = await db
    .updateTable('calls')
    .set({
      turns: JSON.stringify(c.turns),
      transcript: rec.transcript,
      subject: c.subject,
      ended_at: c.endedAt,
      answered: c.answered === null ? null : c.answered ? 1 : 0,
      qa_score: c.qa?.score ?? null,
      qa_fatal: c.qa ? (c.qa.fatal ? 1 : 0) : null,
      qa_failed_rules: ruleList(c.qa?.failedRules ?? []),
      qa_result: c.qa ? JSON.stringify(c.qa.result) : null,
      qa_scorecard_version: c.qa?.scorecardVersion ?? null,
      qa_scored: scoredFlag(c.qa),
    })
    .where('id', '=', c.id)
    .where('turns', '=', '[]')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Replaces a call's QA result (re-inspection after a scorecard change). */
export async function updateQa(
  db: Db,
  call: StoredCall,
  scorecardVersion: number | null = null,
): Promise<void> {
  await db
    .updateTable('calls')
    .set({
      qa_score: call.qa?.score ?? null,
      qa_fatal: call.qa ? (call.qa.fatal ? 1 : 0) : null,
      qa_failed_rules: ruleList(call.qa?.failedRules ?? []),
      qa_result: call.qa ? JSON.stringify(call.qa.result) : null,
      qa_scorecard_version: call.qa ? scorecardVersion : null,
      qa_scored: scoredFlag(call.qa),
    })
    .where('id', '=', call.id)
    .execute();
}

/** Records that the call's stored result is also the one of this scorecard version. */
export async function updateQaVersion(
  db: Db,
  callId: string,
  scorecardVersion: number | null,
): Promise<void> {
  await db
    .updateTable('calls')
    .set({ qa_scorecard_version: scorecardVersion })
    .where('id', '=', callId)
    .execute();
}

/** One machine result of a call, per scorecard version (call_inspections). */
export interface InspectionRecord {
  callId: string;
  scorecardVersion: number;
  score: number;
  fatal: boolean;
  failedRules: string[];
  /** As stored on the call (qa.result of the call's view). */
  result: NonNullable<StoredCall['qa']>['result'];
  inspectedAt: string;
}

/**
 * Keeps a call's machine result under its scorecard version. A result for that version stored
 * already stays as it is (a re-run adds nothing): returns whether a row was added.
 */
export async function insertInspection(db: Db, r: InspectionRecord): Promise<boolean> {
  const res = await db
    .insertInto('call_inspections')
    .values({
      call_id: r.callId,
      scorecard_version: r.scorecardVersion,
      score: r.score,
      fatal: r.fatal ? 1 : 0,
      failed_rules: ruleList(r.failedRules),
      result: JSON.stringify(r.result),
      inspected_at: r.inspectedAt,
    })
    .onConflict((oc) => oc.columns(['call_id', 'scorecard_version']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function hasInspection(db: Db, callId: string, scorecardVersion: number): Promise<boolean> {
  const row = await db
    .selectFrom('call_inspections')
    .select('call_id')
    .where('call_id', '=', callId)
    .where('scorecard_version', '=', scorecardVersion)
    .executeTakeFirst();
  return row !== undefined;
}

/** A call's machine results, newest scorecard version first. */
export async function inspectionsOf(db: Db, callId: string): Promise<InspectionRecord[]> {
  const rows = await db
    .selectFrom('call_inspections')
    .selectAll()
    .where('call_id', '=', callId)
    .orderBy('scorecard_version', 'desc')
    .execute();
  return rows.map((r) => ({
    callId: r.call_id,
    scorecardVersion: Number(r.scorecard_version),
    score: score(r.score) ?? 0,
    fatal: Number(r.fatal) === 1,
    failedRules: parseRuleList(r.failed_rules),
    result: JSON.parse(r.result) as InspectionRecord['result'],
    inspectedAt: r.inspected_at,
  }));
}

/** The scorecard version of the result stored on the call (null: before versions). */
export async function qaScorecardVersion(db: Db, callId: string): Promise<number | null> {
  const row = await db
    .selectFrom('calls')
    .select('qa_scorecard_version')
    .where('id', '=', callId)
    .executeTakeFirst();
  return row?.qa_scorecard_version == null ? null : Number(row.qa_scorecard_version);
}

export async function updateSubject(db: Db, id: string, subject: string | null): Promise<void> {
  await db.updateTable('calls').set({ subject }).where('id', '=', id).execute();
}

/** Search filters as the service resolved them: instants are ISO UTC, text is normalized. */
export interface CallQuery {
  phone?: string;
  /** Digits the number ends with (尾号). */
  phoneSuffix?: string;
  agentId?: string;
  brand?: string;
  /** started_at ≥ from */
  from?: string;
  /** started_at < to */
  to?: string;
  failedRule?: string;
  /** Normalized text to find anywhere in the transcript. */
  text?: string;
  answered?: boolean;
}

/** LIKE pattern for a literal substring; `\` escapes (ESCAPE '\' on both engines). */
const contains = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filtered(db: Db, f: CallQuery) {
  let q = db.selectFrom('calls');
  if (f.phone !== undefined) q = q.where('customer_phone', '=', f.phone);
  if (f.phoneSuffix !== undefined) q = q.where('customer_phone', 'like', `%${f.phoneSuffix}`);
  if (f.agentId !== undefined) q = q.where('agent_id', '=', f.agentId);
  if (f.brand !== undefined) q = q.where('brand', '=', f.brand);
  if (f.from !== undefined) q = q.where('started_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('started_at', '<', f.to);
  if (f.failedRule !== undefined) q = q.where('qa_failed_rules', 'like', `%,${f.failedRule},%`);
  if (f.answered !== undefined) q = q.where('answered', '=', f.answered ? 1 : 0);
  if (f.text !== undefined) {
    const pattern = contains(f.text);
    q = q.where(sql<boolean>`transcript like ${pattern} escape '\\'`);
  }
  return q;
}

export async function searchCalls(
  db: Db,
  f: CallQuery,
  page: { limit: number; offset: number },
): Promise<{ items: CallSummary[]; total: number }> {
  const q = filtered(db, f);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select(SUMMARY_COLUMNS)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { items: rows.map(toSummary), total: Number(total.n) };
}

/** Every matching call with its QA result, oldest first, a page at a time (for exports). */
export async function* streamCalls(db: Db, f: CallQuery, pageSize = 500): AsyncGenerator<StoredCall> {
  let after: { startedAt: string; id: string } | null = null;
  for (;;) {
    let q = filtered(db, f).selectAll();
    if (after) {
      const a = after;
      q = q.where((eb) =>
        eb.or([
          eb('started_at', '>', a.startedAt),
          eb.and([eb('started_at', '=', a.startedAt), eb('id', '>', a.id)]),
        ]),
      );
    }
    const rows = await q.orderBy('started_at').orderBy('id').limit(pageSize).execute();
    for (const r of rows) yield toStored(r);
    const last = rows[rows.length - 1];
    if (!last || rows.length < pageSize) return;
    after = { startedAt: last.started_at, id: last.id };
  }
}

/** Calls of a number that started in [from, before), newest first; of one brand when given. */
export async function callsOfPhoneBetween(
  db: Db,
  phone: string,
  brand: string | null,
  from: string,
  before: string,
): Promise<CallSummary[]> {
  let q = db
    .selectFrom('calls')
    .select(SUMMARY_COLUMNS)
    .where('customer_phone', '=', phone)
    .where('started_at', '>=', from)
    .where('started_at', '<', before);
  if (brand !== null) q = q.where('brand', '=', brand);
  const rows = await q.orderBy('started_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toSummary);
}

/** The latest calls of a number, newest first; of one brand when given (a brand-limited reader's). */
export async function callsOfPhone(
  db: Db,
  phone: string,
  limit: number,
  brand: string | null = null,
): Promise<CallSummary[]> {
  let q = db.selectFrom('calls').select(SUMMARY_COLUMNS).where('customer_phone', '=', phone);
  if (brand !== null) q = q.where('brand', '=', brand);
  const rows = await q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toSummary);
}

/** A brand's calls that started in [from, before), with their agent and whether the inspection found a fatal failure (sampling plans). */
export async function callsForSampling(
  db: Db,
  brand: string,
  from: string,
  before: string,
): Promise<{ id: string; agentId: string | null; fatal: boolean }[]> {
  const rows = await db
    .selectFrom('calls')
    .select(['id', 'agent_id', 'qa_fatal'])
    .where('brand', '=', brand)
    .where('started_at', '>=', from)
    .where('started_at', '<', before)
    .where('qa_score', 'is not', null)
    // Not a call with no score (every rule n/a: a missed call): nothing there for a reviewer.
    .where((eb) => eb.or([eb('qa_scored', '=', 1), eb('qa_scored', 'is', null)]))
    .execute();
  return rows.map((r) => ({ id: r.id, agentId: r.agent_id, fatal: Number(r.qa_fatal) === 1 }));
}
