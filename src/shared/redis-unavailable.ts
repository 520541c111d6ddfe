// Redis away (restarting, unreachable) while a request needs it: the request gets 503
// {code: "unavailable"} saying so, as when the database is away, never a bare 500.
import { AppError } from './errors.ts';

export function redisUnavailable(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 200) ?? '';
  return new AppError('unavailable', {
    zh: `暂时无法访问 Redis（${what}）：${reason}；请稍后重试，若持续出现请检查 Redis 服务与 REDIS_URL`,
    en: `Redis cannot be reached (${what}): ${reason}; retry shortly, and if it persists check the Redis server and REDIS_URL`,
  });
}

/** Runs a Redis operation, turning a connection failure into a 503. */
export async function withRedis<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw redisUnavailable(err, what);
  }
}
