// Jobs on BullMQ (REDIS_URL): one queue shared by every server process. Each process runs a
// worker, so a job runs in whichever process is free, once; periodic jobs are BullMQ job
// schedulers, so the deadline check runs once per interval across all processes (not once in
// each). Failed attempts are retried with exponential backoff; a job out of attempts stays in
// BullMQ's failed set — the dead-letter list — until an admin retries it.
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { withRedis } from '../shared/redis-unavailable.ts';
import {
  JOB_STATUSES,
  type JobDefinition,
  type JobLog,
  type JobRunner,
  type JobStatus,
  type JobView,
  jobNotFound,
  notRetryable,
  unknownJob,
} from './runner.ts';

const QUEUE = 'jobs';
/** Finished periodic runs kept (the dead letters of a periodic job too). */
const KEEP_PERIODIC = 20;
/** Finished batch jobs kept; failed ones are kept until retried or removed. */
const KEEP_COMPLETED = 1000;

export interface BullJobRunnerOptions {
  url: string;
  /** Key prefix of the queue (HUASHU_REDIS_PREFIX + "bull"). */
  prefix: string;
}

function statusOf(state: string): JobStatus {
  if (state === 'completed' || state === 'failed' || state === 'active' || state === 'delayed') return state;
  return 'waiting';
}

export class BullJobRunner implements JobRunner {
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly periodic = new Map<string, { intervalMs: number; run: () => Promise<unknown> }>();
  private readonly connections: Redis[] = [];
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private log: JobLog | undefined;

  constructor(private readonly options: BullJobRunnerOptions) {
    this.queue = new Queue(QUEUE, { connection: this.connect(), prefix: options.prefix });
    this.queue.on('error', (err) => this.log?.error({ err }, 'job queue: Redis error'));
  }

  private connect(): Redis {
    // BullMQ's blocking commands need maxRetriesPerRequest: null.
    const c = new Redis(this.options.url, { maxRetriesPerRequest: null });
    c.on('error', () => undefined); // reported by the queue and worker; ioredis reconnects
    this.connections.push(c);
    return c;
  }

  define(name: string, definition: JobDefinition): void {
    this.definitions.set(name, definition);
  }

  every(name: string, intervalMs: number, run: () => Promise<unknown>): void {
    this.periodic.set(name, { intervalMs, run });
  }

  async start(log?: JobLog): Promise<void> {
    this.log = log;
    for (const [name, p] of this.periodic)
      await this.queue.upsertJobScheduler(
        name,
        { every: p.intervalMs },
        {
          name,
          opts: { attempts: 1, removeOnComplete: KEEP_PERIODIC, removeOnFail: KEEP_PERIODIC },
        },
      );
    this.worker = new Worker(QUEUE, (job) => this.process(job), {
      connection: this.connect(),
      prefix: this.options.prefix,
    });
    this.worker.on('error', (err) => this.log?.error({ err }, 'job worker: Redis error'));
    this.worker.on('failed', (job, err) => {
      if (job && this.periodic.has(job.name))
        this.log?.error({ err, job: job.name }, 'periodic job failed; it runs again at the next interval');
    });
  }

  private async process(job: Job): Promise<unknown> {
    const p = this.periodic.get(job.name);
    if (p) return p.run();
    const def = this.definitions.get(job.name);
    if (!def) throw unknownJob(job.name);
    return def.run(job.data, { progress: (percent) => job.updateProgress(percent) });
  }

  async enqueue(name: string, data: unknown): Promise<JobView> {
    const def = this.definitions.get(name);
    if (!def) throw unknownJob(name);
    const job = await this.guard(() =>
      this.queue.add(name, data, {
        attempts: def.attempts,
        backoff: { type: 'exponential', delay: def.backoffMs },
        removeOnComplete: KEEP_COMPLETED,
        removeOnFail: false,
      }),
    );
    return this.view(job, 'waiting');
  }

  list(status: JobStatus | undefined, limit: number): Promise<JobView[]> {
    return this.guard(() => this.listJobs(status, limit));
  }

  /** A Redis failure is a 503 that says so (the AppErrors of this runner pass as they are). */
  private guard<T>(op: () => Promise<T>): Promise<T> {
    return withRedis('background jobs', op);
  }

  private async listJobs(status: JobStatus | undefined, limit: number): Promise<JobView[]> {
    const out: JobView[] = [];
    for (const s of status ? [status] : JOB_STATUSES) {
      for (const job of await this.queue.getJobs([s], 0, limit - 1)) if (job) out.push(this.view(job, s));
    }
    return out
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
      .slice(0, limit);
  }

  get(id: string): Promise<JobView | undefined> {
    return this.guard(async () => {
      const job = await this.queue.getJob(id);
      return job ? this.view(job, statusOf(await job.getState())) : undefined;
    });
  }

  retry(id: string): Promise<JobView> {
    return this.guard(() => this.retryJob(id));
  }

  private async retryJob(id: string): Promise<JobView> {
    const job = await this.queue.getJob(id);
    if (!job) throw jobNotFound(id);
    const state = statusOf(await job.getState());
    if (state !== 'failed') throw notRetryable(id, state);
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return (await this.get(id)) ?? this.view(job, 'waiting');
  }

  private view(job: Job, status: JobStatus): JobView {
    return {
      id: String(job.id),
      name: job.name,
      status,
      progress: status === 'completed' ? 100 : typeof job.progress === 'number' ? job.progress : 0,
      attemptsMade: job.attemptsMade,
      attempts: job.opts.attempts ?? 1,
      failedReason: job.failedReason ? job.failedReason.slice(0, 2000) : null,
      result: job.returnvalue ?? null,
      createdAt: new Date(job.timestamp).toISOString(),
      finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    };
  }

  async close(): Promise<void> {
    await this.worker?.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
