// Migration 2026120601 on both engines: chat and email threads recorded before it had their span
// as handle time and their hold events as hold, in their facts and in the rollups (AHT 823 s
// instead of 55 s). After it the dashboards count phone calls only, every rollup row is what a
// recount of the corrected facts gives, and a run cut short before it (a fact corrected, its
// rollups not) is repaired by the next.
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { recountCalls } from '../../src/dashboard/repository.ts';
import { migrateToLatest, migrateUpTo } from '../../src/db/migrate.ts';
import { up } from '../../src/db/migrations/2026120601_dashboard_phone_handle.ts';
import type { DB } from '../../src/db/schema.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

const THRESHOLD_MS = 20_000;
const CHAT_MS = 10_800_000;
const PHONE_MS = 55_000;
const HOLD_MS = 60_000;

// biome-ignore lint/suspicious/noExplicitAny: the schema as the release before left it
type AnyDb = Kysely<any>;

/** Every rollup row, numbers as numbers (PostgreSQL gives bigints as text), in key order. */
async function rollups(db: AnyDb) {
  const num = (r: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]),
    );
  const days = await db
    .selectFrom('dash_call_day')
    .selectAll()
    .orderBy('brand')
    .orderBy('day')
    .orderBy('team')
    .orderBy('agent')
    .execute();
  const months = await db
    .selectFrom('dash_call_month')
    .selectAll()
    .orderBy('brand')
    .orderBy('month')
    .orderBy('team')
    .orderBy('agent')
    .execute();
  return { days: days.map(num), months: months.map(num) };
}

describe.each(ENGINES)('2026120601_dashboard_phone_handle on %s', (engine) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  it('counts only phone calls’ handle time and hold, as a recount would, and a rerun repairs a run cut short', async () => {
    store = await freshStore(engine, { migrate: false });
    const db: AnyDb = store.db;
    await migrateUpTo(db, '2026120531_call_qa_scored');

    // Two brands, two teams with an agent each, two days of one month; per (brand, team, day)
    // one phone call and 80 chat or email threads with a three-hour span and a 60 s hold:
    // 640 threads, more than a batch of the release before.
    const calls: Record<string, unknown>[] = [];
    const facts: Record<string, unknown>[] = [];
    for (const brand of ['chaoyue', 'lanhai'])
      for (const [team, agent] of [
        ['一组', '2051'],
        ['二组', '2052'],
      ] as const)
        for (const day of ['2026-11-25', '2026-11-26'])
          for (let i = 0; i <= 80; i++) {
            const id = `${brand}-${agent}-${day}-${String(i).padStart(2, '0')}`;
            const channel = i === 0 ? 'phone' : i % 2 ? 'chat' : 'email';
            const at = `${day}T01:30:00.000Z`;
            calls.push({
              id,
              brand,
              direction: 'inbound',
              channel,
              agent_id: agent,
              agent_name: null,
              customer_phone: null,
              started_at: at,
              ended_at: null,
              subject: null,
              events: '[]',
              turns: '[]',
              transcript: '',
              qa_score: null,
              qa_fatal: 0,
              qa_failed_rules: '',
              qa_result: null,
              created_at: at,
              answered: 1,
              qa_scorecard_version: null,
            });
            facts.push({
              call_id: id,
              brand,
              day,
              started_at: at,
              team,
              agent,
              phone: null,
              offered: channel === 'phone' ? 1 : 0,
              answered: 1,
              wait_ms: 5000,
              handle_ms: channel === 'phone' ? PHONE_MS : CHAT_MS,
              hold_ms: HOLD_MS,
              holds: 1,
              holds_over: 1,
              repeated: 0,
              qa_score: null,
              qa_fatal: 0,
              qa_unscored: 0,
            });
          }
    for (let i = 0; i < calls.length; i += 100) {
      await db
        .insertInto('calls')
        .values(calls.slice(i, i + 100))
        .execute();
      await db
        .insertInto('dash_calls')
        .values(facts.slice(i, i + 100))
        .execute();
    }
    // The rollups as the release before counted them.
    for (const brand of ['chaoyue', 'lanhai']) await recountCalls(db as Kysely<DB>, { brand }, THRESHOLD_MS);
    // The release before's migration cut short: one thread's fact corrected, its rollups not.
    await db
      .updateTable('dash_calls')
      .set({ handle_ms: null })
      .where('call_id', '=', 'lanhai-2052-2026-11-26-07')
      .execute();

    expect(await migrateToLatest(db)).toContain('2026120601_dashboard_phone_handle');

    // What a user sees: each brand's day holds 2 phone calls, 55 s and 60 s hold each.
    const brandDays = await db
      .selectFrom('dash_call_day')
      .select(['brand', 'day', 'calls', 'handled', 'handle_ms', 'hold_ms', 'holds', 'holds_over'])
      .where('grain', '=', 'brand')
      .orderBy('brand')
      .orderBy('day')
      .execute();
    expect(brandDays).toHaveLength(4);
    for (const r of brandDays)
      expect(
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [k, k === 'brand' || k === 'day' ? v : Number(v)]),
        ),
        `${r.brand} ${r.day}`,
      ).toEqual({
        brand: r.brand,
        day: r.day,
        calls: 162,
        handled: 2,
        handle_ms: 2 * PHONE_MS,
        hold_ms: 2 * HOLD_MS,
        holds: 2,
        holds_over: 2,
      });
    const month = await db
      .selectFrom('dash_call_month')
      .select(['handled', 'handle_ms', 'hold_ms'])
      .where('brand', '=', 'lanhai')
      .where('agent', '=', '2052')
      .executeTakeFirstOrThrow();
    expect(Object.values(month).map(Number)).toEqual([2, 2 * PHONE_MS, 2 * HOLD_MS]);

    // Every row is what the service's recount gives from the corrected facts, and a second run
    // (as after a run cut short) changes nothing.
    const migrated = await rollups(db);
    await up(db);
    expect(await rollups(db)).toEqual(migrated);
    for (const brand of ['chaoyue', 'lanhai']) await recountCalls(db as Kysely<DB>, { brand }, THRESHOLD_MS);
    expect(await rollups(db)).toEqual(migrated);
  });
});
