// Login throttling: failed sign-ins are counted in three buckets, and a bucket that passed its
// threshold locks with exponential backoff (base · 2^(failures − threshold), capped):
//
// - (account, address) — hard: 5 failures, then 1 s, 2 s, 4 s … up to 15 min. An attacker
//   guessing one account from one address gets ~30 guesses in the first hour, and the right
//   password is refused too while the lock lasts (otherwise the throttle only slows guessing
//   down and never stops a lucky guess being used).
// - account, from any address — softer: 20 failures, up to 5 min. It stops a guessing attack
//   spread over many addresses, but it is also a lever to lock a real user out, so it is
//   capped low and it does not apply to an address the account signed in from successfully
//   before (the user's own workstation keeps working while an attacker elsewhere hammers the
//   account; that address is still under the hard pair bucket).
// - address, for any account — 100 failures, up to 15 min: credential stuffing from one
//   address. High, because a call centre's agents often share one NAT address.
//
// Attempts are counted when they start (`pending`), so N concurrent guesses cannot all pass
// the check before the first failure is recorded: throttled attempts are refused before
// scrypt runs. The buckets live in a ThrottleStore: this process's memory by default (bounded
// in size), or Redis (throttle-redis.ts) so that several server processes count together;
// each store checks and reserves in one atomic step. Time comes from the injected clock.
import type { Clock } from '../shared/clock.ts';
import { AppError, type Localized } from '../shared/errors.ts';

export interface BucketPolicy {
  threshold: number;
  baseMs: number;
  maxMs: number;
  /** Failures are forgotten after this long without one (and no lock in force). */
  forgetMs: number;
}

export interface ThrottlePolicy {
  pair: BucketPolicy;
  account: BucketPolicy;
  address: BucketPolicy;
  /** Most buckets (and known addresses) kept; the oldest go first. */
  maxEntries: number;
}

const HOUR = 3600_000;
export const LOGIN_THROTTLE: ThrottlePolicy = {
  pair: { threshold: 5, baseMs: 1000, maxMs: 15 * 60_000, forgetMs: HOUR },
  account: { threshold: 20, baseMs: 1000, maxMs: 5 * 60_000, forgetMs: HOUR },
  address: { threshold: 100, baseMs: 1000, maxMs: 15 * 60_000, forgetMs: HOUR },
  maxEntries: 100_000,
};

/** 429 with the seconds to wait; the login route sends them as `Retry-After`. */
export class TooManyRequestsError extends AppError {
  constructor(
    message: Localized,
    readonly retryAfterSeconds: number,
  ) {
    super('too-many-requests', message, [
      { message: `retry after ${retryAfterSeconds} s`, zh: `${retryAfterSeconds} 秒后重试` },
    ]);
  }
}

interface Bucket {
  failures: number;
  pending: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export class Buckets {
  private readonly map = new Map<string, Bucket>();
  constructor(
    private readonly policy: BucketPolicy,
    private readonly maxEntries: number,
  ) {}

  get(key: string, now: number): Bucket {
    let b = this.map.get(key);
    if (b && b.pending === 0 && b.lockedUntil <= now && now - b.lastFailureAt > this.policy.forgetMs) {
      this.map.delete(key);
      b = undefined;
    }
    if (!b) {
      b = { failures: 0, pending: 0, lastFailureAt: 0, lockedUntil: 0 };
      this.map.set(key, b);
      if (this.map.size > this.maxEntries) {
        const oldest = this.map.keys().next().value;
        if (oldest !== undefined) this.map.delete(oldest);
      }
    }
    return b;
  }

  /** Milliseconds until this bucket lets one more attempt start, 0 when it does now. */
  wait(b: Bucket, now: number): number {
    if (b.lockedUntil > now) return b.lockedUntil - now;
    const p = this.policy;
    // Past the threshold: one attempt at a time, whose failure sets the next, longer lock.
    if (b.failures >= p.threshold) return b.pending === 0 ? 0 : 1000;
    return b.failures + b.pending < p.threshold ? 0 : 1000;
  }

  fail(b: Bucket, now: number): number {
    b.failures++;
    b.lastFailureAt = now;
    const p = this.policy;
    if (b.failures < p.threshold) return 0;
    const ms = Math.min(p.maxMs, p.baseMs * 2 ** Math.min(30, b.failures - p.threshold));
    b.lockedUntil = now + ms;
    return ms;
  }

  delete(key: string): void {
    this.map.delete(key);
  }
}

/** The buckets an attempt touches; `account` is null when its address is exempt (known). */
export interface AttemptKeys {
  account: string;
  address: string;
  /** The account bucket counts this attempt (the address is not one it signed in from). */
  countAccount: boolean;
}

export type Outcome = 'succeeded' | 'failed' | 'abandoned';

/** Where the buckets live; each call is atomic with respect to every other attempt. */
export interface ThrottleStore {
  /** Whether `account` signed in from `address` before (exempt from the account bucket). */
  isKnown(account: string, address: string): Promise<boolean>;
  /** The wait (ms) the buckets impose; when 0 the attempt is reserved under `token`. */
  reserve(keys: AttemptKeys, token: string, now: number): Promise<number>;
  /** Ends a reservation; for a failure returns the lock (ms) of the pair and account buckets. */
  settle(keys: AttemptKeys, token: string, outcome: Outcome, now: number): Promise<number>;
  forgetAccount(account: string): Promise<void>;
}

/** The default: the buckets in this process's memory. */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly pairs: Buckets;
  private readonly accounts: Buckets;
  private readonly addresses: Buckets;
  /** account → addresses it signed in from successfully (exempt from the account bucket). */
  private readonly known = new Map<string, Set<string>>();

  constructor(private readonly policy: ThrottlePolicy = LOGIN_THROTTLE) {
    this.pairs = new Buckets(policy.pair, policy.maxEntries);
    this.accounts = new Buckets(policy.account, policy.maxEntries);
    this.addresses = new Buckets(policy.address, policy.maxEntries);
  }

  async isKnown(account: string, address: string): Promise<boolean> {
    return this.known.get(account)?.has(address) ?? false;
  }

  private buckets(k: AttemptKeys, now: number) {
    return {
      pair: this.pairs.get(`${k.account}\u0000${k.address}`, now),
      acct: k.countAccount ? this.accounts.get(k.account, now) : undefined,
      ip: this.addresses.get(k.address, now),
    };
  }

  async reserve(k: AttemptKeys, _token: string, now: number): Promise<number> {
    const { pair, acct, ip } = this.buckets(k, now);
    const wait = Math.max(
      this.pairs.wait(pair, now),
      acct ? this.accounts.wait(acct, now) : 0,
      this.addresses.wait(ip, now),
    );
    if (wait > 0) return wait;
    pair.pending++;
    if (acct) acct.pending++;
    ip.pending++;
    return 0;
  }

  async settle(k: AttemptKeys, _token: string, outcome: Outcome, now: number): Promise<number> {
    const { pair, acct, ip } = this.buckets(k, now);
    pair.pending = Math.max(0, pair.pending - 1);
    if (acct) acct.pending = Math.max(0, acct.pending - 1);
    ip.pending = Math.max(0, ip.pending - 1);
    if (outcome === 'succeeded') {
      this.pairs.delete(`${k.account}\u0000${k.address}`);
      let set = this.known.get(k.account);
      if (!set) {
        set = new Set();
        this.known.set(k.account, set);
        if (this.known.size > this.policy.maxEntries) {
          const oldest = this.known.keys().next().value;
          if (oldest !== undefined) this.known.delete(oldest);
        }
      }
      if (set.size < 20) set.add(k.address);
      return 0;
    }
    if (outcome === 'abandoned') return 0;
    const ms = this.pairs.fail(pair, now);
    const accountMs = acct ? this.accounts.fail(acct, now) : 0;
    this.addresses.fail(ip, now);
    return Math.max(ms, accountMs);
  }

  async forgetAccount(account: string): Promise<void> {
    this.accounts.delete(account);
  }
}

export interface LoginAttempt {
  /** The password was right: the pair's failures are forgotten, the address becomes known. */
  succeeded(): Promise<void>;
  /** The password was wrong; returns how long the account is now locked from this address (ms). */
  failed(): Promise<number>;
  /** Neither (an error before the check): releases the reservation. */
  abandon(): Promise<void>;
}

let tokens = 0;

export class LoginThrottle {
  constructor(
    private readonly clock: Clock,
    private readonly store: ThrottleStore = new MemoryThrottleStore(),
  ) {}

  /**
   * Before the password is checked (and before scrypt): throws TooManyRequestsError when a
   * bucket is locked, otherwise reserves the attempt. The store checks and reserves in one
   * step, so concurrent attempts (in any process sharing the store) see each other.
   */
  async begin(account: string, address: string | null): Promise<LoginAttempt> {
    const addr = address ?? 'unknown';
    const countAccount = !(await this.store.isKnown(account, addr));
    const keys: AttemptKeys = { account, address: addr, countAccount };
    const token = `${process.pid}.${++tokens}`;
    const wait = await this.store.reserve(keys, token, this.clock.now().getTime());
    if (wait > 0) {
      const seconds = Math.max(1, Math.ceil(wait / 1000));
      throw new TooManyRequestsError(
        {
          zh: `登录失败次数过多，请 ${seconds} 秒后再试`,
          en: `too many failed sign-ins; try again in ${seconds} s`,
        },
        seconds,
      );
    }
    let settled = false;
    const settle = async (outcome: Outcome): Promise<number> => {
      if (settled) return 0;
      settled = true;
      return this.store.settle(keys, token, outcome, this.clock.now().getTime());
    };
    return {
      succeeded: async () => {
        await settle('succeeded');
      },
      failed: () => settle('failed'),
      abandon: async () => {
        await settle('abandoned');
      },
    };
  }

  /** An admin reset the account's password: its account-wide lock ends (everywhere it is stored). */
  async forgetAccount(account: string): Promise<void> {
    // The (account, address) locks end on their own; the account-wide one is what locks the
    // user out everywhere.
    await this.store.forgetAccount(account);
  }
}
