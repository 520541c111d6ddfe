// Migration 2026120521 on both engines: customers keyed before the surname key folded Latin
// case (Smith keyed "Smith") are found by smith, SMITH and Smith after it; their surname as
// typed, version and time of change are kept, and Chinese keys are left as they were.
import { afterEach, describe, expect, it } from 'vitest';
import { CustomersService } from '../../src/customers/service.ts';
import { migrateToLatest, migrateUpTo } from '../../src/db/migrate.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

describe.each(ENGINES)('2026120521_customer_surname_key_case on %s', (engine) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  it('recomputes the keys in lower case, never touching the surname or its version', async () => {
    store = await freshStore(engine, { migrate: false });
    const db = store.db;
    await migrateUpTo(db, '2026120520_ticket_search');
    // As the release before keyed them: case kept (normalizeText alone).
    const old = (id: string, phone: string, surname: string | null, key: string | null, version: number) => ({
      id,
      phone,
      surname,
      surname_key: key,
      title: '先生',
      notes: '',
      created_at: '2026-11-20T01:00:00.000Z',
      updated_at: `2026-11-2${version}T02:00:00.000Z`,
      version,
    });
    await db
      .insertInto('customers')
      .values([
        old('c1', '13800138001', 'Smith', 'Smith', 2),
        old('c2', '13800138002', 'SMITH', 'SMITH', 3),
        old('c3', '13800138003', 'smith', 'smith', 1),
        old('c4', '13800138004', 'Ｓｍｉｔｈ', 'Smith', 4),
        old('c5', '13800138005', '陳', '陈', 5),
        old('c6', '13800138006', null, null, 1),
        old('c7', '13800138007', "O'Brien", "O'Brien", 1),
      ])
      .execute();
    // More than one batch: the last rows are reached too.
    const many = Array.from({ length: 1100 }, (_, i) =>
      old(`m${String(i).padStart(4, '0')}`, `139${String(i).padStart(8, '0')}`, `Lee${i}`, `Lee${i}`, 1),
    );
    for (let i = 0; i < many.length; i += 200)
      await db
        .insertInto('customers')
        .values(many.slice(i, i + 200))
        .execute();
    const before = await db.selectFrom('customers').selectAll().orderBy('id').execute();

    expect(await migrateToLatest(db)).toContain('2026120521_customer_surname_key_case');

    const after = await db.selectFrom('customers').selectAll().orderBy('id').execute();
    // Only the key changed.
    const rest = (rows: typeof before) =>
      rows.map(({ surname_key: _k, ...r }) => ({ ...r, version: Number(r.version) }));
    expect(rest(after)).toEqual(rest(before));
    expect(after.filter((r) => r.id.startsWith('c')).map((r) => [r.id, r.surname, r.surname_key])).toEqual([
      ['c1', 'Smith', 'smith'],
      ['c2', 'SMITH', 'smith'],
      ['c3', 'smith', 'smith'],
      ['c4', 'Ｓｍｉｔｈ', 'smith'],
      ['c5', '陳', '陈'],
      ['c6', null, null],
      ['c7', "O'Brien", "o'brien"],
    ]);
    expect(after.find((r) => r.id === 'm1099')?.surname_key).toBe('lee1099');

    const service = new CustomersService(db, { now: () => new Date('2026-12-05T08:00:00Z') }, () => 'unused');
    const search = async (surname: string) =>
      (await service.list({ surname, limit: 20, offset: 0 })).items.map((c) => c.phone).sort();
    for (const typed of ['smith', 'SMITH', 'Smith', 'ｓｍｉｔｈ'])
      expect(await search(typed), typed).toEqual([
        '13800138001',
        '13800138002',
        '13800138003',
        '13800138004',
      ]);
    expect(await search("o'brien")).toEqual(['13800138007']);
    expect(await search('陳')).toEqual(['13800138005']);
    // Started again: nothing left to do.
    expect(await migrateToLatest(db)).toEqual([]);
  });
});
