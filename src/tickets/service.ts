// The ticket service (工单): the pure core of this folder plus storage, permissions, optimistic
// locking, notifications, audit and metrics. Every change runs in one transaction: the ticket
// is re-read, its version checked, the domain operation applied (then the breach check at the
// same instant), and the ticket, its events, the notifications and the audit entry are written
// together. Nothing here knows about HTTP; `AppError` carries the outcome to the routes.
import type { Kysely, Transaction } from 'kysely';
import { USER_ROLES, type UserRole } from '../accounts/roles.ts';
import { type Actor, auditInsert, diff, recordAudit } from '../audit/audit.ts';
import { isPostgres, writeTogether } from '../db/batch.ts';
import type { DB } from '../db/schema.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Catalog } from '../playbook/catalog.ts';
import { ROLES, TICKET_TYPES } from '../playbook/vocabulary.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { encodeTicketCursor } from './cursor.ts';
import {
  type DeadlinePolicy,
  type DeadlineView,
  deadlinePolicyFromSettings,
  deadlineViews,
  nextOf,
} from './deadlines.ts';
import { TicketRuleError } from './errors.ts';
import { escalate, escalateOnBreaches } from './escalation.ts';
import * as repo from './repository.ts';
import type {
  CallbackReason,
  ComplaintSubtype,
  DeadlineBasis,
  DeadlineKind,
  EscalationLevel,
  NotificationIntent,
  Outcome,
  Priority,
  ReplyChannel,
  Satisfaction,
  SuggestionOutcome,
  Ticket,
  TicketDetailsDraft,
  TicketEvent,
  TicketStatus,
  TicketType,
} from './types.ts';
import {
  accept,
  assign,
  availableActions,
  close,
  isAbout,
  openTicket,
  recordFollowUp,
  recordReply,
  reopen,
  resolve,
  startWork,
  type TicketAction,
  type Worker,
  type WorkerLookup,
  waitForCustomer,
} from './workflow.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Who does something: a user (with their role, for the permission rules) or the system (userId null). */
export interface TicketActor extends Actor {
  /** Absent for the system (CTI, the deadline checker), which may do anything. */
  role?: UserRole;
}

/** The `by` of a domain stamp when the system acts (a ticket opened by CTI, a breach check). */
export const SYSTEM_USER = 'system';

/** Roles that may close a complaint (投诉): the complaint desk and the supervisors above agents. */
export const COMPLAINT_CLOSERS: readonly UserRole[] = [
  'team-lead',
  'room-director',
  'complaint-desk',
  'admin',
];

/** Callback reasons the system raises on its own; a second one for the same number joins the first. */
const SYSTEM_CALLBACK_REASONS: ReadonlySet<CallbackReason> = new Set(['missed-call', 'dropped-line']);

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
  /** The call the ticket comes from. */
  callId?: string | null;
  /** A user id. Agents may give only themselves; supervisors anyone who may own the ticket. */
  assignee?: string | null;
} & TicketDetailsDraft;

// ---- views (what the service returns: JSON-ready, dates as ISO-8601 UTC text) ----

export interface DeadlineJson {
  kind: DeadlineKind;
  basis: DeadlineBasis;
  budgetMs: number;
  startsAt: string;
  pausedMs: number;
  dueAt: string;
  metAt: string | null;
  breachedAt: string | null;
  state: DeadlineView['state'];
  remainingMs: number | null;
}

export type TicketDetailsView =
  | {
      type: 'complaint';
      subtype: ComplaintSubtype;
      aboutAgentNumber: string | null;
      aboutUserId: string | null;
    }
  | { type: 'repair'; booking: 'repair' | 'installation'; visitWindow: { from: string; to: string } }
  | { type: 'technical'; technician: string | null }
  | { type: 'callback'; reason: CallbackReason; dueAt: string | null }
  | { type: 'suggestion'; department: string; outcome: SuggestionOutcome | null }
  | { type: 'message'; colleague: string }
  | { type: 'wrong-number' }
  | { type: 'harassment' };

export interface TicketView {
  id: string;
  brand: string;
  type: TicketType;
  status: TicketStatus;
  priority: Priority;
  subject: string;
  description: string;
  customerPhone: string | null;
  callId: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  assignee: string | null;
  assigneeName: string | null;
  level: EscalationLevel;
  version: number;
  details: TicketDetailsView;
  /** Every deadline with its state now. */
  deadlines: DeadlineJson[];
  /** The unmet deadline due first, or null. */
  nextDeadline: DeadlineJson | null;
  /** A deadline is past due and unmet. */
  overdue: boolean;
  /** Since when the ticket waits for the customer (its clocks are stopped). */
  waitingSince: string | null;
  replies: { at: string; by: string; text: string; channel: ReplyChannel }[];
  followUps: { at: string; by: string; satisfaction: Satisfaction; comment: string }[];
  resolvedAt: string | null;
  closedAt: string | null;
  /** The life-cycle actions allowed now (the buttons to show). */
  availableActions: TicketAction[];
}

export interface TicketEventView {
  id: string;
  type: string;
  at: string;
  data: Record<string, unknown>;
}

export interface NotificationView {
  id: string;
  at: string;
  ticketId: string | null;
  reason: string | null;
  message: string;
  /** 'user': addressed to you; 'role': to everyone with your role. */
  to: 'user' | 'role';
  role: string | null;
  readAt: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface TicketQuery {
  status?: readonly TicketStatus[];
  type?: readonly TicketType[];
  brand?: string;
  /** A user id, 'me', or 'none' (nobody's yet). */
  assignee?: string;
  customerPhone?: string;
  callId?: string;
  overdue?: boolean;
  createdFrom?: Date;
  createdTo?: Date;
  sort?: repo.TicketSort;
}

export interface DeadlineCheckResult {
  /** Tickets whose breach was recorded now. */
  tickets: number;
  breaches: number;
  escalations: number;
}

// ---- helpers ----

const iso = (d: Date): string => d.toISOString();
const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

function deadlineJson(v: DeadlineView): DeadlineJson {
  return {
    kind: v.kind,
    basis: v.basis,
    budgetMs: v.budgetMs,
    startsAt: iso(v.startsAt),
    pausedMs: v.pausedMs,
    dueAt: iso(v.dueAt),
    metAt: isoOrNull(v.metAt),
    breachedAt: isoOrNull(v.breachedAt),
    state: v.state,
    remainingMs: v.remainingMs,
  };
}

function detailsView(t: Ticket): TicketDetailsView {
  switch (t.type) {
    case 'complaint':
      return {
        type: t.type,
        subtype: t.subtype,
        aboutAgentNumber: t.aboutAgentNumber,
        aboutUserId: t.aboutUserId,
      };
    case 'repair':
      return {
        type: t.type,
        booking: t.booking,
        visitWindow: { from: iso(t.visitWindow.from), to: iso(t.visitWindow.to) },
      };
    case 'technical':
      return { type: t.type, technician: t.technician };
    case 'callback':
      return { type: t.type, reason: t.reason, dueAt: isoOrNull(t.dueAt) };
    case 'suggestion':
      return { type: t.type, department: t.department, outcome: t.outcome };
    case 'message':
      return { type: t.type, colleague: t.colleague };
    case 'wrong-number':
    case 'harassment':
      return { type: t.type };
  }
}

export function ticketView(s: repo.StoredTicket, now: Date, names: ReadonlyMap<string, string>): TicketView {
  const t = s.ticket;
  const views = deadlineViews(t, now);
  const deadlines = views.map(deadlineJson);
  const next = nextOf(t, views);
  return {
    id: t.id,
    brand: t.brand,
    type: t.type,
    status: t.status,
    priority: t.priority,
    subject: t.subject,
    description: t.description,
    customerPhone: t.customerPhone,
    callId: s.callId,
    createdBy: t.createdBy,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
    assignee: t.assignee,
    assigneeName: t.assignee ? (names.get(t.assignee) ?? null) : null,
    level: t.level,
    version: t.version,
    details: detailsView(t),
    deadlines,
    nextDeadline: next ? (deadlines[views.indexOf(next)] as DeadlineJson) : null,
    overdue: next?.state === 'overdue',
    waitingSince: isoOrNull(t.pausedAt),
    replies: t.replies.map((r) => ({ at: iso(r.at), by: r.by, text: r.text, channel: r.channel })),
    followUps: t.followUps.map((f) => ({
      at: iso(f.at),
      by: f.by,
      satisfaction: f.satisfaction,
      comment: f.comment,
    })),
    resolvedAt: isoOrNull(t.resolvedAt),
    closedAt: isoOrNull(t.closedAt),
    availableActions: availableActions(t),
  };
}

/** What the audit log compares before and after a change. */
function auditSummary(t: Ticket): Record<string, unknown> {
  return {
    status: t.status,
    priority: t.priority,
    assignee: t.assignee,
    level: t.level,
    waitingSince: isoOrNull(t.pausedAt),
    resolvedAt: isoOrNull(t.resolvedAt),
    closedAt: isoOrNull(t.closedAt),
    replies: t.replies.length,
    followUps: t.followUps.length,
    breached: t.deadlines.filter((d) => d.breachedAt).map((d) => d.kind),
    ...(t.type === 'suggestion' ? { outcome: t.outcome } : {}),
    version: t.version,
  };
}

/** A refused domain operation as the error the API answers (422, the rule and allowed actions in details). */
function ruleViolation(e: TicketRuleError): AppError {
  const zh = {
    'transition-not-allowed': '工单当前状态下不能这样操作',
    'reply-required': '投诉须先记录对客户的答复',
    'follow-up-required': '投诉须在最近一次处理完毕后回访，才能关闭',
    'outcome-required': '建议须注明处理结果（采纳或不采纳）',
    'not-allowed-in-status': '工单当前状态下不能这样操作',
    'escalation-at-top': '工单已在投诉处理岗，无法再升级',
    'invalid-input': '输入有误',
    'not-eligible': '此人不能处理这一级别的工单（质检员、管理员账号不做处理人）',
    'subject-of-complaint': '被投诉的坐席不能处理针对自己的投诉',
  }[e.code];
  const allowed = e.allowed.length > 0 ? `；可执行的操作：${e.allowed.join('、')}` : '';
  return new AppError(
    'rule-violation',
    { zh: `${zh}${e.code === 'invalid-input' ? `：${e.message}` : allowed}`, en: e.message },
    [{ path: 'rule', message: e.code }, ...e.allowed.map((a) => ({ path: 'allowed', message: a }))],
  );
}

function domain<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TicketRuleError) throw ruleViolation(e);
    throw e;
  }
}

function staleVersion(current: number, sent: number): AppError {
  return new AppError(
    'conflict',
    {
      zh: `工单已被他人修改：现在是版本 ${current}，您的修改基于版本 ${sent}；请刷新后重试`,
      en: `the ticket was changed by someone else: it is at version ${current}, your change was made on version ${sent}; reload it and try again`,
    },
    [{ path: 'body.version', message: `the current version is ${current}`, zh: `当前版本为 ${current}` }],
  );
}

const DEADLINE_ZH: Record<DeadlineKind, string> = {
  'first-response': '首次响应',
  reply: '答复',
  resolution: '办结',
};

const roleZh = (role: string): string =>
  (ROLES as Record<string, { zh: string }>)[role]?.zh ??
  (USER_ROLES as Record<string, { zh: string }>)[role]?.zh ??
  role;

const CALLBACK_SUBJECTS: Record<CallbackReason, string> = {
  promised: '回拨:已承诺回电',
  'dropped-line': '回拨:通话断线',
  'missed-call': '回拨:未接来电',
  'hold-over-limit': '回拨:等待超时',
};

function defaultSubject(d: TicketDetailsDraft): string {
  if (d.type === 'callback') return CALLBACK_SUBJECTS[d.reason] ?? TICKET_TYPES.callback.zh;
  return TICKET_TYPES[d.type]?.zh ?? d.type;
}

/** A change being written: the ticket before and after, and what the user entered. */
interface Change {
  before: Ticket;
  outcome: Outcome;
  /** Extra audit fields: what the user entered (a reason, a reply's channel…). */
  audit: Record<string, unknown>;
}

export class TicketsService {
  private readonly policies = new Map<string, { revision: number; policy: DeadlinePolicy }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly catalog: Catalog,
    private readonly metrics: Metrics,
  ) {}

  // ---- brand policy ----

  /** The brand's deadline policy from its playbook settings (cached until the catalog changes). */
  policyFor(brand: string): DeadlinePolicy {
    const cached = this.policies.get(brand);
    if (cached && cached.revision === this.catalog.revision) return cached.policy;
    const pb = this.catalog.find(brand);
    if (!pb)
      throw new AppError('rule-violation', {
        zh: `品牌“${brand}”已没有话术库，无法计算时限；请恢复其话术库`,
        en: `brand '${brand}' has no playbook any more, so its deadlines cannot be counted; restore its playbook`,
      });
    const policy = deadlinePolicyFromSettings(pb.settings);
    this.policies.set(brand, { revision: this.catalog.revision, policy });
    return policy;
  }

  private brandId(brand: string): string {
    const pb = this.catalog.find(brand);
    if (!pb)
      throw new AppError(
        'validation',
        {
          zh: `未知品牌“${brand}”；已有品牌：${this.catalog.brandIds.join(', ')}`,
          en: `unknown brand '${brand}'; known brands: ${this.catalog.brandIds.join(', ')}`,
        },
        [{ path: 'body.brand', message: 'unknown brand', zh: '未知品牌' }],
      );
    return pb.brand.id;
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
    const brand = this.brandId(input.brand);
    const policy = this.policyFor(brand);
    const now = this.clock.now();
    const by = actor.userId ?? SYSTEM_USER;
    const { brand: _b, subject, callId, customerPhone, assignee, description, priority, ...details } = input;
    // Giving a ticket to someone else is a supervisor's act (as POST /api/tickets/:id/assign).
    if (assignee && actor.role === 'agent' && assignee !== actor.userId)
      throw new AppError(
        'forbidden',
        {
          zh: `坐席开工单只能指派给自己或不指派（处理人“${assignee}”不是您）；指派给他人由组长等上级进行`,
          en: `an agent opens a ticket for themselves or for nobody (assignee '${assignee}' is not you); a supervisor assigns it to someone else`,
        },
        [{ path: 'body.assignee', message: 'not you', zh: '不是您' }],
      );
    // Reads first, then every write at once (db/batch.ts): on SQLite in one transaction; on
    // PostgreSQL as one statement, atomic by itself, whose reads before it see what a READ
    // COMMITTED transaction would (each statement the latest committed data).
    const openIn = async (db: Db): Promise<{ stored: repo.StoredTicket; created: boolean }> => {
      if (assignee) await this.requireUser(db, assignee, 'body.assignee');
      const who = await this.lookup(db, [assignee]);
      const about = details.type === 'complaint' ? await this.aboutOf(db, details, callId ?? null) : {};
      if (details.type === 'message') await this.requireUser(db, details.colleague, 'body.colleague');
      if (details.type === 'callback' && SYSTEM_CALLBACK_REASONS.has(details.reason) && customerPhone) {
        const existing = await repo.findOpenCallback(db, brand, customerPhone);
        if (existing) {
          await recordAudit(db, {
            id: this.ids(),
            at: iso(now),
            actor,
            entityType: 'ticket',
            entityId: existing.ticket.id,
            action: 'callback-repeat',
            changes: { reason: details.reason, callId: callId ?? null },
          });
          return { stored: existing, created: false };
        }
      }
      const outcome = domain(() =>
        openTicket(
          // Object.assign: V8 builds `{ ...details, id, … }` slowly (see openTicket).
          Object.assign({}, details as TicketDetailsDraft, about, {
            id: this.ids(),
            brand,
            subject: subject?.trim() ? subject : defaultSubject(details as TicketDetailsDraft),
            createdBy: by,
            createdAt: now,
            priority: priority || undefined,
            description,
            customerPhone: customerPhone || undefined,
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
      const notifications = await this.notificationsFor(
        db,
        ticket,
        [...outcome.notifications, ...extra],
        outcome.events,
        actor,
        now,
      );
      const audit = auditInsert(db, {
        id: this.ids(),
        at: iso(now),
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
      });
      await writeTogether(db, [
        repo.ticketInsert(db, stored, actor.userId),
        ...(events.length > 0 ? [repo.eventsInsert(db, ticket.id, events, 0)] : []),
        ...(notifications.length > 0 ? [repo.notificationsInsert(db, notifications)] : []),
        audit,
      ]);
      return { stored, created: true };
    };
    const result = isPostgres(this.db) ? await openIn(this.db) : await this.db.transaction().execute(openIn);
    if (result.created) this.metrics.ticketsCreated.labels(result.stored.ticket.type).inc();
    return this.view(this.db, result.stored, now);
  }

  // ---- reading ----

  async get(id: string): Promise<TicketView> {
    return this.view(this.db, await this.load(this.db, id), this.clock.now());
  }

  async history(id: string): Promise<TicketEventView[]> {
    await this.load(this.db, id);
    return repo.listEvents(this.db, id);
  }

  /**
   * One page of tickets. An agent sees the tickets given to them, opened by them, and those
   * nobody has yet, unless they look a caller up (by phone or call); supervisors see all.
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
      items: await this.views(this.db, list.items, now),
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
      for (const v of await this.views(this.db, batch.items, now)) yield v;
      if (batch.items.length < batchSize || !batch.last) return;
      after = batch.last;
    }
  }

  private filterOf(q: TicketQuery, actor: TicketActor, now: Date): repo.TicketFilter {
    const me = actor.userId;
    const lookup = q.customerPhone !== undefined || q.callId !== undefined;
    return {
      ...(q.status ? { status: q.status } : {}),
      ...(q.type ? { type: q.type } : {}),
      ...(q.brand !== undefined ? { brand: this.catalog.find(q.brand)?.brand.id ?? q.brand } : {}),
      ...(q.assignee === undefined
        ? {}
        : {
            assignee: q.assignee === 'none' ? null : q.assignee === 'me' ? (me ?? SYSTEM_USER) : q.assignee,
          }),
      ...(q.customerPhone !== undefined ? { customerPhone: q.customerPhone } : {}),
      ...(q.callId !== undefined ? { callId: q.callId } : {}),
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
  ): Promise<Page<TicketView>> {
    const now = this.clock.now();
    const filter: repo.TicketFilter = {
      type: ['callback'],
      status: repo.OPEN_STATUSES,
      ...(query.brand !== undefined
        ? { brand: this.catalog.find(query.brand)?.brand.id ?? query.brand }
        : {}),
      ...(query.taken !== undefined ? { assigned: query.taken } : {}),
    };
    const { items, total } = await repo.listTickets(this.db, filter, page, 'deadline');
    return { items: await this.views(this.db, items, now), total, ...page };
  }

  // ---- the life cycle ----

  /**
   * 受理. Accepting a ticket nobody has makes it yours. Only someone who may own the ticket at
   * its level accepts it (workflow.ts ownershipRefusal: 422 otherwise).
   */
  async accept(id: string, version: number, actor: TicketActor): Promise<TicketView> {
    const who = await this.lookup(this.db, [actor.userId]);
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

  resolve(
    id: string,
    version: number,
    outcome: SuggestionOutcome | undefined,
    actor: TicketActor,
  ): Promise<TicketView> {
    return this.change(
      id,
      version,
      actor,
      'resolve',
      (t, policy, s) => resolve(t, outcome === undefined ? s : { ...s, outcome }, policy),
      outcome ? { outcome } : {},
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

  /** 回访: the follow-up visit with the customer's satisfaction (1–5) and comment. */
  followUp(
    id: string,
    version: number,
    visit: { satisfaction: Satisfaction; comment: string },
    actor: TicketActor,
  ): Promise<TicketView> {
    return this.change(
      id,
      version,
      actor,
      'follow-up',
      (t, policy, s) => recordFollowUp(t, { ...s, ...visit }, policy),
      { satisfaction: visit.satisfaction, comment: visit.comment },
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
      (t) => {
        if (t.type === 'complaint' && actor.role !== undefined && !COMPLAINT_CLOSERS.includes(actor.role))
          throw new AppError('forbidden', {
            zh: `投诉工单只能由投诉处理岗或组长及以上关闭（${COMPLAINT_CLOSERS.join(', ')}）；您的角色是 ${actor.role}`,
            en: `a complaint is closed by the complaint desk or a supervisor (${COMPLAINT_CLOSERS.join(', ')}); you are ${actor.role}`,
          });
      },
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
    await this.requireUser(this.db, assignee, 'body.assignee');
    const who = await this.lookup(this.db, [assignee]);
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
  async takeCallback(id: string, version: number, actor: TicketActor): Promise<TicketView> {
    const me = actor.userId;
    if (!me)
      throw new AppError('forbidden', {
        zh: '回拨工单须由已登录的用户领取',
        en: 'a callback is taken by a signed-in user',
      });
    const who = await this.lookup(this.db, [me]);
    return this.change(
      id,
      version,
      actor,
      'take',
      (t, policy, s) => {
        const given = assign(t, { ...s, assignee: me }, who);
        if (given.ticket.status !== 'new') return given;
        const accepted = accept(given.ticket, s, policy, who);
        return {
          ticket: accepted.ticket,
          events: [...given.events, ...accepted.events],
          notifications: [...given.notifications, ...accepted.notifications],
        };
      },
      {},
      (t) => {
        if (t.type !== 'callback')
          throw new AppError('not-found', { zh: `没有回拨工单“${id}”`, en: `no callback ticket '${id}'` });
        if (t.assignee !== null && t.assignee !== me)
          throw new AppError(
            'conflict',
            {
              zh: `该回拨已被他人（${t.assignee}）领取；请从队列中另选一个`,
              en: `this callback was already taken by someone else (${t.assignee}); pick another one from the queue`,
            },
            [{ path: 'assignee', message: t.assignee }],
          );
        if (!repo.OPEN_STATUSES.includes(t.status))
          throw new AppError(
            'rule-violation',
            {
              zh: `该回拨工单的状态是 ${t.status}；只能领取未完成的回拨`,
              en: `this callback is ${t.status}; only open callbacks can be taken`,
            },
            [{ path: 'rule', message: 'not-allowed-in-status' }],
          );
      },
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
    const result: DeadlineCheckResult = { tickets: 0, breaches: 0, escalations: 0 };
    // A checked ticket's next check is at or after `now` (every breach due by now is recorded
    // at once), so walking the due ones in order visits each once.
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const due = await repo.dueForBreachCheck(this.db, now, after, batchSize);
      for (const { id } of due) {
        const r = await this.checkOne(id, now);
        result.tickets += r.breaches > 0 ? 1 : 0;
        result.breaches += r.breaches;
        result.escalations += r.escalations;
      }
      const last = due.at(-1);
      if (!last || due.length < batchSize) return result;
      after = last;
    }
  }

  private async checkOne(id: string, now: Date): Promise<{ breaches: number; escalations: number }> {
    const system: TicketActor = { userId: null, ip: null };
    const written = await this.db.transaction().execute(async (trx) => {
      const stored = await repo.findTicket(trx, id);
      if (!stored) return null;
      const outcome = escalateOnBreaches(stored.ticket, now);
      if (outcome.events.length === 0) return null;
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
    return {
      breaches: written.filter((e) => e.type === 'breached').length,
      escalations: written.filter((e) => e.type === 'escalated').length,
    };
  }

  // ---- notifications ----

  async notifications(
    user: { id: string; role: string },
    opts: { unreadOnly: boolean; limit: number; offset: number },
  ): Promise<Page<NotificationView> & { unread: number }> {
    const r = await repo.listNotifications(this.db, { userId: user.id, role: user.role }, opts);
    return {
      items: r.items.map((n) => ({
        id: n.id,
        at: n.at,
        ticketId: n.ticketId,
        reason: n.reason,
        message: n.message,
        to: n.userId ? 'user' : 'role',
        role: n.role,
        readAt: n.readAt,
      })),
      total: r.total,
      unread: r.unread,
      limit: opts.limit,
      offset: opts.offset,
    };
  }

  /** Marks one notification (or, with id null, all of the user's) read; returns how many changed. */
  async markNotificationsRead(user: { id: string; role: string }, id: string | null): Promise<number> {
    const who = { userId: user.id, role: user.role };
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
    op: (t: Ticket, policy: DeadlinePolicy, stamp: { at: Date; by: string }) => Outcome,
    audit: Record<string, unknown> = {},
    authorize?: (t: Ticket) => void,
    unchangedIf?: (t: Ticket) => boolean,
  ): Promise<TicketView> {
    const now = this.clock.now();
    const stamp = { at: now, by: actor.userId ?? SYSTEM_USER };
    const written = await this.db.transaction().execute(async (trx) => {
      const stored = await this.load(trx, id);
      const before = stored.ticket;
      authorize?.(before);
      this.mayWork(before, actor, action);
      await this.notTheSubject(trx, before, actor);
      if (unchangedIf?.(before)) return { stored, events: [] as TicketEvent[] };
      if (before.version !== version) throw staleVersion(before.version, version);
      const policy = this.policyFor(before.brand);
      const done = domain(() => op(before, policy, stamp));
      // A deadline that passed before this change is recorded (and escalated) with it.
      const checked = escalateOnBreaches(done.ticket, now);
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
    return this.view(this.db, written.stored, now);
  }

  /** Agents work the tickets given to them or nobody's; supervisors (and the system) any. */
  private mayWork(t: Ticket, actor: TicketActor, action: string): void {
    if (actor.role !== 'agent' || t.assignee === null || t.assignee === actor.userId) return;
    if (action === 'take') return; // take answers "already taken" itself
    throw new AppError('forbidden', {
      zh: `该工单已分配给 ${t.assignee}；坐席只能处理自己的或未分配的工单（如需接手，请组长重新分配）`,
      en: `this ticket is assigned to ${t.assignee}; an agent works only on their own tickets or unassigned ones (ask a supervisor to reassign it)`,
    });
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
    await this.deliver(trx, outcome.ticket, outcome.notifications, outcome.events, actor, now);
    const breaches = outcome.events.flatMap((e) => (e.type === 'breached' ? [e.deadline] : []));
    await recordAudit(trx, {
      id: this.ids(),
      at: iso(now),
      actor,
      entityType: 'ticket',
      entityId: stored.ticket.id,
      action,
      changes: {
        ...diff(auditSummary(before), auditSummary(outcome.ticket)),
        ...change.audit,
        ...(breaches.length > 0 ? { breaches } : {}),
      },
    });
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
  ): Promise<void> {
    await repo.insertNotifications(
      trx,
      await this.notificationsFor(trx, ticket, intents, events, actor, now),
    );
  }

  /**
   * The notifications to write: one per user of a role reached (so each reads their own), or
   * one to the role itself when nobody has it yet, and one to a named user. The actor is not
   * told about their own action; a user named twice gets one.
   */
  private async notificationsFor(
    db: Db,
    ticket: Ticket,
    intents: readonly NotificationIntent[],
    events: readonly TicketEvent[],
    actor: TicketActor,
    now: Date,
  ): Promise<repo.Notification[]> {
    const rows: repo.Notification[] = [];
    const seen = new Set<string>();
    const add = (userId: string | null, role: string | null, reason: string) => {
      const key = userId ?? `role:${role}`;
      if (seen.has(key) || (userId !== null && userId === actor.userId)) return;
      seen.add(key);
      rows.push({
        id: this.ids(),
        at: iso(now),
        userId,
        role,
        ticketId: ticket.id,
        reason,
        message: notificationMessage(ticket, reason, events),
        readAt: null,
      });
    };
    for (const n of intents) {
      if (n.to === 'user') {
        add(n.userId, null, n.reason);
        continue;
      }
      const users = await repo.activeUserIdsWithRole(db, n.role);
      if (users.length === 0) add(null, n.role, n.reason);
      for (const u of users) add(u, n.role, n.reason);
    }
    return rows;
  }

  private countBreaches(events: readonly TicketEvent[]): void {
    for (const e of events) if (e.type === 'breached') this.metrics.deadlineBreaches.labels(e.deadline).inc();
  }

  // ---- small helpers ----

  private async load(db: Db, id: string): Promise<repo.StoredTicket> {
    const stored = await repo.findTicket(db, id);
    if (!stored) throw new AppError('not-found', { zh: `没有工单“${id}”`, en: `no ticket '${id}'` });
    return stored;
  }

  /**
   * The agent a complaint is about changes nothing on it: not accept, work, assign, escalate
   * or take (403). Others see it and may work it; they can never give it to that agent.
   */
  private async notTheSubject(db: Db, t: Ticket, actor: TicketActor): Promise<void> {
    if (t.type !== 'complaint' || actor.userId === null) return;
    if (t.aboutAgentNumber === null && t.aboutUserId === null) return;
    const me = await repo.findActiveUser(db, actor.userId);
    if (me && isAbout(t, { id: me.id, agentNumber: me.agentNumber }))
      throw new AppError('forbidden', {
        zh: `这条投诉针对的是您（工号 ${t.aboutAgentNumber ?? me.agentNumber ?? '—'}）；被投诉的坐席不能处理针对自己的投诉，它由${USER_ROLES[t.level].zh}一级处理`,
        en: `this complaint is about you (工号 ${t.aboutAgentNumber ?? me.agentNumber ?? '—'}); the agent a complaint is about can never own or work it: it is handled at the ${t.level} level`,
      });
  }

  /** The injected view of the users the ticket rules look at (workflow.ts WorkerLookup). */
  private async lookup(db: Db, ids: readonly (string | null | undefined)[]): Promise<WorkerLookup> {
    const found = new Map<string, Worker>();
    for (const id of new Set(ids)) {
      if (!id) continue;
      const u = await repo.findActiveUser(db, id);
      if (u) found.set(id, { id: u.id, role: u.role, agentNumber: u.agentNumber });
    }
    return (id) => found.get(id);
  }

  /**
   * Whom a complaint is about: the 工号 and user given, else the agent of the call it comes
   * from; the user is found by the 工号 when exactly one active user has it.
   */
  private async aboutOf(
    db: Db,
    d: { aboutAgentNumber?: string; aboutUserId?: string },
    callId: string | null,
  ): Promise<{ aboutAgentNumber?: string; aboutUserId?: string }> {
    let number = d.aboutAgentNumber;
    let userId = d.aboutUserId;
    if (userId !== undefined) {
      const u = await repo.findActiveUser(db, userId);
      if (!u)
        throw new AppError(
          'validation',
          {
            zh: `被投诉人“${userId}”不是有效用户`,
            en: `no active user '${userId}' for the complaint to be about`,
          },
          [{ path: 'body.aboutUserId', message: 'no such active user', zh: '没有这个有效用户' }],
        );
      if (number !== undefined && u.agentNumber !== null && u.agentNumber !== number)
        throw new AppError(
          'validation',
          {
            zh: `用户“${userId}”的工号是 ${u.agentNumber}，不是 ${number}；请只填其中一个，或填一致的两个`,
            en: `user '${userId}' has 工号 ${u.agentNumber}, not ${number}; send one of them, or both matching`,
          },
          [
            {
              path: 'body.aboutAgentNumber',
              message: `user '${userId}' has 工号 ${u.agentNumber}`,
              zh: `用户“${userId}”的工号是 ${u.agentNumber}`,
            },
          ],
        );
      number ??= u.agentNumber ?? undefined;
    }
    if (number === undefined && userId === undefined && callId !== null) {
      const agent = await repo.agentOfCall(db, callId);
      if (agent) number = agent;
    }
    if (number !== undefined && userId === undefined) {
      const ids = await repo.activeUserIdsWithAgentNumber(db, number);
      if (ids.length === 1) userId = ids[0];
    }
    return {
      ...(number !== undefined ? { aboutAgentNumber: number } : {}),
      ...(userId !== undefined ? { aboutUserId: userId } : {}),
    };
  }

  private async requireUser(db: Db, id: string, path: string): Promise<void> {
    if (!(await repo.findActiveUser(db, id)))
      throw new AppError('validation', { zh: `没有在用的用户“${id}”`, en: `no active user '${id}'` }, [
        { path, message: 'no such active user', zh: '没有这个在用的用户' },
      ]);
  }

  private async view(db: Db, s: repo.StoredTicket, now: Date): Promise<TicketView> {
    const [v] = await this.views(db, [s], now);
    return v as TicketView;
  }

  private async views(db: Db, items: readonly repo.StoredTicket[], now: Date): Promise<TicketView[]> {
    const names = await repo.displayNames(
      db,
      items.flatMap((s) => (s.ticket.assignee ? [s.ticket.assignee] : [])),
    );
    return items.map((s) => ticketView(s, now, names));
  }
}

/** The notification text (the UI speaks Chinese): what happened to which ticket. */
function notificationMessage(ticket: Ticket, reason: string, events: readonly TicketEvent[]): string {
  const name = `工单「${ticket.subject}」`;
  const level = roleZh(ticket.level);
  switch (reason) {
    case 'routed':
      return ticket.type === 'message'
        ? `${name}:有客户留言请您回电`
        : `${name}(${TICKET_TYPES[ticket.type].zh})已转至${level}处理`;
    case 'assigned':
      return `${name}已分派给您`;
    case 'breach': {
      const kinds = [
        ...new Set(events.flatMap((e) => (e.type === 'breached' ? [DEADLINE_ZH[e.deadline]] : []))),
      ];
      return `${name}${kinds.join('、')}时限已超时,现由${level}跟进`;
    }
    case 'manual': {
      const note = events.find((e) => e.type === 'escalated' && e.reason === 'manual');
      return `${name}已升级至${level}${note && note.type === 'escalated' && note.note ? `:${note.note}` : ''}`;
    }
    default:
      return `${name}有更新`;
  }
}
