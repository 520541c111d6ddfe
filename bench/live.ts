// Live assist under load: a real `huashu serve` process (the compiled build when current, else
// tsx; SQLite, one process) and this process generating the load over real WebSockets on
// loopback. Each of N simulated calls has its own agent (工号, API token) and socket; the CTI
// bridge rings and answers every call, then each call sends a typed turn every two seconds
// (customer and agent turns in turn: the customer complains, which brings script lines; one
// agent turn in three says 不知道, which raises alerts). Latency: from the server receiving the
// turn (`receivedAt`, carried in the event) to this process receiving its guidance or alert,
// p50/p99. Ramps N and prints the knee: the first N whose p99 is over 100 ms (or that misses
// answers).
//
// Memory. The server runs with --expose-gc and a preloaded probe (bench/support/memory-probe.mjs,
// over an IPC channel; nothing in src/ knows of it): every reading follows a forced GC.
// - Per step: RSS and heap growth from before the sockets opened to all N calls answered, ÷ N
//   (this mixes the process's fixed growth — JIT code, pools, first-use caches — into the
//   per-call figure), and the heap growth once the calls have had their turns, ÷ N.
// - The series: ONE server brought to several N in turn (calls added, never removed), read at
//   each N with every call answered and again once each call has had TURNS more turns; the
//   least-squares slope of RSS and heap against N is the marginal cost of a call, the
//   intercept the fixed part. Two heap snapshots (at the series' first N and at the N nearest
//   1,000), analysed here (bench/support/heap-snapshot.ts), say what a call's bytes are.
//
//   npx tsx bench/live.ts                            # ramp 250,500,1000,2000,4000; series 250…2000
//   npx tsx bench/live.ts 1000                       # one N
//   npx tsx bench/live.ts 250,1000 30                # these N, 30 s of turns each (default 20)
//   npx tsx bench/live.ts 250,1000 20 500,1000,2000  # and this series (`none`: no series)
//   npx tsx bench/live.ts none 20 250,500            # the series alone
//
// The flow is the server's own engine (src/live/flow.ts, the default scorecard's alerts): the
// figures are the transport's plus the engine's cost per turn.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { insertUser } from '../src/accounts/repository.ts';
import { createApplication } from '../src/app/application.ts';
import { loadConfig } from '../src/config/config.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { systemClock, timeOrderedIds } from '../src/shared/clock.ts';
import { type ServerProcess, startServerProcess } from '../test/support/server-process.ts';
import { freshStore } from '../test/support/store.ts';
import { analyseHeapSnapshot, type HeapBreakdown, type OwnerRule } from './support/heap-snapshot.ts';

const list = (arg: string | undefined, fallback: string) =>
  (arg ?? fallback) === 'none' ? [] : (arg ?? fallback).split(',').map(Number);
const STEPS = list(process.argv[2], '250,500,1000,2000,4000');
const SECONDS = Number(process.argv[3] ?? 20);
const SERIES = list(process.argv[4], '250,500,1000,1500,2000');
/** Turns each call of the series gets before its second reading. */
const TURNS = 6;
const TURN_EVERY_MS = 2000;
const WARMUP_MS = 2000;
const KNEE_MS = 100;
const METRICS_TOKEN = randomBytes(24).toString('hex');
const PROBE = resolve(import.meta.dirname, 'support/memory-probe.mjs');
const KB = 1024;
const MB = 1024 * 1024;

const pct = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const out = (s: string) => process.stdout.write(s);

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

interface Memory {
  rss: number;
  heap: number;
}

/**
 * The server, its N agents, and the calls opened on it so far: each call a socket subscribed
 * as its agent, rung and answered by the CTI bridge.
 */
class Harness {
  readonly sockets: WebSocket[] = [];
  readonly calls: string[] = [];
  /** Turns sent per call (the next turn's number). */
  readonly turnOf: number[] = [];
  private probes = 0;
  private readonly acks = new Map<string, () => void>();
  /** Called for every guidance or alert event that answers a turn. */
  onAnswer: (callId: string, turn: number, receivedAt: number, now: number) => void = () => undefined;

  private constructor(
    readonly server: ServerProcess,
    private readonly prepared: Awaited<ReturnType<typeof prepare>>,
    private readonly tag: string,
  ) {}

  static async start(agents: number, catalog: Catalog, tag: string): Promise<Harness> {
    const prepared = await prepare(agents, catalog);
    const server = await startServerProcess(
      { HUASHU_DATA_DIR: prepared.dir, HUASHU_METRICS_TOKEN: METRICS_TOKEN, HUASHU_LOG_LEVEL: 'error' },
      120_000,
      ['--expose-gc', '--import', PROBE],
      { ipc: true },
    );
    // Let the server settle after its start before any baseline.
    await sleep(1500);
    return new Harness(server, prepared, tag);
  }

  private probe<T>(request: Record<string, unknown>): Promise<T> {
    const id = ++this.probes;
    const child = this.server.child;
    return new Promise<T>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`probe ${String(request.probe)}: no answer`)), 600_000);
      const listen = (m: { id?: number; error?: string } & Record<string, unknown>) => {
        if (m.id !== id) return;
        child.off('message', listen);
        clearTimeout(timer);
        if (m.error) fail(new Error(m.error));
        else ok(m as T);
      };
      child.on('message', listen);
      child.send({ ...request, id });
    });
  }

  /** The server's RSS and heap in use after a forced GC (the least of three readings). */
  async memory(): Promise<Memory> {
    let rss = Number.POSITIVE_INFINITY;
    let heap = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      if (i > 0) await sleep(300);
      const m = await this.probe<{ gc: boolean; rss: number; heapUsed: number }>({ probe: 'memory' });
      if (!m.gc) throw new Error('the server was not started with --expose-gc');
      rss = Math.min(rss, m.rss);
      heap = Math.min(heap, m.heapUsed);
    }
    return { rss, heap };
  }

  async snapshot(path: string): Promise<void> {
    await this.probe({ probe: 'snapshot', path });
  }

  private async cti(payload: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${this.server.base}/api/cti/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.prepared.bridge}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    if (res.status !== 200) throw new Error(`CTI ${payload.type}: ${res.status} ${await res.text()}`);
  }

  /** Opens calls until there are `total`: sockets subscribed, then rung and answered. */
  async openTo(total: number): Promise<void> {
    const from = this.calls.length;
    const added = Array.from({ length: total - from }, (_, k) => from + k);
    for (const i of added) {
      this.calls[i] = `bench-${this.tag}-${i}`;
      this.turnOf[i] = 0;
    }
    const ws = this.server.base.replace(/^http/, 'ws');
    await pool(added, 50, async (i) => {
      const socket = new WebSocket(`${ws}/api/live/socket`, {
        headers: { authorization: `Bearer ${this.prepared.tokens[i]}` },
      });
      this.sockets[i] = socket;
      await new Promise<void>((done, fail) => {
        socket.once('error', fail);
        socket.on('message', (data) => {
          const m = JSON.parse(String(data)) as {
            type: string;
            callId?: string;
            ref?: string;
            receivedAt?: number;
            event?: { kind: string; turn?: number | null };
          };
          if (m.type === 'ready') socket.send(JSON.stringify({ type: 'subscribe' }));
          else if (m.type === 'snapshot') done();
          else if (m.type === 'ack' && m.ref) this.acks.get(m.ref)?.();
          else if (m.type === 'event' && m.event && m.receivedAt !== undefined) {
            const k = m.event.kind;
            if ((k === 'guidance' && typeof m.event.turn === 'number') || k === 'alert')
              this.onAnswer(m.callId as string, m.event.turn as number, m.receivedAt, Date.now());
          }
        });
      });
    });
    await pool(added, 16, async (i) => {
      const callId = this.calls[i] as string;
      await this.cti({
        callId,
        type: 'ring',
        brand: 'zhonghua',
        caller: null,
        agent: { number: String(10000 + i) },
      });
      await this.cti({ callId, type: 'answer' });
    });
  }

  /**
   * Sends call i's next turn: the customer complains (a situation and its script lines); the
   * agent either answers properly or, one turn in three, says a forbidden phrase (alerts).
   * With `acked`, resolves once the server has taken it.
   */
  sendTurn(i: number, acked = false): { turn: number; answered: boolean; taken: Promise<void> } {
    const callId = this.calls[i] as string;
    const turn = this.turnOf[i] ?? 0;
    this.turnOf[i] = turn + 1;
    const customer = turn % 2 === 0;
    const alert = !customer && (turn >> 1) % 3 === 0;
    const text = customer
      ? '你们这服务太差了，我要投诉'
      : alert
        ? '这个我也不知道'
        : '非常抱歉给您添麻烦了，我马上帮您查询';
    const ref = acked ? `${callId}#${turn}` : undefined;
    const taken = ref
      ? new Promise<void>((ok) =>
          this.acks.set(ref, () => {
            this.acks.delete(ref);
            ok();
          }),
        )
      : Promise.resolve();
    this.sockets[i]?.send(
      JSON.stringify({
        type: 'turn',
        callId,
        speaker: customer ? 'customer' : 'agent',
        text,
        ...(ref ? { ref } : {}),
      }),
    );
    return { turn, answered: customer || alert, taken };
  }

  /** Calls from..to-1 each get TURNS turns, each acknowledged, a few calls at a time. */
  async talk(from: number, to: number): Promise<void> {
    const calls = Array.from({ length: to - from }, (_, k) => from + k);
    for (let t = 0; t < TURNS; t++) await pool(calls, 50, (i) => this.sendTurn(i, true).taken);
    // Their guidance and alerts reach the consoles.
    await sleep(1000);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s?.terminate();
    await this.server.stop();
    await this.prepared.drop();
  }
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
  /** Heap growth ÷ N once the calls have had their turns. */
  kbPerCallHeapTurns: number;
  /** Client send → receive, p99 (includes this process's own event loop). */
  sendP99: number;
}

async function step(n: number, catalog: Catalog): Promise<Step> {
  const h = await Harness.start(n, catalog, String(n));
  const intervals: NodeJS.Timeout[] = [];
  try {
    const before = await h.memory();
    const latencies: number[] = [];
    const sendToReceive: number[] = [];
    let answered = 0;
    let measuring = false;
    const sentAt = new Map<string, number>();
    const answeredTurns = new Set<string>();
    h.onAnswer = (callId, turn, receivedAt, now) => {
      if (!measuring) return;
      // A turn may cause several lines or alerts: its first answer is the one timed.
      const key = `${callId}#${turn}`;
      if (answeredTurns.has(key)) return;
      answeredTurns.add(key);
      answered++;
      latencies.push(now - receivedAt);
      const sent = sentAt.get(key);
      if (sent !== undefined) sendToReceive.push(now - sent);
    };
    await h.openTo(n);
    await sleep(1500);
    const live = await h.memory();

    let expected = 0;
    setTimeout(() => {
      measuring = true;
    }, WARMUP_MS);
    for (let i = 0; i < n; i++) {
      const send = () => {
        const sent = Date.now();
        const { turn, answered: answers } = h.sendTurn(i);
        if (measuring && answers) expected++;
        sentAt.set(`${h.calls[i]}#${turn}`, sent);
      };
      const offset = Math.floor((i / n) * TURN_EVERY_MS);
      intervals.push(
        setTimeout(() => {
          send();
          intervals.push(setInterval(send, TURN_EVERY_MS));
        }, offset),
      );
    }
    await sleep(SECONDS * 1000);
    for (const t of intervals) clearInterval(t);
    // The answers to the last turns sent.
    await sleep(1000);
    measuring = false;
    const talked = await h.memory();
    latencies.sort((a, b) => a - b);
    sendToReceive.sort((a, b) => a - b);
    return {
      n,
      p50: pct(latencies, 50),
      p99: pct(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
      answered,
      expected,
      kbPerCallRss: (live.rss - before.rss) / n / KB,
      kbPerCallHeap: (live.heap - before.heap) / n / KB,
      kbPerCallHeapTurns: (talked.heap - before.heap) / n / KB,
      sendP99: pct(sendToReceive, 99),
    };
  } finally {
    for (const t of intervals) clearInterval(t);
    await h.stop();
  }
}

/** Least squares y = a + b·x, with r². */
function leastSquares(xs: readonly number[], ys: readonly number[]): { a: number; b: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const b = sxx === 0 ? Number.NaN : sxy / sxx;
  return { a: my - b * mx, b, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

/** Who owns a call's bytes in the server's heap (the dominator walk charges each byte to the nearest). */
const owners: OwnerRule = ({ type, name, keys }) => {
  if (type !== 'object') return null;
  if (/^Flow\d*$/.test(name)) return 'flow (engine state of a call)';
  // (A double field such as `expires` is stored in the object, not as an edge: not among the keys.)
  if (keys.includes('messages') || (keys.includes('events') && keys.includes('received')))
    return 'events log (hub, kept for resume)';
  if (keys.includes('flow') && keys.includes('generation')) return 'service entry (ref, setup, card)';
  if (/^_?WebSocket\d*$/.test(name)) return 'socket: ws WebSocket (+ route closures)';
  if (/^Socket\d*$/.test(name)) return 'socket: net.Socket';
  if (/^Timeout\d*$/.test(name)) return 'timers';
  if (/^LiveAssistService\d*$/.test(name)) return 'live service maps';
  if (/^MemoryLiveHub\d*$/.test(name)) return 'hub maps';
  return null;
};

function printBreakdown(a: HeapBreakdown, b: HeapBreakdown, calls: number): void {
  const diff = (x?: { bytes: number; count: number }, y?: { bytes: number; count: number }) => ({
    bytes: ((y?.bytes ?? 0) - (x?.bytes ?? 0)) / calls,
    count: ((y?.count ?? 0) - (x?.count ?? 0)) / calls,
  });
  out(
    `  difference ÷ ${calls} calls, by owner (dominator tree), bytes per call, and its largest kinds of object:\n`,
  );
  const cats = [...new Set([...a.byOwner.keys(), ...b.byOwner.keys()])]
    .map((c) => [c, ((b.byOwner.get(c) ?? 0) - (a.byOwner.get(c) ?? 0)) / calls] as const)
    .sort((x, y) => y[1] - x[1]);
  const labels = [...new Set([...a.byOwnerLabel.keys(), ...b.byOwnerLabel.keys()])];
  for (const [c, bytes] of cats) {
    out(`    ${bytes.toFixed(0).padStart(7)}  ${c}\n`);
    const top = labels
      .filter((l) => l.startsWith(`${c}\t`))
      .map((l) => ({ l: l.slice(c.length + 1), ...diff(a.byOwnerLabel.get(l), b.byOwnerLabel.get(l)) }))
      .sort((x, y) => y.bytes - x.bytes)
      .slice(0, 6)
      .filter((t) => t.bytes >= 50);
    for (const t of top)
      out(
        `             ${t.bytes.toFixed(0).padStart(6)} ${t.count.toFixed(1).padStart(5)}×  ${t.l.slice(0, 80)}\n`,
      );
  }
  out(`    ${((b.total - a.total) / calls).toFixed(0).padStart(7)}  total\n`);
}

async function series(levels: readonly number[], catalog: Catalog): Promise<void> {
  const max = Math.max(...levels);
  const h = await Harness.start(max, catalog, 'series');
  try {
    const base = await h.memory();
    out(
      `\nseries: one server, calls added stepwise; each reading after a forced GC; "talked": each call ${TURNS} turns in\n`,
    );
    out('  live calls   RSS MB  heap MB   talked: RSS MB  heap MB\n');
    out(
      `  ${'0'.padStart(10)} ${(base.rss / MB).toFixed(1).padStart(8)} ${(base.heap / MB).toFixed(1).padStart(8)}\n`,
    );
    const answered: Memory[] = [];
    const talked: Memory[] = [];
    for (const level of levels) {
      const from = h.calls.length;
      await h.openTo(level);
      await sleep(1000);
      const m = await h.memory();
      answered.push(m);
      await h.talk(from, level);
      const mt = await h.memory();
      talked.push(mt);
      out(
        `  ${String(level).padStart(10)} ${(m.rss / MB).toFixed(1).padStart(8)} ${(m.heap / MB).toFixed(1).padStart(8)}   ${(
          mt.rss / MB
        )
          .toFixed(1)
          .padStart(14)} ${(mt.heap / MB).toFixed(1).padStart(8)}\n`,
      );
    }
    const line = (what: string, ms: readonly Memory[]) => {
      const rss = leastSquares(
        levels,
        ms.map((m) => m.rss),
      );
      const heap = leastSquares(
        levels,
        ms.map((m) => m.heap),
      );
      out(
        `  ${what}: marginal ${(rss.b / KB).toFixed(1)} KB RSS / ${(heap.b / KB).toFixed(1)} KB heap per call (r² ${rss.r2.toFixed(3)} / ${heap.r2.toFixed(3)}); fixed part ${((rss.a - base.rss) / MB).toFixed(1)} MB RSS / ${((heap.a - base.heap) / MB).toFixed(1)} MB heap over the idle server\n`,
      );
    };
    out(`\n  least squares over N = ${levels.join(', ')}:\n`);
    line(`every call ${TURNS} turns in`, talked);
    // At each N the calls added are answered while the earlier ones have had their turns: what
    // the turns cost is the talked reading less the answered one, ÷ the calls added.
    let turnsBytes = 0;
    let addedCalls = 0;
    levels.forEach((level, k) => {
      turnsBytes += (talked[k] as Memory).heap - (answered[k] as Memory).heap;
      addedCalls += level - (levels[k - 1] ?? 0);
    });
    const perTurns = turnsBytes / addedCalls;
    out(
      `  of which ${TURNS} turns: ${(perTurns / KB).toFixed(1)} KB heap per call (${(perTurns / TURNS / KB).toFixed(2)} KB a turn); a call answered, before any turn: ${(
        (leastSquares(
          levels,
          talked.map((m) => m.heap),
        ).b -
          perTurns) /
          KB
      ).toFixed(1)} KB heap\n`,
    );
    const last = answered.at(-1) as Memory;
    const lastTalked = talked.at(-1) as Memory;
    out(
      `  growth ÷ N at ${max}: ${((last.rss - base.rss) / max / KB).toFixed(1)} KB RSS / ${((last.heap - base.heap) / max / KB).toFixed(1)} KB heap per call answered; ${((lastTalked.rss - base.rss) / max / KB).toFixed(1)} KB / ${((lastTalked.heap - base.heap) / max / KB).toFixed(1)} KB after ${TURNS} turns\n`,
    );
  } finally {
    await h.stop();
  }
}

/**
 * What a call's heap bytes are: a server of its own (writing a snapshot leaves the process's
 * malloc arena grown by hundreds of MB, which would spoil any RSS reading after it), a snapshot
 * at `a` calls and one at `b`, each call with TURNS turns, differenced and ÷ (b − a).
 */
async function breakdown(a: number, b: number, catalog: Catalog): Promise<void> {
  // HUASHU_BENCH_SNAPSHOT_DIR: the snapshots are written there and kept (for DevTools).
  const keep = process.env.HUASHU_BENCH_SNAPSHOT_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'huashu-heap-'));
  const h = await Harness.start(b, catalog, 'snapshot');
  try {
    const snaps: HeapBreakdown[] = [];
    for (const level of [a, b]) {
      const from = h.calls.length;
      await h.openTo(level);
      await h.talk(from, level);
      const path = join(dir, `at-${level}.heapsnapshot`);
      await h.memory();
      await h.snapshot(path);
      snaps.push(analyseHeapSnapshot(path, owners));
      if (!keep) rmSync(path, { force: true });
    }
    out(`\nheap snapshots at ${a} and ${b} calls (each call ${TURNS} turns in), a separate server:\n`);
    printBreakdown(snaps[0] as HeapBreakdown, snaps[1] as HeapBreakdown, b - a);
  } finally {
    await h.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const catalog = Catalog.load();
  // `node bin/dist-current.js` exits 0 when the compiled build is current (bin/huashu.js runs it then).
  const compiled = spawnSync(process.execPath, ['bin/dist-current.js']).status === 0;
  out(
    `live assist bench: server ${compiled ? 'compiled (dist/)' : 'through tsx (no current build)'}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${SECONDS} s of turns per step, one every ${TURN_EVERY_MS / 1000} s per call\n\n`,
  );
  if (STEPS.length > 0)
    out(
      '     N   turns/s    p50 ms   p99 ms   max ms  send→recv p99  answered  growth÷N KB/call: RSS  heap  heap after turns\n',
    );
  const results: Step[] = [];
  for (const n of STEPS) {
    const r = await step(n, catalog);
    results.push(r);
    out(
      `${String(n).padStart(6)} ${(n / (TURN_EVERY_MS / 1000)).toFixed(0).padStart(9)} ${r.p50.toFixed(0).padStart(9)} ${r.p99
        .toFixed(0)
        .padStart(
          8,
        )} ${r.max.toFixed(0).padStart(8)} ${r.sendP99.toFixed(0).padStart(14)} ${`${r.answered}/${r.expected}`.padStart(
        9,
      )} ${r.kbPerCallRss.toFixed(1).padStart(22)} ${r.kbPerCallHeap.toFixed(1).padStart(5)} ${r.kbPerCallHeapTurns.toFixed(1).padStart(17)}\n`,
    );
  }
  if (results.length > 0) {
    // Answers that never came within the run are latencies past any bound: a step missing more
    // than 5% of them is past the knee whatever its p99.
    const knee = results.find((r) => r.p99 > KNEE_MS || r.answered < 0.95 * r.expected);
    out(
      knee
        ? `\nknee: first at N = ${knee.n} (p99 over ${KNEE_MS} ms, or over 5% of the answers missing)\n`
        : `\nno knee: p99 stayed within ${KNEE_MS} ms up to N = ${results.at(-1)?.n}\n`,
    );
  }
  if (SERIES.length > 1) {
    await series(SERIES, catalog);
    const a = SERIES[0] as number;
    const b = SERIES.reduce((p, x) => (Math.abs(x - 1000) < Math.abs(p - 1000) ? x : p));
    if (b > a) await breakdown(a, b, catalog);
  }
  out(
    `\nload at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
