// Whether dist/ (the compiled build, `npm run build`) holds every source of src/ as it is now:
// each src/**/*.ts (tests aside) has its dist/**/*.js, written after the source last changed.
// About 120 stat calls, a few milliseconds, so every `huashu` start can afford the check.
// Run as a script it exits 0 when current and 1 when not (`npm start` builds first then).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sourcesCurrent(src, dist) {
  let entries;
  try {
    entries = readdirSync(src, { withFileTypes: true });
  } catch {
    return true; // no src/ (an install from a package): dist/ is all there is
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!sourcesCurrent(join(src, e.name), join(dist, e.name))) return false;
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) {
      const built = statSync(join(dist, `${e.name.slice(0, -3)}.js`), { throwIfNoEntry: false });
      if (!built || built.mtimeMs < statSync(join(src, e.name)).mtimeMs) return false;
    }
  }
  return true;
}

export function distIsCurrent(root = ROOT) {
  return sourcesCurrent(join(root, 'src'), join(root, 'dist'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  process.exitCode = distIsCurrent() ? 0 : 1;
