// The two typed errors of the ticket core. A definition error means configuration is wrong
// (fix the brand's settings); a rule error means a request is not allowed right now (tell the
// user what is). The service maps them to HTTP 500-ish and 409/422 respectively.

/** One problem in a calendar or deadline policy definition, with the field it is about. */
export interface DefinitionProblem {
  /** Field path such as `open` or `deadlines.complaint.reply.hours.urgent`. */
  path: string;
  message: string;
}

/** Thrown when a calendar or deadline policy is built from an invalid definition; lists every problem. */
export class TicketDefinitionError extends Error {
  readonly what: 'calendar' | 'deadline policy';
  readonly problems: readonly DefinitionProblem[];

  constructor(what: 'calendar' | 'deadline policy', problems: readonly DefinitionProblem[]) {
    super(
      `invalid ${what}: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`,
    );
    this.name = 'TicketDefinitionError';
    this.what = what;
    this.problems = problems;
  }
}

/** The closed set of reasons an operation on a ticket is refused. */
export const TICKET_RULE_CODES = [
  /** The ticket's status has no such transition (the message lists the actions it has). */
  'transition-not-allowed',
  /** A complaint needs a recorded reply to the customer first (件件有回音). */
  'reply-required',
  /** A complaint needs a follow-up visit after its latest resolution before it can be closed. */
  'follow-up-required',
  /** A suggestion is resolved with its outcome (adopted / not adopted). */
  'outcome-required',
  /** The operation exists but not in this status (a reply on a closed ticket). */
  'not-allowed-in-status',
  /** Manual escalation of a ticket already at the complaint desk. */
  'escalation-at-top',
  /** A value is out of range, blank, or a time lies before the ticket's own history. */
  'invalid-input',
  /** The user may not own (be assigned, accept) a ticket at its level: below it, QA, admin. */
  'not-eligible',
  /** The user is the agent the complaint is about: they never own it. */
  'subject-of-complaint',
  /** The user's account is limited to another brand than the ticket's: they never own it. */
  'other-brand',
] as const;
export type TicketRuleCode = (typeof TICKET_RULE_CODES)[number];

/** Thrown when an operation breaks a ticket rule; the message says what is allowed instead. */
export class TicketRuleError extends Error {
  readonly code: TicketRuleCode;
  /** What would have been allowed (action names for a refused transition), for the UI. */
  readonly allowed: readonly string[];

  /**
   * For `not-eligible`: the ticket's level and the refused user's role (null: no active user),
   * so the refusal can be said as the screens say it (who may act, what to do).
   */
  readonly owner: { level: string; role: string | null } | undefined;

  /** For `other-brand`: the refused user, the brand their account is limited to and the ticket's. */
  readonly brands: { userId: string; user: string; ticket: string } | undefined;

  /**
   * For a suggestion's `reply-required` on resolve: the ticket whose resolution may carry the
   * reply (`body.reply`), so the refusal can say what to send and where.
   */
  readonly replyWith: { ticketId: string } | undefined;

  constructor(
    code: TicketRuleCode,
    message: string,
    allowed: readonly string[] = [],
    owner?: { level: string; role: string | null },
    brands?: { userId: string; user: string; ticket: string },
    replyWith?: { ticketId: string },
  ) {
    super(message);
    this.name = 'TicketRuleError';
    this.code = code;
    this.allowed = allowed;
    this.owner = owner;
    this.brands = brands;
    this.replyWith = replyWith;
  }
}
