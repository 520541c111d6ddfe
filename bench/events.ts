// Event delivery latency between processes: two `huashu serve` processes on one PostgreSQL
// database and one Redis. A room director listens on B's notification stream (SSE); tickets are
// opened on A one after another (each notifies the director); the time is taken from A's 201
// answer (the change is committed by then) to the notification's arrival on B's stream, the
// whole path: A's relay woken by the commit, Redis pub/sub, B's bus, B's stream. Also from
// sending the request (an upper bound that includes the write itself).
//
//   npx tsx bench/events.ts [count=300]
// Needs PostgreSQL (HUASHU_TEST_DATABASE_URL, default postgres://root@127.0.0.1:5432/test; a
// schema of its own, dropped after) and Redis (HUASHU_TEST_REDIS_URL, default
// redis://127.0.0.1:6379; a channel prefix of its own).
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { login, type ServerProcess, startServerProcess } from '../test/support/server-process.ts';
import { freshStore } from '../test/support/store.ts';

const COUNT = Number(process.argv[2] ?? 300);
const REDIS_URL = process.env.HUASHU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PASSWORD = 'events-bench-password';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main() {
  const store = await freshStore('postgres');
  const env = {
    DATABASE_URL: store.url ?? '',
    REDIS_URL,
    HUASHU_REDIS_PREFIX: `huashu-bench-${randomBytes(6).toString('hex')}:`,
    HUASHU_ADMIN_PASSWORD: PASSWORD,
  };
  const servers: ServerProcess[] = [];
  const controller = new AbortController();
  try {
    const a = await startServerProcess(env, 60_000);
    servers.push(a);
    const b = await startServerProcess(env, 60_000);
    servers.push(b);
    const admin = { ...(await login(a.base, 'admin', PASSWORD)), 'content-type': 'application/json' };
    const created = await fetch(`${a.base}/api/users`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        username: 'director',
        displayName: '室主任',
        role: 'room-director',
        password: 'director password 1',
      }),
    });
    if (!created.ok) throw new Error(`creating the director: ${created.status} ${await created.text()}`);
    const director = await login(b.base, 'director', 'director password 1');

    // ticket id → when it arrived on B's stream
    const arrived = new Map<string, number>();
    const waiters = new Map<string, () => void>();
    let subscribed!: () => void;
    const ready = new Promise<void>((r) => {
      subscribed = r;
    });
    const stream = await fetch(`${b.base}/api/notifications/stream`, {
      headers: { cookie: director.cookie ?? '' },
      signal: controller.signal,
    });
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of stream.body ?? []) {
          buffer += decoder.decode(chunk as Uint8Array, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.startsWith(': subscribed')) subscribed();
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (data) {
              const { ticketId } = JSON.parse(data) as { ticketId: string };
              arrived.set(ticketId, performance.now());
              waiters.get(ticketId)?.();
            }
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // aborted at the end
      }
    })();
    await ready;

    const fromAnswer: number[] = [];
    const fromRequest: number[] = [];
    for (let i = 0; i < COUNT + 20; i++) {
      const sent = performance.now();
      const res = await fetch(`${a.base}/api/tickets`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({
          type: 'complaint',
          subtype: 'service-attitude',
          brand: 'zhonghua',
          subject: `投诉 ${i}`,
        }),
      });
      const answered = performance.now();
      if (res.status !== 201) throw new Error(`ticket ${i}: ${res.status} ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      if (!arrived.has(id)) {
        await Promise.race([
          new Promise<void>((r) => waiters.set(id, r)),
          new Promise((_, fail) =>
            setTimeout(() => fail(new Error(`ticket ${id}: no notification on B in 10 s`)), 10_000),
          ),
        ]);
      }
      waiters.delete(id);
      const at = arrived.get(id) ?? Number.NaN;
      if (i < 20) continue; // warm-up
      // An event may arrive before A's answer is read: count that as 0 after the answer.
      fromAnswer.push(Math.max(0, at - answered));
      fromRequest.push(at - sent);
    }
    const show = (name: string, xs: number[]) => {
      const s = [...xs].sort((x, y) => x - y);
      console.log(
        `${name.padEnd(34)} p50 ${percentile(s, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(s, 99).toFixed(1).padStart(6)} ms   max ${(s.at(-1) ?? 0).toFixed(1).padStart(6)} ms`,
      );
    };
    console.log(
      `event delivery A → PostgreSQL outbox → relay → Redis → B's stream; ${COUNT} events (after 20 warm-up), one at a time`,
    );
    console.log(
      `machine: ${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    show("from A's 201 answer to B", fromAnswer);
    show('from sending the request to B', fromRequest);
  } finally {
    controller.abort();
    for (const s of servers) await s.stop();
    await store.drop();
  }
}

await main();
