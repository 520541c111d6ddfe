// The login throttle's buckets in Redis (REDIS_URL), so every server process counts the same
// failures: an attacker cannot multiply their guesses by the number of processes. The same
// rules as the memory store (throttle.ts), each step one Lua script (check-and-reserve is
// atomic across processes). A bucket is a hash {f: failures, last, locked} with its pending
// attempts in a sorted set by start time; a reservation left by a process that died is ignored
// after PENDING_MS, so it cannot hold a bucket shut.
import type { Redis } from 'ioredis';
import { withRedis } from '../shared/redis-unavailable.ts';
import {
  type AttemptKeys,
  type BucketPolicy,
  LOGIN_THROTTLE,
  type Outcome,
  type ThrottlePolicy,
  type ThrottleStore,
} from './throttle.ts';

const PENDING_MS = 60_000;

// KEYS: hash, pending per bucket. ARGV: now, token, pendingMs, then threshold, forgetMs per bucket.
const RESERVE = `
local now = tonumber(ARGV[1])
local n = #KEYS / 2
local wait = 0
for i = 1, n do
  local h, p = KEYS[2 * i - 1], KEYS[2 * i]
  local threshold, forget = tonumber(ARGV[2 + 2 * i]), tonumber(ARGV[3 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', p, '-inf', now - tonumber(ARGV[3]))
  local pending = redis.call('ZCARD', p)
  local f = tonumber(redis.call('HGET', h, 'f') or '0')
  local last = tonumber(redis.call('HGET', h, 'last') or '0')
  local locked = tonumber(redis.call('HGET', h, 'locked') or '0')
  if pending == 0 and locked <= now and now - last > forget then
    redis.call('DEL', h)
    f = 0
  end
  local w = 0
  if locked > now then w = locked - now
  elseif f >= threshold then
    if pending > 0 then w = 1000 end
  elseif f + pending >= threshold then w = 1000 end
  if w > wait then wait = w end
end
if wait > 0 then return wait end
for i = 1, n do
  redis.call('ZADD', KEYS[2 * i], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[2 * i], tonumber(ARGV[3]) * 2)
end
return 0`;

// KEYS: hash, pending per bucket (pair, address, [account]), then the known set.
// ARGV: now, token, outcome, address, then threshold, base, max, forget per bucket.
// Returns the lock (ms) of the pair and account buckets after a failure.
const SETTLE = `
local now = tonumber(ARGV[1])
local n = (#KEYS - 1) / 2
local known = KEYS[#KEYS]
for i = 1, n do redis.call('ZREM', KEYS[2 * i], ARGV[2]) end
if ARGV[3] == 'succeeded' then
  redis.call('DEL', KEYS[1])
  if redis.call('SCARD', known) < 20 then redis.call('SADD', known, ARGV[4]) end
  redis.call('PEXPIRE', known, 90 * 24 * 3600 * 1000)
  return 0
end
if ARGV[3] ~= 'failed' then return 0 end
local result = 0
for i = 1, n do
  local h = KEYS[2 * i - 1]
  local o = 4 * i
  local threshold, base, max, forget = tonumber(ARGV[o + 1]), tonumber(ARGV[o + 2]), tonumber(ARGV[o + 3]), tonumber(ARGV[o + 4])
  local f = redis.call('HINCRBY', h, 'f', 1)
  redis.call('HSET', h, 'last', now)
  local ms = 0
  if f >= threshold then
    ms = math.min(max, base * 2 ^ math.min(30, f - threshold))
    redis.call('HSET', h, 'locked', now + ms)
  end
  redis.call('PEXPIRE', h, math.floor(ms + forget))
  if i ~= 2 and ms > result then result = ms end
end
return result`;

export class RedisThrottleStore implements ThrottleStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly policy: ThrottlePolicy = LOGIN_THROTTLE,
  ) {}

  private knownKey(account: string): string {
    return `${this.prefix}throttle:known:${account}`;
  }

  /** The buckets in order pair, address, account (when counted), each with its policy. */
  private buckets(k: AttemptKeys): { keys: string[]; policies: BucketPolicy[] } {
    const p = `${this.prefix}throttle:`;
    const names = [`pair:${k.account}\u0000${k.address}`, `address:${k.address}`];
    const policies = [this.policy.pair, this.policy.address];
    if (k.countAccount) {
      names.push(`account:${k.account}`);
      policies.push(this.policy.account);
    }
    return { keys: names.flatMap((n) => [`${p}${n}`, `${p}${n}:pending`]), policies };
  }

  async isKnown(account: string, address: string): Promise<boolean> {
    return (
      (await withRedis('sign-in throttle', () => this.redis.sismember(this.knownKey(account), address))) === 1
    );
  }

  async reserve(k: AttemptKeys, token: string, now: number): Promise<number> {
    const { keys, policies } = this.buckets(k);
    const args = policies.flatMap((b) => [b.threshold, b.forgetMs]);
    return Number(await this.redis.eval(RESERVE, keys.length, ...keys, now, token, PENDING_MS, ...args));
  }

  async settle(k: AttemptKeys, token: string, outcome: Outcome, now: number): Promise<number> {
    const { keys, policies } = this.buckets(k);
    const args = policies.flatMap((b) => [b.threshold, b.baseMs, b.maxMs, b.forgetMs]);
    const all = [...keys, this.knownKey(k.account)];
    return Number(await this.redis.eval(SETTLE, all.length, ...all, now, token, outcome, k.address, ...args));
  }

  async forgetAccount(account: string): Promise<void> {
    const key = `${this.prefix}throttle:account:${account}`;
    await withRedis('sign-in throttle', () => this.redis.del(key, `${key}:pending`));
  }
}
