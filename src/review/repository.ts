// SQL of the review module: sampling plans, reviews, appeals and calibration sessions. The only
// place that touches those tables; rows become the domain values of model.ts before they leave.
// Calls, tickets, users, notifications and events belong to their modules: their repositories'
// functions are re-exported here for the review service, which passes its transaction.
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { DB, ReviewAppealsTable, ReviewsTable } from '../db/schema.ts';
import type {
  AppealStatus,
  AssignStrategy,
  MachineFinding,
  MissedFinding,
  SampleMode,
  SampleReason,
  SamplingPlan,
  Verdict,
} from './domain.ts';
import type { Appeal, CalibrationSession, Review, ReviewStatus } from './model.ts';

export type Db = Kysely<DB> | Transaction<DB>;

export { activeUserIdsWithAgentNumber, displayNames, usersWithRole } from '../accounts/repository.ts';
export { callsForSampling, findCall } from '../calls/repository.ts';
export { appendEvents } from '../events/repository.ts';
export { callsWithComplaint, insertNotifications } from '../tickets/repository.ts';

// ---- plans ----

export async function findPlan(db: Db, brand: string): Promise<SamplingPlan | undefined> {
  const r = await db.selectFrom('review_plans').selectAll().where('brand', '=', brand).executeTakeFirst();
  if (!r) return undefined;
  return {
    brand: r.brand,
    allFatal: Number(r.all_fatal) === 1,
    allComplaints: Number(r.all_complaints) === 1,
    mode: r.mode as SampleMode,
    amount: Number(r.amount),
    seed: Number(r.seed),
    dueDays: Number(r.due_days),
    appealWindowDays: Number(r.appeal_window_days),
    assign: r.assign as AssignStrategy,
  };
}

/** The brands whose sampling plan a lead has saved (the scheduled run takes only those). */
export async function savedPlanBrands(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('review_plans').select('brand').orderBy('brand').execute();
  return rows.map((r) => r.brand);
}

export async function savePlan(db: Db, p: SamplingPlan, at: string, by: string | null): Promise<void> {
  const values = {
    all_fatal: p.allFatal ? 1 : 0,
    all_complaints: p.allComplaints ? 1 : 0,
    mode: p.mode,
    amount: p.amount,
    seed: p.seed,
    due_days: p.dueDays,
    appeal_window_days: p.appealWindowDays,
    assign: p.assign,
    updated_at: at,
    updated_by: by,
  };
  await db
    .insertInto('review_plans')
    .values({ brand: p.brand, ...values })
    .onConflict((oc) => oc.column('brand').doUpdateSet(values))
    .execute();
}

// ---- reviews ----

function toReview(r: Selectable<ReviewsTable>): Review {
  const score = (v: number | null) => (v === null ? null : Math.round(Number(v) * 100) / 100);
  return {
    id: r.id,
    callId: r.call_id,
    brand: r.brand,
    agent: { id: r.agent_id, name: r.agent_name },
    inspectorId: r.inspector_id,
    reason: r.reason as SampleReason,
    week: r.week,
    sessionId: r.session_id,
    status: r.status as ReviewStatus,
    dueAt: r.due_at,
    createdAt: r.created_at,
    completedAt: r.completed_at,
    machine: { score: score(r.machine_score), fatal: Number(r.machine_fatal) === 1 },
    findings: JSON.parse(r.findings) as MachineFinding[],
    verdicts: JSON.parse(r.verdicts) as Record<string, Verdict>,
    missed: JSON.parse(r.missed) as MissedFinding[],
    comment: r.comment,
    computedScore: score(r.computed_score),
    finalScore: score(r.final_score),
    finalFatal: r.final_fatal === null ? null : Number(r.final_fatal) === 1,
    overrideReason: r.override_reason,
    version: Number(r.version),
  };
}

function reviewRow(v: Review, slot: string): Selectable<ReviewsTable> {
  return {
    id: v.id,
    call_id: v.callId,
    brand: v.brand,
    agent_id: v.agent.id,
    agent_name: v.agent.name,
    inspector_id: v.inspectorId,
    reason: v.reason,
    week: v.week,
    session_id: v.sessionId,
    slot,
    status: v.status,
    due_at: v.dueAt,
    created_at: v.createdAt,
    completed_at: v.completedAt,
    machine_score: v.machine.score,
    machine_fatal: v.machine.fatal ? 1 : 0,
    findings: JSON.stringify(v.findings),
    verdicts: JSON.stringify(v.verdicts),
    missed: JSON.stringify(v.missed),
    comment: v.comment,
    computed_score: v.computedScore,
    final_score: v.finalScore,
    final_fatal: v.finalFatal === null ? null : v.finalFatal ? 1 : 0,
    override_reason: v.overrideReason,
    version: v.version,
  };
}

/** The calls among these that already have a review in the slot. */
export async function reviewedInSlot(db: Db, callIds: readonly string[], slot: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < callIds.length; i += 500) {
    const rows = await db
      .selectFrom('reviews')
      .select('call_id')
      .where('slot', '=', slot)
      .where('call_id', 'in', callIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.add(r.call_id);
  }
  return out;
}

export async function insertReviews(
  db: Db,
  items: readonly { review: Review; slot: string }[],
): Promise<void> {
  for (let i = 0; i < items.length; i += 200)
    await db
      .insertInto('reviews')
      .values(items.slice(i, i + 200).map((x) => reviewRow(x.review, x.slot)))
      .execute();
}

/** Open (assigned) reviews per inspector. */
export async function openLoad(db: Db, inspectorIds: readonly string[]): Promise<Map<string, number>> {
  if (inspectorIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('reviews')
    .select(['inspector_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'assigned')
    .where('inspector_id', 'in', inspectorIds)
    .groupBy('inspector_id')
    .execute();
  return new Map(rows.map((r) => [r.inspector_id, Number(r.n)]));
}

export async function findReview(db: Db, id: string): Promise<Review | undefined> {
  const r = await db.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toReview(r) : undefined;
}

export interface ReviewQuery {
  brand?: string;
  inspectorId?: string;
  status?: ReviewStatus;
  /** An agent's reviewed calls: their 工号 (at their brand when given). */
  agent?: { agentId: string; brand: string | null };
  sessionId?: string;
  /** Sampled reviews only (no calibration ones): what agents and the review queue see. */
  sampledOnly?: boolean;
}

export async function listReviews(
  db: Db,
  f: ReviewQuery,
  page: { limit: number; offset: number },
): Promise<{ items: Review[]; total: number }> {
  let q = db.selectFrom('reviews');
  if (f.brand !== undefined) q = q.where('brand', '=', f.brand);
  if (f.inspectorId !== undefined) q = q.where('inspector_id', '=', f.inspectorId);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.sessionId !== undefined) q = q.where('session_id', '=', f.sessionId);
  if (f.sampledOnly) q = q.where('session_id', 'is', null);
  if (f.agent !== undefined) {
    q = q.where('agent_id', '=', f.agent.agentId);
    if (f.agent.brand !== null) q = q.where('brand', '=', f.agent.brand);
  }
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('due_at')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { items: rows.map(toReview), total: Number(total.n) };
}

/** Stores a changed review if nobody changed it meanwhile; false when the version moved on. */
export async function updateReview(db: Db, v: Review, expectedVersion: number): Promise<boolean> {
  const { id: _id, slot: _slot, ...row } = reviewRow(v, '');
  const r = await db
    .updateTable('reviews')
    .set(row)
    .where('id', '=', v.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Completed sampled and calibration reviews of a brand, completed in [from, before). */
export async function completedReviews(
  db: Db,
  brand: string,
  from: string,
  before: string,
): Promise<Review[]> {
  const rows = await db
    .selectFrom('reviews')
    .selectAll()
    .where('brand', '=', brand)
    .where('status', '=', 'done')
    .where('completed_at', '>=', from)
    .where('completed_at', '<', before)
    .execute();
  return rows.map(toReview);
}

// ---- appeals ----

function toAppeal(r: Selectable<ReviewAppealsTable>): Appeal {
  return {
    id: r.id,
    reviewId: r.review_id,
    callId: r.call_id,
    brand: r.brand,
    agentUserId: r.agent_user_id,
    finding: r.finding,
    rule: r.rule,
    reason: r.reason,
    status: r.status as AppealStatus,
    filedAt: r.filed_at,
    judgedBy: r.judged_by,
    judgedAt: r.judged_at,
    judgementNote: r.judgement_note,
  };
}

export async function insertAppeal(db: Db, a: Appeal): Promise<void> {
  await db
    .insertInto('review_appeals')
    .values({
      id: a.id,
      review_id: a.reviewId,
      call_id: a.callId,
      brand: a.brand,
      agent_user_id: a.agentUserId,
      finding: a.finding,
      rule: a.rule,
      reason: a.reason,
      status: a.status,
      filed_at: a.filedAt,
      judged_by: a.judgedBy,
      judged_at: a.judgedAt,
      judgement_note: a.judgementNote,
    })
    .execute();
}

export async function findAppeal(db: Db, id: string): Promise<Appeal | undefined> {
  const r = await db.selectFrom('review_appeals').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toAppeal(r) : undefined;
}

export async function appealOfFinding(
  db: Db,
  reviewId: string,
  finding: string,
): Promise<Appeal | undefined> {
  const r = await db
    .selectFrom('review_appeals')
    .selectAll()
    .where('review_id', '=', reviewId)
    .where('finding', '=', finding)
    .executeTakeFirst();
  return r ? toAppeal(r) : undefined;
}

export async function appealsOfReview(db: Db, reviewId: string): Promise<Appeal[]> {
  const rows = await db
    .selectFrom('review_appeals')
    .selectAll()
    .where('review_id', '=', reviewId)
    .orderBy('filed_at')
    .orderBy('id')
    .execute();
  return rows.map(toAppeal);
}

/** An appeal as listed: with the agent of its call (工号 and name as the call gave them) and the review's inspector. */
export interface ListedAppeal {
  appeal: Appeal;
  agent: { number: string | null; name: string | null };
  inspectorId: string;
}

export type AppealSort = 'filed' | 'agent';

/**
 * One page of appeals, joined to their reviews (one query: the agent and the inspector come
 * with the appeal). `agent`: the 工号 of the call's agent. Sorted by filing (oldest first) or by
 * the agent's 工号 (appeals without one last), then by filing.
 */
export async function listAppeals(
  db: Db,
  f: { status?: AppealStatus; brand?: string; agentUserId?: string; agent?: string },
  page: { limit: number; offset: number },
  sort: AppealSort = 'filed',
): Promise<{ items: ListedAppeal[]; total: number }> {
  let q = db.selectFrom('review_appeals').innerJoin('reviews', 'reviews.id', 'review_appeals.review_id');
  if (f.status !== undefined) q = q.where('review_appeals.status', '=', f.status);
  if (f.brand !== undefined) q = q.where('review_appeals.brand', '=', f.brand);
  if (f.agentUserId !== undefined) q = q.where('review_appeals.agent_user_id', '=', f.agentUserId);
  if (f.agent !== undefined) q = q.where('reviews.agent_id', '=', f.agent);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let ordered = q
    .selectAll('review_appeals')
    .select(['reviews.agent_id', 'reviews.agent_name', 'reviews.inspector_id']);
  if (sort === 'agent')
    ordered = ordered
      .orderBy(sql`case when reviews.agent_id is null then 1 else 0 end`)
      // 工号 as numbers read: 999 before 1024 (shorter first, then by digit).
      .orderBy(sql`length(reviews.agent_id)`)
      .orderBy('reviews.agent_id');
  const rows = await ordered
    .orderBy('review_appeals.filed_at')
    .orderBy('review_appeals.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return {
    items: rows.map(({ agent_id, agent_name, inspector_id, ...a }) => ({
      appeal: toAppeal(a),
      agent: { number: agent_id, name: agent_name },
      inspectorId: inspector_id,
    })),
    total: Number(total.n),
  };
}

/** Appeals filed in [from, to) (ISO instants, when given), oldest first, after the keyset `after`. */
export async function appealsAfter(
  db: Db,
  f: { from?: string; to?: string },
  after: { filedAt: string; id: string } | null,
  limit: number,
): Promise<Appeal[]> {
  let q = db.selectFrom('review_appeals').selectAll();
  if (f.from !== undefined) q = q.where('filed_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('filed_at', '<', f.to);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('filed_at', '>', after.filedAt),
        eb.and([eb('filed_at', '=', after.filedAt), eb('id', '>', after.id)]),
      ]),
    );
  const rows = await q.orderBy('filed_at').orderBy('id').limit(limit).execute();
  return rows.map(toAppeal);
}

/** Records the judgement of an open appeal; false when it was judged meanwhile. */
export async function judgeAppeal(db: Db, a: Appeal): Promise<boolean> {
  const r = await db
    .updateTable('review_appeals')
    .set({ status: a.status, judged_by: a.judgedBy, judged_at: a.judgedAt, judgement_note: a.judgementNote })
    .where('id', '=', a.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- calibration sessions ----

export async function insertSession(db: Db, s: CalibrationSession): Promise<void> {
  await db
    .insertInto('calibration_sessions')
    .values({
      id: s.id,
      brand: s.brand,
      title: s.title,
      call_ids: JSON.stringify(s.callIds),
      inspector_ids: JSON.stringify(s.inspectorIds),
      created_by: s.createdBy,
      created_at: s.createdAt,
    })
    .execute();
}

function toSession(r: Selectable<DB['calibration_sessions']>): CalibrationSession {
  return {
    id: r.id,
    brand: r.brand,
    title: r.title,
    callIds: JSON.parse(r.call_ids) as string[],
    inspectorIds: JSON.parse(r.inspector_ids) as string[],
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

export async function findSession(db: Db, id: string): Promise<CalibrationSession | undefined> {
  const r = await db.selectFrom('calibration_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toSession(r) : undefined;
}

export async function listSessions(db: Db, brand?: string): Promise<CalibrationSession[]> {
  let q = db.selectFrom('calibration_sessions').selectAll();
  if (brand !== undefined) q = q.where('brand', '=', brand);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(200).execute();
  return rows.map(toSession);
}
