// Migration 2026120430 on both engines: customers recorded before it (陳 typed by an agent, 歐陽
// from a call) are found by the Simplified search after it, their surname, version and time of
// change kept as they were; the first start of a database holding old rows does it.
import { afterEach, describe, expect, it } from 'vitest';
import { CustomersService } from '../../src/customers/service.ts';
import { migrateToLatest, migrateUpTo } from '../../src/db/migrate.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

describe.each(ENGINES)('2026120430_customer_surname_key on %s', (engine) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  it('gives the customers recorded before it their key: found by 陈 and 陳, kept as typed', async () => {
    store = await freshStore(engine, { migrate: false });
    const db = store.db;
    await migrateUpTo(db, '2026120410_dashboard_unscored');
    const old = (id: string, phone: string, surname: string | null, version: number) => ({
      id,
      phone,
      surname,
      title: '女士',
      notes: '',
      created_at: '2026-11-20T01:00:00.000Z',
      updated_at: `2026-11-2${version}T02:00:00.000Z`,
      version,
    });
    // As the release before stored them: no surname_key column yet.
    await db
      .insertInto('customers')
      .values([
        old('c1', '13800138001', '陳', 1),
        old('c2', '13800138002', '陈', 2),
        old('c3', '13800138003', '歐陽', 3),
        old('c4', '13800138004', null, 1),
        old('c5', '13800138005', '陳', 4),
      ])
      .execute();
    // More customers than one batch of the backfill: every one gets its key.
    const many = Array.from({ length: 1100 }, (_, i) =>
      old(`m${i}`, `139${String(i).padStart(8, '0')}`, `歐陽${i}`, 1),
    );
    for (let i = 0; i < many.length; i += 200)
      await db
        .insertInto('customers')
        .values(many.slice(i, i + 200))
        .execute();
    const before = await db
      .selectFrom('customers')
      .selectAll()
      .where('id', 'like', 'c%')
      .orderBy('id')
      .execute();

    expect(await migrateToLatest(db)).toContain('2026120430_customer_surname_key');

    const after = await db
      .selectFrom('customers')
      .selectAll()
      .where('id', 'like', 'c%')
      .orderBy('id')
      .execute();
    // Nothing the customer had changed, the surname least of all; only the key was added.
    expect(after.map(({ surname_key: _k, ...rest }) => ({ ...rest, version: Number(rest.version) }))).toEqual(
      before.map((r) => ({ ...r, version: Number(r.version) })),
    );
    expect(after.map((r) => [r.id, r.surname_key])).toEqual([
      ['c1', '陈'],
      ['c2', '陈'],
      ['c3', '欧阳'],
      ['c4', null],
      ['c5', '陈'],
    ]);

    const unkeyed = await db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('surname', 'is not', null)
      .where('surname_key', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(unkeyed.n)).toBe(0);
    expect(
      await db.selectFrom('customers').select('surname_key').where('id', '=', 'm1099').executeTakeFirst(),
    ).toEqual({ surname_key: '欧阳1099' });

    const service = new CustomersService(db, { now: () => new Date('2026-12-03T08:00:00Z') }, () => 'unused');
    const search = async (surname: string) =>
      (await service.list({ surname, limit: 20, offset: 0 })).items
        .map((c) => `${c.phone} ${c.surname}`)
        .sort();
    for (const typed of ['陈', '陳'])
      expect(await search(typed), typed).toEqual(['13800138001 陳', '13800138002 陈', '13800138005 陳']);
    for (const typed of ['欧阳', '歐陽']) expect(await search(typed), typed).toEqual(['13800138003 歐陽']);
    expect(await search('王')).toEqual([]);
    // Started again: nothing left to do.
    expect(await migrateToLatest(db)).toEqual([]);
  });
});
