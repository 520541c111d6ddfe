// A PostgreSQL cluster of the test's own: initdb into a temporary folder and pg_ctl on a free
// port, with the machine's PostgreSQL binaries, so a test can stop and start it under a
// running server without disturbing the machine's PostgreSQL (5432) or the other tests.
// PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the `postgres` user.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../support/server-process.ts';

export interface OwnPostgres {
  /** DATABASE_URL of a fresh database "huashu" in it. */
  url: string;
  stop(): void;
  start(): void;
  /** Stops it (if running) and deletes its folder. */
  destroy(): void;
}

function binDir(): string {
  const fromEnv = process.env.HUASHU_TEST_PG_BIN;
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter(
          (v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')),
        )
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined)
    throw new Error(
      'PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb and pg_ctl): install the PostgreSQL server package, or set HUASHU_TEST_PG_BIN to the folder that holds initdb and pg_ctl',
    );
  return join(root, newest, 'bin');
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'huashu-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) => {
    const [cmd, all] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
      : [join(bin, tool), args];
    try {
      execFileSync(cmd, all, { stdio: 'pipe', cwd: dir, timeout: 120_000 });
    } catch (err) {
      const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '';
      throw new Error(
        `${tool} ${args.join(' ')} failed: ${(err as { stderr?: Buffer }).stderr ?? err}\n${log}`,
      );
    }
  };
  const data = join(dir, 'data');
  const port = await freePort();
  let running = false;
  const start = () => {
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-t',
      '120',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
    running = true;
  };
  const stop = () => {
    run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '120', 'stop']);
    running = false;
  };
  const destroy = () => {
    if (running) {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already gone
      }
      running = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('initdb', ['-D', data, '-U', 'root', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
    start();
    const admin = new pg.Client({ connectionString: `postgres://root@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query('create database huashu');
    await admin.end();
  } catch (err) {
    destroy();
    throw err;
  }
  return { url: `postgres://root@127.0.0.1:${port}/huashu`, stop, start, destroy };
}
