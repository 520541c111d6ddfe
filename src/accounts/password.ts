// Password hashing with scrypt (memory-hard, in Node's crypto: nothing to download or
// compile). Stored as "scrypt$N$r$p$salt$hash", so parameters can be raised later and old
// hashes still verify.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { TooManyRequestsError } from './throttle.ts';

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEM = 64 * 1024 * 1024;

/**
 * Scrypt takes ~50 ms of a core and 32 MB each. Under a password-guessing attack unbounded
 * scrypt work would fill libuv's thread pool (which file and DNS work share) and starve the
 * other users' logins, so at most SCRYPT_CONCURRENCY run at once and at most SCRYPT_QUEUE
 * wait; beyond that a login is refused at once with 429 (cheap) instead of queueing forever.
 * The login throttle refuses most attack traffic before it gets here at all.
 */
export const SCRYPT_CONCURRENCY = 2;
export const SCRYPT_QUEUE = 64;

/** Counts of scrypt work in this process, for tests and metrics: calls made, most at once. */
export const scryptStats = { calls: 0, running: 0, maxRunning: 0 };

const waiting: (() => void)[] = [];

async function acquire(): Promise<void> {
  if (scryptStats.running < SCRYPT_CONCURRENCY) {
    scryptStats.running++;
    return;
  }
  if (waiting.length >= SCRYPT_QUEUE) {
    throw new TooManyRequestsError(
      {
        zh: '登录请求过多，请稍后再试',
        en: 'too many sign-ins at once; try again in a second',
      },
      1,
    );
  }
  // The slot is handed over by release(): running stays the same.
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else scryptStats.running--;
}

async function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  await acquire();
  scryptStats.calls++;
  scryptStats.maxRunning = Math.max(scryptStats.maxRunning, scryptStats.running);
  try {
    return await new Promise((resolve, reject) => {
      scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEM }, (err, key) =>
        err ? reject(err) : resolve(key),
      );
    });
  } finally {
    release();
  }
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts;
  const expected = Buffer.from(hash ?? '', 'base64url');
  const key = await derive(password, Buffer.from(salt ?? '', 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A readable random password for the first admin: 4 groups of 4 characters. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out += alphabet[(bytes[i] ?? 0) % alphabet.length];
    if (i % 4 === 3 && i < 15) out += '-';
  }
  return out;
}
