// The audit log, on both engines: sign-ins (success and failure, never the password),
// sign-outs, refused requests, exports, account and token changes, each with an actor that is
// never NULL (reserved actors for the system); readable by admins through GET /api/audit.
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditWriter, exportAuditEvent, SYSTEM_ACTORS } from '../../src/audit/audit.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import * as initial from '../../src/db/migrations/2026112201_initial.ts';
import * as ticketService from '../../src/db/migrations/2026112202_ticket_service.ts';
import * as callsBlacklist from '../../src/db/migrations/2026112203_calls_blacklist.ts';
import * as tokenScopes from '../../src/db/migrations/2026112901_token_scopes.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

interface Entry {
  id: string;
  actorId: string | null;
  actorIp: string | null;
  entityType: string;
  entityId: string;
  action: string;
  changes: Record<string, unknown>;
}

describe.each(ENGINES)('audit log on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    admin = await signInAs(t, 'admin');
  });
  afterEach(async () => {
    await t.close();
  });

  async function audit(query: string): Promise<{ items: Entry[]; total: number }> {
    const r = await t.app.inject({ method: 'GET', url: `/api/audit?${query}`, headers: admin.headers });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  }
  /** Refusals are written after the answer goes out: look a bounded number of times. */
  async function eventually(query: string, n: number): Promise<Entry[]> {
    for (let i = 0; i < 100; i++) {
      const { items } = await audit(query);
      if (items.length >= n) return items;
      await new Promise((r) => setTimeout(r, 10));
    }
    return (await audit(query)).items;
  }

  it('records sign-ins, failures (with the name tried and the address, never the password) and sign-outs', async () => {
    const secret = 'not-the-password-9';
    const fail = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'Admin', password: secret },
      remoteAddress: '203.0.113.5',
    });
    expect(fail.statusCode).toBe(401);
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ghost', password: secret },
      remoteAddress: '203.0.113.5',
    });
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: admin.headers });
    expect(out.statusCode).toBe(204);
    const admin2 = await signInAs(t, 'admin');
    const logins = await t.app.inject({
      method: 'GET',
      url: '/api/audit?entity=login&limit=50',
      headers: admin2.headers,
    });
    expect(logins.body).not.toContain(secret);
    const items = (logins.json() as { items: Entry[] }).items;
    expect(items.map((e) => e.action)).toEqual(['login', 'logout', 'login-failed', 'login-failed', 'login']);
    const failed = items.filter((e) => e.action === 'login-failed');
    expect(failed[1]).toMatchObject({
      actorId: SYSTEM_ACTORS.anonymous,
      actorIp: '203.0.113.5',
      entityId: 'admin',
      changes: { username: 'Admin', reason: 'wrong password' },
    });
    expect(failed[0]).toMatchObject({ changes: { username: 'ghost', reason: 'unknown user', userId: null } });
    const adminId = (await t.app.services.accounts.findUserByUsername('admin'))?.id;
    expect(items[0]).toMatchObject({ actorId: adminId, changes: { username: 'admin' } });
  });

  it("names each actor: a user's display name and username, null for a reserved actor or a user not found", async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { username: 'wang.fang', displayName: '王芳', role: 'agent', password: 'correct horse 1' },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'x', password: 'y 1234567890' },
    });
    await new AuditWriter(() => 'gone-1', t.clock).record(t.store.db, {
      actor: { userId: '00000000-0000-4000-8000-000000000000', ip: null },
      entityType: 'ticket',
      entityId: 't1',
      action: 'close',
      changes: {},
    });
    const r = await t.app.inject({ method: 'GET', url: '/api/audit?limit=50', headers: admin.headers });
    expect(r.statusCode, r.body).toBe(200);
    const items = (
      r.json() as { items: (Entry & { actorName: string | null; actorUsername: string | null })[] }
    ).items;
    const admin0 = await t.app.services.accounts.findUserByUsername('admin');
    expect(items.find((e) => e.entityType === 'user' && e.action === 'create')).toMatchObject({
      actorId: admin0?.id,
      actorName: admin0?.displayName,
      actorUsername: 'admin',
    });
    expect(items.find((e) => e.action === 'login-failed')).toMatchObject({
      actorId: 'anonymous',
      actorName: null,
      actorUsername: null,
    });
    expect(items.find((e) => e.id === 'gone-1')).toMatchObject({ actorName: null, actorUsername: null });
  });

  it('is refused to an admin limited to a brand (it holds every brand’s records)', async () => {
    const { cookie } = await signInAs(t, 'admin', 'cy.admin', 'chaoyue');
    const r = await t.app.inject({ method: 'GET', url: '/api/audit', headers: { cookie } });
    expect(r.statusCode, r.body).toBe(403);
    expect(r.json().message).toContain('chaoyue');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/audit', headers: admin.headers })).statusCode,
    ).toBe(200);
  });

  it('records every refused request once: who tried which route', async () => {
    const agent = await signInAs(t, 'agent');
    const agentId = (await t.app.services.accounts.findUserByUsername('agent'))?.id;
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: agent.headers,
      payload: { username: 'x' },
    });
    expect(r.statusCode).toBe(403);
    const noCsrf = await t.app.inject({
      method: 'DELETE',
      url: '/api/tokens/13800138000',
      headers: { cookie: agent.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    const refused = await eventually('action=refused', 2);
    expect(refused).toHaveLength(2);
    expect(refused.map((e) => e.entityId).sort()).toEqual(['DELETE /api/tokens/:id', 'POST /api/users']);
    for (const e of refused) expect(e).toMatchObject({ actorId: agentId, entityType: 'route' });
    // The URL's own text (here a phone number) is not kept.
    expect(JSON.stringify(refused)).not.toContain('13800138000');
    // Admins only.
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/audit', headers: agent.headers })).statusCode,
    ).toBe(403);
  });

  it('records user and token changes, and exports through exportAuditEvent', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: {
        username: 'li.na',
        displayName: '李娜',
        role: 'agent',
        agentNumber: '1024',
        password: 'correct horse 1',
      },
    });
    const id = created.json().id as string;
    await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      headers: admin.headers,
      payload: { role: 'team-lead' },
    });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      headers: admin.headers,
      payload: { disabled: true },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/users/${id}/password`,
      headers: admin.headers,
      payload: { password: 'another phrase 3' },
    });
    const user = await audit(`entity=user&entityId=${id}`);
    expect(user.items.map((e) => e.action)).toEqual(['reset-password', 'disable', 'update', 'create']);
    expect(user.items[2]?.changes).toEqual({ role: { from: 'agent', to: 'team-lead' } });
    expect(JSON.stringify(user.items)).not.toContain('another phrase 3');

    const tok = (
      await t.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: admin.headers,
        payload: { name: 'crm' },
      })
    ).json() as { id: string; token: string };
    await t.app.inject({
      method: 'PATCH',
      url: `/api/tokens/${tok.id}`,
      headers: admin.headers,
      payload: {},
    });
    await t.app.inject({ method: 'DELETE', url: `/api/tokens/${tok.id}`, headers: admin.headers });
    const token = await audit(`entity=api-token&entityId=${tok.id}`);
    expect(token.items.map((e) => e.action)).toEqual(['revoke', 'expire', 'create']);
    expect(JSON.stringify(token.items)).not.toContain(tok.token);

    let n = 0;
    await new AuditWriter(() => `export-${++n}`, t.clock).record(
      t.store.db,
      exportAuditEvent({
        actor: { userId: id, ip: '10.0.0.1' },
        file: 'calls.csv',
        role: 'team-lead',
        fullNumbers: false,
        filters: { brand: 'zhonghua' },
      }),
    );
    const exports = await audit('entity=export');
    expect(exports.items).toEqual([
      expect.objectContaining({
        id: 'export-1',
        at: t.clock.now().toISOString(),
        actorId: id,
        actorIp: '10.0.0.1',
        entityId: 'calls.csv',
        action: 'export',
        changes: { file: 'calls.csv', role: 'team-lead', fullNumbers: false, filters: { brand: 'zhonghua' } },
      }),
    ]);
  });

  it('never a null actor: the first admin is created by system:first-start; filters and paging', async () => {
    const t2 = await testApp(engine);
    try {
      await t2.app.services.accounts.ensureFirstAdmin('first admin pass 1');
      const rows = await t2.store.db.selectFrom('audit_log').selectAll().execute();
      expect(rows.map((r) => r.actor_id)).toEqual([SYSTEM_ACTORS.firstStart]);
    } finally {
      await t2.close();
    }
    for (let i = 0; i < 3; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: `nobody${i}`, password: 'whatever 12345' },
      });
      t.clock.advance(60_000);
    }
    const page = await audit('actor=anonymous&limit=2');
    expect(page.total).toBe(3);
    expect(page.items.map((e) => e.entityId)).toEqual(['nobody2', 'nobody1']);
    const next = await audit('actor=anonymous&limit=2&offset=2');
    expect(next.items.map((e) => e.entityId)).toEqual(['nobody0']);
    const from = new Date(t.clock.now().getTime() - 150_000).toISOString();
    const to = new Date(t.clock.now().getTime() - 30_000).toISOString();
    expect((await audit(`action=login-failed&from=${from}&to=${to}`)).items.map((e) => e.entityId)).toEqual([
      'nobody2',
      'nobody1',
    ]);
    // Reserved actors have no name: the screen names them in words.
    expect(page.items[0]).toMatchObject({ actorName: null, actorUsername: null });
    const all = await t.store.db.selectFrom('audit_log').select('actor_id').execute();
    expect(all.every((r) => r.actor_id !== null)).toBe(true);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/audit?from=yesterday',
      headers: admin.headers,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('querystring.from');
  });
});

// The migration meets a database with names that differ only by case, a 工号 held twice and
// audit entries without an actor: it must not fail, must report them, and new ones are refused.
describe.each(ENGINES)('migration 2026112902 on an existing %s database', (engine) => {
  let store: TestStore;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    store = await freshStore(engine, { migrate: false });
    drop = store.drop;
  });
  afterEach(async () => {
    await drop();
  });

  it('keeps duplicates by case and by 工号, reports them, and refuses new ones', async () => {
    const schema =
      engine === 'postgres'
        ? (await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]?.s
        : undefined;
    const earlier: Record<string, Migration> = {
      '2026112201_initial': initial,
      '2026112202_ticket_service': ticketService,
      '2026112203_calls_blacklist': callsBlacklist,
      '2026112901_token_scopes': tokenScopes,
    };
    const migrator = new Migrator({
      db: store.db,
      provider: { getMigrations: async () => earlier },
      ...(schema ? { migrationTableSchema: schema } : {}),
    });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    // biome-ignore lint/suspicious/noExplicitAny: the schema as it was before the migration
    const old = store.db as unknown as Kysely<any>;
    const user = (id: string, username: string, agent: string | null, at: string) => ({
      id,
      username,
      display_name: username,
      role: 'agent',
      agent_number: agent,
      password_hash: 'x',
      created_at: at,
      disabled_at: null,
    });
    await old
      .insertInto('users')
      .values([
        user('u1', 'admin', null, '2026-01-01T00:00:00.000Z'),
        user('u2', 'Admin', null, '2026-01-02T00:00:00.000Z'),
        user('u3', 'li.na', '1024', '2026-01-03T00:00:00.000Z'),
        user('u4', 'zhang.wei', '1024', '2026-01-04T00:00:00.000Z'),
      ])
      .execute();
    await old
      .insertInto('audit_log')
      .values({
        id: 'a1',
        at: '2026-01-01T00:00:00.000Z',
        actor_id: null,
        actor_ip: null,
        entity_type: 'user',
        entity_id: 'u1',
        action: 'create',
        changes: '{}',
      })
      .execute();
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const applied = await migrateToLatest(store.db);
      expect(applied).toContain('2026112902_accounts_hardening');
    } finally {
      spy.mockRestore();
    }
    const log = written.join('');
    expect(log).toContain("'admin' and 'Admin' differ only by case");
    expect(log).toContain("工号 1024 is held by 'li.na', 'zhang.wei'");
    const rows = await store.db.selectFrom('users').select(['id', 'username_key']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'u1', username_key: 'admin' },
      { id: 'u2', username_key: null },
      { id: 'u3', username_key: 'li.na' },
      { id: 'u4', username_key: 'zhang.wei' },
    ]);
    expect((await store.db.selectFrom('audit_log').select('actor_id').executeTakeFirst())?.actor_id).toBe(
      SYSTEM_ACTORS.server,
    );
    // New duplicates by case are refused by the index itself.
    await expect(
      store.db
        .insertInto('users')
        .values({
          ...user('u5', 'ADMIN', null, '2026-02-01T00:00:00.000Z'),
          username_key: 'admin',
          brand: null,
        })
        .execute(),
    ).rejects.toThrow();
  });
});
