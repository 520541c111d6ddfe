// The events of one process: its bus, its relay (unless turned off) and, with REDIS_URL, the
// fan-out that carries events between processes. Services append to the outbox
// (repository.ts) inside their transactions; consumers subscribe here.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { EventBus, type Handler } from './bus.ts';
import type { EventEnvelope, EventType, NewEvent } from './map.ts';
import { RedisFanout } from './redis.ts';
import { Relay } from './relay.ts';
import { appendEvents } from './repository.ts';

export interface EventsOptions {
  db: Kysely<DB>;
  clock: Clock;
  /** REDIS_URL: fan events out to every process. */
  redisUrl?: string | undefined;
  /** Prefix of the Redis channel (HUASHU_REDIS_PREFIX), so deployments or tests sharing a Redis stay apart. */
  redisPrefix?: string;
  /** false (HUASHU_EVENT_RELAY=off): this process only writes; another process relays. */
  relay?: boolean;
  pollMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

/** Whom a notification is for: the user, or their role when it names no user; of their brand when they have one. */
export interface NotificationReader {
  id: string;
  role: string;
  /** The brand the reader is limited to; null or absent: every brand. */
  brand?: string | null;
}

export class Events {
  private readonly bus: EventBus;
  private readonly relay: Relay | undefined;
  private readonly fanout: RedisFanout | undefined;
  private started = false;

  constructor(private readonly opts: EventsOptions) {
    const warn = (obj: object, msg: string) =>
      opts.log ? opts.log.warn(obj, msg) : process.stderr.write(`huashu: ${msg}\n`);
    this.bus = new EventBus((err, event) =>
      warn({ err, event: { id: event.id, type: event.type } }, 'an event handler failed'),
    );
    if (opts.redisUrl) {
      this.fanout = new RedisFanout(
        opts.redisUrl,
        opts.redisPrefix ?? 'huashu:',
        (events) => {
          for (const e of events) this.bus.dispatch(e);
        },
        (err) => warn({ err }, `Redis: ${err.message}; events reach other processes again once it is back`),
      );
    }
    if (opts.relay !== false) {
      const fanout = this.fanout;
      this.relay = new Relay({
        db: opts.db,
        clock: opts.clock,
        ...(fanout ? { publish: (events) => fanout.publish(events) } : {}),
        deliver: (events) => {
          for (const e of events) this.bus.dispatch(e);
        },
        onError: (err) =>
          warn({ err }, 'event delivery failed; the events stay in the outbox and are tried again'),
        ...(opts.pollMs ? { pollMs: opts.pollMs } : {}),
      });
    }
  }

  /** Connects to Redis (when configured) and starts relaying. */
  async start(): Promise<void> {
    if (this.started) return;
    await this.fanout?.start();
    this.relay?.start();
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.relay?.stop();
    await this.fanout?.stop();
  }

  /** Runs `handler` for every event of the type ('*': every event) delivered to this process. */
  subscribe<T extends EventType>(type: T | '*', handler: Handler<T>): () => void {
    return this.bus.subscribe(type, handler);
  }

  /**
   * The notifications for one signed-in user as they are created (theirs, and their role's
   * when it names nobody): what a WebSocket or SSE connection of theirs subscribes to.
   */
  subscribeNotifications(
    reader: NotificationReader,
    handler: (event: EventEnvelope<'notification.created'>) => void,
  ): () => void {
    return this.bus.subscribe('notification.created', (e) => {
      const p = e.payload;
      // A brand-limited reader: only its brand's (one without a brand named is not theirs).
      if (reader.brand && p.brand !== reader.brand) return;
      if (p.userId === reader.id || (p.userId === null && p.role === reader.role)) handler(e);
    });
  }

  /** Events with no other change to go with (live call state): appended in a transaction of their own. */
  async append(events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.opts.db.transaction().execute((trx) => appendEvents(trx, events));
  }

  /** Whether this process relays (HUASHU_EVENT_RELAY) and fans out (REDIS_URL). */
  get mode(): { relay: boolean; redis: boolean; channel: string | null } {
    return {
      relay: this.relay !== undefined,
      redis: this.fanout !== undefined,
      channel: this.fanout?.channel ?? null,
    };
  }

  /** Waits for the relay's current pass (tests). */
  async idle(): Promise<void> {
    await this.relay?.idle();
  }
}
