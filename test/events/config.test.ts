// The event settings: REDIS_URL and HUASHU_EVENT_RELAY are checked at start with a message
// naming the variable, and a Redis that does not answer stops the start with one line saying
// where and what to do, before anything listens.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { attemptStart, freePort } from '../support/server-process.ts';

describe('event settings', () => {
  it('accepts redis:// and rediss:// URLs and refuses others with an example', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(loadConfig({ REDIS_URL: 'rediss://cache.example:6380/1' }).redisUrl).toBe(
      'rediss://cache.example:6380/1',
    );
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({}).eventRelay).toBe(true);
    expect(loadConfig({ HUASHU_EVENT_RELAY: 'off' }).eventRelay).toBe(false);
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: '127.0.0.1:6379' })).toThrow(
      /REDIS_URL: .*redis:\/\/127\.0\.0\.1:6379/,
    );
    expect(() => loadConfig({ HUASHU_EVENT_RELAY: 'maybe' })).toThrow(/HUASHU_EVENT_RELAY/);
    expect(() => loadConfig({ HUASHU_REDIS_PREFIX: 'has space' })).toThrow(/HUASHU_REDIS_PREFIX/);
  });

  it('a Redis that does not answer stops the start with a message naming REDIS_URL', {
    timeout: 90_000,
  }, async () => {
    const port = await freePort(); // nothing listens there
    const r = await attemptStart({
      HUASHU_DATA_DIR: mkdtempSync(join(tmpdir(), 'huashu-redis-')),
      HUASHU_ADMIN_PASSWORD: 'redis-start-password',
      REDIS_URL: `redis://:secret@127.0.0.1:${port}`,
    });
    expect(r.healthy).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`REDIS_URL=redis://:***@127.0.0.1:${port}`);
    expect(r.stderr).toContain('start Redis or correct REDIS_URL');
    expect(r.stderr).not.toContain('secret');
    expect(r.stdout).not.toContain('password:'); // no first admin was created
  });
});
