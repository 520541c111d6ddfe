// What the dashboard API answers: one zod schema per view (the routes document and serialize
// with them), their types derived. Durations in seconds, rates as fractions (0.8 = 80 %), null
// where there is nothing to divide by.
import { z } from 'zod';
import { agentStateViewSchema } from '../live/protocol.ts';

export const DIMENSIONS = ['all', 'brand', 'team', 'agent', 'day'] as const;

export const callRowSchema = z
  .object({
    key: z.string().describe("the team, agent (工号), brand or day of the row; '' for the total"),
    calls: z.number().int(),
    offered: z.number().int().describe('inbound phone calls (callbacks and other outbound calls excluded)'),
    answered: z.number().int(),
    abandoned: z.number().int(),
    abandonRate: z.number().nullable(),
    serviceLevel: z
      .number()
      .nullable()
      .describe('offered calls answered within the threshold / offered calls'),
    asaSeconds: z.number().nullable(),
    ahtSeconds: z.number().nullable(),
    holdSeconds: z.number().nullable().describe('average hold time per answered phone call'),
    holds: z.number().int(),
    holdsOverLimit: z.number().int(),
    repeatRate: z
      .number()
      .nullable()
      .describe('calls whose number called the brand in the 24 h before / calls with a number'),
  })
  .meta({ id: 'DashboardCallRow' });
export type CallRow = z.infer<typeof callRowSchema>;

export const callDashboardSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    brand: z.string().nullable(),
    by: z.enum(DIMENSIONS),
    /** The brand's goal (80/20 unless its playbook says otherwise); null over every brand. */
    goal: z.object({ percent: z.number(), seconds: z.number() }).nullable(),
    total: callRowSchema,
    rows: z.array(callRowSchema),
  })
  .meta({ id: 'DashboardCalls' });
export type CallDashboard = z.infer<typeof callDashboardSchema>;

export const appealRowSchema = z
  .object({
    filed: z.number().int().describe('appeals (申诉) against the calls of the row'),
    pending: z.number().int().describe('of them, not judged yet'),
    upheld: z.number().int().describe('judged: the finding stands (维持)'),
    overturned: z.number().int().describe('judged: the finding struck out (改判)'),
    overturnRate: z.number().nullable().describe('overturned / judged; null before any judgement'),
  })
  .meta({ id: 'DashboardAppealRow' });
export type AppealRow = z.infer<typeof appealRowSchema>;

export const qualityRowSchema = z
  .object({
    key: z.string(),
    inspected: z.number().int().describe('inspected calls with a score (some rule applied)'),
    unscored: z
      .number()
      .int()
      .describe(
        'inspected calls with no score: every rule n/a (unanswered, no agent speech); not in inspected, the average, the bands',
      ),
    averageScore: z.number().nullable(),
    fatal: z.number().int(),
    /** Calls per score band: <60, 60–69, 70–79, 80–89, ≥90. */
    bands: z.object({
      below60: z.number().int(),
      from60: z.number().int(),
      from70: z.number().int(),
      from80: z.number().int(),
      from90: z.number().int(),
    }),
    appeals: appealRowSchema,
  })
  .meta({ id: 'DashboardQualityRow' });
export type QualityRow = z.infer<typeof qualityRowSchema>;

export const qualityDashboardSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    brand: z.string().nullable(),
    by: z.enum(DIMENSIONS),
    total: qualityRowSchema,
    rows: z.array(qualityRowSchema),
    topRules: z.array(z.object({ rule: z.string(), title: z.string().nullable(), failed: z.number().int() })),
    ruleTrend: z.array(z.object({ rule: z.string(), day: z.string(), failed: z.number().int() })),
    fatalCalls: z.array(
      z.object({
        callId: z.string(),
        brand: z.string(),
        startedAt: z.string(),
        team: z.string(),
        agent: z.string(),
        score: z.number().nullable(),
      }),
    ),
    appealRules: z
      .array(appealRowSchema.extend({ rule: z.string(), title: z.string().nullable() }))
      .describe('appeals per rule of the appealed finding, the most overturned first'),
  })
  .meta({ id: 'DashboardQuality' });
export type QualityDashboard = z.infer<typeof qualityDashboardSchema>;

export const ticketRowSchema = z
  .object({
    key: z.string(),
    opened: z.number().int(),
    breached: z.number().int(),
    breachRate: z.number().nullable(),
    replyHours: z.number().nullable().describe('average time to the first reply, of the tickets replied to'),
    closeHours: z.number().nullable().describe('average time to closing, of the tickets closed'),
    visited: z.number().int(),
    satisfaction: z.number().nullable().describe('average score (1–5) of the follow-up visits'),
    satisfiedRate: z.number().nullable().describe('visits scored 4 or 5 / visits'),
  })
  .meta({ id: 'DashboardTicketRow' });
export type TicketRow = z.infer<typeof ticketRowSchema>;

export const ticketDashboardSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    brand: z.string().nullable(),
    backlog: z.array(
      z.object({ type: z.string(), level: z.string(), open: z.number().int(), overdue: z.number().int() }),
    ),
    total: ticketRowSchema,
    byType: z.array(ticketRowSchema),
    byDay: z.array(ticketRowSchema),
  })
  .meta({ id: 'DashboardTickets' });
export type TicketDashboard = z.infer<typeof ticketDashboardSchema>;

export const wallboardSchema = z
  .object({
    at: z.string(),
    brand: z.string().nullable(),
    day: z.string(),
    calls: z.array(
      z.object({
        callId: z.string(),
        brand: z.string(),
        status: z.enum(['ringing', 'talking', 'on-hold', 'ending']),
        agent: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
        ringAt: z.string(),
        answeredAt: z.string().nullable(),
        holdSince: z.string().nullable(),
        holdLimitSeconds: z.number(),
        holdOverLimit: z.boolean(),
      }),
    ),
    agents: z
      .array(
        agentStateViewSchema.extend({
          name: z.string(),
          since: z.string().nullable().meta({
            description:
              'when the state began; null: never signed in since the server started keeping states',
          }),
        }),
      )
      .meta({ description: 'each enabled agent in scope with their state (offline when never seen)' }),
    today: callRowSchema,
    goal: z.object({ percent: z.number(), seconds: z.number() }).nullable(),
  })
  .meta({ id: 'Wallboard' });
export type Wallboard = z.infer<typeof wallboardSchema>;
