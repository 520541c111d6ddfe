// The job runner, in this process and on BullMQ (Redis): progress is visible while a job
// runs, a job failing every attempt lands in the dead-letter list (status failed, with its
// reason) after its retries and an admin's retry runs it again; on BullMQ a periodic job runs
// once per interval although two processes (two runners) have it.
import { afterEach, describe, expect, it } from 'vitest';
import { BullJobRunner } from '../../src/jobs/bullmq-runner.ts';
import { MemoryJobRunner } from '../../src/jobs/memory-runner.ts';
import type { JobRunner, JobView } from '../../src/jobs/runner.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { deleteKeys, REDIS_URL, randomPrefix, testRedis } from './redis.ts';

const opened: JobRunner[] = [];
let prefix = '';

const runners: Record<string, () => JobRunner> = {
  memory: () => new MemoryJobRunner(systemClock),
  bullmq: () => new BullJobRunner({ url: REDIS_URL, prefix }),
};

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.close()));
  const r = await testRedis();
  await deleteKeys(r.redis, prefix);
  await r.close();
});

describe.each(Object.keys(runners))('jobs %s', (kind) => {
  const open = async () => {
    const runner = (runners[kind] as () => JobRunner)();
    opened.push(runner);
    return runner;
  };

  it('shows progress while a job runs, and its result when done', async () => {
    prefix = randomPrefix();
    const runner = await open();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    runner.define('count', {
      attempts: 1,
      backoffMs: 10,
      run: async (data, ctx) => {
        await ctx.progress(40);
        await gate;
        return { counted: (data as { n: number }).n };
      },
    });
    await runner.start();
    const job = await runner.enqueue('count', { n: 3 });
    let seen: JobView | undefined;
    await until('progress 40', async () => {
      seen = await runner.get(job.id);
      return seen?.progress === 40;
    });
    expect(seen?.status).toBe('active');
    release();
    await until('completion', async () => (await runner.get(job.id))?.status === 'completed');
    expect(await runner.get(job.id)).toMatchObject({
      progress: 100,
      result: { counted: 3 },
      failedReason: null,
    });
  });

  it('a job failing every attempt is dead after its retries, with the reason; a retry runs it again', async () => {
    prefix = randomPrefix();
    const runner = await open();
    let calls = 0;
    let healthy = false;
    runner.define('flaky', {
      attempts: 3,
      backoffMs: 20,
      run: async () => {
        calls++;
        if (!healthy) throw new Error('database away');
        return 'ok';
      },
    });
    await runner.start();
    const job = await runner.enqueue('flaky', {});
    await until('the dead letter', async () => (await runner.get(job.id))?.status === 'failed');
    expect(calls).toBe(3);
    const dead = await runner.list('failed', 10);
    expect(dead.map((j) => j.id)).toEqual([job.id]);
    expect(dead[0]).toMatchObject({
      name: 'flaky',
      attemptsMade: 3,
      attempts: 3,
      failedReason: 'database away',
    });
    // Retrying a job that is not dead is refused.
    const other = await runner.enqueue('flaky', {});
    await until('second dead letter', async () => (await runner.get(other.id))?.status === 'failed');
    healthy = true;
    await runner.retry(job.id);
    await until('the retried job', async () => (await runner.get(job.id))?.status === 'completed');
    expect(await runner.get(job.id)).toMatchObject({ result: 'ok', attemptsMade: 1 });
    await expect(runner.retry(job.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(runner.retry('nope')).rejects.toMatchObject({ code: 'not-found' });
    expect((await runner.list('failed', 10)).map((j) => j.id)).toEqual([other.id]);
  });
});

describe('periodic jobs on BullMQ', () => {
  it('run once per interval across two processes, not once in each', async () => {
    prefix = randomPrefix();
    const runs: { by: string; at: number }[] = [];
    const interval = 200;
    for (const by of ['A', 'B']) {
      const runner = new BullJobRunner({ url: REDIS_URL, prefix });
      opened.push(runner);
      runner.every('tick', interval, async () => {
        runs.push({ by, at: Date.now() });
      });
      await runner.start();
    }
    await until('the first runs', async () => runs.length >= 2);
    const from = Date.now();
    await new Promise((r) => setTimeout(r, 2000));
    const to = Date.now();
    const inWindow = runs.filter((r) => r.at >= from && r.at < to).length;
    // One scheduler: at most one run per interval (+1 at the edge); a timer in each process
    // would make about twice as many.
    expect(inWindow).toBeGreaterThan(0);
    expect(inWindow).toBeLessThanOrEqual(Math.floor((to - from) / interval) + 1);
    await Promise.all(opened.splice(0).map((r) => r.close()));
    const after = runs.length;
    await new Promise((r) => setTimeout(r, 2 * interval));
    expect(runs.length).toBe(after);
  });
});
