// Background jobs behind one interface, so the admin view and the callers do not care where
// they run: BullMQ on Redis when REDIS_URL is set (bullmq-runner.ts: shared by every process,
// periodic jobs run once across them), otherwise in this process (memory-runner.ts).
// A job that fails every attempt is kept as `failed`: the dead-letter list an admin sees and
// retries from.
import { AppError } from '../shared/errors.ts';

export type JobStatus = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed';
export const JOB_STATUSES: readonly JobStatus[] = ['waiting', 'active', 'delayed', 'completed', 'failed'];

/** Where failures of periodic jobs and of the connection are reported (the server's log). */
export interface JobLog {
  error(obj: object, msg: string): void;
}

export interface JobView {
  id: string;
  name: string;
  status: JobStatus;
  /** 0–100. */
  progress: number;
  attemptsMade: number;
  attempts: number;
  /** Why the last attempt failed. */
  failedReason: string | null;
  result: unknown;
  createdAt: string;
  finishedAt: string | null;
}

export interface JobContext {
  /** Reports how far the job is, 0–100 (the admin view shows it). */
  progress(percent: number): Promise<void>;
}

export interface JobDefinition {
  run(data: unknown, ctx: JobContext): Promise<unknown>;
  /** Tries before the job is dead (1: no retry). */
  attempts: number;
  /** Wait before a retry; doubles each time. */
  backoffMs: number;
}

export interface JobRunner {
  /** Says how to run jobs of this name (before start). */
  define(name: string, definition: JobDefinition): void;
  /** A job run every `intervalMs` — once across all processes sharing the runner's store. */
  every(name: string, intervalMs: number, run: () => Promise<unknown>): void;
  /** Starts working: periodic jobs and (BullMQ) the worker. Jobs are accepted before it. */
  start(log?: JobLog): Promise<void>;
  enqueue(name: string, data: unknown): Promise<JobView>;
  /** Newest first, at most `limit`. */
  list(status: JobStatus | undefined, limit: number): Promise<JobView[]>;
  get(id: string): Promise<JobView | undefined>;
  /** Puts a failed (dead) job back in the queue with its attempts anew. */
  retry(id: string): Promise<JobView>;
  close(): Promise<void>;
}

export const unknownJob = (name: string) =>
  new AppError('validation', {
    zh: `没有名为“${name}”的后台任务类型`,
    en: `no job type '${name}'`,
  });

export const jobNotFound = (id: string) =>
  new AppError('not-found', {
    zh: `没有后台任务“${id}”（已完成的任务只保留最近的若干条）`,
    en: `no job '${id}' (only the most recent finished jobs are kept)`,
  });

export const notRetryable = (id: string, status: JobStatus) =>
  new AppError('conflict', {
    zh: `后台任务“${id}”的状态为 ${status}，只有失败的任务可以重试`,
    en: `job '${id}' is ${status}; only a failed job can be retried`,
  });

export const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);
