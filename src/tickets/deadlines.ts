// Deadlines (时限): which ones a ticket gets, when each is due, how waiting for the customer
// stops their clocks, and which were missed (breaches). Pure: `now` is always a parameter.
//
// Counting: a rule counts in the brand's working hours unless it says `basis: 'calendar'`.
// The complaint reply is the exception: seed 000 promises the caller "2小时/24小时之内与您联系",
// and a caller hears clock hours, so it counts on the wall clock unless the brand setting
// `complaintReplyBasis` says `working`. A brand's holidays and make-up days (调休) come from
// `workingHours.holidays` / `workingHours.workdays`; the working-hours clock skips them.
import type { PlaybookFile } from '../playbook/schema.ts';
import { TICKET_TYPE_IDS, type TicketType } from '../playbook/vocabulary.ts';
import { WorkingCalendar } from './calendar.ts';
import { type DefinitionProblem, TicketDefinitionError } from './errors.ts';
import {
  DEADLINE_KINDS,
  type Deadline,
  type DeadlineBasis,
  type DeadlineKind,
  type Outcome,
  PRIORITIES,
  type Priority,
  revise,
  type Ticket,
  type TicketDetails,
  type TicketEvent,
} from './types.ts';

const HOUR_MS = 3_600_000;

export interface DeadlineRule {
  /** Hours allowed, per priority when they differ; fractions allowed (0.25 = 15 minutes). */
  hours: number | Readonly<Record<Priority, number>>;
  /** Default `working`. */
  basis?: DeadlineBasis;
}

/** Per ticket type, per deadline kind; a kind that is absent is a deadline the type does not have. */
export type DeadlineRules = {
  readonly [T in TicketType]?: { readonly [K in DeadlineKind]?: DeadlineRule };
};

export interface DeadlinePolicyDefinition {
  calendar: WorkingCalendar;
  rules: DeadlineRules;
  /** A follow-up visit scoring this or less reopens a complaint at the complaint desk. Default 2. */
  dissatisfiedAtOrBelow?: number;
  /** An overdue ticket is reminded about (and escalated) once per this interval. Default 1 h. */
  reminderIntervalMs?: number;
}

export const DEFAULT_DISSATISFIED_AT_OR_BELOW = 2;
export const DEFAULT_REMINDER_MINUTES = 60;
export const DEFAULT_FOLLOW_UP_HOURS = 48;

/** What `deadlinesFor` needs of a ticket being opened. */
export type DeadlineSubject = TicketDetails & { priority: Priority; createdAt: Date };

/**
 * A brand's deadline rules with its calendar. Two deadlines do not come from the rules:
 * a repair is resolved by the end of its agreed visit window, and a callback with a promised
 * time by that time (without one, the `callback.resolution` rule applies).
 */
export class DeadlinePolicy {
  readonly calendar: WorkingCalendar;
  readonly rules: DeadlineRules;
  readonly dissatisfiedAtOrBelow: number;
  readonly reminderIntervalMs: number;

  /** @throws TicketDefinitionError listing every problem of the rules. */
  constructor(definition: DeadlinePolicyDefinition) {
    const problems = ruleProblems(definition.rules);
    const threshold = definition.dissatisfiedAtOrBelow ?? DEFAULT_DISSATISFIED_AT_OR_BELOW;
    if (!Number.isInteger(threshold) || threshold < 0 || threshold > 4)
      problems.push({
        path: 'dissatisfiedAtOrBelow',
        message: `expected a whole number from 0 (never reopen) to 4, got ${String(threshold)}`,
      });
    const interval = definition.reminderIntervalMs ?? DEFAULT_REMINDER_MINUTES * 60_000;
    if (!Number.isFinite(interval) || interval < 60_000)
      problems.push({
        path: 'reminderIntervalMs',
        message: `expected at least one minute between reminders, got ${String(interval)} ms`,
      });
    if (problems.length > 0) throw new TicketDefinitionError('deadline policy', problems);
    this.calendar = definition.calendar;
    this.rules = definition.rules;
    this.dissatisfiedAtOrBelow = threshold;
    this.reminderIntervalMs = interval;
  }

  /**
   * The deadlines of a ticket opened now, in DEADLINE_KINDS order, all starting at `createdAt`.
   * The follow-up deadline is not among them: it starts when the ticket is resolved (`followUpDeadline`).
   */
  deadlinesFor(subject: DeadlineSubject): Deadline[] {
    const out: Deadline[] = [];
    for (const kind of DEADLINE_KINDS) {
      if (kind === 'follow-up') continue;
      const fixed =
        kind !== 'resolution'
          ? null
          : subject.type === 'repair'
            ? subject.visitWindow.to
            : subject.type === 'callback'
              ? subject.dueAt
              : null;
      const rule = this.rules[subject.type]?.[kind];
      if (fixed)
        out.push(
          this.start(kind, 'calendar', fixed.getTime() - subject.createdAt.getTime(), subject.createdAt),
        );
      else if (rule) {
        const hours = typeof rule.hours === 'number' ? rule.hours : rule.hours[subject.priority];
        out.push(this.start(kind, rule.basis ?? 'working', hours * HOUR_MS, subject.createdAt));
      }
    }
    return out;
  }

  /** The follow-up visit's deadline of a ticket of this type resolved at `at`, or null when it has none. */
  followUpDeadline(ticket: Pick<Ticket, 'type' | 'priority'>, at: Date): Deadline | null {
    const rule = this.rules[ticket.type]?.['follow-up'];
    if (!rule) return null;
    const hours = typeof rule.hours === 'number' ? rule.hours : rule.hours[ticket.priority];
    return this.start('follow-up', rule.basis ?? 'working', hours * HOUR_MS, at);
  }

  /**
   * The deadline a reopened complaint gets when it has no resolution deadline yet: the customer
   * is owed an answer again, within the reply allowance (2 h / 24 h, seed 000), met by resolving.
   * Without it a reopened complaint (a dissatisfied follow-up visit included) ran no clock at
   * all: its reply was met in the first round, so nothing could breach, remind or escalate.
   * A resolution deadline, not a second reply: the first round's reply and its breach stay on
   * record. Null for other types, and for a complaint whose brand has no reply rule.
   */
  reopenDeadline(ticket: Pick<Ticket, 'type' | 'priority' | 'deadlines'>, at: Date): Deadline | null {
    if (ticket.type !== 'complaint' || ticket.deadlines.some((d) => d.kind === 'resolution')) return null;
    const rule = this.rules.complaint?.reply;
    if (!rule) return null;
    const hours = typeof rule.hours === 'number' ? rule.hours : rule.hours[ticket.priority];
    return this.start('resolution', rule.basis ?? 'working', hours * HOUR_MS, at);
  }

  /** A deadline of `budgetMs` starting afresh at `startsAt`. */
  start(kind: DeadlineKind, basis: DeadlineBasis, budgetMs: number, startsAt: Date): Deadline {
    const dueAt = this.dueOf({ basis, startsAt, budgetMs, pausedMs: 0 });
    return { kind, basis, budgetMs, startsAt, pausedMs: 0, metAt: null, breachedAt: null, dueAt };
  }

  /** Due = start + budget + time paused, counted in the deadline's basis. */
  dueOf(d: Pick<Deadline, 'basis' | 'startsAt' | 'budgetMs' | 'pausedMs'>): Date {
    return d.basis === 'working'
      ? this.calendar.addWorkingTime(d.startsAt, d.budgetMs + d.pausedMs)
      : new Date(d.startsAt.getTime() + d.budgetMs + d.pausedMs);
  }

  /**
   * The deadline with the wait from `pausedAt` to `until` added to its clock. Only a deadline
   * still running when the wait began moves: one already met, breached or overdue stays put.
   */
  afterPause(d: Deadline, pausedAt: Date, until: Date): Deadline {
    if (d.metAt || d.breachedAt || d.dueAt <= pausedAt) return d;
    const waited =
      d.basis === 'working'
        ? this.calendar.workingTimeBetween(pausedAt, until)
        : until.getTime() - pausedAt.getTime();
    const moved = { ...d, pausedMs: d.pausedMs + waited };
    return { ...moved, dueAt: this.dueOf(moved) };
  }
}

function ruleProblems(rules: DeadlineRules): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const hoursProblem = (path: string, h: unknown) => {
    if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0)
      problems.push({ path, message: `expected a number of hours > 0, got ${String(h)}` });
  };
  for (const [type, kinds] of Object.entries(rules)) {
    if (!(TICKET_TYPE_IDS as string[]).includes(type)) {
      problems.push({
        path: type,
        message: `unknown ticket type; expected one of ${TICKET_TYPE_IDS.join(', ')}`,
      });
      continue;
    }
    for (const [kind, rule] of Object.entries(kinds ?? {}) as [string, DeadlineRule | undefined][]) {
      const path = `${type}.${kind}`;
      if (!(DEADLINE_KINDS as readonly string[]).includes(kind)) {
        problems.push({ path, message: `unknown deadline; expected one of ${DEADLINE_KINDS.join(', ')}` });
        continue;
      }
      if (type === 'repair' && kind === 'resolution') {
        problems.push({
          path,
          message: 'a repair is resolved by the end of its agreed visit window; remove this rule',
        });
        continue;
      }
      if (!rule) continue;
      if (typeof rule.hours === 'object' && rule.hours !== null) {
        const extra = Object.keys(rule.hours).filter((k) => !(PRIORITIES as readonly string[]).includes(k));
        if (extra.length > 0)
          problems.push({
            path: `${path}.hours`,
            message: `unknown priority ${extra.join(', ')}; expected urgent and standard`,
          });
        for (const p of PRIORITIES) hoursProblem(`${path}.hours.${p}`, rule.hours[p]);
      } else hoursProblem(`${path}.hours`, rule.hours);
      if (rule.basis !== undefined && rule.basis !== 'working' && rule.basis !== 'calendar')
        problems.push({
          path: `${path}.basis`,
          message: `expected "working" or "calendar", got "${String(rule.basis)}"`,
        });
    }
  }
  return problems;
}

const FIRST_RESPONSE: DeadlineRule = { hours: { urgent: 0.5, standard: 2 } };

/**
 * House defaults where the seeds give no time (they say 第一时间, 尽快, 稍后), all in working
 * hours. The complaint reply comes from the brand setting `complaintReplyHours`.
 */
export const DEFAULT_DEADLINE_RULES = {
  complaint: { 'first-response': FIRST_RESPONSE },
  repair: { 'first-response': FIRST_RESPONSE },
  // 004: 待我向技术部咨询后再给您打电话
  technical: { 'first-response': FIRST_RESPONSE, reply: { hours: { urgent: 4, standard: 24 } } },
  // 000: 稍后我给您回拨 — used when no time was promised
  callback: { resolution: { hours: { urgent: 0.25, standard: 2 } } },
  suggestion: { 'first-response': FIRST_RESPONSE },
  // 002 一.(五): 我会让他在第一时间与您联系
  message: { resolution: { hours: { urgent: 0.5, standard: 2 } } },
} as const satisfies DeadlineRules;

export interface PolicyOptions {
  /** Replace the settings' `workingHours.holidays` / `workdays` when given. */
  holidays?: readonly string[];
  workdays?: readonly string[];
  /** Per type and kind, replacing the default rule of that kind. */
  rules?: DeadlineRules;
}

/** The settings a deadline policy reads; the optional ones have house defaults. */
export type PolicySettings = Pick<PlaybookFile['settings'], 'complaintReplyHours' | 'workingHours'> &
  Partial<Pick<PlaybookFile['settings'], 'complaintReplyBasis' | 'followUp' | 'overdueReminderMinutes'>>;

/**
 * The policy of a brand from its playbook settings, the defaults and `options`. The complaint
 * reply counts clock hours unless `complaintReplyBasis` is `working`; a complaint's follow-up
 * visit is due `followUp.hours` (default 48) working hours after its resolution.
 */
export function deadlinePolicyFromSettings(
  settings: PolicySettings,
  options: PolicyOptions = {},
): DeadlinePolicy {
  const calendar = new WorkingCalendar({
    ...settings.workingHours,
    holidays: options.holidays ?? settings.workingHours.holidays,
    workdays: options.workdays ?? settings.workingHours.workdays,
  });
  const followUp = settings.followUp;
  const layers: DeadlineRules[] = [
    DEFAULT_DEADLINE_RULES,
    {
      complaint: {
        reply: { hours: settings.complaintReplyHours, basis: settings.complaintReplyBasis ?? 'calendar' },
        'follow-up': {
          hours: followUp?.hours ?? DEFAULT_FOLLOW_UP_HOURS,
          ...(followUp?.basis ? { basis: followUp.basis } : {}),
        },
      },
    },
    options.rules ?? {},
  ];
  const rules: Record<string, Record<string, DeadlineRule>> = {};
  for (const layer of layers)
    for (const [type, kinds] of Object.entries(layer)) rules[type] = { ...rules[type], ...kinds };
  return new DeadlinePolicy({
    calendar,
    rules,
    ...(followUp?.dissatisfiedAtOrBelow !== undefined
      ? { dissatisfiedAtOrBelow: followUp.dissatisfiedAtOrBelow }
      : {}),
    ...(settings.overdueReminderMinutes !== undefined
      ? { reminderIntervalMs: settings.overdueReminderMinutes * 60_000 }
      : {}),
  });
}

// ---- deadlines of a ticket ----

/** The ticket's deadline clocks after a wait for the customer that ends at `at`. */
export function resumeClocks(
  ticket: Ticket,
  at: Date,
  policy: DeadlinePolicy,
): Pick<Ticket, 'deadlines' | 'pausedAt' | 'pausedMs'> {
  const { pausedAt } = ticket;
  if (!pausedAt) return ticket;
  return {
    deadlines: ticket.deadlines.map((d) => policy.afterPause(d, pausedAt, at)),
    pausedAt: null,
    pausedMs: ticket.pausedMs + (at.getTime() - pausedAt.getTime()),
  };
}

/**
 * Marks the deadline of `kind` met at `at` (if the ticket has it and it is still open). Met
 * during a wait for the customer, its clock stopped when the wait began, so its due time
 * first moves by the wait so far.
 */
export function meet(
  ticket: Ticket,
  kind: DeadlineKind,
  at: Date,
  policy: DeadlinePolicy,
): { deadlines: Deadline[]; events: TicketEvent[] } {
  const events: TicketEvent[] = [];
  const deadlines = ticket.deadlines.map((d) => {
    if (d.kind !== kind || d.metAt) return d;
    const running = ticket.pausedAt ? policy.afterPause(d, ticket.pausedAt, at) : d;
    events.push({ type: 'deadline-met', deadline: kind, at, dueAt: running.dueAt, late: at > running.dueAt });
    return { ...running, metAt: at };
  });
  return { deadlines, events };
}

/** Every deadline kind the ticket breached, in this round or one a reopening restarted, in DEADLINE_KINDS order. */
export function breachedKinds(t: Pick<Ticket, 'deadlines' | 'earlierBreaches'>): DeadlineKind[] {
  const kinds = new Set<DeadlineKind>(t.earlierBreaches ?? []);
  for (const d of t.deadlines) if (d.breachedAt) kinds.add(d.kind);
  return DEADLINE_KINDS.filter((k) => kinds.has(k));
}

/**
 * Records the breach of every deadline that passed unmet (or was met late), each once: a
 * deadline's `breachedAt` is set the first time and it is never reported again. A deadline
 * cannot pass while the ticket waits for the customer, nor after the ticket is closed.
 * Breaches come oldest first. Returns the same ticket (same version) when there is none.
 */
export function checkBreaches(ticket: Ticket, now: Date): Outcome {
  const events: TicketEvent[] = [];
  const deadlines = ticket.deadlines.map((d) => {
    if (d.breachedAt || d.dueAt >= now) return d;
    const stoppedAt = d.metAt ?? ticket.closedAt ?? ticket.pausedAt ?? now;
    if (stoppedAt <= d.dueAt) return d;
    events.push({ type: 'breached', deadline: d.kind, at: d.dueAt, detectedAt: now });
    return { ...d, breachedAt: d.dueAt };
  });
  if (events.length === 0) return { ticket, events, notifications: [] };
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { ticket: revise(ticket, now, { deadlines }), events, notifications: [] };
}

/**
 * - `open`: running, due in the future; `paused`: stopped while waiting for the customer;
 * - `overdue`: unmet and past due (breached, whether or not the breach is recorded yet);
 * - `met` / `met-late`; `void`: the ticket was closed before it was due and it was never met.
 */
export type DeadlineState = 'open' | 'paused' | 'overdue' | 'met' | 'met-late' | 'void';

export interface DeadlineView extends Deadline {
  state: DeadlineState;
  /** Wall-clock ms until due (negative: overdue by), frozen while paused; null once met or void. */
  remainingMs: number | null;
}

/** Every deadline of the ticket with its state at `now`. */
export function deadlineViews(ticket: Ticket, now: Date): DeadlineView[] {
  return ticket.deadlines.map((d) => {
    const due = d.dueAt.getTime();
    if (d.metAt) return viewOf(d, d.metAt > d.dueAt ? 'met-late' : 'met', null);
    if (ticket.closedAt)
      return ticket.closedAt > d.dueAt
        ? viewOf(d, 'overdue', due - ticket.closedAt.getTime())
        : viewOf(d, 'void', null);
    if (ticket.pausedAt && ticket.pausedAt < d.dueAt)
      return viewOf(d, 'paused', due - ticket.pausedAt.getTime());
    return viewOf(d, now > d.dueAt ? 'overdue' : 'open', due - now.getTime());
  });
}

/** `{ ...d, state, remainingMs }`, written out: V8 builds that spread slowly, and lists make many. */
function viewOf(d: Deadline, state: DeadlineState, remainingMs: number | null): DeadlineView {
  return {
    kind: d.kind,
    basis: d.basis,
    budgetMs: d.budgetMs,
    startsAt: d.startsAt,
    pausedMs: d.pausedMs,
    metAt: d.metAt,
    breachedAt: d.breachedAt,
    dueAt: d.dueAt,
    state,
    remainingMs,
  };
}

/** The unmet deadline due first (overdue ones included), or null when nothing is pending. */
export function nextDeadline(ticket: Ticket, now: Date): DeadlineView | null {
  return nextOf(ticket, deadlineViews(ticket, now));
}

/** `nextDeadline` from the views `deadlineViews` gave at the same instant (not counted twice). */
export function nextOf<V extends DeadlineView>(ticket: Ticket, views: readonly V[]): V | null {
  let next: V | null = null;
  for (const v of views)
    if ((v.state === 'open' || v.state === 'paused' || v.state === 'overdue') && !ticket.closedAt)
      if (!next || v.dueAt < next.dueAt) next = v;
  return next;
}
