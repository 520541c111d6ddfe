// Fan-out of delivered events to every process through Redis pub/sub (REDIS_URL). The relay
// publishes each batch as one message on `<prefix>events`, tagged with its process; every
// process subscribes and hands the events of the others to its own bus. Pub/sub keeps the
// order of one publisher's messages, so events of an aggregate arrive in order.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { EventEnvelope } from './map.ts';

/** How long a start waits for Redis before giving up with a message naming REDIS_URL. */
export const REDIS_CONNECT_TIMEOUT_MS = 5_000;

export interface FanoutMessage {
  origin: string;
  events: EventEnvelope[];
}

export class RedisStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedisStartError';
  }
}

/** redis://user:secret@host → redis://user:***@host, for messages. */
export function maskRedisUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

export class RedisFanout {
  /** This process, so that it skips its own messages (its relay dispatched them already). */
  readonly origin = randomUUID();
  readonly channel: string;
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;

  constructor(
    private readonly url: string,
    prefix: string,
    private readonly onEvents: (events: EventEnvelope[]) => void,
    private readonly onError: (err: Error) => void,
  ) {
    this.channel = `${prefix}events`;
  }

  async start(): Promise<void> {
    // Loaded only when Redis is used: a one-process server does not pay for it.
    const { Redis } = await import('ioredis');
    // Publishing fails fast while Redis is away (no offline queue): the relay leaves the rows
    // undelivered and tries again, rather than holding its transaction open.
    const publisher = new Redis(this.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 5_000,
    });
    const subscriber = new Redis(this.url, { lazyConnect: true });
    this.publisher = publisher;
    this.subscriber = subscriber;
    // ioredis reconnects by itself (and subscribes again); an 'error' without a listener would
    // end the process.
    let reported = false;
    for (const r of [publisher, subscriber]) {
      r.on('error', (err: Error) => {
        if (reported) return;
        reported = true;
        this.onError(err);
      });
      r.on('ready', () => {
        reported = false;
      });
    }
    subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.receive(message));
    try {
      await withTimeout(Promise.all([publisher.connect(), subscriber.connect()]), REDIS_CONNECT_TIMEOUT_MS);
      await withTimeout(subscriber.subscribe(this.channel), REDIS_CONNECT_TIMEOUT_MS);
    } catch (err) {
      await this.stop();
      throw new RedisStartError(
        `Huashu did not start: cannot reach Redis at REDIS_URL=${maskRedisUrl(this.url)} (${(err as Error).message}); start Redis or correct REDIS_URL`,
        { cause: err },
      );
    }
  }

  async publish(events: readonly EventEnvelope[]): Promise<void> {
    if (!this.publisher) throw new Error('the Redis fan-out is not started');
    const message: FanoutMessage = { origin: this.origin, events: [...events] };
    await this.publisher.publish(this.channel, JSON.stringify(message));
  }

  private receive(raw: Buffer): void {
    let message: FanoutMessage;
    try {
      message = JSON.parse(raw.toString('utf8')) as FanoutMessage;
    } catch (err) {
      this.onError(err as Error);
      return;
    }
    if (message.origin === this.origin || !Array.isArray(message.events)) return;
    this.onEvents(message.events);
  }

  async stop(): Promise<void> {
    const all = [this.publisher, this.subscriber];
    this.publisher = undefined;
    this.subscriber = undefined;
    for (const r of all) r?.disconnect();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
