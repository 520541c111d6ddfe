// A restart of PostgreSQL under a running server (issue 7): the server stays up, answers
// 503 {code: "unavailable"} while the database is down (health too), recovers by itself when
// it is back, and loses no acknowledged write. On a cluster of the test's own.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { login, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { type OwnPostgres, startOwnPostgres } from './own-postgres.ts';

const PASSWORD = 'restart-test-password';

describe('PostgreSQL restarted under a running server', () => {
  let cluster: OwnPostgres | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    cluster?.destroy();
  });

  it('answers 503 during the outage, 2xx after it, and keeps every acknowledged ticket', async () => {
    cluster = await startOwnPostgres();
    server = await startServerProcess({ DATABASE_URL: cluster.url, HUASHU_ADMIN_PASSWORD: PASSWORD });
    const { base } = server;
    const headers = { ...(await login(base, 'admin', PASSWORD)), 'content-type': 'application/json' };
    const createTicket = (i: number) =>
      fetch(`${base}/api/tickets`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          type: 'complaint',
          subtype: 'service-attitude',
          brand: 'zhonghua',
          subject: `投诉 ${i}`,
          customerPhone: `1380013${String(i).padStart(4, '0')}`,
        }),
      });
    const acknowledged = new Map<string, string>();
    const write = async (i: number) => {
      const res = await createTicket(i);
      expect(res.status, await res.clone().text()).toBe(201);
      acknowledged.set(((await res.json()) as { id: string }).id, `投诉 ${i}`);
    };
    for (let i = 0; i < 5; i++) await write(i);

    cluster.stop();

    // Down: every request that needs the database gets 503 unavailable, not a hang or a crash.
    const first = [...acknowledged.keys()][0];
    for (let round = 0; round < 3; round++) {
      const created = await createTicket(100 + round);
      expect(created.status).toBe(503);
      const body = (await created.json()) as { code: string; message: string; details: unknown[] };
      expect(body.code).toBe('unavailable');
      expect(body.message).toMatch(/数据库/); // Chinese by default
      expect(body.details).toEqual([]);
      const read = await fetch(`${base}/api/tickets/${first}`, { headers });
      expect(read.status).toBe(503);
      expect(((await read.json()) as { code: string }).code).toBe('unavailable');
      const health = await fetch(`${base}/api/health`);
      expect(health.status).toBe(503);
      const h = (await health.json()) as { status: string; database: string; message: string };
      expect(h).toMatchObject({ status: 'unavailable', database: 'postgres' });
      expect(h.message).toMatch(/unreachable/);
      expect(h.message).not.toMatch(/ECONNREFUSED|\n\s+at /);
    }
    expect(server.child.exitCode, server.output()).toBeNull(); // still running

    cluster.start();

    // Back: the pool opens new connections by itself; the session made before still works.
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    for (let i = 5; i < 10; i++) await write(i);
    expect(acknowledged.size).toBe(10);
    for (const [id, subject] of acknowledged) {
      const res = await fetch(`${base}/api/tickets/${id}`, { headers });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { subject: string }).subject).toBe(subject);
    }
    // The writes refused during the outage left nothing behind.
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    const rows = (await c.query<{ subject: string }>('select subject from tickets order by subject')).rows;
    await c.end();
    expect(rows.map((r) => r.subject)).toEqual([...acknowledged.values()].sort());
  });
});
