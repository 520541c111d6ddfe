// The live calls in Redis, shared by every server process (REDIS_URL). A call is a hash
// {rev, data} under `<prefix>live:call:<id>` with a TTL (refreshed on every write), and a sorted
// set `<prefix>live:index` lists the ids by expiry for list(). Each write is one Lua script that
// compares the stored revision and writes in one step, so two processes applying events of one
// call at once never both win. Expiry uses the Redis server's clock (TIME), one clock for all.
import type { Redis } from 'ioredis';
import { withRedis } from '../shared/redis-unavailable.ts';
import {
  DEFAULT_LIVE_CALL_TTL_MS,
  type LiveCall,
  type LiveCallStore,
  type LiveStoreOptions,
} from './live.ts';

const NOW = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: call, index. ARGV: id, rev, data, ttl ms.
const CREATE = `${NOW}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'rev', ARGV[2], 'data', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
return 1`;

// KEYS: call, index. ARGV: id, rev, data, ttl ms, expected rev.
const REPLACE = `${NOW}
local rev = redis.call('HGET', KEYS[1], 'rev')
if not rev or rev ~= ARGV[5] then return 0 end
redis.call('HSET', KEYS[1], 'rev', ARGV[2], 'data', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
return 1`;

// KEYS: call, index. ARGV: id, expected rev.
const REMOVE = `
local rev = redis.call('HGET', KEYS[1], 'rev')
if not rev or rev ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`;

// KEYS: index. Drops the ids whose expiry passed (their keys are gone already).
const SWEEP = `${NOW}
return redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)`;

export interface RedisLiveStoreOptions extends LiveStoreOptions {
  /** Put before every key: one Redis can serve several deployments (and tests). */
  prefix: string;
}

export class RedisLiveCallStore implements LiveCallStore {
  private readonly ttl: number;
  private readonly index: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisLiveStoreOptions,
  ) {
    this.ttl = Math.max(1, Math.round(options.staleAfterMs ?? DEFAULT_LIVE_CALL_TTL_MS));
    this.index = `${options.prefix}live:index`;
  }

  private key(callId: string): string {
    return `${this.options.prefix}live:call:${callId}`;
  }

  get(callId: string): Promise<LiveCall | undefined> {
    return withRedis('live calls', () => this.read(callId));
  }

  private async read(callId: string): Promise<LiveCall | undefined> {
    const data = await this.redis.hget(this.key(callId), 'data');
    return data === null ? undefined : (JSON.parse(data) as LiveCall);
  }

  async create(call: LiveCall): Promise<boolean> {
    const r = await this.run(
      CREATE,
      2,
      this.key(call.callId),
      this.index,
      call.callId,
      String(call.revision),
      JSON.stringify(call),
      String(this.ttl),
    );
    return r === 1;
  }

  async replace(call: LiveCall, expected: number): Promise<boolean> {
    const r = await this.run(
      REPLACE,
      2,
      this.key(call.callId),
      this.index,
      call.callId,
      String(call.revision),
      JSON.stringify(call),
      String(this.ttl),
      String(expected),
    );
    return r === 1;
  }

  async remove(callId: string, expected: number): Promise<boolean> {
    const r = await this.run(REMOVE, 2, this.key(callId), this.index, callId, String(expected));
    return r === 1;
  }

  list(): Promise<LiveCall[]> {
    return withRedis('live calls', () => this.readAll());
  }

  private run(script: string, keys: number, ...args: string[]): Promise<unknown> {
    return withRedis('live calls', () => this.redis.eval(script, keys, ...args));
  }

  private async readAll(): Promise<LiveCall[]> {
    const ids = await this.redis.zrange(this.index, '0', '-1');
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.key(id), 'data');
    const rows = (await pipeline.exec()) ?? [];
    const out: LiveCall[] = [];
    for (const [err, data] of rows) {
      if (err) throw err;
      // An expired call's key is gone while its id waits in the index for the sweep.
      if (typeof data === 'string') out.push(JSON.parse(data) as LiveCall);
    }
    return out;
  }

  async sweep(): Promise<number> {
    return Number(await this.run(SWEEP, 1, this.index));
  }
}
