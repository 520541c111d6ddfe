// Opens the store: an embedded SQLite file by default, PostgreSQL when DATABASE_URL is set.
// Both go through Kysely with the same schema and migrations, so every repository runs
// unchanged on either.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

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
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}
