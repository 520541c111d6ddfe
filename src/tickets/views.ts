// What the ticket service returns, defined once: a zod schema per view (the API documents and
// serializes with it) and its TypeScript type derived from it. JSON-ready: dates as ISO-8601
// UTC text. Also how a stored ticket becomes its view, and the summary the audit log compares.
import { z } from 'zod';
import { TICKET_TYPE_IDS } from '../playbook/vocabulary.ts';
import { breachedKinds, type DeadlineView, deadlineViews, nextOf } from './deadlines.ts';
import type { StoredTicket } from './repository.ts';
import {
  CALLBACK_REASONS,
  COMPLAINT_SUBTYPES,
  DEADLINE_KINDS,
  ESCALATION_CHAIN,
  PRIORITIES,
  REPLY_CHANNELS,
  SUGGESTION_OUTCOMES,
  TICKET_STATUSES,
  type Ticket,
} from './types.ts';
import { availableActions, followUpAttempts, TRANSITIONS } from './workflow.ts';

/** A zod enum of a readonly list of literals. */
export const enumOf = <T extends string>(values: readonly T[]) => z.enum(values as [T, ...T[]]);

/** Every life-cycle action (the buttons a ticket may show). */
export const TICKET_ACTIONS = [...new Set(TRANSITIONS.map((t) => t.action))];

// The ticket's value lists, named: each is a component of the OpenAPI document, whose values the
// web UI gets generated (web/src/api/enums.gen.ts) rather than copied.
export const ticketTypeSchema = enumOf(TICKET_TYPE_IDS).meta({ id: 'TicketType' });
export const ticketStatusSchema = enumOf(TICKET_STATUSES).meta({ id: 'TicketStatus' });
export const ticketPrioritySchema = enumOf(PRIORITIES).meta({ id: 'TicketPriority' });
export const ticketLevelSchema = enumOf(ESCALATION_CHAIN).meta({
  id: 'TicketLevel',
  description: 'where the ticket stands on the escalation chain',
});
export const ticketActionSchema = enumOf(TICKET_ACTIONS).meta({ id: 'TicketAction' });
export const complaintSubtypeSchema = enumOf(COMPLAINT_SUBTYPES).meta({ id: 'ComplaintSubtype' });
export const callbackReasonSchema = enumOf(CALLBACK_REASONS).meta({ id: 'CallbackReason' });
export const replyChannelSchema = enumOf(REPLY_CHANNELS).meta({ id: 'ReplyChannel' });
export const suggestionOutcomeSchema = enumOf(SUGGESTION_OUTCOMES).meta({ id: 'SuggestionOutcome' });
export const deadlineKindSchema = enumOf(DEADLINE_KINDS).meta({ id: 'DeadlineKind' });

export const deadlineViewSchema = z
  .object({
    kind: deadlineKindSchema,
    basis: z.enum(['working', 'calendar']),
    budgetMs: z.number(),
    startsAt: z.string(),
    pausedMs: z.number(),
    dueAt: z.string(),
    metAt: z.string().nullable(),
    breachedAt: z.string().nullable(),
    state: z.enum(['open', 'paused', 'overdue', 'met', 'met-late', 'void']),
    remainingMs: z.number().nullable().describe('ms until due, negative when overdue; frozen while paused'),
  })
  .meta({ id: 'TicketDeadline' });
export type DeadlineJson = z.infer<typeof deadlineViewSchema>;

export const ticketDetailsViewSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('complaint'),
    subtype: complaintSubtypeSchema,
    aboutAgentNumber: z.string().nullable().describe('the 工号 the complaint is about; they never own it'),
    aboutUserId: z.string().nullable(),
  }),
  z.object({
    type: z.literal('repair'),
    booking: z.enum(['repair', 'installation']),
    visitWindow: z.object({ from: z.string(), to: z.string() }),
  }),
  z.object({ type: z.literal('technical'), technician: z.string().nullable() }),
  z.object({ type: z.literal('callback'), reason: callbackReasonSchema, dueAt: z.string().nullable() }),
  z.object({
    type: z.literal('suggestion'),
    department: z.string(),
    outcome: suggestionOutcomeSchema.nullable(),
  }),
  z.object({ type: z.literal('message'), colleague: z.string() }),
  z.object({ type: z.literal('wrong-number') }),
  z.object({ type: z.literal('harassment') }),
]);
export type TicketDetailsView = z.infer<typeof ticketDetailsViewSchema>;

export const ticketViewSchema = z
  .object({
    id: z.string(),
    number: z
      .string()
      .nullable()
      .describe(
        'the short number read out to callers (ZH-20261129-0042); null on tickets opened before numbers',
      ),
    brand: z.string(),
    brandName: z.string().describe("the brand's name (中华保险)"),
    type: ticketTypeSchema,
    status: ticketStatusSchema,
    priority: ticketPrioritySchema,
    subject: z.string(),
    description: z.string(),
    customerPhone: z.string().nullable().describe('the customer: the number they called from'),
    contactPhone: z
      .string()
      .nullable()
      .describe('the number to call the customer back on (联系电话): the one they gave, else customerPhone'),
    callId: z.string().nullable(),
    createdBy: z
      .string()
      .nullable()
      .describe(
        "a user id, or 'system'; null to the agent a complaint is about (who recorded it is not theirs to know)",
      ),
    createdAt: z.string(),
    updatedAt: z.string(),
    assignee: z
      .string()
      .nullable()
      .describe('null when nobody has it, and to the agent a complaint is about'),
    assigneeName: z.string().nullable(),
    level: ticketLevelSchema,
    version: z.number().int().describe('send it back with every change'),
    details: ticketDetailsViewSchema,
    deadlines: z.array(deadlineViewSchema),
    nextDeadline: deadlineViewSchema.nullable(),
    overdue: z.boolean(),
    breached: z
      .array(deadlineKindSchema)
      .describe('every deadline kind breached, in this round or an earlier one a reopening restarted'),
    waitingSince: z.string().nullable(),
    replies: z.array(
      z.object({
        at: z.string(),
        by: z.string().nullable().describe('who replied; null to the agent a complaint is about'),
        text: z.string(),
        channel: replyChannelSchema,
      }),
    ),
    followUps: z.array(
      z.object({
        at: z.string(),
        by: z.string().nullable().describe('who visited; null to the agent a complaint is about'),
        reached: z.boolean().describe('false: an attempt that did not reach the customer'),
        satisfaction: z.number().int().nullable().describe('1–5; null when not reached'),
        comment: z.string(),
      }),
    ),
    followUpAttempts: z
      .number()
      .int()
      .describe('follow-up visits (reached or not) since the latest resolution'),
    resolvedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    availableActions: z.array(ticketActionSchema),
  })
  .meta({ id: 'Ticket' });
export type TicketView = z.infer<typeof ticketViewSchema>;

export const ticketEventViewSchema = z.object({
  id: z.string(),
  type: z.string(),
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
  names: z
    .record(z.string(), z.string())
    .describe(
      "the display names of the users the event names (who did it: `data.by`; an assignment's `data.from` and `data.to`), by user id; `data.by` 'system' is the system (so are breaches, reminders and their escalations, which carry no `by`). The agent a complaint is about gets no people: no names and no user ids in `data`",
    ),
});
export type TicketEventView = z.infer<typeof ticketEventViewSchema>;

export const notificationViewSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    ticketId: z.string().nullable(),
    reason: z.string().nullable(),
    message: z.string(),
    /** 'user': addressed to you; 'role': to everyone with your role. */
    to: z.enum(['user', 'role']),
    role: z.string().nullable(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Notification' });
export type NotificationView = z.infer<typeof notificationViewSchema>;

// ---- from the domain to the views ----

export const iso = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

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

/** The view of a stored ticket at `now`; `names` gives assignees' display names. */
export function ticketView(
  s: StoredTicket,
  now: Date,
  names: ReadonlyMap<string, string>,
  brandName: (brand: string) => string = (b) => b,
): TicketView {
  const t = s.ticket;
  const views = deadlineViews(t, now);
  const deadlines = views.map(deadlineJson);
  const next = nextOf(t, views);
  return {
    id: t.id,
    number: t.number,
    brand: t.brand,
    brandName: brandName(t.brand),
    type: t.type,
    status: t.status,
    priority: t.priority,
    subject: t.subject,
    description: t.description,
    customerPhone: t.customerPhone,
    contactPhone: t.contactPhone ?? t.customerPhone,
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
    breached: breachedKinds(t),
    waitingSince: isoOrNull(t.pausedAt),
    replies: t.replies.map((r) => ({ at: iso(r.at), by: r.by, text: r.text, channel: r.channel })),
    followUps: t.followUps.map((f) => ({
      at: iso(f.at),
      by: f.by,
      reached: f.reached,
      satisfaction: f.satisfaction,
      comment: f.comment,
    })),
    followUpAttempts: followUpAttempts(t),
    resolvedAt: isoOrNull(t.resolvedAt),
    closedAt: isoOrNull(t.closedAt),
    availableActions: availableActions(t),
  };
}

/**
 * The view the agent a complaint is about reads: what happened (status, level, deadlines, what
 * was replied, the visits) without the people (who recorded it, who works it, who replied or
 * visited: ids and names), as in its history; and no action, since they may change nothing on it.
 */
export function withoutPeople(v: TicketView): TicketView {
  return {
    ...v,
    createdBy: v.createdBy === 'system' ? v.createdBy : null,
    assignee: null,
    assigneeName: null,
    replies: v.replies.map((r) => ({ ...r, by: null })),
    followUps: v.followUps.map((f) => ({ ...f, by: null })),
    availableActions: [],
  };
}

/** What the audit log compares before and after a change. */
export function auditSummary(t: Ticket): Record<string, unknown> {
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
    breached: breachedKinds(t),
    ...(t.type === 'suggestion' ? { outcome: t.outcome } : {}),
    version: t.version,
  };
}
