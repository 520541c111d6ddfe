// A full disk on SQLite (issue 7): a write that does not fit answers 503 unavailable saying
// the disk is full, /api/health says so until writes fit again, and nothing half-written is
// left. The full disk is SQLite's own SQLITE_FULL, from PRAGMA max_page_count on the test's
// database (the same error SQLite gives when the file system is full).
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { signInAs, type TestApp, testApp } from '../support/app.ts';

describe('SQLite disk full', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers 503 disk full, health says so, and recovers when there is room again', async () => {
    t = await testApp('sqlite');
    const app = t.app;
    const { headers } = await signInAs(t, 'admin', 'boss');
    const create = (i: number) =>
      app.inject({
        method: 'POST',
        url: '/api/tickets',
        headers,
        payload: {
          type: 'complaint',
          subtype: 'service-attitude',
          brand: 'zhonghua',
          subject: `投诉 ${i} ${'详情'.repeat(90)}`,
          customerPhone: `1380013${String(i).padStart(4, '0')}`,
        },
      });
    const acknowledged: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await create(i);
      expect(res.statusCode, res.body).toBe(201);
      acknowledged.push(res.json<{ id: string }>().id);
    }

    // The disk is full: the file may not grow by a page.
    const pages = (await sql<{ page_count: number }>`pragma page_count`.execute(t.store.db)).rows[0]
      ?.page_count;
    await sql.raw(`pragma max_page_count = ${pages}`).execute(t.store.db);
    let refused: { statusCode: number; body: string } | undefined;
    for (let i = 3; i < 300 && !refused; i++) {
      const res = await create(i);
      if (res.statusCode === 201) acknowledged.push(res.json<{ id: string }>().id);
      else refused = res;
    }
    expect(refused, 'no write was refused: the database never filled').toBeDefined();
    expect(refused?.statusCode, refused?.body).toBe(503);
    const body = JSON.parse(refused?.body ?? '{}') as { code: string; message: string; details: unknown[] };
    expect(body.code).toBe('unavailable');
    expect(body.message).toMatch(/disk is full/);
    expect(body.details).toEqual([]);

    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ status: 'unavailable', database: 'sqlite' });
    expect(health.json<{ message: string }>().message).toMatch(/disk is full/);
    // Still full: still 503, and health still says so.
    expect((await create(1000)).statusCode).toBe(503);
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(503);
    // Reads still work.
    const read = await app.inject({ method: 'GET', url: `/api/tickets/${acknowledged[0]}`, headers });
    expect(read.statusCode).toBe(200);
    // …and do not make health forget that writes fail.
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(503);

    // Room again.
    await sql.raw(`pragma max_page_count = ${(pages ?? 0) + 10_000}`).execute(t.store.db);
    const healthy = await app.inject({ method: 'GET', url: '/api/health' });
    expect(healthy.statusCode, healthy.body).toBe(200);
    const again = await create(2000);
    expect(again.statusCode, again.body).toBe(201);
    acknowledged.push(again.json<{ id: string }>().id);

    // Every acknowledged ticket is stored, the refused ones are not.
    const rows = await t.store.db.selectFrom('tickets').select('id').execute();
    expect(rows.map((r) => r.id).sort()).toEqual([...acknowledged].sort());
  });
});
