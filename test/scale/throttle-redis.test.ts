// The login throttle with its buckets in Redis: two server processes (two throttles on two
// connections) count the same failures, concurrent attempts across them cannot pass the
// threshold together, the user's known address stays exempt, and an admin's reset ends the
// account-wide lock for both.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoginThrottle, TooManyRequestsError } from '../../src/accounts/throttle.ts';
import { RedisThrottleStore } from '../../src/accounts/throttle-redis.ts';
import { FixedClock } from '../../src/shared/clock.ts';
import { type TestRedis, testRedis } from './redis.ts';

describe('login throttle shared through Redis', () => {
  let r: TestRedis;
  let clock: FixedClock;
  let a: LoginThrottle;
  let b: LoginThrottle;
  beforeEach(async () => {
    r = await testRedis();
    clock = new FixedClock(new Date('2026-11-20T01:00:00Z'));
    a = new LoginThrottle(clock, new RedisThrottleStore(r.redis, r.prefix));
    b = new LoginThrottle(clock, new RedisThrottleStore(r.another(), r.prefix));
  });
  afterEach(async () => {
    await r.close();
  });

  const refusal = async (t: LoginThrottle, account: string, ip: string) => {
    try {
      const attempt = await t.begin(account, ip);
      await attempt.abandon();
      return null;
    } catch (e) {
      if (e instanceof TooManyRequestsError) return e.retryAfterSeconds;
      throw e;
    }
  };

  it('failures on two processes add up: the 6th attempt is refused on either, for 1 s, then doubles', async () => {
    const ip = '203.0.113.7';
    for (let i = 0; i < 5; i++) {
      const t = i % 2 === 0 ? a : b;
      await (await t.begin('li.na', ip)).failed();
    }
    expect(await refusal(a, 'li.na', ip)).toBe(1);
    expect(await refusal(b, 'li.na', ip)).toBe(1);
    // Another account from another address is unaffected.
    expect(await refusal(b, 'wang.fang', '198.51.100.9')).toBeNull();
    clock.advance(1000);
    const lockMs = await (await b.begin('li.na', ip)).failed();
    expect(lockMs).toBe(2000);
    expect(await refusal(a, 'li.na', ip)).toBe(2);
  });

  it('20 concurrent guesses spread over both processes: only 5 get to check a password', async () => {
    const ip = '203.0.113.8';
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a : b).begin('li.na', ip).then(
          () => 'reserved',
          (e) => (e instanceof TooManyRequestsError ? 'refused' : 'error'),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'reserved')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(15);
  });

  it('an attack over many addresses locks the account, not where she signed in before; a reset ends it', async () => {
    await (await a.begin('li.na', '10.0.0.5')).succeeded(); // her workstation
    for (let i = 0; i < 20; i++)
      await (await (i % 2 ? a : b).begin('li.na', `203.0.113.${100 + i}`)).failed();
    expect(await refusal(a, 'li.na', '203.0.113.200')).toBeGreaterThanOrEqual(1);
    expect(await refusal(b, 'li.na', '10.0.0.5')).toBeNull();
    await b.forgetAccount('li.na');
    expect(await refusal(a, 'li.na', '203.0.113.200')).toBeNull();
  });
});
