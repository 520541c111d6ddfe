// Live assist across server processes (REDIS_URL). The flow of a call lives in the process
// that took its ring; that process numbers the call's events, appends each to the call's list
// in Redis (bounded, expiring a while after hang-up) and publishes it on `<prefix>live`, where
// every process hears it and pushes it to its own consoles. A console reconnecting to any
// process reads what it missed from the list. An input arriving at a process that does not
// hold the flow is published on the holder's own channel (`<prefix>live:in:<process>`), whose
// name the call's owner key gives.
//
// Why not the domain events' outbox (events/): each of those is a database row written in a
// transaction and relayed under a lock, built for at-least-once delivery of state changes.
// Live events are ephemeral (a guidance line is worthless a minute later), come at hundreds a
// second, and need per-call order and resume, which a Redis list plus pub/sub gives in one
// round trip without touching PostgreSQL.
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AgentRecord } from './agent-state.ts';
import {
  DROPPED_MEMORY_MS,
  type HubListener,
  type LiveCallError,
  type LiveHub,
  type LiveMessage,
  LOG_LIMIT,
  type RoutedInput,
} from './hub.ts';

interface Wire {
  /** The publishing process. */
  o: string;
  m?: LiveMessage;
  e?: LiveCallError;
  a?: AgentRecord;
}

export class RedisLiveHub implements LiveHub {
  /** This process: it skips its own messages (dispatched already) and owns calls by this name. */
  readonly origin = randomUUID();
  private cmd: Redis | undefined;
  private sub: Redis | undefined;
  private readonly listeners = new Set<HubListener>();
  private inputHandler: ((input: RoutedInput) => void) | undefined;
  private readonly channel: string;
  private readonly inChannel: string;
  private reported = false;
  /** How long a live call's list lives after its last event (own()'s ttl; 4 h until told). */
  private liveTtlMs = 4 * 3600_000;

  constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
    private readonly onError: (err: Error) => void = () => undefined,
    private readonly limit = LOG_LIMIT,
  ) {
    this.channel = `${prefix}live`;
    this.inChannel = `${prefix}live:in:${this.origin}`;
  }

  private key(kind: string, id: string): string {
    return `${this.prefix}live:${kind}:${id}`;
  }

  async start(): Promise<void> {
    if (this.cmd) return;
    const { Redis } = await import('ioredis');
    const cmd = new Redis(this.url, { maxRetriesPerRequest: 3 });
    const sub = new Redis(this.url);
    this.cmd = cmd;
    this.sub = sub;
    // ioredis reconnects by itself; one report per outage, not one per event that failed.
    for (const r of [cmd, sub]) {
      r.on('error', (err: Error) => this.report(err));
      r.on('ready', () => {
        this.reported = false;
      });
    }
    sub.on('message', (channel: string, raw: string) => this.receive(channel, raw));
    await sub.subscribe(this.channel, this.inChannel);
  }

  async stop(): Promise<void> {
    const all = [this.cmd, this.sub];
    this.cmd = undefined;
    this.sub = undefined;
    for (const r of all) r?.disconnect();
  }

  private report(err: Error): void {
    if (this.reported) return;
    this.reported = true;
    this.onError(err);
  }

  private redis(): Redis {
    if (!this.cmd) throw new Error('the live hub is not started');
    return this.cmd;
  }

  private receive(channel: string, raw: string): void {
    try {
      if (channel === this.inChannel) {
        this.inputHandler?.(JSON.parse(raw) as RoutedInput);
        return;
      }
      const w = JSON.parse(raw) as Wire;
      if (w.o === this.origin) return;
      if (w.m) for (const l of this.listeners) l.message(w.m);
      else if (w.e) for (const l of this.listeners) l.error(w.e);
      else if (w.a) for (const l of this.listeners) l.agent?.(w.a);
    } catch (err) {
      this.onError(err as Error);
    }
  }

  publish(m: LiveMessage): void {
    for (const l of this.listeners) l.message(m);
    const json = JSON.stringify(m);
    const log = this.key('log', m.callId);
    // One connection, one pipeline: the list has the event before anyone hears of it, so a
    // console reading the list after subscribing misses nothing.
    this.redis()
      .pipeline()
      .rpush(log, json)
      .ltrim(log, -this.limit, -1)
      // A process that dies mid-call leaves no list behind for ever.
      .pexpire(log, this.liveTtlMs)
      .publish(this.channel, `{"o":${JSON.stringify(this.origin)},"m":${json}}`)
      .exec()
      .catch((err: Error) => this.report(err));
  }

  publishError(e: LiveCallError): void {
    for (const l of this.listeners) l.error(e);
    const w: Wire = { o: this.origin, e };
    this.redis()
      .publish(this.channel, JSON.stringify(w))
      .catch((err: Error) => this.report(err));
  }

  publishAgent(a: AgentRecord): void {
    for (const l of this.listeners) l.agent?.(a);
    const w: Wire = { o: this.origin, a };
    this.redis()
      .publish(this.channel, JSON.stringify(w))
      .catch((err: Error) => this.report(err));
  }

  listen(l: HubListener): () => void {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  }

  async history(callId: string, after: number): Promise<LiveMessage[] | null> {
    const raw = await this.redis().lrange(this.key('log', callId), 0, -1);
    if (raw.length === 0) return null;
    return raw.map((r) => JSON.parse(r) as LiveMessage).filter((m) => m.seq > after);
  }

  async calls(): Promise<string[]> {
    const r = this.redis();
    const key = `${this.prefix}live:calls`;
    await r.zremrangebyscore(key, '-inf', String(this.now()));
    return r.zrange(key, '0', '-1');
  }

  async own(callId: string, ttlMs: number): Promise<void> {
    this.liveTtlMs = ttlMs;
    await this.redis()
      .multi()
      .set(this.key('owner', callId), this.origin, 'PX', ttlMs)
      .zadd(`${this.prefix}live:calls`, String(this.now() + ttlMs), callId)
      .pexpire(this.key('log', callId), ttlMs)
      .exec();
  }

  async release(callId: string, keepMs: number): Promise<void> {
    await this.redis()
      .multi()
      .del(this.key('owner', callId))
      .zadd(`${this.prefix}live:calls`, String(this.now() + keepMs), callId)
      .pexpire(this.key('log', callId), keepMs)
      .exec();
  }

  async forward(input: RoutedInput): Promise<boolean> {
    const owner = await this.redis().get(this.key('owner', input.callId));
    if (owner === null) return false;
    if (owner === this.origin) {
      if (!this.inputHandler) return false;
      this.inputHandler(input);
      return true;
    }
    // PUBLISH answers how many subscribers heard it: 0 when the owner process is gone.
    const heard = await this.redis().publish(`${this.prefix}live:in:${owner}`, JSON.stringify(input));
    return heard > 0;
  }

  onInput(handler: (input: RoutedInput) => void): void {
    this.inputHandler = handler;
  }

  /** The key of a number's dropped line: a hash, so no whole number is in a Redis key name. */
  private droppedKey(phone: string): string {
    return this.key(
      'dropped',
      createHash('sha256').update(`${this.prefix}${phone}`).digest('hex').slice(0, 32),
    );
  }

  async noteDropped(phone: string, at: number): Promise<void> {
    await this.redis().set(this.droppedKey(phone), String(at), 'PX', DROPPED_MEMORY_MS);
  }

  async lastDropped(phone: string): Promise<number | null> {
    const v = await this.redis().get(this.droppedKey(phone));
    return v === null ? null : Number(v);
  }
}
