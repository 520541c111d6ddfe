// Background jobs for admins: what runs and ran (status, progress, failures with their
// reason: the dead-letter list is ?status=failed), retrying a dead job, and starting a batch
// import of calls (each stored and inspected as POST /api/calls does).
import { z } from 'zod';
import type { Actor, Principal } from '../../accounts/principal.ts';
import type { Services } from '../../app/application.ts';
import { JOB_NAMES, MAX_IMPORT_BATCH } from '../../jobs/app-jobs.ts';
import { JOB_STATUSES, type JobStatus, jobNotFound } from '../../jobs/runner.ts';
import { principalOf } from '../access.ts';
import { type Api, errorResponses, isInstant } from '../schemas.ts';

const ADMIN = ['admin'] as const;

/** Who started a job, as its data keeps it (JSON in Redis): the audit actor, nothing more. */
const jobActor = (p: Principal): Actor => ({ userId: p.userId, ip: p.ip });

const jobSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(JOB_STATUSES as [JobStatus, ...JobStatus[]]),
  progress: z.number().meta({ description: '0–100' }),
  attemptsMade: z.number().int(),
  attempts: z.number().int(),
  failedReason: z.string().nullable().meta({ description: 'why the last attempt failed' }),
  result: z.unknown(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

const idParams = z.object({ id: z.string().trim().min(1).max(100) });

export async function jobRoutes(app: Api, services: Pick<Services, 'jobs' | 'calls'>): Promise<void> {
  const { jobs } = services;

  app.get(
    '/api/admin/jobs',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['jobs'],
        summary:
          'Background jobs, newest first: status, progress, attempts and the reason of a failure. status=failed is the dead-letter list (jobs out of retries).',
        querystring: z.object({
          status: z.enum(JOB_STATUSES as [JobStatus, ...JobStatus[]]).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ items: z.array(jobSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await jobs.list(request.query.status, request.query.limit) }),
  );

  app.get(
    '/api/admin/jobs/:id',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['jobs'],
        summary: 'One background job',
        params: idParams,
        response: { 200: jobSchema, ...errorResponses },
      },
    },
    async (request) => {
      const job = await jobs.get(request.params.id);
      if (!job) throw jobNotFound(request.params.id);
      return job;
    },
  );

  app.post(
    '/api/admin/jobs/:id/retry',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['jobs'],
        summary: 'Run a failed (dead) job again, with its attempts anew',
        params: idParams,
        response: { 200: jobSchema, ...errorResponses },
      },
    },
    async (request) => jobs.retry(request.params.id),
  );

  app.post(
    '/api/admin/jobs/import-calls',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['jobs'],
        summary: `Import a batch of calls in the background (each in the JSON call-file format, inspected on arrival; at most ${MAX_IMPORT_BATCH}). The job's result counts stored, duplicate and invalid calls.`,
        body: z.object({
          calls: z
            .array(z.record(z.string(), z.unknown()))
            .min(1)
            .max(MAX_IMPORT_BATCH, { error: `at most ${MAX_IMPORT_BATCH} calls per job; send several jobs` }),
        }),
        response: { 202: jobSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const job = await jobs.enqueue(JOB_NAMES.importCalls, {
        calls: request.body.calls,
        actor: jobActor(principalOf(request)),
      });
      return reply.status(202).send(job);
    },
  );

  const instant = z.string().max(40).refine(isInstant, {
    error: 'expected an ISO 8601 date-time with offset, e.g. 2026-11-20T00:00:00+08:00',
  });
  app.post(
    '/api/admin/jobs/reinspect-calls',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['jobs'],
        summary:
          'Inspect stored calls again with the current scorecard (after it changed), in the background: all, or one brand, or those started in [from, to). The result counts the calls inspected and those whose score or findings changed (each audited).',
        body: z.strictObject({
          brand: z.string().min(1).max(50).optional(),
          from: instant.optional(),
          to: instant.optional(),
        }),
        response: { 202: jobSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { brand, from, to } = request.body;
      const job = await jobs.enqueue(JOB_NAMES.reinspectCalls, {
        ...(brand ? { brand: services.calls.brandId(brand, 'body.brand') } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        actor: jobActor(principalOf(request)),
      });
      return reply.status(202).send(job);
    },
  );
}
