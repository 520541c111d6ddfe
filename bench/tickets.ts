// Ticket API under 100 concurrent clients: create and list, one server process against two
// (the clients split between them, no proxy; two processes share one SQLite file, or one
// PostgreSQL database), SQLite and PostgreSQL side by side in one run; then the list's
// latency on PostgreSQL at two table sizes, to show that a page does not get slower as the
// table grows (keyset pages, a bounded count).
//
//   npx tsx bench/tickets.ts [seconds=10] [connections=100] [small=10000] [large=100000]
// PostgreSQL: HUASHU_TEST_DATABASE_URL (default postgres://root@127.0.0.1:5432/test), fresh
// schemas dropped afterwards. No REDIS_URL: tickets need none. autocannon runs in this
// process, on the same 2 cores as the servers: compare ratios within a run.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { encodeTicketCursor } from '../src/tickets/cursor.ts';
import { login, type ServerProcess, startServerProcess } from '../test/support/server-process.ts';
import { freshStore, type TestStore } from '../test/support/store.ts';

const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = Number(process.argv[3] ?? 100);
const SMALL = Number(process.argv[4] ?? 10_000);
const LARGE = Number(process.argv[5] ?? 100_000);
const PASSWORD = 'bench-password-1';
const TICKET = JSON.stringify({
  type: 'complaint',
  subtype: 'service-attitude',
  brand: 'zhonghua',
  subject: '客户投诉座席态度',
  customerPhone: '13800138000',
});

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  bad: number;
  total: number;
  /** The answers that were not 2xx, by status. */
  statuses: string;
}

interface Target {
  base: string;
  headers: Record<string, string>;
}

/** `connections` clients split evenly over the targets, all at once; throughput summed. */
async function load(
  targets: readonly Target[],
  path: string,
  method: 'GET' | 'POST',
  seconds = SECONDS,
  connections = CONNECTIONS,
): Promise<Figures> {
  const results = await Promise.all(
    targets.map((t) =>
      autocannon({
        url: `${t.base}${path}`,
        method,
        headers: method === 'POST' ? { ...t.headers, 'content-type': 'application/json' } : t.headers,
        ...(method === 'POST' ? { body: TICKET } : {}),
        connections: Math.round(connections / targets.length),
        duration: seconds,
      }),
    ),
  );
  return {
    rps: results.reduce((s, r) => s + r.requests.average, 0),
    // autocannon gives percentiles per run, not histograms to merge: the worse process's.
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    bad: results.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0),
    total: results.reduce((s, r) => s + r.requests.total, 0),
    statuses: results
      .flatMap((r) => Object.entries(r.statusCodeStats ?? {}))
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, { count }]) => `${code}: ${count}`)
      .join(', '),
  };
}

/** A database for the run: a fresh SQLite folder or PostgreSQL schema, and the servers' env. */
async function database(
  engine: 'sqlite' | 'postgres',
): Promise<{ env: Record<string, string>; drop: () => Promise<unknown> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-bench-'));
    return {
      env: { HUASHU_DATA_DIR: dir, HUASHU_ADMIN_PASSWORD: PASSWORD },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const store = await freshStore('postgres');
  await store.close();
  return {
    env: { DATABASE_URL: store.url ?? '', HUASHU_ADMIN_PASSWORD: PASSWORD },
    drop: () => store.drop().catch(() => undefined),
  };
}

/** Starts `n` processes on one database, one after the other (the first migrates and seeds). */
async function servers(env: Record<string, string>, n: number) {
  const started: ServerProcess[] = [];
  for (let i = 0; i < n; i++) started.push(await startServerProcess({ ...env, HUASHU_LOG_LEVEL: 'error' }));
  const targets = await Promise.all(
    started.map(async (s) => ({ base: s.base, headers: await login(s.base, 'admin', PASSWORD) })),
  );
  return { targets, stop: () => Promise.all(started.map((s) => s.stop())) };
}

async function createAndList(engine: 'sqlite' | 'postgres', processes: number) {
  const db = await database(engine);
  const run = await servers(db.env, processes);
  try {
    const create = await load(run.targets, '/api/tickets', 'POST');
    const list = await load(run.targets, '/api/tickets?limit=20', 'GET');
    return { create, list };
  } finally {
    await run.stop();
    await db.drop();
  }
}

/** `n` tickets in all: copies of one opened over the API, inserted by one statement. */
async function fillTo(store: TestStore, template: string, n: number): Promise<void> {
  const have = Number(
    (await sql<{ n: number }>`select count(*) as n from tickets`.execute(store.db)).rows[0]?.n ?? 0,
  );
  const columns = sql.raw(
    'brand, type, status, priority, subject, customer_phone, call_id, assignee_id, escalation_level, next_deadline_at, breach_check_at, about_agent_number, about_user_id, data, version, created_by, created_at, updated_at',
  );
  await sql`insert into tickets (id, ${columns})
      select t.id || '-' || lpad(g.i::text, 7, '0'), ${columns}
      from tickets t, generate_series(${have}::int, ${n - 1}::int) g(i) where t.id = ${template}`.execute(
    store.db,
  );
  await sql`analyze tickets`.execute(store.db);
}

/** Median of `runs` timings of an exact count(*), what every page used to cost. */
async function countMs(store: TestStore, runs = 5): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await sql`select count(*) from tickets`.execute(store.db);
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

async function listAtSizes() {
  const store = await freshStore('postgres');
  const run = await servers({ DATABASE_URL: store.url ?? '', HUASHU_ADMIN_PASSWORD: PASSWORD }, 1);
  const target = run.targets[0] as Target;
  try {
    const opened = await fetch(`${target.base}/api/tickets`, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'application/json' },
      body: TICKET,
    });
    const template = ((await opened.json()) as { id: string; createdAt: string }).id;
    const createdAt = (
      await sql<{ c: string }>`select created_at as c from tickets where id = ${template}`.execute(store.db)
    ).rows[0]?.c as string;
    const rows = [];
    for (const size of [SMALL, LARGE]) {
      await fillTo(store, template, size);
      // The middle of the table: a cursor there, and the same depth by offset (the old way).
      const middle = encodeTicketCursor({
        sort: 'created',
        createdAt,
        id: `${template}-${String(Math.floor(size / 2)).padStart(7, '0')}`,
      });
      const seconds = Math.max(3, Math.round(SECONDS / 2));
      rows.push({
        size,
        first: await load([target], '/api/tickets?limit=20', 'GET', seconds, 10),
        keyset: await load([target], `/api/tickets?limit=20&after=${middle}`, 'GET', seconds, 10),
        offset: await load(
          [target],
          `/api/tickets?limit=20&offset=${Math.floor(size / 2)}`,
          'GET',
          seconds,
          10,
        ),
        count: await countMs(store),
      });
    }
    return rows;
  } finally {
    await run.stop();
    await store.drop();
  }
}

const fmt = (f: Figures) =>
  `${f.rps.toFixed(0).padStart(6)} req/s  p50 ${String(f.p50).padStart(4)} ms  p99 ${String(f.p99).padStart(4)} ms  (${f.total} requests, ${f.bad} failed${f.statuses ? ` — ${f.statuses}` : ''})`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const load1 = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

console.log(`${CONNECTIONS} concurrent clients, ${SECONDS} s per measurement; load average ${load1()}`);
const results: Record<string, Awaited<ReturnType<typeof createAndList>>> = {};
for (const engine of ['sqlite', 'postgres'] as const)
  for (const processes of [1, 2]) results[`${engine} ${processes}`] = await createAndList(engine, processes);
for (const what of ['create', 'list'] as const) {
  for (const [name, r] of Object.entries(results))
    console.log(`ticket ${what.padEnd(6)} ${name.padEnd(11)} ${fmt(r[what])}`);
  for (const engine of ['sqlite', 'postgres'])
    console.log(
      `ticket ${what} ${engine}: two processes / one = ${ratio(
        results[`${engine} 2`]?.[what].rps ?? 0,
        results[`${engine} 1`]?.[what].rps ?? 1,
      )} throughput`,
    );
}

console.log(`\nPostgreSQL list (20 per page, 10 clients) by table size; load average ${load1()}`);
const sizes = await listAtSizes();
for (const s of sizes)
  console.log(
    `${String(s.size).padStart(7)} tickets  first page p50 ${s.first.p50} ms (${s.first.rps.toFixed(0)} req/s)  middle by cursor p50 ${s.keyset.p50} ms  middle by offset p50 ${s.offset.p50} ms  count(*) alone ${s.count.toFixed(1)} ms`,
  );
const [a, b] = sizes;
if (a && b)
  console.log(
    `${b.size} / ${a.size} tickets: first page ${ratio(b.first.p50, a.first.p50)}, by cursor ${ratio(b.keyset.p50, a.keyset.p50)}, by offset ${ratio(b.offset.p50, a.offset.p50)}, count(*) ${ratio(b.count, a.count)}`,
  );
console.log(`load average after: ${load1()}`);
