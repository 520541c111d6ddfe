// The ticket as a plain value. Every operation takes a ticket and returns a new one (never
// mutates), so the service can store it with an optimistic-locking check on `version`.
// Dates are `Date` instants; ids are strings chosen by the caller.
import type { Role } from '../playbook/vocabulary.ts';

export type { TicketType } from '../playbook/vocabulary.ts';

export const TICKET_STATUSES = [
  'new',
  'accepted',
  'in-progress',
  'waiting-for-customer',
  'resolved',
  'follow-up-done',
  'closed',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * `urgent` / `standard`: the same words as the brand setting `complaintReplyHours`
 * ({ urgent: 2, standard: 24 }), so a priority indexes a setting directly.
 */
export const PRIORITIES = ['urgent', 'standard'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Seed 002 二.(六) attitude, 二.(七) agent's error; seed 004 product quality. */
export const COMPLAINT_SUBTYPES = ['service-attitude', 'agent-error', 'product-quality', 'other'] as const;
export type ComplaintSubtype = (typeof COMPLAINT_SUBTYPES)[number];

/** Why the hotline calls back: promised (000 hold), dropped line, missed call (004), hold past the limit. */
export const CALLBACK_REASONS = ['promised', 'dropped-line', 'missed-call', 'hold-over-limit'] as const;
export type CallbackReason = (typeof CALLBACK_REASONS)[number];

export const SUGGESTION_OUTCOMES = ['adopted', 'not-adopted'] as const;
export type SuggestionOutcome = (typeof SUGGESTION_OUTCOMES)[number];

export const REPLY_CHANNELS = ['phone', 'sms', 'email', 'wechat', 'in-person'] as const;
export type ReplyChannel = (typeof REPLY_CHANNELS)[number];

/** The escalation chain of the glossary, lowest first; a subset of the playbook's ROLES. */
export const ESCALATION_CHAIN = [
  'agent',
  'team-lead',
  'room-director',
  'complaint-desk',
] as const satisfies readonly Role[];
export type EscalationLevel = (typeof ESCALATION_CHAIN)[number];

/** The agreed time window of an on-site visit (seed 004: "在**时间内安排人员上门"). */
export interface VisitWindow {
  from: Date;
  to: Date;
}

/** The per-type part of a ticket, discriminated by `type`. */
export type TicketDetails =
  /**
   * The agent the complaint is about, when it is about one: their 工号 and/or user id (from the
   * call's agent, or given). That agent can never own the complaint (see workflow.ts).
   */
  | {
      type: 'complaint';
      subtype: ComplaintSubtype;
      aboutAgentNumber: string | null;
      aboutUserId: string | null;
    }
  | { type: 'repair'; booking: 'repair' | 'installation'; visitWindow: VisitWindow }
  /** Passed to a technician (seed 004); `technician` is their user id once known. */
  | { type: 'technical'; technician: string | null }
  /** `dueAt`: when the customer was promised the call; null = the policy's default. */
  | { type: 'callback'; reason: CallbackReason; dueAt: Date | null }
  /** Forwarded to `department`; the outcome is set when the suggestion is resolved. */
  | { type: 'suggestion'; department: string; outcome: SuggestionOutcome | null }
  /** A message for a busy colleague (seed 002 一.(五)); `colleague` is their user id. */
  | { type: 'message'; colleague: string }
  | { type: 'wrong-number' }
  | { type: 'harassment' };

/** The per-type part as given when opening a ticket (optional fields may be left out). */
export type TicketDetailsDraft =
  | { type: 'complaint'; subtype: ComplaintSubtype; aboutAgentNumber?: string; aboutUserId?: string }
  | { type: 'repair'; booking: 'repair' | 'installation'; visitWindow: VisitWindow }
  | { type: 'technical'; technician?: string }
  | { type: 'callback'; reason: CallbackReason; dueAt?: Date }
  | { type: 'suggestion'; department: string }
  | { type: 'message'; colleague: string }
  | { type: 'wrong-number' }
  | { type: 'harassment' };

export const DEADLINE_KINDS = ['first-response', 'reply', 'resolution', 'follow-up'] as const;
/**
 * first-response is met by accepting, reply by the first reply recorded, resolution by resolving,
 * follow-up (回访) by a follow-up visit that reached the customer; it starts at the resolution.
 */
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** How a deadline's time is counted: the brand's working hours, or the clock on the wall. */
export type DeadlineBasis = 'working' | 'calendar';

/**
 * One deadline as stored on the ticket. `dueAt` is kept current (it moves later after each
 * wait for the customer) so that the service can index it and find breaches with one query.
 */
export interface Deadline {
  kind: DeadlineKind;
  basis: DeadlineBasis;
  /** The time allowed, counted in `basis` from `startsAt`. */
  budgetMs: number;
  startsAt: Date;
  /** Time spent waiting for the customer while this deadline ran, counted in `basis`. */
  pausedMs: number;
  dueAt: Date;
  metAt: Date | null;
  /** The due time that was missed, once the breach has been recorded (it is recorded once). */
  breachedAt: Date | null;
}

/** A reply to the customer (答复). */
export interface Reply {
  at: Date;
  by: string;
  text: string;
  channel: ReplyChannel;
}

export type Satisfaction = 1 | 2 | 3 | 4 | 5;

/**
 * A follow-up visit (回访) after resolution: one attempt to reach the customer. Reached, it
 * carries the customer's satisfaction; not reached (no answer, busy), it counts as an attempt
 * and the ticket stays in the follow-up queue.
 */
export interface FollowUpVisit {
  at: Date;
  by: string;
  reached: boolean;
  /** 1–5 when the customer was reached; null when not. */
  satisfaction: Satisfaction | null;
  comment: string;
}

interface TicketCommon {
  id: string;
  /** The short number an agent reads out (`ZH-20261129-0042`); null on tickets opened before numbers. */
  number: string | null;
  brand: string;
  status: TicketStatus;
  priority: Priority;
  subject: string;
  description: string;
  /** The customer: the number they called from (the customer card, their history). */
  customerPhone: string | null;
  /**
   * The number to call the customer back on, when they gave another than the one they called
   * from; else theirs. Absent on tickets stored before 2026-12-03 (read as `customerPhone`).
   */
  contactPhone: string | null;
  /** User id of whoever opened the ticket. */
  createdBy: string;
  createdAt: Date;
  /** Latest time of any change; `version` counts the changes. */
  updatedAt: Date;
  assignee: string | null;
  /** Where the ticket stands on the escalation chain. */
  level: EscalationLevel;
  /** In DEADLINE_KINDS order; only the kinds the brand's policy gives this type. */
  deadlines: readonly Deadline[];
  /**
   * The kinds of deadline breached in an earlier round and restarted by a reopening (the
   * resolution's): the restarted deadline runs unbreached, the breach stays on record (the
   * breached filter, the dashboards). Absent on tickets stored before 2026-12-03.
   */
  earlierBreaches?: readonly DeadlineKind[];
  /** Set while waiting for the customer: the deadline clocks are stopped since then. */
  pausedAt: Date | null;
  /** Total wall-clock time spent waiting for the customer (closed waits). */
  pausedMs: number;
  replies: readonly Reply[];
  /** Oldest first; a reopened ticket gets a new follow-up visit after its new resolution. */
  followUps: readonly FollowUpVisit[];
  resolvedAt: Date | null;
  closedAt: Date | null;
  /**
   * While the ticket is overdue: when the next reminder is due (one reminder per interval, each
   * one level further up the chain). Null when it is not overdue or its first breach is not
   * recorded yet.
   */
  nextReminderAt: Date | null;
  /** 1 when opened, +1 per change: the service's optimistic-locking token. */
  version: number;
}

export type Ticket = TicketCommon & TicketDetails;

/** Who does something and when; `by` is a user id. */
export interface Stamp {
  at: Date;
  by: string;
}

/**
 * breach: a deadline passed; manual: the button; reminder: still overdue an interval later;
 * dissatisfied: a follow-up visit found the customer dissatisfied (the complaint desk reopens it).
 */
export type EscalationReason = 'breach' | 'manual' | 'reminder' | 'dissatisfied';

/** What happened, for the ticket's history and for whoever reacts (notifications, reports). */
export type TicketEvent =
  | { type: 'created'; at: Date; by: string; level: EscalationLevel }
  | { type: 'status-changed'; from: TicketStatus; to: TicketStatus; at: Date; by: string; reason?: string }
  | { type: 'assigned'; from: string | null; to: string; at: Date; by: string }
  | { type: 'replied'; at: Date; by: string; channel: ReplyChannel }
  | {
      type: 'follow-up-recorded';
      at: Date;
      by: string;
      reached: boolean;
      satisfaction: Satisfaction | null;
      /** Visits since the latest resolution, this one included. */
      attempt: number;
    }
  /** Still overdue an interval after the breach (or the last reminder): `count`-th reminder. */
  | { type: 'reminded'; at: Date; overdueSince: Date; count: number }
  | { type: 'deadline-met'; deadline: DeadlineKind; at: Date; dueAt: Date; late: boolean }
  /** `at` is the due time that was missed; `detectedAt` when the check noticed it. */
  | { type: 'breached'; deadline: DeadlineKind; at: Date; detectedAt: Date }
  | {
      type: 'escalated';
      from: EscalationLevel;
      to: EscalationLevel;
      at: Date;
      reason: EscalationReason;
      /** The breached deadline, for reason 'breach'. */
      deadline?: DeadlineKind;
      /** Who pressed the button and why, for reason 'manual'. */
      by?: string;
      note?: string;
    };

/**
 * Someone to tell about a ticket; the service delivers it. `routed`: a ticket opened above
 * agent level; `assigned`: a new assignee; `breach` / `manual`: an escalation or a breach.
 */
export type NotificationReason = 'routed' | 'assigned' | EscalationReason;
export type NotificationIntent =
  | { to: 'role'; role: Role; ticketId: string; reason: NotificationReason }
  | { to: 'user'; userId: string; ticketId: string; reason: NotificationReason };

/** What every operation returns: the new ticket and what happened. Events are oldest first. */
export interface Outcome {
  ticket: Ticket;
  events: TicketEvent[];
  notifications: NotificationIntent[];
}

/** The ticket with `changes`, one version later. */
export function revise<T extends Ticket>(ticket: T, at: Date, changes: Partial<TicketCommon>): T {
  const updatedAt = at > ticket.updatedAt ? at : ticket.updatedAt;
  return { ...ticket, ...changes, updatedAt, version: ticket.version + 1 };
}
