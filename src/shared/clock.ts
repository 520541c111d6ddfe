// Time and ids are injected so that the domain and the services are deterministic in tests.
import { randomUUID } from 'node:crypto';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved; for tests. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export type IdGenerator = () => string;

export const randomIds: IdGenerator = () => randomUUID();

let lastMs = -1;
let timePrefix = '';

/**
 * UUIDs of version 7 (RFC 9562): the creation time in milliseconds, then 74 random bits. Ids
 * made one after the other sort together, so new rows go to the end of every index on an id
 * instead of to a random page of it: a write touches a few pages rather than one per index,
 * which is most of what a SQLite commit costs (and helps PostgreSQL's indexes too).
 */
export const timeOrderedIds: IdGenerator = () => {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    // 48 bits of time: 32 in the first group, 16 in the second.
    const hex = ms.toString(16).padStart(12, '0');
    timePrefix = `${hex.slice(0, 8)}-${hex.slice(8)}-7`;
  }
  // The random bits of a version 4 UUID, after its version digit, are laid out as version 7
  // wants them: 12 random bits, the variant, 62 random bits.
  return timePrefix + randomUUID().slice(15);
};

/** Ids "<prefix>-1", "<prefix>-2", …; for tests. */
export function sequentialIds(prefix = 'id'): IdGenerator {
  let n = 0;
  return () => `${prefix}-${++n}`;
}
