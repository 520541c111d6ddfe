// Browser tests: a real Huashu server (in this process, real SQLite file, listening on a port)
// serving the built UI (dist/web/, `npm run build`), and Debian's Chromium driven by
// playwright-core (never a downloaded browser). Each browser gets a fresh profile; a failing
// test leaves a screenshot in a temp folder (its path is printed).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import type { UserRole } from '../../src/accounts/roles.ts';
import { WEB_ROOT } from '../../src/http/web.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';

export const CHROMIUM = process.env.HUASHU_CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'correct horse 1';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests cannot run here, or undefined when they can. */
export function missingForBrowserTests(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium fonts-wqy-microhei)`;
  if (!existsSync(join(WEB_ROOT, 'index.html'))) return 'dist/web/ is not built (npm run build)';
  return undefined;
}

export interface WebServer {
  t: TestApp;
  base: string;
  close(): Promise<void>;
}

/**
 * A listening server on a fresh SQLite file. Its clock is fixed (tests move it to cause a
 * breach) and starts at the real time: the browser drops a session cookie whose expiry,
 * counted from the server's clock, is already past.
 */
export async function startServer(
  options: { ownCatalog?: boolean; env?: Record<string, string> } = {},
): Promise<WebServer> {
  const t = await testApp('sqlite', options.env ?? {}, options);
  t.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
  // Domain events delivered, as the server does (the notification stream needs them).
  await t.app.services.events.start();
  const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { t, base, close: () => t.close() };
}

/** A user of the role, created by the server's own account service (password PASSWORD). */
export async function createUser(
  server: WebServer,
  role: UserRole,
  username: string = role,
): Promise<Session> {
  return signInAs(server.t, role, username);
}

export interface Browser {
  page: Page;
  context: BrowserContext;
  /** Console errors and CSP violations the page reported. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * Chromium with a fresh profile, closed when the current test ends; a screenshot of the page
 * if it fails.
 */
export async function openBrowser(
  options: {
    viewport?: { width: number; height: number };
    /** Lets a test inject a script (axe-core) into a page whose CSP is `script-src 'self'`. */
    bypassCSP?: boolean;
  } = {},
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'huashu-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: options.viewport ?? { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Europe/London', // not the brands' zone: dates must follow the brand, not the browser
    ...(options.bypassCSP ? { bypassCSP: true } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  // A failed test's page is photographed, then the browser closes (after afterEach hooks).
  onTestFinished(async ({ task }) => {
    if (task.result?.state === 'fail' && !closed) {
      const file = join(mkdtempSync(join(tmpdir(), 'huashu-web-failure-')), 'page.png');
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`browser test failed: screenshot ${file} (url ${page.url()})`);
    }
    await close();
  });
  return { page, context, problems, close };
}

/** Where the browser tests leave their screenshots (CI keeps the folder; git ignores it). */
export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

/**
 * A screenshot of what the user sees (the 1366×768 viewport) as test-results/screenshots/<name>.png,
 * once the page is still: no spinner, no animation half-way, the fonts loaded.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await page.evaluate('document.fonts.ready.then(() => undefined)');
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  return file;
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary: string; html: string }[];
}

/**
 * Runs axe-core (WCAG 2 A/AA rules and best practices) on the page as it is and returns the
 * violations of impact serious or critical. The page's browser needs `bypassCSP` (axe is
 * injected as a script element, which `script-src 'self'` refuses).
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.addScriptTag({ path: AXE });
  // The colours measured are the ones at rest, not half-way through a transition (a button
  // just enabled, a dialog fading in): wait until no CSS transition or animation runs.
  await page.evaluate(`new Promise((done) => {
    const until = Date.now() + 5000;
    const check = () => document.getAnimations().every((a) => a.playState !== 'running') || Date.now() > until
      ? done(undefined) : requestAnimationFrame(check);
    check();
  })`);
  const result = (await page.evaluate(`axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    resultTypes: ['violations'],
  }).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary || '', html: n.html })),
  })))`)) as AxeViolation[];
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The violations as a reader wants them in a failed test: rule, impact, help, each element. */
export function describeViolations(where: string, violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${where}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .map(
            (n) =>
              `    at ${n.target.join(' ')}\n      ${n.html.slice(0, 160)}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`,
          )
          .join('\n'),
    )
    .join('\n');
}
