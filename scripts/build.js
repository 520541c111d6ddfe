// `npm run build`, also run by `npm install` and `npm ci` (the `prepare` script): compiles
// src/ to dist/ (tsconfig.build.json; dist/ is emptied first so no module of a deleted source
// lingers), bundles the command line's entry dist/cli/run.js (below), then stores the parsed data of the shipped playbooks and scorecards beside the
// compiled YAML reader (src/yaml/parse-cache.ts), so that a start does not parse them again,
// and the checked shipped catalog (src/playbook/catalog.ts), so that it does not check them again,
// and the Traditional→Simplified bitmaps (src/text/simplify.ts), so that a Simplified text needs no tries.
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

// dist/cli/run.js (what `npm start` and `npx huashu` run) becomes an esbuild bundle of
// src/cli/run.ts: one file per lazily loaded command group instead of hundreds of modules,
// each resolved, read and linked by Node at start (about a third of a server start). Its
// chunks sit in dist/cli/ beside it, as deep as every compiled module, so that paths computed
// from import.meta.url (../../playbooks, ../yaml/parsed-yaml.json) hold. Left out: native and
// lazily required packages, and those that read their own files (the swagger plugins' own files,
// pino's worker transports). esbuild runs through its JS API with its platform package, so
// it needs no install script. Without esbuild the tsc output alone runs, only slower.
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.warn('build: esbuild is not installed; dist/cli/run.js is not bundled (slower starts)');
}
if (esbuild) {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/cli/run.ts'],
    outdir: 'dist/cli',
    entryNames: '[name]',
    chunkNames: 'bundle-[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    allowOverwrite: true,
    external: [
      '@fastify/cookie', // import()s the CommonJS `cookie`, whose named exports a bundle loses
      'better-sqlite3',
      'pg',
      'pino',
      'thread-stream',
      '@fastify/swagger',
      '@fastify/swagger-ui',
      'exceljs',
      'pinyin-pro',
      'yaml',
      // Loaded only with REDIS_URL (src/app/redis-state.ts); kept whole, as their authors ship them.
      'ioredis',
      'bullmq',
    ],
    // Bundled CommonJS packages call require(), which an ES module lacks.
    banner: {
      js: "import { createRequire as __huashuRequire } from 'node:module'; const require = __huashuRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
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

// The shipped playbooks loaded and checked together, keyed by their texts (src/playbook/catalog.ts).
const { CHECKED_CATALOG_FILE, checkedCatalogData } = await import('../dist/playbook/catalog.js');
const checked = checkedCatalogData(undefined, isDeepStrictEqual);
if (checked) writeFileSync(CHECKED_CATALOG_FILE, JSON.stringify(checked));
else console.warn('build: the shipped playbooks are checked at every start (their data is not plain JSON)');

// The bitmaps every normalization reads, derived from opencc-js's dictionaries (src/text/simplify.ts).
const { STORED_TABLES_FILE, storedTablesData } = await import('../dist/text/simplify.js');
writeFileSync(STORED_TABLES_FILE, JSON.stringify(storedTablesData()));

// The web UI (web/, React + antd): Vite builds it into dist/web/, which the server serves
// (src/http/web.ts). Without Vite (an install without dev dependencies) the API runs alone.
let vite;
try {
  vite = await import('vite');
} catch {
  console.warn('build: vite is not installed; the web UI (dist/web/) is not built');
}
if (vite) {
  await vite.build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
  // Each script and style also compressed (brotli and gzip) once here: the server sends the
  // file the browser accepts (@fastify/static preCompressed) instead of compressing per request.
  const { brotliCompressSync, constants, gzipSync } = await import('node:zlib');
  const assets = join(root, 'dist', 'web', 'assets');
  for (const name of readdirSync(assets).filter((f) => /\.(js|css)$/.test(f))) {
    const data = readFileSync(join(assets, name));
    writeFileSync(join(assets, `${name}.gz`), gzipSync(data, { level: 9 }));
    writeFileSync(
      join(assets, `${name}.br`),
      brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
  }
  // What the browser is sent: each chunk, what every page loads, what each lazy screen adds.
  const { chunkSizes, sizeTable } = await import('./bundle-sizes.js');
  console.log(sizeTable(chunkSizes(join(root, 'dist', 'web'))));
}
