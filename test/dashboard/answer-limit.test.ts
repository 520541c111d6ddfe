// The dashboards' short abandons use the answer limit QA judges by: the brand's rings to answer
// times the ring period of the scorecard in force (else the brand's), on SQLite and PostgreSQL.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedScorecards } from '../../src/scorecards/store.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

const S = 1000;
const ORIGINAL = readFileSync(resolve(import.meta.dirname, '../../scorecards/default.yaml'), 'utf8');
/** Version 2: rings of 6 s. */
const SIX_SECOND_RINGS = ORIGINAL.replace(/^version: 1$/m, 'version: 2\nringPeriodSeconds: 6');

/** An unanswered call of 中华保险 the caller hung up on after `ms`. */
const missed = (id: string, ms: number) => ({
  id,
  brand: 'zhonghua',
  direction: 'inbound',
  agent: { id: '1024', name: '1024' },
  customer: { phone: '13800138009' },
  startedAt: `2026-11-20T09:0${id.slice(-1)}:00+08:00`,
  events: [
    { type: 'ring', at: 0 },
    { type: 'hangup', at: ms, by: 'customer' },
  ],
  turns: [],
});

describe.each(ENGINES)('short abandons by the answer limit in force on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  beforeEach(async () => {
    t = await testApp(engine, {}, { ownCatalog: true });
    await seedScorecards(t.store.db, t.clock);
    await t.app.services.scorecards.loadPublished();
    admin = await signInAs(t, 'admin');
    // A hotline answering within 2 rings (its playbook's ring: 5 s).
    const settings = t.app.services.catalog.find('zhonghua')?.settings;
    if (!settings) throw new Error('zhonghua: no playbook');
    settings.ringsToAnswer = 2;
  });
  afterEach(async () => {
    await t.close();
  });

  const req = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url, headers: admin.headers, ...(payload ? { payload } : {}) });
  const record = async (...calls: ReturnType<typeof missed>[]) => {
    for (const c of calls) {
      const res = await req('POST', '/api/calls', c);
      expect(res.statusCode, res.body).toBe(201);
      await t.app.services.dashboard.recordCall(c.id);
    }
    const res = await req('GET', '/api/dashboard/calls?brand=zhonghua&from=2026-11-20&to=2026-11-20');
    expect(res.statusCode, res.body).toBe(200);
    return res.json().total as { offered: number; abandoned: number };
  };

  it("the brand's 2 rings of 5 s: a caller gone after 11 s was failed", async () => {
    expect(await record(missed('m1', 11 * S), missed('m2', 9 * S))).toMatchObject({
      offered: 1,
      abandoned: 1,
    });
  });

  it('a scorecard with rings of 6 s: 2 rings are 12 s, so 11 s is a short abandon and 13 s is not', async () => {
    t.clock.advance(60_000);
    expect(
      (await req('PUT', '/api/scorecards/default/draft', { content: SIX_SECOND_RINGS })).statusCode,
    ).toBe(200);
    const pub = await req('POST', '/api/scorecards/default/versions/2/publish');
    expect(pub.statusCode, pub.body).toBe(200);
    expect(await record(missed('m1', 11 * S), missed('m2', 13 * S))).toMatchObject({
      offered: 1,
      abandoned: 1,
    });
  });
});
