// Scorecards (评分表) over HTTP: versions in the store, an admin's draft checked with line and
// column, publishing (the inspector uses it from then on), and re-inspection of a period with
// the published version as a background job whose progress (n of m calls, errors) is read here.
import { z } from 'zod';
import type { Services } from '../../app/application.ts';
import { JOB_NAMES } from '../../jobs/app-jobs.ts';
import { REINSPECTION_STATUSES, type ReinspectionStatus } from '../../scorecards/store.ts';
import { AppError } from '../../shared/errors.ts';
import { ALL_ROLES, callScopeOf, principalOf } from '../access.ts';
import { preferredLanguage } from '../language.ts';
import { type Api, errorResponses, isInstant } from '../schemas.ts';

const ADMIN = ['admin'] as const;
/** Who reads scorecards and re-inspections: the admin and the QA roles. */
const QA_READERS = ['admin', 'qa-inspector', 'room-director'] as const;

const idParam = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/)
  .max(50);

const versionSchema = z.object({
  scorecard: z.string(),
  version: z.number().int(),
  name: z.string(),
  status: z.enum(['draft', 'published']),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
});

const lintIssueSchema = z.object({
  line: z.number().int().meta({ description: '1-based; 0 when the problem has no single place' }),
  column: z.number().int(),
  path: z.string().meta({ description: 'field path such as rules[3].points' }),
  message: z.string(),
});

const reinspectionSchema = z.object({
  id: z.string(),
  scorecardVersion: z.number().int(),
  brand: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  status: z.enum(REINSPECTION_STATUSES as [ReinspectionStatus, ...ReinspectionStatus[]]),
  total: z.number().int().meta({ description: 'calls in the period' }),
  done: z.number().int().meta({ description: 'calls looked at so far' }),
  skipped: z.number().int().meta({ description: 'calls with a result of this version already' }),
  changed: z.number().int(),
  errors: z.array(z.object({ callId: z.string(), message: z.string() })),
  jobId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

const contentBody = z.strictObject({
  content: z
    .string()
    .min(1)
    .max(512 * 1024),
});

export async function scorecardRoutes(
  app: Api,
  services: Pick<Services, 'scorecards' | 'reinspections' | 'jobs' | 'calls'>,
): Promise<void> {
  const { scorecards, reinspections, jobs, calls } = services;

  app.get(
    '/api/scorecards/rule-titles',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: ['scorecards'],
        summary:
          'The title of each rule of the scorecard in force, by rule id: what the screens name a rule with when they have no translation of it (a custom rule)',
        response: { 200: z.object({ titles: z.record(z.string(), z.string()) }), ...errorResponses },
      },
    },
    async () => ({ titles: calls.ruleTitles() }),
  );

  app.get(
    '/api/scorecards',
    {
      config: { access: QA_READERS },
      schema: {
        tags: ['scorecards'],
        summary: 'Scorecards in the store: the published version, the draft, the version in force',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                published: z.number().int().nullable(),
                draft: z.number().int().nullable(),
              }),
            ),
            inForce: z
              .number()
              .int()
              .nullable()
              .meta({ description: 'the version of the default scorecard calls are inspected with' }),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({ items: await scorecards.list(), inForce: scorecards.versionInForce }),
  );

  app.get(
    '/api/scorecards/:id/versions',
    {
      config: { access: QA_READERS },
      schema: {
        tags: ['scorecards'],
        summary: 'Every stored version of a scorecard, newest first, with who stored and published it',
        params: z.object({ id: idParam }),
        response: { 200: z.object({ items: z.array(versionSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await scorecards.versions(request.params.id) }),
  );

  app.get(
    '/api/scorecards/:id/versions/:version',
    {
      config: { access: QA_READERS },
      schema: {
        tags: ['scorecards'],
        summary: 'One stored version with its YAML',
        params: z.object({ id: idParam, version: z.coerce.number().int().min(1) }),
        response: { 200: versionSchema.extend({ content: z.string() }), ...errorResponses },
      },
    },
    async (request) => {
      const { version, content } = await scorecards.content(request.params.id, request.params.version);
      return { ...version, content };
    },
  );

  app.post(
    '/api/scorecards/:id/lint',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['scorecards'],
        summary: 'Check a scorecard’s YAML without storing it: every problem with line and column',
        params: z.object({ id: idParam }),
        body: contentBody,
        response: { 200: z.object({ issues: z.array(lintIssueSchema) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      // The findings in the reader's language, as a refusal's would be.
      const zh = preferredLanguage(request.headers['accept-language']) === 'zh';
      reply.header('content-language', zh ? 'zh-CN' : 'en');
      const issues = scorecards.lint(request.body.content, `${request.params.id}.yaml`);
      return {
        issues: issues.map(({ zh: chinese, ...i }) => (zh && chinese ? { ...i, message: chinese } : i)),
      };
    },
  );

  app.put(
    '/api/scorecards/:id/draft',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['scorecards'],
        summary:
          'Save the scorecard’s draft (replacing an earlier draft): it must pass the checks and its version must be newer than the published one',
        params: z.object({ id: idParam }),
        body: contentBody,
        response: { 200: versionSchema, ...errorResponses },
      },
    },
    async (request) => scorecards.saveDraft(request.params.id, request.body.content, principalOf(request)),
  );

  app.post(
    '/api/scorecards/:id/versions/:version/publish',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['scorecards'],
        summary: 'Publish a draft: calls are inspected with it from now on',
        params: z.object({ id: idParam, version: z.coerce.number().int().min(1) }),
        response: { 200: versionSchema, ...errorResponses },
      },
    },
    async (request) => scorecards.publish(request.params.id, request.params.version, principalOf(request)),
  );

  const instant = z.string().max(40).refine(isInstant, {
    error: 'expected an ISO 8601 date-time with offset, e.g. 2026-11-20T00:00:00+08:00',
  });

  app.post(
    '/api/scorecards/reinspections',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['scorecards'],
        summary:
          'Re-inspect the calls of a period (brand, started in [from, to)) with the published scorecard, in the background. Idempotent: the same period while its run is going is that run; calls with a result of this version are skipped; earlier versions’ results are kept.',
        body: z.strictObject({
          brand: z.string().min(1).max(50).optional(),
          from: instant.optional(),
          to: instant.optional(),
        }),
        response: { 202: reinspectionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { from, to } = request.body;
      const asked = request.body.brand ? calls.brandId(request.body.brand, 'body.brand') : undefined;
      // An account limited to a brand re-inspects that brand's calls only (by default too).
      const own = principalOf(request).brand;
      if (own !== null && asked !== undefined && asked !== own)
        throw new AppError(
          'forbidden',
          {
            zh: `您的账号只能重新质检品牌“${own}”的通话（body.brand 是“${asked}”）；请选择品牌 ${own} 或不填`,
            en: `your account re-inspects only the calls of brand '${own}' (body.brand is '${asked}'); choose ${own} or leave brand out`,
          },
          [{ path: 'body.brand', message: `not ${own}`, zh: `不是 ${own}` }],
        );
      const brand = asked ?? own ?? undefined;
      if (from && to && Date.parse(from) >= Date.parse(to))
        throw new AppError('validation', { zh: '开始时间须早于结束时间', en: "'from' must be before 'to'" }, [
          { path: 'body.to', message: 'must be after from', zh: '须晚于开始时间' },
        ]);
      const version = scorecards.versionInForce ?? (await scorecards.loadPublished());
      if (version === null)
        throw new AppError('conflict', {
          zh: '存储中没有已发布的评分表；请先发布一个版本',
          en: 'no published scorecard in the store; publish a version first',
        });
      const actor = principalOf(request);
      const period = { ...(brand ? { brand } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) };
      const { run, existing } = await reinspections.open(period, version, actor);
      if (!existing) {
        const job = await jobs.enqueue(JOB_NAMES.reinspectPeriod, {
          runId: run.id,
          ...period,
          actor: { userId: actor.userId, ip: actor.ip },
        });
        await reinspections.attachJob(run.id, job.id);
        run.jobId = job.id;
      }
      return reply.status(202).send(await reinspections.get(run.id, own));
    },
  );

  app.get(
    '/api/scorecards/reinspections',
    {
      config: { access: QA_READERS },
      schema: {
        tags: ['scorecards'],
        summary: 'Re-inspection runs, newest first, with their progress',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ items: z.array(reinspectionSchema) }), ...errorResponses },
      },
    },
    // A brand-limited reader sees its brand's runs only (their errors name calls).
    async (request) => ({
      items: await reinspections.list(request.query.limit, principalOf(request).brand),
    }),
  );

  app.get(
    '/api/scorecards/inspections/:callId',
    {
      config: { access: QA_READERS },
      schema: {
        tags: ['scorecards'],
        summary: 'A call’s machine results, one per scorecard version it was inspected with, newest first',
        params: z.object({ callId: z.string().trim().min(1).max(200) }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                scorecardVersion: z.number().int(),
                score: z.number(),
                fatal: z.boolean(),
                failedRules: z.array(z.string()),
                inspectedAt: z.string(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { callId } = request.params;
      // Through the reader's call scope: another brand's call is not found for a brand-limited account.
      await calls.get(callId, callScopeOf(request));
      const items = await calls.inspections(callId);
      return { items: items.map(({ result: _r, callId: _c, ...rest }) => rest) };
    },
  );

  app.get(
    '/api/scorecards/reinspections/:id',
    {
      config: { access: QA_READERS },
      schema: {
        tags: ['scorecards'],
        summary: 'One re-inspection run: n of m calls, skipped, changed, errors',
        params: z.object({ id: z.string().trim().min(1).max(100) }),
        response: { 200: reinspectionSchema, ...errorResponses },
      },
    },
    async (request) => reinspections.get(request.params.id, principalOf(request).brand),
  );
}
