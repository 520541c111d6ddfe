// `npm run screenshots`: photographs every screen (test/web/screens.test.ts, a real server and
// Debian's Chromium; dist/web/ must be built) into test-results/screenshots/, then copies the
// README's two into docs/screenshots/. Stops with the reason when a photo is missing (the
// browser tests skipped) or too large to commit (over 300 KB).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const from = join(root, 'test-results', 'screenshots');
const to = join(root, 'docs', 'screenshots');
const README_SHOTS = ['console-call.png', 'ticket-detail.png'];
const MAX_BYTES = 300 * 1024;

const vitest = createRequire(import.meta.url).resolve('vitest/vitest.mjs');
try {
  execFileSync(process.execPath, [vitest, 'run', 'test/web/screens.test.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
} catch {
  process.exit(1); // vitest has said what failed
}
mkdirSync(to, { recursive: true });
for (const name of README_SHOTS) {
  const file = join(from, name);
  if (!existsSync(file)) {
    console.error(
      `screenshots: ${file} was not taken (did the browser tests skip? they need /usr/bin/chromium and a built dist/web/)`,
    );
    process.exit(1);
  }
  const size = statSync(file).size;
  if (size > MAX_BYTES) {
    console.error(
      `screenshots: ${name} is ${Math.round(size / 1024)} KB, over the ${MAX_BYTES / 1024} KB a committed picture may weigh`,
    );
    process.exit(1);
  }
  copyFileSync(file, join(to, name));
  console.log(`screenshots: docs/screenshots/${name} (${Math.round(size / 1024)} KB)`);
}
