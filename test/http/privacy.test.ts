// Privacy and exposure of the running app: what reaches the log, who reads /metrics, the
// security headers a browser and a scanner see, and the OpenAPI document saying who may call
// each route. None of this touches stored data, so it runs on SQLite only; the exports (which
// do) are in test/http/export-privacy.test.ts on both engines.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { type App, buildApp } from '../../src/http/app.ts';
import { FixedClock, sequentialIds } from '../../src/shared/clock.ts';
import { START, shippedCatalog, signInAs, type TestApp, testApp } from '../support/app.ts';
import { freshStore, type TestStore } from '../support/store.ts';

const TOKEN = 'metrics-token-0123456789abcdef';

let t: TestApp | undefined;
let logged: { app: App; store: TestStore } | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  if (logged) {
    await logged.app.close();
    await logged.store.drop();
    logged = undefined;
  }
});

/** An app that logs (at debug level) into a string. */
async function appWithLog(): Promise<{ app: App; log: () => string }> {
  const store = await freshStore('sqlite');
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = await buildApp({
    config: loadConfig({ HUASHU_DATA_DIR: store.dataDir ?? '/tmp', HUASHU_LOG_LEVEL: 'debug' }),
    store,
    catalog: shippedCatalog(),
    clock: new FixedClock(START),
    ids: sequentialIds('id'),
    logStream,
  });
  logged = { app, store };
  return { app, log: () => lines.join('') };
}

describe('the request log', () => {
  it('masks phone numbers however a request URL spells them', async () => {
    const { app, log } = await appWithLog();
    const urls = [
      '/api/customers/13957246810/history',
      '/api/customers/139%205724%206810/history',
      '/api/calls?phone=139+5724+6810',
      '/api/calls?phone=%2B86%20139-5724-6810',
      `/api/calls?phone=${encodeURIComponent('１３９５７２４６８１０')}`,
      '/api/calls?phone=%28010%29%206552%201234',
      '/api/customers?idNumber=11010119900307451X',
      '/api/no-such-route/0086-139-5724-6810',
    ];
    for (const url of urls) await app.inject({ method: 'GET', url });
    const text = log();
    // Every request was logged, with its URL…
    expect(text.match(/"url":/g)?.length).toBeGreaterThanOrEqual(urls.length);
    // …masked: no middle digits of any of the numbers, in any spelling.
    // The log lines' own numbers (epoch milliseconds, pid, response time) are left out: on 2026-12-06
    // the clock itself read 1796552…, holding 6552.
    const digits = text
      .replace(/"(time|pid|responseTime)":[\d.]+/g, '')
      .replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    for (const middle of ['5724', '6552', '19900307']) expect(digits).not.toContain(middle);
    expect(text).toContain('/api/customers/139****6810/history');
    expect(text).toContain('/api/calls?phone=139****6810');
    expect(text).toContain('010-****1234');
    expect(text).toContain('110101********451X');
  });
});

describe('/metrics', () => {
  it('answers 404 when no HUASHU_METRICS_TOKEN is set', async () => {
    t = await testApp('sqlite');
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not-found' });
    expect(res.body).not.toContain('huashu_http_request_duration_seconds');
  });

  it('with a token set, needs Authorization: Bearer <that token>', async () => {
    t = await testApp('sqlite', { HUASHU_METRICS_TOKEN: TOKEN });
    const none = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'unauthenticated' });
    expect(none.json().message).toContain('HUASHU_METRICS_TOKEN');
    expect(none.headers['www-authenticate']).toContain('Bearer');
    for (const wrong of [`${TOKEN}x`, TOKEN.slice(0, -1), 'x', '']) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${wrong}` },
      });
      expect(res.statusCode, wrong).toBe(401);
      expect(res.body).not.toContain('huashu_');
    }
    // A session cookie is not enough either, not even an admin's.
    const admin = await signInAs(t, 'admin');
    const session = await t.app.inject({ method: 'GET', url: '/metrics', headers: admin.headers });
    expect(session.statusCode).toBe(401);
    const ok = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('huashu_http_request_duration_seconds');
    // The metrics token is not an API token: it opens nothing else.
    const api = await t.app.inject({
      method: 'GET',
      url: '/api/tickets',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(api.statusCode).toBe(401);
  });

  it('refuses a short token at start, naming the variable', () => {
    expect(() => loadConfig({ HUASHU_METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ HUASHU_METRICS_TOKEN: 'short' })).toThrow(/HUASHU_METRICS_TOKEN/);
  });
});

describe('security headers', () => {
  function expectSecurityHeaders(headers: Record<string, unknown>, what: string) {
    expect(headers['x-content-type-options'], what).toBe('nosniff');
    expect(headers['x-frame-options'], what).toBe('DENY');
    expect(String(headers['content-security-policy']), what).toContain("frame-ancestors 'none'");
    expect(String(headers['content-security-policy']), what).toContain("script-src 'self'");
    expect(String(headers['content-security-policy']), what).toContain("object-src 'none'");
    expect(headers['referrer-policy'], what).toBe('no-referrer');
    expect(headers['x-powered-by'], what).toBeUndefined();
  }

  it('on answers, errors included; no HSTS over plain HTTP', async () => {
    t = await testApp('sqlite');
    const answers = [
      await t.app.inject({ method: 'GET', url: '/api/health' }),
      await t.app.inject({ method: 'GET', url: '/api/tickets' }), // 401
      await t.app.inject({ method: 'GET', url: '/api/nothing-here' }), // 404
      await t.app.inject({ method: 'GET', url: '/api/docs/json' }),
    ];
    for (const res of answers) {
      expectSecurityHeaders(res.headers, `${res.statusCode} ${res.body.slice(0, 40)}`);
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(String(res.headers['content-security-policy'])).not.toContain('upgrade-insecure-requests');
    }
  });

  it('HSTS and upgrade-insecure-requests behind HTTPS (HUASHU_SECURE_COOKIES=true)', async () => {
    t = await testApp('sqlite', { HUASHU_SECURE_COOKIES: 'true' });
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expectSecurityHeaders(res.headers, 'health');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
  });

  it('the Swagger UI at /api/docs still loads everything its page asks for under the CSP', async () => {
    t = await testApp('sqlite');
    let res = await t.app.inject({ method: 'GET', url: '/api/docs' });
    let base = '/api/docs';
    if (res.statusCode === 302) {
      base = String(res.headers.location);
      res = await t.app.inject({ method: 'GET', url: base });
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const csp = String(res.headers['content-security-policy']);
    const html = res.body;
    // No inline script and no event-handler attributes: script-src 'self' and
    // script-src-attr 'none' would block them.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
    // Every script and stylesheet is ours (same origin), and is served.
    const assets = [
      ...[...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => ({
        url: m[1] ?? '',
        type: 'javascript',
      })),
      ...[...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => ({
        url: m[1] ?? '',
        type: 'css',
      })),
    ];
    expect(assets.length).toBeGreaterThanOrEqual(4);
    const origin = 'http://localhost';
    for (const asset of assets) {
      const url = new URL(asset.url, `${origin}${base}`);
      expect(url.origin, asset.url).toBe(origin); // allowed by 'self'
      const got = await t.app.inject({ method: 'GET', url: url.pathname });
      expect(got.statusCode, url.pathname).toBe(200);
      expect(String(got.headers['content-type']), url.pathname).toContain(asset.type);
    }
    // The initializer fetches the document from the same origin (connect-src 'self').
    const init = assets.find((a) => a.url.endsWith('swagger-initializer.js'));
    expect(init).toBeDefined();
    const js = await t.app.inject({
      method: 'GET',
      url: new URL(init?.url ?? '', `${origin}${base}`).pathname,
    });
    expect(js.body).toContain("resolveUrl('./json')");
    expect(js.body).toContain('validatorUrl: null'); // no image from validator.swagger.io
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("img-src 'self' data:"); // the logo is a data: URI
    expect(csp).toContain("style-src 'self' 'unsafe-inline'"); // swagger-ui sets inline styles
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('the OpenAPI document says who may call each route', () => {
  it('every operation carries x-access and "Who may call", matching the route table', async () => {
    t = await testApp('sqlite');
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, { description?: string; 'x-access'?: unknown }>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(40);
    const table = new Map(
      t.app.routeTable.map((r) => [`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r.access]),
    );
    for (const { key, op } of operations) {
      expect(table.has(key), key).toBe(true);
      expect(op['x-access'], key).toEqual(table.get(key));
      expect(op.description, key).toMatch(/Who may call: \S/);
    }
    // Spot checks of the words.
    const byKey = new Map(operations.map((o) => [o.key, o.op]));
    expect(byKey.get('POST /api/auth/login')?.description).toContain(
      'Who may call: anyone, without signing in',
    );
    expect(byKey.get('GET /api/exports/tickets.csv')?.description).toContain(
      'Who may call: team lead / coordinator, room director, complaint desk, admin, QA inspector',
    );
    expect(byKey.get('GET /api/exports/tickets.csv')?.['x-access']).toEqual([
      'team-lead',
      'room-director',
      'complaint-desk',
      'admin',
      'qa-inspector',
    ]);
    // Every documented route of the table is in the document.
    const documented = new Set(operations.map((o) => o.key));
    for (const key of table.keys())
      if (key.includes(' /api/') && !key.includes('/api/docs')) expect(documented.has(key), key).toBe(true);
  });
});
