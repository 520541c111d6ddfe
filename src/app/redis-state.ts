// What several server processes share through Redis (REDIS_URL): live calls, the login
// throttle and the jobs (BullMQ). Loaded only when REDIS_URL is set, so a one-process start
// never loads ioredis or BullMQ.
import { Redis } from 'ioredis';
import { RedisThrottleStore } from '../accounts/throttle-redis.ts';
import type { Config } from '../config/config.ts';
import { RedisLiveCallStore } from '../cti/live-redis.ts';
import { maskRedisUrl, RedisStartError } from '../events/redis.ts';
import { BullJobRunner } from '../jobs/bullmq-runner.ts';
import { RedisAgentStateStore } from '../live/agent-store-redis.ts';
import { RedisLiveHub } from '../live/hub-redis.ts';
import type { ApplicationDeps } from './application.ts';

export interface RedisState {
  /** What createApplication takes from Redis instead of this process's memory. */
  deps: Pick<ApplicationDeps, 'liveCalls' | 'throttleStore' | 'jobs' | 'liveHub' | 'agentStates'>;
  /** Closes the shared connection; the jobs are the application's, which closes them. */
  close(): Promise<void>;
}

/**
 * Redis must answer now: a start without it would hang or, worse, run alone unnoticed.
 * Throws RedisStartError (one line naming REDIS_URL, password masked) when it does not.
 */
export async function connectRedisState(config: Config, url: string): Promise<RedisState> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // The socket's own error (ECONNREFUSED, a DNS failure) says more than connect()'s rejection.
  let cause: Error | undefined;
  probe.on('error', (err: Error) => {
    cause ??= err;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new RedisStartError(
      `Huashu did not start: cannot reach Redis at REDIS_URL=${maskRedisUrl(url)} (${(cause ?? (err as Error)).message}); start Redis or correct REDIS_URL, or unset it to run as one process without Redis`,
      { cause: err },
    );
  } finally {
    probe.disconnect();
  }
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined); // ioredis reconnects; requests meanwhile fail and say so
  const prefix = config.redisPrefix;
  return {
    deps: {
      liveCalls: new RedisLiveCallStore(redis, { prefix, staleAfterMs: config.liveCallTtlMs }),
      throttleStore: new RedisThrottleStore(redis, prefix),
      agentStates: new RedisAgentStateStore(redis, prefix),
      jobs: new BullJobRunner({ url, prefix: `${prefix}bull` }),
      // Started by the server with the application's live assist (LiveAssistService.start).
      liveHub: new RedisLiveHub(url, prefix, Date.now, (err) =>
        process.stderr.write(`huashu: live assist over Redis: ${err.message}\n`),
      ),
    },
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
