// Queries compiled once (src/db/prepared.ts) give what Kysely gives, on both engines, and a
// builder that does not keep to the rules still works (through Kysely every time).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTogether } from '../../src/db/batch.ts';
import { insertRows, prepared } from '../../src/db/prepared.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

const user = (id: string, role: string, disabled: string | null = null) => ({
  id,
  username: id,
  display_name: `${id} name`,
  role,
  agent_number: null,
  password_hash: 'x',
  created_at: '2026-11-20T00:00:00.000Z',
  disabled_at: disabled,
});

const byRole = prepared((db, p: { role: string }) =>
  db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('role', '=', p.role)
    .where('disabled_at', 'is', null)
    .orderBy('id'),
);
const byRoleAndName = prepared((db, p: { role: string; name: string | null }) =>
  db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb.or([eb('role', '=', p.role), eb('display_name', '=', p.name)]))
    .where('username', '!=', 'nobody')
    .orderBy('id'),
);
// Breaks the rule (uses a value for something else than a parameter): must still be right.
const shouting = prepared((db, p: { role: string }) =>
  db.selectFrom('users').select('id').where('role', '=', p.role.toLowerCase()).orderBy('id'),
);

describe.each(ENGINES)('prepared queries on %s', (engine) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await freshStore(engine);
  });
  afterEach(async () => {
    await store.drop();
  });

  it('inserts rows and reads them back with new values every time', async () => {
    const { db } = store;
    await insertRows(db, 'users', [user('a', 'agent'), user('b', 'admin')]).execute();
    await insertRows(db, 'users', [user('c', 'agent', '2026-11-21T00:00:00.000Z')]).execute();
    await insertRows(db, 'users', [user('d', 'agent')]).execute();
    expect((await byRole(db, { role: 'agent' })).rows).toEqual([
      { id: 'a', role: 'agent' },
      { id: 'd', role: 'agent' },
    ]);
    expect((await byRole(db, { role: 'admin' })).rows).toEqual([{ id: 'b', role: 'admin' }]);
    expect((await byRole(db, { role: 'none' })).rows).toEqual([]);
    expect((await byRoleAndName(db, { role: 'admin', name: 'c name' })).rows).toEqual([
      { id: 'b' },
      { id: 'c' },
    ]);
    expect((await byRoleAndName(db, { role: 'x', name: null })).rows).toEqual([]);
    expect((await shouting(db, { role: 'AGENT' })).rows).toEqual([{ id: 'a' }, { id: 'c' }, { id: 'd' }]);
    expect((await shouting(db, { role: 'ADMIN' })).rows).toEqual([{ id: 'b' }]);
  });

  it('writes several inserts together, in a transaction or not', async () => {
    const { db } = store;
    await writeTogether(db, [
      insertRows(db, 'users', [user('a', 'agent')]),
      db.insertInto('users').values(user('b', 'agent')),
      insertRows(db, 'audit_log', [
        {
          id: 'log-1',
          at: '2026-11-20T00:00:00.000Z',
          actor_id: null,
          actor_ip: null,
          entity_type: 'user',
          entity_id: 'a',
          action: 'create',
          changes: '{}',
        },
      ]),
    ]);
    await db
      .transaction()
      .execute((trx) => writeTogether(trx, [insertRows(trx, 'users', [user('c', 'admin')])]));
    expect((await db.selectFrom('users').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(await db.selectFrom('audit_log').select('entity_id').execute()).toEqual([{ entity_id: 'a' }]);
  });

  it('writes nothing of a batch that fails', async () => {
    const { db } = store;
    await insertRows(db, 'users', [user('a', 'agent')]).execute();
    const batch = (trx: typeof db) =>
      writeTogether(trx, [
        insertRows(trx, 'users', [user('b', 'agent')]),
        insertRows(trx, 'users', [user('a', 'agent')]),
      ]);
    await expect(
      engine === 'postgres'
        ? batch(db)
        : db.transaction().execute((trx) => batch(trx as unknown as typeof db)),
    ).rejects.toThrow();
    expect((await db.selectFrom('users').select('id').execute()).map((r) => r.id)).toEqual(['a']);
  });
});
