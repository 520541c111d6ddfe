// The real server as a separate process (`node bin/huashu.js serve`), for tests and
// benchmarks that must kill it, load it from outside, or restart it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../bin/huashu.js');

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  output(): string;
  /** What it wrote to stderr alone. */
  stderr(): string;
  /** The exit code once it has exited (null when a signal ended it). */
  exited: Promise<number | null>;
  /** SIGKILL: no shutdown code runs. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
  /** Node flags, e.g. --cpu-prof for profiling. */
  nodeArgs: string[] = [],
  /** An IPC channel to the child (`child.send`): for a bench's preloaded probe. */
  options: { ipc?: boolean } = {},
): Promise<ServerProcess> {
  // PORT in env: that port (a test that needs to know it); otherwise a free one.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', HUASHU_LOG_LEVEL: 'warn', ...env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
    err += String(d);
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start in ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    base,
    output: () => out,
    stderr: () => err,
    exited,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Signs in over HTTP and returns the headers of that session. */
export async function login(
  base: string,
  username: string,
  password: string,
): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken };
}

/** Runs `huashu <args>` to its end (a start that must fail, a CLI command): exit code and output. */
export function runHuashu(
  args: string[],
  env: Record<string, string>,
  input?: string,
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, HOST: '127.0.0.1', HUASHU_LOG_LEVEL: 'warn', NO_COLOR: '1', ...env },
    encoding: 'utf8',
    ...(input !== undefined ? { input } : { stdio: ['ignore', 'pipe', 'pipe'] }),
    // Bounds a start that hangs instead of failing: the test then fails on the signal.
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Starts `huashu serve` and waits until it exits or answers /api/health with 200 (then it is
 * stopped): for starts that must fail, without waiting out a timeout when they do not.
 */
export async function attemptStart(
  env: Record<string, string>,
): Promise<{ healthy: boolean; code: number | null; stdout: string; stderr: string }> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', HUASHU_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (!done) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) {
        child.kill('SIGKILL');
        await exited;
        return { healthy: true, code: null, stdout, stderr };
      }
    } catch {
      // not listening (yet)
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 100))]);
  }
  return { healthy: false, code: await exited, stdout, stderr };
}
