// Review, appeal and calibration (人工复核 / 申诉 / 校准): the behaviour of src/review. Sampling
// plans pick calls and assign them to QA inspectors; an inspector marks each machine finding
// correct or wrong, adds what it missed and gives the final score (machine and human results
// both kept); the agent appeals a finding within the brand's window and a QA lead or room
// director — never the inspector who reviewed it — gives the final judgement; calibration
// sessions have several inspectors review the same calls blind. Every change is audited and
// its notifications written in the same transaction (notification.created events follow).
import type { Kysely } from 'kysely';
import type { Principal } from '../accounts/principal.ts';
import { type Actor, AuditWriter } from '../audit/audit.ts';
import type { Channel, Speaker } from '../calls/model.ts';
import type { CallsService } from '../calls/service.ts';
import type { DB } from '../db/schema.ts';
import { event, type NewEvent } from '../events/map.ts';
import { maskText } from '../observability/mask.ts';
import { evidenceSpeakers } from '../qa/evidence-speakers.ts';
import type { Rule } from '../qa/scorecard-schema.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';
import { AppError, type Localized } from '../shared/errors.ts';
import { nextDate, startOfLocalDay } from '../shared/time-zone.ts';
import {
  type AssignStrategy,
  addDays,
  appealDeadline,
  assignInspectors,
  calibrationAgreement,
  defaultPlan,
  type Judgement,
  type MachineFinding,
  type MissedFinding,
  machinePrecision,
  type PrecisionRow,
  type RuleAgreement,
  reviewScore,
  type SamplingPlan,
  type ScorecardTerms,
  type ScoredRule,
  sample,
  type Verdict,
  weekOf,
} from './domain.ts';
import type { Appeal, CalibrationSession, Review, ReviewStatus } from './model.ts';
import * as repo from './repository.ts';

/** The scorecard as a review reads it: the scored terms, and each rule's channels and checks. */
export interface ReviewScorecard extends ScorecardTerms {
  rules: readonly (ScoredRule & Pick<Rule, 'expect' | 'channels'>)[];
}

/** A rule an inspector may add as missed on a call: one of its channel, and whose turns it is on. */
export interface AddableRule {
  id: string;
  title: string;
  /** The speakers whose turns its evidence can be on; empty: the whole call, no turn. */
  evidenceOn: Speaker[];
}

// Read from a rule's checks once per scorecard version (rules are replaced, never changed).
const speakersOfRule = new WeakMap<object, Speaker[]>();
function evidenceOn(rule: Pick<Rule, 'expect'>): Speaker[] {
  let s = speakersOfRule.get(rule);
  if (!s) {
    s = evidenceSpeakers(rule);
    speakersOfRule.set(rule, s);
  }
  return s;
}

const SPEAKER = { agent: { zh: '坐席', en: 'agent' }, customer: { zh: '客户', en: 'customer' } } as const;
const CHANNEL_ZH: Record<Channel, string> = { phone: '电话', chat: '在线', email: '邮件' };

export type Viewer = Pick<Principal, 'userId' | 'role' | 'agentNumber' | 'brand'>;
type Who = Actor & Viewer;

/** An appeal in a list: the rule's title, the review's inspector, the agent it is about. */
export type AppealListItem = Appeal & {
  ruleTitle: string;
  inspectorId: string;
  agent: { userId: string; number: string | null; name: string | null };
};

/** Who may see every review, run plans and calibration, and judge appeals. */
export const REVIEW_LEADS = ['qa-lead', 'room-director', 'admin'] as const;
/** Who may judge an appeal (admins manage; they do not judge). */
export const JUDGES = ['qa-lead', 'room-director'] as const;

export interface CompleteInput {
  verdicts: { finding: number; verdict: Verdict }[];
  missed: MissedFinding[];
  comment: string;
  override?: { score: number; reason: string } | undefined;
}

export interface FindingView {
  ref: string;
  kind: 'machine' | 'missed';
  index: number;
  rule: string;
  ruleTitle: string;
  turn: number | null;
  evidence: string;
  verdict: Verdict | null;
  overturned: boolean;
  appeal: Appeal | null;
}

export interface ReviewView {
  id: string;
  callId: string;
  brand: string;
  agent: { id: string | null; name: string | null };
  inspector: { id: string; name: string | null };
  reason: string;
  week: string | null;
  sessionId: string | null;
  status: ReviewStatus;
  dueAt: string;
  createdAt: string;
  completedAt: string | null;
  machine: { score: number | null; fatal: boolean };
  human: {
    computedScore: number | null;
    finalScore: number | null;
    fatal: boolean | null;
    overrideReason: string | null;
  };
  comment: string;
  findings: FindingView[];
  /** The last instant the agent may appeal; null before the review is done or for calibration. */
  appealUntil: string | null;
  version: number;
}

export interface CalibrationReport {
  session: CalibrationSession & { inspectors: { id: string; name: string | null; done: number }[] };
  /** Calls every inspector has reviewed (the agreement counts only these). */
  completeCalls: number;
  rules: (RuleAgreement & { title: string })[];
}

/** Whoever acts on a brand's reviews: an account limited to a brand (brand set) or not (null), or the system (none). */
type BrandLimited = { brand?: string | null | undefined };

/**
 * A brand-limited account names another brand (a plan, a run, a calibration, the precision, a
 * list's filter): 403 naming the brand it is limited to and the field to change.
 */
function otherBrandRefused(scope: string, asked: string, path: string): AppError {
  return new AppError(
    'forbidden',
    {
      zh: `您的账号只能处理品牌“${scope}”的复核、抽检和校准（${path} 是“${asked}”）；请选择品牌 ${scope}`,
      en: `your account works only on the reviews, sampling and calibration of brand '${scope}' (${path} is '${asked}'); choose brand ${scope}`,
    },
    [{ path, message: `not ${scope}`, zh: `不是 ${scope}` }],
  );
}

const notFound = (what: string, id: string) =>
  new AppError('not-found', {
    zh: `没有编号为“${id}”的${what === 'review' ? '复核' : what === 'appeal' ? '申诉' : '校准会'}`,
    en: `no ${what} '${id}'`,
  });

export class ReviewService {
  private readonly audit: AuditWriter;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly calls: CallsService,
    // A getter, not a value: a scorecard published while the server runs names the rules a
    // review may add and the titles it shows, without a restart.
    private readonly scorecardInForce: () => ReviewScorecard,
  ) {
    this.audit = new AuditWriter(ids, clock);
  }

  private get scorecard(): ReviewScorecard {
    return this.scorecardInForce();
  }

  /**
   * The brand named in a request, resolved (400 when unknown), within the account's: another
   * brand than a brand-limited account's is 403 naming its own.
   */
  private ownBrand(asked: string, who: BrandLimited, path: string): string {
    const brand = this.calls.brandId(asked, path);
    if (who.brand && who.brand !== brand) throw otherBrandRefused(who.brand, brand, path);
    return brand;
  }

  private ruleTitle(id: string): string {
    return this.scorecard.rules.find((r) => r.id === id)?.title ?? id;
  }

  // ---- plans ----

  async plan(brand: string, who: BrandLimited = {}): Promise<SamplingPlan> {
    const id = this.ownBrand(brand, who, 'params.brand');
    return (await repo.findPlan(this.db, id)) ?? defaultPlan(id);
  }

  async savePlan(input: SamplingPlan, actor: Actor & BrandLimited): Promise<SamplingPlan> {
    const brand = this.ownBrand(input.brand, actor, 'params.brand');
    if (input.mode === 'percent' && input.amount > 100)
      throw new AppError(
        'validation',
        { zh: '抽检比例不能超过 100%', en: 'a percentage cannot exceed 100' },
        [
          {
            path: 'body.amount',
            message: `found ${input.amount}; give 0–100`,
            zh: `收到 ${input.amount}；应为 0–100`,
          },
        ],
      );
    const plan = { ...input, brand };
    await this.db.transaction().execute(async (trx) => {
      const before = await repo.findPlan(trx, brand);
      await repo.savePlan(trx, plan, this.clock.now().toISOString(), actor.userId);
      await this.audit.record(trx, {
        actor,
        entityType: 'review-plan',
        entityId: brand,
        action: before ? 'update' : 'create',
        changes: { before: before ?? null, after: plan },
      });
    });
    return plan;
  }

  /**
   * The scheduled run: every saved plan over last week. Running a week again assigns nothing
   * new, so the job may run every hour; a brand without an inspector is reported, not thrown.
   */
  async runSavedPlans(actor: Actor): Promise<{ brand: string; assigned: number; problem?: string }[]> {
    const out: { brand: string; assigned: number; problem?: string }[] = [];
    for (const brand of await repo.savedPlanBrands(this.db)) {
      try {
        out.push({ brand, assigned: (await this.runPlan(brand, undefined, actor)).length });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        out.push({ brand, assigned: 0, problem: err.message });
      }
    }
    return out;
  }

  /**
   * Runs the brand's plan over one week's calls (its local Monday; default last week): picks
   * the calls, assigns each to an inspector, and tells them. Calls already sampled are skipped,
   * so running a week twice assigns nothing new.
   */
  async runPlan(brand: string, week: string | undefined, actor: Actor & BrandLimited): Promise<Review[]> {
    const plan = await this.plan(brand, actor);
    const tz = this.calls.timezoneOf(plan.brand);
    const now = this.clock.now();
    const monday = week ?? weekOf(addDays(now, -7));
    if (new Date(`${monday}T00:00:00Z`).getUTCDay() !== 1)
      throw new AppError(
        'validation',
        { zh: '抽检周须以周一表示（YYYY-MM-DD）', en: 'name the week by its Monday (YYYY-MM-DD)' },
        [{ path: 'body.week', message: `${monday} is not a Monday`, zh: `${monday} 不是周一` }],
      );
    let end = monday;
    for (let i = 0; i < 7; i++) end = nextDate(end);
    const from = startOfLocalDay(monday, tz).toISOString();
    const before = startOfLocalDay(end, tz).toISOString();
    const inspectors = await this.inspectorsOf(plan.brand);
    if (inspectors.length === 0)
      throw new AppError('rule-violation', {
        zh: `品牌 ${plan.brand} 没有可分配的质检员：请先添加质检员账号`,
        en: `brand ${plan.brand} has no QA inspector to assign reviews to: add a qa-inspector user first`,
      });
    return this.db.transaction().execute(async (trx) => {
      const candidates = await repo.callsForSampling(trx, plan.brand, from, before);
      const complaints = await repo.callsWithComplaint(
        trx,
        candidates.map((c) => c.id),
      );
      const picked = sample(
        plan,
        monday,
        candidates.map((c) => ({ ...c, complaint: complaints.has(c.id) })),
      );
      const already = await repo.reviewedInSlot(
        trx,
        picked.map((p) => p.callId),
        'sample',
      );
      const fresh = picked.filter((p) => !already.has(p.callId));
      const load = await repo.openLoad(trx, inspectors);
      const who = assignInspectors(
        fresh.map((p) => p.callId),
        inspectors,
        plan.assign as AssignStrategy,
        load,
      );
      const reviews: Review[] = [];
      for (const p of fresh) {
        const inspectorId = who.get(p.callId);
        if (!inspectorId) continue;
        reviews.push(
          await this.newReview(trx, p.callId, inspectorId, p.reason, monday, null, plan.dueDays, now),
        );
      }
      await repo.insertReviews(
        trx,
        reviews.map((review) => ({ review, slot: 'sample' })),
      );
      for (const r of reviews)
        await this.audit.record(trx, {
          actor,
          entityType: 'review',
          entityId: r.id,
          action: 'assign',
          changes: {
            callId: r.callId,
            inspectorId: r.inspectorId,
            reason: r.reason,
            week: monday,
            dueAt: r.dueAt,
          },
        });
      const perInspector = new Map<string, Review[]>();
      for (const r of reviews)
        perInspector.set(r.inspectorId, [...(perInspector.get(r.inspectorId) ?? []), r]);
      for (const [inspectorId, list] of perInspector)
        await this.notify(
          trx,
          list[0] as Review,
          { users: [inspectorId] },
          'review-assigned',
          actor,
          now,
          () =>
            `您有 ${list.length} 条新的复核任务（${plan.brand}，${monday} 当周），请于 ${list[0]?.dueAt.slice(0, 10)} 前完成`,
        );
      return reviews;
    });
  }

  /** Active QA inspectors who work the brand (or every brand), by id. */
  private async inspectorsOf(brand: string): Promise<string[]> {
    const users = await repo.usersWithRole(this.db, 'qa-inspector');
    return users
      .filter((u) => u.brand === null || u.brand === brand)
      .map((u) => u.id)
      .sort();
  }

  private async newReview(
    db: repo.Db,
    callId: string,
    inspectorId: string,
    reason: Review['reason'],
    week: string | null,
    sessionId: string | null,
    dueDays: number,
    now: Date,
  ): Promise<Review> {
    const call = await repo.findCall(db, callId);
    if (!call) throw notFound('call', callId);
    const findings: MachineFinding[] = (call.qa?.result.findings ?? []).map((f, index) => ({
      index,
      rule: f.rule,
      turn: f.turn,
      evidence: f.evidence,
    }));
    return {
      id: this.ids(),
      callId,
      brand: call.brand,
      agent: call.agent,
      inspectorId,
      reason,
      week,
      sessionId,
      status: 'assigned',
      dueAt: addDays(now, dueDays).toISOString(),
      createdAt: now.toISOString(),
      completedAt: null,
      machine: { score: call.qa?.score ?? null, fatal: call.qa?.fatal ?? false },
      findings,
      verdicts: {},
      missed: [],
      comment: '',
      computedScore: null,
      finalScore: null,
      finalFatal: null,
      overrideReason: null,
      version: 1,
    };
  }

  // ---- reviews ----

  /** Reviews the viewer may see: agents their own finished ones, inspectors their own, leads all. */
  async list(
    viewer: Viewer,
    f: { status?: ReviewStatus; brand?: string; sessionId?: string; mine?: boolean },
    page: { limit: number; offset: number },
  ): Promise<{ items: ReviewView[]; total: number }> {
    // A brand-limited reader's brand only; naming another one is 403 (as the tickets' lists).
    const brand = viewer.brand
      ? f.brand
        ? this.ownBrand(f.brand, viewer, 'querystring.brand')
        : viewer.brand
      : f.brand;
    const q: repo.ReviewQuery = {
      ...(f.status ? { status: f.status } : {}),
      ...(brand ? { brand } : {}),
      ...(f.sessionId ? { sessionId: f.sessionId } : {}),
    };
    if (viewer.role === 'agent') {
      if (!viewer.agentNumber) return { items: [], total: 0 };
      Object.assign(q, {
        agent: { agentId: viewer.agentNumber, brand: viewer.brand },
        status: 'done',
        sampledOnly: true,
      });
    } else if (viewer.role === 'qa-inspector' || f.mine) q.inspectorId = viewer.userId;
    const r = await repo.listReviews(this.db, q, page);
    return { items: await this.views(r.items, false), total: r.total };
  }

  async get(id: string, viewer: Viewer): Promise<ReviewView> {
    const r = await this.visible(id, viewer);
    return (await this.views([r], true))[0] as ReviewView;
  }

  /** The call's words, for the review screen (the review's own call; same visibility). */
  /**
   * The reviewed call's words, its channel, and the rules an inspector may add as missed on it:
   * the scorecard's rules of that channel, each with the speakers its evidence can be on.
   */
  async callOf(
    id: string,
    viewer: Viewer,
  ): Promise<{ turns: { speaker: string; text: string }[]; channel: Channel; rules: AddableRule[] }> {
    const r = await this.visible(id, viewer);
    const call = await repo.findCall(this.db, r.callId);
    const channel = call?.channel ?? 'phone';
    return {
      turns: (call?.turns ?? []).map((t) => ({ speaker: t.speaker, text: t.text })),
      channel,
      rules: this.scorecard.rules
        .filter((x) => !x.channels || x.channels.includes(channel))
        .map((x) => ({ id: x.id, title: x.title, evidenceOn: evidenceOn(x) })),
    };
  }

  private async visible(id: string, viewer: Viewer): Promise<Review> {
    const r = await repo.findReview(this.db, id);
    // Another brand's review does not exist for a brand-limited account (ids are not confirmed).
    if (!r || (viewer.brand && viewer.brand !== r.brand)) throw notFound('review', id);
    const own =
      viewer.role === 'agent'
        ? r.status === 'done' &&
          r.sessionId === null &&
          viewer.agentNumber !== null &&
          r.agent.id === viewer.agentNumber &&
          (viewer.brand === null || viewer.brand === r.brand)
        : viewer.role === 'qa-inspector'
          ? r.inspectorId === viewer.userId
          : (REVIEW_LEADS as readonly string[]).includes(viewer.role);
    if (!own) throw notFound('review', id);
    return r;
  }

  private async views(reviews: readonly Review[], withAppeals: boolean): Promise<ReviewView[]> {
    const names = await repo.displayNames(
      this.db,
      reviews.map((r) => r.inspectorId),
    );
    const plans = new Map<string, SamplingPlan>();
    const out: ReviewView[] = [];
    for (const r of reviews) {
      let plan = plans.get(r.brand);
      if (!plan) {
        plan = (await repo.findPlan(this.db, r.brand)) ?? defaultPlan(r.brand);
        plans.set(r.brand, plan);
      }
      const appeals = withAppeals ? await repo.appealsOfReview(this.db, r.id) : [];
      const appealOf = (ref: string) => appeals.find((a) => a.finding === ref) ?? null;
      out.push({
        id: r.id,
        callId: r.callId,
        brand: r.brand,
        agent: r.agent,
        inspector: { id: r.inspectorId, name: names.get(r.inspectorId) ?? null },
        reason: r.reason,
        week: r.week,
        sessionId: r.sessionId,
        status: r.status,
        dueAt: r.dueAt,
        createdAt: r.createdAt,
        completedAt: r.completedAt,
        machine: r.machine,
        human: {
          computedScore: r.computedScore,
          finalScore: r.finalScore,
          fatal: r.finalFatal,
          overrideReason: r.overrideReason,
        },
        comment: r.comment,
        findings: [
          ...r.findings.map((f) => ({
            ref: `f:${f.index}`,
            kind: 'machine' as const,
            index: f.index,
            rule: f.rule,
            ruleTitle: this.ruleTitle(f.rule),
            turn: f.turn,
            evidence: f.evidence,
            verdict: r.verdicts[String(f.index)] ?? null,
            overturned: false,
            appeal: appealOf(`f:${f.index}`),
          })),
          ...r.missed.map((m, index) => ({
            ref: `m:${index}`,
            kind: 'missed' as const,
            index,
            rule: m.rule,
            ruleTitle: this.ruleTitle(m.rule),
            turn: m.turn,
            evidence: m.note,
            verdict: null,
            overturned: m.overturned === true,
            appeal: appealOf(`m:${index}`),
          })),
        ],
        appealUntil:
          r.completedAt && r.sessionId === null
            ? appealDeadline(new Date(r.completedAt), plan.appealWindowDays).toISOString()
            : null,
        version: r.version,
      });
    }
    return out;
  }

  /** The score a review gives, from its findings as they stand (overturned ones left out). */
  private score(r: Pick<Review, 'findings' | 'verdicts' | 'missed'>) {
    return reviewScore(
      this.scorecard,
      r.findings,
      new Map(Object.entries(r.verdicts).map(([k, v]) => [Number(k), v])),
      r.missed.filter((m) => !m.overturned),
    );
  }

  /**
   * A finding the inspector adds must be one the engine could give on this call: a rule of the
   * scorecard and of the call's channel, pinned on a turn of the call spoken by whom the rule's
   * evidence is on (what the agent says: an agent turn), or on no turn for a whole-call rule.
   * Turns are 0-based here as in the findings; the messages also give the transcript's number.
   */
  private checkMissed(
    m: MissedFinding,
    i: number,
    turns: readonly { speaker: Speaker }[],
    channel: Channel,
  ): void {
    const at = (field: string) => `body.missed.${i}.${field}`;
    const rule = this.scorecard.rules.find((x) => x.id === m.rule);
    if (!rule)
      throw new AppError('validation', { zh: `未知规则“${m.rule}”`, en: `unknown rule '${m.rule}'` }, [
        {
          path: at('rule'),
          message: 'give a rule id of the scorecard (e.g. opening.greeting)',
          zh: '请填写评分表中的规则编号（如 opening.greeting）',
        },
      ]);
    if (rule.channels && !rule.channels.includes(channel))
      throw new AppError(
        'validation',
        {
          zh: `规则“${rule.title}”不适用于${CHANNEL_ZH[channel]}渠道的通话`,
          en: `rule '${rule.id}' does not apply to ${channel} calls`,
        },
        [
          {
            path: at('rule'),
            message: `'${rule.id}' applies to ${rule.channels.join(', ')} only; this call is ${channel}: pick a rule of its channel`,
            zh: `“${rule.title}”只适用于${rule.channels.map((c) => CHANNEL_ZH[c]).join('、')}；本通话为${CHANNEL_ZH[channel]}：请选择适用于该渠道的规则`,
          },
        ],
      );
    if (m.turn === null) return;
    const shown = m.turn + 1;
    const turn = turns[m.turn];
    if (!turn)
      throw new AppError(
        'validation',
        {
          zh: `第 ${shown} 轮不存在：本通话共 ${turns.length} 轮`,
          en: `turn ${shown} does not exist: the call has ${turns.length} turns`,
        },
        [
          {
            path: at('turn'),
            message: `turn ${shown} (index ${m.turn}) is beyond the call: give a turn of 1–${turns.length} as the transcript numbers them (index 0–${turns.length - 1}), or none for the whole call`,
            zh: `第 ${shown} 轮超出本通话：请填写对话记录中的 1–${turns.length} 轮，整通电话则留空`,
          },
        ],
      );
    const speakers = evidenceOn(rule);
    if (speakers.includes(turn.speaker)) return;
    const owned = turns.flatMap((t, n) => (speakers.includes(t.speaker) ? [n + 1] : []));
    const examples = owned.length > 6 ? `${owned.slice(0, 6).join(', ')}…` : owned.join(', ');
    if (speakers.length === 0)
      throw new AppError(
        'validation',
        {
          zh: `规则“${rule.title}”针对整通电话，不对应某一轮`,
          en: `rule '${rule.id}' is about the whole call, not one turn`,
        },
        [
          {
            path: at('turn'),
            message: `'${rule.id}' is judged on the whole call: leave the turn empty`,
            zh: `“${rule.title}”按整通电话判定：请清空轮次`,
          },
        ],
      );
    const who = SPEAKER[turn.speaker];
    const whose = speakers.map((s) => SPEAKER[s]);
    throw new AppError(
      'validation',
      {
        zh: `第 ${shown} 轮是${who.zh}说的，规则“${rule.title}”看的是${whose.map((w) => w.zh).join('或')}的话`,
        en: `turn ${shown} is the ${who.en}'s; rule '${rule.id}' is about what the ${whose.map((w) => w.en).join(' or ')} says`,
      },
      [
        {
          path: at('turn'),
          message: `turn ${shown} (index ${m.turn}) is the ${who.en}'s: give a turn of the ${whose.map((w) => w.en).join(' or ')}${examples ? ` (${examples})` : ''}${owned.length === 0 ? ' — this call has none: leave the turn empty' : ''}`,
          zh: `第 ${shown} 轮是${who.zh}说的：请填写${whose.map((w) => w.zh).join('或')}的轮次${examples ? `（${examples.replaceAll(', ', '、')}）` : ''}${owned.length === 0 ? '——本通话没有，请清空轮次' : ''}`,
        },
      ],
    );
  }

  /** The assigned inspector finishes a review: a verdict on every machine finding, what it missed, the score. */
  async complete(id: string, input: CompleteInput, who: Who): Promise<ReviewView> {
    const now = this.clock.now();
    const r = await repo.findReview(this.db, id);
    // Another brand's review is not found, as an unknown id (a 403 would confirm it exists).
    if (!r || (who.brand && who.brand !== r.brand)) throw notFound('review', id);
    if (r.inspectorId !== who.userId)
      throw new AppError('forbidden', {
        zh: '只有被分配的质检员可以完成这条复核',
        en: 'only the inspector the review is assigned to may complete it',
      });
    if (r.status !== 'assigned')
      throw new AppError('conflict', { zh: '这条复核已完成', en: 'this review is already done' });
    const verdicts: Record<string, Verdict> = {};
    for (const v of input.verdicts) {
      if (!r.findings.some((f) => f.index === v.finding))
        throw new AppError('validation', { zh: '没有这条机器命中', en: 'no such machine finding' }, [
          {
            path: 'body.verdicts',
            message: `finding ${v.finding} does not exist; the call has ${r.findings.length} (0–${r.findings.length - 1})`,
            zh: `命中 ${v.finding} 不存在；本通话共 ${r.findings.length} 条`,
          },
        ]);
      verdicts[String(v.finding)] = v.verdict;
    }
    const unmarked = r.findings.filter((f) => verdicts[String(f.index)] === undefined).map((f) => f.index);
    if (unmarked.length > 0)
      throw new AppError(
        'validation',
        { zh: '请逐条标注机器命中是否正确', en: 'mark every machine finding correct or wrong' },
        [
          {
            path: 'body.verdicts',
            message: `findings without a verdict: ${unmarked.join(', ')}`,
            zh: `未标注的命中：${unmarked.join('、')}`,
          },
        ],
      );
    const call = await repo.findCall(this.db, r.callId);
    const turns = call?.turns ?? [];
    const channel = call?.channel ?? 'phone';
    for (const [i, m] of input.missed.entries()) this.checkMissed(m, i, turns, channel);
    if (input.override && (input.override.score < 0 || input.override.score > this.scorecard.total))
      throw new AppError('validation', { zh: '覆盖分数超出范围', en: 'the override score is out of range' }, [
        {
          path: 'body.override.score',
          message: `found ${input.override.score}; give 0–${this.scorecard.total}`,
          zh: `收到 ${input.override.score}；应为 0–${this.scorecard.total}`,
        },
      ]);
    const next: Review = {
      ...r,
      verdicts,
      missed: input.missed.map((m) => ({ ...m })),
      comment: input.comment,
    };
    const s = this.score(next);
    Object.assign(next, {
      status: 'done',
      completedAt: now.toISOString(),
      computedScore: s.score,
      finalScore: input.override ? input.override.score : s.score,
      finalFatal: s.fatal,
      overrideReason: input.override?.reason ?? null,
      version: r.version + 1,
    });
    await this.db.transaction().execute(async (trx) => {
      await this.save(trx, r, next, who, 'complete', {
        callId: r.callId,
        machineScore: r.machine.score,
        computedScore: s.score,
        finalScore: next.finalScore,
        overrideReason: next.overrideReason,
        wrong: Object.entries(verdicts)
          .filter(([, v]) => v === 'wrong')
          .map(([k]) => Number(k)),
        missed: next.missed.map((m) => m.rule),
      });
      if (r.sessionId === null && r.agent.id) {
        const agents = await this.agentUsers(trx, r);
        const plan = (await repo.findPlan(trx, r.brand)) ?? defaultPlan(r.brand);
        await this.notify(
          trx,
          next,
          { users: agents },
          'review-done',
          who,
          now,
          () =>
            `通话 ${r.callId} 已人工复核：得分 ${next.finalScore}（机器 ${r.machine.score ?? '—'}），如有异议请在 ${plan.appealWindowDays} 天内申诉`,
        );
      }
    });
    return this.get(id, who);
  }

  /** A lead gives an open review to another inspector or QA lead (someone away, or to review it themselves). */
  async reassign(id: string, inspectorId: string, who: Who): Promise<ReviewView> {
    const now = this.clock.now();
    const r = await repo.findReview(this.db, id);
    if (!r || (who.brand && who.brand !== r.brand)) throw notFound('review', id);
    if (r.status !== 'assigned')
      throw new AppError('conflict', {
        zh: '这条复核已完成，不能改派',
        en: 'this review is done and cannot be reassigned',
      });
    if (r.sessionId !== null)
      throw new AppError('rule-violation', {
        zh: '校准会的复核不能改派（每名质检员各复核一份）',
        en: 'a calibration review cannot be reassigned (each inspector reviews their own copy)',
      });
    const eligible = [
      ...(await repo.usersWithRole(this.db, 'qa-inspector')),
      ...(await repo.usersWithRole(this.db, 'qa-lead')),
    ].filter((u) => u.brand === null || u.brand === r.brand);
    if (!eligible.some((u) => u.id === inspectorId))
      throw new AppError(
        'validation',
        {
          zh: '只能改派给该品牌的在职质检员或质检组长',
          en: 'reassign to an active QA inspector or QA lead of the brand',
        },
        [{ path: 'body.inspectorId', message: `'${inspectorId}' is not one`, zh: `“${inspectorId}”不是` }],
      );
    const next: Review = { ...r, inspectorId, version: r.version + 1 };
    await this.db.transaction().execute(async (trx) => {
      await this.save(trx, r, next, who, 'reassign', { from: r.inspectorId, to: inspectorId });
      await this.notify(
        trx,
        r,
        { users: [inspectorId] },
        'review-assigned',
        who,
        now,
        () => `通话 ${r.callId} 的复核已改派给您，请于 ${r.dueAt.slice(0, 10)} 前完成`,
      );
    });
    return this.get(id, who);
  }

  /** Users holding the review's agent 工号 at its brand. */
  private async agentUsers(db: repo.Db, r: Review): Promise<string[]> {
    if (!r.agent.id) return [];
    const users = await repo.usersWithRole(db, 'agent');
    return users
      .filter((u) => u.agent_number === r.agent.id && (u.brand === null || u.brand === r.brand))
      .map((u) => u.id);
  }

  // ---- appeals ----

  /** The agent appeals one finding of their reviewed call, within the brand's window. */
  async appeal(reviewId: string, input: { finding: string; reason: string }, who: Who): Promise<Appeal> {
    const now = this.clock.now();
    const r = await this.visible(reviewId, who);
    if (who.role !== 'agent')
      throw new AppError('forbidden', {
        zh: '只有被复核的坐席可以申诉',
        en: 'only the agent of the call may appeal',
      });
    const plan = (await repo.findPlan(this.db, r.brand)) ?? defaultPlan(r.brand);
    const until = appealDeadline(new Date(r.completedAt as string), plan.appealWindowDays);
    if (now > until)
      throw new AppError('rule-violation', {
        zh: `申诉期已过：${plan.appealWindowDays} 天内（截至 ${until.toISOString()}）可申诉`,
        en: `the appeal window has closed: appeals are taken for ${plan.appealWindowDays} days (until ${until.toISOString()})`,
      });
    const m = /^([fm]):(\d+)$/.exec(input.finding);
    const kind = m?.[1];
    const index = Number(m?.[2]);
    const rule =
      kind === 'f'
        ? r.verdicts[String(index)] === 'correct'
          ? r.findings.find((f) => f.index === index)?.rule
          : undefined
        : kind === 'm' && r.missed[index] && !r.missed[index]?.overturned
          ? r.missed[index]?.rule
          : undefined;
    if (rule === undefined)
      throw new AppError('validation', { zh: '没有可申诉的这条命中', en: 'no such finding to appeal' }, [
        {
          path: 'body.finding',
          message: `'${input.finding}' is not a finding the review upheld; give f:<index> of a confirmed machine finding or m:<index> of one the inspector added`,
          zh: `“${input.finding}”不是复核确认的命中；请填写 f:<序号>（确认的机器命中）或 m:<序号>（质检员补充的命中）`,
        },
      ]);
    if (await repo.appealOfFinding(this.db, r.id, input.finding))
      throw new AppError('conflict', {
        zh: '这条命中已经申诉过',
        en: 'this finding has been appealed already',
      });
    const appeal: Appeal = {
      id: this.ids(),
      reviewId: r.id,
      callId: r.callId,
      brand: r.brand,
      agentUserId: who.userId,
      finding: input.finding,
      rule,
      reason: input.reason,
      status: 'open',
      filedAt: now.toISOString(),
      judgedBy: null,
      judgedAt: null,
      judgementNote: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await repo.insertAppeal(trx, appeal);
      await this.audit.record(trx, {
        actor: who,
        entityType: 'appeal',
        entityId: appeal.id,
        action: 'file',
        changes: { reviewId: r.id, callId: r.callId, finding: appeal.finding, rule, reason: appeal.reason },
      });
      const ref = { appealId: appeal.id, reviewId: r.id, callId: r.callId, brand: r.brand, rule };
      await repo.appendEvents(trx, [
        event('appeal.filed', { type: 'call', id: r.callId }, appeal.filedAt, { ...ref, at: appeal.filedAt }),
      ]);
      await this.notify(
        trx,
        r,
        { roles: [...JUDGES] },
        'appeal-filed',
        who,
        now,
        () => `坐席对通话 ${r.callId} 的命中“${this.ruleTitle(rule)}”提出申诉，待终审`,
      );
    });
    return appeal;
  }

  /**
   * Appeals as a list shows them: each with the agent it is about (the call's 工号, the name of
   * their account — else as the call gave it) and the review's inspector. `agent` keeps one 工号's;
   * `sort: 'agent'` groups them by 工号.
   */
  async appeals(
    viewer: Viewer,
    f: { status?: Appeal['status']; agent?: string },
    page: { limit: number; offset: number },
    sort: repo.AppealSort = 'filed',
  ): Promise<{ items: AppealListItem[]; total: number }> {
    const q = {
      ...(f.status ? { status: f.status } : {}),
      ...(f.agent !== undefined ? { agent: f.agent } : {}),
      ...(viewer.role === 'agent'
        ? { agentUserId: viewer.userId }
        : viewer.brand
          ? { brand: viewer.brand }
          : {}),
    };
    const r = await repo.listAppeals(this.db, q, page, sort);
    const names = await repo.displayNames(
      this.db,
      r.items.map((x) => x.appeal.agentUserId),
    );
    const items = r.items.map(({ appeal, agent, inspectorId }) => ({
      ...appeal,
      ruleTitle: this.ruleTitle(appeal.rule),
      inspectorId,
      agent: {
        userId: appeal.agentUserId,
        number: agent.number,
        name: names.get(appeal.agentUserId) ?? agent.name,
      },
    }));
    return { items, total: r.total };
  }

  /** An appeal as stored, whoever asks (the dashboards count it); undefined when there is none. */
  findAppeal(id: string): Promise<Appeal | undefined> {
    return repo.findAppeal(this.db, id);
  }

  /**
   * Every appeal filed in [from, to) (ISO instants, when given), oldest first, `batchSize` at a
   * time (keyset pagination): the dashboards' back-fill reads them.
   */
  async *everyAppeal(f: { from?: string; to?: string }, batchSize = 500): AsyncGenerator<Appeal[]> {
    let after: { filedAt: string; id: string } | null = null;
    for (;;) {
      const batch = await repo.appealsAfter(this.db, f, after, batchSize);
      if (batch.length > 0) yield batch;
      const last = batch.at(-1);
      if (!last || batch.length < batchSize) return;
      after = { filedAt: last.filedAt, id: last.id };
    }
  }

  /**
   * The final judgement (终审) of an appeal, by a QA lead or room director who is not the
   * inspector of the review: `uphold` keeps the finding, `overturn` strikes it out and the
   * review's human score is computed again. It closes the appeal.
   */
  async judge(appealId: string, input: { outcome: Judgement; note: string }, who: Who): Promise<Appeal> {
    const now = this.clock.now();
    const a = await repo.findAppeal(this.db, appealId);
    if (!a || (who.brand && who.brand !== a.brand)) throw notFound('appeal', appealId);
    const r = await repo.findReview(this.db, a.reviewId);
    if (!r) throw notFound('review', a.reviewId);
    if (r.inspectorId === who.userId)
      throw new AppError('forbidden', {
        zh: '您是这条复核的质检员，不能终审针对它的申诉：请由其他质检组长或室主任处理',
        en: 'you reviewed this call: an appeal of your own review is judged by another QA lead or room director',
      });
    if (a.status !== 'open')
      throw new AppError('conflict', { zh: '这条申诉已终审', en: 'this appeal has had its final judgement' });
    const judged: Appeal = {
      ...a,
      status: input.outcome === 'uphold' ? 'upheld' : 'overturned',
      judgedBy: who.userId,
      judgedAt: now.toISOString(),
      judgementNote: input.note,
    };
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.judgeAppeal(trx, judged)))
        throw new AppError('conflict', {
          zh: '这条申诉已终审',
          en: 'this appeal has had its final judgement',
        });
      await this.audit.record(trx, {
        actor: who,
        entityType: 'appeal',
        entityId: a.id,
        action: input.outcome,
        changes: { reviewId: r.id, finding: a.finding, rule: a.rule, note: input.note },
      });
      if (input.outcome === 'overturn') {
        const [kind, idx] = a.finding.split(':');
        const next: Review = {
          ...r,
          verdicts: kind === 'f' ? { ...r.verdicts, [idx as string]: 'wrong' } : r.verdicts,
          missed: r.missed.map((m, i) =>
            kind === 'm' && String(i) === idx ? { ...m, overturned: true } : m,
          ),
          version: r.version + 1,
        };
        const s = this.score(next);
        Object.assign(next, {
          computedScore: s.score,
          finalScore: s.score,
          finalFatal: s.fatal,
          overrideReason: null,
        });
        await this.save(
          trx,
          r,
          next,
          who,
          'overturn',
          { appealId: a.id, finding: a.finding, before: r.finalScore, after: s.score },
          // The appeal's judge did not open the review: retrying the judgement is what helps.
          { zh: '复核刚被修改，请重试', en: 'the review changed meanwhile; try again' },
        );
      }
      const at = judged.judgedAt as string;
      const ref = { appealId: a.id, reviewId: r.id, callId: r.callId, brand: r.brand, rule: a.rule };
      await repo.appendEvents(trx, [
        event('appeal.judged', { type: 'call', id: r.callId }, at, {
          ...ref,
          outcome: judged.status === 'upheld' ? 'upheld' : 'overturned',
          at,
        }),
      ]);
      const verdict = input.outcome === 'uphold' ? '维持原判' : '改判（撤销该命中）';
      await this.notify(
        trx,
        r,
        { users: [a.agentUserId, r.inspectorId] },
        'appeal-judged',
        who,
        now,
        () => `通话 ${r.callId} 的申诉（${this.ruleTitle(a.rule)}）已终审：${verdict}`,
      );
    });
    return judged;
  }

  // ---- calibration ----

  async createSession(
    input: { brand: string; title: string; callIds: string[]; inspectorIds: string[]; dueDays?: number },
    who: Who,
  ): Promise<CalibrationSession> {
    const now = this.clock.now();
    const brand = this.ownBrand(input.brand, who, 'body.brand');
    const callIds = [...new Set(input.callIds)];
    const inspectorIds = [...new Set(input.inspectorIds)];
    const eligible = new Set(
      [
        ...(await repo.usersWithRole(this.db, 'qa-inspector')),
        ...(await repo.usersWithRole(this.db, 'qa-lead')),
      ]
        .filter((u) => u.brand === null || u.brand === brand)
        .map((u) => u.id),
    );
    const bad = inspectorIds.filter((i) => !eligible.has(i));
    if (inspectorIds.length < 2 || bad.length > 0)
      throw new AppError(
        'validation',
        { zh: '校准须有至少两名质检员', en: 'a calibration needs at least two inspectors' },
        [
          {
            path: 'body.inspectorIds',
            message:
              bad.length > 0
                ? `not an active QA inspector or lead of ${brand}: ${bad.join(', ')}`
                : `found ${inspectorIds.length}; give two or more`,
            zh:
              bad.length > 0
                ? `不是 ${brand} 的在职质检员或质检组长：${bad.join('、')}`
                : `收到 ${inspectorIds.length} 名；至少两名`,
          },
        ],
      );
    for (const [i, id] of callIds.entries()) {
      const found = await repo.findCall(this.db, id);
      // Another brand's call does not exist for a brand-limited account: the same answer as an
      // unknown id, so that the refusal confirms nothing about it.
      const call = found && who.brand && found.brand !== who.brand ? undefined : found;
      if (!call || call.brand !== brand || !call.qa)
        throw new AppError(
          'validation',
          { zh: `通话“${id}”不能用于校准`, en: `call '${id}' cannot be calibrated` },
          [
            {
              path: `body.callIds.${i}`,
              message: !call
                ? `no such call${who.brand ? ` of ${brand}` : ''}`
                : call.brand !== brand
                  ? `it is a call of ${call.brand}`
                  : 'it has not been inspected',
              zh: !call
                ? `没有这个${who.brand ? ` ${brand} 的` : ''}通话`
                : call.brand !== brand
                  ? `这是 ${call.brand} 的通话`
                  : '尚未质检',
            },
          ],
        );
    }
    const session: CalibrationSession = {
      id: this.ids(),
      brand,
      title: input.title,
      callIds,
      inspectorIds,
      createdBy: who.userId,
      createdAt: now.toISOString(),
    };
    await this.db.transaction().execute(async (trx) => {
      await repo.insertSession(trx, session);
      const items: { review: Review; slot: string }[] = [];
      for (const c of callIds)
        for (const i of inspectorIds)
          items.push({
            review: await this.newReview(trx, c, i, 'calibration', null, session.id, input.dueDays ?? 3, now),
            slot: `cal:${session.id}:${i}`,
          });
      await repo.insertReviews(trx, items);
      await this.audit.record(trx, {
        actor: who,
        entityType: 'calibration',
        entityId: session.id,
        action: 'create',
        changes: { brand, title: session.title, callIds, inspectorIds },
      });
      const first = items[0]?.review;
      if (first)
        await this.notify(
          trx,
          first,
          { users: inspectorIds },
          'calibration',
          who,
          now,
          () => `校准会“${session.title}”：请独立复核 ${callIds.length} 通电话（互不可见）`,
        );
    });
    return session;
  }

  async sessions(viewer: Viewer): Promise<CalibrationSession[]> {
    return repo.listSessions(this.db, viewer.brand ?? undefined);
  }

  /** Agreement per rule among the session's inspectors, and the machine's with them. */
  async report(id: string, viewer: Viewer): Promise<CalibrationReport> {
    const s = await repo.findSession(this.db, id);
    if (!s || (viewer.brand && viewer.brand !== s.brand)) throw notFound('calibration', id);
    const reviews = (await repo.listReviews(this.db, { sessionId: id }, { limit: 10_000, offset: 0 })).items;
    const names = await repo.displayNames(this.db, s.inspectorIds);
    const done = reviews.filter((r) => r.status === 'done');
    const calls: { machine: Map<string, 'fail' | 'pass'>; humans: Map<string, 'fail' | 'pass'>[] }[] = [];
    const involved = new Set<string>();
    for (const c of s.callIds) {
      const byInspector = s.inspectorIds.map((i) => done.find((r) => r.callId === c && r.inspectorId === i));
      if (byInspector.some((r) => r === undefined)) continue;
      const humans = (byInspector as Review[]).map((r) => {
        const outcome = this.score(r).rules;
        return new Map(outcome.map((o) => [o.rule, o.human] as const));
      });
      const first = byInspector[0] as Review;
      const machine = new Map<string, 'fail' | 'pass'>(first.findings.map((f) => [f.rule, 'fail'] as const));
      for (const m of [machine, ...humans]) for (const [rule, o] of m) if (o === 'fail') involved.add(rule);
      calls.push({ machine, humans });
    }
    const rules = this.scorecard.rules.map((r) => r.id).filter((r) => involved.has(r));
    return {
      session: {
        ...s,
        inspectors: s.inspectorIds.map((i) => ({
          id: i,
          name: names.get(i) ?? null,
          done: done.filter((r) => r.inspectorId === i).length,
        })),
      },
      completeCalls: calls.length,
      rules: calibrationAgreement(rules, calls).map((a) => ({ ...a, title: this.ruleTitle(a.rule) })),
    };
  }

  /** The machine's measured precision per rule and week, from the brand's completed reviews. */
  async precision(
    brand: string,
    from: Date,
    before: Date,
    who: BrandLimited = {},
  ): Promise<(PrecisionRow & { title: string })[]> {
    const id = this.ownBrand(brand, who, 'querystring.brand');
    const reviews = await repo.completedReviews(this.db, id, from.toISOString(), before.toISOString());
    return machinePrecision(
      reviews.map((r) => ({
        callId: r.callId,
        calibration: r.sessionId !== null,
        sessionId: r.sessionId,
        reviewedAt: new Date(r.completedAt as string),
        findings: r.findings,
        verdicts: new Map(Object.entries(r.verdicts).map(([k, v]) => [Number(k), v])),
        missed: r.missed.filter((m) => !m.overturned),
      })),
    ).map((p) => ({ ...p, title: this.ruleTitle(p.rule) }));
  }

  /**
   * Stores `next` in place of `r` unless someone changed the review since it was read (a
   * conflict: nothing is stored), and audits the change in the same transaction.
   */
  private async save(
    trx: repo.Db,
    r: Review,
    next: Review,
    actor: Actor,
    action: string,
    changes: Record<string, unknown>,
    conflict: Localized = { zh: '这条复核刚被修改，请刷新', en: 'the review changed meanwhile; reload it' },
  ): Promise<void> {
    if (!(await repo.updateReview(trx, next, r.version))) throw new AppError('conflict', conflict);
    await this.audit.record(trx, { actor, entityType: 'review', entityId: r.id, action, changes });
  }

  // ---- notifications ----

  /**
   * Tells users (by id) and roles (each active user of the role at the brand, or the role
   * itself when nobody has it) in the change's transaction; never the actor.
   */
  private async notify(
    trx: repo.Db,
    r: Pick<Review, 'callId' | 'brand'>,
    to: { users?: readonly string[]; roles?: readonly string[] },
    reason: string,
    actor: Actor,
    now: Date,
    message: () => string,
  ): Promise<void> {
    const rows: Parameters<typeof repo.insertNotifications>[1][number][] = [];
    const seen = new Set<string>();
    const add = (userId: string | null, role: string | null) => {
      const key = userId ?? `role:${role}`;
      if (seen.has(key) || (userId !== null && userId === actor.userId)) return;
      seen.add(key);
      rows.push({
        id: this.ids(),
        at: now.toISOString(),
        userId,
        role,
        ticketId: null,
        // A brand-limited reader reads only its brand's (tickets/repository.ts visibleTo).
        brand: r.brand,
        reason,
        message: message(),
        readAt: null,
      });
    };
    for (const u of to.users ?? []) add(u, null);
    for (const role of to.roles ?? []) {
      const users = (await repo.usersWithRole(trx, role)).filter(
        (u) => u.brand === null || u.brand === r.brand,
      );
      if (users.length === 0) add(null, role);
      for (const u of users) add(u.id, role);
    }
    if (rows.length === 0) return;
    await repo.insertNotifications(trx, rows);
    const events: NewEvent[] = rows.map((n) =>
      event('notification.created', { type: 'call', id: r.callId }, n.at, {
        notificationId: n.id,
        userId: n.userId,
        role: n.role,
        ticketId: null,
        brand: r.brand,
        reason: n.reason,
        message: maskText(n.message),
        at: n.at,
      }),
    );
    await repo.appendEvents(trx, events);
  }
}
