// Live assist's tables: the journal of each live call's inputs (journal.ts), one row an input,
// written as the input is taken and deleted when the call ends; the rows of calls that could
// not be read back, moved aside for inspection; and the one process that holds the journal.
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../db/schema.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import {
  type ClaimLog,
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
/** A heartbeat this recent: the holder is beating (two beats, one may be late on a loaded machine). */
const FRESH_MS = 2 * HEARTBEAT_MS;
/** How often a start waiting on a holder that may have stopped looks at its heartbeat again. */
const WAIT_POLL_MS = 5_000;

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

/**
 * Who process `pid` is, from /proc: the boot id, this process's pid namespace and the pid's
 * start time (stat field 22, in clock ticks since boot). A pid means one process only within
 * one boot and one pid namespace, and a reused pid starts later. Null where /proc cannot be
 * read (not Linux, or no such process).
 */
export function processIdentity(pid: number): string | null {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const ns = readlinkSync('/proc/self/ns/pid');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (in parentheses, may hold spaces): state is field 3.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return boot && ns && start ? `${boot}/${ns}/${start}` : null;
  } catch {
    return null;
  }
}

/** The boot and pid namespace part of an identity (where its pid means something). */
function placeOf(identity: string): string {
  return identity.slice(0, identity.lastIndexOf('/'));
}

type Holder = Selectable<DB['live_journal_holder']>;

/**
 * Whether the holder's process is known alive, known gone, or not known from here (another
 * machine, pid namespace or boot, or a pid that may belong to another process now).
 */
function holderProcess(other: Holder, host: string, mine: string | null): 'alive' | 'gone' | 'unknown' {
  if (other.identity && mine && placeOf(other.identity) === placeOf(mine)) {
    // Same boot, same pid namespace: the pid is that process only if it started when it did.
    if (other.pid === process.pid && other.identity === mine)
      return heldHere.has(other.holder) ? 'alive' : 'gone';
    return processIdentity(other.pid) === other.identity ? 'alive' : 'gone';
  }
  // No /proc on either side: host and pid. A pid that is no process is gone; one that is may
  // be another process by now (a reboot, a kill -9), so it proves nothing.
  if (!other.identity && !mine && other.host === host) {
    if (other.pid === process.pid) return heldHere.has(other.holder) ? 'alive' : 'gone';
    return alive(other.pid) ? 'unknown' : 'gone';
  }
  return 'unknown';
}

export interface SqlLiveJournalOptions {
  /** Default 15 s; tests shorten it. */
  heartbeatMs?: number;
  /** How a start waits on a holder that may have stopped; default real time. */
  sleep?: (ms: number) => Promise<void>;
  /** Tests only: runs between reading a stopped holder and taking its row (a race to lose). */
  beforeTakeover?: () => Promise<void>;
}

export class SqlLiveJournal implements LiveJournal {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock = systemClock,
    private readonly options: SqlLiveJournalOptions = {},
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
   * One row names the holder. Taken when there is none; at once from a holder whose process
   * is known gone (same boot and pid namespace, its pid no longer the process that started
   * then: a kill -9, a crash); refused at once from one known alive and beating. Any other
   * holder (another machine or container, or not heartbeating) is waited on, its heartbeat
   * looked at every few seconds: refused as soon as it beats, taken once it has not for
   * HOLDER_LAPSES_MS. Taking is a compare-and-set on the holder and the heartbeat read, so a
   * holder that beats meanwhile keeps its claim, and two starting together do not both win.
   */
  async claim(log?: ClaimLog): Promise<JournalClaim> {
    const host = hostname();
    const identity = processIdentity(process.pid);
    const me = `${host}:${process.pid}:${randomBytes(6).toString('hex')}`;
    const mine = () => ({
      holder: me,
      host,
      pid: process.pid,
      identity,
      seen_at: this.clock.now().toISOString(),
    });
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const refused = (other: Holder) =>
      new LiveJournalHeldError({ host: other.host, pid: other.pid, seenAt: other.seen_at }, HOLDER_LAPSES_MS);
    let waitedOn: Holder | undefined;
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
      // It beat while this one waited: it is running.
      if (waitedOn && (waitedOn.holder !== other.holder || waitedOn.seen_at !== other.seen_at))
        throw refused(other);
      const age = this.clock.now().getTime() - Date.parse(other.seen_at);
      const lapsed = !(age < HOLDER_LAPSES_MS);
      const process_ = lapsed ? 'gone' : holderProcess(other, host, identity);
      if (process_ === 'alive' && age < FRESH_MS) throw refused(other);
      if (process_ !== 'gone') {
        if (!waitedOn)
          log?.warn(
            { holder: other.holder, host: other.host, pid: other.pid, seenAt: other.seen_at },
            `the live journal is held by pid ${other.pid} on ${other.host} (last seen ${other.seen_at}), which may have stopped: waiting up to ${Math.ceil((HOLDER_LAPSES_MS - age) / 1000)} s for its heartbeat before taking it over`,
          );
        waitedOn = other;
        await sleep(Math.min(WAIT_POLL_MS, HOLDER_LAPSES_MS - age));
        continue;
      }
      if (attempt >= 20) throw refused(other);
      await this.options.beforeTakeover?.();
      const taken = await this.db
        .updateTable('live_journal_holder')
        .set(mine())
        .where('id', '=', 1)
        .where('holder', '=', other.holder)
        .where('seen_at', '=', other.seen_at)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) > 0) {
        log?.warn(
          { holder: other.holder, seenAt: other.seen_at },
          'took over the live journal from a process that has stopped',
        );
        break;
      }
      // Someone wrote the row meanwhile (its holder beat, or another start took it): look again.
      waitedOn = undefined;
    }
    heldHere.add(me);
    let held = true;
    const lost = new Set<() => void>();
    const beat = setInterval(() => {
      this.db
        .updateTable('live_journal_holder')
        .set({ seen_at: this.clock.now().toISOString() })
        .where('id', '=', 1)
        .where('holder', '=', me)
        .executeTakeFirst()
        .then((r) => {
          if (Number(r.numUpdatedRows) > 0 || !held) return;
          // Another process took it over (this one was not seen for a lapse): it keeps the
          // journal now; this one must write no more of it.
          held = false;
          clearInterval(beat);
          heldHere.delete(me);
          for (const f of lost) f();
        })
        .catch((err: unknown) => log?.warn({ err }, 'the live journal’s holder could not be refreshed'));
    }, this.options.heartbeatMs ?? HEARTBEAT_MS);
    beat.unref();
    return {
      get held() {
        return held;
      },
      onLost: (listener) => {
        lost.add(listener);
      },
      release: async () => {
        clearInterval(beat);
        heldHere.delete(me);
        held = false;
        await this.db.deleteFrom('live_journal_holder').where('holder', '=', me).execute();
      },
    };
  }
}
