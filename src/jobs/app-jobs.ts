// The application's background work, defined once for either runner: the periodic deadline
// check and stale-call sweep, and batch imports of calls (each inspected on arrival).
import { type Actor, systemActor } from '../audit/audit.ts';
import { parseCallJson } from '../calls/import.ts';
import type { CallFilter, CallsService } from '../calls/service.ts';
import type { LiveCallStore } from '../cti/live.ts';
import { callerNumber } from '../customers/phone.ts';
import type { DashboardService } from '../dashboard/service.ts';
import type { ReviewService } from '../review/service.ts';
import type { ReinspectionStore, ReinspectPeriodData, ScorecardService } from '../scorecards/store.ts';
import { AppError } from '../shared/errors.ts';
import type { TicketsService } from '../tickets/service.ts';
import type { JobRunner } from './runner.ts';

export const JOB_NAMES = {
  deadlineCheck: 'deadline-check',
  liveCallSweep: 'live-call-sweep',
  importCalls: 'import-calls',
  reinspectCalls: 'reinspect-calls',
  reinspectPeriod: 'reinspect-period',
  reviewPlans: 'review-plans',
  dashboardBackfill: 'dashboard-backfill',
} as const;

export interface DashboardBackfillData {
  /** Local days (YYYY-MM-DD), both included; default everything stored. */
  from?: string;
  to?: string;
}

export interface ReinspectCallsData {
  /** Only this brand's calls, and those started in [from, to) (ISO instants), when given. */
  brand?: string;
  from?: string;
  to?: string;
  actor: Actor;
}

/** Most calls one import job takes (a bigger batch is several jobs). */
export const MAX_IMPORT_BATCH = 1000;

export interface ImportCallsData {
  /** Call files' JSON objects (src/calls/README.md). */
  calls: unknown[];
  actor: Actor;
}

export interface ImportCallsResult {
  stored: number;
  /** Already stored (an earlier attempt of this job, or another import). */
  duplicates: number;
  invalid: { index: number; message: string }[];
}

interface Deps {
  tickets: Pick<TicketsService, 'runDeadlineChecks'>;
  live: Pick<LiveCallStore, 'sweep'>;
  calls: Pick<CallsService, 'brandId' | 'store' | 'search' | 'export' | 'reinspect'>;
  /** Re-inspection of a period with the published scorecard (src/scorecards). */
  reinspections?: {
    runs: Pick<ReinspectionStore, 'report'>;
    scorecards: Pick<ScorecardService, 'loadPublished'>;
  };
  /** The sampling plans' scheduled run (src/review). */
  review?: Pick<ReviewService, 'runSavedPlans'>;
  /** The dashboards' back-fill (src/dashboard). */
  dashboard?: Pick<DashboardService, 'backfill'>;
}

/** How often the saved sampling plans are run over last week (idempotent: a week runs once). */
const REVIEW_PLANS_EVERY_MS = 60 * 60_000;

export function defineAppJobs(runner: JobRunner, deps: Deps, intervalMs: number): void {
  runner.every(JOB_NAMES.deadlineCheck, intervalMs, () => deps.tickets.runDeadlineChecks());
  runner.every(JOB_NAMES.liveCallSweep, intervalMs, async () => ({ swept: await deps.live.sweep() }));
  const review = deps.review;
  if (review)
    runner.every(JOB_NAMES.reviewPlans, Math.max(intervalMs, REVIEW_PLANS_EVERY_MS), async () => ({
      plans: await review.runSavedPlans(systemActor('server')),
    }));
  runner.define(JOB_NAMES.importCalls, {
    attempts: 3,
    backoffMs: 1000,
    run: (data, ctx) => importCalls(deps.calls, data as ImportCallsData, ctx.progress),
  });
  runner.define(JOB_NAMES.reinspectCalls, {
    attempts: 3,
    backoffMs: 1000,
    run: (data, ctx) => reinspectCalls(deps.calls, data as ReinspectCallsData, ctx.progress),
  });
  const dashboard = deps.dashboard;
  if (dashboard)
    runner.define(JOB_NAMES.dashboardBackfill, {
      attempts: 3,
      backoffMs: 1000,
      // A retry skips what the failed attempt stored: facts kept are left alone.
      run: (data, ctx) => {
        const d = (data ?? {}) as DashboardBackfillData;
        return dashboard.backfill({
          ...(d.from ? { from: d.from } : {}),
          ...(d.to ? { to: d.to } : {}),
          // The calls are most of the work: 0–90 %, then tickets and appeals.
          onProgress: (p) =>
            ctx.progress(
              p.kind === 'calls'
                ? Math.min(90, Math.round((p.seen / Math.max(1, p.total ?? p.seen)) * 90))
                : p.kind === 'tickets'
                  ? 95
                  : 99,
            ),
        });
      },
    });
  const periods = deps.reinspections;
  if (periods)
    runner.define(JOB_NAMES.reinspectPeriod, {
      attempts: 3,
      backoffMs: 1000,
      run: (data, ctx) => reinspectPeriod(deps.calls, periods, data as ReinspectPeriodData, ctx.progress),
    });
}

/**
 * Inspects a period's calls with the published scorecard, reporting n of m and each call's error
 * to the run (the batch goes on past a call that cannot be inspected). A retry or a second run
 * skips the calls that have this version's result already.
 */
async function reinspectPeriod(
  calls: Deps['calls'],
  deps: NonNullable<Deps['reinspections']>,
  data: ReinspectPeriodData,
  progress: (percent: number) => Promise<void>,
): Promise<{ total: number; done: number; skipped: number; changed: number; errors: number }> {
  // Another process may have published since this one started: inspect with the newest.
  await deps.scorecards.loadPublished();
  const filter: CallFilter = {};
  if (data.brand) filter.brand = data.brand;
  if (data.from) filter.from = { instant: new Date(data.from) };
  if (data.to) filter.to = { instant: new Date(data.to) };
  const scope = { kind: 'all' } as const;
  const { total } = await calls.search(filter, { limit: 1, offset: 0 }, scope);
  const p = {
    status: 'running' as const,
    total,
    done: 0,
    skipped: 0,
    changed: 0,
    errors: [] as { callId: string; message: string }[],
  };
  await deps.runs.report(data.runId, p);
  try {
    for await (const call of calls.export(filter, scope)) {
      try {
        const outcome = await calls.reinspect(call, data.actor);
        if (outcome === 'skipped') p.skipped++;
        if (outcome === 'changed') p.changed++;
      } catch (e) {
        if (!(e instanceof Error) || e.name !== 'InspectionError') throw e;
        p.errors.push({ callId: call.id, message: e.message });
      }
      p.done++;
      if (p.done % 20 === 0) {
        await deps.runs.report(data.runId, p);
        await progress(Math.min(99, Math.round((p.done / Math.max(1, total)) * 100)));
      }
    }
  } catch (e) {
    await deps.runs.report(data.runId, {
      ...p,
      status: 'failed',
      errors: [...p.errors, { callId: '', message: e instanceof Error ? e.message : String(e) }],
    });
    throw e;
  }
  await deps.runs.report(data.runId, { ...p, status: 'completed', total: Math.max(total, p.done) });
  return {
    total: Math.max(total, p.done),
    done: p.done,
    skipped: p.skipped,
    changed: p.changed,
    errors: p.errors.length,
  };
}

/** Inspects the stored calls again (a retry repeats it; an unchanged call is not rewritten). */
async function reinspectCalls(
  calls: Deps['calls'],
  data: ReinspectCallsData,
  progress: (percent: number) => Promise<void>,
): Promise<{ inspected: number; changed: number }> {
  const filter: CallFilter = {};
  if (data.brand) filter.brand = data.brand;
  if (data.from) filter.from = { instant: new Date(data.from) };
  if (data.to) filter.to = { instant: new Date(data.to) };
  const scope = { kind: 'all' } as const;
  const { total } = await calls.search(filter, { limit: 1, offset: 0 }, scope);
  let inspected = 0;
  let changed = 0;
  for await (const call of calls.export(filter, scope)) {
    if ((await calls.reinspect(call, data.actor)) === 'changed') changed++;
    inspected++;
    if (inspected % 20 === 0)
      await progress(Math.min(99, Math.round((inspected / Math.max(1, total)) * 100)));
  }
  return { inspected, changed };
}

/**
 * Stores and inspects each call; a bad call is listed and the batch goes on. An error that is
 * not the call's (the database away) fails the attempt: the retry skips the calls stored
 * already, so nothing is stored twice.
 */
async function importCalls(
  calls: Deps['calls'],
  data: ImportCallsData,
  progress: (percent: number) => Promise<void>,
): Promise<ImportCallsResult> {
  const result: ImportCallsResult = { stored: 0, duplicates: 0, invalid: [] };
  const total = data.calls.length;
  for (const [index, value] of data.calls.entries()) {
    const path = `calls[${index}]`;
    try {
      const parsed = parseCallJson(value, path);
      if (!parsed.ok) {
        result.invalid.push({ index, message: `${parsed.error.path ?? path}: ${parsed.error.message}` });
        continue;
      }
      const call = parsed.call;
      const brand = calls.brandId(call.brand, `${path}.brand`);
      const raw = call.customer?.phone;
      const number = raw === undefined ? null : callerNumber(raw);
      if (number?.kind === 'invalid') {
        result.invalid.push({ index, message: `${path}.customer.phone: ${number.message}` });
        continue;
      }
      const meta = (value as { meta?: Record<string, unknown> }).meta;
      await calls.store(
        {
          call: { ...call, brand },
          phone: number?.kind === 'phone' ? number.phone : null,
          subject: typeof meta?.subject === 'string' ? meta.subject.slice(0, 200) : null,
        },
        data.actor,
      );
      result.stored++;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      if (e.code === 'conflict') result.duplicates++;
      else result.invalid.push({ index, message: e.message });
    }
    if (index % 10 === 9 || index === total - 1) await progress(Math.round(((index + 1) / total) * 100));
  }
  return result;
}
