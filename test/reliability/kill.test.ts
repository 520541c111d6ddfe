// kill -9 of the server during a burst of ticket writes loses no write that was
// acknowledged: every ticket the server answered 201 for is in the database afterwards, and
// the server starts again on the same data.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.ts';
import { login, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

const PASSWORD = 'kill-test-password';

describe.each(ENGINES)('kill -9 during a burst of ticket writes on %s', (engine) => {
  let server: ServerProcess | undefined;
  let pgStore: TestStore | undefined;
  afterEach(async () => {
    await server?.stop();
    await pgStore?.drop();
    server = undefined;
    pgStore = undefined;
  });

  it('loses no acknowledged write', { timeout: 90_000 }, async () => {
    let env: Record<string, string>;
    let dataDir: string | undefined;
    if (engine === 'sqlite') {
      dataDir = mkdtempSync(join(tmpdir(), 'huashu-kill-'));
      env = { HUASHU_DATA_DIR: dataDir, HUASHU_ADMIN_PASSWORD: PASSWORD };
    } else {
      pgStore = await freshStore('postgres');
      env = { DATABASE_URL: pgStore.url ?? '', HUASHU_ADMIN_PASSWORD: PASSWORD };
    }
    server = await startServerProcess(env);
    const headers = { ...(await login(server.base, 'admin', PASSWORD)), 'content-type': 'application/json' };

    const acknowledged: string[] = [];
    let stop = false;
    let n = 0;
    const writer = async () => {
      while (!stop) {
        const i = n++;
        try {
          const res = await fetch(`${server?.base}/api/tickets`, {
            method: 'POST',
            headers,
            body: JSON.stringify({
              type: 'complaint',
              subtype: 'service-attitude',
              brand: 'zhonghua',
              subject: `投诉 ${i}`,
              customerPhone: `1380013${String(i % 10000).padStart(4, '0')}`,
            }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
          else if (!stop) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
        } catch (err) {
          if (!stop && (err as Error).message.startsWith('unexpected')) throw err;
          return; // the connection died with the server
        }
      }
    };
    const writers = Array.from({ length: 32 }, writer);
    // Kill in the middle of the burst, once a good number of writes went through.
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 20));
    await server.kill9();
    stop = true;
    await Promise.allSettled(writers);
    const acked = [...acknowledged];
    expect(acked.length).toBeGreaterThanOrEqual(300);

    // Every acknowledged ticket is in the database.
    const store =
      engine === 'sqlite'
        ? openStore({ sqliteFile: join(dataDir ?? '', 'huashu.sqlite') })
        : openStore({ databaseUrl: pgStore?.url });
    try {
      const ids = new Set<string>();
      for (let i = 0; i < acked.length; i += 500) {
        const rows = await store.db
          .selectFrom('tickets')
          .select('id')
          .where('id', 'in', acked.slice(i, i + 500))
          .execute();
        for (const r of rows) ids.add(r.id);
      }
      const lost = acked.filter((id) => !ids.has(id));
      expect(lost, `${lost.length} of ${acked.length} acknowledged tickets lost`).toEqual([]);
    } finally {
      await store.close();
    }

    // The server comes back on the same data.
    server = await startServerProcess(env);
    const again = { ...(await login(server.base, 'admin', PASSWORD)) };
    const one = await fetch(`${server.base}/api/tickets/${acked[0]}`, { headers: again });
    expect(one.status).toBe(200);
  });
});
