// The build's size table (scripts/bundle-sizes.js, printed by `npm run build` and bench/web.ts):
// which files every page loads (the entry and its static imports, their styles) and what each
// lazily loaded screen adds, from Vite's manifest; sizes raw and brotli (the .br beside each).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkSizes, sizeTable } from '../../scripts/bundle-sizes.js';

describe('the bundle size table', () => {
  const root = mkdtempSync(join(tmpdir(), 'huashu-bundle-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'assets'));
  mkdirSync(join(root, '.vite'));
  const file = (name: string, raw: number, brotli: number) => {
    writeFileSync(join(root, 'assets', name), 'x'.repeat(raw));
    writeFileSync(join(root, 'assets', `${name}.br`), 'x'.repeat(brotli));
  };
  file('index-A.js', 80_000, 20_000);
  file('libs-B.js', 700_000, 180_000);
  file('libs-C.css', 900_000, 70_000);
  file('table-D.js', 150_000, 40_000);
  file('list-E.js', 10_000, 3_000);
  file('login-F.js', 2_000, 1_000);
  writeFileSync(
    join(root, '.vite', 'manifest.json'),
    JSON.stringify({
      'index.html': {
        file: 'assets/index-A.js',
        isEntry: true,
        imports: ['_libs-B.js'],
        dynamicImports: ['src/backoffice/tickets/list.tsx', 'src/pages/login.tsx'],
      },
      '_libs-B.js': { file: 'assets/libs-B.js', css: ['assets/libs-C.css'] },
      '_table-D.js': { file: 'assets/table-D.js', imports: ['_libs-B.js'] },
      'src/backoffice/tickets/list.tsx': {
        file: 'assets/list-E.js',
        isDynamicEntry: true,
        imports: ['_table-D.js', '_libs-B.js'],
      },
      'src/pages/login.tsx': { file: 'assets/login-F.js', isDynamicEntry: true, imports: ['_libs-B.js'] },
    }),
  );

  it('counts what every page loads and what each lazy screen adds to it', () => {
    const sizes = chunkSizes(root);
    expect(sizes.first.sort()).toEqual(['index-A.js', 'libs-B.js', 'libs-C.css']);
    expect(sizes.lazy).toContainEqual({ name: 'backoffice/tickets/list', adds: ['list-E.js', 'table-D.js'] });
    expect(sizes.lazy).toContainEqual({ name: 'pages/login', adds: ['login-F.js'] });
    const table = sizeTable(sizes);
    // Every page: 80 + 700 + 900 KB raw (1,680,000 bytes), 20 + 180 + 70 brotli.
    expect(table).toMatch(/every page \(the entry and its imports\)\s+1641 KB\s+264 KB/);
    expect(table).toMatch(/\+ backoffice\/tickets\/list\s+156 KB\s+42 KB\s+when opened/);
    expect(table).toMatch(/libs-B\.js\s+684 KB\s+176 KB\s+every page/);
    // Files under 4 KB brotli are summed on one line.
    expect(table).toMatch(/2 smaller files\s+12 KB\s+3\.9 KB/);
  });
});
