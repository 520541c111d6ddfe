// The relay: delivers the outbox after commit, at least once, in the order the events were
// written. A pass reads the undelivered rows (oldest first), publishes them to Redis when there
// is a fan-out, stamps them delivered, and after that hands them to this process's bus.
//
// - PostgreSQL: a pass is one transaction holding a transaction-scoped advisory lock, so one
//   process relays at a time (the others hear through Redis); a process that finds the lock
//   taken tries again shortly while it still waits for events it wrote.
// - Woken right after a commit in this process (signal.ts) and polled every POLL_MS for rows
//   that another process committed and did not relay (it died, or runs with the relay off).
// - A failure (Redis away, the database away) leaves the rows undelivered for the next pass.
// - Delivered rows are kept KEEP_DELIVERED_MS (7 days) and then pruned, at most hourly.
import type { Kysely } from 'kysely';
import { isPostgres } from '../db/batch.ts';
import type { DB } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import type { EventEnvelope } from './map.ts';
import { markDelivered, pruneDelivered, tryRelayLock, undelivered } from './repository.ts';
import { onAppended } from './signal.ts';

export const POLL_MS = 500;
export const BATCH = 500;
export const KEEP_DELIVERED_MS = 7 * 24 * 3600_000;
export const PRUNE_EVERY_MS = 3600_000;
/** How long an appended event is looked for before the relay leaves it to the poll (rolled back). */
const AWAIT_MS = 10_000;

export interface RelayOptions {
  db: Kysely<DB>;
  clock: Clock;
  /** Publishes a batch to the other processes before it is stamped delivered (Redis). */
  publish?: (events: readonly EventEnvelope[]) => Promise<void>;
  /** Receives each delivered batch in this process, after it is stamped. */
  deliver: (events: readonly EventEnvelope[]) => void;
  onError: (err: unknown) => void;
  pollMs?: number;
}

export class Relay {
  private timer: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopListening: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  /** Ids appended in this process and not yet seen delivered, with when they were noted. */
  private readonly awaiting = new Map<string, number>();
  private retryDelay = 0;
  private lastPrune = 0;
  private lastError = '';

  constructor(private readonly opts: RelayOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopListening = onAppended((ids) => {
      const now = Date.now();
      for (const id of ids) this.awaiting.set(id, now);
      this.retryDelay = 0;
      this.wake();
    });
    this.timer = setInterval(() => this.wake(), this.opts.pollMs ?? POLL_MS);
    this.timer.unref();
    this.wake();
  }

  /** Runs a pass now (or right after the one running). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when no pass is running (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    clearInterval(this.timer);
    clearTimeout(this.retry);
    await this.idle();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      let outcome: 'more' | 'done' | 'busy';
      try {
        outcome = await this.pass();
        this.lastError = '';
      } catch (err) {
        // Reported once per kind of failure, not every poll while the database is down.
        const text = err instanceof Error ? err.message : String(err);
        if (text !== this.lastError) this.opts.onError(err);
        this.lastError = text;
        return;
      }
      if (outcome === 'more') this.again = true;
      else this.scheduleRetry();
    } while (this.again && !this.stopped);
    await this.maybePrune();
  }

  /** While events written here are not delivered yet (not committed, or another relay is busy), look again soon. */
  private scheduleRetry(): void {
    const now = Date.now();
    for (const [id, at] of this.awaiting) if (now - at > AWAIT_MS) this.awaiting.delete(id);
    if (this.awaiting.size === 0 || this.stopped || this.retry) return;
    this.retryDelay = Math.min(Math.max(1, this.retryDelay * 2), 100);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.wake();
    }, this.retryDelay);
    this.retry.unref();
  }

  /** One batch: 'more' when it was full, 'busy' when another process holds the relay. */
  private async pass(): Promise<'more' | 'done' | 'busy'> {
    const { db } = this.opts;
    let batch: EventEnvelope[] | null;
    if (isPostgres(db)) {
      batch = await db.transaction().execute(async (trx) => {
        if (!(await tryRelayLock(trx))) return null;
        return this.publishAndMark(trx, await undelivered(trx, BATCH));
      });
    } else {
      // One process per SQLite file; no lock. (A read inside a group commit is answered only
      // once that group committed, so nothing uncommitted is ever published.)
      batch = await this.publishAndMark(db, await undelivered(db, BATCH));
    }
    if (batch === null) return 'busy';
    for (const e of batch) this.awaiting.delete(e.id);
    if (batch.length > 0) this.opts.deliver(batch);
    return batch.length === BATCH ? 'more' : 'done';
  }

  private async publishAndMark(db: Kysely<DB>, batch: EventEnvelope[]): Promise<EventEnvelope[]> {
    if (batch.length === 0) return batch;
    await this.opts.publish?.(batch);
    await markDelivered(
      db,
      batch.map((e) => e.position),
      this.opts.clock.now().toISOString(),
    );
    return batch;
  }

  private async maybePrune(): Promise<void> {
    const now = this.opts.clock.now().getTime();
    if (now - this.lastPrune < PRUNE_EVERY_MS || this.stopped) return;
    this.lastPrune = now;
    try {
      await pruneDelivered(this.opts.db, new Date(now - KEEP_DELIVERED_MS).toISOString());
    } catch (err) {
      this.opts.onError(err);
    }
  }
}
