// Migration 2026120520 on both engines: tickets stored before it (subjects in Traditional,
// replies written on them) are found by the search after it, nothing else of them changed;
// the first start of a database holding old tickets does it.
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, migrateUpTo } from '../../src/db/migrate.ts';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';
import { client, complaintBody } from './support.ts';

describe.each(ENGINES)('2026120520_ticket_search on %s', (engine) => {
  let t: TestApp | undefined;
  let old: TestStore | undefined;
  afterEach(async () => {
    await t?.close();
    await old?.drop();
    t = old = undefined;
  });

  it('gives the tickets stored before it their search text, and nothing else changes', async () => {
    // Tickets as the release before stored them: written by today's code, copied without the
    // new column into a database migrated up to the release before.
    t = await testApp(engine);
    const desk = client(t, await signInAs(t, 'complaint-desk'));
    let a = await desk.ok(
      '/api/tickets',
      complaintBody({ subject: '退費投訴', description: '客戶要求退還保費' }),
    );
    a = await desk.ok(`/api/tickets/${a.id}/accept`, { version: a.version });
    await desk.ok(`/api/tickets/${a.id}/replies`, { version: a.version, text: '已同意 REFUND' });
    for (let i = 0; i < 620; i++)
      await t.store.db
        .insertInto('tickets')
        .values({
          ...(await t.store.db
            .selectFrom('tickets')
            .selectAll()
            .where('id', '=', a.id)
            .executeTakeFirstOrThrow()),
          id: `bulk-${String(i).padStart(4, '0')}`,
          number: null,
        })
        .execute();
    await desk.ok('/api/tickets', complaintBody({ subject: '理赔进度太慢' }));
    const rows = await t.store.db.selectFrom('tickets').selectAll().orderBy('id').execute();

    old = await freshStore(engine, { migrate: false });
    await migrateUpTo(old.db, '2026120430_customer_surname_key');
    const asBefore = rows.map(({ search_text: _s, ...r }) => r);
    for (let i = 0; i < asBefore.length; i += 100)
      await old.db
        .insertInto('tickets')
        .values(asBefore.slice(i, i + 100))
        .execute();

    // On SQLite (no transactional DDL) a first run killed during the backfill left the column
    // added and the migration unrecorded: the next start must finish it, not fail on the column.
    if (engine === 'sqlite') {
      await old.db.schema.alterTable('tickets').addColumn('search_text', 'text').execute();
      await old.db
        .updateTable('tickets')
        .set({ search_text: 'stale' })
        .where('id', '=', 'bulk-0000')
        .execute();
    }
    expect(await migrateToLatest(old.db)).toContain('2026120520_ticket_search');
    if (engine === 'sqlite')
      await old.db
        .updateTable('tickets')
        .set({ search_text: rows.find((r) => r.id === 'bulk-0000')?.search_text ?? null })
        .where('id', '=', 'bulk-0000')
        .execute();

    const after = await old.db.selectFrom('tickets').selectAll().orderBy('id').execute();
    // The same text as the code writes today, and every other column as it was.
    expect(after.map((r) => [r.id, r.search_text])).toEqual(rows.map((r) => [r.id, r.search_text]));
    expect(after.find((r) => r.id === a.id)?.search_text).toContain('退费投诉');
    expect(after.map(({ search_text: _s, ...r }) => ({ ...r, version: Number(r.version) }))).toEqual(
      asBefore.map((r) => ({ ...r, version: Number(r.version) })),
    );
    const unsearchable = await old.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('search_text', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(unsearchable.n)).toBe(0);
    // Started again: nothing left to do.
    expect(await migrateToLatest(old.db)).toEqual([]);
  });
});
