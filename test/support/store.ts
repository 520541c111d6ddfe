// Fresh stores for tests: a real SQLite file in a temp folder, or a fresh schema in the
// machine's real PostgreSQL (HUASHU_TEST_DATABASE_URL, default the local "test" database).
// Every test gets its own, migrated, and drops it afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Dialect, openStore, type Store } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export const PG_URL = process.env.HUASHU_TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
export const ENGINES: Dialect[] = ['sqlite', 'postgres'];

export interface TestStore extends Store {
  /** The DATABASE_URL / data dir a server process would use to reach the same data. */
  url: string | undefined;
  dataDir: string | undefined;
  drop(): Promise<void>;
}

/** `migrate: false` gives an empty database, for tests of the migrations themselves. */
export async function freshStore(engine: Dialect, options: { migrate?: boolean } = {}): Promise<TestStore> {
  const migrate = options.migrate ?? true;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-test-'));
    const store = openStore({ sqliteFile: join(dir, 'huashu.sqlite') });
    if (migrate) await migrateToLatest(store.db);
    return {
      ...store,
      url: undefined,
      dataDir: dir,
      drop: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  // No parallel workers: a worker restores the schema-only search_path on its own and, with
  // other tests creating and dropping schemas meanwhile, now and then fails it ("schema t_… does
  // not exist", where: parallel worker) inside Kysely's catalog queries. One test's tables are small.
  const pgOptions = `-c search_path=${schema} -c max_parallel_workers_per_gather=0`;
  const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(pgOptions)}`;
  const store = openStore({ databaseUrl: url });
  if (migrate) {
    try {
      await migrateToLatest(store.db);
    } catch (error) {
      // On a loaded machine a new connection now and then does not yet see the schema just
      // created by another one ("schema t_… does not exist"): once more, after a moment.
      if (!String((error as Error).message).includes('does not exist')) throw error;
      await new Promise((r) => setTimeout(r, 250));
      await migrateToLatest(store.db);
    }
  }
  return {
    ...store,
    url,
    dataDir: undefined,
    drop: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}
