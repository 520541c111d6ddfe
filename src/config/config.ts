// Configuration from the environment, validated once at start-up and frozen. Behaviour never
// switches on NODE_ENV: what differs between places is a setting here.
import { resolve } from 'node:path';
import { z } from 'zod';
import { passwordProblems } from '../accounts/password-policy.ts';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  HUASHU_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a PostgreSQL URL such as postgres://user@127.0.0.1:5432/huashu')
    .optional(),
  HUASHU_ADMIN_PASSWORD: z
    .string()
    .superRefine((pw, ctx) => {
      // The same strength rule as every password, checked before anything starts.
      for (const problem of passwordProblems(pw, 'admin')) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  HUASHU_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Cookies get the Secure flag: set when the server is reached over HTTPS (behind a proxy). */
  HUASHU_SECURE_COOKIES: z.enum(['true', 'false']).default('false'),
  /** Bearer token for GET /metrics; without it /metrics answers 404 (metrics are not public). */
  HUASHU_METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (e.g. the output of `openssl rand -hex 24`)')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it is sent in an HTTP header)')
    .optional(),
  /**
   * Redis for several processes: events fan out through it, and they share live calls, the
   * login throttle and jobs there. Unset: one process, all in memory.
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a Redis URL such as redis://127.0.0.1:6379 (rediss:// for TLS)')
    .optional(),
  /** Prefix of this deployment's Redis keys and channels, so that several can share one Redis. */
  HUASHU_REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, 'letters, digits and _ : . - only, at most 64 (e.g. huashu:)')
    .default('huashu:'),
  /** off: this process writes events but never relays them (another process does). */
  HUASHU_EVENT_RELAY: z.enum(['on', 'off']).default('on'),
  HUASHU_SESSION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  /** A live call whose hangup never came is dropped this long after its last event. */
  HUASHU_LIVE_CALL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 7)
    .default(4),
  /** How often the deadline check (breaches, escalation) and the stale-call sweep run. */
  HUASHU_CHECK_SECONDS: z.coerce.number().min(0.1).max(3600).default(60),
  /** How often the live-assist socket pings (a missed pong closes it) and re-checks the session. */
  HUASHU_LIVE_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(300).default(15),
  /**
   * Practice calls from the console (软电话): auto = while no telephone-system integration
   * (an admin's API token with the scope cti) exists; on; off.
   */
  HUASHU_SOFTPHONE: z.enum(['auto', 'on', 'off']).default('auto'),
  /**
   * Which calls the ASR transcribes live: `ring` = those whose ring says `asr: true`, and any
   * call from the ASR's first turn of it; `all` = every call from its ring (practice calls aside).
   */
  HUASHU_LIVE_ASR: z.enum(['ring', 'all']).default('ring'),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly adminPassword: string | undefined;
  readonly logLevel: z.output<typeof schema>['HUASHU_LOG_LEVEL'];
  readonly secureCookies: boolean;
  readonly sessionHours: number;
  readonly metricsToken: string | undefined;
  readonly redisUrl: string | undefined;
  readonly redisPrefix: string;
  /** This process relays the event outbox (HUASHU_EVENT_RELAY, default on). */
  readonly eventRelay: boolean;
  readonly liveCallTtlMs: number;
  readonly checkIntervalMs: number;
  readonly liveHeartbeatMs: number;
  /** Practice calls (HUASHU_SOFTPHONE): auto, on or off. */
  readonly softphone: 'auto' | 'on' | 'off';
  /** Which calls the ASR transcribes live (HUASHU_LIVE_ASR): as each ring says, or all. */
  readonly liveAsr: 'ring' | 'all';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`,
      ),
    );
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.HUASHU_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    adminPassword: e.HUASHU_ADMIN_PASSWORD,
    logLevel: e.HUASHU_LOG_LEVEL,
    secureCookies: e.HUASHU_SECURE_COOKIES === 'true',
    sessionHours: e.HUASHU_SESSION_HOURS,
    metricsToken: e.HUASHU_METRICS_TOKEN,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.HUASHU_REDIS_PREFIX,
    eventRelay: e.HUASHU_EVENT_RELAY === 'on',
    liveCallTtlMs: Math.round(e.HUASHU_LIVE_CALL_HOURS * 3600_000),
    checkIntervalMs: Math.round(e.HUASHU_CHECK_SECONDS * 1000),
    liveHeartbeatMs: Math.round(e.HUASHU_LIVE_HEARTBEAT_SECONDS * 1000),
    softphone: e.HUASHU_SOFTPHONE,
    liveAsr: e.HUASHU_LIVE_ASR,
  });
}
