// The web UI's cost to a browser, in one run against the compiled server (`huashu serve`,
// SQLite, a fresh data folder, the softphone on) and Debian's Chromium (playwright-core):
//   - the bundle: each chunk's size (raw, brotli: what the server sends), and what the console
//     page and a back-office page load;
//   - first load of the agent console, signed in (an agent): a fresh browser context each time
//     (nothing cached), from the navigation's start to the console shown and to its socket
//     online, timed in the page (performance.now(), by a MutationObserver set before any script);
//     and the page's main-thread time until then (Chromium's Performance metrics: all tasks,
//     scripts), which a loaded machine inflates less than the wall-clock times;
//   - the same for a back-office page (the ticket list);
//   - a typed turn → its alert on screen: an agent turn with a forbidden phrase typed in the
//     console of a practice call, from the Enter key's event to the frame after the alert
//     element enters the page (performance.now() in the page), N turns.
//
//   npm run build && npx tsx bench/web.ts [loads=20] [turns=60]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { chunkSizes, sizeTable } from '../scripts/bundle-sizes.js';
import { login, startServerProcess } from '../test/support/server-process.ts';

const LOADS = Number(process.argv[2] ?? 20);
const TURNS = Math.max(50, Number(process.argv[3] ?? 60));
const ROOT = join(import.meta.dirname, '..');
const ADMIN_PASSWORD = 'bench password 1';
const AGENT_PASSWORD = 'bench agent pw 1';

console.log(sizeTable(chunkSizes(join(ROOT, 'dist/web'))));

const data = mkdtempSync(join(tmpdir(), 'huashu-bench-web-'));
const server = await startServerProcess(
  {
    HUASHU_DATA_DIR: data,
    HUASHU_ADMIN_PASSWORD: ADMIN_PASSWORD,
    HUASHU_SOFTPHONE: 'on',
  },
  60_000,
);
const base = server.base;
const admin = await login(base, 'admin', ADMIN_PASSWORD);
const created = await fetch(`${base}/api/users`, {
  method: 'POST',
  headers: { ...admin, 'content-type': 'application/json' },
  body: JSON.stringify({
    username: 'bench-agent',
    displayName: '李娜',
    role: 'agent',
    agentNumber: '1024',
    brand: 'zhonghua',
    password: AGENT_PASSWORD,
  }),
});
if (created.status !== 201) throw new Error(`creating the agent: ${await created.text()}`);

const browser: Browser = await chromium.launch({
  executablePath: process.env.HUASHU_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

/** Set before any script of the page: the time each selector first matches. */
const marksScript = (marks: Record<string, string>) => `
  window.__marks = {};
  const want = ${JSON.stringify(marks)};
  const check = () => {
    for (const [name, selector] of Object.entries(want))
      if (!(name in window.__marks) && document.querySelector(selector)) window.__marks[name] = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
`;

/** What the scripts set in the page (the bench's tsconfig has no DOM types). */
interface Marked {
  __marks?: Record<string, number>;
  __turn?: { start: number; shown?: number; frame?: number } | null;
}

interface Load {
  marks: Record<string, number>;
  fcp: number;
  /** The page's main-thread time (Chromium's Performance metrics) until the last mark: all tasks, scripts. */
  taskMs: number;
  scriptMs: number;
  /** Bytes of scripts and styles the page fetched (encoded, as sent). */
  sent: number;
  requests: number;
}

async function signedInPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const res = await context.request.post(`${base}/api/auth/login`, {
    data: { username: 'bench-agent', password: AGENT_PASSWORD },
  });
  if (!res.ok()) throw new Error(`sign-in failed: ${await res.text()}`);
  return context.newPage();
}

async function firstLoad(path: string, marks: Record<string, string>): Promise<Load> {
  const page = await signedInPage();
  await page.addInitScript(marksScript(marks));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${base}${path}`);
  const last = Object.keys(marks).at(-1) ?? '';
  // A function, not a string: the page's CSP refuses eval.
  await page.waitForFunction((name) => name in ((globalThis as Marked).__marks ?? {}), last, {
    timeout: 30_000,
  });
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  const out = (await page.evaluate(`(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1;
    const assets = performance.getEntriesByType('resource').filter((r) => /\\/assets\\//.test(r.name));
    return { marks: window.__marks, fcp, sent: assets.reduce((n, r) => n + r.encodedBodySize, 0), requests: performance.getEntriesByType('resource').length };
  })()`)) as Omit<Load, 'taskMs' | 'scriptMs'>;
  await page.context().close();
  return { ...out, taskMs: metric('TaskDuration'), scriptMs: metric('ScriptDuration') };
}

const pct = (xs: number[], p: number) => {
  const s = xs.filter((x) => x >= 0).sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? -1) : -1;
};
const ms = (x: number) => `${Math.round(x).toLocaleString('en')} ms`;
const kb = (n: number) => `${Math.round(n / 1024).toLocaleString('en')} KB`;

async function loads(name: string, path: string, marks: Record<string, string>) {
  await firstLoad(path, marks); // one load not counted: the server's first answers (its files read)
  const all: Load[] = [];
  for (let i = 0; i < LOADS; i++) all.push(await firstLoad(path, marks));
  console.log(
    `${name} (${path}), first load in a fresh context ×${LOADS}, load average ${loadavg()[0]?.toFixed(1)}:`,
  );
  const row = (label: string, xs: number[]) =>
    console.log(
      `  ${label.padEnd(22)} median ${ms(pct(xs, 50)).padStart(8)}   p95 ${ms(pct(xs, 95)).padStart(8)}`,
    );
  row(
    'first contentful paint',
    all.map((l) => l.fcp),
  );
  for (const m of Object.keys(marks))
    row(
      m,
      all.map((l) => l.marks[m] ?? -1),
    );
  // CPU time, not wall time: what a loaded machine inflates least.
  row(
    'main thread: all tasks',
    all.map((l) => l.taskMs),
  );
  row(
    'main thread: scripts',
    all.map((l) => l.scriptMs),
  );
  console.log(`  scripts and styles sent: ${kb(all[0]?.sent ?? 0)} (brotli), ${all[0]?.requests} requests`);
}

await loads('console', '/console', {
  'console shown': '[data-testid="console"]',
  'socket online': '[data-testid="connection"][data-connection="online"]',
});
await loads('back office', '/tickets', {
  'ticket list shown': '[data-testid="ticket-list"]',
});

// Typed turn → alert on screen, in one console kept open (practice calls of 10 turns each).
const page = await signedInPage();
await page.goto(`${base}/console`);
await page.locator('[data-testid="connection"][data-connection="online"]').waitFor({ timeout: 30_000 });
await page.evaluate(`(() => {
  window.__turn = null;
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && e.target?.dataset?.testid === 'turn-input')
      window.__turn = { start: e.timeStamp, alerts: document.querySelectorAll('[data-testid="alert"]').length };
  }, true);
  new MutationObserver(() => {
    const t = window.__turn;
    if (t && t.shown === undefined && document.querySelectorAll('[data-testid="alert"]').length > t.alerts) {
      t.shown = performance.now();
      requestAnimationFrame(() => { t.frame = performance.now(); });
    }
  }).observe(document.body, { subtree: true, childList: true });
})()`);
const input = page.getByTestId('turn-input');
const status = (s: string) => page.locator(`[data-testid="call-status"][data-status="${s}"]`);
const startCall = async () => {
  await page.getByTestId('practice-open').click();
  await page.getByTestId('practice-ring').click();
  await status('ringing').waitFor();
  await page.getByTestId('control-answer').click();
  await status('talking').waitFor();
};
const turnTimes: number[] = [];
const domTimes: number[] = [];
for (let i = 0; i < TURNS; i++) {
  if (i % 10 === 0) {
    if (i > 0) {
      await page.getByTestId('control-hangup').click();
      await status('ended').waitFor();
    }
    await startCall();
  }
  await input.fill(`这个我也不知道，第${i + 1}次`);
  await input.press('Enter');
  await page.waitForFunction(() => (globalThis as Marked).__turn?.frame !== undefined, undefined, {
    timeout: 10_000,
  });
  const t = (await page.evaluate('window.__turn')) as { start: number; shown: number; frame: number };
  turnTimes.push(t.frame - t.start);
  domTimes.push(t.shown - t.start);
  await page.evaluate('window.__turn = null');
}
await page.context().close();
console.log(`typed turn → alert on screen ×${TURNS}, load average ${loadavg()[0]?.toFixed(1)}:`);
console.log(`  in the page (DOM)      median ${ms(pct(domTimes, 50))}   p95 ${ms(pct(domTimes, 95))}`);
console.log(
  `  next frame             median ${ms(pct(turnTimes, 50))}   p95 ${ms(pct(turnTimes, 95))}   max ${ms(Math.max(...turnTimes))}`,
);

await browser.close();
await server.stop();
rmSync(data, { recursive: true, force: true });
