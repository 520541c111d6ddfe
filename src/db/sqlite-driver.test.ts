import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { type Generated, Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitSqliteDialect } from './sqlite-driver.ts';

interface TestDb {
  item: { id: Generated<number>; name: string };
  child: { id: Generated<number>; item_id: number };
}

let dir: string;
let file: string;
let db: Kysely<TestDb>;
/** A second connection to the same file: it sees only what is committed. */
let outside: SQLite.Database;

const committedNames = () =>
  (outside.prepare('select name from item order by id').all() as { name: string }[]).map((r) => r.name);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'huashu-driver-'));
  file = join(dir, 'test.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  db = new Kysely<TestDb>({ dialect: new GroupCommitSqliteDialect(sqlite) });
  await sql`create table item (id integer primary key, name text not null unique)`.execute(db);
  await sql`create table child (id integer primary key, item_id integer not null references item(id) deferrable initially deferred)`.execute(
    db,
  );
  outside = new SQLite(file);
});

afterEach(async () => {
  outside.close();
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (name: string) =>
  db.transaction().execute((trx) => trx.insertInto('item').values({ name }).execute());

describe('group commit', () => {
  it('commits concurrent transactions, each acknowledged only once it is committed', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `n${i}`);
    const seen: string[][] = [];
    await Promise.all(names.map((n) => insert(n).then(() => seen.push(committedNames()))));
    for (const [i, s] of seen.entries()) expect(s.length, `acknowledgement ${i}`).toBe(names.length);
    expect(committedNames()).toEqual(names);
  });

  it('rolls back one failed transaction and commits the others of its group', async () => {
    await insert('taken');
    const results = await Promise.allSettled([insert('a'), insert('taken'), insert('b')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committedNames()).toEqual(['taken', 'a', 'b']);
  });

  it('undoes every write of a transaction that throws, not only its last', async () => {
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto('item').values({ name: 'x' }).execute();
      await trx.insertInto('item').values({ name: 'y' }).execute();
      throw new Error('changed my mind');
    });
    await expect(failing).rejects.toThrow('changed my mind');
    await insert('z');
    expect(committedNames()).toEqual(['z']);
  });

  it('fails every transaction of a group whose COMMIT fails', async () => {
    // A deferred foreign key is checked at COMMIT: the one bad transaction fails the group.
    const bad = db.transaction().execute((trx) => trx.insertInto('child').values({ item_id: 42 }).execute());
    const results = await Promise.allSettled([insert('a'), bad, insert('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(committedNames()).toEqual([]);
    // The connection works on.
    await insert('c');
    expect(committedNames()).toEqual(['c']);
  });

  it('hands out a read that saw uncommitted writes only after they are committed', async () => {
    const writing = insert('w');
    const read = db
      .selectFrom('item')
      .select('name')
      .execute()
      .then((rows) => ({ rows, committed: committedNames() }));
    const [, r] = await Promise.all([writing, read]);
    expect(r.rows.map((x) => x.name)).toEqual(['w']);
    expect(r.committed).toEqual(['w']);
  });

  it('commits a write outside any transaction', async () => {
    await db.insertInto('item').values({ name: 'plain' }).execute();
    expect(committedNames()).toEqual(['plain']);
  });

  it('commits what is pending when the database is closed', async () => {
    const pending = insert('last');
    await pending;
    await db.destroy();
    expect(committedNames()).toEqual(['last']);
    // afterEach destroys again: Kysely makes that a no-op.
  });

  it('runs transactions one at a time, in the order they asked', async () => {
    const order: string[] = [];
    const tx = (name: string) =>
      db.transaction().execute(async (trx) => {
        order.push(`${name}:begin`);
        await trx.insertInto('item').values({ name }).execute();
        await new Promise((r) => setTimeout(r, 5));
        order.push(`${name}:end`);
      });
    await Promise.all([tx('a'), tx('b'), tx('c')]);
    expect(order).toEqual(['a:begin', 'a:end', 'b:begin', 'b:end', 'c:begin', 'c:end']);
  });

  it('supports savepoints inside a transaction', async () => {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('item').values({ name: 'kept' }).execute();
      await sql`savepoint inner_sp`.execute(trx);
      await trx.insertInto('item').values({ name: 'undone' }).execute();
      await sql`rollback to inner_sp`.execute(trx);
      await sql`release inner_sp`.execute(trx);
    });
    expect(committedNames()).toEqual(['kept']);
  });
});

describe('prepared statements', () => {
  it('sees a column added after a statement was prepared', async () => {
    await insert('a');
    expect(await sql`select * from item`.execute(db)).toMatchObject({ rows: [{ id: 1, name: 'a' }] });
    await sql`alter table item add column note text default 'n'`.execute(db);
    expect(await sql`select * from item`.execute(db)).toMatchObject({
      rows: [{ id: 1, name: 'a', note: 'n' }],
    });
  });
});
