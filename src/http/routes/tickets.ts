// Tickets (工单) over HTTP: open, list, read, the life-cycle actions, assignment, escalation,
// the callback queue, notifications and exports. Routes validate and convert; the behaviour
// is in TicketsService.
//
// Optimistic locking: every request that changes a ticket carries, in its JSON body, the
// `version` of the ticket the client last saw. If the ticket has changed since, the answer is
// 409 conflict with the current version, and nothing is written.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { UserRole } from '../../accounts/roles.ts';
import type { Services } from '../../app/application.ts';
import { phoneSchema } from '../../customers/schemas.ts';
import { fullNumbersQuery } from '../../exports/numbers.ts';
import { TICKET_TYPE_IDS } from '../../playbook/vocabulary.ts';
import { CHINA_TIME_ZONE, isTimeZone, nextDate, startOfLocalDay } from '../../shared/time-zone.ts';
import { decodeTicketCursor } from '../../tickets/cursor.ts';
import { TICKET_EXPORT_COLUMNS } from '../../tickets/export.ts';
import {
  MAX_SEARCH_LENGTH,
  MAX_SEARCH_TERMS,
  parseTicketSearch,
  type SearchTerm,
} from '../../tickets/search.ts';
import type { TicketActor, TicketQuery, TicketsService } from '../../tickets/service.ts';
import type { DeadlineKind } from '../../tickets/types.ts';
import {
  CALLBACK_REASONS,
  COMPLAINT_SUBTYPES,
  DEADLINE_KINDS,
  ESCALATION_CHAIN,
  PRIORITIES,
  REPLY_CHANNELS,
  SUGGESTION_OUTCOMES,
  TICKET_STATUSES,
} from '../../tickets/types.ts';
import {
  enumOf,
  notificationViewSchema,
  ticketEventViewSchema,
  ticketViewSchema,
} from '../../tickets/views.ts';
import { principalOf, SUPERVISORS } from '../access.ts';
import { exportRoutes } from '../export-routes.ts';
import { bilingual } from '../language.ts';
import {
  type Api,
  agentNumberSchema,
  DAY_OR_INSTANT_MESSAGE,
  errorResponses,
  instantSchema,
  isCalendarDay,
  isInstant,
  page,
  pageQuery,
} from '../schemas.ts';

/** Agents open and work tickets; supervisors too. */
const WORKERS: readonly UserRole[] = ['agent', ...SUPERVISORS];
/** QA inspectors read tickets as well. */
const READERS: readonly UserRole[] = [...WORKERS, 'qa-inspector'];
const EXPORTERS: readonly UserRole[] = [...SUPERVISORS, 'qa-inspector'];

// ---- request pieces ----

/** Customers' numbers in the canonical form the whole product uses (src/customers/phone.ts). */
const phone = phoneSchema;

const instant = instantSchema.transform((s) => new Date(s));

const id = z.string().min(1).max(100);
const idParams = z.object({ id });
const version = z.number().int().min(1).describe('the ticket version you last saw (optimistic locking)');
const versionOnly = z.strictObject({ version });

const common = {
  brand: z.string().trim().min(1).max(50),
  priority: enumOf(PRIORITIES).optional(),
  subject: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(5000).optional(),
  customerPhone: phone
    .optional()
    .describe('the customer: the number they called from (their card and history)'),
  contactPhone: phone
    .optional()
    .describe(
      '联系电话: the number to call the customer back on, when they give another; default customerPhone',
    ),
  callId: z.string().min(1).max(100).optional(),
  assignee: id.optional(),
};

const openBody = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('complaint'),
    ...common,
    subtype: enumOf(COMPLAINT_SUBTYPES),
    aboutAgentNumber: agentNumberSchema
      .optional()
      .describe(
        'the 工号 of the agent the complaint is about (2–8 digits, the product’s one 工号 rule, as accounts hold them; full-width digits read as the same; anything else is a 400 saying so); they never own it. Default: nobody (a complaint about a product or the service) — never the agent of callId',
      ),
    aboutUserId: id.optional().describe('the user the complaint is about, when known by id'),
  }),
  z.strictObject({
    type: z.literal('repair'),
    ...common,
    booking: z.enum(['repair', 'installation']).default('repair'),
    visitWindow: z.strictObject({ from: instant, to: instant }),
  }),
  z.strictObject({ type: z.literal('technical'), ...common, technician: id.optional() }),
  z.strictObject({
    type: z.literal('callback'),
    ...common,
    reason: enumOf(CALLBACK_REASONS),
    dueAt: instant.optional().describe('the time promised to the customer'),
  }),
  z.strictObject({ type: z.literal('suggestion'), ...common, department: z.string().trim().min(1).max(100) }),
  z.strictObject({
    type: z.literal('message'),
    ...common,
    colleague: id.describe('the user id of the colleague'),
  }),
  z.strictObject({ type: z.literal('wrong-number'), ...common }),
  z.strictObject({ type: z.literal('harassment'), ...common }),
]);

/** `a,b` or a single value → a list of enum values. */
function listOf<T extends string>(values: readonly T[]) {
  return z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(enumOf(values)).min(1));
}

/**
 * A bound of "created from/to": an ISO date-time with its zone, or a day (YYYY-MM-DD, a China
 * Standard Time day): `createdFrom=2026-11-01&createdTo=2026-11-30` is all of November, the
 * 30th included. A day must exist (no 2026-02-30) and a date-time must carry its zone.
 */
function dateBound(side: 'from' | 'to') {
  return z.string().transform((s, ctx): Date => {
    if (isCalendarDay(s)) return startOfLocalDay(side === 'from' ? s : nextDate(s), CHINA_TIME_ZONE);
    if (isInstant(s)) return new Date(s);
    ctx.addIssue({
      code: 'custom',
      message: `found "${s.slice(0, 40)}"; ${DAY_OR_INSTANT_MESSAGE.en}`,
      params: { zh: `收到 "${s.slice(0, 40)}"；${DAY_OR_INSTANT_MESSAGE.zh}` },
    });
    return z.NEVER;
  });
}

/** `breached`: 'any', or deadline kinds, comma-separated (a string in the OpenAPI document, like the lists). */
const breachedQuery = z.string().transform((s, ctx): readonly DeadlineKind[] | 'any' => {
  const v = s.trim();
  if (v === 'any') return 'any';
  const kinds = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const unknown = kinds.filter((k) => !(DEADLINE_KINDS as readonly string[]).includes(k));
  if (kinds.length > 0 && unknown.length === 0) return kinds as DeadlineKind[];
  const expected = DEADLINE_KINDS.join(', ');
  ctx.addIssue({
    code: 'custom',
    message: `found "${v.slice(0, 40)}"; expected 'any' or deadline kinds (${expected}), comma-separated`,
    params: { zh: `收到 "${v.slice(0, 40)}"；应为 any(任一时限)或时限种类(${expected}),多个用逗号分隔` },
  });
  return z.NEVER;
});

/** `q`: the search box's words (tickets/search.ts); an empty or overlong search is a 400 saying why. */
const searchQuery = z.string().transform((s, ctx): readonly SearchTerm[] => {
  const parsed = parseTicketSearch(s);
  if (parsed.ok) return parsed.terms;
  ctx.addIssue({ code: 'custom', message: parsed.en, params: { zh: parsed.zh } });
  return z.NEVER;
});

const filterQuery = {
  q: searchQuery
    .optional()
    .describe(
      `words to find (at most ${MAX_SEARCH_LENGTH} characters, ${MAX_SEARCH_TERMS} words, every one must match): in the subject, description, replies and follow-up comments, the customer’s number (part of it too: 8000, 138 0013), or the customer’s name (陈, 陈先生); Traditional finds Simplified and back, Latin letters in any case. Combines with the other filters`,
    ),
  status: listOf(TICKET_STATUSES).optional().describe('one status or several, comma-separated'),
  type: listOf(TICKET_TYPE_IDS).optional().describe('one type or several, comma-separated'),
  level: listOf(ESCALATION_CHAIN)
    .optional()
    .describe('where on the escalation chain: one level or several, comma-separated'),
  brand: z.string().max(50).optional(),
  assignee: id.optional().describe("a user id, 'me' or 'none'"),
  customerPhone: phone.optional(),
  callId: id.optional(),
  number: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .optional()
    .describe('the short ticket number a caller reads out (ZH-20261129-0042; zh-20261129-42 too)'),
  breached: breachedQuery
    .optional()
    .describe(
      "tickets that breached a deadline — passed it unmet or met it late (replied, resolved, closed late included): 'any', or one kind or several, comma-separated",
    ),
  overdue: z
    .enum(['true', 'false'])
    .transform((s) => s === 'true')
    .optional()
    .describe('true: a running deadline is past due now (overdue now); false: none is'),
  createdFrom: dateBound('from').optional().describe('inclusive'),
  createdTo: dateBound('to').optional().describe('exclusive; a day includes that whole day'),
};
const filterSchema = z.object(filterQuery);

const CURSOR_MESSAGE = bilingual({
  zh: '应为上一页返回的 next（且排序 sort 与上一页相同）；从第一页开始请去掉 after',
  en: 'expected the `next` of the previous page (listed with the same sort); leave `after` out for the first page',
});

/** The list's keyset cursor (tickets/cursor.ts): the `next` of the page before. */
const afterCursor = z
  .string()
  .max(1000)
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined;
    const cursor = decodeTicketCursor(s);
    if (!cursor) ctx.addIssue({ code: 'custom', message: CURSOR_MESSAGE });
    return cursor;
  })
  .describe(
    'the `next` of the previous page: this page starts after its last ticket (instead of `offset`, which gets slower the deeper the page)',
  );

function toQuery(q: z.output<typeof filterSchema> & { sort?: 'created' | 'deadline' }): TicketQuery {
  const out: TicketQuery = {};
  if (q.status) out.status = q.status;
  if (q.type) out.type = q.type;
  if (q.level) out.level = q.level;
  if (q.brand !== undefined) out.brand = q.brand;
  if (q.assignee !== undefined) out.assignee = q.assignee;
  if (q.customerPhone !== undefined) out.customerPhone = q.customerPhone;
  if (q.callId !== undefined) out.callId = q.callId;
  if (q.number !== undefined) out.number = q.number;
  if (q.q !== undefined) out.search = q.q;
  if (q.breached !== undefined) out.breached = q.breached;
  if (q.overdue !== undefined) out.overdue = q.overdue;
  if (q.createdFrom) out.createdFrom = q.createdFrom;
  if (q.createdTo) out.createdTo = q.createdTo;
  if (q.sort) out.sort = q.sort;
  return out;
}

export async function ticketRoutes(app: Api, services: Pick<Services, 'tickets' | 'exports'>): Promise<void> {
  const { tickets } = services;

  // The request's principal is the ticket actor (its userId, ip and role).
  const actorOf: (request: Pick<FastifyRequest, 'principal'>) => TicketActor = principalOf;
  // Notifications are addressed by user id and role, and limited to the user's brand.
  const userOf = (request: Pick<FastifyRequest, 'principal'>) => {
    const { userId, role, brand } = principalOf(request);
    return { id: userId, role, brand };
  };

  app.post(
    '/api/tickets',
    {
      config: { access: WORKERS },
      schema: {
        tags: ['tickets'],
        summary: 'Open a ticket (its deadlines start now, counted in the brand’s working hours)',
        body: openBody,
        response: { 201: ticketViewSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const view = await tickets.open(b, actorOf(request));
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/api/tickets',
    {
      config: { access: READERS },
      schema: {
        tags: ['tickets'],
        summary:
          'Tickets, newest first (sort=deadline: due first). Agents see their own, those they opened and unassigned ones, or all of a caller’s (customerPhone / callId)',
        querystring: z
          .object({
            ...filterQuery,
            sort: z.enum(['created', 'deadline']).default('created'),
            ...pageQuery,
            after: afterCursor,
          })
          .superRefine((q, ctx) => {
            if (q.after && q.after.sort !== q.sort)
              ctx.addIssue({ code: 'custom', path: ['after'], message: CURSOR_MESSAGE });
          }),
        response: {
          200: page(ticketViewSchema).extend({
            totalIsEstimate: z
              .boolean()
              .describe('true: `total` is an estimate (more than 10,000 tickets match), not a count'),
            next: z.string().nullable().describe('pass as `after` for the next page; null on the last page'),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { limit, offset, after, ...q } = request.query;
      return tickets.list(toQuery(q), { limit, offset, ...(after ? { after } : {}) }, actorOf(request));
    },
  );

  app.get(
    '/api/tickets/:id',
    {
      config: { access: READERS },
      schema: {
        tags: ['tickets'],
        summary: 'One ticket with every deadline, its state, and the next one due',
        params: idParams,
        response: { 200: ticketViewSchema, ...errorResponses },
      },
    },
    async (request) => tickets.get(request.params.id, actorOf(request)),
  );

  app.get(
    '/api/tickets/:id/events',
    {
      config: { access: READERS },
      schema: {
        tags: ['tickets'],
        summary: 'The ticket’s history, oldest first',
        params: idParams,
        response: { 200: z.object({ items: z.array(ticketEventViewSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await tickets.history(request.params.id, actorOf(request)) }),
  );

  app.get(
    '/api/complaint-promise',
    {
      config: { access: WORKERS },
      schema: {
        tags: ['tickets'],
        summary:
          'What to tell a complaining caller: the reply deadline a complaint of the brand opened now gets, per priority (the brand’s 2 h / 24 h, its basis, the due time)',
        querystring: z.object({ brand: common.brand }),
        response: {
          200: z.object({
            brand: z.string().describe("the brand's id"),
            at: z.string().describe('now, when the deadlines start'),
            options: z.array(
              z.object({
                priority: enumOf(PRIORITIES),
                hours: z.number().describe('the reply allowance in hours'),
                basis: z
                  .enum(['working', 'calendar'])
                  .describe('calendar: clock hours; working: the brand’s working hours'),
                dueAt: z.string().describe('the reply is due by then if the complaint is opened now'),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => tickets.complaintPromise(request.query.brand, actorOf(request)),
  );

  // ---- the life cycle: one route per action, each with the version the client saw ----

  const action = <B extends z.ZodType>(
    path: string,
    summary: string,
    body: B,
    access: readonly UserRole[],
    run: (id: string, body: z.output<B>, actor: TicketActor) => Promise<unknown>,
  ) =>
    app.post(
      `/api/tickets/:id/${path}`,
      {
        config: { access },
        schema: {
          tags: ['tickets'],
          summary,
          params: idParams,
          body,
          response: { 200: ticketViewSchema, ...errorResponses },
        },
      },
      // biome-ignore lint/suspicious/noExplicitAny: the body type is the schema's output, checked by zod
      async (request) => run(request.params.id, request.body as any, actorOf(request)) as never,
    );

  action('accept', '受理: new → accepted (and yours, if nobody has it)', versionOnly, WORKERS, (i, b, a) =>
    tickets.accept(i, b.version, a),
  );
  action(
    'start',
    'accepted → in-progress, or back from waiting for the customer',
    versionOnly,
    WORKERS,
    (i, b, a) => tickets.start(i, b.version, a),
  );
  action(
    'wait',
    'in-progress → waiting-for-customer: the deadline clocks stop',
    z.strictObject({ version, reason: z.string().trim().max(500).optional() }),
    WORKERS,
    (i, b, a) => tickets.waitForCustomer(i, b.version, b.reason, a),
  );
  action(
    'resolve',
    '→ resolved (a suggestion with its outcome, once the customer has a reply: recorded before, or `reply` here, recorded first in the same change)',
    z.strictObject({
      version,
      outcome: enumOf(SUGGESTION_OUTCOMES).optional(),
      reply: z
        .strictObject({
          text: z.string().trim().min(1).max(5000),
          channel: enumOf(REPLY_CHANNELS).default('phone'),
        })
        .optional()
        .describe('the reply to the customer (答复), recorded before the resolution'),
    }),
    WORKERS,
    (i, b, a) => tickets.resolve(i, b.version, b.outcome, a, b.reply),
  );
  action(
    'replies',
    '答复: record a reply to the customer (the first meets the reply deadline)',
    z.strictObject({
      version,
      text: z.string().trim().min(1).max(5000),
      channel: enumOf(REPLY_CHANNELS).default('phone'),
    }),
    WORKERS,
    (i, b, a) => tickets.reply(i, b.version, { text: b.text, channel: b.channel }, a),
  );
  action(
    'follow-up',
    '回访: reached → follow-up-done with the satisfaction (1–5) and a comment (a dissatisfied complainant reopens the complaint at the complaint desk); not reached → an attempt, the ticket stays resolved',
    z
      .strictObject({
        version,
        reached: z.boolean().default(true).describe('false: the customer could not be reached (an attempt)'),
        satisfaction: z
          .number()
          .int()
          .min(1)
          .max(5)
          .nullable()
          .optional()
          .describe('1–5, required when reached'),
        comment: z.string().trim().max(2000).default(''),
      })
      .superRefine((b, ctx) => {
        if (b.reached && (b.satisfaction === undefined || b.satisfaction === null))
          ctx.addIssue({
            code: 'custom',
            path: ['satisfaction'],
            message:
              'give the satisfaction (1–5) the customer gave, or reached: false for an attempt that did not reach them',
          });
        if (!b.reached && b.satisfaction !== undefined && b.satisfaction !== null)
          ctx.addIssue({
            code: 'custom',
            path: ['satisfaction'],
            message: 'a customer who was not reached gave no satisfaction; leave it out',
          });
      }),
    WORKERS,
    (i, b, a) =>
      tickets.followUp(
        i,
        b.version,
        { reached: b.reached, satisfaction: b.satisfaction ?? null, comment: b.comment },
        a,
      ),
  );
  action(
    'close',
    '→ closed. A complaint needs a reply and a follow-up visit, and is closed by the complaint desk or a supervisor',
    versionOnly,
    WORKERS,
    (i, b, a) => tickets.close(i, b.version, a),
  );
  action(
    'reopen',
    'resolved / follow-up-done / closed → in-progress, with a reason',
    z.strictObject({ version, reason: z.string().trim().min(1).max(500) }),
    WORKERS,
    (i, b, a) => tickets.reopen(i, b.version, b.reason, a),
  );
  action(
    'assign',
    'Give the ticket to a user (supervisors)',
    z.strictObject({ version, assignee: id }),
    SUPERVISORS,
    (i, b, a) => tickets.assign(i, b.version, b.assignee, a),
  );
  action(
    'escalate',
    '升级: one level up the chain, with the reason (supervisors)',
    z.strictObject({ version, reason: z.string().trim().min(1).max(500) }),
    SUPERVISORS,
    (i, b, a) => tickets.escalate(i, b.version, b.reason, a),
  );

  // ---- the queues to take from: callbacks (回拨) and follow-up visits (回访) ----

  /** A queue's two routes: its list (due first; `taken`, `brand`) and taking one of it. */
  const queueRoutes = (q: {
    path: '/api/callbacks' | '/api/follow-ups';
    tag: string;
    summary: string;
    takeSummary: string;
    list: TicketsService['callbackQueue'];
    take: TicketsService['takeCallback'];
  }) => {
    app.get(
      q.path,
      {
        config: { access: WORKERS },
        schema: {
          tags: [q.tag],
          summary: q.summary,
          querystring: z.object({
            brand: z.string().max(50).optional(),
            taken: z
              .enum(['true', 'false'])
              .transform((s) => s === 'true')
              .optional()
              .describe('false: only those nobody has taken'),
            ...pageQuery,
          }),
          response: { 200: page(ticketViewSchema), ...errorResponses },
        },
      },
      async (request) => {
        const { limit, offset, brand, taken } = request.query;
        return q.list(
          { ...(brand !== undefined ? { brand } : {}), ...(taken !== undefined ? { taken } : {}) },
          { limit, offset },
          actorOf(request),
        );
      },
    );
    app.post(
      `${q.path}/:id/take`,
      {
        config: { access: WORKERS },
        schema: {
          tags: [q.tag],
          summary: q.takeSummary,
          params: idParams,
          body: versionOnly,
          response: { 200: ticketViewSchema, ...errorResponses },
        },
      },
      async (request) => q.take(request.params.id, request.body.version, actorOf(request)),
    );
  };

  queueRoutes({
    path: '/api/callbacks',
    tag: 'callbacks',
    summary: 'Open callback tickets (回拨), due first',
    takeSummary: 'Take a callback: it becomes yours (409 when someone else took it first)',
    list: (f, p, a) => tickets.callbackQueue(f, p, a),
    take: (id, v, a) => tickets.takeCallback(id, v, a),
  });
  queueRoutes({
    path: '/api/follow-ups',
    tag: 'follow-ups',
    summary: 'Resolved complaints waiting for their follow-up visit (回访), due first',
    takeSummary: 'Take a follow-up visit: the complaint becomes yours (409 when someone else took it first)',
    list: (f, p, a) => tickets.followUpQueue(f, p, a),
    take: (id, v, a) => tickets.takeFollowUp(id, v, a),
  });

  // ---- notifications ----

  app.get(
    '/api/notifications',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications: those to you and those to your role, newest first',
        querystring: z.object({
          unread: z
            .enum(['true', 'false'])
            .transform((s) => s === 'true')
            .default(false),
          ...pageQuery,
        }),
        response: {
          200: z.object({
            items: z.array(notificationViewSchema),
            total: z.number().int(),
            unread: z.number().int(),
            limit: z.number().int(),
            offset: z.number().int(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { unread, limit, offset } = request.query;
      return tickets.notifications(userOf(request), { unreadOnly: unread, limit, offset });
    },
  );

  app.post(
    '/api/notifications/:id/read',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark one notification read',
        params: idParams,
        response: { 200: z.object({ marked: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => ({ marked: await tickets.markNotificationsRead(userOf(request), request.params.id) }),
  );

  app.post(
    '/api/notifications/read-all',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark all your notifications read',
        response: { 200: z.object({ marked: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => ({ marked: await tickets.markNotificationsRead(userOf(request), null) }),
  );

  // ---- exports ----

  const exportQuery = z.object({
    ...filterQuery,
    timeZone: z
      .string()
      .max(50)
      .refine(isTimeZone, {
        message: bilingual({
          zh: '应为 IANA 时区，例如 Asia/Shanghai',
          en: 'an IANA time zone such as Asia/Shanghai',
        }),
      })
      .default(CHINA_TIME_ZONE)
      .describe('the zone dates are shown in'),
    fullNumbers: fullNumbersQuery,
  });
  exportRoutes(app, services.exports, {
    path: '/api/exports/tickets',
    access: EXPORTERS,
    name: '工单',
    summary: {
      csv: 'Tickets as CSV (UTF-8 with BOM, for Excel); the list’s filters, oldest first',
      xlsx: 'Tickets as an Excel workbook; the list’s filters, oldest first',
    },
    querystring: exportQuery,
    columns: TICKET_EXPORT_COLUMNS,
    rows: (request, { timeZone, fullNumbers: _, ...q }) => ({
      rows: tickets.exportTickets(toQuery(q), actorOf(request)),
      timeZone,
    }),
  });
}
