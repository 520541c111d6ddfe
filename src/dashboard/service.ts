// The dashboards (看板) and the wallboard (大屏): keeps the facts of every stored call and ticket
// (recordCall / recordTicket, run on the domain events call.inspected and ticket.*), and
// answers the dashboards from the daily rollups. Who sees what: a user with a brand sees only
// that brand; a team lead with a team only that team; agents none (the routes refuse them).
import type { Kysely } from 'kysely';
import type { Principal } from '../accounts/principal.ts';
import type { AccountsService } from '../accounts/service.ts';
import { teamKey } from '../accounts/team.ts';
import { systemActor } from '../audit/audit.ts';
import type { CallsService } from '../calls/service.ts';
import type { StoredCall } from '../calls/views.ts';
import type { CtiService } from '../cti/service.ts';
import type { DB } from '../db/schema.ts';
import type { AgentStateService } from '../live/agent-service.ts';
import { agentKeyOf, agentView, initialRecord } from '../live/agent-state.ts';
import { type LiveScope, liveScopeOf } from '../live/scope.ts';
import type { Catalog } from '../playbook/catalog.ts';
import { answerLimitMs } from '../qa/answer-limit.ts';
import type { ReviewService } from '../review/service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { localDate, startOfLocalDay } from '../shared/time-zone.ts';
import type { TicketsService } from '../tickets/service.ts';
import { type AppealFacts, type CallFacts, callFacts, ratio, ticketFacts } from './facts.ts';
import * as repo from './repository.ts';
import type {
  AppealRow,
  CallDashboard,
  CallRow,
  QualityDashboard,
  QualityRow,
  TicketDashboard,
  TicketRow,
  Wallboard,
} from './views.ts';

export type Dimension = repo.Dimension;

export const DEFAULT_GOAL = { percent: 80, seconds: 20 } as const;
const DAY_MS = 86_400_000;
/** The longest period a dashboard covers (a year and a bit: a year against the one before). */
export const MAX_DAYS = 732;
const TEAM_CACHE_MS = 60_000;

/** The filters of a dashboard, as the URL gives them. */
export interface DashboardFilter {
  brand?: string | undefined;
  /** Local days (the brand's time zone), YYYY-MM-DD, both included. */
  from: string;
  to: string;
  team?: string | undefined;
  agent?: string | undefined;
  by: Dimension;
}

/** A brand-limited account asks for another brand's dashboard: 403 naming its own. */
function otherBrandRefused(scope: string): AppError {
  return new AppError('forbidden', {
    zh: `您的账号只能查看品牌“${scope}”的看板`,
    en: `your account sees only the dashboards of brand '${scope}'`,
  });
}

/** What a user may see: their brand (null: every brand) and, for a team lead with one, their team. */
export interface DashboardScope {
  brand: string | null;
  team: string | null;
}

export function dashboardScopeOf(p: Pick<Principal, 'role' | 'brand' | 'team'>): DashboardScope {
  return { brand: p.brand, team: p.role === 'team-lead' && p.team !== null ? teamKey(p.team) : null };
}

export interface DashboardDeps {
  db: Kysely<DB>;
  clock: Clock;
  catalog: Catalog;
  calls: CallsService;
  tickets: TicketsService;
  accounts: AccountsService;
  cti: CtiService;
  /** The appeals (申诉) and their outcomes, for the quality dashboard. */
  review: Pick<ReviewService, 'findAppeal' | 'everyAppeal'>;
  /** Agents' states (the wallboard's per-agent list). */
  agents: AgentStateService;
  /** A rule's title (the scorecard's), for the top failed rules. */
  ruleTitle?: (id: string) => string | null;
}

const seconds = (ms: number, n: number) => (n === 0 ? null : Math.round(ms / n / 100) / 10);
const hours = (ms: number, n: number) => (n === 0 ? null : Math.round(ms / n / 360_000) / 10);

function callRow(r: repo.DayRow | undefined, key = ''): CallRow {
  const x = r ?? ({ key } as repo.DayRow);
  const n = (v: number | undefined) => v ?? 0;
  return {
    key: x.key ?? key,
    calls: n(x.calls),
    offered: n(x.offered),
    answered: n(x.answered),
    abandoned: n(x.abandoned),
    abandonRate: ratio(n(x.abandoned), n(x.offered)),
    serviceLevel: ratio(n(x.in_threshold), n(x.offered)),
    asaSeconds: seconds(n(x.wait_ms), n(x.offered_answered)),
    ahtSeconds: seconds(n(x.handle_ms), n(x.handled)),
    holdSeconds: seconds(n(x.hold_ms), n(x.handled)),
    holds: n(x.holds),
    holdsOverLimit: n(x.holds_over),
    repeatRate: ratio(n(x.repeats), n(x.with_phone)),
  };
}

function qualityRow(r: repo.DayRow | undefined, key = ''): Omit<QualityRow, 'appeals'> {
  const n = (v: number | undefined) => v ?? 0;
  return {
    key: r?.key ?? key,
    inspected: n(r?.inspected),
    unscored: n(r?.unscored),
    averageScore: r && r.inspected > 0 ? Math.round((r.score_sum / r.inspected) * 10) / 10 : null,
    fatal: n(r?.fatal),
    bands: {
      below60: n(r?.score_lt60),
      from60: n(r?.score_60),
      from70: n(r?.score_70),
      from80: n(r?.score_80),
      from90: n(r?.score_90),
    },
  };
}

function appealRow(r: repo.AppealSums | undefined): AppealRow {
  const x = r ?? { filed: 0, pending: 0, upheld: 0, overturned: 0 };
  return {
    filed: x.filed,
    pending: x.pending,
    upheld: x.upheld,
    overturned: x.overturned,
    overturnRate: ratio(x.overturned, x.upheld + x.overturned),
  };
}

function ticketRow(r: repo.TicketSumsRow | undefined, key = ''): TicketRow {
  const x = r ?? {
    key,
    opened: 0,
    breached: 0,
    replied: 0,
    replyMs: 0,
    closed: 0,
    closeMs: 0,
    visited: 0,
    satisfactionSum: 0,
    satisfied: 0,
  };
  return {
    key: x.key,
    opened: x.opened,
    breached: x.breached,
    breachRate: ratio(x.breached, x.opened),
    replyHours: hours(x.replyMs, x.replied),
    closeHours: hours(x.closeMs, x.closed),
    visited: x.visited,
    satisfaction: x.visited === 0 ? null : Math.round((x.satisfactionSum / x.visited) * 100) / 100,
    satisfiedRate: ratio(x.satisfied, x.visited),
  };
}

const validation = (path: string, zh: string, en: string) =>
  new AppError('validation', { zh, en }, [{ path, message: en, zh }]);

export type BackfillKind = 'calls' | 'tickets' | 'appeals';

export interface BackfillOptions {
  /** Local days (YYYY-MM-DD), both included; default everything stored. */
  from?: string;
  to?: string;
  /** Items per transaction (1–1000, default 200). */
  batchSize?: number;
  /** After each batch: the kind, how many were read and how many got facts (`total`: the calls to read). */
  onProgress?: (p: {
    kind: BackfillKind;
    seen: number;
    added: number;
    total?: number;
  }) => void | Promise<void>;
}

export type BackfillResult = Record<BackfillKind, { seen: number; added: number }>;

export class DashboardService {
  private teams: { at: number; byNumber: Map<string, string> } | null = null;

  constructor(private readonly deps: DashboardDeps) {}

  /** The brand's service-level goal: its playbook's `serviceLevel`, else 80/20. */
  goal(brand: string): { percent: number; seconds: number } {
    return this.deps.catalog.find(brand)?.settings.serviceLevel ?? DEFAULT_GOAL;
  }

  /**
   * The answer limit QA judges by (the scorecard in force's ring period, else the brand's):
   * the seeds' 3 rings of 5 s unless the brand's playbook says otherwise.
   */
  private answerLimitMs(brand: string): number {
    const s = this.deps.catalog.find(brand)?.settings ?? { ringsToAnswer: 3, ringPeriodSeconds: 5 };
    return answerLimitMs(s, this.deps.calls.scorecardInForce);
  }

  private holdLimitMs(brand: string): number {
    return (this.deps.catalog.find(brand)?.settings.holdLimitSeconds ?? 60) * 1000;
  }

  /** The team key of a 工号 at a brand ('' when none), from the accounts (read at most once a minute). */
  private async teamOf(agentNumber: string | null, brand: string): Promise<string> {
    if (!agentNumber) return '';
    const now = this.deps.clock.now().getTime();
    if (!this.teams || now - this.teams.at > TEAM_CACHE_MS || now < this.teams.at) {
      const byNumber = new Map<string, string>();
      for (const u of await this.deps.accounts.listUsers()) {
        if (!u.agentNumber || !u.team) continue;
        byNumber.set(`${u.agentNumber}\u0000${u.brand ?? ''}`, teamKey(u.team));
      }
      this.teams = { at: now, byNumber };
    }
    return (
      this.teams.byNumber.get(`${agentNumber}\u0000${brand}`) ??
      this.teams.byNumber.get(`${agentNumber}\u0000`) ??
      ''
    );
  }

  /** Forgets the cached teams (an admin changed a user). */
  forgetTeams(): void {
    this.teams = null;
  }

  /**
   * A stored call's facts, its repeat-caller check read through `db` (a transaction sees its own
   * rows). `team`: the agent's, read before any transaction (SQLite has one writer: reading the
   * accounts from inside one would wait for it forever).
   */
  private async factsOf(db: repo.Db, call: StoredCall, team: string): Promise<CallFacts> {
    const tz = this.deps.calls.timezoneOf(call.brand);
    const started = new Date(call.startedAt);
    // Repeat callers are callers: inbound calls with a whole number (not a callback, not 138****8000).
    const phone =
      call.direction !== 'inbound' || call.customerPhone?.includes('*') ? null : call.customerPhone;
    // Judged by the calls' start (ring) times, not the order they are recorded in: see recordCall.
    const repeat = phone
      ? await repo.calledWithin(
          db,
          call.brand,
          phone,
          new Date(started.getTime() - DAY_MS).toISOString(),
          started.toISOString(),
          call.id,
        )
      : false;
    return callFacts(
      { ...call, customerPhone: phone },
      {
        day: localDate(started, tz),
        team,
        holdLimitMs: this.holdLimitMs(call.brand),
        answerLimitMs: this.answerLimitMs(call.brand),
        repeat,
      },
    );
  }

  /**
   * The calls of the same caller in the 24 h after this one, marked as repeats (a call recorded
   * late lies in their 24 h before); the buckets whose rollups that changed.
   */
  private async laterRepeats(db: repo.Db, facts: CallFacts): Promise<repo.Bucket[]> {
    if (!facts.phone) return [];
    const started = new Date(facts.startedAt);
    return repo.markRepeatsAfter(
      db,
      facts.brand,
      facts.phone,
      started.toISOString(),
      new Date(started.getTime() + DAY_MS).toISOString(),
      facts.callId,
    );
  }

  /**
   * Counts a stored call (again): its facts, and the day's rollup of its agent. Idempotent: an
   * event delivered twice counts once; a call inspected again replaces its facts. A call
   * recorded late is a repeat of an earlier one, and makes the later ones within 24 h repeats.
   */
  async recordCall(callId: string): Promise<void> {
    const { calls, db } = this.deps;
    const call = await calls.get(callId, { kind: 'all' });
    const thresholdMs = this.goal(call.brand).seconds * 1000;
    const team = await this.teamOf(call.agent.id, call.brand);
    await repo.rollupTransaction(db, async (trx) => {
      const facts = await this.factsOf(trx, call, team);
      const before = await repo.callBucket(trx, call.id);
      await repo.saveCallFacts(trx, facts);
      const later = await this.laterRepeats(trx, facts);
      const buckets = new Map<string, repo.Bucket>();
      for (const b of [facts, ...(before ? [before] : []), ...later])
        buckets.set(JSON.stringify([b.brand, b.day, b.team, b.agent]), b);
      for (const b of buckets.values())
        await repo.recountCalls(
          trx,
          { brand: b.brand, day: b.day, team: b.team, agent: b.agent },
          thresholdMs,
        );
    });
  }

  /** An appeal's facts: counted in the bucket of the appealed call (its local day, team, agent). */
  private async appealFactsOf(appealId: string): Promise<AppealFacts | undefined> {
    const a = await this.deps.review.findAppeal(appealId);
    if (!a) return undefined;
    const call = await this.deps.calls.get(a.callId, { kind: 'all' });
    return {
      appealId: a.id,
      callId: a.callId,
      brand: a.brand,
      day: localDate(new Date(call.startedAt), this.deps.calls.timezoneOf(call.brand)),
      team: await this.teamOf(call.agent.id, call.brand),
      agent: call.agent.id ?? '',
      rule: a.rule,
      status: a.status,
    };
  }

  /** Counts an appeal as it is now (filed, upheld or overturned): run on appeal.filed / appeal.judged. Idempotent. */
  async recordAppeal(appealId: string): Promise<void> {
    const facts = await this.appealFactsOf(appealId);
    if (!facts) return;
    await repo.rollupTransaction(this.deps.db, async (trx) => {
      const before = await repo.appealBucket(trx, facts.appealId);
      await repo.saveAppealFacts(trx, facts);
      await repo.recountAppeals(trx, facts);
      if (before && (before.day !== facts.day || before.team !== facts.team || before.agent !== facts.agent))
        await repo.recountAppeals(trx, before);
    });
  }

  /** Counts a ticket as it is now (opened, changed, breached, escalated). Idempotent. */
  async recordTicket(ticketId: string): Promise<void> {
    const t = await this.deps.tickets.get(ticketId, systemActor('server'));
    const day = localDate(new Date(t.createdAt), this.deps.calls.timezoneOf(t.brand));
    await repo.rollupTransaction(this.deps.db, async (trx) => {
      await repo.saveTicketFacts(trx, ticketFacts(t, day));
      await repo.recountTickets(trx, { brand: t.brand, day, type: t.type });
    });
  }

  /** Counts every rollup of a brand again from the facts (after its service-level goal changed). */
  async recount(brand: string): Promise<void> {
    const thresholdMs = this.goal(brand).seconds * 1000;
    await repo.rollupTransaction(this.deps.db, async (trx) => {
      await repo.recountCalls(trx, { brand }, thresholdMs);
      await repo.recountTickets(trx, { brand });
      await repo.recountAppeals(trx, { brand });
    });
  }

  /**
   * Whether a back-fill is due: a kind of facts (calls, tickets, appeals) has none kept while
   * its source has some — the store predates the dashboards, or the kind is new.
   */
  async backfillNeeded(): Promise<boolean> {
    const kept = await repo.factsKept(this.deps.db);
    if (!kept.calls && (await this.deps.calls.search({}, { limit: 1, offset: 0 }, { kind: 'all' })).total > 0)
      return true;
    if (
      !kept.tickets &&
      (await this.deps.tickets.list({}, { limit: 1, offset: 0 }, systemActor('server'))).items.length > 0
    )
      return true;
    if (!kept.appeals) for await (const _ of this.deps.review.everyAppeal({}, 1)) return true;
    return false;
  }

  /**
   * Back-fill (补录): the facts of the stored calls, tickets and appeals that have none, and the
   * rollups they touch, `batchSize` at a time, one transaction per batch. Facts kept already are
   * left alone (an event wrote them from the newest state), so running it twice, or while events
   * arrive, counts nothing twice. `from` / `to`: local days (the default time zone) of the
   * call's start, the ticket's opening, the appeal's filing; both included.
   */
  async backfill(options: BackfillOptions = {}): Promise<BackfillResult> {
    const { calls, tickets, review, db } = this.deps;
    const size = Math.max(1, Math.min(options.batchSize ?? 200, 1000));
    if (options.from !== undefined && options.to !== undefined && options.from > options.to)
      throw validation(
        'from',
        `开始日期 ${options.from} 晚于结束日期 ${options.to}；请交换两者`,
        `from ${options.from} is after to ${options.to}; swap them`,
      );
    const tz = calls.timezoneOf(null);
    const instant = (day: string) => startOfLocalDay(day, tz);
    const nextDay = (day: string) => new Date(Date.parse(day) + DAY_MS).toISOString().slice(0, 10);
    const result: BackfillResult = {
      calls: { seen: 0, added: 0 },
      tickets: { seen: 0, added: 0 },
      appeals: { seen: 0, added: 0 },
    };
    const report = async (kind: BackfillKind) => options.onProgress?.({ kind, ...result[kind] });

    // Calls, oldest first: a call's repeat-caller check sees the earlier calls' facts.
    const callTotal = (
      await calls.search(
        {
          ...(options.from ? { from: { date: options.from } } : {}),
          ...(options.to ? { to: { date: options.to } } : {}),
        },
        { limit: 1, offset: 0 },
        { kind: 'all' },
      )
    ).total;
    const callBatch = async (batch: StoredCall[]) => {
      const have = await repo.withFacts(
        db,
        'calls',
        batch.map((c) => c.id),
      );
      const missing = batch.filter((c) => !have.has(c.id));
      const teams = new Map<string, string>();
      for (const call of missing) teams.set(call.id, await this.teamOf(call.agent.id, call.brand));
      if (missing.length > 0)
        await repo.rollupTransaction(db, async (trx) => {
          const days = new Map<string, { brand: string; day: string }>();
          for (const call of missing) {
            const facts = await this.factsOf(trx, call, teams.get(call.id) ?? '');
            if (!(await repo.saveCallFacts(trx, facts, true))) continue;
            result.calls.added++;
            // Calls with facts already (from their events) may lie in this one's 24 h after.
            for (const b of [facts, ...(await this.laterRepeats(trx, facts))])
              days.set(`${b.brand}\u0000${b.day}`, { brand: b.brand, day: b.day });
          }
          for (const d of days.values()) await repo.recountCalls(trx, d, this.goal(d.brand).seconds * 1000);
        });
      result.calls.seen += batch.length;
      await options.onProgress?.({ kind: 'calls', ...result.calls, total: callTotal });
    };
    let batch: StoredCall[] = [];
    const filter = {
      ...(options.from ? { from: { date: options.from } } : {}),
      ...(options.to ? { to: { date: options.to } } : {}),
    };
    for await (const call of calls.export(filter, { kind: 'all' })) {
      batch.push(call);
      if (batch.length >= size) {
        await callBatch(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await callBatch(batch);

    // Tickets.
    const ticketQuery = {
      ...(options.from ? { createdFrom: instant(options.from) } : {}),
      ...(options.to ? { createdTo: instant(nextDay(options.to)) } : {}),
    };
    let views: Awaited<ReturnType<TicketsService['get']>>[] = [];
    const ticketBatch = async () => {
      const have = await repo.withFacts(
        db,
        'tickets',
        views.map((t) => t.id),
      );
      const missing = views.filter((t) => !have.has(t.id));
      if (missing.length > 0)
        await repo.rollupTransaction(db, async (trx) => {
          const days = new Map<string, { brand: string; day: string; type: string }>();
          for (const t of missing) {
            const day = localDate(new Date(t.createdAt), calls.timezoneOf(t.brand));
            if (!(await repo.saveTicketFacts(trx, ticketFacts(t, day), true))) continue;
            result.tickets.added++;
            days.set(`${t.brand}\u0000${day}\u0000${t.type}`, { brand: t.brand, day, type: t.type });
          }
          for (const d of days.values()) await repo.recountTickets(trx, d);
        });
      result.tickets.seen += views.length;
      views = [];
      await report('tickets');
    };
    for await (const t of tickets.exportTickets(ticketQuery, systemActor('server'), size)) {
      views.push(t);
      if (views.length >= size) await ticketBatch();
    }
    if (views.length > 0) await ticketBatch();

    // Appeals.
    const appealFilter = {
      ...(options.from ? { from: instant(options.from).toISOString() } : {}),
      ...(options.to ? { to: instant(nextDay(options.to)).toISOString() } : {}),
    };
    for await (const appeals of review.everyAppeal(appealFilter, size)) {
      const have = await repo.withFacts(
        db,
        'appeals',
        appeals.map((a) => a.id),
      );
      const facts: AppealFacts[] = [];
      for (const a of appeals) {
        if (have.has(a.id)) continue;
        const f = await this.appealFactsOf(a.id);
        if (f) facts.push(f);
      }
      if (facts.length > 0)
        await repo.rollupTransaction(db, async (trx) => {
          const days = new Map<string, { brand: string; day: string }>();
          for (const f of facts) {
            if (!(await repo.saveAppealFacts(trx, f, true))) continue;
            result.appeals.added++;
            days.set(`${f.brand}\u0000${f.day}`, { brand: f.brand, day: f.day });
          }
          for (const d of days.values()) await repo.recountAppeals(trx, d);
        });
      result.appeals.seen += appeals.length;
      await report('appeals');
    }
    return result;
  }

  private query(filter: Omit<DashboardFilter, 'by'>, scope: DashboardScope): repo.FactQuery {
    let brand: string | null = null;
    if (filter.brand !== undefined) brand = this.deps.calls.brandId(filter.brand, 'querystring.brand');
    if (scope.brand !== null) {
      if (brand !== null && brand !== scope.brand) throw otherBrandRefused(scope.brand);
      brand = scope.brand;
    }
    if (filter.from > filter.to)
      throw validation(
        'querystring.from',
        `开始日期 ${filter.from} 晚于结束日期 ${filter.to}；请交换两者`,
        `from ${filter.from} is after to ${filter.to}; swap them`,
      );
    const days = (Date.parse(filter.to) - Date.parse(filter.from)) / DAY_MS + 1;
    if (days > MAX_DAYS)
      throw validation(
        'querystring.to',
        `时间段最长 ${MAX_DAYS} 天（所选 ${days} 天）；请缩短`,
        `a period is at most ${MAX_DAYS} days (this one is ${days}); shorten it`,
      );
    let team = filter.team !== undefined && filter.team.trim() !== '' ? teamKey(filter.team) : undefined;
    if (scope.team !== null) {
      if (team !== undefined && team !== scope.team)
        throw new AppError('forbidden', {
          zh: `组长只能查看本组（${scope.team}）的看板`,
          en: `a team lead sees only their own team's dashboards (${scope.team})`,
        });
      team = scope.team;
    }
    return {
      brand,
      from: filter.from,
      to: filter.to,
      ...(team !== undefined ? { team } : {}),
      ...(filter.agent !== undefined && filter.agent !== '' ? { agent: filter.agent } : {}),
    };
  }

  /** When the query's first day starts and the day after its last starts, in the brand's zone. */
  private instants(q: repo.FactQuery): { from: string; to: string } {
    const tz = this.deps.calls.timezoneOf(q.brand);
    const next = new Date(Date.parse(q.to) + DAY_MS).toISOString().slice(0, 10);
    return { from: startOfLocalDay(q.from, tz).toISOString(), to: startOfLocalDay(next, tz).toISOString() };
  }

  async callDashboard(filter: DashboardFilter, scope: DashboardScope): Promise<CallDashboard> {
    const q = this.query(filter, scope);
    const [rows, total] = await Promise.all([
      repo.daySumsBy(this.deps.db, q, filter.by),
      repo.daySumsBy(this.deps.db, q, 'all'),
    ]);
    return {
      from: q.from,
      to: q.to,
      brand: q.brand,
      by: filter.by,
      goal: q.brand ? this.goal(q.brand) : null,
      total: callRow(total[0]),
      rows: filter.by === 'all' ? [] : rows.map((r) => callRow(r)),
    };
  }

  async qualityDashboard(filter: DashboardFilter, scope: DashboardScope): Promise<QualityDashboard> {
    const q = this.query(filter, scope);
    const { db } = this.deps;
    const [rows, total, top, fatal, appealRows, appealTotal, appealRules] = await Promise.all([
      repo.daySumsBy(db, q, filter.by),
      repo.daySumsBy(db, q, 'all'),
      repo.topRules(db, q, 10),
      repo.fatalCalls(db, q, this.instants(q), 50),
      filter.by === 'all' ? Promise.resolve([]) : repo.appealSumsBy(db, q, filter.by),
      repo.appealSumsBy(db, q, 'all'),
      repo.appealSumsBy(db, q, 'rule'),
    ]);
    // A row per key of either: calls inspected, or appeals against them.
    const appealsBy = new Map(appealRows.map((r) => [r.key, r]));
    const keys = [...new Set([...rows.map((r) => r.key), ...appealsBy.keys()])].sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    const rowsBy = new Map(rows.map((r) => [r.key, r]));
    const trend = await repo.ruleTrend(
      db,
      q,
      top.slice(0, 5).map((r) => r.rule),
    );
    return {
      from: q.from,
      to: q.to,
      brand: q.brand,
      by: filter.by,
      total: { ...qualityRow(total[0]), appeals: appealRow(appealTotal[0]) },
      rows:
        filter.by === 'all'
          ? []
          : keys.map((key) => ({
              ...qualityRow(rowsBy.get(key), key),
              appeals: appealRow(appealsBy.get(key)),
            })),
      topRules: top.map((r) => ({ ...r, title: this.deps.ruleTitle?.(r.rule) ?? null })),
      ruleTrend: trend,
      fatalCalls: fatal,
      // The rules overturned most first: where the machine's findings are weakest.
      appealRules: appealRules
        .map((r) => ({ rule: r.key, title: this.deps.ruleTitle?.(r.key) ?? null, ...appealRow(r) }))
        .sort((a, b) => b.overturned - a.overturned || b.filed - a.filed || (a.rule < b.rule ? -1 : 1)),
    };
  }

  async ticketDashboard(
    filter: Omit<DashboardFilter, 'by' | 'team' | 'agent'>,
    scope: DashboardScope,
  ): Promise<TicketDashboard> {
    const q = this.query(filter, { brand: scope.brand, team: null });
    const { db } = this.deps;
    const [backlog, total, byType, byDay] = await Promise.all([
      repo.ticketBacklog(db, q.brand),
      repo.ticketSums(db, q, 'all'),
      repo.ticketSums(db, q, 'type'),
      repo.ticketSums(db, q, 'day'),
    ]);
    return {
      from: q.from,
      to: q.to,
      brand: q.brand,
      backlog,
      total: ticketRow(total[0]),
      byType: byType.map((r) => ticketRow(r)),
      byDay: byDay.map((r) => ticketRow(r)),
    };
  }

  /** The floor now: live calls, the agents' states, today's service level. */
  async wallboard(
    principal: Pick<Principal, 'role' | 'brand' | 'team' | 'agentNumber'>,
    liveScope: LiveScope | undefined,
    brandFilter: string | undefined,
  ): Promise<Wallboard> {
    const scope = dashboardScopeOf(principal);
    const { clock, calls, cti, accounts, catalog, agents: states } = this.deps;
    const now = clock.now();
    const asked = brandFilter !== undefined ? calls.brandId(brandFilter, 'querystring.brand') : null;
    // Another brand than a brand-limited account's is 403, as on every dashboard (it answered
    // the account's own brand as though it were the one asked for).
    if (scope.brand !== null && asked !== null && asked !== scope.brand) throw otherBrandRefused(scope.brand);
    const brand = scope.brand ?? asked;
    const day = localDate(now, calls.timezoneOf(brand));
    const q = this.query({ ...(brand ? { brand } : {}), from: day, to: day }, scope);
    const live = (await cti.liveCalls(liveScope ?? liveScopeOf(principal))).filter(
      (c) => !c.practice && (brand === null || c.brand === brand),
    );
    const records = new Map((await states.list()).map((r) => [agentKeyOf(r), r]));
    const agents = (await accounts.listUsers())
      .filter((u) => u.role === 'agent' && !u.disabled && u.agentNumber !== null)
      .filter((u) => brand === null || u.brand === null || u.brand === brand)
      .filter((u) => scope.team === null || (u.team !== null && teamKey(u.team) === scope.team))
      .map((u) => {
        const key = { agentNumber: u.agentNumber ?? '', brand: u.brand };
        const record = records.get(agentKeyOf(key));
        const view = agentView(record ?? initialRecord(key, now.getTime()), states.rulesOf(u.brand));
        // The account's name and team as they are now (the state keeps them as at sign-in).
        return { ...view, name: u.displayName, team: u.team, since: record ? view.since : null };
      })
      .sort((a, b) => (a.agentNumber < b.agentNumber ? -1 : a.agentNumber > b.agentNumber ? 1 : 0));
    const today = await repo.daySumsBy(this.deps.db, q, 'all');
    return {
      at: now.toISOString(),
      brand,
      day,
      calls: live.map((c) => ({
        callId: c.callId,
        brand: c.brand,
        status: c.status,
        agent: c.agent,
        ringAt: c.ringAt,
        answeredAt: c.answeredAt,
        holdSince: c.holdSince,
        holdLimitSeconds: catalog.find(c.brand)?.settings.holdLimitSeconds ?? 60,
        holdOverLimit: c.holdOverLimit,
      })),
      agents,
      today: callRow(today[0]),
      goal: brand ? this.goal(brand) : null,
    };
  }
}
