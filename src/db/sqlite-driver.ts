// Kysely over better-sqlite3, as Kysely's own SqliteDialect but built for many concurrent
// requests on the one connection:
//
// - Prepared statements are kept, by their SQL text (up to STATEMENT_CACHE_SIZE). Kysely's
//   driver prepares every statement anew, which costs as much as running a small one.
// - The connection is handed to waiters first come, first served. Kysely's mutex wakes every
//   waiter on each release and lets the first to run take it, so a request arriving later
//   could overtake one that had waited long: under load some requests waited seconds.
// - Group commit. A commit in WAL mode appends every page the transaction changed to the
//   log (some 25 for a ticket create on its own) and is most of the cost of a write.
//   Transactions that run one after the other in the same turn of the event loop are
//   therefore made savepoints of one SQLite transaction, committed once, right after
//   (setImmediate): a burst of creates shares the pages they all touch (the tables' last
//   leaves, the indexes on times and on time-ordered ids), and pays for one commit. A
//   transaction that fails is rolled back to its savepoint alone. Nothing is acknowledged
//   early: `transaction().execute()` returns, and
//   the result of any statement that saw the group's changes is handed out, only once the
//   group's COMMIT has succeeded; if it fails, every one of them fails with it.
//
// What a transaction sees does not change: transactions still run one at a time, each
// from its BEGIN (now a SAVEPOINT) to its COMMIT (a RELEASE) or ROLLBACK (ROLLBACK TO), and
// a statement outside any transaction sees what the transactions before it wrote. Behaviour
// is otherwise Kysely's: the same adapter, query compiler and introspector; a connection
// acquired with `db.connection()` is reserved for its whole callback as before.
import type { Database, Statement } from 'better-sqlite3';
import {
  type CompiledQuery,
  createQueryId,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  SelectQueryNode,
  SqliteDialect,
  sql,
} from 'kysely';

/** How many prepared statements are kept; far more than the queries the app has. */
export const STATEMENT_CACHE_SIZE = 500;

/** The savepoint that stands for a transaction of the group. */
const TRANSACTION_SAVEPOINT = 'huashu_transaction';

/** Told of every write that fails and every commit that succeeds (database.ts: a full disk). */
export interface WriteObserver {
  failed(error: unknown): void;
  committed(): void;
}

/** A connection mutex that hands the connection to waiters in the order they asked. */
class FifoMutex {
  private locked = false;
  private readonly waiters: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  unlock(): void {
    const next = this.waiters.shift();
    // Stays locked: the next waiter owns it now.
    if (next) next();
    else this.locked = false;
  }
}

/** One SQLite transaction holding the transactions of a group, until its COMMIT. */
class Group {
  /** Settles when the group is committed (or fails); never rejects unhandled. */
  readonly done: Promise<void>;
  /** A statement of the group changed something: its commit is a write that succeeded. */
  wrote = false;
  private settle!: (error: unknown) => void;
  private error: unknown;
  private failed = false;

  constructor() {
    this.done = new Promise<void>((resolve) => {
      this.settle = (error) => {
        this.failed = error !== undefined;
        this.error = error;
        resolve();
      };
    });
  }

  committed(): void {
    this.settle(undefined);
  }

  fail(error: unknown): void {
    this.settle(error ?? new Error('the transaction group failed'));
  }

  /** Resolves when committed, rejects with the reason when not. */
  async outcome(): Promise<void> {
    await this.done;
    if (this.failed) throw this.error;
  }
}

class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Database,
    private readonly size: number,
  ) {}

  get(text: string): Statement {
    const cached = this.statements.get(text);
    if (cached) return cached;
    const stmt = this.db.prepare(text);
    // The app has a few hundred distinct statements; texts built from varying input (an IN
    // list of any length…) could make more, so start over when full rather than grow.
    if (this.statements.size >= this.size) this.statements.clear();
    this.statements.set(text, stmt);
    return stmt;
  }
}

/** One use of the connection: from acquireConnection to releaseConnection. */
class Lease implements DatabaseConnection {
  /** The savepoint of this lease's transaction while one is open. */
  savepoint: string | null = null;
  /** The group whose outcome this lease's results wait for: they saw its changes. */
  joined: Group | null = null;
  /** A transaction that was rolled back waits for the group too, but not for its outcome. */
  rolledBack = false;
  released = false;

  constructor(private readonly driver: GroupCommitSqliteDriver) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return Promise.resolve(this.driver.run<R>(this, compiledQuery));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield* this.driver.stream<R>(this, compiledQuery);
  }
}

export class GroupCommitSqliteDriver implements Driver {
  private readonly mutex = new FifoMutex();
  private readonly statements: StatementCache;
  /** The open SQLite transaction and the transactions in it, until its COMMIT. */
  private group: Group | null = null;
  private flushScheduled = false;
  /** The last error of a statement: why SQLite may have rolled the transaction back. */
  private lastError: unknown;

  constructor(
    private readonly db: Database,
    cacheSize = STATEMENT_CACHE_SIZE,
    private readonly observer?: WriteObserver,
  ) {
    this.statements = new StatementCache(db, cacheSize);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return new Lease(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (lease.savepoint !== null) throw new Error('a transaction is already open on this connection');
    if (!this.group) {
      this.exec('begin');
      this.group = new Group();
    }
    // One name for all: transactions run one at a time, so theirs never nest (and one text
    // keeps the statements prepared).
    const name = TRANSACTION_SAVEPOINT;
    this.exec(`savepoint ${name}`);
    lease.savepoint = name;
    lease.joined = this.group;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    const name = this.openSavepoint(lease);
    this.exec(`release ${name}`);
    lease.savepoint = null;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    const name = lease.savepoint;
    lease.savepoint = null;
    lease.rolledBack = true;
    if (name === null || !this.db.inTransaction) return; // the whole group is gone already
    try {
      this.exec(`rollback to ${name}`);
      this.exec(`release ${name}`);
    } catch (error) {
      // The transaction could not be undone alone: undo the whole group rather than commit
      // any of it with the group.
      this.abortGroup(error);
      throw error;
    }
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    await connection.executeQuery(compile(sql`savepoint ${sql.id(name)}`.toOperationNode(), createQueryId()));
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ) {
    await connection.executeQuery(
      compile(sql`rollback to ${sql.id(name)}`.toOperationNode(), createQueryId()),
    );
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ) {
    await connection.executeQuery(compile(sql`release ${sql.id(name)}`.toOperationNode(), createQueryId()));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (lease.released) return;
    lease.released = true;
    if (lease.savepoint !== null) {
      // Kysely rolls back a failed transaction before releasing; this is a safety net.
      await this.rollbackTransaction(lease).catch(() => undefined);
    }
    const group = lease.joined;
    if (group && group === this.group) this.scheduleFlush();
    this.mutex.unlock();
    if (!group) return;
    if (lease.rolledBack) await group.done;
    else await group.outcome();
  }

  async destroy(): Promise<void> {
    await this.mutex.lock();
    try {
      this.commitGroup();
    } finally {
      this.db.close();
    }
  }

  // ---- used by the leases ----

  run<R>(lease: Lease, compiledQuery: CompiledQuery): QueryResult<R> {
    if (lease.released) throw new Error('the connection was released');
    // Never run a statement of a transaction that SQLite has rolled back on its own.
    if (lease.savepoint !== null) this.openSavepoint(lease);
    const { sql: text, parameters } = compiledQuery;
    try {
      const stmt = this.statements.get(text);
      // A statement outside a transaction, while a group is open, runs in the group: its
      // result waits for the group's commit.
      if (lease.savepoint === null && this.group) lease.joined = this.group;
      if (stmt.reader) return { rows: stmt.all(parameters as unknown[]) as R[] };
      const { changes, lastInsertRowid } = stmt.run(parameters as unknown[]);
      // A write on its own commits at once; one in a transaction commits with its group.
      if (!this.db.inTransaction) this.observer?.committed();
      else if (this.group) this.group.wrote = true;
      return {
        numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
        insertId:
          lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
        rows: [],
      };
    } catch (error) {
      this.lastError = error;
      this.observer?.failed(error);
      this.checkGroup(error);
      throw error;
    }
  }

  async *stream<R>(lease: Lease, compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { sql: text, parameters, query } = compiledQuery;
    if (!SelectQueryNode.is(query))
      throw new Error('Sqlite driver only supports streaming of select queries');
    // Rows are handed out as they are read, before any group commit could be awaited: commit
    // the group first (this lease holds the connection, and no transaction but its own can be
    // open). A statement of its own: a cached one could be needed again while this one iterates.
    if (lease.savepoint === null) this.commitGroup();
    const stmt = this.db.prepare(text);
    for (const row of stmt.iterate(parameters as unknown[])) yield { rows: [row as R] };
  }

  // ---- the group ----

  private exec(text: string): void {
    this.statements.get(text).run();
  }

  private openSavepoint(lease: Lease): string {
    if (lease.savepoint === null) throw new Error('no transaction is open on this connection');
    if (!this.db.inTransaction) {
      // SQLite rolled the whole transaction back (an I/O error, a full disk…).
      const error = new Error('the transaction was rolled back by SQLite', { cause: this.lastError });
      this.checkGroup(error);
      throw error;
    }
    return lease.savepoint;
  }

  /** After an error: if SQLite rolled the whole transaction back, the group has failed. */
  private checkGroup(error: unknown): void {
    const group = this.group;
    if (group && !this.db.inTransaction) {
      this.group = null;
      group.fail(error);
    }
  }

  /** Rolls the open SQLite transaction back and fails its group. */
  private abortGroup(error: unknown): void {
    try {
      if (this.db.inTransaction) this.exec('rollback');
    } catch {
      // nothing more to undo
    }
    const group = this.group;
    this.group = null;
    group?.fail(error);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.mutex.lock().then(() => {
        this.flushScheduled = false;
        try {
          this.commitGroup();
        } finally {
          this.mutex.unlock();
        }
      });
    });
  }

  /** Commits the open group, if any. Call with the connection held and no transaction open. */
  private commitGroup(): void {
    const group = this.group;
    if (!group) return;
    try {
      this.exec('commit');
    } catch (error) {
      this.observer?.failed(error);
      this.abortGroup(error);
      return;
    }
    this.group = null;
    if (group.wrote) this.observer?.committed();
    group.committed();
  }
}

/**
 * Kysely's SqliteDialect with cached prepared statements, a first-come-first-served
 * connection, and group commit.
 */
export class GroupCommitSqliteDialect extends SqliteDialect {
  constructor(
    private readonly database: Database,
    private readonly cacheSize = STATEMENT_CACHE_SIZE,
    private readonly observer?: WriteObserver,
  ) {
    super({ database });
  }

  override createDriver(): Driver {
    return new GroupCommitSqliteDriver(this.database, this.cacheSize, this.observer);
  }
}
