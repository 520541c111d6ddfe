// The install is what the README promises: every package in the committed lock file runs on
// the Node.js version package.json names, so `npm ci` on the machine's Node 20 gives no
// engine warnings and no module that needs a newer Node at run time.
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
};

describe('install', () => {
  it('every locked package supports the lowest Node.js that package.json allows', () => {
    const lowest = semver.minVersion(pkg.engines.node)?.version;
    expect(lowest).toMatch(/^20\./);
    const unsupported: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
      if (!path || !range) continue;
      if (!semver.satisfies(lowest as string, range))
        unsupported.push(`${path}@${entry.version}: node ${range}`);
    }
    expect(unsupported).toEqual([]);
  });

  it('the lock file names every direct dependency at the version package.json asks for', () => {
    const wanted = { ...pkg.dependencies, ...pkg.devDependencies };
    for (const [name, range] of Object.entries(wanted)) {
      const locked = lock.packages[`node_modules/${name}`]?.version;
      expect(locked, name).toBeDefined();
      expect(semver.satisfies(locked as string, range), `${name}@${locked} for ${range}`).toBe(true);
    }
  });
});
