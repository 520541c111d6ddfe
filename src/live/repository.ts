// Live assist's tables: the journal of each live call's inputs (journal.ts), one row an input,
// written as the input is taken and deleted when the call ends; the rows of calls that could
// not be read back, moved aside for inspection; and the one process that holds the journal.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import {
  type DamagedJournal,
  type JournalClaim,
  type JournalEntry,
  type LiveJournal,
  LiveJournalHeldError,
  type LoadedJournal,
  readJournal,
} from './journal.ts';

/** A holder not seen for this long has stopped (its heartbeat is every HEARTBEAT_MS). */
export const HOLDER_LAPSES_MS = 60_000;
const HEARTBEAT_MS = 15_000;

/** The claims this process holds (two applications in one process are two holders too). */
const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, only not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class SqlLiveJournal implements LiveJournal {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock = systemClock,
  ) {}

  async append(callId: string, n: number, entry: JournalEntry): Promise<void> {
    await this.db
      .insertInto('live_inputs')
      .values({ call_id: callId, n, data: JSON.stringify(entry) })
      .execute();
  }

  async drop(callId: string): Promise<void> {
    await this.db.deleteFrom('live_inputs').where('call_id', '=', callId).execute();
  }

  async load(): Promise<LoadedJournal> {
    const rows = await this.db
      .selectFrom('live_inputs')
      .select(['call_id', 'n', 'data'])
      .orderBy('call_id')
      .orderBy('n')
      .execute();
    return readJournal(rows);
  }

  async reject(callId: string, problems: DamagedJournal['problems']): Promise<number> {
    const why = new Map(problems.map((p) => [p.n, p.problem]));
    const at = this.clock.now().toISOString();
    return this.db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom('live_inputs')
        .select(['call_id', 'n', 'data'])
        .where('call_id', '=', callId)
        .execute();
      if (rows.length === 0) return 0;
      await tx
        .insertInto('live_inputs_rejected')
        .values(rows.map((r) => ({ ...r, problem: why.get(r.n) ?? null, rejected_at: at })))
        .execute();
      await tx.deleteFrom('live_inputs').where('call_id', '=', callId).execute();
      return rows.length;
    });
  }

  /**
   * One row names the holder. Taken when there is none, or when its holder has stopped: not
   * seen for HOLDER_LAPSES_MS, or on this machine with its process gone (a kill -9 restarts at
   * once). A compare-and-set on the holder read, so two starting together do not both win.
   */
  async claim(log?: { warn(obj: object, msg: string): void }): Promise<JournalClaim> {
    const host = hostname();
    const me = `${host}:${process.pid}:${randomBytes(6).toString('hex')}`;
    const mine = () => ({ holder: me, host, pid: process.pid, seen_at: this.clock.now().toISOString() });
    for (let attempt = 0; ; attempt++) {
      const r = await this.db
        .insertInto('live_journal_holder')
        .values({ id: 1, ...mine() })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) break;
      const other = await this.db
        .selectFrom('live_journal_holder')
        .selectAll()
        .where('id', '=', 1)
        .executeTakeFirst();
      if (!other) continue; // released meanwhile
      const age = this.clock.now().getTime() - Date.parse(other.seen_at);
      const gone =
        !(age < HOLDER_LAPSES_MS) ||
        (other.host === host &&
          (other.pid === process.pid ? !heldHere.has(other.holder) : !alive(other.pid)));
      if (!gone || attempt >= 3)
        throw new LiveJournalHeldError(
          { host: other.host, pid: other.pid, seenAt: other.seen_at },
          HOLDER_LAPSES_MS,
        );
      const taken = await this.db
        .updateTable('live_journal_holder')
        .set(mine())
        .where('id', '=', 1)
        .where('holder', '=', other.holder)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) > 0) {
        log?.warn(
          { holder: other.holder, seenAt: other.seen_at },
          'took over the live journal from a process that has stopped',
        );
        break;
      }
    }
    heldHere.add(me);
    const beat = setInterval(() => {
      this.db
        .updateTable('live_journal_holder')
        .set({ seen_at: this.clock.now().toISOString() })
        .where('id', '=', 1)
        .where('holder', '=', me)
        .executeTakeFirst()
        .then((r) => {
          if (Number(r.numUpdatedRows) === 0)
            log?.warn(
              { holder: me },
              'another process took over the live journal (this one was not seen for a minute)',
            );
        })
        .catch((err: unknown) => log?.warn({ err }, 'the live journal’s holder could not be refreshed'));
    }, HEARTBEAT_MS);
    beat.unref();
    return {
      release: async () => {
        clearInterval(beat);
        heldHere.delete(me);
        await this.db.deleteFrom('live_journal_holder').where('holder', '=', me).execute();
      },
    };
  }
}
