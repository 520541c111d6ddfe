// Database faults, told apart from bugs: errors that mean the store cannot be reached or
// cannot write right now (PostgreSQL restarting or gone, a full disk) are answered
// `503 unavailable` and may be retried; everything else stays a 500. And the start-up
// errors, shown to whoever runs `huashu serve` as one clear message, never a stack trace.

/** The store cannot be opened at start-up; the message is complete (what, where, what to do). */
export class StoreOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreOpenError';
  }
}

/** DATABASE_URL with the password replaced by ****, for messages and logs. */
export function maskDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:****@');
  }
}

export type StoreFault = 'unreachable' | 'diskFull' | 'busy' | 'cannotWrite';

/** What is wrong and what to do, for /api/health. */
export const FAULT_STATES: Record<StoreFault, string> = {
  unreachable: 'the database is unreachable (restarting or down); try again shortly',
  diskFull: 'the database disk is full; free disk space on the server',
  busy: 'the database is busy; try again shortly',
  cannotWrite: 'the database cannot be written (read-only or an I/O error); see the server log',
};

/** The message of a 503 answer to a request: the same, and that the request changed nothing. */
export const UNAVAILABLE_MESSAGES: Record<StoreFault, { zh: string; en: string }> = {
  unreachable: {
    zh: '数据库暂时无法连接（正在重启或已停止），本次操作未保存，请稍后重试',
    en: 'the database is unreachable (restarting or down); nothing was saved; try again shortly',
  },
  diskFull: {
    zh: '数据库所在磁盘已满，本次操作未保存；请管理员清理服务器磁盘后重试',
    en: 'the database disk is full; nothing was saved; free disk space on the server and try again',
  },
  busy: {
    zh: '数据库繁忙，本次操作未保存，请稍后重试',
    en: 'the database is busy; nothing was saved; try again shortly',
  },
  cannotWrite: {
    zh: '数据库无法写入（只读或读写错误），本次操作未保存；详情见服务器日志',
    en: 'the database cannot be written (read-only or an I/O error); nothing was saved; see the server log',
  },
};

// PostgreSQL SQLSTATEs: class 08 connection exceptions; 57P01 admin shutdown (pg_ctl stop),
// 57P02 crash shutdown, 57P03 cannot connect now (starting up or shutting down); 53300 too
// many connections.
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
// Node's socket errors while connecting or mid-query.
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// pg's own errors carry no code, only these messages: a connection that died, a pool connect
// that timed out (connectionTimeoutMillis), a client that lost its connection earlier.
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Which database fault the error is, or undefined when it is none (a bug, bad data…). */
export function storeFault(err: unknown): StoreFault | undefined {
  // Follow causes (an error wrapping the driver's) a few levels, and AggregateError's parts
  // (Node's connection attempts to several addresses).
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0 && seen.size < 10) {
    const e = queue.shift();
    if (e === null || e === undefined || seen.has(e)) continue;
    seen.add(e);
    const code = codeOf(e);
    if (code !== undefined) {
      if (code === 'SQLITE_FULL') return 'diskFull';
      if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
      if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR')) return 'cannotWrite';
      if (PG_UNAVAILABLE.test(code) || SOCKET_ERRORS.has(code)) return 'unreachable';
    }
    if (e instanceof Error && PG_CONNECTION_MESSAGES.test(e.message)) return 'unreachable';
    if (e instanceof Error && e.cause !== undefined) queue.push(e.cause);
    if (e instanceof AggregateError) queue.push(...e.errors);
  }
  return undefined;
}

/** The message of a 503 answer for this error, or undefined when it is not a database fault. */
export function storeUnavailableMessage(err: unknown): { zh: string; en: string } | undefined {
  const fault = storeFault(err);
  return fault === undefined ? undefined : UNAVAILABLE_MESSAGES[fault];
}

/** True when the error means the store cannot be reached or cannot write now: a 503, not a 500. */
export function isStoreUnavailable(err: unknown): boolean {
  return storeFault(err) !== undefined;
}

/** True for SQLITE_FULL (disk or max_page_count), anywhere in the error's causes. */
export function isDiskFull(err: unknown): boolean {
  return storeFault(err) === 'diskFull';
}
