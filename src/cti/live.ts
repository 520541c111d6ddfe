// The state of the calls in progress, kept between CTI events. Behind an interface so that a
// deployment with several servers can keep it in Redis: every write is a compare-and-set on a
// revision (WATCH/MULTI or a small Lua script there), so two events of one call arriving at
// once never both win. The default keeps it in this process's memory.
import type { CallEvent, Direction } from '../calls/model.ts';
import type { Phone } from '../customers/phone.ts';

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
  /** The events so far, in the call file's form (`at` in ms since the ring). */
  events: CallEvent[];
  /** The blacklist entry that refused the number when it rang. */
  blacklistEntryId: string | null;
  /** Raised on every write; the compare-and-set token. */
  revision: number;
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
}

/** The single-machine default: a Map, copied on the way in and out as Redis would. */
export class MemoryLiveCallStore implements LiveCallStore {
  private readonly calls = new Map<string, LiveCall>();

  async get(callId: string): Promise<LiveCall | undefined> {
    const c = this.calls.get(callId);
    return c ? structuredClone(c) : undefined;
  }

  async create(call: LiveCall): Promise<boolean> {
    if (this.calls.has(call.callId)) return false;
    this.calls.set(call.callId, structuredClone(call));
    return true;
  }

  async replace(call: LiveCall, expected: number): Promise<boolean> {
    const current = this.calls.get(call.callId);
    if (!current || current.revision !== expected) return false;
    this.calls.set(call.callId, structuredClone(call));
    return true;
  }

  async remove(callId: string, expected: number): Promise<boolean> {
    const current = this.calls.get(callId);
    if (!current || current.revision !== expected) return false;
    this.calls.delete(callId);
    return true;
  }

  async list(): Promise<LiveCall[]> {
    return [...this.calls.values()].map((c) => structuredClone(c));
  }
}
