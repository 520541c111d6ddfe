// An app on a fresh store, with a fixed clock and sequential ids, and helpers to sign in as
// each role.

import type { UserRole } from '../../src/accounts/roles.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Dialect } from '../../src/db/database.ts';
import { type App, buildApp } from '../../src/http/app.ts';
import { Catalog } from '../../src/playbook/catalog.ts';
import { FixedClock, type IdGenerator } from '../../src/shared/clock.ts';
import { freshStore, type TestStore } from './store.ts';

let catalog: Catalog | undefined;
export function shippedCatalog(): Catalog {
  catalog ??= Catalog.load();
  return catalog;
}

export interface TestApp {
  app: App;
  store: TestStore;
  clock: FixedClock;
  close(): Promise<void>;
}

export const START = new Date('2026-11-20T01:00:00.000Z'); // 09:00 in Shanghai, a Friday

export async function testApp(
  engine: Dialect,
  env: Record<string, string> = {},
  options: { ownCatalog?: boolean } = {},
): Promise<TestApp> {
  const store = await freshStore(engine);
  const clock = new FixedClock(START);
  const config = loadConfig({ HUASHU_DATA_DIR: store.dataDir ?? '/tmp', ...env });
  // Tests that change playbooks get a catalog of their own; the others share one (loading
  // the playbooks takes a while).
  const catalog = options.ownCatalog ? Catalog.load() : shippedCatalog();
  const app = await buildApp({ config, store, catalog, clock, ids: orderedIds() });
  return {
    app,
    store,
    clock,
    close: async () => {
      await app.close();
      await store.drop();
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

/** Creates a user of the role (admin creates it) and signs in as them. */
/** Signs in as `username` with `role`, the account made first if need be (limited to `brand` when given). */
export async function signInAs(
  t: TestApp,
  role: UserRole,
  username: string = role,
  brand: string | null = null,
): Promise<Session> {
  const existing = (await t.app.services.accounts.listUsers()).find((u) => u.username === username);
  if (!existing) {
    await t.app.services.accounts.createUser(
      {
        username,
        displayName: username,
        role,
        password: 'correct horse 1',
        // 工号 are unique (per brand): the first agent is 1024 (李娜's, in the sample calls),
        // any other agent gets a number of their own.
        agentNumber: role === 'agent' ? (username === 'agent' ? '1024' : agentNumberFor(username)) : null,
        brand,
      },
      { userId: null, ip: null },
    );
  }
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: 'correct horse 1' },
  });
  if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0] ?? '';
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  // The tests read the English messages; test/http/edge.test.ts checks the Chinese default.
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf, 'accept-language': 'en' } };
}

/** A stable 工号 of 4 digits, never 1024, for agents other than the default one. */
function agentNumberFor(username: string): string {
  let h = 0;
  for (const ch of username) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 8000;
  return String(2000 + h);
}

/**
 * Ids "id-000001", "id-000002"…: sequential like sequentialIds, but they also sort as text in
 * the order made, as real (time-ordered) ids do; the fixed clock gives many rows the same
 * time, and lists ordered by (time, id) would otherwise put "id-10" before "id-9".
 */
function orderedIds(): IdGenerator {
  let n = 0;
  return () => `id-${String(++n).padStart(6, '0')}`;
}
