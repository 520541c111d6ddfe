// Stored calls: a finished call is inspected on arrival with the default scorecard, stored with
// its QA result and a normalized transcript for searching, and its number becomes (or updates)
// a customer, all in one transaction. Searching, the same-day repeat caller, the subject.

import type { Kysely } from 'kysely';
import { type Actor, AuditWriter } from '../audit/audit.ts';
import { titleOf } from '../customers/model.ts';
import type { Phone } from '../customers/phone.ts';
import type { CustomersService } from '../customers/service.ts';
import type { DB } from '../db/schema.ts';
import { event, type NewEvent } from '../events/map.ts';
import { masked } from '../events/payloads.ts';
import { appendEvents } from '../events/repository.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Catalog } from '../playbook/catalog.ts';
import { InspectionError, type Inspector } from '../qa/engine.ts';
import type { CallResult } from '../qa/result.ts';
import { ScorecardError } from '../qa/scorecard.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { CHINA_TIME_ZONE, localDate, nextDate, startOfLocalDay } from '../shared/time-zone.ts';
import { normalizeText } from '../text/normalize.ts';
import type { Call, Turn } from './model.ts';
import * as repo from './repository.ts';
import { topicOf } from './subject.ts';
import type { CallScope, CallSummary, RepeatCaller, StoredCall } from './views.ts';
import { ownsCall } from './views.ts';

// The views and the viewer's scope live in views.ts so the repository and the customers module
// can use them without importing this file (which imports them): no import cycle.
export {
  type CallQa,
  type CallScope,
  type CallSummary,
  ownsCall,
  type RepeatCaller,
  type StoredCall,
  scopeOf,
} from './views.ts';

/** The time zone of a brand without playbook settings, and of searches over every brand. */
export const DEFAULT_TIMEZONE = CHINA_TIME_ZONE;

export interface NewCall {
  /** A call validated by the importer (`parseCallJson`) or built from CTI events; `brand` set. */
  call: Call;
  /** The customer's number in canonical form, when the call has a whole number. */
  phone: Phone | null;
  /** What the call was about; derived from the customer's first words when not given. */
  subject?: string | null;
  /** Stored at the hangup of a live call (CTI): the call.ended event goes with it. */
  fromCti?: boolean;
  /**
   * The scorecard version in force when the call rang (`LiveCall.scorecardVersion`): a call
   * keeps the rules it started with though a newer version was published meanwhile. Null: the
   * shipped file; absent: the version in force now.
   */
  scorecardVersion?: number | null;
}

/** A date `YYYY-MM-DD` (a whole local day in the brand's zone) or an instant. */
export type DateBound = { date: string } | { instant: Date };

export interface CallFilter {
  phone?: { exact: Phone } | { suffix: string };
  agentId?: string;
  brand?: string;
  from?: DateBound;
  /** Inclusive for a date (the whole day), exclusive for an instant. */
  to?: DateBound;
  failedRule?: string;
  text?: string;
  answered?: boolean;
}

// ---- subject and transcript ------------------------------------------------------------

const GREETING = /^(?:(?:喂|你好|您好|哎|诶|嗯|那个|请问一下|請問一下)[，,。.!！\s~～]*)+/;
const MAX_SUBJECT = 40;

/** What the call is about, from the customer's first substantial words (greetings dropped). */
export function deriveSubject(turns: readonly Turn[]): string | null {
  for (const t of turns) {
    if (t.speaker !== 'customer') continue;
    const text = t.text.replace(/\s+/g, ' ').trim().replace(GREETING, '').trim();
    const spoken = text.replace(/[\p{P}\p{S}\s]/gu, '');
    if (spoken.length < 5) continue;
    return text.length > MAX_SUBJECT ? `${text.slice(0, MAX_SUBJECT)}…` : text;
  }
  return null;
}

/** The normalized transcript kept for substring search: Simplified, half-width, lower case. */
export function searchableText(text: string): string {
  return normalizeText(text).toLowerCase();
}

function lastMoment(call: Call): number {
  let last = 0;
  for (const e of call.events) last = Math.max(last, e.at);
  for (const t of call.turns) last = Math.max(last, t.end ?? t.start ?? 0);
  return last;
}

function wasAnswered(call: Call): boolean {
  return call.events.some((e) => e.type === 'answer') || call.turns.length > 0;
}

/** A stored call in the form the inspector reads (the call file's), with these words. */
function inspectable(stored: StoredCall, turns: Turn[]): Call {
  const call: Call = {
    id: stored.id,
    brand: stored.brand,
    direction: stored.direction,
    channel: stored.channel,
    startedAt: stored.startedAt,
    events: stored.events,
    turns,
  };
  if (stored.agent.id !== null || stored.agent.name !== null) {
    call.agent = {};
    if (stored.agent.id !== null) call.agent.id = stored.agent.id;
    if (stored.agent.name !== null) call.agent.name = stored.agent.name;
  }
  if (stored.customerPhone) call.customer = { phone: stored.customerPhone };
  return call;
}

export class CallsService {
  private readonly audit: AuditWriter;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    ids: IdGenerator,
    private readonly catalog: Catalog,
    private inspector: Inspector,
    private readonly customers: CustomersService,
    private readonly metrics: Metrics | null = null,
    /** The inspector of a published scorecard version (ScorecardService.inspectorOf). */
    private readonly versions: ((version: number) => Promise<Inspector>) | null = null,
  ) {
    this.audit = new AuditWriter(ids, clock);
    this.shipped = inspector;
  }

  /** The inspector of the shipped file (version null), for a call that rang before a stored one was in force. */
  private readonly shipped: Inspector;

  /** The scorecard version the inspector in use comes from (null: the shipped file, not the store). */
  private scorecardVersion: number | null = null;

  /** Inspects from now on with this inspector, a published scorecard version (src/scorecards). */
  useInspector(inspector: Inspector, scorecardVersion: number): void {
    this.inspector = inspector;
    this.scorecardVersion = scorecardVersion;
  }

  /** The scorecard in force now: its rules and titles, for review and the dashboards. */
  get scorecardInForce(): Inspector['scorecard'] {
    return this.inspector.scorecard;
  }

  /** The scorecard version calls are inspected with now (null: the shipped file). */
  get inspectingWith(): number | null {
    return this.scorecardVersion;
  }

  /**
   * Who judges a call that started under `version`: that version's inspector (undefined: the
   * one in force now). A version this process cannot compile (it cannot happen for a published
   * one short of a broken store) is judged by the one in force, and the result says so.
   */
  private async judge(
    version: number | null | undefined,
  ): Promise<{ inspector: Inspector; version: number | null }> {
    if (version === undefined || version === this.scorecardVersion)
      return { inspector: this.inspector, version: this.scorecardVersion };
    if (version === null) return { inspector: this.shipped, version: null };
    try {
      if (this.versions) return { inspector: await this.versions(version), version };
    } catch (err) {
      if (!(err instanceof AppError || err instanceof InspectionError || err instanceof ScorecardError))
        throw err;
    }
    return { inspector: this.inspector, version: this.scorecardVersion };
  }

  /** A call's machine results, one per scorecard version it was inspected with, newest first. */
  inspections(id: string): Promise<repo.InspectionRecord[]> {
    return repo.inspectionsOf(this.db, id);
  }

  /** Keeps the machine result under the scorecard version that judged it (when it is from the store). */
  private async keepInspection(
    db: repo.Db,
    callId: string,
    qa: StoredCall['qa'],
    at: string,
  ): Promise<boolean> {
    if (!qa || qa.scorecardVersion === null) return false;
    return repo.insertInspection(db, {
      callId,
      scorecardVersion: qa.scorecardVersion,
      score: qa.score,
      fatal: qa.fatal,
      failedRules: qa.failedRules,
      result: qa.result,
      inspectedAt: at,
    });
  }

  /** The time zone a brand counts its days in (its working hours' zone). */
  /** Names for people to read (exports): a brand's name, a rule's title in the scorecard in use. */
  names(): { brand(id: string): string; rule(id: string): string } {
    const titles = new Map(this.inspector.scorecard.rules.map((r) => [r.id, r.title] as const));
    return {
      brand: (id) => this.catalog.find(id)?.brand.name ?? id,
      rule: (id) => titles.get(id) ?? id,
    };
  }

  /** Each rule's title in the scorecard in use, by id (the screens' name for a rule they cannot translate). */
  ruleTitles(): Record<string, string> {
    return Object.fromEntries(this.inspector.scorecard.rules.map((r) => [r.id, r.title] as const));
  }

  timezoneOf(brand: string | null | undefined): string {
    if (!brand) return DEFAULT_TIMEZONE;
    return this.catalog.find(brand)?.settings.workingHours.timezone ?? DEFAULT_TIMEZONE;
  }

  /** The brand's canonical id, or a validation error naming the known brands (at `path`). */
  brandId(brand: string | undefined, path = 'body.brand'): string {
    const pb = brand ? this.catalog.find(brand) : undefined;
    if (!pb) {
      const known = this.catalog.brandIds.join(', ');
      const message = brand
        ? `unknown brand '${brand}'; known brands: ${known}`
        : `a stored call needs its brand; known brands: ${known}`;
      throw new AppError(
        'validation',
        {
          zh: brand ? `未知品牌“${brand}”；已有品牌：${known}` : `存储通话须注明品牌；已有品牌：${known}`,
          en: message,
        },
        [{ path, message: brand ? 'unknown brand' : 'required', zh: brand ? '未知品牌' : '必填' }],
      );
    }
    return pb.brand.id;
  }

  /**
   * Inspects and stores a finished call, and records its customer. The answer also says
   * whether the number had called the brand earlier that day.
   */
  async store(input: NewCall, actor: Actor): Promise<{ call: StoredCall; repeatCaller: RepeatCaller }> {
    const brand = this.brandId(input.call.brand);
    const call: Call = { ...input.call, brand };
    if (await repo.callExists(this.db, call.id))
      throw new AppError(
        'conflict',
        { zh: `通话“${call.id}”已存储过`, en: `a call with id '${call.id}' is already stored` },
        [{ path: 'body.id', message: 'already stored', zh: '已存储' }],
      );
    const judge = await this.judge(input.scorecardVersion);
    let result: CallResult;
    try {
      result = judge.inspector.inspect(call);
    } catch (e) {
      if (e instanceof InspectionError)
        throw new AppError('validation', { zh: `无法质检此通话：${e.message}`, en: e.message });
      throw e;
    }
    const now = this.clock.now();
    const length = lastMoment(call);
    const started = call.startedAt ? new Date(call.startedAt) : new Date(now.getTime() - length);
    const phone = input.phone;
    const customerPhone = phone ?? call.customer?.phone ?? null;
    const stored: StoredCall = {
      id: call.id,
      brand,
      direction: call.direction,
      channel: call.channel ?? 'phone',
      agent: { id: call.agent?.id ?? null, name: call.agent?.name ?? null },
      customerPhone,
      startedAt: started.toISOString(),
      endedAt: new Date(started.getTime() + length).toISOString(),
      subject: input.subject?.trim() || deriveSubject(call.turns),
      answered: wasAnswered(call),
      events: call.events,
      turns: call.turns,
      qa: {
        score: result.score,
        fatal: result.fatal,
        failedRules: result.rules.filter((r) => r.outcome === 'fail').map((r) => r.id),
        scorecardVersion: judge.version,
        result,
      },
      createdAt: now.toISOString(),
    };
    const repeatCaller = phone
      ? await this.repeatCaller(phone, brand, started)
      : { repeat: false, callsToday: 0, previous: null, prompt: null };
    const transcript = call.turns.map((t) => searchableText(t.text)).join('\n');
    try {
      await this.db.transaction().execute(async (trx) => {
        await repo.insertCall(trx, { call: stored, transcript });
        await this.keepInspection(trx, stored.id, stored.qa, stored.createdAt);
        if (phone) {
          await this.customers.recordFromCall(
            trx,
            {
              phone,
              surname: call.customer?.surname?.trim() || null,
              title: titleOf(call.customer?.title),
              callId: call.id,
            },
            actor,
          );
        }
        await this.audit.record(
          trx,
          {
            actor,
            entityType: 'call',
            entityId: call.id,
            action: 'create',
            changes: { brand, agentId: stored.agent.id, score: result.score, fatal: result.fatal },
          },
          now,
        );
        await appendEvents(trx, [...(input.fromCti ? [callEnded(stored)] : []), callInspected(stored)]);
      });
    } catch (e) {
      // Two posts of the same call at once: the second loses on the primary key.
      if (await repo.callExists(this.db, call.id))
        throw new AppError(
          'conflict',
          { zh: `通话“${call.id}”已存储过`, en: `a call with id '${call.id}' is already stored` },
          [{ path: 'body.id', message: 'already stored', zh: '已存储' }],
        );
      throw e;
    }
    this.metrics?.callsInspected.labels(brand).inc();
    return { call: stored, repeatCaller };
  }

  /**
   * Adds the words of a call stored without them (the CTI stored it at hangup; the ASR came
   * later): the call is inspected again with them. A call that has words already is a conflict.
   */
  async addTranscript(
    id: string,
    turns: Turn[],
    actor: Actor,
    scope: CallScope = { kind: 'all' },
  ): Promise<StoredCall> {
    // Through the writer's scope: another brand's call is not found for a brand-limited account.
    const stored = await this.get(id, scope);
    if (stored.turns.length > 0)
      throw new AppError('conflict', {
        zh: `通话“${id}”已有通话记录文本（${stored.turns.length} 轮）`,
        en: `call '${id}' has a transcript already (${stored.turns.length} turns)`,
      });
    const call = inspectable(stored, turns);
    // Judged by the version the call was stored with (the one in force when it rang); a call
    // stored before versions, by the one in force.
    const judge = await this.judge(stored.qa?.scorecardVersion ?? undefined);
    const result = judge.inspector.inspect(call);
    const next: StoredCall = {
      ...stored,
      turns,
      endedAt: new Date(Date.parse(stored.startedAt) + lastMoment(call)).toISOString(),
      subject: stored.subject ?? deriveSubject(turns),
      answered: wasAnswered(call),
      qa: {
        score: result.score,
        fatal: result.fatal,
        failedRules: result.rules.filter((r) => r.outcome === 'fail').map((r) => r.id),
        scorecardVersion: judge.version,
        result,
      },
    };
    const transcript = turns.map((t) => searchableText(t.text)).join('\n');
    await this.db.transaction().execute(async (trx) => {
      if ((await repo.updateTranscript(trx, { call: next, transcript })) === 0)
        throw new AppError('conflict', {
          zh: `通话“${id}”刚刚已由他人补上通话记录文本`,
          en: `call '${id}' got a transcript meanwhile`,
        });
      await this.audit.record(trx, {
        actor,
        entityType: 'call',
        entityId: id,
        action: 'transcript',
        changes: {
          turns: turns.length,
          score: { from: stored.qa?.score ?? null, to: result.score },
          fatal: result.fatal,
        },
      });
      await this.keepInspection(trx, id, next.qa, this.clock.now().toISOString());
      await appendEvents(trx, [callInspected(next)]);
    });
    return next;
  }

  /**
   * Inspects a stored call again with the current scorecard (after it changed) and stores the
   * new result; the change of score is audited. With a scorecard version from the store, a call
   * that has a result of that version already is left as it is ('skipped': a re-run adds
   * nothing) and the results of earlier versions stay in call_inspections.
   */
  async reinspect(stored: StoredCall, actor: Actor): Promise<'changed' | 'unchanged' | 'skipped'> {
    const version = this.scorecardVersion;
    if (version !== null && (await repo.hasInspection(this.db, stored.id, version))) return 'skipped';
    const result = this.inspector.inspect(inspectable(stored, stored.turns));
    const failedRules = result.rules.filter((r) => r.outcome === 'fail').map((r) => r.id);
    const before = stored.qa;
    const next: StoredCall = {
      ...stored,
      qa: { score: result.score, fatal: result.fatal, failedRules, scorecardVersion: version, result },
    };
    // The same only when every rule's outcome is: a rule that now applies (n/a → pass) changes
    // whether the call is scored at all (a missed call under a new rule about missed calls) and
    // the dashboards' per-rule facts, though the score and the failed rules stay as they were.
    const outcomes = (rules: readonly { id: string; outcome: string }[]) =>
      rules.map((r) => `${r.id}:${r.outcome}`).join(',');
    const same =
      before &&
      before.score === result.score &&
      before.fatal === result.fatal &&
      before.failedRules.join(',') === failedRules.join(',') &&
      outcomes(before.result.rules) === outcomes(result.rules);
    if (same && version === null) return 'unchanged';
    await this.db.transaction().execute(async (trx) => {
      await this.keepInspection(trx, stored.id, next.qa, this.clock.now().toISOString());
      if (same) {
        await repo.updateQaVersion(trx, stored.id, version);
        return;
      }
      await repo.updateQa(trx, next, version);
      // Told like any inspection, so that what follows scores (the dashboards' quality facts)
      // follows the new result too.
      await appendEvents(trx, [callInspected(next, this.clock.now().toISOString())]);
      await this.audit.record(trx, {
        actor,
        entityType: 'call',
        entityId: stored.id,
        action: 'reinspect',
        changes: {
          score: { from: before?.score ?? null, to: result.score },
          fatal: result.fatal,
          ...(version !== null ? { scorecardVersion: version } : {}),
        },
      });
    });
    return same ? 'unchanged' : 'changed';
  }

  exists(id: string): Promise<boolean> {
    return repo.callExists(this.db, id);
  }

  async get(id: string, scope: CallScope): Promise<StoredCall> {
    const call = await repo.findCall(this.db, id);
    const notFound = () => new AppError('not-found', { zh: `没有通话“${id}”`, en: `no call '${id}'` });
    if (!call) throw notFound();
    // Another brand's call does not exist for a brand-limited account (ids are not confirmed).
    if (scope.kind === 'all' && !ownsCall(scope, { brand: call.brand, agentId: call.agent.id }))
      throw notFound();
    if (!ownsCall(scope, { brand: call.brand, agentId: call.agent.id }))
      throw new AppError('forbidden', {
        zh: '坐席只能查看自己品牌、自己工号的通话（这通电话属于另一个工号或品牌）',
        en: 'agents see only their own calls (the call’s agent id is another 工号, or it is another brand)',
      });
    return call;
  }

  /** Changes what a call was about (the agent's wrap-up); audited. */
  async setSubject(id: string, subject: string | null, scope: CallScope, actor: Actor): Promise<StoredCall> {
    const call = await this.get(id, scope);
    const next = subject?.trim() || null;
    if (next === call.subject) return call;
    await this.db.transaction().execute(async (trx) => {
      await repo.updateSubject(trx, id, next);
      await this.audit.record(trx, {
        actor,
        entityType: 'call',
        entityId: id,
        action: 'update',
        changes: { subject: { from: call.subject, to: next } },
      });
    });
    return { ...call, subject: next };
  }

  private resolve(filter: CallFilter, scope: CallScope): repo.CallQuery | null {
    const q: repo.CallQuery = {};
    if (filter.phone && 'exact' in filter.phone) q.phone = filter.phone.exact;
    if (filter.phone && 'suffix' in filter.phone) q.phoneSuffix = filter.phone.suffix;
    if (filter.brand !== undefined) q.brand = this.brandId(filter.brand, 'querystring.brand');
    if (filter.agentId !== undefined) q.agentId = filter.agentId;
    if (scope.kind === 'agent') {
      if (scope.agentNumber === null) return null;
      if (filter.agentId !== undefined && filter.agentId !== scope.agentNumber) return null;
      q.agentId = scope.agentNumber;
    }
    if (scope.brand) {
      // As the tickets, the dashboards and the repeat notice: another brand is refused by name,
      // not answered with an empty list that reads as "no calls".
      if (q.brand !== undefined && q.brand !== scope.brand) throw otherBrandRefused(scope.brand, q.brand);
      q.brand = scope.brand;
    }
    const tz = this.timezoneOf(q.brand);
    if (filter.from)
      q.from = (
        'date' in filter.from ? startOfLocalDay(filter.from.date, tz) : filter.from.instant
      ).toISOString();
    if (filter.to)
      q.to = (
        'date' in filter.to ? startOfLocalDay(nextDate(filter.to.date), tz) : filter.to.instant
      ).toISOString();
    if (filter.failedRule !== undefined) q.failedRule = filter.failedRule;
    if (filter.answered !== undefined) q.answered = filter.answered;
    if (filter.text !== undefined) {
      const text = searchableText(filter.text);
      if (text !== '') q.text = text;
    }
    return q;
  }

  /** Calls matching every filter given, newest first. Agents get only their own. */
  async search(
    filter: CallFilter,
    page: { limit: number; offset: number },
    scope: CallScope,
  ): Promise<{ items: CallSummary[]; total: number }> {
    const q = this.resolve(filter, scope);
    if (!q) return { items: [], total: 0 };
    return repo.searchCalls(this.db, q, page);
  }

  /**
   * Every matching call with its QA result, oldest first, streamed (for exports). The filter is
   * checked here, before the first row: a refusal (another brand) is an answer, not a file cut
   * short after its headers were sent.
   */
  export(filter: CallFilter, scope: CallScope): AsyncIterable<StoredCall> {
    const q = this.resolve(filter, scope);
    return q ? repo.streamCalls(this.db, q) : noCalls();
  }

  /**
   * Whether the number called the brand earlier the same local day, before `at` (now when not
   * given), and what the latest of those calls was about. A brand-limited reader (`scope`)
   * hears only of its brand's calls: its brand when `brand` is null, 403 when `brand` is another.
   */
  async repeatCaller(
    phone: Phone,
    brand: string | null,
    at: Date = this.clock.now(),
    scope: CallScope = { kind: 'all' },
  ): Promise<RepeatCaller> {
    let brandId = brand ? this.brandId(brand, 'brand') : null;
    if (scope.brand) {
      if (brandId !== null && brandId !== scope.brand) throw otherBrandRefused(scope.brand, brandId);
      brandId = scope.brand;
    }
    const tz = this.timezoneOf(brandId);
    const dayStart = startOfLocalDay(localDate(at, tz), tz);
    const earlier = await repo.callsOfPhoneBetween(
      this.db,
      phone,
      brandId,
      dayStart.toISOString(),
      at.toISOString(),
    );
    const last = earlier[0];
    if (!last) return { repeat: false, callsToday: 0, previous: null, prompt: null };
    // The line names the topic, not the caller's words as said (topicOf).
    const subject = topicOf(last.subject);
    return {
      repeat: true,
      callsToday: earlier.length,
      previous: {
        callId: last.id,
        startedAt: last.startedAt,
        subject: last.subject,
        agent: last.agent,
        answered: last.answered,
      },
      prompt: subject && last.answered !== false ? `请问您之前咨询的是「${subject}」的问题吗？` : null,
    };
  }
}

async function* noCalls(): AsyncGenerator<StoredCall> {}

/** A brand-limited reader asked about another brand's calls: 403 naming the reader's brand. */
function otherBrandRefused(own: string, asked: string): AppError {
  return new AppError(
    'forbidden',
    {
      zh: `您的账号只能查看品牌“${own}”的通话（所问品牌是“${asked}”）；请去掉品牌条件或选择该品牌`,
      en: `your account sees only the calls of brand '${own}' (you asked for '${asked}'); leave the brand out or choose that brand`,
    },
    [{ path: 'querystring.brand', message: `not ${own}`, zh: `不是 ${own}` }],
  );
}

function callEnded(c: StoredCall): NewEvent {
  return event('call.ended', { type: 'call', id: c.id }, c.endedAt ?? c.createdAt, {
    callId: c.id,
    brand: c.brand,
    agentNumber: c.agent.id,
    answered: c.answered ?? false,
    startedAt: c.startedAt,
    endedAt: c.endedAt ?? c.createdAt,
    caller: masked(c.customerPhone),
  });
}

function callInspected(c: StoredCall, at: string = c.createdAt): NewEvent {
  return event('call.inspected', { type: 'call', id: c.id }, at, {
    callId: c.id,
    brand: c.brand,
    agentNumber: c.agent.id,
    score: c.qa?.score ?? null,
    fatal: c.qa?.fatal ?? false,
    failedRules: c.qa?.failedRules ?? [],
  });
}
