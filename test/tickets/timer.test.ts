// The background deadline checker never runs twice at once and stops cleanly.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FixedClock } from '../../src/shared/clock.ts';
import type { DeadlineCheckResult } from '../../src/tickets/service.ts';
import { startDeadlineTimer } from '../../src/tickets/timer.ts';

const NONE: DeadlineCheckResult = { tickets: 0, breaches: 0, escalations: 0 };

describe('startDeadlineTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs every interval, never overlapping a slow run, and stops', async () => {
    let active = 0;
    let most = 0;
    const runs: Date[] = [];
    const service = {
      async runDeadlineChecks(now: Date) {
        active++;
        most = Math.max(most, active);
        runs.push(now);
        await new Promise((r) => setTimeout(r, 2500)); // slower than the interval
        active--;
        return NONE;
      },
    };
    const clock = new FixedClock(new Date('2026-11-20T01:00:00Z'));
    const timer = startDeadlineTimer(service, clock, 1000);
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(1);
    // A manual run while one is going joins it.
    const joined = timer.runNow();
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await joined).toEqual(NONE);
    expect(most).toBe(1);
    // 1000 + (2500 + 1000) per run: runs start at 1s, 4.5s, 8s.
    expect(runs).toHaveLength(3);
    const stopping = timer.stop();
    await vi.advanceTimersByTimeAsync(3000);
    await stopping;
    const after = runs.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toHaveLength(after);
  });

  it('keeps going after a failed run and logs it', async () => {
    let n = 0;
    const errors: unknown[] = [];
    const service = {
      async runDeadlineChecks() {
        n++;
        if (n === 1) throw new Error('database away');
        return { tickets: 1, breaches: 2, escalations: 2 };
      },
    };
    const log = { error: (obj: object) => errors.push(obj), info: () => {} };
    const timer = startDeadlineTimer(service, new FixedClock(new Date()), 100, log);
    await vi.advanceTimersByTimeAsync(250);
    expect(n).toBe(2);
    expect(errors).toHaveLength(1);
    await timer.stop();
  });
});
