// A call on which no rule applied (a missed call: every rule n/a) has no score. The dashboards
// leave it out (2026120410); the calls list, a customer's history and the calls export showed
// its 100 — the scorecard's total — as if the agent had handled it perfectly. Migration
// 2026120531 marks the calls stored before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { up } from '../../src/db/migrations/2026120531_call_qa_scored.ts';
import { ctiBridge } from '../cti/bridge.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';

type Summary = { id: string; answered: boolean | null; qa: { score: number; scored: boolean } | null };

describe('calls with no score', () => {
  let t: TestApp;
  let bridge: Record<string, string>;
  let lead: Session;
  beforeAll(async () => {
    t = await testApp('sqlite');
    bridge = await ctiBridge(t);
    lead = await signInAs(t, 'room-director');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });
  const cti = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/cti/events', headers: bridge, payload });
    expect(res.statusCode, res.body).toBe(200);
  };

  it('lists a missed call with scored false (its score only the total), an answered one scored', async () => {
    const at = Date.parse('2026-11-20T09:00:00+08:00');
    const agent = { number: '2077', name: '宋佳' };
    await cti({ callId: 'missed', type: 'ring', at, brand: 'zhonghua', caller: '13900139001', agent });
    await cti({ callId: 'missed', type: 'hangup', at: at + 25_000, by: 'customer', cause: 'no-answer' });
    await cti({
      callId: 'taken',
      type: 'ring',
      at: at + 60_000,
      brand: 'zhonghua',
      caller: '13900139002',
      agent,
    });
    await cti({ callId: 'taken', type: 'answer', at: at + 65_000, agent });
    await cti({
      callId: 'taken',
      type: 'hangup',
      at: at + 90_000,
      by: 'customer',
      turns: [
        { speaker: 'agent', text: '您好！中华保险2077号为您服务。', start: 66_000, end: 69_000 },
        { speaker: 'customer', text: '我想查一下保单。', start: 70_000, end: 72_000 },
      ],
    });
    const res = await t.app.inject({ method: 'GET', url: '/api/calls?agent=2077', headers: lead.headers });
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: Summary[] }).items;
    const byId = new Map(items.map((c) => [c.id, c]));
    expect(byId.get('missed')).toMatchObject({ answered: false, qa: { scored: false } });
    expect(byId.get('taken')).toMatchObject({ answered: true, qa: { scored: true } });

    // The customer's history lists the calls the same way.
    const history = await t.app.inject({
      method: 'GET',
      url: '/api/customers/13900139001/history',
      headers: lead.headers,
    });
    expect(history.statusCode, history.body).toBe(200);
    expect((history.json() as { calls: Summary[] }).calls[0]).toMatchObject({
      id: 'missed',
      qa: { scored: false },
    });

    // The export leaves its score empty (an Excel average must not count it).
    const csv = await t.app.inject({
      method: 'GET',
      url: '/api/exports/calls.csv?agent=2077',
      headers: lead.headers,
    });
    expect(csv.statusCode, csv.body).toBe(200);
    const lines = csv.body.slice(1).trimEnd().split('\r\n');
    const score = lines[0]?.split(',').indexOf('质检得分') ?? -1;
    expect(score).toBeGreaterThan(0);
    const row = (id: string) => lines.find((l) => l.startsWith(`${id},`))?.split(',') ?? [];
    expect(row('missed')[score]).toBe('');
    expect(Number(row('taken')[score])).toBeGreaterThan(0);
  });

  it('marks the calls stored before the migration from their stored result', async () => {
    const store = openStore({ sqliteFile: ':memory:' });
    try {
      await migrateToLatest(store.db);
      const call = (id: string, rules: string[], failed: string) => ({
        id,
        brand: 'zhonghua',
        direction: 'inbound',
        agent_id: '1024',
        agent_name: null,
        customer_phone: null,
        started_at: '2026-11-20T01:00:00.000Z',
        ended_at: null,
        subject: null,
        events: '[]',
        turns: '[]',
        transcript: '',
        qa_score: 100,
        qa_fatal: 0,
        qa_failed_rules: failed,
        qa_result: JSON.stringify({
          rules: rules.map((outcome, i) => ({ id: `r${i}`, outcome, points: 0 })),
        }),
        created_at: '2026-11-20T01:00:00.000Z',
        answered: 0,
        qa_scorecard_version: null,
        qa_scored: null,
      });
      await store.db
        .insertInto('calls')
        .values([
          call('missed', ['n/a', 'n/a'], ''),
          call('good', ['pass', 'n/a'], ''),
          call('bad', ['fail'], ',r0,'),
        ])
        .execute();
      // The migration run again, as after a SQLite start cut short in its backfill: the column is
      // there already (not a "duplicate column" failure), the rows are marked.
      await up(store.db);
      const rows = await store.db.selectFrom('calls').select(['id', 'qa_scored']).orderBy('id').execute();
      expect(rows.map((r) => [r.id, Number(r.qa_scored)])).toEqual([
        ['bad', 1],
        ['good', 1],
        ['missed', 0],
      ]);
    } finally {
      await store.close();
    }
  });
});
