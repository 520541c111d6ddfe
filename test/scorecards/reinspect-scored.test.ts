// A re-inspection after a scorecard change rewrites a call whose rules' outcomes changed even
// when its score and failed rules did not: a missed call (every rule n/a, no score) under a new
// version with a rule that applies to it is scored afterwards, in the list and its stored result.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryJobRunner } from '../../src/jobs/memory-runner.ts';
import { seedScorecards } from '../../src/scorecards/store.ts';
import { ctiBridge } from '../cti/bridge.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';

const ORIGINAL = readFileSync(resolve(import.meta.dirname, '../../scorecards/default.yaml'), 'utf8');
/** Version 2: one more rule, passed by every inbound call, answered or not. */
const V2 = ORIGINAL.replace(/^version: 1$/m, 'version: 2').replace(
  /^rules:\n/m,
  `rules:\n  - id: x.inbound\n    title: 呼入\n    points: 1\n    sources: [{ seed: "000", section: "A.一" }]\n    suggest: x\n    expect: { direction: inbound }\n\n`,
);

describe('re-inspection after a scorecard change', () => {
  let t: TestApp;
  let admin: Session;
  let bridge: Record<string, string>;
  beforeAll(async () => {
    t = await testApp('sqlite', {}, { ownCatalog: true });
    await seedScorecards(t.store.db, t.clock);
    await t.app.services.scorecards.loadPublished();
    admin = await signInAs(t, 'admin');
    bridge = await ctiBridge(t);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });
  const req = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url, headers: admin.headers, ...(payload ? { payload } : {}) });

  it('scores a missed call once a rule applies to it, though its score and failed rules are unchanged', async () => {
    const at = Date.parse('2026-03-17T09:00:00+08:00');
    const agent = { number: '2077', name: '宋佳' };
    for (const payload of [
      { callId: 'missed', type: 'ring', at, brand: 'zhonghua', caller: '13900139001', agent },
      { callId: 'missed', type: 'hangup', at: at + 25_000, by: 'customer', cause: 'no-answer' },
    ]) {
      const r = await t.app.inject({ method: 'POST', url: '/api/cti/events', headers: bridge, payload });
      expect(r.statusCode, r.body).toBe(200);
    }
    expect((await req('GET', '/api/calls?agent=2077')).json().items[0].qa).toMatchObject({ scored: false });
    expect((await req('PUT', '/api/scorecards/default/draft', { content: V2 })).statusCode).toBe(200);
    expect((await req('POST', '/api/scorecards/default/versions/2/publish')).statusCode).toBe(200);
    const run = await req('POST', '/api/scorecards/reinspections', {
      from: '2026-03-17T00:00:00+08:00',
      to: '2026-03-18T00:00:00+08:00',
    });
    expect(run.statusCode, run.body).toBe(202);
    await (t.app.services.jobs as MemoryJobRunner).idle();
    expect((await req('GET', '/api/calls?agent=2077')).json().items[0].qa).toMatchObject({
      scored: true,
      scorecardVersion: 2,
    });
    const call = (await req('GET', '/api/calls/missed')).json();
    expect(call.qa.result.rules.find((r: { id: string }) => r.id === 'x.inbound')).toMatchObject({
      outcome: 'pass',
    });
  }, 60_000);
});
