// Which errors are database faults (503 unavailable) and which stay bugs (500): real errors
// from the real engines, so that a constraint violation is never mistaken for an outage.
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { isStoreUnavailable, maskDatabaseUrl, storeFault } from '../../src/db/faults.ts';
import { freePort } from '../support/server-process.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe.each(ENGINES)('database faults on %s', (engine) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  it('a duplicate key or bad SQL is not a fault: it stays a 500', async () => {
    store = await freshStore(engine);
    const row = {
      id: 'u1',
      username: 'zhang',
      display_name: '张',
      role: 'agent',
      agent_number: null,
      password_hash: 'x',
      created_at: '2026-11-20T01:00:00.000Z',
      disabled_at: null,
    };
    await store.db.insertInto('users').values(row).execute();
    const duplicate = await errorOf(store.db.insertInto('users').values(row).execute());
    expect(isStoreUnavailable(duplicate)).toBe(false);
    const bad = await errorOf(sql`select * from no_such_table`.execute(store.db));
    expect(isStoreUnavailable(bad)).toBe(false);
  });
});

describe('PostgreSQL connection faults', () => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  it('nothing listening is "unreachable"', async () => {
    const client = new pg.Client({ connectionString: `postgres://root@127.0.0.1:${await freePort()}/x` });
    expect(storeFault(await errorOf(client.connect()))).toBe('unreachable');
  });

  it('a connection ended by the server (57P01, as pg_ctl stop does) is "unreachable"', async () => {
    store = await freshStore('postgres');
    const victim = new pg.Client({ connectionString: store.url });
    victim.on('error', () => undefined);
    await victim.connect();
    const pid = (await victim.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
    const killer = new pg.Client({ connectionString: store.url });
    await killer.connect();
    const running = errorOf(victim.query('select pg_sleep(30)'));
    // Whether the query is already running or not: the connection ends under it.
    await killer.query('select pg_terminate_backend($1)', [pid]);
    await killer.end();
    expect(storeFault(await running)).toBe('unreachable');
    await victim.end().catch(() => undefined);
  });
  it('DATABASE_URL is shown with its password masked', () => {
    expect(maskDatabaseUrl('postgres://root:s3cr%40t@db:5432/huashu')).toBe(
      'postgres://root:****@db:5432/huashu',
    );
    expect(maskDatabaseUrl('postgres://root@db/huashu')).toBe('postgres://root@db/huashu');
  });
});
