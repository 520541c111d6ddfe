// Opens the store: an embedded SQLite file by default, PostgreSQL when DATABASE_URL is set.
// Both go through Kysely with the same schema and migrations, so every repository runs
// unchanged on either.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type PgModule from 'pg';
import { BACKSTOP_PAGES, type Checkpointer, startCheckpointer } from './checkpointer.ts';
import { FAULT_STATES, isDiskFull, maskDatabaseUrl, StoreOpenError, storeFault } from './faults.ts';
import type { DB } from './schema.ts';
import { GroupCommitSqliteDialect, type WriteObserver } from './sqlite-driver.ts';

export type Dialect = 'sqlite' | 'postgres';

/** Whether the store can serve requests now; what `/api/health` reports. */
export type StoreStatus = { ok: true } | { ok: false; message: string };

export interface Store {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Where the data lives, for logs: the SQLite file or the PostgreSQL database. */
  location: string;
  /** Reads (and, after a full disk, writes) a little: can requests be served now? */
  check(): Promise<StoreStatus>;
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
  /**
   * SQLite file: check it before use (PRAGMA quick_check, and that it can be written); a
   * damaged, foreign or read-only file throws StoreOpenError. For the server and the CLI.
   */
  verify?: boolean;
  /**
   * Told of errors that happen outside any request: a PostgreSQL connection lost while idle
   * (a restart of the database). They must never end the process; default: one line on stderr.
   */
  onConnectionError?: (err: Error) => void;
}

/** How long a request waits for a PostgreSQL connection before it is answered 503. */
export const PG_CONNECT_TIMEOUT_MS = 5_000;

export function sqliteFileIn(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  return join(dataDir, 'huashu.sqlite');
}

const defaultConnectionErrorLog = (err: Error) => {
  process.stderr.write(`huashu: database connection error: ${err.message.split('\n')[0]}\n`);
};

export function openStore(opts: StoreOptions): Store {
  if (opts.databaseUrl)
    return openPostgres(opts.databaseUrl, opts.onConnectionError ?? defaultConnectionErrorLog);
  return openSqlite(opts);
}

/**
 * openStore, then make sure the store answers: a PostgreSQL that is down, a database that
 * does not exist or a refused login throw StoreOpenError naming DATABASE_URL (password masked).
 */
export async function openVerifiedStore(opts: StoreOptions): Promise<Store> {
  const store = openStore({ ...opts, verify: true });
  if (store.dialect === 'postgres') {
    try {
      await sql`select 1`.execute(store.db);
    } catch (err) {
      await store.close().catch(() => undefined);
      throw new StoreOpenError(postgresOpenMessage(opts.databaseUrl ?? '', err), { cause: err });
    }
  }
  return store;
}

function postgresOpenMessage(url: string, err: unknown): string {
  const code = (err as { code?: string }).code;
  const text = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    // shown masked as it is
  }
  const where = u ? `${u.hostname}:${u.port || '5432'}` : 'the server';
  let reason: string;
  if (code === '3D000') {
    const name = decodeURIComponent(u?.pathname.slice(1) ?? '');
    reason = `${text}; create it (createdb ${name}) or correct DATABASE_URL`;
  } else if (code === '28P01' || code === '28000') {
    reason = `${text}; correct the user or password in DATABASE_URL`;
  } else if (storeFault(err) !== undefined) {
    reason = `no PostgreSQL answers at ${where} (${code ?? text}); start it or correct DATABASE_URL`;
  } else {
    reason = text ?? 'unknown error';
  }
  return `Huashu did not start: cannot use the PostgreSQL database in DATABASE_URL=${maskDatabaseUrl(url)}: ${reason}`;
}

function openPostgres(databaseUrl: string, onConnectionError: (err: Error) => void): Store {
  // Loaded here, not at import: a SQLite server and the CLI save pg's ~50 ms load.
  const pg = createRequire(import.meta.url)('pg') as typeof PgModule;
  // Timestamps are stored as ISO-8601 text on both engines; bigint counts come back as
  // strings from pg, so parse int8 to numbers (counts here stay far below 2^53).
  pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  // connectionTimeoutMillis: while the database is down a request fails fast (503) instead
  // of waiting for a connection that never comes. The pool drops broken connections and
  // opens new ones on demand, so it recovers by itself when the database is back.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
  });
  // A restart of PostgreSQL terminates every connection (57P01). pg emits 'error' on the pool
  // for idle clients and on the client for checked-out ones; without a listener Node ends the
  // process. Log each error once: the query that was running fails on its own (503).
  const reported = new WeakSet<Error>();
  const report = (err: Error) => {
    if (reported.has(err)) return;
    reported.add(err);
    onConnectionError(err);
  };
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const url = new URL(databaseUrl);
  return {
    db,
    dialect: 'postgres',
    location: `${url.host}${url.pathname}`,
    check: async () => {
      try {
        await sql`select 1`.execute(db);
        return { ok: true };
      } catch (err) {
        return { ok: false, message: FAULT_STATES[storeFault(err) ?? 'unreachable'] };
      }
    },
    close: () => db.destroy(),
  };
}

function openSqlite(opts: StoreOptions): Store {
  const file = opts.sqliteFile ?? ':memory:';
  const onDisk = file !== ':memory:' && file !== '';
  let sqlite: SQLite.Database | undefined;
  try {
    sqlite = new SQLite(file);
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
    if (opts.verify && onDisk) verifySqlite(sqlite, file);
  } catch (err) {
    sqlite?.close();
    if (err instanceof StoreOpenError) throw err;
    throw sqliteOpenError(file, err);
  }
  let checkpointer: Checkpointer | undefined;
  if (opts.backgroundCheckpoints && onDisk) {
    sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    const conn = sqlite;
    checkpointer = startCheckpointer(file, () => {
      if (conn.open) conn.pragma('wal_autocheckpoint = 1000'); // SQLite's own default
    });
  }
  // A full disk (SQLITE_FULL) is remembered until a write commits again, so that health can
  // say so: a write check on every health poll would cost a commit each (health is polled
  // often), and a read alone succeeds on a full disk.
  let diskFull: unknown;
  const observer: WriteObserver = {
    failed: (err) => {
      if (isDiskFull(err)) diskFull = err;
    },
    committed: () => {
      diskFull = undefined;
    },
  };
  const db = new Kysely<DB>({ dialect: new GroupCommitSqliteDialect(sqlite, undefined, observer) });
  return {
    db,
    dialect: 'sqlite',
    location: file,
    check: async () => {
      try {
        await sql`select 1`.execute(db);
        // Still full? Only then write: a probe that needs a new page (a table's root), in a
        // transaction that commits, fails as long as the disk is full and clears the state
        // when it passes. Polls while healthy stay reads.
        if (diskFull !== undefined) {
          await db.transaction().execute(async (trx) => {
            await sql`create table huashu_write_probe (x integer)`.execute(trx);
            await sql`drop table huashu_write_probe`.execute(trx);
          });
        }
        return { ok: true };
      } catch (err) {
        return { ok: false, message: FAULT_STATES[storeFault(err) ?? 'cannotWrite'] };
      }
    },
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/** quick_check, then a write that is rolled back: a damaged or read-only file throws. */
function verifySqlite(sqlite: SQLite.Database, file: string): void {
  const rows = sqlite.pragma('quick_check(5)') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((p) => p !== 'ok');
  if (problems.length > 0) {
    // SQLite's own words, on one line and short: enough to search for, not a page dump.
    const what = problems.join('; ').replace(/\s+/g, ' ').trim();
    throw new StoreOpenError(
      damagedMessage(file, `quick_check: ${what.length > 200 ? `${what.slice(0, 200)}…` : what}`),
    );
  }
  // Opening a file it may not write, SQLite falls back to read-only without a word; the
  // first write would fail. Rewrite a header field with its own value and roll it back.
  sqlite.exec('begin immediate');
  try {
    const version = sqlite.pragma('user_version', { simple: true }) as number;
    sqlite.pragma(`user_version = ${version}`);
  } finally {
    if (sqlite.inTransaction) sqlite.exec('rollback');
  }
}

function damagedMessage(file: string, what: string): string {
  const recovered = file.replace(/(\.sqlite)?$/, '-recovered.sqlite');
  return [
    `Huashu did not start: the database file ${file} is damaged (${what}).`,
    '  To restore it, stop Huashu and either',
    `  - move ${file} (with any ${file}-wal and ${file}-shm) aside and copy your latest backup to ${file}, or`,
    `  - salvage what is readable: sqlite3 ${file} ".recover" | sqlite3 ${recovered}`,
    `    then move ${recovered} to ${file}.`,
  ].join('\n');
}

function sqliteOpenError(file: string, err: unknown): StoreOpenError {
  const code = String((err as { code?: unknown }).code ?? '');
  const text = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
    return new StoreOpenError(damagedMessage(file, `${text}: not a readable SQLite database`), {
      cause: err,
    });
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
    return new StoreOpenError(
      [
        `Huashu did not start: the database file ${file} cannot be written (${text}).`,
        `  Make ${file} and its folder writable by the user running Huashu (chmod, chown; lsattr shows an immutable flag, chattr -i removes it),`,
        `  or copy your latest backup to a writable folder and point HUASHU_DATA_DIR at it.`,
      ].join('\n'),
      { cause: err },
    );
  }
  return new StoreOpenError(
    `Huashu did not start: cannot open the database file ${file}${existsSync(file) ? '' : ' (it does not exist)'}: ${text}`,
    { cause: err },
  );
}
