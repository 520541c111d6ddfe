// The ticket life cycle: an explicit transition table, the guards on it, and the operations
// the service exposes. Every operation takes the current ticket and returns the next one
// with the events it produced; none mutates its input or reads the clock.
//
//   new → accepted → in-progress ⇄ waiting-for-customer → resolved → follow-up-done → closed
//   accepted → resolved: the work done without pressing start (the start is recorded too)
//   reopen: resolved / follow-up-done / closed → in-progress (with a reason)
import { ROLES, TICKET_TYPES } from '../playbook/vocabulary.ts';
import { type DeadlinePolicy, meet, resumeClocks } from './deadlines.ts';
import { TicketRuleError } from './errors.ts';
import { initialLevel, notify } from './escalation.ts';
import {
  CALLBACK_REASONS,
  COMPLAINT_SUBTYPES,
  DEADLINE_KINDS,
  ESCALATION_CHAIN,
  type EscalationLevel,
  type FollowUpVisit,
  type NotificationIntent,
  type Outcome,
  PRIORITIES,
  type Priority,
  REPLY_CHANNELS,
  type Reply,
  revise,
  type Satisfaction,
  type Stamp,
  SUGGESTION_OUTCOMES,
  type SuggestionOutcome,
  type Ticket,
  type TicketDetails,
  type TicketDetailsDraft,
  type TicketEvent,
  type TicketStatus,
} from './types.ts';

/** What a user can do to move a ticket; each is one button and one service route. */
export type TicketAction = 'accept' | 'start' | 'wait' | 'resolve' | 'follow-up' | 'close' | 'reopen';

export interface Transition {
  from: TicketStatus;
  action: TicketAction;
  to: TicketStatus;
}

/** Every allowed status change. Anything not listed here is refused. */
export const TRANSITIONS: readonly Transition[] = [
  { from: 'new', action: 'accept', to: 'accepted' },
  { from: 'new', action: 'close', to: 'closed' }, // records only (wrong number, harassment)
  { from: 'accepted', action: 'start', to: 'in-progress' },
  // Whoever accepted a ticket and did the work (often on the call itself) resolves it without
  // pressing start first: resolve() records the start at the same instant, so the history still
  // reads accepted → in progress → resolved.
  { from: 'accepted', action: 'resolve', to: 'resolved' },
  { from: 'in-progress', action: 'wait', to: 'waiting-for-customer' },
  { from: 'in-progress', action: 'resolve', to: 'resolved' },
  { from: 'waiting-for-customer', action: 'start', to: 'in-progress' },
  { from: 'waiting-for-customer', action: 'resolve', to: 'resolved' },
  { from: 'resolved', action: 'follow-up', to: 'follow-up-done' },
  { from: 'resolved', action: 'close', to: 'closed' },
  { from: 'resolved', action: 'reopen', to: 'in-progress' },
  { from: 'follow-up-done', action: 'close', to: 'closed' },
  { from: 'follow-up-done', action: 'reopen', to: 'in-progress' },
  { from: 'closed', action: 'reopen', to: 'in-progress' },
];

/** Ticket types that only record a call: there is nothing to work on, so they close from new. */
const RECORD_TYPES: ReadonlySet<string> = new Set(['wrong-number', 'harassment']);

/** Why a transition is refused because of what the ticket holds (not its status). */
type Refusal = 'not-a-record' | 'reply-required' | 'follow-up-required';

/**
 * Whether `action` is refused on this ticket because of what it holds, if it is. Only the
 * reason: the error (with its message) is built when an operation is actually refused, not
 * for every button `availableActions` considers.
 */
function refusal(ticket: Ticket, t: Transition): Refusal | null {
  if (t.action === 'close' && t.from === 'new' && !RECORD_TYPES.has(ticket.type)) return 'not-a-record';
  if (ticket.type !== 'complaint' || (t.action !== 'follow-up' && t.action !== 'close')) return null;
  // 件件有回音 (seed 004): no complaint is done until the customer has had a reply and a follow-up visit.
  if (ticket.replies.length === 0) return 'reply-required';
  const last = lastReached(ticket);
  if (t.action === 'close' && (!last || !ticket.resolvedAt || last.at < ticket.resolvedAt))
    return 'follow-up-required';
  return null;
}

/** The latest follow-up visit that reached the customer (an attempt that did not is no visit). */
function lastReached(ticket: Ticket): FollowUpVisit | undefined {
  for (let i = ticket.followUps.length - 1; i >= 0; i--) {
    const f = ticket.followUps[i] as FollowUpVisit;
    if (f.reached) return f;
  }
  return undefined;
}

/** Follow-up visits (reached or not) since the latest resolution: the attempts of this round. */
export function followUpAttempts(ticket: Ticket): number {
  const since = ticket.resolvedAt;
  if (!since) return 0;
  return ticket.followUps.filter((f) => f.at >= since).length;
}

/** The error of a refused transition. */
function refusalError(ticket: Ticket, t: Transition, why: Refusal): TicketRuleError {
  switch (why) {
    case 'not-a-record':
      return new TicketRuleError(
        'transition-not-allowed',
        `a new ${ticket.type} ticket cannot be closed: only wrong-number and harassment records close straight from new; accept it first`,
        ['accept'],
      );
    case 'reply-required':
      return new TicketRuleError(
        'reply-required',
        `a complaint needs a recorded reply to the customer before it can ${t.action === 'close' ? 'be closed' : 'have its follow-up visit'}; record the reply first`,
        ['reply'],
      );
    case 'follow-up-required':
      return new TicketRuleError(
        'follow-up-required',
        'a complaint needs a follow-up visit (回访) after its resolution before it can be closed; record the follow-up visit first',
        ['follow-up'],
      );
  }
}

/** The transitions allowed on the ticket now, guards included. */
function allowedEdges(ticket: Ticket): Transition[] {
  const out: Transition[] = [];
  for (const t of TRANSITIONS) if (t.from === ticket.status && refusal(ticket, t) === null) out.push(t);
  return out;
}

/** The actions allowed on the ticket now, guards included (for the buttons to show). */
export function availableActions(ticket: Ticket): TicketAction[] {
  return allowedEdges(ticket).map((t) => t.action);
}

/** "accept (→ accepted), close (→ closed)": what the ticket can do now, for error messages. */
function describeAllowed(ticket: Ticket): string {
  const edges = allowedEdges(ticket);
  return edges.length === 0 ? 'none' : edges.map((t) => `${t.action} (→ ${t.to})`).join(', ');
}

function invalid(message: string): TicketRuleError {
  return new TicketRuleError('invalid-input', message);
}

function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${what} must not be blank`);
  return value;
}

function requireTime(at: unknown, what: string, notBefore?: { at: Date | null; what: string }): Date {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw invalid(`${what} must be a valid date`);
  if (notBefore?.at && at < notBefore.at)
    throw invalid(
      `${what} (${at.toISOString()}) is before ${notBefore.what} (${notBefore.at.toISOString()})`,
    );
  return at;
}

function requireStamp(ticket: Ticket, s: Stamp, what: string): void {
  requireTime(s.at, `the time of ${what}`, { at: ticket.createdAt, what: 'the ticket was opened' });
  requireText(s.by, `the user who does ${what}`);
}

/**
 * Applies the transition of `action` from the ticket's status: checks the table and guards,
 * restarts the deadline clocks when leaving a wait and stops them when entering one.
 */
function move(
  ticket: Ticket,
  action: TicketAction,
  s: Stamp,
  policy: DeadlinePolicy,
  reason?: string,
): { ticket: Ticket; events: TicketEvent[] } {
  const edge = TRANSITIONS.find((t) => t.from === ticket.status && t.action === action);
  if (!edge)
    throw new TicketRuleError(
      'transition-not-allowed',
      `cannot ${action} a ticket that is ${ticket.status}; the allowed actions are: ${describeAllowed(ticket)}`,
      availableActions(ticket),
    );
  const refused = refusal(ticket, edge);
  if (refused) throw refusalError(ticket, edge, refused);
  requireStamp(ticket, s, action);
  if (ticket.pausedAt)
    requireTime(s.at, `the time of ${action}`, { at: ticket.pausedAt, what: 'the wait began' });
  const clocks = ticket.pausedAt ? resumeClocks(ticket, s.at, policy) : {};
  const next = revise(ticket, s.at, {
    ...clocks,
    status: edge.to,
    ...(edge.to === 'waiting-for-customer' ? { pausedAt: s.at } : {}),
  });
  const event: TicketEvent = { type: 'status-changed', from: ticket.status, to: edge.to, at: s.at, by: s.by };
  return { ticket: next, events: [reason === undefined ? event : { ...event, reason }] };
}

function done(ticket: Ticket, events: TicketEvent[], notifications: NotificationIntent[] = []): Outcome {
  return { ticket, events, notifications };
}

// ---- who may own a ticket ----

/** A user as the ticket rules need them; the service looks them up, so the rules stay pure. */
export interface Worker {
  id: string;
  /** The account's role (agent, team-lead, room-director, complaint-desk, qa-inspector, admin). */
  role: string;
  /** 工号, when the user has one. */
  agentNumber: string | null;
  /** The brand the account is limited to; null or absent: every brand. */
  brand?: string | null;
}

/** Finds an active user by id (undefined when there is none): the injected view of the users. */
export type WorkerLookup = (userId: string) => Worker | undefined;

/** The lookup that knows nobody: an assignee cannot be checked, so none is accepted. */
const NOBODY: WorkerLookup = () => undefined;

/**
 * The roles that may work (own, accept) a ticket at `level`: that level's role and those above
 * it on the chain, so a complaint routed to the room director is not an agent's to take. QA
 * inspectors and admins are on no level: a QA inspector reads and inspects but works no
 * ticket (and must stay independent of those they inspect); an admin account manages users,
 * tokens and settings, not cases, and an admin who also works tickets gets a role that does.
 * Admins (as supervisors) still assign and escalate; they are never the assignee.
 */
export function rolesForLevel(level: EscalationLevel): EscalationLevel[] {
  return ESCALATION_CHAIN.slice(ESCALATION_CHAIN.indexOf(level));
}

/** Whether the ticket is a complaint about this user (by user id or by 工号). */
export function isAbout(ticket: Ticket, w: Pick<Worker, 'id' | 'agentNumber'>): boolean {
  if (ticket.type !== 'complaint') return false;
  if (ticket.aboutUserId !== null && ticket.aboutUserId === w.id) return true;
  return (
    ticket.aboutAgentNumber !== null && w.agentNumber !== null && ticket.aboutAgentNumber === w.agentNumber
  );
}

const levelName = (level: EscalationLevel) => `${level} (${ROLES[level].zh})`;

/**
 * Why `userId` may not own the ticket (be assigned it or accept it), or null when they may:
 * never someone whose account is limited to another brand (they cannot even see the ticket);
 * never the agent a complaint is about; never QA or admin; otherwise someone whose role is at
 * the ticket's level or above, or the colleague a message is for (the coordinator passes it on,
 * seed 002 一.(五)).
 */
export function ownershipRefusal(ticket: Ticket, userId: string, who: WorkerLookup): TicketRuleError | null {
  const w = who(userId);
  const roles = rolesForLevel(ticket.level);
  const owner = (role: string | null) => ({ level: ticket.level, role });
  if (!w)
    return new TicketRuleError(
      'not-eligible',
      `no active user '${userId}' to own the ticket`,
      roles,
      owner(null),
    );
  if (w.brand && w.brand !== ticket.brand)
    return new TicketRuleError(
      'other-brand',
      `user '${w.id}' works only on the tickets of brand '${w.brand}' and this ticket is of brand '${ticket.brand}': give it to someone of brand '${ticket.brand}' or of every brand`,
      roles,
      undefined,
      { userId: w.id, user: w.brand, ticket: ticket.brand },
    );
  if (isAbout(ticket, w))
    return new TicketRuleError(
      'subject-of-complaint',
      `this complaint is about 工号 ${ticket.type === 'complaint' ? (ticket.aboutAgentNumber ?? w.agentNumber ?? '?') : '?'} (user ${w.id}); the agent a complaint is about can never own it: give it to someone else at the ${levelName(ticket.level)} level or above`,
      roles,
    );
  if (ticket.type === 'message' && ticket.colleague === w.id) return null;
  if (w.role === 'qa-inspector' || w.role === 'admin')
    return new TicketRuleError(
      'not-eligible',
      `${w.id} is ${w.role === 'admin' ? 'an admin account, which manages users and settings' : 'a QA inspector (质检员), who inspects'} and never owns a ticket; give it to one of: ${roles.join(', ')}`,
      roles,
      owner(w.role),
    );
  if (!(roles as string[]).includes(w.role))
    return new TicketRuleError(
      'not-eligible',
      `this ${ticket.type} ticket is at the ${levelName(ticket.level)} level: only ${roles.join(', ')} may own or accept it, and ${w.id} is ${w.role}`,
      roles,
      owner(w.role),
    );
  return null;
}

function requireOwner(ticket: Ticket, userId: string, who: WorkerLookup): void {
  const refused = ownershipRefusal(ticket, userId, who);
  if (refused) throw refused;
}

// ---- opening ----

export type TicketDraft = {
  id: string;
  /** The short number (service: `ticketNumber`); none when left out. */
  number?: string;
  brand: string;
  /** Default `standard`. */
  priority?: Priority;
  subject: string;
  description?: string;
  customerPhone?: string;
  /** The number to call back on; default the customer's. */
  contactPhone?: string;
  createdBy: string;
  createdAt: Date;
  assignee?: string;
} & TicketDetailsDraft;

function detailsOf(d: TicketDraft, createdAt: Date): TicketDetails {
  switch (d.type) {
    case 'complaint':
      if (!COMPLAINT_SUBTYPES.includes(d.subtype))
        throw invalid(
          `unknown complaint subtype "${d.subtype}"; expected one of ${COMPLAINT_SUBTYPES.join(', ')}`,
        );
      return {
        type: d.type,
        subtype: d.subtype,
        aboutAgentNumber:
          d.aboutAgentNumber === undefined
            ? null
            : requireText(d.aboutAgentNumber, 'the 工号 the complaint is about'),
        aboutUserId:
          d.aboutUserId === undefined ? null : requireText(d.aboutUserId, 'the user the complaint is about'),
      };
    case 'repair': {
      const from = requireTime(d.visitWindow?.from, 'the visit window start');
      const to = requireTime(d.visitWindow?.to, 'the visit window end');
      if (to <= from) throw invalid('the visit window must end after it starts');
      if (to <= createdAt) throw invalid('the visit window must end after the ticket is opened');
      return {
        type: d.type,
        booking: d.booking === 'installation' ? 'installation' : 'repair',
        visitWindow: { from, to },
      };
    }
    case 'technical':
      return { type: d.type, technician: d.technician ?? null };
    case 'callback': {
      if (!CALLBACK_REASONS.includes(d.reason))
        throw invalid(
          `unknown callback reason "${d.reason}"; expected one of ${CALLBACK_REASONS.join(', ')}`,
        );
      const dueAt = d.dueAt === undefined ? null : requireTime(d.dueAt, 'the callback time');
      if (dueAt && dueAt <= createdAt) throw invalid('the callback time must be after the ticket is opened');
      return { type: d.type, reason: d.reason, dueAt };
    }
    case 'suggestion':
      return { type: d.type, department: requireText(d.department, 'the department'), outcome: null };
    case 'message':
      return { type: d.type, colleague: requireText(d.colleague, 'the colleague') };
    case 'wrong-number':
    case 'harassment':
      return { type: d.type };
    default:
      throw invalid(
        `unknown ticket type "${(d as { type: unknown }).type}"; expected one of ${Object.keys(TICKET_TYPES).join(', ')}`,
      );
  }
}

/**
 * Opens a ticket in status `new`, at the starting level of its type, with its deadlines running.
 * An assignee must be someone who may own it (`who` looks them up; see ownershipRefusal).
 */
export function openTicket(draft: TicketDraft, policy: DeadlinePolicy, who: WorkerLookup = NOBODY): Outcome {
  const createdAt = requireTime(draft.createdAt, 'the opening time');
  const priority = draft.priority ?? 'standard';
  if (!PRIORITIES.includes(priority))
    throw invalid(`unknown priority "${priority}"; expected one of ${PRIORITIES.join(', ')}`);
  const details = detailsOf(draft, createdAt);
  const level = initialLevel(details);
  // Object.assign rather than `{ ...details, id, … }`: V8 builds a spread of a small object
  // followed by many properties very slowly (~15 µs, most of opening a ticket); same result.
  const ticket: Ticket = Object.assign({}, details, {
    id: requireText(draft.id, 'the ticket id'),
    number: draft.number === undefined ? null : requireText(draft.number, 'the ticket number'),
    brand: requireText(draft.brand, 'the brand'),
    status: 'new' as const,
    priority,
    subject: requireText(draft.subject, 'the subject'),
    description: draft.description ?? '',
    customerPhone: draft.customerPhone ?? null,
    contactPhone: draft.contactPhone ?? draft.customerPhone ?? null,
    createdBy: requireText(draft.createdBy, 'the user who opens the ticket'),
    createdAt,
    updatedAt: createdAt,
    assignee: draft.assignee === undefined ? null : requireText(draft.assignee, 'the assignee'),
    level,
    deadlines: policy.deadlinesFor(Object.assign({}, details, { priority, createdAt })),
    pausedAt: null,
    pausedMs: 0,
    replies: [],
    followUps: [],
    resolvedAt: null,
    closedAt: null,
    nextReminderAt: null,
    version: 1,
  });
  if (ticket.assignee) requireOwner(ticket, ticket.assignee, who);
  const notifications: NotificationIntent[] = [];
  // Seed 002 二.(六)/(七): some complaints go straight to a level above the agent; tell that role.
  if (level !== 'agent')
    notifications.push({ to: 'role', role: level, ticketId: ticket.id, reason: 'routed' });
  if (ticket.assignee) notifications.push(...notify(ticket, null, 'assigned'));
  return done(ticket, [{ type: 'created', at: createdAt, by: ticket.createdBy, level }], notifications);
}

// ---- status changes ----

/**
 * 受理: new → accepted; meets the first-response deadline. Only someone who may own the ticket
 * at its level accepts it (`who` looks up `s.by`; see ownershipRefusal).
 */
export function accept(ticket: Ticket, s: Stamp, policy: DeadlinePolicy, who: WorkerLookup): Outcome {
  if (ticket.status === 'new') requireOwner(ticket, s.by, who);
  const moved = move(ticket, 'accept', s, policy);
  const met = meet(moved.ticket, 'first-response', s.at, policy);
  return done({ ...moved.ticket, deadlines: met.deadlines }, [...moved.events, ...met.events]);
}

/** accepted → in-progress, or back from waiting for the customer (the deadline clocks run again). */
export function startWork(ticket: Ticket, s: Stamp, policy: DeadlinePolicy): Outcome {
  const moved = move(ticket, 'start', s, policy);
  return done(moved.ticket, moved.events);
}

/** in-progress → waiting-for-customer: the deadline clocks stop until the ticket leaves that status. */
export function waitForCustomer(
  ticket: Ticket,
  s: Stamp & { reason?: string },
  policy: DeadlinePolicy,
): Outcome {
  const moved = move(ticket, 'wait', s, policy, s.reason);
  return done(moved.ticket, moved.events);
}

/** → resolved; meets the resolution deadline. A suggestion is resolved with its outcome, once the customer has a reply. */
export function resolve(
  ticket: Ticket,
  s: Stamp & { outcome?: SuggestionOutcome },
  policy: DeadlinePolicy,
): Outcome {
  if (ticket.type === 'suggestion' && !SUGGESTION_OUTCOMES.includes(s.outcome as SuggestionOutcome))
    throw new TicketRuleError(
      'outcome-required',
      `a suggestion is resolved with its outcome: ${SUGGESTION_OUTCOMES.join(' or ')}`,
      [...SUGGESTION_OUTCOMES],
    );
  if (ticket.type !== 'suggestion' && s.outcome !== undefined)
    throw invalid(`only a suggestion has an outcome; this ticket is a ${ticket.type}`);
  // 件件有回音 (seed 004) and 000 八: the caller who made the suggestion is told what became of it.
  if (ticket.type === 'suggestion' && ticket.replies.length === 0)
    throw new TicketRuleError(
      'reply-required',
      `a suggestion is resolved once the customer has been told its outcome, and this one has no reply yet: send the reply with the resolution, POST /api/tickets/${ticket.id}/resolve {"version", "outcome", "reply": {"text": "…", "channel": "phone"}}, or record it first with POST /api/tickets/${ticket.id}/replies`,
      ['reply'],
      undefined,
      undefined,
      { ticketId: ticket.id },
    );
  // From accepted, the start first, at the same instant (the work was done meanwhile).
  const started = ticket.status === 'accepted' ? move(ticket, 'start', s, policy) : null;
  // Leaving a wait restarts the clocks first, so the resolution is judged against its moved due time.
  const resolving = move(started?.ticket ?? ticket, 'resolve', s, policy);
  const moved = { ticket: resolving.ticket, events: [...(started?.events ?? []), ...resolving.events] };
  const met = meet(moved.ticket, 'resolution', s.at, policy);
  // The follow-up visit's clock (回访时限) starts now, replacing one from an earlier resolution.
  const followUp = policy.followUpDeadline(ticket, s.at);
  const deadlines = met.deadlines.filter((d) => d.kind !== 'follow-up');
  if (followUp) deadlines.push(followUp);
  const resolved = { ...moved.ticket, deadlines, resolvedAt: s.at };
  const next: Ticket =
    resolved.type === 'suggestion' ? { ...resolved, outcome: s.outcome ?? null } : resolved;
  return done(next, [...moved.events, ...met.events]);
}

/** A follow-up visit as recorded: reached with a satisfaction, or an attempt that did not reach. */
export type FollowUpInput = Stamp & {
  reached?: boolean;
  satisfaction?: number | null;
  comment: string;
};

/**
 * 回访. Not reached (no answer, busy): the attempt is recorded and the ticket stays resolved,
 * in the follow-up queue, its follow-up deadline still running. Reached: resolved →
 * follow-up-done with the customer's satisfaction (1–5), meeting the follow-up deadline; a
 * complaint whose customer is dissatisfied (satisfaction ≤ the brand's threshold,
 * `policy.dissatisfiedAtOrBelow`) is not done: it is reopened at once at the complaint desk
 * (in progress, nobody's until the desk takes it), and the complaint desk is told.
 */
export function recordFollowUp(ticket: Ticket, visit: FollowUpInput, policy: DeadlinePolicy): Outcome {
  const reached = visit.reached ?? true;
  if (typeof reached !== 'boolean') throw invalid('reached is true (the customer was reached) or false');
  if (reached) {
    if (
      typeof visit.satisfaction !== 'number' ||
      !Number.isInteger(visit.satisfaction) ||
      visit.satisfaction < 1 ||
      visit.satisfaction > 5
    )
      throw invalid(`satisfaction is a whole number from 1 to 5, got ${String(visit.satisfaction)}`);
  } else if (visit.satisfaction !== undefined && visit.satisfaction !== null)
    throw invalid('a follow-up attempt that did not reach the customer has no satisfaction; leave it out');
  if (typeof visit.comment !== 'string')
    throw invalid('the follow-up comment must be text (it may be empty)');
  const satisfaction = reached ? (visit.satisfaction as Satisfaction) : null;
  const { at, by, comment } = visit;
  const entry: FollowUpVisit = { at, by, reached, satisfaction, comment };
  const attempt = followUpAttempts(ticket) + 1;
  const recorded: TicketEvent = { type: 'follow-up-recorded', at, by, reached, satisfaction, attempt };
  if (!reached) {
    const edge = TRANSITIONS.find((t) => t.from === ticket.status && t.action === 'follow-up');
    if (!edge)
      throw new TicketRuleError(
        'transition-not-allowed',
        `a follow-up visit is recorded on a resolved ticket; this one is ${ticket.status}. Allowed now: ${describeAllowed(ticket)}`,
        availableActions(ticket),
      );
    const why = refusal(ticket, edge);
    if (why) throw refusalError(ticket, edge, why);
    requireStamp(ticket, visit, 'the follow-up attempt');
    requireTime(at, 'the follow-up attempt', { at: ticket.resolvedAt, what: 'the resolution' });
    return done(revise(ticket, at, { followUps: [...ticket.followUps, entry] }), [recorded]);
  }
  const moved = move(ticket, 'follow-up', visit, policy);
  requireTime(at, 'the follow-up visit', { at: ticket.resolvedAt, what: 'the resolution' });
  const met = meet(moved.ticket, 'follow-up', at, policy);
  const visited: Ticket = {
    ...moved.ticket,
    deadlines: met.deadlines,
    followUps: [...ticket.followUps, entry],
  };
  const events = [...moved.events, recorded, ...met.events];
  if (ticket.type !== 'complaint' || (satisfaction as number) > policy.dissatisfiedAtOrBelow)
    return done(visited, events);
  // Not done: the complaint desk takes the complaint up again (seed 003 售后回访: 如不满意,问题是什么).
  const reopened = reopen(
    visited,
    { at, by, reason: `回访不满意(满意度 ${satisfaction}/5)${comment.trim() ? `:${comment.trim()}` : ''}` },
    policy,
  );
  const top: EscalationLevel = 'complaint-desk';
  const atDesk: Ticket = { ...reopened.ticket, level: top, assignee: null };
  const escalated: TicketEvent[] =
    reopened.ticket.level === top
      ? []
      : [{ type: 'escalated', from: reopened.ticket.level, to: top, at, reason: 'dissatisfied' }];
  const notifications: NotificationIntent[] = [
    { to: 'role', role: top, ticketId: ticket.id, reason: 'dissatisfied' },
    ...(ticket.assignee && ticket.assignee !== by
      ? [
          {
            to: 'user' as const,
            userId: ticket.assignee,
            ticketId: ticket.id,
            reason: 'dissatisfied' as const,
          },
        ]
      : []),
  ];
  return done(atDesk, [...events, ...reopened.events, ...escalated], notifications);
}

/** → closed. A complaint needs a reply and a follow-up visit after its resolution (件件有回音). */
export function close(ticket: Ticket, s: Stamp, policy: DeadlinePolicy): Outcome {
  const moved = move(ticket, 'close', s, policy);
  return done({ ...moved.ticket, closedAt: s.at }, moved.events);
}

/**
 * resolved / follow-up-done / closed → in-progress, with a reason. The resolution deadline
 * starts again from now with its original allowance; a complaint without one gets one of its
 * reply allowance (`DeadlinePolicy.reopenDeadline`). The time a ticket spent closed does not
 * count against its other unmet deadlines: like a wait for the customer, it moves them later.
 */
export function reopen(ticket: Ticket, s: Stamp & { reason: string }, policy: DeadlinePolicy): Outcome {
  const reason = requireText(s.reason, 'the reason for reopening');
  const moved = move(ticket, 'reopen', s, policy, reason);
  const { closedAt } = ticket;
  // The follow-up visit waits for the next resolution: an unmet follow-up deadline goes.
  const deadlines = moved.ticket.deadlines
    .filter((d) => d.kind !== 'follow-up' || d.metAt)
    .map((d) =>
      d.kind === 'resolution'
        ? policy.start(d.kind, d.basis, d.budgetMs, s.at)
        : closedAt && d.kind !== 'follow-up'
          ? policy.afterPause(d, closedAt, s.at)
          : d,
    );
  const again = policy.reopenDeadline(ticket, s.at);
  if (again) {
    deadlines.push(again);
    deadlines.sort((a, b) => DEADLINE_KINDS.indexOf(a.kind) - DEADLINE_KINDS.indexOf(b.kind));
  }
  // The restarted resolution deadline runs unbreached: a breach of the earlier round stays on record.
  const restartedBreach = moved.ticket.deadlines.some((d) => d.kind === 'resolution' && d.breachedAt);
  const earlierBreaches =
    restartedBreach && !(ticket.earlierBreaches ?? []).includes('resolution')
      ? [...(ticket.earlierBreaches ?? []), 'resolution' as const]
      : ticket.earlierBreaches;
  return done(
    {
      ...moved.ticket,
      deadlines,
      resolvedAt: null,
      closedAt: null,
      ...(earlierBreaches ? { earlierBreaches } : {}),
    },
    moved.events,
  );
}

// ---- other operations ----

/** Records a reply to the customer (答复); the first one meets the reply deadline. */
export function recordReply(ticket: Ticket, reply: Reply, policy: DeadlinePolicy): Outcome {
  if (ticket.status === 'new' || ticket.status === 'closed')
    throw new TicketRuleError(
      'not-allowed-in-status',
      ticket.status === 'new'
        ? 'a reply is recorded on an accepted ticket; accept this new ticket first'
        : 'a closed ticket takes no replies; reopen it first',
      [ticket.status === 'new' ? 'accept' : 'reopen'],
    );
  requireStamp(ticket, reply, 'the reply');
  const text = requireText(reply.text, 'the reply text');
  if (!REPLY_CHANNELS.includes(reply.channel))
    throw invalid(`unknown reply channel "${reply.channel}"; expected one of ${REPLY_CHANNELS.join(', ')}`);
  const met = meet(ticket, 'reply', reply.at, policy);
  const next = revise(ticket, reply.at, {
    deadlines: met.deadlines,
    replies: [...ticket.replies, { at: reply.at, by: reply.by, text, channel: reply.channel }],
  });
  return done(next, [{ type: 'replied', at: reply.at, by: reply.by, channel: reply.channel }, ...met.events]);
}

/**
 * Gives the ticket to a user (any status but closed) and tells them. The assignee must be
 * someone who may own it at its level (`who` looks them up; see ownershipRefusal).
 */
export function assign(ticket: Ticket, s: Stamp & { assignee: string }, who: WorkerLookup): Outcome {
  if (ticket.status === 'closed')
    throw new TicketRuleError(
      'not-allowed-in-status',
      'a closed ticket cannot be assigned; reopen it first',
      ['reopen'],
    );
  requireStamp(ticket, s, 'the assignment');
  const to = requireText(s.assignee, 'the assignee');
  requireOwner(ticket, to, who);
  if (to === ticket.assignee) return done(ticket, []);
  const next = revise(ticket, s.at, { assignee: to });
  return done(
    next,
    [{ type: 'assigned', from: ticket.assignee, to, at: s.at, by: s.by }],
    notify(next, null, 'assigned'),
  );
}
