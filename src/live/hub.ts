// Where the live events of calls go once the service has numbered them, and how an input
// reaches the process that holds a call's flow. One process: MemoryLiveHub (this file). Several
// processes: RedisLiveHub (hub-redis.ts, REDIS_URL). The service (service.ts) numbers each
// call's events itself (one process holds a call's flow), so the hub only keeps and carries them.
import type { CallEventType, Direction, TurnSource } from '../calls/model.ts';
import type { CallResult } from '../qa/result.ts';
import type { Localized } from '../shared/errors.ts';
import type { AgentRecord } from './agent-state.ts';
import type { StageId } from './flow-stages.ts';
import type { ButtonInput, CtiInput, FlowError, LiveEvent, TimerLimits, TurnInput } from './model.ts';

/** A call as the console shows it; `ended` after hang-up (its log is kept a while for resume). */
export type LiveCallStatus = 'ringing' | 'talking' | 'on-hold' | 'ended';

/**
 * What the console shows at ring, before the agent picks up (客户卡片): who calls, whether they
 * called earlier today and about what (never a harasser's words), the blacklist, a line that
 * dropped a moment ago. The customer's history is `GET /api/customers/{phone}` (their id here).
 */
export interface RingCard {
  /** The number as the call keeps it (canonical, or as given when not a mainland one); null when withheld. */
  caller: string | null;
  customer: { id: string; surname: string | null; title: string | null } | null;
  repeatCaller: { count: number; lastSubject: string | null } | null;
  blacklisted: boolean;
  /** The same number's previous call dropped this many ms before the ring. */
  droppedMsAgo: number | null;
  /** A practice call of the console's softphone (no customer's call; never stored). */
  practice: boolean;
}

/** What the service logs besides the engine's events: the inputs themselves. */
export type CallNote =
  | {
      at: number;
      kind: 'call';
      type: CallEventType;
      status: LiveCallStatus;
      direction?: Direction;
      /** ring: the customer card. */
      card?: RingCard;
      /** ring: the call's timer limits (what the console counts down to); null without them. */
      limits?: TimerLimits | null;
      /** ring: the stages of the call's checklist, in call order (absent in older journals). */
      stages?: StageId[];
      to?: string;
      cause?: string;
    }
  /** `source`: who posted the turn (absent in older journals' replays). */
  | (TurnInput & { at: number; turn: number; source?: TurnSource })
  | ButtonInput
  /**
   * At hang-up, after the hang-up's own events: the call's inspection, exactly what `huashu qa
   * --json` gives for it (score, rules, findings with evidence and the correct line).
   */
  | {
      at: number;
      kind: 'inspection';
      inspection: CallResult;
      /** The stored scorecard version that judged it (the one in force at the ring; null: the shipped file). */
      scorecardVersion: number | null;
    };

export type LoggedEvent = LiveEvent | CallNote;

/** Whose call it is: every message carries it, so each process filters without a lookup. */
export interface CallRef {
  callId: string;
  brand: string;
  /** The 工号 the call rang to (or was answered by); null while none. */
  agentNumber: string | null;
  /** The ring, ms since 1970: `at` of every event counts from here. */
  ringAt: number;
}

/** One numbered event of a call (seq 1, 2, 3… per call). */
export interface LiveMessage extends CallRef {
  seq: number;
  event: LoggedEvent;
  /** When the input that caused it reached the server (ms since 1970); timers: absent. */
  receivedAt?: number;
}

/** An input a call could not take: told to that call's subscribers only, not numbered. */
export interface LiveCallError extends CallRef {
  code: FlowError['code'] | 'flow-unavailable' | 'forbidden' | 'internal';
  message: Localized;
}

/**
 * An input on its way to the process holding the call's flow (the flow's input, model.ts, with
 * what routing adds); wall times in ms since 1970. A button's time is taken on arrival.
 */
export type RoutedInput = { callId: string; receivedAt: number } & (
  | (CtiInput & { agentNumber?: string })
  /** `source`: who posted it, the integration (`asr`) or an agent's console; absent in older journals. */
  | (TurnInput & { source?: TurnSource })
  | Omit<ButtonInput, 'at'>
);

/** Where a turn came from (the stored call's `Turn.source` too). */
export type { TurnSource } from '../calls/model.ts';

export interface HubListener {
  message(m: LiveMessage): void;
  error(e: LiveCallError): void;
  /** An agent's state changed (agent-service.ts); the record as written. */
  agent?(a: AgentRecord): void;
}

export interface LiveHub {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Keeps and fans out one numbered event; the order of one call's events is kept. */
  publish(m: LiveMessage): void;
  publishError(e: LiveCallError): void;
  /** Fans out an agent's changed state (not kept: the agent store keeps it). */
  publishAgent(a: AgentRecord): void;
  /** Every call's messages and errors, from every process, this one's first and synchronously. */
  listen(l: HubListener): () => void;
  /** The kept events of a call with seq > after (in order); null when nothing is kept. */
  history(callId: string, after: number): Promise<LiveMessage[] | null>;
  /** The calls whose events are kept (live, or ended less than keepMs ago). */
  calls(): Promise<string[]>;
  /** This process holds the call's flow: inputs for it come here (for up to ttlMs). */
  own(callId: string, ttlMs: number): Promise<void>;
  /** The call ended: its flow is gone; its events are kept keepMs more. */
  release(callId: string, keepMs: number): Promise<void>;
  /** Hands the input to the process holding the flow; false when none does. */
  forward(input: RoutedInput): Promise<boolean>;
  onInput(handler: (input: RoutedInput) => void): void;
  /** A line of this number dropped at `at` (ms since 1970): the next ring's droppedMsAgo. */
  noteDropped(phone: string, at: number): Promise<void>;
  lastDropped(phone: string): Promise<number | null>;
}

/** How many events of one call are kept for resume (a call has far fewer). */
export const LOG_LIMIT = 2000;
/** How long a dropped line is remembered for the caller's next ring. */
export const DROPPED_MEMORY_MS = 10 * 60_000;

/**
 * What one process keeps of a call's events for resume: the events themselves, not the
 * messages that carried them. The envelope (callId, brand, 工号, ring time) is the same for a
 * call's messages but for the 工号 set at the answer, so it is kept once per change; the seq is
 * `first` + the index; receivedAt sits in a number array (NaN: none). A message object of ~7
 * fields with its own hidden class per event cost a live call about three times as much
 * (bench/live.ts, the heap snapshot breakdown).
 */
interface CallLog {
  /** The envelopes in order, each from the seq in `refFrom` at the same index on. */
  refs: CallRef[];
  refFrom: number[];
  /** The seq of events[0]. */
  first: number;
  events: LoggedEvent[];
  received: number[];
  expires: number;
}

function sameRef(a: CallRef, b: CallRef): boolean {
  return (
    a.callId === b.callId && a.brand === b.brand && a.agentNumber === b.agentNumber && a.ringAt === b.ringAt
  );
}

/** One process: the logs in a Map, inputs handed over directly. */
export class MemoryLiveHub implements LiveHub {
  private readonly logs = new Map<string, CallLog>();
  private readonly owned = new Set<string>();
  private readonly listeners = new Set<HubListener>();
  private readonly dropped = new Map<string, number>();
  private inputHandler: ((input: RoutedInput) => void) | undefined;

  constructor(
    private readonly now: () => number,
    private readonly limit = LOG_LIMIT,
  ) {}

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  publish(m: LiveMessage): void {
    const ref = (): CallRef => ({
      callId: m.callId,
      brand: m.brand,
      agentNumber: m.agentNumber,
      ringAt: m.ringAt,
    });
    let log = this.logs.get(m.callId);
    // The service numbers a call's events 1, 2, 3… with no gap; a log that does not follow (the
    // same call id rung again) starts again from this message rather than misnumber.
    if (!log || log.first + log.events.length !== m.seq) {
      // Literals of one: an array grown by push keeps room for 16 more (a call has one or two envelopes).
      log = {
        refs: [ref()],
        refFrom: [m.seq],
        first: m.seq,
        events: [],
        received: [],
        expires: Number.POSITIVE_INFINITY,
      };
      this.logs.set(m.callId, log);
    } else if (!sameRef(log.refs[log.refs.length - 1] as CallRef, m)) {
      log.refs.push(ref());
      log.refFrom.push(m.seq);
    }
    log.events.push(m.event);
    log.received.push(m.receivedAt ?? Number.NaN);
    const excess = log.events.length - this.limit;
    if (excess > 0) {
      log.events.splice(0, excess);
      log.received.splice(0, excess);
      log.first += excess;
      // Envelopes wholly before the first kept event go (the one in force at it stays).
      let drop = 0;
      while (drop + 1 < log.refFrom.length && (log.refFrom[drop + 1] as number) <= log.first) drop++;
      if (drop > 0) {
        log.refs.splice(0, drop);
        log.refFrom.splice(0, drop);
      }
    }
    for (const l of this.listeners) l.message(m);
  }

  publishError(e: LiveCallError): void {
    for (const l of this.listeners) l.error(e);
  }

  publishAgent(a: AgentRecord): void {
    for (const l of this.listeners) l.agent?.(a);
  }

  listen(l: HubListener): () => void {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  }

  private prune(): void {
    const now = this.now();
    for (const [id, log] of this.logs) if (log.expires <= now) this.logs.delete(id);
    for (const [phone, at] of this.dropped) if (at + DROPPED_MEMORY_MS <= now) this.dropped.delete(phone);
  }

  async history(callId: string, after: number): Promise<LiveMessage[] | null> {
    this.prune();
    const log = this.logs.get(callId);
    if (!log) return null;
    const out: LiveMessage[] = [];
    let r = 0;
    for (let i = Math.max(0, after + 1 - log.first); i < log.events.length; i++) {
      const seq = log.first + i;
      while (r + 1 < log.refFrom.length && (log.refFrom[r + 1] as number) <= seq) r++;
      const ref = log.refs[r] as CallRef;
      const receivedAt = log.received[i] as number;
      const m: LiveMessage = {
        callId: ref.callId,
        brand: ref.brand,
        agentNumber: ref.agentNumber,
        ringAt: ref.ringAt,
        seq,
        event: log.events[i] as LoggedEvent,
      };
      if (!Number.isNaN(receivedAt)) m.receivedAt = receivedAt;
      out.push(m);
    }
    return out;
  }

  async calls(): Promise<string[]> {
    this.prune();
    return [...this.logs.keys()];
  }

  async own(callId: string): Promise<void> {
    this.owned.add(callId);
  }

  async release(callId: string, keepMs: number): Promise<void> {
    this.owned.delete(callId);
    const log = this.logs.get(callId);
    if (log) log.expires = this.now() + keepMs;
  }

  async forward(input: RoutedInput): Promise<boolean> {
    if (!this.owned.has(input.callId) || !this.inputHandler) return false;
    this.inputHandler(input);
    return true;
  }

  onInput(handler: (input: RoutedInput) => void): void {
    this.inputHandler = handler;
  }

  async noteDropped(phone: string, at: number): Promise<void> {
    this.dropped.set(phone, at);
  }

  async lastDropped(phone: string): Promise<number | null> {
    this.prune();
    return this.dropped.get(phone) ?? null;
  }
}
