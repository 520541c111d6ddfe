// The background deadline checker: runs `runDeadlineChecks` every `intervalMs`, never two runs
// at once (the next run is scheduled only when the previous one has finished), and stops
// cleanly (waits for a run in progress).
import type { Clock } from '../shared/clock.ts';
import type { DeadlineCheckResult, TicketsService } from './service.ts';

export interface DeadlineTimer {
  /** Runs a check now (or waits for the one running) — for tests and an admin button. */
  runNow(): Promise<DeadlineCheckResult | null>;
  stop(): Promise<void>;
}

interface Log {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export function startDeadlineTimer(
  service: Pick<TicketsService, 'runDeadlineChecks'>,
  clock: Clock,
  intervalMs: number,
  log?: Log,
): DeadlineTimer {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<DeadlineCheckResult | null> | null = null;
  let stopped = false;

  const run = (): Promise<DeadlineCheckResult | null> => {
    if (running) return running;
    running = (async () => {
      try {
        const r = await service.runDeadlineChecks(clock.now());
        if (r.breaches > 0) log?.info({ ...r }, 'deadline check: breaches recorded');
        return r;
      } catch (err) {
        log?.error({ err }, 'deadline check failed; retrying at the next interval');
        return null;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(async () => {
      timer = null;
      await run();
      schedule();
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runNow: run,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running;
    },
  };
}
