// Malformed, oversized and hostile requests against a real listening server: each gets a
// clear 4xx, the server stays up, and the stored data is untouched.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom as rng } from '../../src/shared/random.ts';
import { signInAs, type TestApp, testApp } from '../support/app.ts';

let t: TestApp;
let base: string;
let port: number;
let adminHeaders: Record<string, string>;

beforeAll(async () => {
  t = await testApp('sqlite');
  const s = await signInAs(t, 'admin');
  adminHeaders = s.headers;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await t.close();
});

const HOSTILE_STRINGS = [
  "' OR '1'='1' --",
  "admin'; DROP TABLE users; --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  `\${7*7}{{7*7}}`,
  '../../../../etc/passwd',
  '\u0000\u0001\u0002',
  '😀'.repeat(1000),
  '你'.repeat(5000),
  'A'.repeat(300_000),
];

function bodies(r: () => number): { body: string | Buffer; contentType: string }[] {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)] as T;
  const s = pick(HOSTILE_STRINGS);
  return [
    { body: '{"username": "admin", ', contentType: 'application/json' },
    { body: '{"username": 1, "password": [1,2]}', contentType: 'application/json' },
    { body: JSON.stringify({ username: s, password: s }), contentType: 'application/json' },
    { body: JSON.stringify({ username: 'admin', password: 'x', extra: s }), contentType: 'application/json' },
    { body: `${'['.repeat(5000)}${']'.repeat(5000)}`, contentType: 'application/json' },
    { body: 'username=admin&password=x', contentType: 'application/x-www-form-urlencoded' },
    { body: Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28]), contentType: 'application/json' },
    { body: JSON.stringify({ username: 'x'.repeat(11 * 1024 * 1024) }), contentType: 'application/json' },
    { body: 'null', contentType: 'application/json' },
    { body: '"just a string"', contentType: 'application/json' },
  ];
}

describe('hostile requests', () => {
  it('get 4xx answers with an error body, and the server and its data survive', async () => {
    const usersBefore = await t.app.services.accounts.listUsers();
    const r = rng(2026);
    const statuses = new Map<number, number>();
    const targets = [
      { method: 'POST', path: '/api/auth/login', headers: {} },
      { method: 'POST', path: '/api/users', headers: adminHeaders },
      { method: 'PUT', path: '/api/playbooks/zhonghua', headers: adminHeaders },
      { method: 'POST', path: '/api/tokens', headers: adminHeaders },
    ];
    // Every body kind against every target, twice with different hostile strings: bounded
    // work (80 requests) that covers each combination, whatever the machine's load.
    for (let i = 0; i < 80; i++) {
      const target = targets[i % targets.length] as (typeof targets)[number];
      const choice = bodies(r);
      const b = choice[Math.floor(i / targets.length) % choice.length] as {
        body: string | Buffer;
        contentType: string;
      };
      const res = await fetch(`${base}${target.path}`, {
        method: target.method,
        headers: { ...target.headers, 'content-type': b.contentType },
        body: b.body,
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(
        res.status,
        `${target.method} ${target.path} with ${String(b.body).slice(0, 40)}`,
      ).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const json = (await res.json()) as { code: string; message: string };
      expect(typeof json.code).toBe('string');
      expect(json.message.length).toBeGreaterThan(0);
    }
    // Hostile text in query strings and paths.
    for (const s of HOSTILE_STRINGS.slice(0, 6)) {
      const res = await fetch(`${base}/api/playbooks/search?q=${encodeURIComponent(s)}`, {
        headers: adminHeaders,
      });
      expect(res.status).toBe(200);
      const path = await fetch(`${base}/api/playbooks/${encodeURIComponent(s)}/versions`, {
        headers: adminHeaders,
      });
      expect([400, 404]).toContain(path.status);
    }
    expect(statuses.size).toBeGreaterThan(2); // several kinds of 4xx were produced
    // Still up, data unchanged, the admin can still sign in.
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    expect(await t.app.services.accounts.listUsers()).toEqual(usersBefore);
    const me = await fetch(`${base}/api/auth/me`, { headers: adminHeaders });
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe('admin');
  });

  it('survives garbage on the socket and a truncated request', async () => {
    for (const raw of [
      '\x00\x01\x02garbage\r\n\r\n',
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a":',
    ]) {
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(raw);
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 100);
        });
        socket.on('error', () => resolve());
      });
    }
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });
});
