// The deadline checker as a timer in this process: runs `runDeadlineChecks` every `intervalMs`,
// never two runs at once, and stops cleanly (src/jobs/repeat.ts). The server runs the check
// through its job runner (src/jobs): this timer on one process, a BullMQ job scheduler — once
// across processes — with REDIS_URL. Kept for callers that want the check alone.
import { startRepeating } from '../jobs/repeat.ts';
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
  return startRepeating(
    async () => {
      const r = await service.runDeadlineChecks(clock.now());
      if (r.breaches > 0) log?.info({ ...r }, 'deadline check: breaches recorded');
      return r;
    },
    intervalMs,
    (err) => log?.error({ err }, 'deadline check failed; retrying at the next interval'),
  );
}
