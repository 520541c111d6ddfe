// Every route declares who may call it; this walks the route table and proves, for each
// route, that a caller without a session gets 401 and every role it does not allow gets 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_ROLE_IDS, type UserRole } from '../../src/accounts/roles.ts';
import type { RouteEntry } from '../../src/http/app.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';

let t: TestApp;
const sessions = new Map<UserRole, Session>();

beforeAll(async () => {
  t = await testApp('sqlite');
  for (const role of USER_ROLE_IDS) sessions.set(role, await signInAs(t, role));
});
afterAll(async () => {
  await t.close();
});

const concrete = (url: string) => url.replace(/:(\w+)/g, 'x-$1');

describe('route access', () => {
  it('every route declares an access rule, and the API has the routes we expect', async () => {
    const routes = t.app.routeTable.filter(
      (r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'),
    );
    expect(routes.length).toBeGreaterThan(5);
    for (const r of routes) expect(r.access, `${r.method} ${r.url}`).toBeDefined();
  });

  it('non-public routes refuse a caller without a session (401)', async () => {
    for (const r of t.app.routeTable.filter((x) => x.access !== 'public')) {
      const res = await t.app.inject({ method: r.method as 'GET', url: concrete(r.url) });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it('each role-restricted route gives 403 to every other role', async () => {
    const restricted = t.app.routeTable.filter((r): r is RouteEntry & { access: readonly UserRole[] } =>
      Array.isArray(r.access),
    );
    expect(restricted.length).toBeGreaterThan(0);
    let checked = 0;
    for (const r of restricted) {
      for (const role of USER_ROLE_IDS.filter((x) => !r.access.includes(x))) {
        const s = sessions.get(role) as Session;
        const res = await t.app.inject({
          method: r.method as 'GET',
          url: concrete(r.url),
          headers: s.headers,
          payload: {},
        });
        expect(res.statusCode, `${role} → ${r.method} ${r.url}`).toBe(403);
        expect(res.json().code).toBe('forbidden');
        checked++;
      }
      // And an allowed role gets past the access check (any answer but 401/403).
      const allowed = sessions.get(r.access[0] as UserRole) as Session;
      const ok = await t.app.inject({
        method: r.method as 'GET',
        url: concrete(r.url),
        headers: allowed.headers,
        payload: {},
      });
      expect([401, 403], `${r.access[0]} → ${r.method} ${r.url}`).not.toContain(ok.statusCode);
    }
    expect(checked).toBeGreaterThan(0);
  });
});
