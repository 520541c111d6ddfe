// The dashboards over a year of a busy floor: 1,000,000 calls and 100,000 tickets in SQLite and
// in PostgreSQL, side by side. The calls are generated as the facts the dashboard keeps of each
// stored call (dash_calls, dash_call_rules: what recordCall writes; the calls table itself is
// not read by any dashboard) and bulk-inserted (SQLite: one prepared statement in one
// transaction; PostgreSQL: unnest of column arrays, 20,000 rows a statement); the daily rollups
// are then counted by the module's own recount (repository.recountCalls), and each dashboard
// query runs N times through DashboardService; p95 per query per engine.
//
//   npm run bench:dashboard -- [calls=1000000] [tickets=100000] [runs=30]
// PostgreSQL: HUASHU_TEST_DATABASE_URL (default postgres://root@127.0.0.1:5432/test), a schema
// of its own; the SQLite file in a temp folder. Both dropped afterwards.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createApplication } from '../src/app/application.ts';
import { loadConfig } from '../src/config/config.ts';
import type { DashboardScope, DashboardService } from '../src/dashboard/service.ts';
import type { Dialect } from '../src/db/database.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { FixedClock } from '../src/shared/clock.ts';
import { seededRandom as rng } from '../src/shared/random.ts';
import { freshStore, type TestStore } from '../test/support/store.ts';

const CALLS = Number(process.argv[2] ?? 1_000_000);
const TICKETS = Number(process.argv[3] ?? 100_000);
const RUNS = Number(process.argv[4] ?? 30);
const BRANDS = ['zhonghua', 'chaoyue'];
const TEAMS = 10;
const AGENTS = 200;
const DAYS = 365;
const FIRST_DAY = Date.UTC(2025, 11, 1);
const NOW = new Date('2026-11-30T04:00:00Z');
const RULES = [
  'opening.greeting',
  'opening.ring',
  'identify.surname',
  'confirm.problem',
  'hold.consent',
  'hold.limit',
  'language.forbidden',
  'language.vague',
  'closing.more-questions',
  'closing.farewell',
  'closing.customer-first',
  'silent-line.procedure',
];
const TICKET_TYPES = ['complaint', 'repair', 'technical', 'callback', 'suggestion', 'message'];
const LEVELS = ['agent', 'team-lead', 'room-director', 'complaint-desk'];

const CALL_COLUMNS = [
  'call_id',
  'brand',
  'day',
  'started_at',
  'team',
  'agent',
  'phone',
  'offered',
  'answered',
  'wait_ms',
  'handle_ms',
  'hold_ms',
  'holds',
  'holds_over',
  'repeated',
  'qa_score',
  'qa_fatal',
] as const;
const CALL_TYPES = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'int',
  'int',
  'int',
  'int',
  'int',
  'int',
  'int',
  'int',
  'float8',
  'int',
];
const RULE_COLUMNS = ['call_id', 'rule', 'brand', 'day', 'team', 'agent'] as const;
const APPEAL_COLUMNS = ['appeal_id', 'call_id', 'brand', 'day', 'team', 'agent', 'rule', 'status'] as const;
const TICKET_COLUMNS = [
  'ticket_id',
  'brand',
  'type',
  'level',
  'status',
  'open',
  'created_at',
  'created_day',
  'reply_ms',
  'close_ms',
  'breached',
  'overdue',
  'satisfaction',
] as const;
const TICKET_TYPES_SQL = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'int',
  'text',
  'text',
  'int8',
  'int8',
  'int',
  'int',
  'float8',
];

type Row = (string | number | null)[];

/** The generated rows, in batches, the same for both engines. */
function* callBatches(size: number): Generator<{ calls: Row[]; rules: Row[]; appeals: Row[] }> {
  const r = rng(42);
  // Appeals from a generator of their own: the calls stay those of earlier runs.
  const ra = rng(99);
  let calls: Row[] = [];
  let rules: Row[] = [];
  let appeals: Row[] = [];
  for (let i = 0; i < CALLS; i++) {
    const brand = BRANDS[i % BRANDS.length] as string;
    const agentNo = Math.floor(r() * AGENTS);
    const agent = String(1000 + agentNo);
    const team = `${(agentNo % TEAMS) + 1}组`;
    const dayIndex = Math.floor(r() * DAYS);
    const start = FIRST_DAY + dayIndex * 86_400_000 + Math.floor(r() * 12 * 3_600_000);
    const day = new Date(start + 8 * 3_600_000).toISOString().slice(0, 10);
    const inbound = r() < 0.9;
    const answered = r() < 0.92;
    const wait = answered ? Math.floor(-Math.log(1 - r()) * 12_000) : null;
    const handle = answered ? 30_000 + Math.floor(r() * 400_000) : null;
    const held = answered && r() < 0.2;
    const hold = held ? Math.floor(r() * 120_000) : 0;
    const score = Math.round(55 + r() * 45);
    const fatal = r() < 0.02 ? 1 : 0;
    const id = `b-${i}`;
    calls.push([
      id,
      brand,
      day,
      new Date(start).toISOString(),
      team,
      agent,
      inbound ? `1380000${String(Math.floor(r() * 100_000)).padStart(5, '0')}` : null,
      inbound ? 1 : 0,
      answered ? 1 : 0,
      wait,
      handle,
      hold,
      held ? 1 : 0,
      held && hold >= 60_000 ? 1 : 0,
      inbound && r() < 0.08 ? 1 : 0,
      score,
      fatal,
    ]);
    const failures = Math.floor(r() * 2.2);
    const first = Math.floor(r() * RULES.length);
    for (let k = 0; k < failures; k++)
      rules.push([id, RULES[(first + k * 5) % RULES.length] as string, brand, day, team, agent]);
    // One call in 100 has an appealed finding (5 % sampled, a fifth of those appealed, generously).
    if (failures > 0 && ra() < 0.01 * 1.6) {
      const o = ra();
      const status = o < 0.2 ? 'open' : o < 0.7 ? 'upheld' : 'overturned';
      appeals.push([`a-${i}`, id, brand, day, team, agent, RULES[first] as string, status]);
    }
    if (calls.length === size) {
      yield { calls, rules, appeals };
      calls = [];
      rules = [];
      appeals = [];
    }
  }
  if (calls.length > 0) yield { calls, rules, appeals };
}

function* ticketBatches(size: number): Generator<Row[]> {
  const r = rng(7);
  let batch: Row[] = [];
  for (let i = 0; i < TICKETS; i++) {
    const created = FIRST_DAY + Math.floor(r() * DAYS * 86_400_000);
    const open = r() < 0.1;
    const visited = !open && r() < 0.4;
    batch.push([
      `t-${i}`,
      BRANDS[i % BRANDS.length] as string,
      TICKET_TYPES[Math.floor(r() * TICKET_TYPES.length)] as string,
      LEVELS[Math.floor(r() * r() * LEVELS.length)] as string,
      open ? 'in-progress' : 'closed',
      open ? 1 : 0,
      new Date(created).toISOString(),
      new Date(created + 8 * 3_600_000).toISOString().slice(0, 10),
      r() < 0.9 ? Math.floor(r() * 30 * 3_600_000) : null,
      open ? null : Math.floor(r() * 120 * 3_600_000),
      r() < 0.06 ? 1 : 0,
      open && r() < 0.2 ? 1 : 0,
      visited ? 1 + Math.floor(r() * 5) : null,
    ]);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function loadSqlite(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = (table: string, columns: readonly string[]) =>
    db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
  const call = insert('dash_calls', CALL_COLUMNS);
  const rule = insert('dash_call_rules', RULE_COLUMNS);
  const appeal = insert('dash_appeals', APPEAL_COLUMNS);
  const ticket = insert('dash_tickets', TICKET_COLUMNS);
  db.transaction(() => {
    for (const b of callBatches(10_000)) {
      for (const row of b.calls) call.run(row);
      for (const row of b.rules) rule.run(row);
      for (const row of b.appeals) appeal.run(row);
    }
    for (const b of ticketBatches(10_000)) for (const row of b) ticket.run(row);
  })();
  db.close();
}

async function loadPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const insert = async (table: string, columns: readonly string[], types: readonly string[], rows: Row[]) => {
    const arrays = columns.map((_, c) => rows.map((row) => row[c] ?? null));
    const params = types.map((t, c) => `$${c + 1}::${t}[]`).join(', ');
    await client.query(
      `insert into ${table} (${columns.join(', ')}) select * from unnest(${params})`,
      arrays,
    );
  };
  await client.query('begin');
  for (const b of callBatches(20_000)) {
    await insert('dash_calls', CALL_COLUMNS, CALL_TYPES, b.calls);
    await insert('dash_call_rules', RULE_COLUMNS, ['text', 'text', 'text', 'text', 'text', 'text'], b.rules);
    if (b.appeals.length > 0)
      await insert(
        'dash_appeals',
        APPEAL_COLUMNS,
        APPEAL_COLUMNS.map(() => 'text'),
        b.appeals,
      );
  }
  for (const b of ticketBatches(20_000)) await insert('dash_tickets', TICKET_COLUMNS, TICKET_TYPES_SQL, b);
  await client.query('commit');
  await client.query('vacuum analyze');
  await client.end();
}

function p95(ms: number[]): number {
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] ?? Number.NaN;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function bench(engine: Dialect, catalog: Catalog): Promise<Map<string, number>> {
  const store: TestStore = await freshStore(engine);
  const results = new Map<string, number>();
  try {
    let t0 = performance.now();
    if (engine === 'sqlite') {
      // The bulk load goes through a connection of its own; the store's is idle meanwhile.
      loadSqlite(join(store.dataDir ?? '', 'huashu.sqlite'));
    } else await loadPostgres(store.url ?? '');
    const loadMs = performance.now() - t0;
    const app = createApplication({
      config: loadConfig({ HUASHU_DATA_DIR: store.dataDir ?? '/tmp' }),
      store,
      clock: new FixedClock(NOW),
      ids: () => 'x',
      catalog,
    });
    const dashboard: DashboardService = app.dashboard;
    t0 = performance.now();
    for (const brand of BRANDS) await dashboard.recount(brand);
    const recountMs = performance.now() - t0;
    console.log(
      `${engine}: loaded ${CALLS.toLocaleString('en')} calls (with their failed rules and appeals) and ${TICKETS.toLocaleString('en')} tickets in ${(loadMs / 1000).toFixed(1)} s; rollups counted in ${(recountMs / 1000).toFixed(1)} s`,
    );
    const all: DashboardScope = { brand: null, team: null };
    const year = { brand: 'zhonghua', from: '2025-12-01', to: '2026-11-30' };
    const queries: [string, () => Promise<unknown>][] = [
      ['calls: a year, by day', () => dashboard.callDashboard({ ...year, by: 'day' }, all)],
      ['calls: a year, by agent', () => dashboard.callDashboard({ ...year, by: 'agent' }, all)],
      [
        'calls: a year, by team, both brands',
        () => dashboard.callDashboard({ from: year.from, to: year.to, by: 'team' }, all),
      ],
      [
        'calls: a month, one team, by agent',
        () => dashboard.callDashboard({ ...year, from: '2026-11-01', team: '3组', by: 'agent' }, all),
      ],
      [
        'quality: a year, by agent (+ top rules, trend, fatal, appeals)',
        () => dashboard.qualityDashboard({ ...year, by: 'agent' }, all),
      ],
      [
        'quality: a year, by day, one agent',
        () => dashboard.qualityDashboard({ ...year, agent: '1042', by: 'day' }, all),
      ],
      ['tickets: a year (backlog, by type, by day)', () => dashboard.ticketDashboard(year, all)],
      [
        'wallboard (today)',
        () =>
          dashboard.wallboard(
            { role: 'admin', brand: null, team: null, agentNumber: null },
            undefined,
            'zhonghua',
          ),
      ],
    ];
    for (const [name, run] of queries) {
      await run(); // warm
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        await run();
        times.push(performance.now() - s);
      }
      results.set(name, p95(times));
      console.log(`  ${name.padEnd(56)} p95 ${fmt(p95(times))}`);
    }
    await app.close();
  } finally {
    await store.drop();
  }
  return results;
}

async function main() {
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${RUNS} runs a query`,
  );
  const catalog = Catalog.load();
  const sqlite = await bench('sqlite', catalog);
  const postgres = await bench('postgres', catalog);
  console.log('\n| query | SQLite p95 | PostgreSQL p95 |\n|---|---|---|');
  for (const [name, ms] of sqlite)
    console.log(`| ${name} | ${fmt(ms)} | ${fmt(postgres.get(name) ?? Number.NaN)} |`);
  console.log(
    `\nload average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

await main();
