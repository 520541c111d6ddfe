// The state of the calls in progress, kept between CTI events. Behind an interface so that a
// deployment with several servers can keep it in Redis: every write is a compare-and-set on a
// revision (a small Lua script in live-redis.ts), so two events of one call arriving at once
// never both win. The default keeps it in this process's memory. Either way a call expires
// `staleAfterMs` after its last write, so a call whose hangup never came does not stay live
// for ever (Redis drops the key itself; the memory store hides it and `sweep` frees it).
import type { CallEvent, Direction } from '../calls/model.ts';
import type { Phone } from '../customers/phone.ts';
import { type Clock, systemClock } from '../shared/clock.ts';

/** A live call is forgotten this long after its last event unless configured otherwise. */
export const DEFAULT_LIVE_CALL_TTL_MS = 4 * 3600_000;

export type LiveStatus = 'ringing' | 'talking' | 'on-hold' | 'ending';

export interface LiveCall {
  callId: string;
  brand: string;
  direction: Direction;
  /** The customer's number as the call keeps it (canonical, or masked/foreign as given); null when withheld. */
  caller: string | null;
  /** The canonical number when it is a whole mainland one: blacklist, customer, callbacks use it. */
  callerPhone: Phone | null;
  agent: { id: string | null; name: string | null };
  status: LiveStatus;
  /** ISO 8601 UTC of the ring: the call's start; event times count from here. */
  ringAt: string;
  answeredAt: string | null;
  /** Since when the customer waits on hold. */
  holdSince: string | null;
  lastEventAt: string;
  /**
   * The events so far, in the call file's form (`at` in ms since the ring); a transfer-failed
   * also says who reported it (`reportedBy`, dropped when the call is stored).
   */
  events: LiveCallEvent[];
  /** The blacklist entry that refused the number when it rang. */
  blacklistEntryId: string | null;
  /** Raised on every write; the compare-and-set token. */
  revision: number;
  /**
   * Status `ending`: when the hang-up began (ISO, the server's clock). One still ending long
   * after was interrupted (service.ts `settleInterruptedHangups`). Absent on calls of an older server.
   */
  endingSince?: string;
  /**
   * The ring said the ASR transcribes the call live: the caller's words are the ASR's alone
   * (live assist refuses a customer turn from the agent's console). Absent: not said.
   */
  asr?: boolean;
  /** A practice call of the console's softphone (softphone.ts): never stored, no callback, no blacklist. */
  practice?: boolean;
  /**
   * The scorecard version in force at the ring (null: the shipped file): live assist's rules and
   * the inspection at hang-up, in whichever process it arrives. Absent on calls of an older server.
   */
  scorecardVersion?: number | null;
}

/**
 * Who reported a transfer-failed: the telephone system (POST /api/cti/events, `switch`), the
 * agent's console button (`console`), or both (the second report taken as a duplicate: nothing
 * recorded twice). Absent on the events of an older server: a report not to be repeated.
 */
export type FailureReporter = 'switch' | 'console' | 'both';

/** A live call's event: the call file's, with who reported a transfer-failed. */
export type LiveCallEvent = CallEvent & { reportedBy?: FailureReporter };

/**
 * The transfer-failed that stands for the call's last transfer (none after it), or undefined:
 * the call has no transfer, or its last one has not failed.
 */
export function standingFailure(events: readonly LiveCallEvent[]): LiveCallEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as LiveCallEvent;
    if (e.type === 'transfer') return undefined;
    if (e.type === 'transfer-failed') return e;
  }
  return undefined;
}

/**
 * True when the call's last transfer failed by one side's report only, and `from` is the other
 * side: its report is a duplicate, taken quietly.
 */
export function awaitsReportFrom(events: readonly LiveCallEvent[], from: 'switch' | 'console'): boolean {
  const f = standingFailure(events);
  return f !== undefined && f.reportedBy !== undefined && f.reportedBy !== 'both' && f.reportedBy !== from;
}

/** The events as the stored call keeps them (the call file's form: no `reportedBy`). */
export function callEvents(events: readonly LiveCallEvent[]): CallEvent[] {
  return events.map(({ reportedBy: _, ...e }) => e);
}

export interface LiveCallStore {
  get(callId: string): Promise<LiveCall | undefined>;
  /** Adds the call unless one with its id is live; false when one is. */
  create(call: LiveCall): Promise<boolean>;
  /** Writes the call if the stored revision is still `expected`; false otherwise. */
  replace(call: LiveCall, expected: number): Promise<boolean>;
  /** Removes the call if the stored revision is still `expected`. */
  remove(callId: string, expected: number): Promise<boolean>;
  list(): Promise<LiveCall[]>;
  /** Frees the calls past their expiry (the periodic stale-call sweep); how many went. */
  sweep(): Promise<number>;
}

export interface LiveStoreOptions {
  /** How long after its last write a call expires. */
  staleAfterMs?: number;
}

/** The single-machine default: a Map, copied on the way in and out as Redis would. */
export class MemoryLiveCallStore implements LiveCallStore {
  private readonly calls = new Map<string, { call: LiveCall; expiresAt: number }>();
  private readonly ttl: number;

  constructor(
    private readonly clock: Clock = systemClock,
    options: LiveStoreOptions = {},
  ) {
    this.ttl = options.staleAfterMs ?? DEFAULT_LIVE_CALL_TTL_MS;
  }

  /** The entry unless expired (an expired one counts as absent, as a Redis key past its TTL). */
  private live(callId: string): LiveCall | undefined {
    const e = this.calls.get(callId);
    if (!e) return undefined;
    if (e.expiresAt <= this.clock.now().getTime()) {
      this.calls.delete(callId);
      return undefined;
    }
    return e.call;
  }

  private put(call: LiveCall): void {
    this.calls.set(call.callId, {
      call: structuredClone(call),
      expiresAt: this.clock.now().getTime() + this.ttl,
    });
  }

  async get(callId: string): Promise<LiveCall | undefined> {
    const c = this.live(callId);
    return c ? structuredClone(c) : undefined;
  }

  async create(call: LiveCall): Promise<boolean> {
    if (this.live(call.callId)) return false;
    this.put(call);
    return true;
  }

  async replace(call: LiveCall, expected: number): Promise<boolean> {
    const current = this.live(call.callId);
    if (!current || current.revision !== expected) return false;
    this.put(call);
    return true;
  }

  async remove(callId: string, expected: number): Promise<boolean> {
    const current = this.live(callId);
    if (!current || current.revision !== expected) return false;
    this.calls.delete(callId);
    return true;
  }

  async list(): Promise<LiveCall[]> {
    const now = this.clock.now().getTime();
    return [...this.calls.values()].filter((e) => e.expiresAt > now).map((e) => structuredClone(e.call));
  }

  async sweep(): Promise<number> {
    const now = this.clock.now().getTime();
    let n = 0;
    for (const [id, e] of this.calls) {
      if (e.expiresAt <= now) {
        this.calls.delete(id);
        n++;
      }
    }
    return n;
  }
}
