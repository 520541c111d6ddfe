// Migration 2026120410: a call recorded before it, inspected with every rule n/a, had 100 in its
// facts and in the rollups; the migration takes it out of the average and bands and counts it apart.
import type { Insertable } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { correctFacts } from '../../src/db/migrations/2026120410_dashboard_unscored.ts';
import type { DashCallDayTable } from '../../src/db/schema.ts';

const store = openStore({ sqliteFile: ':memory:' });
afterAll(() => store.close());

const day = (
  team: string,
  agent: string,
  grain: string,
  inspected: number,
  sum: number,
  s90: number,
): Insertable<DashCallDayTable> =>
  ({
    brand: 'zhonghua',
    day: '2026-11-20',
    team,
    agent,
    grain,
    ...Object.fromEntries(
      ['calls', 'offered', 'answered', 'abandoned', 'in_threshold', 'offered_answered', 'wait_ms', 'handled']
        .concat(['handle_ms', 'hold_ms', 'holds', 'holds_over', 'with_phone', 'repeats', 'fatal'])
        .concat(['score_lt60', 'score_60', 'score_70', 'score_80'])
        .map((c) => [c, 0]),
    ),
    inspected,
    score_sum: sum,
    score_90: s90,
    unscored: 0,
  }) as Insertable<DashCallDayTable>;

describe('2026120410_dashboard_unscored', () => {
  it('moves a call recorded with every rule n/a out of the average and the bands, into unscored', async () => {
    const db = store.db;
    await migrateToLatest(db);
    const call = (id: string, rules: string[]) => ({
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
      qa_failed_rules: '',
      qa_result: JSON.stringify({ rules: rules.map((outcome, i) => ({ id: `r${i}`, outcome, points: 0 })) }),
      created_at: '2026-11-20T01:00:00.000Z',
      answered: 0,
      qa_scorecard_version: null,
    });
    await db
      .insertInto('calls')
      .values([call('missed', ['n/a', 'n/a']), call('good', ['pass', 'n/a'])])
      .execute();
    const fact = (id: string) => ({
      call_id: id,
      brand: 'zhonghua',
      day: '2026-11-20',
      started_at: '2026-11-20T01:00:00.000Z',
      team: '一组',
      agent: '1024',
      phone: null,
      offered: 1,
      answered: 0,
      wait_ms: null,
      handle_ms: null,
      hold_ms: 0,
      holds: 0,
      holds_over: 0,
      repeated: 0,
      qa_score: 100,
      qa_fatal: 0,
      qa_unscored: 0,
    });
    await db
      .insertInto('dash_calls')
      .values([fact('missed'), fact('good')])
      .execute();
    await db
      .insertInto('dash_call_day')
      .values([
        day('一组', '1024', 'agent', 2, 200, 2),
        day('一组', '*', 'team', 2, 200, 2),
        day('*', '*', 'brand', 2, 200, 2),
      ])
      .execute();
    const { day: _d, grain: _g, ...month } = day('一组', '1024', 'agent', 2, 200, 2);
    await db
      .insertInto('dash_call_month')
      .values({ ...month, month: '2026-11' })
      .execute();

    await correctFacts(db);

    const facts = await db
      .selectFrom('dash_calls')
      .select(['call_id', 'qa_score', 'qa_unscored'])
      .orderBy('call_id')
      .execute();
    expect(facts).toEqual([
      { call_id: 'good', qa_score: 100, qa_unscored: 0 },
      { call_id: 'missed', qa_score: null, qa_unscored: 1 },
    ]);
    const rows = await db
      .selectFrom('dash_call_day')
      .select(['grain', 'inspected', 'score_sum', 'score_90', 'unscored'])
      .execute();
    for (const r of rows)
      expect(r, r.grain).toMatchObject({ inspected: 1, score_sum: 100, score_90: 1, unscored: 1 });
    const m = await db.selectFrom('dash_call_month').select(['inspected', 'score_sum', 'unscored']).execute();
    expect(m).toEqual([{ inspected: 1, score_sum: 100, unscored: 1 }]);
  });
});
