// Live assist under load: a real `huashu serve` process (the compiled build when current, else
// tsx; SQLite, one process) and this process generating the load over real WebSockets on
// loopback. Each of N simulated calls has its own agent (工号, API token) and socket; the CTI
// bridge rings and answers every call, then each call sends a typed turn every two seconds
// (customer and agent turns in turn: the customer complains, which brings script lines; one
// agent turn in three says 不知道, which raises alerts). Latency: from the server receiving the turn (`receivedAt`, carried in the event) to
// this process receiving its guidance or alert, p50/p99; memory per live call: the server's
// RSS and heap growth (its /metrics) from before the sockets opened to all calls live, ÷ N.
// Ramps N and prints the knee: the first N whose p99 is over 100 ms (or that misses answers).
//
//   npx tsx bench/live.ts                 # ramp 250,500,1000,2000,4000
//   npx tsx bench/live.ts 1000            # one N
//   npx tsx bench/live.ts 250,1000 30     # these N, 30 s of turns each (default 20)
//
// The flow is the server's own engine (src/live/flow.ts, the default scorecard's alerts): the
// figures are the transport's plus the engine's cost per turn.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import WebSocket from 'ws';
import { insertUser } from '../src/accounts/repository.ts';
import { createApplication } from '../src/app/application.ts';
import { loadConfig } from '../src/config/config.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { systemClock, timeOrderedIds } from '../src/shared/clock.ts';
import { type ServerProcess, startServerProcess } from '../test/support/server-process.ts';
import { freshStore } from '../test/support/store.ts';

const STEPS = (process.argv[2] ?? '250,500,1000,2000,4000').split(',').map(Number);
const SECONDS = Number(process.argv[3] ?? 20);
const TURN_EVERY_MS = 2000;
const WARMUP_MS = 2000;
const KNEE_MS = 100;
const METRICS_TOKEN = randomBytes(24).toString('hex');

const pct = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function pool<T>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i] as T, i);
      }
    }),
  );
}

/** The server's RSS and heap in use (its /metrics): the least of five readings, to skip garbage not yet collected. */
async function memory(server: ServerProcess): Promise<{ rss: number; heap: number }> {
  let rss = Number.POSITIVE_INFINITY;
  let heap = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 400));
    const text = await (
      await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    const read = (name: string) =>
      Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    rss = Math.min(rss, read('huashu_process_resident_memory_bytes'));
    heap = Math.min(heap, read('huashu_nodejs_heap_size_used_bytes'));
  }
  return { rss, heap };
}

/** A data directory with an admin (its CTI token) and n agents (工号 10000+i, a token each). */
async function prepare(n: number, catalog: Catalog) {
  const store = await freshStore('sqlite');
  const dir = store.dataDir as string;
  const app = createApplication({
    config: loadConfig({ HUASHU_DATA_DIR: dir }),
    store,
    catalog,
    clock: systemClock,
    ids: timeOrderedIds,
  });
  const now = new Date().toISOString();
  // Written straight to the table: n scrypt hashes would take minutes, and nobody signs in.
  const row = (id: string, username: string, role: 'admin' | 'agent', agentNumber: string | null) => ({
    id,
    username,
    username_key: username,
    display_name: username,
    role,
    agent_number: agentNumber,
    brand: null,
    password_hash: 'scrypt$bench$not-a-password',
    created_at: now,
    disabled_at: null,
  });
  const actor = { userId: null, ip: null };
  await store.db.transaction().execute(async (trx) => {
    await insertUser(trx, row('bench-admin', 'bench-admin', 'admin', null));
    for (let i = 0; i < n; i++)
      await insertUser(trx, row(`bench-agent-${i}`, `agent${i}`, 'agent', String(10000 + i)));
  });
  const bridge = (await app.accounts.createApiToken('bench-admin', 'CTI bridge', actor, { scopes: ['cti'] }))
    .token;
  const tokens: string[] = [];
  for (let i = 0; i < n; i++)
    tokens.push(
      (await app.accounts.createApiToken(`bench-agent-${i}`, 'console', actor, { scopes: ['read', 'write'] }))
        .token,
    );
  await app.close();
  await store.close();
  return { dir, bridge, tokens, drop: () => store.drop() };
}

interface Step {
  n: number;
  p50: number;
  p99: number;
  max: number;
  answered: number;
  expected: number;
  kbPerCallRss: number;
  kbPerCallHeap: number;
  /** Client send → receive, p99 (includes this process's own event loop). */
  sendP99: number;
}

async function step(n: number, catalog: Catalog): Promise<Step> {
  const prepared = await prepare(n, catalog);
  const server = await startServerProcess(
    { HUASHU_DATA_DIR: prepared.dir, HUASHU_METRICS_TOKEN: METRICS_TOKEN, HUASHU_LOG_LEVEL: 'error' },
    120_000,
  );
  const sockets: WebSocket[] = [];
  const intervals: NodeJS.Timeout[] = [];
  try {
    const ws = server.base.replace(/^http/, 'ws');
    const cti = async (payload: Record<string, unknown>) => {
      const res = await fetch(`${server.base}/api/cti/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${prepared.bridge}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      if (res.status !== 200) throw new Error(`CTI ${payload.type}: ${res.status} ${await res.text()}`);
    };
    // Let the server settle after its start before the baseline.
    await new Promise((r) => setTimeout(r, 1500));
    const before = await memory(server);

    const latencies: number[] = [];
    const sendToReceive: number[] = [];
    let answered = 0;
    let measuring = false;
    const sentAt = new Map<string, number>();
    const answeredTurns = new Set<string>();
    const calls = Array.from({ length: n }, (_, i) => `bench-${n}-${i}`);
    await pool(calls, 50, async (_callId, i) => {
      const socket = new WebSocket(`${ws}/api/live/socket`, {
        headers: { authorization: `Bearer ${prepared.tokens[i]}` },
      });
      sockets[i] = socket;
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.on('message', (data) => {
          const m = JSON.parse(String(data)) as {
            type: string;
            callId?: string;
            receivedAt?: number;
            event?: { kind: string; turn?: number | null };
          };
          if (m.type === 'ready') socket.send(JSON.stringify({ type: 'subscribe' }));
          else if (m.type === 'snapshot') resolve();
          else if (m.type === 'event' && m.event && m.receivedAt !== undefined) {
            const k = m.event.kind;
            if ((k === 'guidance' && typeof m.event.turn === 'number') || k === 'alert') {
              const now = Date.now();
              if (!measuring) return;
              // A turn may cause several lines or alerts: its first answer is the one timed.
              const key = `${m.callId}#${m.event.turn}`;
              if (answeredTurns.has(key)) return;
              answeredTurns.add(key);
              answered++;
              latencies.push(now - m.receivedAt);
              const sent = sentAt.get(key);
              if (sent !== undefined) sendToReceive.push(now - sent);
            }
          }
        });
      });
    });
    await pool(calls, 16, async (callId, i) => {
      await cti({
        callId,
        type: 'ring',
        brand: 'zhonghua',
        caller: null,
        agent: { number: String(10000 + i) },
      });
      await cti({ callId, type: 'answer' });
    });
    await new Promise((r) => setTimeout(r, 1500));
    const live = await memory(server);

    let expected = 0;
    const turnOf = new Array<number>(n).fill(0);
    setTimeout(() => {
      measuring = true;
    }, WARMUP_MS);
    calls.forEach((callId, i) => {
      const send = () => {
        const turn = turnOf[i] ?? 0;
        turnOf[i] = turn + 1;
        const customer = turn % 2 === 0;
        const alert = !customer && (turn >> 1) % 3 === 0;
        // The customer complains (a situation and its script lines); the agent either answers
        // properly or says a forbidden phrase (alerts).
        const text = customer
          ? '你们这服务太差了，我要投诉'
          : alert
            ? '这个我也不知道'
            : '非常抱歉给您添麻烦了，我马上帮您查询';
        if (measuring && (customer || alert)) expected++;
        sentAt.set(`${callId}#${turn}`, Date.now());
        sockets[i]?.send(
          JSON.stringify({ type: 'turn', callId, speaker: customer ? 'customer' : 'agent', text }),
        );
      };
      const offset = Math.floor((i / n) * TURN_EVERY_MS);
      intervals.push(
        setTimeout(() => {
          send();
          intervals.push(setInterval(send, TURN_EVERY_MS));
        }, offset),
      );
    });
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    for (const t of intervals) clearInterval(t);
    // The answers to the last turns sent.
    await new Promise((r) => setTimeout(r, 1000));
    measuring = false;
    latencies.sort((a, b) => a - b);
    sendToReceive.sort((a, b) => a - b);
    return {
      n,
      p50: pct(latencies, 50),
      p99: pct(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
      answered,
      expected,
      kbPerCallRss: (live.rss - before.rss) / n / 1024,
      kbPerCallHeap: (live.heap - before.heap) / n / 1024,
      sendP99: pct(sendToReceive, 99),
    };
  } finally {
    for (const t of intervals) clearInterval(t);
    for (const s of sockets) s?.terminate();
    await server.stop();
    await prepared.drop();
  }
}

async function main() {
  const catalog = Catalog.load();
  // `node bin/dist-current.js` exits 0 when the compiled build is current (bin/huashu.js runs it then).
  const compiled = spawnSync(process.execPath, ['bin/dist-current.js']).status === 0;
  process.stdout.write(
    `live assist bench: server ${compiled ? 'compiled (dist/)' : 'through tsx (no current build)'}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${SECONDS} s of turns per step, one every ${TURN_EVERY_MS / 1000} s per call\n\n`,
  );
  process.stdout.write(
    '     N   turns/s    p50 ms   p99 ms   max ms  send→recv p99  answered  RSS KB/call  heap KB/call\n',
  );
  const results: Step[] = [];
  for (const n of STEPS) {
    const r = await step(n, catalog);
    results.push(r);
    process.stdout.write(
      `${String(n).padStart(6)} ${(n / (TURN_EVERY_MS / 1000)).toFixed(0).padStart(9)} ${r.p50.toFixed(0).padStart(9)} ${r.p99
        .toFixed(0)
        .padStart(
          8,
        )} ${r.max.toFixed(0).padStart(8)} ${r.sendP99.toFixed(0).padStart(14)} ${`${r.answered}/${r.expected}`.padStart(
        9,
      )} ${r.kbPerCallRss.toFixed(1).padStart(12)} ${r.kbPerCallHeap.toFixed(1).padStart(13)}\n`,
    );
  }
  // Answers that never came within the run are latencies past any bound: a step missing more
  // than 5% of them is past the knee whatever its p99.
  const knee = results.find((r) => r.p99 > KNEE_MS || r.answered < 0.95 * r.expected);
  process.stdout.write(
    knee
      ? `\nknee: first at N = ${knee.n} (p99 over ${KNEE_MS} ms, or over 5% of the answers missing)\n`
      : `\nno knee: p99 stayed within ${KNEE_MS} ms up to N = ${results.at(-1)?.n}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
