// An app on a fresh store, with a fixed clock and sequential ids, and helpers to sign in as
// each role.

import type { UserRole } from '../../src/accounts/roles.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Dialect } from '../../src/db/database.ts';
import { type App, buildApp } from '../../src/http/app.ts';
import { Catalog } from '../../src/playbook/catalog.ts';
import { FixedClock, sequentialIds } from '../../src/shared/clock.ts';
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
  const app = await buildApp({ config, store, catalog, clock, ids: sequentialIds('id') });
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
export async function signInAs(t: TestApp, role: UserRole, username: string = role): Promise<Session> {
  const existing = (await t.app.services.accounts.listUsers()).find((u) => u.username === username);
  if (!existing) {
    await t.app.services.accounts.createUser(
      {
        username,
        displayName: username,
        role,
        password: 'correct horse 1',
        agentNumber: role === 'agent' ? '1024' : null,
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
