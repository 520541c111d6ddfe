// The live calls' store in the database (SQLite or PostgreSQL): the default of one process
// without Redis, so that a restart (a deploy, a crash) keeps the calls in progress; live
// assist replays their flows from its journal (src/live/repository.ts). One row a call, its
// LiveCall as JSON; each write is a compare-and-set on `revision` in the WHERE clause, as the
// Redis store's Lua script does; a row past `expires_at` counts as absent, as a key past its TTL.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import {
  DEFAULT_LIVE_CALL_TTL_MS,
  type LiveCall,
  type LiveCallStore,
  type LiveStoreOptions,
} from './live.ts';

export class SqlLiveCallStore implements LiveCallStore {
  private readonly ttl: number;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock = systemClock,
    options: LiveStoreOptions = {},
  ) {
    this.ttl = options.staleAfterMs ?? DEFAULT_LIVE_CALL_TTL_MS;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private expiry(): string {
    return new Date(this.clock.now().getTime() + this.ttl).toISOString();
  }

  async get(callId: string): Promise<LiveCall | undefined> {
    const row = await this.db
      .selectFrom('live_calls')
      .select('data')
      .where('call_id', '=', callId)
      .where('expires_at', '>', this.now())
      .executeTakeFirst();
    return row ? (JSON.parse(row.data) as LiveCall) : undefined;
  }

  async create(call: LiveCall): Promise<boolean> {
    const now = this.now();
    // An expired row of the same id is no call: replaced, in one statement (no window between).
    const r = await this.db
      .insertInto('live_calls')
      .values({
        call_id: call.callId,
        revision: call.revision,
        expires_at: this.expiry(),
        data: JSON.stringify(call),
      })
      .onConflict((oc) =>
        oc
          .column('call_id')
          .doUpdateSet((eb) => ({
            revision: eb.ref('excluded.revision'),
            expires_at: eb.ref('excluded.expires_at'),
            data: eb.ref('excluded.data'),
          }))
          .where('live_calls.expires_at', '<=', now),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async replace(call: LiveCall, expected: number): Promise<boolean> {
    const r = await this.db
      .updateTable('live_calls')
      .set({ revision: call.revision, expires_at: this.expiry(), data: JSON.stringify(call) })
      .where('call_id', '=', call.callId)
      .where('revision', '=', expected)
      .where('expires_at', '>', this.now())
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async remove(callId: string, expected: number): Promise<boolean> {
    const r = await this.db
      .deleteFrom('live_calls')
      .where('call_id', '=', callId)
      .where('revision', '=', expected)
      .where('expires_at', '>', this.now())
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async list(): Promise<LiveCall[]> {
    const rows = await this.db
      .selectFrom('live_calls')
      .select('data')
      .where('expires_at', '>', this.now())
      .execute();
    return rows.map((r) => JSON.parse(r.data) as LiveCall);
  }

  async sweep(): Promise<number> {
    const r = await this.db.deleteFrom('live_calls').where('expires_at', '<=', this.now()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
