// REDIS_URL is checked at start: a URL that is not Redis names the variable, and a Redis that
// does not answer stops the server with one line saying what to do (not a hang, and before the
// first admin is created).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { attemptStart, freePort } from '../support/server-process.ts';
import { freshStore } from '../support/store.ts';

describe('REDIS_URL', () => {
  it('accepts redis:// and rediss:// only, and has defaults for the rest', () => {
    expect(loadConfig({ REDIS_URL: 'rediss://cache.internal:6380' }).redisUrl).toBe(
      'rediss://cache.internal:6380',
    );
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ HUASHU_REDIS_PREFIX: 'a b' })).toThrow(/HUASHU_REDIS_PREFIX/);
    const c = loadConfig({});
    expect(c).toMatchObject({ redisUrl: undefined, redisPrefix: 'huashu:', liveCallTtlMs: 4 * 3600_000 });
    expect(c.checkIntervalMs).toBe(60_000);
  });

  it('a Redis that does not answer stops the start with one line naming REDIS_URL', async () => {
    const store = await freshStore('sqlite');
    try {
      const port = await freePort(); // nothing listens there
      const r = await attemptStart({
        HUASHU_DATA_DIR: store.dataDir ?? '',
        REDIS_URL: `redis://127.0.0.1:${port}`,
      });
      expect(r.healthy).toBe(false);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('REDIS_URL');
      expect(r.stderr).toContain(`127.0.0.1:${port}`);
      expect(r.stdout).not.toContain('password:');
    } finally {
      await store.drop();
    }
  }, 120_000);
});
