// The server serves the built web UI (src/http/web.ts): the page for every non-API GET, its
// hashed files cached for good, the page never cached, a fresh CSP nonce per page, and the
// API's JSON 404 for /api paths and missing files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { type App, buildApp } from '../../src/http/app.ts';
import { NONCE_PLACEHOLDER } from '../../src/http/web.ts';
import { sequentialIds, systemClock } from '../../src/shared/clock.ts';
import { shippedCatalog } from '../support/app.ts';
import { freshStore, type TestStore } from '../support/store.ts';

describe('the web UI served by the API server', () => {
  let root: string;
  let store: TestStore;
  let app: App;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'huashu-web-root-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(
      join(root, 'index.html'),
      `<!doctype html><meta property="csp-nonce" nonce="${NONCE_PLACEHOLDER}"><script type="module" src="/assets/app-Ab12.js" nonce="${NONCE_PLACEHOLDER}"></script>`,
    );
    writeFileSync(join(root, 'assets', 'app-Ab12.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'app-Ab12.js.br'), brotliCompressSync('console.log(1)'));
    writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    store = await freshStore('sqlite');
    app = await buildApp({
      config: loadConfig({ HUASHU_DATA_DIR: store.dataDir ?? '/tmp' }),
      store,
      catalog: shippedCatalog(),
      clock: systemClock,
      ids: sequentialIds(),
      webRoot: root,
    });
  });
  afterAll(async () => {
    await app?.close();
    await store?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers the page for / and any screen path, never cached, with a fresh nonce in the page and its CSP', async () => {
    const nonces = new Set<string>();
    for (const url of ['/', '/tickets/id-1?tab=history', '/admin/users']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      const nonce = /nonce="([^"]+)"/.exec(res.body)?.[1] ?? '';
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(res.body).not.toContain(NONCE_PLACEHOLDER);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("script-src 'self'");
      nonces.add(nonce);
    }
    expect(nonces.size).toBe(3);
  });

  it('serves hashed assets as immutable and other files revalidated', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/app-Ab12.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    const etag = String(asset.headers.etag);
    const again = await app.inject({
      method: 'GET',
      url: '/assets/app-Ab12.js',
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    // Compressed at build time: sent as brotli to a browser that takes it.
    const br = await app.inject({
      method: 'GET',
      url: '/assets/app-Ab12.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe('console.log(1)');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('keeps the JSON 404 for unknown API paths, missing assets and other methods', async () => {
    for (const [method, url] of [
      ['GET', '/api/nothing-here'],
      ['GET', '/api'],
      ['GET', '/assets/app-Old1.js'],
      ['POST', '/tickets'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ code: 'not-found' });
    }
  });
});

describe('a server whose web UI is not built', () => {
  it('answers / with the JSON 404 (the API works alone)', async () => {
    const store = await freshStore('sqlite');
    const app = await buildApp({
      config: loadConfig({ HUASHU_DATA_DIR: store.dataDir ?? '/tmp' }),
      store,
      catalog: shippedCatalog(),
      clock: systemClock,
      ids: sequentialIds(),
      webRoot: join(tmpdir(), 'huashu-no-such-web-root'),
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'not-found' });
    } finally {
      await app.close();
      await store.drop();
    }
  });
});
