// The agents' state stores, memory and Redis (127.0.0.1), held to one contract: a write wins
// only on the revision it read (two processes writing one agent at once: one wins, the other
// reads again), and presence is the latest time any console of the agent is connected until —
// a heartbeat never moves it back, a closing console does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialRecord } from '../../src/live/agent-state.ts';
import { type AgentStateStore, MemoryAgentStateStore } from '../../src/live/agent-store.ts';
import { RedisAgentStateStore } from '../../src/live/agent-store-redis.ts';
import { type TestRedis, testRedis } from '../scale/redis.ts';

const KEY = 'zhonghua/1024';
const T0 = Date.UTC(2026, 10, 30, 2);

describe.each(['memory', 'redis'] as const)('the agents’ state store (%s)', (kind) => {
  let r: TestRedis | undefined;
  let store: AgentStateStore;
  let other: AgentStateStore;

  beforeAll(async () => {
    if (kind === 'redis') {
      r = await testRedis();
      store = new RedisAgentStateStore(r.redis, r.prefix);
      other = new RedisAgentStateStore(r.another(), r.prefix);
    } else {
      store = new MemoryAgentStateStore();
      other = store;
    }
  });
  afterAll(async () => {
    await r?.close();
  });

  it('writes on the revision read; a writer that read before another’s write loses', async () => {
    const first = { ...initialRecord({ agentNumber: '1024', brand: 'zhonghua' }, T0), online: true };
    expect(await store.put(KEY, first, 0)).toBe(true);
    const read = await other.get(KEY);
    expect(read).toMatchObject({ revision: 1, online: true });
    expect(await store.put(KEY, { ...first, state: 'ready', work: 'ready' }, 1)).toBe(true);
    // `other` read revision 1; its write comes too late.
    expect(await other.put(KEY, { ...(read as typeof first), state: 'not-ready', reason: 'meal' }, 1)).toBe(
      false,
    );
    expect(await other.get(KEY)).toMatchObject({ state: 'ready', revision: 2 });
    expect((await other.list()).map((x) => x.agentNumber)).toEqual(['1024']);
  });

  it('keeps the latest time any console is connected until; a heartbeat never lowers it, a close does', async () => {
    expect(await store.presentUntil('x/1')).toBeNull();
    await store.present('x/1', 'a', T0 + 30_000);
    await other.present('x/1', 'b', T0 + 10_000);
    expect(await store.presentUntil('x/1')).toBe(T0 + 30_000);
    await store.present('x/1', 'a', T0 + 5_000); // a heartbeat from a process whose clock is behind
    expect(await other.presentUntil('x/1')).toBe(T0 + 30_000);
    await store.present('x/1', 'a', T0 + 1_000, true); // console a closed
    expect(await other.presentUntil('x/1')).toBe(T0 + 10_000);
  });
});
