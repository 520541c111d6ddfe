// The machine's Redis for tests: several helpers and test files share one server, so every
// test uses keys under a random prefix of its own and deletes only those (never FLUSHDB).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.HUASHU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const randomPrefix = () => `huashu-test:${randomBytes(6).toString('hex')}:`;

export interface TestRedis {
  redis: Redis;
  prefix: string;
  /** Another connection: what a second server process would use. */
  another(): Redis;
  /** Deletes this test's keys and closes the connections. */
  close(): Promise<void>;
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export async function testRedis(): Promise<TestRedis> {
  const prefix = randomPrefix();
  const connections: Redis[] = [];
  const connect = () => {
    const r = new Redis(REDIS_URL);
    connections.push(r);
    return r;
  };
  const redis = connect();
  return {
    redis,
    prefix,
    another: connect,
    close: async () => {
      await deleteKeys(redis, prefix);
      await Promise.all(connections.map((c) => c.quit()));
    },
  };
}
