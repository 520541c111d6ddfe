// Starting and stopping the server process (issue 7): a port in use at the first start
// creates no admin (its one-time password would be lost), and SIGTERM / SIGINT stop it cleanly.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/database.ts';
import { attemptStart, login, type ServerProcess, startServerProcess } from '../support/server-process.ts';

describe('huashu serve: the port, the first admin, and shutting down', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huashu-start-'));
  let blocker: Server | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  async function countUsers(): Promise<number> {
    const store = openStore({ sqliteFile: join(dir, 'huashu.sqlite') });
    try {
      const r = await store.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    } finally {
      await store.close();
    }
  }

  it('a port in use at the first start: one line naming the port and PORT, exit 1, no admin yet', async () => {
    // Another program on the port (it answers HTTP, but not as Huashu).
    blocker = createServer((_req, res) => {
      res.statusCode = 418;
      res.end();
    });
    const port = await new Promise<number>((resolve) =>
      blocker?.listen(0, '127.0.0.1', () => {
        const a = blocker?.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      }),
    );
    const r = await attemptStart({ HUASHU_DATA_DIR: dir, PORT: String(port) });
    expect(r.healthy).toBe(false);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toContain(`port ${port}`);
    expect(lines[0]).toContain('PORT');
    expect(r.stdout).not.toMatch(/password/);
    expect(await countUsers()).toBe(0);
  });

  it('the next start on a free port creates the admin and prints its password; SIGTERM stops it with 0', async () => {
    server = await startServerProcess({ HUASHU_DATA_DIR: dir });
    const password = /password: (\S+)/.exec(server.output())?.[1];
    expect(password, server.output()).toBeDefined();
    await login(server.base, 'admin', password ?? '');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stderr()).not.toMatch(/\n\s+at /);
    // SIGINT (Ctrl-C) too; the admin made before is still there, and nothing is printed again.
    server = await startServerProcess({ HUASHU_DATA_DIR: dir });
    expect(server.output()).not.toMatch(/password/);
    await login(server.base, 'admin', password ?? '');
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    expect(await countUsers()).toBe(1);
  });
});
