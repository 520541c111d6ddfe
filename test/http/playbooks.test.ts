// Playbooks over HTTP: rendering, search, and new versions put in force by an admin.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import { seedPlaybooks } from '../../src/playbook/store.ts';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

describe.each(ENGINES)('playbooks API on %s', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    // A catalog of its own: this test changes playbooks.
    t = await testApp(engine, {}, { ownCatalog: true });
    await seedPlaybooks(t.store.db, t.app.services.catalog, t.clock);
  });
  afterEach(async () => {
    await t.close();
  });

  it('renders a scenario with call variables, in Traditional for quanjiale', async () => {
    const s = await signInAs(t, 'agent');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/playbooks/quanjiale/scenarios/opening.greeting?agentNumber=018`,
      headers: s.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().lines[0].text).toContain('全家樂電器服務中心018為您服務');
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/playbooks/zhonghua/scenarios/opening.greeting?agentNo=1',
      headers: s.headers,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('querystring.agentNo');
  });

  it('searches by pinyin initials', async () => {
    const s = await signInAs(t, 'agent');
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/playbooks/search?q=ts&limit=5',
      headers: s.headers,
    });
    expect(res.json().items.every((h: { stage: string }) => h.stage === 'complaint')).toBe(true);
  });

  it('an admin puts a new version in force; it is audited and a broken file changes nothing', async () => {
    const admin = await signInAs(t, 'admin');
    const original = readFileSync(new URL('../../playbooks/zhonghua.yaml', import.meta.url), 'utf8');
    const next = original
      .replace(/^version: \d+/m, 'version: 2')
      .replace('title: 无声电话', 'title: 无声电话(新版)');
    t.clock.advance(60_000);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/playbooks/zhonghua',
      headers: admin.headers,
      payload: { content: next },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ brand: 'zhonghua', version: 2 });
    const sc = await t.app.inject({
      method: 'GET',
      url: '/api/playbooks/zhonghua/scenarios/exception.silent-line',
      headers: admin.headers,
    });
    expect(sc.json().title).toBe('无声电话(新版)');
    const versions = await t.app.inject({
      method: 'GET',
      url: '/api/playbooks/zhonghua/versions',
      headers: admin.headers,
    });
    expect(versions.json().items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const trail = await auditTrail(t.store.db, 'playbook', 'zhonghua');
    expect(trail.map((a) => a.action)).toEqual(['seed', 'update']);

    const broken = next
      .replace(/^version: 2/m, 'version: 3')
      .replace('stage: exception', 'stage: exceptional');
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/playbooks/zhonghua',
      headers: admin.headers,
      payload: { content: broken },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toMatch(/^body\.content:\d+:\d+ scenarios\[\d+\]\.stage$/);
    const stale = await t.app.inject({
      method: 'PUT',
      url: '/api/playbooks/zhonghua',
      headers: admin.headers,
      payload: { content: next },
    });
    expect(stale.statusCode).toBe(409);
    const still = await t.app.inject({
      method: 'GET',
      url: '/api/playbooks/zhonghua/versions',
      headers: admin.headers,
    });
    expect(still.json().items).toHaveLength(2);
  });
});
