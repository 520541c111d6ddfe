// `huashu dashboard backfill` on the server machine: calls stored before the dashboards (no
// facts) are counted, a second run adds nothing, a bad day is exit 1 with the reason. The real
// CLI process, on both engines; and `huashu serve` queueing the back-fill itself at start.
import { afterEach, describe, expect, it } from 'vitest';
import { createApplication } from '../../src/app/application.ts';
import { systemActor } from '../../src/audit/audit.ts';
import { parseCallJson } from '../../src/calls/import.ts';
import { loadConfig } from '../../src/config/config.ts';
import { FixedClock } from '../../src/shared/clock.ts';
import { callJson } from '../calls/fixtures.ts';
import { shippedCatalog } from '../support/app.ts';
import { runHuashu, startServerProcess } from '../support/server-process.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

describe.each(ENGINES)('huashu dashboard backfill on %s', (engine) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  /** A fresh store holding these calls, and the server's environment for it. */
  async function storeCalls(ids: string[]) {
    const fresh = await freshStore(engine);
    store = fresh;
    const env: Record<string, string> =
      engine === 'sqlite' ? { HUASHU_DATA_DIR: fresh.dataDir ?? '' } : { DATABASE_URL: fresh.url ?? '' };
    const app = createApplication({
      config: loadConfig({ HUASHU_DATA_DIR: fresh.dataDir ?? '/tmp' }),
      store: fresh,
      clock: new FixedClock(new Date('2026-11-20T01:00:00Z')),
      ids: (() => {
        let n = 0;
        return () => `id-${++n}`;
      })(),
      catalog: shippedCatalog(),
    });
    for (const id of ids) {
      const parsed = parseCallJson(
        callJson({ id, agent: '1024', startedAt: '2026-11-18T10:00:00+08:00' }),
        'call',
      );
      if (!parsed.ok) throw new Error(parsed.error.message);
      await app.calls.store({ call: parsed.call, phone: null, subject: null }, systemActor('cli'));
    }
    return { env, app, store: fresh };
  }

  it('gives stored calls their facts once, with progress; refuses a bad day', {
    timeout: 180_000,
  }, async () => {
    // Stored, its event never delivered (no relay runs): no facts.
    const { env, app } = await storeCalls(['old-1', 'old-2']);
    const period = { from: '2026-11-18', to: '2026-11-18', by: 'all' as const };
    const scope = { brand: null, team: null };
    expect((await app.dashboard.callDashboard(period, scope)).total.calls).toBe(0);

    const first = runHuashu(['dashboard', 'backfill', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).calls).toEqual({ seen: 2, added: 2 });
    expect(first.stderr).toContain('calls: 2 of 2 read, 2 added');
    expect((await app.dashboard.callDashboard(period, scope)).total.calls).toBe(2);

    const second = runHuashu(['dashboard', 'backfill', '--from', '2026-11-01', '--to', '2026-11-30'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('calls: 2 read, 0 given their facts');
    expect((await app.dashboard.callDashboard(period, scope)).total.calls).toBe(2);

    const bad = runHuashu(['dashboard', 'backfill', '--from', '2026-02-30'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--from 2026-02-30: expected a day YYYY-MM-DD that exists');
    await app.close();
  });

  it('a server started on a store older than the dashboards back-fills them by itself', {
    timeout: 180_000,
  }, async () => {
    const { env, app, store: fresh } = await storeCalls(['old-1', 'old-2', 'old-3']);
    // As a store from before the dashboards: its events delivered long ago, no facts kept.
    await fresh.db.updateTable('event_outbox').set({ delivered_at: '2026-11-18T03:00:00.000Z' }).execute();
    const period = { from: '2026-11-18', to: '2026-11-18', by: 'all' as const };
    const scope = { brand: null, team: null };
    expect((await app.dashboard.callDashboard(period, scope)).total.calls).toBe(0);

    const server = await startServerProcess({ ...env, HUASHU_ADMIN_PASSWORD: 'correct horse battery 1' });
    try {
      const deadline = Date.now() + 60_000;
      let counted = 0;
      while (Date.now() < deadline) {
        counted = (await app.dashboard.callDashboard(period, scope)).total.calls;
        if (counted === 3) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(counted, server.output()).toBe(3);
    } finally {
      await server.stop();
      await app.close();
    }
  });
});
