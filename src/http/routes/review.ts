// Review, appeal and calibration over HTTP (人工复核 / 申诉 / 校准, src/review). QA leads and
// room directors set each brand's sampling plan and run it; inspectors review what they are
// assigned (only their own: calibration is blind); agents see their reviewed calls and appeal
// a finding; a QA lead or room director gives the final judgement.
import { z } from 'zod';
import type { UserRole } from '../../accounts/roles.ts';
import type { Services } from '../../app/application.ts';
import { CHANNELS } from '../../calls/model.ts';
import { APPEAL_STATUSES, ASSIGN_STRATEGIES, JUDGEMENTS, SAMPLE_MODES } from '../../review/domain.ts';
import { REVIEW_STATUSES } from '../../review/model.ts';
import { JUDGES, REVIEW_LEADS } from '../../review/service.ts';
import { principalOf } from '../access.ts';
import {
  type Api,
  agentFilterSchema,
  errorResponses,
  instantSchema,
  isCalendarDay,
  page,
  pageQuery,
} from '../schemas.ts';

const LEADS: readonly UserRole[] = REVIEW_LEADS;
const REVIEWERS: readonly UserRole[] = ['qa-inspector', ...REVIEW_LEADS];
const READERS: readonly UserRole[] = ['agent', 'qa-inspector', ...REVIEW_LEADS];
const id = z.string().min(1).max(100);
const brandParam = z.object({ brand: z.string().min(1).max(64) });

const planSchema = z
  .object({
    brand: z.string(),
    allFatal: z.boolean(),
    allComplaints: z.boolean(),
    mode: z.enum(SAMPLE_MODES),
    amount: z.number(),
    seed: z.number().int(),
    dueDays: z.number().int(),
    appealWindowDays: z.number().int(),
    assign: z.enum(ASSIGN_STRATEGIES),
  })
  .meta({ id: 'SamplingPlan' });

const planBody = z.strictObject({
  allFatal: z.boolean(),
  allComplaints: z.boolean(),
  mode: z.enum(SAMPLE_MODES),
  amount: z.number().min(0).max(100_000),
  seed: z.number().int().min(0).max(2_147_483_647),
  dueDays: z.number().int().min(1).max(60),
  appealWindowDays: z.number().int().min(1).max(90),
  assign: z.enum(ASSIGN_STRATEGIES),
});

const appealSchema = z
  .object({
    id: z.string(),
    reviewId: z.string(),
    callId: z.string(),
    brand: z.string(),
    agentUserId: z.string(),
    finding: z.string(),
    rule: z.string(),
    reason: z.string(),
    status: z.enum(APPEAL_STATUSES),
    filedAt: z.string(),
    judgedBy: z.string().nullable(),
    judgedAt: z.string().nullable(),
    judgementNote: z.string().nullable(),
  })
  .meta({ id: 'Appeal' });

const reviewSchema = z
  .object({
    id: z.string(),
    callId: z.string(),
    brand: z.string(),
    agent: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
    inspector: z.object({ id: z.string(), name: z.string().nullable() }),
    reason: z.string(),
    week: z.string().nullable(),
    sessionId: z.string().nullable(),
    status: z.enum(REVIEW_STATUSES),
    dueAt: z.string(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
    /** The machine's result, kept as it was. */
    machine: z.object({ score: z.number().nullable(), fatal: z.boolean() }),
    /** The human result: computed from the scorecard with the corrections, or overridden with a reason. */
    human: z.object({
      computedScore: z.number().nullable(),
      finalScore: z.number().nullable(),
      fatal: z.boolean().nullable(),
      overrideReason: z.string().nullable(),
    }),
    comment: z.string(),
    findings: z.array(
      z.object({
        /** `f:<index>` a machine finding, `m:<index>` one the inspector added: what an appeal names. */
        ref: z.string(),
        kind: z.enum(['machine', 'missed']),
        index: z.number().int(),
        rule: z.string(),
        ruleTitle: z.string(),
        turn: z.number().int().nullable(),
        evidence: z.string(),
        verdict: z.enum(['correct', 'wrong']).nullable(),
        overturned: z.boolean(),
        appeal: appealSchema.nullable(),
      }),
    ),
    appealUntil: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Review' });

const weekSchema = z.string().refine(isCalendarDay, {
  message: 'expected the Monday of the week, YYYY-MM-DD (e.g. 2026-11-16)',
  params: { zh: '应为该周周一的日期 YYYY-MM-DD（如 2026-11-16）' },
});

// 0-based as every finding's turn; the screen shows turns from 1 and sends the number less one.
const turnIndex = z
  .number()
  .int()
  .refine((n) => n >= 0 && n < 100_000, {
    message:
      'expected the evidence turn’s 0-based index (the transcript’s turn 1 is 0), or null for the whole call',
    params: { zh: '应为证据轮次的序号，从 0 起（对话记录第 1 轮为 0）；整通电话为 null' },
  });

export async function reviewRoutes(app: Api, services: Pick<Services, 'review'>): Promise<void> {
  const { review } = services;

  app.get(
    '/api/review/plans/:brand',
    {
      config: { access: LEADS },
      schema: {
        tags: ['review'],
        summary: 'The brand’s sampling plan (抽检方案); the default one until it is saved',
        params: brandParam,
        response: { 200: planSchema, ...errorResponses },
      },
    },
    async (request) => review.plan(request.params.brand, principalOf(request)),
  );

  app.put(
    '/api/review/plans/:brand',
    {
      config: { access: LEADS },
      schema: {
        tags: ['review'],
        summary:
          'Set the brand’s sampling plan: every fatal and complaint call, plus a percentage or a number of calls per agent per week drawn with the seed; due days; the appeal window',
        params: brandParam,
        body: planBody,
        response: { 200: planSchema, ...errorResponses },
      },
    },
    async (request) =>
      review.savePlan({ ...request.body, brand: request.params.brand }, principalOf(request)),
  );

  app.post(
    '/api/review/plans/:brand/run',
    {
      config: { access: LEADS },
      schema: {
        tags: ['review'],
        summary:
          'Run the plan over one week (its Monday, in the brand’s time zone; default last week): assigns the picked calls to QA inspectors and tells them. A week run twice assigns nothing new.',
        params: brandParam,
        body: z.strictObject({ week: weekSchema.optional() }),
        response: { 201: z.object({ assigned: z.array(reviewSchema) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const made = await review.runPlan(request.params.brand, request.body.week, p);
      const views = await Promise.all(made.map((r) => review.get(r.id, p)));
      return reply.status(201).send({ assigned: views });
    },
  );

  app.get(
    '/api/reviews',
    {
      config: { access: READERS },
      schema: {
        tags: ['review'],
        summary:
          'Reviews: an inspector’s own assignments, an agent’s reviewed calls, every review for QA leads and room directors (mine=true: only their own)',
        querystring: z.object({
          status: z.enum(REVIEW_STATUSES).optional(),
          brand: z.string().min(1).max(64).optional(),
          sessionId: id.optional(),
          mine: z.stringbool().optional(),
          ...pageQuery,
        }),
        response: { 200: page(reviewSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, offset, status, brand, sessionId, mine } = request.query;
      const r = await review.list(
        principalOf(request),
        {
          ...(status ? { status } : {}),
          ...(brand ? { brand } : {}),
          ...(sessionId ? { sessionId } : {}),
          ...(mine ? { mine } : {}),
        },
        { limit, offset },
      );
      return { ...r, limit, offset };
    },
  );

  app.get(
    '/api/reviews/:id',
    {
      config: { access: READERS },
      schema: {
        tags: ['review'],
        summary:
          'One review with the machine’s findings, the verdicts, added findings and appeals; and the call’s words',
        params: z.object({ id }),
        response: {
          200: reviewSchema.extend({
            turns: z.array(z.object({ speaker: z.string(), text: z.string() })),
            /** The call's channel (a call without one is a phone call). */
            channel: z.enum(CHANNELS),
            /**
             * The rules an inspector may add as missed on this call: the scorecard's rules of its
             * channel, each with the speakers whose turns its evidence can be on (none: the whole call).
             */
            rules: z.array(
              z.object({
                id: z.string(),
                title: z.string(),
                evidenceOn: z.array(z.enum(['agent', 'customer'])),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const view = await review.get(request.params.id, p);
      return { ...view, ...(await review.callOf(request.params.id, p)) };
    },
  );

  app.post(
    '/api/reviews/:id/complete',
    {
      config: { access: REVIEWERS },
      schema: {
        tags: ['review'],
        summary:
          'Complete a review (its inspector): every machine finding correct or wrong, findings it missed (rule and evidence turn), a comment; the score is computed from the scorecard, or overridden with a reason',
        params: z.object({ id }),
        body: z.strictObject({
          verdicts: z
            .array(
              z.strictObject({ finding: z.number().int().min(0), verdict: z.enum(['correct', 'wrong']) }),
            )
            .max(1000),
          missed: z
            .array(
              z.strictObject({
                rule: z.string().min(1).max(100),
                /** 0-based, as `findings[].turn`: the transcript's turn 1 is 0; null for the whole call. */
                turn: turnIndex.nullable(),
                note: z.string().trim().max(500).default(''),
              }),
            )
            .max(100)
            .default([]),
          comment: z.string().trim().max(2000).default(''),
          override: z
            .strictObject({ score: z.number(), reason: z.string().trim().min(1).max(500) })
            .optional(),
        }),
        response: { 200: reviewSchema, ...errorResponses },
      },
    },
    async (request) => review.complete(request.params.id, request.body, principalOf(request)),
  );

  app.post(
    '/api/reviews/:id/assign',
    {
      config: { access: LEADS },
      schema: {
        tags: ['review'],
        summary: 'Give an open review to another QA inspector or QA lead (the user id)',
        params: z.object({ id }),
        body: z.strictObject({ inspectorId: id }),
        response: { 200: reviewSchema, ...errorResponses },
      },
    },
    async (request) => review.reassign(request.params.id, request.body.inspectorId, principalOf(request)),
  );

  app.post(
    '/api/reviews/:id/appeals',
    {
      config: { access: ['agent'] },
      schema: {
        tags: ['review'],
        summary:
          'Appeal one finding of your reviewed call (its ref, f:<index> or m:<index>) with a reason, within the brand’s appeal window',
        params: z.object({ id }),
        body: z.strictObject({
          finding: z.string().min(3).max(20),
          reason: z.string().trim().min(1).max(1000),
        }),
        response: { 201: appealSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await review.appeal(request.params.id, request.body, principalOf(request))),
  );

  app.get(
    '/api/appeals',
    {
      config: { access: ['agent', ...REVIEW_LEADS] },
      schema: {
        tags: ['review'],
        summary:
          'Appeals, oldest first (or by the agent’s 工号), each with the agent it is about: an agent’s own; every one for QA leads and room directors (of their brand)',
        querystring: z.object({
          status: z.enum(APPEAL_STATUSES).optional(),
          agent: agentFilterSchema
            .optional()
            .describe(
              'the 工号 of the agent the appeals are about, or the id their calls were stored under (1–128 characters)',
            ),
          sort: z
            .enum(['filed', 'agent'])
            .default('filed')
            .describe('filed: oldest first; agent: by the agent’s 工号 (then oldest first)'),
          ...pageQuery,
        }),
        response: {
          200: page(
            appealSchema.extend({
              ruleTitle: z.string(),
              inspectorId: z.string(),
              agent: z
                .object({
                  userId: z.string(),
                  number: z.string().nullable().describe('the 工号 the call was handled under'),
                  name: z.string().nullable(),
                })
                .describe('the agent the appeal is about (who filed it)'),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { limit, offset, status, agent, sort } = request.query;
      const r = await review.appeals(
        principalOf(request),
        { ...(status ? { status } : {}), ...(agent !== undefined ? { agent } : {}) },
        { limit, offset },
        sort,
      );
      return { ...r, limit, offset };
    },
  );

  app.post(
    '/api/appeals/:id/judgement',
    {
      config: { access: JUDGES },
      schema: {
        tags: ['review'],
        summary:
          'The final judgement (终审) of an appeal: uphold the finding or overturn it (the human score is computed again); never by the inspector of the review; closes the appeal',
        params: z.object({ id }),
        body: z.strictObject({ outcome: z.enum(JUDGEMENTS), note: z.string().trim().min(1).max(1000) }),
        response: { 200: appealSchema, ...errorResponses },
      },
    },
    async (request) => review.judge(request.params.id, request.body, principalOf(request)),
  );

  const sessionSchema = z
    .object({
      id: z.string(),
      brand: z.string(),
      title: z.string(),
      callIds: z.array(z.string()),
      inspectorIds: z.array(z.string()),
      createdBy: z.string().nullable(),
      createdAt: z.string(),
    })
    .meta({ id: 'CalibrationSession' });

  app.post(
    '/api/calibrations',
    {
      config: { access: LEADS },
      schema: {
        tags: ['review'],
        summary: 'A calibration session (校准): the same calls assigned to each inspector, reviewed blind',
        body: z.strictObject({
          brand: z.string().min(1).max(64),
          title: z.string().trim().min(1).max(200),
          callIds: z.array(z.string().min(1).max(128)).min(1).max(50),
          inspectorIds: z.array(z.string().min(1).max(100)).min(2).max(20),
          dueDays: z.number().int().min(1).max(60).optional(),
        }),
        response: { 201: sessionSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await review.createSession(request.body, principalOf(request))),
  );

  app.get(
    '/api/calibrations',
    {
      config: { access: LEADS },
      schema: {
        tags: ['review'],
        summary: 'Calibration sessions, newest first',
        response: { 200: z.object({ items: z.array(sessionSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await review.sessions(principalOf(request)) }),
  );

  app.get(
    '/api/calibrations/:id',
    {
      config: { access: LEADS },
      schema: {
        tags: ['review'],
        summary:
          'A calibration session’s agreement per rule: percent agreement, Cohen’s kappa (mean over pairs of inspectors), Fleiss’ kappa, and the machine’s agreement with the inspectors',
        params: z.object({ id }),
        response: {
          200: z.object({
            session: sessionSchema.extend({
              inspectors: z.array(
                z.object({ id: z.string(), name: z.string().nullable(), done: z.number().int() }),
              ),
            }),
            completeCalls: z.number().int(),
            rules: z.array(
              z.object({
                rule: z.string(),
                title: z.string(),
                calls: z.number().int(),
                failedBySomeone: z.number().int(),
                percentAgreement: z.number().nullable(),
                kappa: z.number().nullable(),
                fleissKappa: z.number().nullable(),
                machineAgreement: z.number().nullable(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => review.report(request.params.id, principalOf(request)),
  );

  app.get(
    '/api/review/precision',
    {
      config: { access: LEADS },
      schema: {
        tags: ['review'],
        summary:
          'The machine’s measured precision per rule and week, from completed reviews: findings confirmed, marked wrong, missed',
        querystring: z.object({ brand: z.string().min(1).max(64), from: instantSchema, to: instantSchema }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                rule: z.string(),
                title: z.string(),
                week: z.string(),
                // A call counts once: its calibration copies each weigh 1/n (two decimals).
                confirmed: z.number().min(0),
                wrong: z.number().min(0),
                missed: z.number().min(0),
                precision: z.number().nullable(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      return {
        items: await review.precision(q.brand, new Date(q.from), new Date(q.to), principalOf(request)),
      };
    },
  );
}
