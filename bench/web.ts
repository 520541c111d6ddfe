// The web UI's cost to a browser: the built bundle's size (raw, gzip, brotli: what the server
// sends), and the first paint of the agent console in Debian's Chromium against the compiled
// server (`huashu serve`, SQLite, a fresh data folder), signed in: cold (a fresh profile, no
// cache) and warm (the same page reloaded, hashed assets from the cache).
//
//   npm run build && npx tsx bench/web.ts [runs=3]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { freePort } from '../test/support/server-process.ts';

const RUNS = Number(process.argv[2] ?? 3);
const ROOT = join(import.meta.dirname, '..');
const ASSETS = join(ROOT, 'dist/web/assets');
const PASSWORD = 'bench password 1';

function kb(n: number): string {
  return `${(n / 1024).toFixed(0)} KB`;
}

const files = readdirSync(ASSETS).filter((f) => /\.(js|css)$/.test(f));
const size = (f: string) => statSync(join(ASSETS, f)).size;
const entry =
  /src="\/assets\/([^"]+)"/.exec(readFileSync(join(ROOT, 'dist/web/index.html'), 'utf8'))?.[1] ?? '';
const total = (ext: string, list: string[]) => list.reduce((n, f) => n + size(`${f}${ext}`), 0);
console.log(`bundle: ${files.length} files`);
console.log(
  `  all:   raw ${kb(total('', files))}, gzip ${kb(total('.gz', files))}, brotli ${kb(total('.br', files))}`,
);
console.log(
  `  entry (${entry}): raw ${kb(size(entry))}, gzip ${kb(size(`${entry}.gz`))}, brotli ${kb(size(`${entry}.br`))}`,
);

const port = await freePort();
const data = mkdtempSync(join(tmpdir(), 'huashu-bench-web-'));
const server = spawn(process.execPath, [join(ROOT, 'dist/cli/run.js'), 'serve'], {
  env: {
    ...process.env,
    PORT: String(port),
    HUASHU_DATA_DIR: data,
    HUASHU_ADMIN_PASSWORD: PASSWORD,
    HUASHU_LOG_LEVEL: 'warn',
  },
  stdio: 'ignore',
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/api/health`)).ok) break;
  } catch {}
  if (i > 200) throw new Error('the server did not start');
  await new Promise((r) => setTimeout(r, 100));
}

interface Paint {
  fcp: number;
  ready: number;
}
async function measure(page: import('playwright-core').Page): Promise<Paint> {
  const start = Date.now();
  await page.goto(`${base}/console`);
  await page.getByTestId('main-menu').waitFor();
  const ready = Date.now() - start;
  const fcp = (await page.evaluate(
    "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1",
  )) as number;
  return { fcp: Math.round(fcp), ready };
}

const cold: Paint[] = [];
const warm: Paint[] = [];
for (let run = 0; run < RUNS; run++) {
  const profile = mkdtempSync(join(tmpdir(), 'huashu-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1366, height: 768 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Signed in by the API (the cookie lands in the browser), so the page measured is the console's.
  const login = await page.request.post(`${base}/api/auth/login`, {
    data: { username: 'admin', password: PASSWORD },
  });
  if (!login.ok()) throw new Error(`sign-in failed: ${await login.text()}`);
  cold.push(await measure(page));
  warm.push(await measure(page));
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
server.kill();
rmSync(data, { recursive: true, force: true });

// A paint the browser did not report (-1) is left out.
const median = (all: number[]) => {
  const xs = all.filter((x) => x >= 0).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)] ?? -1;
};
const show = (name: string, ps: Paint[]) =>
  console.log(
    `${name}: first contentful paint ${median(ps.map((p) => p.fcp))} ms, menu shown ${median(ps.map((p) => p.ready))} ms (median of ${ps.length}; ${ps.map((p) => `${p.fcp}/${p.ready}`).join(', ')})`,
  );
console.log(`console page (/console), load average ${loadavg()[0]?.toFixed(1)}:`);
show('  cold (fresh profile)', cold);
show('  warm (reload, cached assets)', warm);
