// Opens the store: an embedded SQLite file by default, PostgreSQL when DATABASE_URL is set.
// Both go through Kysely with the same schema and migrations, so every repository runs
// unchanged on either.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { BACKSTOP_PAGES, type Checkpointer, startCheckpointer } from './checkpointer.ts';
import type { DB } from './schema.ts';
import { GroupCommitSqliteDialect } from './sqlite-driver.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Where the data lives, for logs: the SQLite file or the PostgreSQL database. */
  location: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** SQLite: the file (":memory:" for none); ignored when `databaseUrl` is set. */
  sqliteFile?: string;
  databaseUrl?: string | undefined;
  /**
   * SQLite file: run WAL checkpoints on a worker thread instead of in the commits of the
   * store's connection (see checkpointer.ts). For the server, which writes steadily.
   */
  backgroundCheckpoints?: boolean;
}

export function sqliteFileIn(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  return join(dataDir, 'huashu.sqlite');
}

export function openStore(opts: StoreOptions): Store {
  if (opts.databaseUrl) {
    // Timestamps are stored as ISO-8601 text on both engines; bigint counts come back as
    // strings from pg, so parse int8 to numbers (counts here stay far below 2^53).
    pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const url = new URL(opts.databaseUrl);
    return { db, dialect: 'postgres', location: `${url.host}${url.pathname}`, close: () => db.destroy() };
  }
  const file = opts.sqliteFile ?? ':memory:';
  const sqlite = new SQLite(file);
  // WAL: readers never block the writer. synchronous=NORMAL in WAL mode keeps every committed
  // transaction through a crash of the process (kill -9); only a power loss may lose the last
  // ones. Foreign keys are off by default in SQLite.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Temporary files in memory: sorts, and the journals of savepoints, which every transaction
  // is (see sqlite-driver.ts); on disk they cost a write per page a transaction changes.
  sqlite.pragma('temp_store = MEMORY');
  let checkpointer: Checkpointer | undefined;
  if (opts.backgroundCheckpoints && file !== ':memory:' && file !== '') {
    sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    checkpointer = startCheckpointer(file, () => {
      if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000'); // SQLite's own default
    });
  }
  const db = new Kysely<DB>({ dialect: new GroupCommitSqliteDialect(sqlite) });
  return {
    db,
    dialect: 'sqlite',
    location: file,
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}
