// The web bundle's chunks and their sizes (raw, and brotli: what the server sends, written by
// scripts/build.js beside each file), read from dist/web/ and Vite's manifest
// (dist/web/.vite/manifest.json): which chunks every page loads (the entry and its static
// imports), and which each lazily loaded screen adds. Printed by the build and by bench/web.ts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} webRoot dist/web/ */
export function chunkSizes(webRoot) {
  const assets = join(webRoot, 'assets');
  const size = (/** @type {string} */ f) =>
    existsSync(join(assets, f)) ? statSync(join(assets, f)).size : 0;
  const files = readdirSync(assets)
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => ({ file: f, raw: size(f), brotli: size(`${f}.br`) }));
  /** @type {Record<string, {file: string, src?: string, isEntry?: boolean, isDynamicEntry?: boolean, imports?: string[], css?: string[]}>} */
  const manifest = JSON.parse(readFileSync(join(webRoot, '.vite', 'manifest.json'), 'utf8'));
  /** The files a manifest key loads before it runs: itself, its static imports, their styles. */
  const closure = (/** @type {string} */ key, /** @type {Set<string>} */ seen = new Set()) => {
    const m = manifest[key];
    if (!m || seen.has(key)) return new Set();
    seen.add(key);
    const out = new Set([
      m.file.replace(/^assets\//, ''),
      ...(m.css ?? []).map((c) => c.replace(/^assets\//, '')),
    ]);
    for (const i of m.imports ?? []) for (const f of closure(i, seen)) out.add(f);
    return out;
  };
  const entryKey = Object.keys(manifest).find((k) => manifest[k]?.isEntry) ?? 'index.html';
  const first = closure(entryKey);
  /** Each lazily loaded module (a screen) and the files it adds to the first page's. */
  const lazy = Object.entries(manifest)
    .filter(([, m]) => m.isDynamicEntry)
    .map(([key]) => ({
      name: key.replace(/^src\//, '').replace(/\.[jt]sx?$/, ''),
      adds: [...closure(key)].filter((f) => !first.has(f)),
    }));
  return { files, first: [...first], lazy };
}

/** @param {ReturnType<typeof chunkSizes>} sizes */
export function sizeTable({ files, first, lazy }) {
  const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`.padStart(9);
  const by = new Map(files.map((f) => [f.file, f]));
  const sum = (/** @type {string[]} */ list) =>
    list.reduce(
      (s, f) => ({ raw: s.raw + (by.get(f)?.raw ?? 0), brotli: s.brotli + (by.get(f)?.brotli ?? 0) }),
      {
        raw: 0,
        brotli: 0,
      },
    );
  const firstSet = new Set(first);
  const row = (/** @type {string} */ name, /** @type {{raw: number, brotli: number}} */ s, note = '') =>
    `  ${name.padEnd(40)}${kb(s.raw)}${kb(s.brotli)}  ${note}`;
  const lines = [`web bundle (dist/web/assets)${' '.repeat(14)}raw   brotli`];
  const big = [...files].sort((a, b) => b.raw - a.raw).filter((f) => f.brotli >= 4096);
  for (const f of big) lines.push(row(f.file, f, firstSet.has(f.file) ? 'every page' : ''));
  const small = files.filter((f) => f.brotli < 4096);
  if (small.length > 0) lines.push(row(`${small.length} smaller files`, sum(small.map((f) => f.file))));
  lines.push(row(`all ${files.length} files`, sum(files.map((f) => f.file))));
  lines.push(row('every page (the entry and its imports)', sum(first)));
  for (const l of [...lazy].sort((a, b) => a.name.localeCompare(b.name)))
    lines.push(row(`+ ${l.name}`, sum(l.adds), 'when opened'));
  return lines.join('\n');
}
