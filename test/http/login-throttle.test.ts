// Login throttling, on both engines: failures lock the (account, address) pair with
// exponential backoff (the right password too), an attack spread over addresses locks the
// account but not the user's own workstation, other users are unaffected, and throttled
// attempts cost no scrypt, so a normal login gets through during an attack.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCRYPT_CONCURRENCY, scryptStats } from '../../src/accounts/password.ts';
import { type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

const RIGHT = 'correct horse 1';

describe.each(ENGINES)('login throttling on %s', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp(engine);
    for (const [username, agentNumber] of [
      ['li.na', '1024'],
      ['wang.fang', '1025'],
    ] as const) {
      await t.app.services.accounts.createUser(
        { username, displayName: username, role: 'agent', agentNumber, password: RIGHT },
        { userId: 'system:test', ip: null },
      );
    }
  });
  afterEach(async () => {
    await t.close();
  });

  const login = (username: string, password: string, ip: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress: ip,
    });

  it('after repeated failures the right password gets 429 with Retry-After, and works once it has passed', async () => {
    const attacker = '203.0.113.7';
    for (let i = 0; i < 5; i++)
      expect((await login('li.na', `guess number ${i}`, attacker)).statusCode).toBe(401);
    const locked = await login('li.na', RIGHT, attacker);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'too-many-requests' });
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // Another account from another address is unaffected meanwhile.
    expect((await login('wang.fang', RIGHT, '198.51.100.9')).statusCode).toBe(200);
    t.clock.advance(retryAfter * 1000);
    expect((await login('li.na', RIGHT, attacker)).statusCode).toBe(200);
  });

  it('200 wrong passwords: 5 reach scrypt, the rest and the right password are refused, and the lock grows', async () => {
    const attacker = '203.0.113.8';
    const before = scryptStats.calls;
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++)
      statuses.push((await login('li.na', `guess number ${i}`, attacker)).statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(195);
    expect(scryptStats.calls - before).toBe(5);
    const first = await login('li.na', RIGHT, attacker);
    expect(first.statusCode).toBe(429);
    // Backoff: each failure after the lock passes doubles it.
    t.clock.advance(Number(first.headers['retry-after']) * 1000);
    expect((await login('li.na', 'one more guess', attacker)).statusCode).toBe(401);
    const second = await login('li.na', RIGHT, attacker);
    expect(second.statusCode).toBe(429);
    expect(Number(second.headers['retry-after'])).toBe(2 * Number(first.headers['retry-after']));
  });

  it('an attack spread over many addresses locks the account, but not where the user signed in before', async () => {
    expect((await login('li.na', RIGHT, '10.0.0.5')).statusCode).toBe(200); // her workstation
    for (let i = 0; i < 20; i++) {
      expect((await login('li.na', `guess number ${i}`, `203.0.113.${100 + i}`)).statusCode).toBe(401);
    }
    const fresh = await login('li.na', RIGHT, '203.0.113.200');
    expect(fresh.statusCode).toBe(429);
    expect(Number(fresh.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await login('li.na', RIGHT, '10.0.0.5')).statusCode).toBe(200);
    expect((await login('wang.fang', RIGHT, '203.0.113.200')).statusCode).toBe(200);
  });

  it('during 30 concurrent wrong logins another user signs in; throttled attempts cost no scrypt', async () => {
    const before = scryptStats.calls;
    scryptStats.maxRunning = 0;
    const attack = Array.from({ length: 30 }, (_, i) => login('li.na', `guess number ${i}`, '203.0.113.9'));
    const normal = login('wang.fang', RIGHT, '198.51.100.10');
    const [results, mine] = await Promise.all([Promise.all(attack), normal]);
    expect(mine.statusCode).toBe(200);
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    // The 5 attempts the throttle let through, and the normal login: nothing else ran scrypt,
    // and never more than SCRYPT_CONCURRENCY at once.
    expect(scryptStats.calls - before).toBe(6);
    expect(scryptStats.maxRunning).toBeLessThanOrEqual(SCRYPT_CONCURRENCY);
  });

  it('usernames ignore case at login', async () => {
    expect((await login('LI.NA', RIGHT, '10.0.0.6')).statusCode).toBe(200);
  });
});
