// Migration 2026120601: an email thread recorded before it had its three-hour span as handle
// time, in its facts and in the rollups (AHT 823 s instead of 55 s); the migration takes it out
// of `handled` and `handle_ms`, the phone call's left as it was.
import type { Insertable } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { up } from '../../src/db/migrations/2026120601_dashboard_phone_handle.ts';
import type { DashCallDayTable } from '../../src/db/schema.ts';

const store = openStore({ sqliteFile: ':memory:' });
afterAll(() => store.close());

const EMAIL_MS = 10_800_000;
const PHONE_MS = 55_000;

const totals = { handled: 2, handle_ms: EMAIL_MS + PHONE_MS };
const day = (team: string, agent: string, grain: string): Insertable<DashCallDayTable> =>
  ({
    brand: 'chaoyue',
    day: '2026-11-25',
    team,
    agent,
    grain,
    ...Object.fromEntries(
      ['calls', 'offered', 'answered', 'abandoned', 'in_threshold', 'offered_answered', 'wait_ms']
        .concat([
          'hold_ms',
          'holds',
          'holds_over',
          'with_phone',
          'repeats',
          'fatal',
          'inspected',
          'score_sum',
        ])
        .concat(['score_lt60', 'score_60', 'score_70', 'score_80', 'score_90', 'unscored'])
        .map((c) => [c, 0]),
    ),
    ...totals,
  }) as Insertable<DashCallDayTable>;

describe('2026120601_dashboard_phone_handle', () => {
  it('takes an email thread’s span out of the handle time of its facts and rollups', async () => {
    const db = store.db;
    await migrateToLatest(db);
    const call = (id: string, channel: string) => ({
      id,
      brand: 'chaoyue',
      direction: 'inbound',
      channel,
      agent_id: '2051',
      agent_name: null,
      customer_phone: null,
      started_at: '2026-11-25T01:30:00.000Z',
      ended_at: null,
      subject: null,
      events: '[]',
      turns: '[]',
      transcript: '',
      qa_score: null,
      qa_fatal: 0,
      qa_failed_rules: '',
      qa_result: null,
      created_at: '2026-11-25T01:30:00.000Z',
      answered: 1,
      qa_scorecard_version: null,
    });
    await db
      .insertInto('calls')
      .values([call('email', 'email'), call('phone', 'phone')])
      .execute();
    const fact = (id: string, handle: number) => ({
      call_id: id,
      brand: 'chaoyue',
      day: '2026-11-25',
      started_at: '2026-11-25T01:30:00.000Z',
      team: '一组',
      agent: '2051',
      phone: null,
      offered: 0,
      answered: 1,
      wait_ms: 0,
      handle_ms: handle,
      hold_ms: 0,
      holds: 0,
      holds_over: 0,
      repeated: 0,
      qa_score: null,
      qa_fatal: 0,
      qa_unscored: 0,
    });
    await db
      .insertInto('dash_calls')
      .values([fact('email', EMAIL_MS), fact('phone', PHONE_MS)])
      .execute();
    await db
      .insertInto('dash_call_day')
      .values([day('一组', '2051', 'agent'), day('一组', '*', 'team'), day('*', '*', 'brand')])
      .execute();
    const { day: _d, grain: _g, ...month } = day('一组', '2051', 'agent');
    await db
      .insertInto('dash_call_month')
      .values({ ...month, month: '2026-11' })
      .execute();

    await up(db);
    await up(db); // a second run finds nothing left to take out

    const facts = await db
      .selectFrom('dash_calls')
      .select(['call_id', 'handle_ms'])
      .orderBy('call_id')
      .execute();
    expect(facts).toEqual([
      { call_id: 'email', handle_ms: null },
      { call_id: 'phone', handle_ms: PHONE_MS },
    ]);
    const rows = await db.selectFrom('dash_call_day').select(['grain', 'handled', 'handle_ms']).execute();
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r, r.grain).toMatchObject({ handled: 1, handle_ms: PHONE_MS });
    expect(await db.selectFrom('dash_call_month').select(['handled', 'handle_ms']).execute()).toEqual([
      { handled: 1, handle_ms: PHONE_MS },
    ]);
  });
});
