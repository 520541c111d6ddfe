// /api/docs is built on its first request (src/http/docs.ts): it must answer as the plugins
// registered at start did, HEAD requests and unknown files included.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../support/app.ts';

describe('the API documentation, built on first request', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp('sqlite');
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers concurrent first requests with the same document of every route', async () => {
    const [a, b] = await Promise.all([
      t.app.inject({ method: 'GET', url: '/api/docs/json' }),
      t.app.inject({ method: 'GET', url: '/api/docs/json' }),
    ]);
    expect(a.statusCode).toBe(200);
    expect(b.body).toBe(a.body);
    const doc = a.json() as { paths: Record<string, Record<string, { 'x-access'?: unknown }>> };
    // Every API route, with the access rule the onRoute hook added; none of the docs' own.
    expect(doc.paths['/api/health']?.get?.['x-access']).toBe('public');
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/api/docs'))).toBe(false);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(20);
  });

  it('answers HEAD with the headers of GET, and a missing file with the API not-found error', async () => {
    const get = await t.app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui.css' });
    const head = await t.app.inject({ method: 'HEAD', url: '/api/docs/static/swagger-ui.css' });
    expect(get.statusCode).toBe(200);
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(get.rawPayload.length));
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    const missing = await t.app.inject({ method: 'GET', url: '/api/docs/static/nothing.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'not-found' });
    // Security headers as on every answer.
    expect(get.headers['x-frame-options']).toBe('DENY');
  });
});
