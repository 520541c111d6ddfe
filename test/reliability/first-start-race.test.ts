// Two `huashu serve` processes starting at the same moment on an EMPTY PostgreSQL database
// (a deployment's first start, every process launched together): both migrate, seed the
// shipped playbooks and create the first admin. Each of those first-start writes must be done
// once and neither process may fail on the other's (issue: one exited on the duplicate key
// playbook_versions_pk (generic, 1)). With Redis, as several processes on one database run
// (README "Several processes"; without it the second is refused, test/live/restart.test.ts).

import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteKeys, REDIS_URL, randomPrefix, testRedis } from '../scale/redis.ts';
import { shippedCatalog } from '../support/app.ts';
import { login, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { freshStore, type TestStore } from '../support/store.ts';

const PASSWORD = 'correct horse 1';

describe('two first starts at once on an empty PostgreSQL database', () => {
  let store: TestStore | undefined;
  const servers: ServerProcess[] = [];
  const prefix = randomPrefix();

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await store?.drop();
    const r = await testRedis();
    await deleteKeys(r.redis, prefix);
    await r.close();
  });

  it('both become healthy; each shipped playbook is stored once, at the version its file says, and there is one admin', {
    timeout: 180_000,
  }, async () => {
    store = await freshStore('postgres', { migrate: false });
    const env = {
      DATABASE_URL: store.url ?? '',
      HUASHU_ADMIN_PASSWORD: PASSWORD,
      REDIS_URL,
      HUASHU_REDIS_PREFIX: prefix,
    };
    // Started in the same tick: migrations, seeding and the admin all run concurrently.
    const started = await Promise.allSettled([
      startServerProcess(env, 120_000),
      startServerProcess(env, 120_000),
    ]);
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    const failures = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    expect(failures, failures.join('\n')).toEqual([]);

    const rows = await sql<{ brand: string; version: number; n: number }>`
      select brand, version, count(*)::int as n from playbook_versions group by brand, version order by brand`.execute(
      store.db,
    );
    const shipped = new Map(shippedCatalog().playbooks.map((p) => [p.brand.id, p.version] as const));
    expect(rows.rows.map((r) => r.brand).sort()).toEqual([...shipped.keys()].sort());
    for (const r of rows.rows) expect(r, r.brand).toMatchObject({ version: shipped.get(r.brand), n: 1 });
    const seeded = await sql<{ n: number }>`
      select count(*)::int as n from audit_log where action = 'seed' and entity_type = 'playbook'`.execute(
      store.db,
    );
    expect(seeded.rows[0]?.n).toBe(shipped.size);

    const admins = await sql<{ n: number }>`select count(*)::int as n from users`.execute(store.db);
    expect(admins.rows[0]?.n).toBe(1);
    // Both serve, and the admin signs in on either.
    for (const s of servers) {
      expect((await fetch(`${s.base}/api/health`)).status).toBe(200);
      await login(s.base, 'admin', PASSWORD);
    }
  });
});
