// Start-up time of the command line and the server: the compiled build (dist/, what
// bin/huashu.js and npm start run) beside the TypeScript sources through tsx (what they ran
// before the build existed, and still run when dist/ is older than src/). Median of 5 each:
//   CLI   `huashu playbook list --json`, from the process start to its exit
//   QA    `huashu qa <one example call> --json`, likewise
//   serve `huashu serve` on SQLite in a fresh data folder, until /api/health answers 200
//         (a first start: migrations, and the first admin's password hashed with scrypt);
//         and again on a data folder a start has already set up (a restart)
//
//   npm run build && npx tsx bench/startup.ts [runs=5] [root=.] [baseline]
// `root` may name another checkout (with its own node_modules and build) to compare with it.
// With `baseline` (another checkout, built), its compiled build takes the place of the
// sources through tsx: before and after a change, measured alternately in one run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../test/support/server-process.ts';

const RUNS = Number(process.argv[2] ?? 5);
const ROOT = resolve(process.argv[3] ?? join(import.meta.dirname, '..'));
const EXAMPLE = join(ROOT, 'examples/cy-angry-no-apology.json');

interface Way {
  name: string;
  /** Node arguments before the huashu command. */
  args: string[];
}

const COMPILED: Way = { name: 'compiled (dist/)', args: [join(ROOT, 'dist/cli/run.js')] };
const BASELINE = process.argv[4] ? resolve(process.argv[4]) : undefined;
const SOURCES: Way = BASELINE
  ? { name: `baseline ${BASELINE}`, args: [join(BASELINE, 'dist/cli/run.js')] }
  : {
      name: 'sources through tsx',
      args: existsSync(join(ROOT, 'src/cli/run.ts'))
        ? ['--import', 'tsx/esm', join(ROOT, 'src/cli/run.ts')]
        : [join(ROOT, 'bin/huashu.js')], // a checkout from before the build: its bin runs tsx
    };

const ENV = { ...process.env, HUASHU_LOG_LEVEL: 'warn', NO_COLOR: '1', HOST: '127.0.0.1' };

function runToExit(way: Way, command: string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, [...way.args, ...command], { cwd: ROOT, env: ENV, stdio: 'ignore' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${way.name} ${command.join(' ')}: exit ${r.status}`);
  return ms;
}

async function serverStart(way: Way, restart = false): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'huashu-startup-'));
  try {
    if (restart) await startIn(way, dir); // sets the folder up, not measured
    return await startIn(way, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startIn(way: Way, dir: string): Promise<number> {
  const port = await freePort();
  const start = performance.now();
  const child = spawn(process.execPath, [...way.args, 'serve'], {
    cwd: ROOT,
    env: { ...ENV, PORT: String(port), HUASHU_DATA_DIR: dir, HUASHU_ADMIN_PASSWORD: 'startup-bench-pw-1' },
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${way.name} serve exited with ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200)
          return performance.now() - start;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const cases: { name: string; target: number; measure: (way: Way) => Promise<number> | number }[] = [
  {
    name: 'huashu playbook list --json',
    target: 400,
    measure: (w) => runToExit(w, ['playbook', 'list', '--json']),
  },
  {
    name: 'huashu qa <one call> --json',
    target: 400,
    measure: (w) => runToExit(w, ['qa', EXAMPLE, '--json']),
  },
  { name: 'huashu serve (SQLite) to /api/health 200', target: 1000, measure: (w) => serverStart(w) },
  {
    name: 'huashu serve, a restart (data folder set up)',
    target: 1000,
    measure: (w) => serverStart(w, true),
  },
];

if (!existsSync(COMPILED.args[0] as string))
  throw new Error(`no ${COMPILED.args[0]}: run npm run build first`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`root ${ROOT}, ${RUNS} runs each, load average before: ${load()}`);
const other = BASELINE ? 'baseline' : 'tsx';
console.log(`| what | compiled: median | ${other}: median | ${other} / compiled | target |`);
console.log('|---|---|---|---|---|');
for (const c of cases) {
  const compiled: number[] = [];
  const sources: number[] = [];
  // Alternated, so that a change in the machine's load touches both alike.
  for (let i = 0; i < RUNS; i++) {
    compiled.push(await c.measure(COMPILED));
    sources.push(await c.measure(SOURCES));
  }
  const a = median(compiled);
  const b = median(sources);
  console.log(
    `| ${c.name} | ${a.toFixed(0)} ms | ${b.toFixed(0)} ms | ${(b / a).toFixed(1)}× | < ${c.target} ms ${a < c.target ? 'met' : 'MISSED'} |`,
  );
}
console.log(`load average after: ${load()}`);
