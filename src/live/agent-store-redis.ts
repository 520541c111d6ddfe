// Agents' states in Redis, shared by every server process (REDIS_URL). The records are one hash
// `<prefix>agents` (field: the agent's key, value: the record as JSON); a write is one Lua
// script comparing the stored revision, as the live calls' store does (cti/live-redis.ts).
// Presence: a sorted set per agent `<prefix>agents:presence:<key>` of console connections
// scored by the time each is connected until.
import type { Redis } from 'ioredis';
import type { AgentRecord } from './agent-state.ts';
import { type AgentStateStore, PRESENCE_MEMORY_MS } from './agent-store.ts';

// KEYS: the hash. ARGV: field, expected revision, the record's JSON (revision already raised).
const PUT = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local rev = 0
if cur then rev = cjson.decode(cur)['revision'] end
if rev ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`;

export class RedisAgentStateStore implements AgentStateStore {
  private readonly hash: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.hash = `${prefix}agents`;
  }

  private presenceKey(key: string): string {
    return `${this.prefix}agents:presence:${key}`;
  }

  async get(key: string): Promise<AgentRecord | undefined> {
    const raw = await this.redis.hget(this.hash, key);
    return raw === null ? undefined : (JSON.parse(raw) as AgentRecord);
  }

  async list(): Promise<AgentRecord[]> {
    return Object.values(await this.redis.hgetall(this.hash)).map((raw) => JSON.parse(raw) as AgentRecord);
  }

  async put(key: string, record: AgentRecord, expected: number): Promise<boolean> {
    const json = JSON.stringify({ ...record, revision: expected + 1 });
    return (await this.redis.eval(PUT, 1, this.hash, key, String(expected), json)) === 1;
  }

  async present(key: string, connection: string, until: number, closing = false): Promise<void> {
    const k = this.presenceKey(key);
    const multi = this.redis.multi();
    // GT: a heartbeat never moves a connection's time back (processes' clocks differ).
    if (closing) multi.zadd(k, String(until), connection);
    else multi.zadd(k, 'GT', String(until), connection);
    await multi
      .zremrangebyscore(k, '-inf', String(until - PRESENCE_MEMORY_MS))
      .pexpire(k, Math.max(1, until - Date.now()) + PRESENCE_MEMORY_MS)
      .exec();
  }

  async presentUntil(key: string): Promise<number | null> {
    const top = await this.redis.zrevrange(this.presenceKey(key), 0, 0, 'WITHSCORES');
    return top.length < 2 ? null : Number(top[1]);
  }
}
