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
// scrypt runs. State lives in this process's memory (bounded in size); with several server
// processes it belongs in Redis (later). Time comes from the injected clock.
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

class Buckets {
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

export interface LoginAttempt {
  /** The password was right: the pair's failures are forgotten, the address becomes known. */
  succeeded(): void;
  /** The password was wrong; returns how long the account is now locked from this address (ms). */
  failed(): number;
  /** Neither (an error before the check): releases the reservation. */
  abandon(): void;
}

export class LoginThrottle {
  private readonly pairs: Buckets;
  private readonly accounts: Buckets;
  private readonly addresses: Buckets;
  /** account → addresses it signed in from successfully (exempt from the account bucket). */
  private readonly known = new Map<string, Set<string>>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: ThrottlePolicy = LOGIN_THROTTLE,
  ) {
    this.pairs = new Buckets(policy.pair, policy.maxEntries);
    this.accounts = new Buckets(policy.account, policy.maxEntries);
    this.addresses = new Buckets(policy.address, policy.maxEntries);
  }

  /**
   * Before the password is checked (and before scrypt): throws TooManyRequestsError when a
   * bucket is locked, otherwise reserves the attempt. Synchronous, so concurrent attempts
   * see each other's reservations.
   */
  begin(account: string, address: string | null): LoginAttempt {
    const now = this.clock.now().getTime();
    const addr = address ?? 'unknown';
    const isKnown = this.known.get(account)?.has(addr) ?? false;
    const pair = this.pairs.get(`${account}\u0000${addr}`, now);
    const acct = isKnown ? undefined : this.accounts.get(account, now);
    const ip = this.addresses.get(addr, now);
    const wait = Math.max(
      this.pairs.wait(pair, now),
      acct ? this.accounts.wait(acct, now) : 0,
      this.addresses.wait(ip, now),
    );
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
    pair.pending++;
    if (acct) acct.pending++;
    ip.pending++;
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      pair.pending--;
      if (acct) acct.pending--;
      ip.pending--;
      return true;
    };
    return {
      succeeded: () => {
        if (!settle()) return;
        this.pairs.delete(`${account}\u0000${addr}`);
        let set = this.known.get(account);
        if (!set) {
          set = new Set();
          this.known.set(account, set);
          if (this.known.size > this.policy.maxEntries) {
            const oldest = this.known.keys().next().value;
            if (oldest !== undefined) this.known.delete(oldest);
          }
        }
        if (set.size < 20) set.add(addr);
      },
      failed: () => {
        if (!settle()) return 0;
        const at = this.clock.now().getTime();
        const ms = this.pairs.fail(pair, at);
        const accountMs = acct ? this.accounts.fail(acct, at) : 0;
        this.addresses.fail(ip, at);
        return Math.max(ms, accountMs);
      },
      abandon: () => {
        settle();
      },
    };
  }

  /** An admin reset the account's password: its locks end (in this process). */
  forgetAccount(account: string): void {
    // The (account, address) locks end on their own; the account-wide one is what locks the
    // user out everywhere.
    this.accounts.delete(account);
  }
}
