// The application core without HTTP (what the command line, a job or a WebSocket server
// uses), and the HTTP server on top of it building each request's principal once.
import { afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/accounts/principal.ts';
import { type Application, createApplication } from '../../src/app/application.ts';
import { auditTrail, searchAudit } from '../../src/audit/audit.ts';
import { loadConfig } from '../../src/config/config.ts';
import { Events } from '../../src/events/events.ts';
import { buildApp } from '../../src/http/app.ts';
import { MemoryJobRunner } from '../../src/jobs/memory-runner.ts';
import { FixedClock } from '../../src/shared/clock.ts';
import { START, shippedCatalog, signInAs, type TestApp } from '../support/app.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

function sequentialIds() {
  let n = 0;
  return () => `id-${String(++n).padStart(6, '0')}`;
}

describe.each(ENGINES)('the application core on %s', (engine) => {
  let store: TestStore | undefined;
  let application: Application | undefined;
  afterEach(async () => {
    await application?.close();
    await store?.drop();
    application = undefined;
    store = undefined;
  });

  async function open(): Promise<Application> {
    store = await freshStore(engine);
    application = createApplication({
      config: loadConfig({ HUASHU_DATA_DIR: store.dataDir ?? '/tmp' }),
      store,
      catalog: shippedCatalog(),
      clock: new FixedClock(START),
      ids: sequentialIds(),
    });
    return application;
  }

  it('opens a ticket through the service as a signed-in principal, no HTTP server', async () => {
    const core = await open();
    await core.accounts.createUser(
      {
        username: 'li',
        displayName: '李娜',
        role: 'agent',
        agentNumber: '1024',
        password: 'correct horse 1',
      },
      { userId: null, ip: null },
    );
    const { sessionToken } = await core.accounts.login('li', 'correct horse 1', '10.0.0.7');
    // What a WebSocket adapter does with the cookie of its upgrade request.
    const principal = await core.principalFromSession(sessionToken, '10.0.0.7');
    expect(principal).toMatchObject({
      username: 'li',
      displayName: '李娜',
      role: 'agent',
      agentNumber: '1024',
      brand: null,
      via: 'session',
      scopes: null,
      ip: '10.0.0.7',
    });
    expect(await core.principalFromSession('not-a-session', null)).toBeNull();
    expect(await core.principalFromToken('not-a-token', null)).toBeNull();
    if (!principal) return;

    const ticket = await core.tickets.open(
      {
        type: 'complaint',
        brand: '中华保险',
        subtype: 'product-quality',
        subject: '理赔进度太慢',
        customerPhone: '13800138000',
      },
      principal,
    );
    expect(ticket).toMatchObject({ brand: 'zhonghua', type: 'complaint', status: 'new', version: 1 });
    expect((await core.tickets.get(ticket.id, { userId: null, ip: null })).customerPhone).toBe('13800138000');
    // The audit log names the principal and where it was.
    const opened = (await auditTrail(core.store.db, 'ticket', ticket.id))[0];
    expect(opened).toMatchObject({ actorId: principal.userId, actorIp: '10.0.0.7' });

    await core.close();
    await core.close(); // once is enough; a second close is harmless
    // Closing the application leaves the store to whoever opened it.
    expect((await core.store.check()).ok).toBe(true);
  });

  it('stops the jobs, then the events, when it closes', async () => {
    store = await freshStore(engine);
    const stopped: string[] = [];
    const clock = new FixedClock(START);
    // Real events, watched stopping.
    const events = new (class extends Events {
      override async stop() {
        stopped.push('events');
        await super.stop();
      }
    })({ db: store.db, clock });
    application = createApplication({
      config: loadConfig({ HUASHU_DATA_DIR: store.dataDir ?? '/tmp' }),
      store,
      catalog: shippedCatalog(),
      clock,
      ids: sequentialIds(),
      jobs: new (class extends MemoryJobRunner {
        override async close() {
          stopped.push('jobs');
          await super.close();
        }
      })(clock),
      events,
    });
    await application.close();
    await application.close();
    expect(stopped).toEqual(['jobs', 'events']);
  });
});

describe('one principal per request', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('is built once by the auth hook and is what the routes and the refusal audit see', async () => {
    const store = await freshStore('sqlite');
    const clock = new FixedClock(START);
    const core = createApplication({
      config: loadConfig({ HUASHU_DATA_DIR: store.dataDir ?? '/tmp' }),
      store,
      catalog: shippedCatalog(),
      clock,
      ids: sequentialIds(),
    });
    // Count how often a request's caller is worked out (each is a database look-up).
    const built: Principal[] = [];
    const fromSession = core.principalFromSession;
    const fromToken = core.principalFromToken;
    core.principalFromSession = async (s, ip) => {
      const p = await fromSession(s, ip);
      if (p) built.push(p);
      return p;
    };
    core.principalFromToken = async (s, ip) => {
      const p = await fromToken(s, ip);
      if (p) built.push(p);
      return p;
    };
    const app = await buildApp({ application: core });
    t = {
      app,
      store,
      clock,
      close: async () => {
        await app.close();
        await core.close();
        await store.drop();
      },
    };
    const agent = await signInAs(t, 'agent');

    // Opening a ticket: access check, CSRF check, the actor and the audit entry.
    built.length = 0;
    const opened = await app.inject({
      method: 'POST',
      url: '/api/tickets',
      headers: agent.headers,
      payload: {
        type: 'complaint',
        brand: 'zhonghua',
        subtype: 'product-quality',
        customerPhone: '13800138000',
      },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(built).toHaveLength(1);
    const me = built[0];
    expect(me).toMatchObject({ username: 'agent', role: 'agent', agentNumber: '1024', via: 'session' });
    const entry = (await auditTrail(store.db, 'ticket', opened.json().id))[0];
    expect(entry).toMatchObject({ actorId: me?.userId, actorIp: me?.ip });

    // A customer's history: the call scope comes from the same principal.
    built.length = 0;
    const history = await app.inject({
      method: 'GET',
      url: '/api/customers/13800138000/history',
      headers: agent.headers,
    });
    expect(history.statusCode, history.body).toBe(200);
    expect(built).toHaveLength(1);

    // Refused (an admin's route): one principal, and the refusal is audited under it.
    built.length = 0;
    const refused = await app.inject({ method: 'GET', url: '/api/audit', headers: agent.headers });
    expect(refused.statusCode).toBe(403);
    expect(built).toHaveLength(1);
    // The audit entry is written after the answer went out.
    await expect
      .poll(async () => {
        const r = await searchAudit(store.db, { entityType: 'route', limit: 10, offset: 0 });
        return r.items.find((e) => e.entityId === 'GET /api/audit')?.actorId;
      })
      .toBe(built[0]?.userId);

    // An API token: one principal too, with its scopes and no CSRF token.
    const token = await app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: agent.headers,
      payload: { name: 'console', scopes: ['read'] },
    });
    expect(token.statusCode, token.body).toBe(201);
    built.length = 0;
    const byToken = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token.json().token}` },
    });
    expect(byToken.statusCode, byToken.body).toBe(200);
    expect(byToken.json()).toMatchObject({ user: { username: 'agent', role: 'agent' }, csrfToken: null });
    expect(built).toEqual([expect.objectContaining({ via: 'token', scopes: ['read'], csrfToken: null })]);
  });
});
