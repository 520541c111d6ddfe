// `npm run build`, also run by `npm install` and `npm ci` (the `prepare` script): compiles
// src/ to dist/ (tsconfig.build.json; dist/ is emptied first so no module of a deleted source
// lingers), then stores the parsed data of the shipped playbooks and scorecards beside the
// compiled YAML reader (src/yaml/parse-cache.ts), so that a start does not parse them again.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
} catch {
  process.exit(1); // tsc has printed the errors
}

const { cleanYamlData } = await import('../dist/yaml/validated-yaml.js');
const { BUILT_CACHE_FILE, textKey } = await import('../dist/yaml/parse-cache.js');
const cache = {};
for (const dir of ['playbooks', 'scorecards']) {
  for (const name of readdirSync(join(root, dir)).filter((f) => /\.ya?ml$/.test(f))) {
    const text = readFileSync(join(root, dir, name), 'utf8');
    const data = cleanYamlData(text);
    // Only data that JSON keeps exactly (no Infinity, no dates): anything else is parsed at run time.
    if (data !== undefined && isDeepStrictEqual(JSON.parse(JSON.stringify(data)), data))
      cache[textKey(text)] = data;
  }
}
writeFileSync(BUILT_CACHE_FILE, JSON.stringify(cache));
