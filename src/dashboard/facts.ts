// The facts the dashboards count, read off one stored call or one ticket. Pure: no store, no
// clock. README.md defines each metric from these facts.
import type { CallEvent, Turn } from '../calls/model.ts';
import { isScored } from '../qa/result.ts';

/** What the dashboards need of a stored call (a StoredCall has it all). */
export interface CallInput {
  id: string;
  brand: string;
  direction: 'inbound' | 'outbound';
  channel: string;
  agent: { id: string | null };
  customerPhone: string | null;
  startedAt: string;
  endedAt: string | null;
  answered: boolean | null;
  events: readonly CallEvent[];
  turns: readonly Turn[];
  qa: {
    score: number;
    fatal: boolean;
    failedRules: readonly string[];
    /** The inspection's rules (a stored call has them): every one n/a means no score. */
    result?: { rules: readonly { outcome: 'pass' | 'fail' | 'n/a' }[] };
  } | null;
}

export interface CallFacts {
  callId: string;
  brand: string;
  /** Local date of the start in the brand's time zone. */
  day: string;
  startedAt: string;
  team: string;
  agent: string;
  /** The caller's number; null for an outbound call, a masked number or a short abandon. */
  phone: string | null;
  /**
   * An inbound phone call: counted for service level and abandonment (callbacks are outbound).
   * Not one the caller hung up on unanswered within the brand's answer limit (the seeds' 3 rings:
   * 000 A.一, 004 ¶3): the hotline had not failed them yet (a short abandon, `shortAbandon`).
   */
  offered: boolean;
  /** Unanswered inbound phone call hung up within the answer limit: in no call figure. */
  shortAbandon: boolean;
  answered: boolean;
  /** ms from the ring to the answer; null when not answered. */
  waitMs: number | null;
  /** ms from the answer to the hang-up (talk and hold); null when not answered or not a phone call. */
  handleMs: number | null;
  /** Hold time, hold count and long holds: 0 unless a phone call. */
  holdMs: number;
  holds: number;
  /** Holds as long as the brand's limit or longer (QA's rule: exactly the limit is over it). */
  holdsOver: number;
  /** The same number called the same brand within the 24 hours before this call. */
  repeat: boolean;
  /** Null when not inspected, or inspected with no rule that applied (no score: not a 100). */
  qaScore: number | null;
  /** Inspected, and every rule n/a (unanswered, no agent speech): counted apart, never averaged. */
  qaUnscored: boolean;
  qaFatal: boolean;
  failedRules: readonly string[];
}

export interface CallContext {
  day: string;
  team: string;
  holdLimitMs: number;
  /** The brand's answer limit (ringsToAnswer × ringPeriodSeconds): a shorter abandon is not counted. */
  answerLimitMs: number;
  repeat: boolean;
}

/**
 * Only the caller giving up makes a short abandon: an agent's 拒接 or a switch failure
 * (busy, failed, rejected, dropped) is the hotline failing the caller, so it stays offered —
 * otherwise an agent could hide calls by rejecting them early.
 */
function callerGaveUp(hangup: CallEvent): boolean {
  if (hangup.by !== undefined)
    return hangup.by === 'customer' && !FAILURE_CAUSES.has(hangup.cause ?? 'normal');
  return hangup.cause === undefined || hangup.cause === 'normal' || hangup.cause === 'no-answer';
}
const FAILURE_CAUSES: ReadonlySet<string> = new Set(['rejected', 'busy', 'failed']);

/** The call's facts; `ctx` brings what the call itself does not say. */
export function callFacts(call: CallInput, ctx: CallContext): CallFacts {
  const ring = call.events.find((e) => e.type === 'ring')?.at ?? 0;
  const answerEvent = call.events.find((e) => e.type === 'answer');
  const answered = call.answered ?? (answerEvent !== undefined || call.turns.length > 0);
  // Words without an answer event: the first word is the answer.
  const answerAt = answered ? (answerEvent?.at ?? call.turns[0]?.start ?? ring) : null;
  let end = 0;
  for (const e of call.events) end = Math.max(end, e.at);
  for (const t of call.turns) end = Math.max(end, t.end ?? t.start ?? 0);
  const hangup = call.events.find((e) => e.type === 'hangup')?.at ?? end;
  let holdMs = 0;
  let holds = 0;
  let holdsOver = 0;
  let since: number | null = null;
  const closeHold = (at: number) => {
    if (since === null) return;
    const d = Math.max(0, at - since);
    holdMs += d;
    holds += 1;
    if (d >= ctx.holdLimitMs) holdsOver += 1;
    since = null;
  };
  for (const e of call.events) {
    if (e.type === 'hold' && since === null) since = e.at;
    else if (e.type === 'unhold' || e.type === 'hangup') closeHold(e.at);
  }
  closeHold(hangup);
  // A chat's hold/unhold events are no phone hold: the average hold divides by phone calls.
  if (call.channel !== 'phone') holdMs = holds = holdsOver = 0;
  const unscored = call.qa?.result !== undefined && !isScored(call.qa.result);
  const inbound = call.direction === 'inbound' && call.channel === 'phone';
  // Known only from a hang-up event (a call without times stays abandoned); a hang-up exactly
  // at the limit is within it, as an answer exactly at it is on time.
  const hangupEvent = call.events.find((e) => e.type === 'hangup');
  const shortAbandon =
    inbound &&
    !answered &&
    hangupEvent !== undefined &&
    callerGaveUp(hangupEvent) &&
    hangupEvent.at - ring <= ctx.answerLimitMs;
  return {
    callId: call.id,
    brand: call.brand,
    day: ctx.day,
    startedAt: call.startedAt,
    team: ctx.team,
    agent: call.agent.id ?? '',
    // A short abandon is in no call figure, the repeat-caller rate included: without a number it
    // neither counts as a caller nor makes the next call of the number a repeat.
    phone: shortAbandon ? null : call.customerPhone,
    offered: inbound && !shortAbandon,
    shortAbandon,
    answered,
    waitMs: answerAt === null ? null : Math.max(0, answerAt - ring),
    // A chat's or an email's span is mostly the customer's wait between messages, not work.
    handleMs: answerAt === null || call.channel !== 'phone' ? null : Math.max(0, hangup - answerAt),
    holdMs,
    holds,
    holdsOver,
    repeat: ctx.repeat && !shortAbandon,
    qaScore: call.qa && !unscored ? call.qa.score : null,
    qaUnscored: unscored,
    qaFatal: call.qa?.fatal ?? false,
    failedRules: call.qa?.failedRules ?? [],
  };
}

/** What the dashboards need of a ticket (a TicketView has it all). */
export interface TicketInput {
  id: string;
  brand: string;
  type: string;
  status: string;
  level: string;
  createdAt: string;
  overdue: boolean;
  deadlines: readonly { breachedAt: string | null }[];
  /** Every deadline kind breached, earlier rounds a reopening restarted included (the ticket view's). */
  breached?: readonly string[];
  replies: readonly { at: string }[];
  /** Follow-up visits; one that did not reach the customer has no satisfaction. */
  followUps: readonly { at: string; satisfaction: number | null }[];
  closedAt: string | null;
}

export interface TicketFacts {
  ticketId: string;
  brand: string;
  type: string;
  level: string;
  status: string;
  open: boolean;
  createdAt: string;
  createdDay: string;
  /** ms from opening to the first reply to the customer; null before it. */
  replyMs: number | null;
  /** ms from opening to closing; null while not closed. */
  closeMs: number | null;
  /** Any of its deadlines was breached, ever. */
  breached: boolean;
  overdue: boolean;
  /** The latest follow-up visit's score (1–5); null without one. */
  satisfaction: number | null;
}

export function ticketFacts(t: TicketInput, createdDay: string): TicketFacts {
  const created = Date.parse(t.createdAt);
  const firstReply = t.replies.reduce<number | null>((m, r) => {
    const at = Date.parse(r.at);
    return m === null || at < m ? at : m;
  }, null);
  // Satisfaction from the last visit that reached the customer.
  const last = [...t.followUps]
    .filter((f): f is { at: string; satisfaction: number } => f.satisfaction !== null)
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .at(-1);
  return {
    ticketId: t.id,
    brand: t.brand,
    type: t.type,
    level: t.level,
    status: t.status,
    open: t.status !== 'closed',
    createdAt: t.createdAt,
    createdDay,
    replyMs: firstReply === null ? null : Math.max(0, firstReply - created),
    closeMs: t.closedAt ? Math.max(0, Date.parse(t.closedAt) - created) : null,
    breached: (t.breached?.length ?? 0) > 0 || t.deadlines.some((d) => d.breachedAt !== null),
    overdue: t.overdue,
    satisfaction: last ? last.satisfaction : null,
  };
}

/** An appeal (申诉) as the dashboards count it: in the bucket of the appealed call. */
export interface AppealFacts {
  appealId: string;
  callId: string;
  brand: string;
  /** The appealed call's local day, team and agent (工号). */
  day: string;
  team: string;
  agent: string;
  rule: string;
  status: 'open' | 'upheld' | 'overturned';
}

/** a / b, or null when b is 0 (a rate of nothing is not 0 %). */
export const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
