// Ticket API under load: 100 concurrent clients on loopback against the real server process,
// ticket create and ticket list, on SQLite and on PostgreSQL, printed side by side.
//
//   npx tsx bench/http.ts [seconds=10] [connections=100]
// PostgreSQL: HUASHU_TEST_DATABASE_URL (default postgres://root@127.0.0.1:5432/test), a
// fresh schema dropped afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { login, startServerProcess } from '../test/support/server-process.ts';
import { freshStore } from '../test/support/store.ts';

const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = Number(process.argv[3] ?? 100);
const PASSWORD = 'bench-password-1';

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

async function load(
  url: string,
  headers: Record<string, string>,
  method: 'GET' | 'POST',
  body?: string,
): Promise<Figures> {
  const result = await autocannon({
    url,
    method,
    headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
    ...(body ? { body } : {}),
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

async function run(engine: 'sqlite' | 'postgres') {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-bench-'));
    env = { HUASHU_DATA_DIR: dir, HUASHU_ADMIN_PASSWORD: PASSWORD };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const store = await freshStore('postgres');
    await store.close();
    env = { DATABASE_URL: store.url ?? '', HUASHU_ADMIN_PASSWORD: PASSWORD };
    cleanup = () => store.drop().catch(() => undefined);
  }
  const server = await startServerProcess({ ...env, HUASHU_LOG_LEVEL: 'error' });
  try {
    const headers = await login(server.base, 'admin', PASSWORD);
    const body = JSON.stringify({
      type: 'complaint',
      subtype: 'service-attitude',
      brand: 'zhonghua',
      subject: '客户投诉座席态度',
      customerPhone: '13800138000',
    });
    const create = await load(`${server.base}/api/tickets`, headers, 'POST', body);
    const list = await load(`${server.base}/api/tickets?limit=20`, headers, 'GET');
    return { create, list };
  } finally {
    await server.stop();
    await cleanup();
  }
}

const fmt = (f: Figures) =>
  `${f.rps.toFixed(0).padStart(6)} req/s  p50 ${String(f.p50).padStart(4)} ms  p99 ${String(f.p99).padStart(4)} ms  (${f.total} requests, ${f.non2xx} non-2xx, ${f.errors} errors)`;

const sqlite = await run('sqlite');
const postgres = await run('postgres');
console.log(`${CONNECTIONS} concurrent clients, ${SECONDS} s per measurement, loopback`);
console.log(`ticket create  SQLite     ${fmt(sqlite.create)}`);
console.log(`ticket create  PostgreSQL ${fmt(postgres.create)}`);
console.log(`ticket list    SQLite     ${fmt(sqlite.list)}`);
console.log(`ticket list    PostgreSQL ${fmt(postgres.list)}`);
