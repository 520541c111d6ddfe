// The domain events and their payloads: what a console, a wallboard or another process needs
// to know that something happened, by id. Payloads never carry a whole phone number (the
// masked form of observability/mask.ts, or ids); they are JSON (dates as ISO-8601 text).

/** A person's number as logs and events may show it (`139****5678`); null when there is none. */
export type MaskedNumber = string | null;

export interface CallRef {
  callId: string;
  brand: string;
  /** The 工号 the call rings to or was answered by (null: none yet). */
  agentNumber: string | null;
}

export interface EventMap {
  'call.ringing': CallRef & {
    direction: string;
    caller: MaskedNumber;
    /** The number is on the blacklist (the console warns before answering). */
    blacklisted: boolean;
    at: string;
  };
  'call.answered': CallRef & { at: string };
  'call.held': CallRef & { at: string };
  'call.resumed': CallRef & { at: string; heldSeconds: number | null };
  'call.transferred': CallRef & { at: string; to: string | null };
  /** The transfer before it did not go through (`to`: where it was going): the caller stays with the agent. */
  'call.transfer-failed': CallRef & { at: string; to: string | null };
  /** The call hung up and is stored (CTI); imported calls give only call.inspected. */
  'call.ended': CallRef & { answered: boolean; startedAt: string; endedAt: string; caller: MaskedNumber };
  /** A stored call was inspected (质检): at hangup, on import, or when its transcript came. */
  'call.inspected': CallRef & { score: number | null; fatal: boolean; failedRules: string[] };
  'ticket.opened': TicketRef & { type: string; priority: string; assignee: string | null };
  /** Any change of a ticket; `events` names the ticket's own history events of the change. */
  'ticket.changed': TicketRef & { action: string; assignee: string | null; events: string[] };
  'ticket.breached': TicketRef & { deadline: string; dueAt: string };
  'ticket.escalated': TicketRef & { from: string; to: string; reason: string };
  /** One notification row (a user's, or a role's when nobody has the role). */
  'notification.created': {
    notificationId: string;
    userId: string | null;
    role: string | null;
    ticketId: string | null;
    /** The brand of the ticket or call it is about: a brand-limited reader gets only its brand's. */
    brand?: string;
    reason: string | null;
    /** The notification text, numbers masked. */
    message: string;
    at: string;
  };
  /** An agent appealed (申诉) a finding of their reviewed call (aggregate: the call). */
  'appeal.filed': AppealRef & { at: string };
  /** The final judgement (终审) of an appeal (aggregate: the call). */
  'appeal.judged': AppealRef & { outcome: 'upheld' | 'overturned'; at: string };
  'playbook.changed': { brand: string; version: number; by: string | null };
  /** A scorecard version published (src/scorecards): every process puts it in force. */
  'scorecard.changed': { scorecard: string; version: number; by: string | null };
  'blacklist.changed': {
    entryId: string;
    action: 'added' | 'removed';
    phone: MaskedNumber;
    callId: string | null;
    expiresAt: string | null;
  };
}

export interface AppealRef {
  appealId: string;
  reviewId: string;
  callId: string;
  brand: string;
  /** The scorecard rule of the appealed finding. */
  rule: string;
}

export interface TicketRef {
  ticketId: string;
  brand: string;
  status: string;
  level: string;
  version: number;
}

export type EventType = keyof EventMap;

export const EVENT_TYPES = [
  'call.ringing',
  'call.answered',
  'call.held',
  'call.resumed',
  'call.transferred',
  'call.transfer-failed',
  'call.ended',
  'call.inspected',
  'ticket.opened',
  'ticket.changed',
  'ticket.breached',
  'ticket.escalated',
  'notification.created',
  'appeal.filed',
  'appeal.judged',
  'playbook.changed',
  'scorecard.changed',
  'blacklist.changed',
] as const satisfies readonly EventType[];

/** What the event is about; events of one aggregate are delivered in the order they were written. */
export interface Aggregate {
  type: 'call' | 'ticket' | 'playbook' | 'scorecard' | 'blacklist';
  id: string;
}

/** An event as a service records it (the outbox gives it an id and a position). */
export type NewEvent = {
  [T in EventType]: { type: T; aggregate: Aggregate; occurredAt: string; payload: EventMap[T] };
}[EventType];

/** An event as delivered. */
export type EventEnvelope<T extends EventType = EventType> = {
  [K in T]: {
    /** Unique; consumers use it to see each event once. */
    id: string;
    type: K;
    aggregate: Aggregate;
    /** Global order of writing (the outbox row): later events of an aggregate have larger positions. */
    position: number;
    occurredAt: string;
    payload: EventMap[K];
  };
}[T];

/** Builds one event, checked against the map. */
export function event<T extends EventType>(
  type: T,
  aggregate: Aggregate,
  occurredAt: string,
  payload: EventMap[T],
): NewEvent {
  return { type, aggregate, occurredAt, payload } as NewEvent;
}
