// Re-inspection runs as a brand-limited QA reader sees them: its brand's runs only. Another
// brand's run, or one over every brand, names other brands' calls in its errors and counts
// them: not listed, and 404 as an unknown id. The unlimited see every run. On both engines.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MemoryJobRunner } from '../../src/jobs/memory-runner.ts';
import { seedScorecards } from '../../src/scorecards/store.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

describe.each(ENGINES)('re-inspection runs limited to the reader’s brand on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  let cyInspector: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    admin = await signInAs(t, 'admin');
    cyInspector = await signInAs(t, 'qa-inspector', 'cy-qa', 'chaoyue');
  });
  afterEach(async () => {
    await t.close();
  });

  it('lists and opens only its brand’s runs', async () => {
    const system = { userId: null, ip: null };
    const runs = t.app.services.reinspections;
    const zh = (await runs.open({ brand: 'zhonghua' }, 1, system)).run;
    const every = (await runs.open({}, 1, system)).run;
    const cy = (await runs.open({ brand: 'chaoyue' }, 1, system)).run;
    await runs.report(zh.id, {
      status: 'completed',
      total: 3,
      done: 3,
      skipped: 0,
      changed: 0,
      errors: [{ callId: 'zh-secret', message: 'x' }],
    });
    const get = (s: Session, url: string) => t.app.inject({ method: 'GET', url, headers: s.headers });
    const ids = async (s: Session) =>
      ((await get(s, '/api/scorecards/reinspections')).json().items as { id: string }[])
        .map((r) => r.id)
        .sort();
    expect(await ids(cyInspector)).toEqual([cy.id]);
    expect(await ids(admin)).toEqual([zh.id, every.id, cy.id].sort());
    const unknown = await get(cyInspector, '/api/scorecards/reinspections/no-such-run');
    expect(unknown.statusCode).toBe(404);
    for (const id of [zh.id, every.id]) {
      const other = await get(cyInspector, `/api/scorecards/reinspections/${id}`);
      expect(other.statusCode).toBe(404);
      expect(other.json().message).toBe(unknown.json().message.replace('no-such-run', id));
      expect(other.body).not.toContain('zh-secret');
    }
    expect((await get(cyInspector, `/api/scorecards/reinspections/${cy.id}`)).statusCode).toBe(200);
    expect((await get(admin, `/api/scorecards/reinspections/${zh.id}`)).json().errors).toHaveLength(1);
  });

  it('re-inspects only its brand’s calls for an admin limited to a brand (by default too)', async () => {
    await seedScorecards(t.store.db, t.clock);
    await t.app.services.scorecards.loadPublished();
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: {
        username: 'cy-admin',
        displayName: 'cy-admin',
        role: 'admin',
        brand: 'chaoyue',
        password: 'correct horse 1',
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const cyAdmin = await signInAs(t, 'admin', 'cy-admin');
    const start = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/scorecards/reinspections',
        headers: cyAdmin.headers,
        payload,
      });
    const other = await start({ brand: 'zhonghua' });
    expect(other.statusCode, other.body).toBe(403);
    expect(other.json().details).toEqual([{ path: 'body.brand', message: 'not chaoyue' }]);
    const every = await start({});
    expect(every.statusCode, every.body).toBe(202);
    expect(every.json().brand).toBe('chaoyue');
    await (t.app.services.jobs as MemoryJobRunner).idle();
    const all = await t.app.inject({
      method: 'GET',
      url: '/api/scorecards/reinspections',
      headers: admin.headers,
    });
    expect((all.json().items as { brand: string | null }[]).map((r) => r.brand)).toEqual(['chaoyue']);
  });
});
