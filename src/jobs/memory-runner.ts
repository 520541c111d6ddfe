// The single-process default: jobs run in this process, one at a time in arrival order, with
// the same retries, progress and dead-letter list as on BullMQ, kept in memory (the newest
// MAX_KEPT finished jobs). Periodic jobs are timers (repeat.ts): one process, so "once".
import type { Clock } from '../shared/clock.ts';
import { type Repeating, startRepeating } from './repeat.ts';
import {
  type JobDefinition,
  type JobLog,
  type JobRunner,
  type JobStatus,
  type JobView,
  jobNotFound,
  notRetryable,
  reasonOf,
  unknownJob,
} from './runner.ts';

const MAX_KEPT = 1000;

interface Entry {
  view: JobView;
  data: unknown;
}

export class MemoryJobRunner implements JobRunner {
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly periodic: { name: string; intervalMs: number; run: () => Promise<unknown> }[] = [];
  private readonly timers: Repeating<unknown>[] = [];
  private readonly jobs = new Map<string, Entry>();
  private readonly queue: Entry[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private working: Promise<void> | null = null;
  private seq = 0;
  private closed = false;

  private log: JobLog | undefined;

  constructor(private readonly clock: Clock) {}

  define(name: string, definition: JobDefinition): void {
    this.definitions.set(name, definition);
  }

  every(name: string, intervalMs: number, run: () => Promise<unknown>): void {
    this.periodic.push({ name, intervalMs, run });
  }

  async start(log?: JobLog): Promise<void> {
    this.log = log;
    for (const p of this.periodic)
      this.timers.push(
        startRepeating(p.run, p.intervalMs, (err) =>
          this.log?.error({ err, job: p.name }, 'periodic job failed; it runs again at the next interval'),
        ),
      );
  }

  async enqueue(name: string, data: unknown): Promise<JobView> {
    const def = this.definitions.get(name);
    if (!def) throw unknownJob(name);
    const id = String(++this.seq);
    const entry: Entry = {
      data,
      view: {
        id,
        name,
        status: 'waiting',
        progress: 0,
        attemptsMade: 0,
        attempts: def.attempts,
        failedReason: null,
        result: null,
        createdAt: this.clock.now().toISOString(),
        finishedAt: null,
      },
    };
    this.jobs.set(id, entry);
    this.forgetOld();
    this.push(entry);
    return structuredClone(entry.view);
  }

  async list(status: JobStatus | undefined, limit: number): Promise<JobView[]> {
    return [...this.jobs.values()]
      .reverse()
      .filter((e) => status === undefined || e.view.status === status)
      .slice(0, limit)
      .map((e) => structuredClone(e.view));
  }

  async get(id: string): Promise<JobView | undefined> {
    const e = this.jobs.get(id);
    return e ? structuredClone(e.view) : undefined;
  }

  async retry(id: string): Promise<JobView> {
    const e = this.jobs.get(id);
    if (!e) throw jobNotFound(id);
    if (e.view.status !== 'failed') throw notRetryable(id, e.view.status);
    Object.assign(e.view, { status: 'waiting', attemptsMade: 0, progress: 0, finishedAt: null });
    this.push(e);
    return structuredClone(e.view);
  }

  /** Waits until every queued job has run (tests; a shutdown). */
  async idle(): Promise<void> {
    while (this.working || this.retryTimers.size > 0) {
      if (this.working) await this.working;
      else await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    await Promise.all(this.timers.map((t) => t.stop()));
    if (this.working) await this.working;
  }

  private push(entry: Entry): void {
    this.queue.push(entry);
    if (!this.working)
      this.working = this.drain().finally(() => {
        this.working = null;
      });
  }

  private async drain(): Promise<void> {
    for (let e = this.queue.shift(); e && !this.closed; e = this.queue.shift()) await this.runOne(e);
  }

  private async runOne(e: Entry): Promise<void> {
    const def = this.definitions.get(e.view.name);
    if (!def) return;
    e.view.status = 'active';
    e.view.attemptsMade++;
    try {
      e.view.result = await def.run(e.data, {
        progress: async (p) => {
          e.view.progress = Math.max(0, Math.min(100, p));
        },
      });
      Object.assign(e.view, {
        status: 'completed',
        progress: 100,
        failedReason: null,
        finishedAt: this.clock.now().toISOString(),
      });
    } catch (err) {
      e.view.failedReason = reasonOf(err);
      if (e.view.attemptsMade >= e.view.attempts) {
        e.view.status = 'failed';
        e.view.finishedAt = this.clock.now().toISOString();
        return;
      }
      e.view.status = 'delayed';
      const t = setTimeout(
        () => {
          this.retryTimers.delete(t);
          if (!this.closed) this.push(e);
        },
        def.backoffMs * 2 ** (e.view.attemptsMade - 1),
      );
      t.unref(); // a pending retry does not keep a stopping process alive
      this.retryTimers.add(t);
    }
  }

  private forgetOld(): void {
    for (const [id, e] of this.jobs) {
      if (this.jobs.size <= MAX_KEPT) return;
      if (e.view.status === 'completed' || e.view.status === 'failed') this.jobs.delete(id);
    }
  }
}
