// The ticket service (工单): the pure core of this folder plus storage, permissions, optimistic
// locking, notifications, audit and metrics. Every change runs in one transaction: the ticket
// is re-read, its version checked, the domain operation applied (then the breach check at the
// same instant), and the ticket, its events, the notifications and the audit entry are written
// together. Nothing here knows about HTTP; `AppError` carries the outcome to the routes.
// The pieces it composes live beside it: views.ts (what it returns), policies.ts (a brand's
// deadline policy), permissions.ts (who may), people.ts (the users the rules look at),
// notifications.ts and texts.ts (whom to tell, in Chinese), deadline-checker.ts, refusals.ts.
import type { Kysely, Transaction } from 'kysely';
import type { Principal, RoleActor } from '../accounts/principal.ts';
import { AuditWriter, diff } from '../audit/audit.ts';
import { isPostgres, writeTogether } from '../db/batch.ts';
import type { DB } from '../db/schema.ts';
import { ticketEvents } from '../events/payloads.ts';
import { appendEvents, outboxInsert } from '../events/repository.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Catalog } from '../playbook/catalog.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';
import { AppError, type Localized } from '../shared/errors.ts';
import { CHINA_TIME_ZONE } from '../shared/time-zone.ts';
import { encodeTicketCursor } from './cursor.ts';
import { checkCounts, checkDueTickets, type DeadlineCheckResult } from './deadline-checker.ts';
import { DEFAULT_REMINDER_MINUTES, type DeadlinePolicy } from './deadlines.ts';
import { escalate, escalateOnBreaches, remindOverdue } from './escalation.ts';
import { notificationsFor, notificationView } from './notifications.ts';
import { complaintSubject, requireUser, workerLookup } from './people.ts';
import {
  brandScopeOf,
  isTheSubject,
  mayClose,
  mayOpenFor,
  mayTake,
  mayTakeFollowUp,
  mayWork,
  noSuchTicket,
  notTheSubject,
  otherBrandRefused,
} from './permissions.ts';
import { BrandPolicies } from './policies.ts';
import { domain, staleVersion } from './refusals.ts';
import * as repo from './repository.ts';
import type { SearchTerm } from './search.ts';
import { defaultSubject } from './texts.ts';
import { formatTicketNumber, parseTicketNumber, ticketDay, ticketPrefix } from './ticket-number.ts';
import type {
  CallbackReason,
  DeadlineKind,
  EscalationLevel,
  NotificationIntent,
  Outcome,
  Priority,
  ReplyChannel,
  SuggestionOutcome,
  Ticket,
  TicketDetailsDraft,
  TicketEvent,
  TicketStatus,
  TicketType,
} from './types.ts';
import { PRIORITIES } from './types.ts';
import {
  auditSummary,
  iso,
  type NotificationView,
  type TicketEventView,
  type TicketView,
  ticketView,
  withoutPeople,
} from './views.ts';
import {
  accept,
  assign,
  close,
  isAbout,
  openTicket,
  recordFollowUp,
  recordReply,
  reopen,
  resolve,
  startWork,
  type WorkerLookup,
  waitForCustomer,
} from './workflow.ts';

// Split out of this file along its seams; re-exported for the code that imports them from here.
export type { DeadlineCheckResult } from './deadline-checker.ts';
export { COMPLAINT_CLOSERS } from './permissions.ts';
export {
  type DeadlineJson,
  type NotificationView,
  type TicketDetailsView,
  type TicketEventView,
  type TicketView,
  ticketView,
  withoutPeople,
} from './views.ts';

type Db = Kysely<DB> | Transaction<DB>;
/** A change of a ticket as the domain makes it, stamped with its time and author. */
type ChangeOp = (t: Ticket, policy: DeadlinePolicy, stamp: { at: Date; by: string }) => Outcome;

/**
 * Who does something: a principal (its role, for the permission rules; its brand, the only
 * brand whose tickets it sees and acts on when set) or the system (userId null, no role, no
 * brand: CTI, the deadline checker), which may do anything.
 */
export type TicketActor = RoleActor & Partial<Pick<Principal, 'brand'>>;

/** The reply a complaint opened now is promised, per priority (`complaintPromise`). */
export interface ComplaintPromise {
  brand: string;
  at: string;
  options: { priority: Priority; hours: number; basis: 'working' | 'calendar'; dueAt: string }[];
}

/** The `by` of a domain stamp when the system acts (a ticket opened by CTI, a breach check). */
export const SYSTEM_USER = 'system';

/** Callback reasons the system raises on its own; a second one for the same number joins the first. */
const SYSTEM_CALLBACK_REASONS: ReadonlySet<CallbackReason> = new Set(['missed-call', 'dropped-line']);

/** Who reads notifications: a user with their role and the brand they are limited to (null: every brand). */
export interface NotificationUser {
  id: string;
  role: string;
  brand: string | null;
}

function notificationWho(user: NotificationUser): repo.NotificationWho {
  return { userId: user.id, role: user.role, brand: brandScopeOf(user) };
}

/** What a ticket is opened with: the per-type details plus the common fields. */
export type OpenTicketInput = {
  /** Brand id, name or alias (resolved through the catalog). */
  brand: string;
  /** Default `standard`. */
  priority?: Priority;
  /** Default: a subject from the type (回拨：未接来电, 打错电话记录…). */
  subject?: string;
  description?: string;
  customerPhone?: string | null;
  /** The number the customer asks to be called back on, if not the one they called from. */
  contactPhone?: string | null;
  /** The call the ticket comes from. */
  callId?: string | null;
  /** A user id. Agents may give only themselves; supervisors anyone who may own the ticket. */
  assignee?: string | null;
} & TicketDetailsDraft;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface TicketQuery {
  status?: readonly TicketStatus[];
  type?: readonly TicketType[];
  level?: readonly EscalationLevel[];
  brand?: string;
  /** A user id, 'me', or 'none' (nobody's yet). */
  assignee?: string;
  customerPhone?: string;
  callId?: string;
  /** A short ticket number as typed (ZH-20261129-0042, zh-20261129-42). */
  number?: string;
  /** The words of the search box, parsed (search.ts parseTicketSearch): every one must match. */
  search?: readonly SearchTerm[];
  /** Breached (ever, met late included) a deadline of these kinds, or any. */
  breached?: readonly DeadlineKind[] | 'any';
  /** A running deadline is past due now. */
  overdue?: boolean;
  createdFrom?: Date;
  createdTo?: Date;
  sort?: repo.TicketSort;
}

/** A change being written: the ticket before and after, and what the user entered. */
interface Change {
  before: Ticket;
  outcome: Outcome;
  /** Extra audit fields: what the user entered (a reason, a reply's channel…). */
  audit: Record<string, unknown>;
}

export class TicketsService {
  private readonly policies: BrandPolicies;
  private readonly audit: AuditWriter;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly catalog: Catalog,
    private readonly metrics: Metrics,
    /** The brand of a call in progress (the CTI's live-call store), undefined when none is live. */
    private readonly liveCallBrand: (callId: string) => Promise<string | undefined> = async () => undefined,
  ) {
    this.policies = new BrandPolicies(catalog);
    this.audit = new AuditWriter(ids, clock);
  }

  // ---- brand policy ----

  /** The brand's deadline policy from its playbook settings (cached until the catalog changes). */
  policyFor(brand: string): DeadlinePolicy {
    return this.policies.policyFor(brand);
  }

  // ---- opening ----

  /**
   * Opens a ticket. Used by the API and by the CTI integration (callback tickets for missed and
   * dropped calls, harassment and wrong-number records) with `actor.userId` null for the system.
   * A missed-call or dropped-line callback for a number that already has an open callback of
   * the brand joins it: the existing ticket is returned (one call back covers both) and the
   * repeat is noted in the audit log.
   */
  async open(input: OpenTicketInput, actor: TicketActor): Promise<TicketView> {
    const brand = this.policies.brandId(input.brand);
    const scope = brandScopeOf(actor);
    if (scope !== null && brand !== scope) throw otherBrandRefused(scope, this.brandName(scope), 'open');
    const policy = this.policyFor(brand);
    const now = this.clock.now();
    const by = actor.userId ?? SYSTEM_USER;
    const {
      brand: _b,
      subject,
      callId,
      customerPhone,
      contactPhone,
      assignee,
      description,
      priority,
      ...details
    } = input;
    mayOpenFor(assignee, actor);
    // The live-call store is read before the transaction (on SQLite it shares the one connection).
    // Only another brand's call in progress is looked for there: a live store that cannot answer
    // (Redis down) leaves the id unknown, which is accepted, rather than failing the ticket.
    const liveBrand = callId ? await this.liveCallBrand(callId).catch(() => undefined) : undefined;
    // Reads first, then every write at once (db/batch.ts): on SQLite in one transaction; on
    // PostgreSQL as one statement, atomic by itself, whose reads before it see what a READ
    // COMMITTED transaction would (each statement the latest committed data).
    const openIn = async (db: Db): Promise<{ stored: repo.StoredTicket; created: boolean }> => {
      if (assignee) await requireUser(db, assignee, 'body.assignee');
      const who = await workerLookup(db, [assignee]);
      const about = details.type === 'complaint' ? await complaintSubject(db, details, brand) : {};
      if (details.type === 'message') await requireUser(db, details.colleague, 'body.colleague', brand);
      if (callId) await this.requireCallOf(db, callId, brand, liveBrand);
      if (details.type === 'callback' && SYSTEM_CALLBACK_REASONS.has(details.reason) && customerPhone) {
        const existing = await repo.findOpenCallback(db, brand, customerPhone);
        if (existing) {
          await this.audit.record(
            db,
            {
              actor,
              entityType: 'ticket',
              entityId: existing.ticket.id,
              action: 'callback-repeat',
              changes: { reason: details.reason, callId: callId ?? null },
            },
            now,
          );
          return { stored: existing, created: false };
        }
      }
      const number = await this.nextNumber(db, brand, now);
      const outcome = domain(() =>
        openTicket(
          // Object.assign: V8 builds `{ ...details, id, … }` slowly (see openTicket).
          Object.assign({}, details as TicketDetailsDraft, about, {
            id: this.ids(),
            number,
            brand,
            subject: subject?.trim() ? subject : defaultSubject(details as TicketDetailsDraft),
            createdBy: by,
            createdAt: now,
            priority: priority || undefined,
            description,
            customerPhone: customerPhone || undefined,
            contactPhone: contactPhone || undefined,
            assignee: assignee || undefined,
          }),
          policy,
          who,
        ),
      );
      const { ticket } = outcome;
      const stored: repo.StoredTicket = { ticket, callId: callId ?? null };
      const events = this.storedEvents(outcome.events);
      const extra: NotificationIntent[] =
        ticket.type === 'message'
          ? [{ to: 'user', userId: ticket.colleague, ticketId: ticket.id, reason: 'routed' }]
          : [];
      const notifications = await notificationsFor(db, this.ids, {
        ticket,
        intents: [...outcome.notifications, ...extra],
        events: outcome.events,
        actor,
        now,
      });
      const audit = this.audit.insert(
        db,
        {
          actor,
          entityType: 'ticket',
          entityId: ticket.id,
          action: 'open',
          changes: {
            type: ticket.type,
            brand,
            subject: ticket.subject,
            priority: ticket.priority,
            level: ticket.level,
            assignee: ticket.assignee,
            callId: callId ?? null,
          },
        },
        now,
      );
      await writeTogether(db, [
        repo.ticketInsert(db, stored, actor.userId),
        ...(events.length > 0 ? [repo.eventsInsert(db, ticket.id, events, 0)] : []),
        ...(notifications.length > 0 ? [repo.notificationsInsert(db, notifications)] : []),
        audit,
        outboxInsert(db, ticketEvents(ticket, 'open', outcome.events, notifications, now)),
      ]);
      return { stored, created: true };
    };
    const result = isPostgres(this.db) ? await openIn(this.db) : await this.db.transaction().execute(openIn);
    if (result.created) this.metrics.ticketsCreated.labels(result.stored.ticket.type).inc();
    return this.view(this.db, result.stored, now, actor);
  }

  /**
   * A ticket never links another brand's call, stored or in progress: one same answer, whoever
   * asks. An id of no call known here is linked as given: the console links a practice call that
   * ended and is never stored, a floor without the telephone bridge imports its calls later, and a
   * live call whose hang-up never came has expired from the live store. (So a brand-limited
   * account can still tell another brand's call id, refused, from an id nobody has, accepted: ids
   * are the switch's, not guessable in practice; refusing unknown ids broke those flows.)
   * `liveBrand`: the brand of the call in progress with the id, read before the transaction.
   */
  private async requireCallOf(
    db: Db,
    callId: string,
    brand: string,
    liveBrand: string | undefined,
  ): Promise<void> {
    const stored = await repo.brandOfCall(db, callId);
    if (stored === brand || (stored === undefined && (liveBrand === undefined || liveBrand === brand)))
      return;
    const name = this.brandName(brand);
    throw new AppError(
      'validation',
      {
        zh: `品牌“${name}”没有通话“${callId}”（已保存的或进行中的）：请填写本品牌通话的编号，或不填`,
        en: `brand '${brand}' has no call '${callId}' (stored or in progress): give the id of one of the brand's calls, or leave callId out`,
      },
      [
        {
          path: 'body.callId',
          message: `no call of brand '${brand}', stored or in progress`,
          zh: `“${name}”没有这个通话（已保存的或进行中的）`,
        },
      ],
    );
  }

  /** The short number of a ticket of the brand opened now (ticket-number.ts). */
  private async nextNumber(db: Db, brand: string, now: Date): Promise<string> {
    const pb = this.catalog.find(brand);
    const day = ticketDay(now, pb?.settings.workingHours.timezone ?? CHINA_TIME_ZONE);
    const prefix = ticketPrefix(pb?.brand ?? { id: brand });
    return formatTicketNumber(prefix, day, await repo.nextTicketCount(db, brand, day));
  }

  // ---- reading ----

  /** One ticket; one of another brand than a brand-limited actor's is not found (404). */
  async get(id: string, actor: TicketActor): Promise<TicketView> {
    return this.view(this.db, await this.load(this.db, id, actor), this.clock.now(), actor);
  }

  /**
   * What the agent promises a complaining caller (seed 000 B.七.5: "我们会在2小时/24小时之内与您联系"):
   * the reply deadline a complaint of the brand opened now gets, per priority, from the brand's
   * policy (its hours, its basis, its calendar). Another brand than a limited account's: 403.
   */
  complaintPromise(brand: string, actor: TicketActor): ComplaintPromise {
    const pb = this.catalog.find(brand);
    if (!pb)
      throw new AppError(
        'validation',
        {
          zh: `未知品牌“${brand}”；已有品牌：${this.catalog.brandIds.join(', ')}`,
          en: `unknown brand '${brand}'; known brands: ${this.catalog.brandIds.join(', ')}`,
        },
        [{ path: 'querystring.brand', message: 'unknown brand', zh: '未知品牌' }],
      );
    const id = pb.brand.id;
    const scope = brandScopeOf(actor);
    if (scope !== null && id !== scope) throw otherBrandRefused(scope, this.brandName(scope), 'open');
    const policy = this.policyFor(id);
    const now = this.clock.now();
    const options = PRIORITIES.flatMap((priority) => {
      const reply = policy
        .deadlinesFor({
          type: 'complaint',
          subtype: 'other',
          aboutAgentNumber: null,
          aboutUserId: null,
          priority,
          createdAt: now,
        })
        .find((d) => d.kind === 'reply');
      return reply
        ? [{ priority, hours: reply.budgetMs / 3_600_000, basis: reply.basis, dueAt: iso(reply.dueAt) }]
        : [];
    });
    return { brand: id, at: iso(now), options };
  }

  /**
   * The history, each entry with the names of the people it names: whoever reads the ticket
   * sees who did what, by name, whether or not their role may list the users. The agent a
   * complaint is about reads what happened but not who: who recorded it or works it at the desk
   * is not theirs to know (the people are left out, ids and names; the system stays).
   */
  async history(id: string, actor: TicketActor): Promise<TicketEventView[]> {
    const ticket = await this.load(this.db, id, actor);
    const events = await repo.listEvents(this.db, id);
    if (await isTheSubject(this.db, ticket.ticket, actor))
      return events.map((e) => ({ ...e, data: eventWithoutPeople(e.type, e.data), names: {} }));
    const idsOf = (e: (typeof events)[number]): string[] => {
      const d = e.data;
      const ids = [d.by, ...(e.type === 'assigned' ? [d.from, d.to] : [])];
      return ids.filter((x): x is string => typeof x === 'string' && x !== SYSTEM_USER);
    };
    const names = await repo.displayNames(this.db, events.flatMap(idsOf));
    return events.map((e) => ({
      ...e,
      names: Object.fromEntries(idsOf(e).flatMap((u) => (names.has(u) ? [[u, names.get(u) as string]] : []))),
    }));
  }

  /**
   * One page of tickets. An agent sees the tickets given to them, opened by them, and those
   * nobody has yet, unless they look a caller up (by phone or call); supervisors see all.
   * A brand-limited account sees its brand's only (brandFilter).
   */
  async list(
    query: TicketQuery,
    page: repo.TicketPage,
    actor: TicketActor,
  ): Promise<Page<TicketView> & { totalIsEstimate: boolean; next: string | null }> {
    const now = this.clock.now();
    const filter = this.filterOf(query, actor, now);
    const list = await repo.listTickets(this.db, filter, page, query.sort ?? 'created');
    return {
      items: await this.views(this.db, list.items, now, actor),
      total: list.total,
      totalIsEstimate: list.totalIsEstimate,
      next: list.next && encodeTicketCursor(list.next),
      limit: page.limit,
      offset: page.offset,
    };
  }

  /**
   * Every ticket matching the query, oldest first, read 500 at a time (keyset pagination), so
   * that an export does not hold all tickets in memory.
   */
  async *exportTickets(query: TicketQuery, actor: TicketActor, batchSize = 500): AsyncGenerator<TicketView> {
    const now = this.clock.now();
    const filter = this.filterOf(query, actor, now);
    let after: { createdAt: string; id: string } | null = null;
    for (;;) {
      const batch = await repo.ticketsAfter(this.db, filter, after, batchSize);
      for (const v of await this.views(this.db, batch.items, now, actor)) yield v;
      if (batch.items.length < batchSize || !batch.last) return;
      after = batch.last;
    }
  }

  /**
   * The brand condition of a list, a queue or an export: the brand asked for, within the
   * actor's. A brand-limited account gets its brand's tickets, and a 403 naming its brand
   * when it asks for another (as the dashboards do).
   */
  private brandFilter(asked: string | undefined, actor: TicketActor): { brand?: string } {
    const brand = asked === undefined ? undefined : (this.catalog.find(asked)?.brand.id ?? asked);
    const scope = brandScopeOf(actor);
    if (scope === null) return brand === undefined ? {} : { brand };
    if (brand !== undefined && brand !== scope) throw otherBrandRefused(scope, this.brandName(scope), 'list');
    return { brand: scope };
  }

  private brandName(brand: string): string {
    return this.catalog.find(brand)?.brand.name ?? brand;
  }

  private filterOf(q: TicketQuery, actor: TicketActor, now: Date): repo.TicketFilter {
    const me = actor.userId;
    const lookup = q.customerPhone !== undefined || q.callId !== undefined || q.number !== undefined;
    return {
      ...(q.status ? { status: q.status } : {}),
      ...(q.type ? { type: q.type } : {}),
      ...(q.level ? { level: q.level } : {}),
      ...this.brandFilter(q.brand, actor),
      ...(q.assignee === undefined
        ? {}
        : {
            assignee: q.assignee === 'none' ? null : q.assignee === 'me' ? (me ?? SYSTEM_USER) : q.assignee,
          }),
      ...(q.customerPhone !== undefined ? { customerPhone: q.customerPhone } : {}),
      ...(q.callId !== undefined ? { callId: q.callId } : {}),
      ...(q.number !== undefined ? { number: parseTicketNumber(q.number) ?? q.number.trim() } : {}),
      ...(q.search && q.search.length > 0 ? { search: q.search } : {}),
      ...(q.breached !== undefined ? { breached: q.breached } : {}),
      ...(q.overdue !== undefined ? { overdue: { now, value: q.overdue } } : {}),
      ...(q.createdFrom ? { createdFrom: q.createdFrom } : {}),
      ...(q.createdTo ? { createdTo: q.createdTo } : {}),
      ...(actor.role === 'agent' && me && !lookup ? { visibleTo: me } : {}),
    };
  }

  /** Open callback tickets (回拨), due first: the queue agents take them from. */
  async callbackQueue(
    query: { brand?: string; taken?: boolean },
    page: { limit: number; offset: number },
    actor: TicketActor,
  ): Promise<Page<TicketView>> {
    const now = this.clock.now();
    const filter: repo.TicketFilter = {
      type: ['callback'],
      status: repo.OPEN_STATUSES,
      ...this.brandFilter(query.brand, actor),
      ...(query.taken !== undefined ? { assigned: query.taken } : {}),
    };
    const { items, total } = await repo.listTickets(this.db, filter, page, 'deadline');
    return { items: await this.views(this.db, items, now, actor), total, ...page };
  }

  /**
   * The follow-up queue (回访): resolved complaints waiting for their follow-up visit, the
   * follow-up deadline (or any other still running) first.
   */
  async followUpQueue(
    query: { brand?: string; taken?: boolean },
    page: { limit: number; offset: number },
    actor: TicketActor,
  ): Promise<Page<TicketView>> {
    const now = this.clock.now();
    const filter: repo.TicketFilter = {
      type: ['complaint'],
      status: ['resolved'],
      ...this.brandFilter(query.brand, actor),
      ...(query.taken !== undefined ? { assigned: query.taken } : {}),
    };
    const { items, total } = await repo.listTickets(this.db, filter, page, 'deadline');
    return { items: await this.views(this.db, items, now, actor), total, ...page };
  }

  /**
   * Takes a complaint's follow-up visit from the queue: it becomes yours (you must be someone
   * who may own it at its level). Taken by someone else: 409; taking your own again changes nothing.
   */
  takeFollowUp(id: string, version: number, actor: TicketActor): Promise<TicketView> {
    return this.take(
      id,
      version,
      actor,
      'take-follow-up',
      { zh: '回访须由已登录的用户领取', en: 'a follow-up visit is taken by a signed-in user' },
      mayTakeFollowUp,
      (me, who) => (t, _policy, s) => assign(t, { ...s, assignee: me }, who),
    );
  }

  // ---- the life cycle ----

  /**
   * 受理. Accepting a ticket nobody has makes it yours. Only someone who may own the ticket at
   * its level accepts it (workflow.ts ownershipRefusal: 422 otherwise).
   */
  async accept(id: string, version: number, actor: TicketActor): Promise<TicketView> {
    const who = await workerLookup(this.db, [actor.userId]);
    return this.change(id, version, actor, 'accept', (t, policy, s) => {
      if (t.assignee === null && actor.userId) {
        const given = assign(t, { ...s, assignee: actor.userId }, who);
        const accepted = accept(given.ticket, s, policy, who);
        return {
          ticket: accepted.ticket,
          events: [...given.events, ...accepted.events],
          notifications: [...given.notifications, ...accepted.notifications],
        };
      }
      return accept(t, s, policy, who);
    });
  }

  start(id: string, version: number, actor: TicketActor): Promise<TicketView> {
    return this.change(id, version, actor, 'start', (t, policy, s) => startWork(t, s, policy));
  }

  /** Waiting for the customer: the deadline clocks stop until the ticket is started again or resolved. */
  waitForCustomer(
    id: string,
    version: number,
    reason: string | undefined,
    actor: TicketActor,
  ): Promise<TicketView> {
    return this.change(
      id,
      version,
      actor,
      'wait',
      (t, policy, s) => waitForCustomer(t, reason?.trim() ? { ...s, reason } : s, policy),
      reason ? { reason } : {},
    );
  }

  /**
   * Resolves the ticket; a suggestion with its outcome. `reply`: the reply to the customer
   * recorded in the same change, first (a suggestion is resolved once the customer has one).
   */
  resolve(
    id: string,
    version: number,
    outcome: SuggestionOutcome | undefined,
    actor: TicketActor,
    reply?: { text: string; channel: ReplyChannel },
  ): Promise<TicketView> {
    return this.change(
      id,
      version,
      actor,
      'resolve',
      (t, policy, s) => {
        const replied = reply ? recordReply(t, { ...s, ...reply }, policy) : null;
        const resolved = resolve(replied?.ticket ?? t, outcome === undefined ? s : { ...s, outcome }, policy);
        return replied
          ? {
              ticket: resolved.ticket,
              events: [...replied.events, ...resolved.events],
              notifications: [...replied.notifications, ...resolved.notifications],
            }
          : resolved;
      },
      { ...(outcome ? { outcome } : {}), ...(reply ? { reply } : {}) },
    );
  }

  /** Records a reply to the customer (答复). */
  reply(
    id: string,
    version: number,
    reply: { text: string; channel: ReplyChannel },
    actor: TicketActor,
  ): Promise<TicketView> {
    return this.change(
      id,
      version,
      actor,
      'reply',
      (t, policy, s) => recordReply(t, { ...s, ...reply }, policy),
      { channel: reply.channel, text: reply.text },
    );
  }

  /**
   * 回访: a follow-up visit. Reached, with the customer's satisfaction (1–5) and comment; a
   * dissatisfied customer (≤ the brand's threshold) reopens a complaint at the complaint desk.
   * Not reached: an attempt, the ticket stays in the follow-up queue.
   */
  followUp(
    id: string,
    version: number,
    visit: { reached: boolean; satisfaction: number | null; comment: string },
    actor: TicketActor,
  ): Promise<TicketView> {
    return this.change(
      id,
      version,
      actor,
      'follow-up',
      (t, policy, s) => recordFollowUp(t, { ...s, ...visit }, policy),
      { reached: visit.reached, satisfaction: visit.satisfaction, comment: visit.comment },
    );
  }

  /** Closes the ticket. A complaint is closed by the complaint desk or a supervisor only. */
  close(id: string, version: number, actor: TicketActor): Promise<TicketView> {
    return this.change(
      id,
      version,
      actor,
      'close',
      (t, policy, s) => close(t, s, policy),
      {},
      (t) => mayClose(t, actor),
    );
  }

  reopen(id: string, version: number, reason: string, actor: TicketActor): Promise<TicketView> {
    return this.change(id, version, actor, 'reopen', (t, policy, s) => reopen(t, { ...s, reason }, policy), {
      reason,
    });
  }

  /**
   * Gives the ticket to a user (supervisors): someone who may own it at its level, never a QA
   * inspector, an admin or the agent a complaint is about (422, workflow.ts ownershipRefusal).
   */
  async assign(id: string, version: number, assignee: string, actor: TicketActor): Promise<TicketView> {
    await requireUser(this.db, assignee, 'body.assignee');
    const who = await workerLookup(this.db, [assignee]);
    return this.change(id, version, actor, 'assign', (t, _policy, s) => assign(t, { ...s, assignee }, who), {
      assignee,
    });
  }

  /** Manual escalation (the button): one level up, with the reason. */
  escalate(id: string, version: number, reason: string, actor: TicketActor): Promise<TicketView> {
    return this.change(id, version, actor, 'escalate', (t, _policy, s) => escalate(t, { ...s, reason }), {
      reason,
    });
  }

  /**
   * An agent takes a callback from the queue: it becomes theirs (and accepted when new). One
   * already taken by someone else is a conflict; taking your own again changes nothing.
   */
  takeCallback(id: string, version: number, actor: TicketActor): Promise<TicketView> {
    return this.take(
      id,
      version,
      actor,
      'take',
      { zh: '回拨工单须由已登录的用户领取', en: 'a callback is taken by a signed-in user' },
      mayTake,
      (me, who) => (t, policy, s) => {
        const given = assign(t, { ...s, assignee: me }, who);
        if (given.ticket.status !== 'new') return given;
        const accepted = accept(given.ticket, s, policy, who);
        return {
          ticket: accepted.ticket,
          events: [...given.events, ...accepted.events],
          notifications: [...given.notifications, ...accepted.notifications],
        };
      },
    );
  }

  /**
   * A signed-in user takes a ticket from a queue (`may` says whether they may, else throws):
   * `give(me, who)` makes it theirs; one already theirs is returned unchanged.
   */
  private async take(
    id: string,
    version: number,
    actor: TicketActor,
    action: string,
    notSignedIn: Localized,
    may: (t: Ticket, me: string) => void,
    give: (me: string, who: WorkerLookup) => ChangeOp,
  ): Promise<TicketView> {
    const me = actor.userId;
    if (!me) throw new AppError('forbidden', notSignedIn);
    const who = await workerLookup(this.db, [me]);
    return this.change(
      id,
      version,
      actor,
      action,
      give(me, who),
      {},
      (t) => may(t, me),
      (t) => t.assignee === me,
    );
  }

  // ---- deadlines ----

  /**
   * Records every breach due by `now` and escalates one level per breach (the domain records
   * each breach once), notifying the role reached and the assignee. Tickets are found through
   * the indexed `breach_check_at`; each is changed in its own transaction with the version
   * check, and one changed by a user meanwhile is left for the next run.
   */
  async runDeadlineChecks(now: Date = this.clock.now(), batchSize = 100): Promise<DeadlineCheckResult> {
    return checkDueTickets(this.db, now, batchSize, (id) => this.checkOne(id, now));
  }

  private async checkOne(id: string, now: Date): Promise<{ breaches: number; escalations: number }> {
    const system: TicketActor = { userId: null, ip: null };
    const written = await this.db.transaction().execute(async (trx) => {
      const stored = await repo.findTicket(trx, id);
      if (!stored) return null;
      const outcome = this.checked(stored.ticket, now);
      // Nothing happened, unless a planned reminder was moved or cleared (version counted).
      if (outcome.ticket.version === stored.ticket.version) return null;
      if (!(await repo.updateTicket(trx, { ...stored, ticket: outcome.ticket }, stored.ticket.version)))
        return null;
      await this.record(
        trx,
        stored,
        { before: stored.ticket, outcome, audit: {} },
        'breach-check',
        system,
        now,
      );
      return outcome.events;
    });
    if (!written) return { breaches: 0, escalations: 0 };
    this.countBreaches(written);
    return checkCounts(written);
  }

  /**
   * Breaches due by `now` recorded and escalated, then the reminder of a ticket still overdue
   * (escalation.ts remindOverdue): one outcome, at most one version step per part.
   */
  private checked(ticket: Ticket, now: Date, policy?: DeadlinePolicy): Outcome {
    const breaches = escalateOnBreaches(ticket, now);
    const reminder = remindOverdue(
      breaches.ticket,
      now,
      this.reminderInterval(ticket.brand, policy),
      breaches.events.some((e) => e.type === 'breached'),
    );
    // One check is one change: a reminder planned beside a breach rides on the breach's version.
    const version =
      breaches.ticket.version > ticket.version ? breaches.ticket.version : reminder.ticket.version;
    return {
      ticket: reminder.ticket.version === version ? reminder.ticket : { ...reminder.ticket, version },
      events: [...breaches.events, ...reminder.events],
      notifications: [...breaches.notifications, ...reminder.notifications],
    };
  }

  /** The brand's reminder interval; the house default for a brand whose playbook is gone (its breaches still count). */
  private reminderInterval(brand: string, policy?: DeadlinePolicy): number {
    if (policy) return policy.reminderIntervalMs;
    try {
      return this.policyFor(brand).reminderIntervalMs;
    } catch {
      return DEFAULT_REMINDER_MINUTES * 60_000;
    }
  }

  // ---- notifications ----

  /** The user's notifications; a brand-limited user's leave out another brand's (tickets' and reviews' alike). */
  async notifications(
    user: NotificationUser,
    opts: { unreadOnly: boolean; limit: number; offset: number },
  ): Promise<Page<NotificationView> & { unread: number }> {
    const r = await repo.listNotifications(this.db, notificationWho(user), opts);
    return {
      items: r.items.map(notificationView),
      total: r.total,
      unread: r.unread,
      limit: opts.limit,
      offset: opts.offset,
    };
  }

  /** Marks one notification (or, with id null, all of the user's) read; returns how many changed. */
  async markNotificationsRead(user: NotificationUser, id: string | null): Promise<number> {
    const who = notificationWho(user);
    if (id !== null && !(await repo.notificationVisible(this.db, who, id)))
      throw new AppError('not-found', {
        zh: `没有发给您的通知“${id}”`,
        en: `no notification '${id}' for you`,
      });
    return repo.markNotificationsRead(this.db, who, id, iso(this.clock.now()));
  }

  // ---- the write path ----

  /**
   * One change: re-read the ticket in a transaction, check permission and version, apply the
   * domain operation and the breach check at the same instant, write ticket (WHERE version),
   * events, notifications and audit together.
   */
  private async change(
    id: string,
    version: number,
    actor: TicketActor,
    action: string,
    op: ChangeOp,
    audit: Record<string, unknown> = {},
    authorize?: (t: Ticket) => void,
    unchangedIf?: (t: Ticket) => boolean,
  ): Promise<TicketView> {
    const now = this.clock.now();
    const stamp = { at: now, by: actor.userId ?? SYSTEM_USER };
    const written = await this.db.transaction().execute(async (trx) => {
      const stored = await this.load(trx, id, actor);
      const before = stored.ticket;
      authorize?.(before);
      mayWork(before, actor, action);
      await notTheSubject(trx, before, actor);
      if (unchangedIf?.(before)) return { stored, events: [] as TicketEvent[] };
      if (before.version !== version) throw staleVersion(before.version, version);
      const policy = this.policyFor(before.brand);
      const done = domain(() => op(before, policy, stamp));
      // A deadline that passed before this change is recorded (and escalated) with it.
      const checked = this.checked(done.ticket, now, policy);
      const outcome: Outcome = {
        ticket: checked.ticket,
        events: [...done.events, ...checked.events],
        notifications: [...done.notifications, ...checked.notifications],
      };
      if (outcome.ticket.version === before.version) return { stored, events: [] as TicketEvent[] };
      const next = { ...stored, ticket: outcome.ticket };
      if (!(await repo.updateTicket(trx, next, before.version))) {
        const current = await repo.findTicket(trx, id);
        throw staleVersion(current?.ticket.version ?? version + 1, version);
      }
      await this.record(trx, next, { before, outcome, audit }, action, actor, now);
      return { stored: next, events: outcome.events };
    });
    this.countBreaches(written.events);
    return this.view(this.db, written.stored, now, actor);
  }

  /** Events, notifications and the audit entry of a change, in its transaction. */
  private async record(
    trx: Transaction<DB>,
    stored: repo.StoredTicket,
    change: Change,
    action: string,
    actor: TicketActor,
    now: Date,
  ): Promise<void> {
    const { before, outcome } = change;
    await this.writeEvents(trx, stored.ticket.id, outcome.events);
    const notes = await this.deliver(trx, outcome.ticket, outcome.notifications, outcome.events, actor, now);
    await appendEvents(trx, ticketEvents(outcome.ticket, action, outcome.events, notes, now));
    const breaches = outcome.events.flatMap((e) => (e.type === 'breached' ? [e.deadline] : []));
    await this.audit.record(
      trx,
      {
        actor,
        entityType: 'ticket',
        entityId: stored.ticket.id,
        action,
        changes: {
          ...diff(auditSummary(before), auditSummary(outcome.ticket)),
          ...change.audit,
          ...(breaches.length > 0 ? { breaches } : {}),
        },
      },
      now,
    );
  }

  private async writeEvents(trx: Db, ticketId: string, events: readonly TicketEvent[]): Promise<void> {
    await repo.insertEvents(trx, ticketId, this.storedEvents(events));
  }

  private storedEvents(events: readonly TicketEvent[]): repo.StoredEvent[] {
    return events.map((event) => ({ id: this.ids(), event }));
  }

  /** Writes the notifications of a change (see notificationsFor). */
  private async deliver(
    trx: Db,
    ticket: Ticket,
    intents: readonly NotificationIntent[],
    events: readonly TicketEvent[],
    actor: TicketActor,
    now: Date,
  ): Promise<repo.Notification[]> {
    const rows = await notificationsFor(trx, this.ids, { ticket, intents, events, actor, now });
    await repo.insertNotifications(trx, rows);
    return rows;
  }

  private countBreaches(events: readonly TicketEvent[]): void {
    for (const e of events) if (e.type === 'breached') this.metrics.deadlineBreaches.labels(e.deadline).inc();
  }

  // ---- small helpers ----

  /** The stored ticket, as the actor may see it: none (404) when of another brand than theirs. */
  private async load(db: Db, id: string, actor: TicketActor): Promise<repo.StoredTicket> {
    const stored = await repo.findTicket(db, id);
    const scope = brandScopeOf(actor);
    if (!stored || (scope !== null && stored.ticket.brand !== scope)) throw noSuchTicket(id);
    return stored;
  }

  private async view(db: Db, s: repo.StoredTicket, now: Date, actor: TicketActor): Promise<TicketView> {
    const [v] = await this.views(db, [s], now, actor);
    return v as TicketView;
  }

  /** The views as the actor reads them: a complaint about the reader without its people (withoutPeople). */
  private async views(
    db: Db,
    items: readonly repo.StoredTicket[],
    now: Date,
    actor: TicketActor,
  ): Promise<TicketView[]> {
    const names = await repo.displayNames(
      db,
      items.flatMap((s) => (s.ticket.assignee ? [s.ticket.assignee] : [])),
    );
    const brandName = (b: string) => this.catalog.find(b)?.brand.name ?? b;
    const aboutSomeone = items.some(
      (s) =>
        s.ticket.type === 'complaint' &&
        (s.ticket.aboutAgentNumber !== null || s.ticket.aboutUserId !== null),
    );
    const reader =
      aboutSomeone && actor.userId !== null ? await repo.findActiveUser(db, actor.userId) : undefined;
    return items.map((s) => {
      const v = ticketView(s, now, names, brandName);
      return reader && isAbout(s.ticket, reader) ? withoutPeople(v) : v;
    });
  }
}

/** An event's data without the people it names (who did it; an assignment's from and to). */
function eventWithoutPeople(type: string, data: Record<string, unknown>): Record<string, unknown> {
  const { by, from, to, ...rest } = data;
  const kept: Record<string, unknown> = { ...rest };
  if (by === SYSTEM_USER) kept.by = by;
  // An assignment's from and to are people; elsewhere they are levels or statuses.
  if (type !== 'assigned')
    Object.assign(kept, from === undefined ? {} : { from }, to === undefined ? {} : { to });
  return kept;
}
