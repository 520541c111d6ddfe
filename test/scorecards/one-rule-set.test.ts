// One rule set, one result (issue 9 §3, issue 12 §1), in one server on a SQLite file: a
// scorecard version published while a call is on is for the calls that ring after it — the
// call already ringing keeps its version for its live alerts and its inspection at hang-up, and
// the stored call names the version that judged it — and `huashu qa --scorecard store:N` on the
// stored call gives exactly the live hang-up inspection. Clear errors for a store that is not
// there, holds no published version, or lacks the version asked for.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../src/live/hub.ts';
import { seedScorecards } from '../../src/scorecards/store.ts';
import { ctiBridge } from '../cti/bridge.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { runHuashu } from '../support/server-process.ts';
import { freshStore } from '../support/store.ts';
import { TURNS, V2, V2_NO_WEI_TITLE, V3 } from './versions.ts';

const T0 = Date.parse('2026-11-20T01:00:00.000Z'); // the test clock's start
const at = (ms: number) => new Date(T0 + ms).toISOString();

interface Inspection {
  id: string;
  score: number;
  rules: { id: string; outcome: string }[];
  findings: { rule: string }[];
}

describe('the stored scorecard, live and on the command line', () => {
  let t: TestApp;
  let bridge: Record<string, string>;
  let admin: Session;
  let heard: LiveMessage[];
  const dirs: string[] = [];
  beforeEach(async () => {
    t = await testApp('sqlite', {}, { ownCatalog: true });
    await seedScorecards(t.store.db, t.clock);
    await t.app.services.scorecards.loadPublished();
    bridge = await ctiBridge(t);
    admin = await signInAs(t, 'admin');
    heard = [];
    const sub = await t.app.services.live.subscribe({ kind: 'brand', brand: null }, {}, (p) => {
      if (p.kind === 'event') heard.push(p.message);
    });
    sub.start();
  });
  afterEach(async () => {
    await t.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const req = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, status = 200) => {
    const headers =
      method === 'POST' && (url.startsWith('/api/cti') || url.startsWith('/api/live'))
        ? bridge
        : admin.headers;
    const res = await t.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const ring = (callId: string, offset: number) =>
    req('POST', '/api/cti/events', {
      callId,
      type: 'ring',
      at: at(offset),
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: '1024', name: '李娜' },
    });
  /** Answer, the words from the ASR, the customer's hang-up (the stored call gets the words after). */
  async function talk(callId: string, offset: number): Promise<void> {
    await req('POST', '/api/cti/events', { callId, type: 'answer', at: at(offset + 5000) });
    for (const turn of TURNS) await req('POST', `/api/live/calls/${callId}/turns`, turn, 202);
    await req('POST', '/api/cti/events', { callId, type: 'hangup', at: at(offset + 27_000), by: 'customer' });
  }
  const liveOf = (callId: string) => heard.filter((m) => m.callId === callId).map((m) => m.event);
  async function storedWithWords(callId: string) {
    for (let i = 0; i < 200; i++) {
      const call = await req('GET', `/api/calls/${callId}`);
      if (call.turns.length === TURNS.length) return call;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`call ${callId} never got its words`);
  }
  /** The stored call as a call file, for `huashu qa`. */
  function callFile(call: Record<string, unknown> & { agent: { id: string; name: string } }): string {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-qa-store-'));
    dirs.push(dir);
    const file = join(dir, `${call.id}.json`);
    const { id, brand, direction, channel, agent, customerPhone, startedAt, events, turns } = call;
    writeFileSync(
      file,
      JSON.stringify({
        id,
        brand,
        direction,
        channel,
        agent,
        customer: { phone: customerPhone },
        startedAt,
        events,
        turns,
      }),
    );
    return file;
  }
  const qa = (args: string[], env: Record<string, string> = { HUASHU_DATA_DIR: t.store.dataDir ?? '' }) =>
    runHuashu(['qa', ...args], env);

  it('a call ringing at the publish keeps its version; the next gets the new one; huashu qa agrees', {
    timeout: 120_000,
  }, async () => {
    await req('PUT', '/api/scorecards/default/draft', { content: V2 });
    await ring('old', 0);
    expect((await req('GET', '/api/cti/live', undefined)).items).toEqual([
      expect.objectContaining({ callId: 'old', scorecardVersion: 1 }),
    ]);
    // Published while 'old' rings: no restart, the next ring has it.
    await req('POST', '/api/scorecards/default/versions/2/publish');
    await ring('new', 1000);
    await talk('old', 0);
    await talk('new', 1000);

    // Live assist: the greeting's 您好 is alerted on the new call only.
    const alerts = (id: string) => liveOf(id).flatMap((e) => (e.kind === 'alert' ? [e.rule] : []));
    expect(alerts('new')).toContain('opening.no-wei');
    expect(alerts('old')).not.toContain('opening.no-wei');
    const inspectionOf = (id: string) => {
      const e = liveOf(id).find((x) => x.kind === 'inspection');
      if (e?.kind !== 'inspection') throw new Error(`no live inspection of ${id}`);
      return e;
    };
    expect(inspectionOf('old').scorecardVersion).toBe(1);
    expect(inspectionOf('new').scorecardVersion).toBe(2);

    // The stored calls: judged by the version of their ring, which they name; the same result.
    const old = await storedWithWords('old');
    const fresh = await storedWithWords('new');
    expect(old.qa).toMatchObject({ scorecardVersion: 1 });
    expect(fresh.qa).toMatchObject({ scorecardVersion: 2 });
    expect(old.qa.failedRules).not.toContain('opening.no-wei');
    expect(fresh.qa.failedRules).toContain('opening.no-wei');
    expect(old.qa.result).toEqual(inspectionOf('old').inspection);
    expect(fresh.qa.result).toEqual(inspectionOf('new').inspection);
    const list = await req('GET', '/api/calls?brand=zhonghua');
    expect(
      Object.fromEntries(
        list.items.map((c: { id: string; qa: { scorecardVersion: number } }) => [
          c.id,
          c.qa.scorecardVersion,
        ]),
      ),
    ).toEqual({ old: 1, new: 2 });
    // The dashboards name a rule by the version in force, without a restart.
    await t.app.services.dashboard.recordCall('new');
    const quality = await req('GET', '/api/dashboard/quality?brand=zhonghua&from=2026-11-20&to=2026-11-20');
    expect(quality.topRules).toContainEqual(
      expect.objectContaining({ rule: 'opening.no-wei', title: V2_NO_WEI_TITLE }),
    );

    // huashu qa with the store: the version named, or the one in force (2), gives the live result.
    const byVersion = (args: string[], file: string): Inspection => {
      const r = qa([...args, '--json', file]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Inspection;
    };
    expect(byVersion(['--scorecard', 'store:1'], callFile(old))).toEqual(inspectionOf('old').inspection);
    expect(byVersion(['--scorecard', 'store'], callFile(fresh))).toEqual(inspectionOf('new').inspection);
    expect(byVersion(['--scorecard', 'store:2'], callFile(fresh))).toEqual(inspectionOf('new').inspection);
    // The file default is unchanged: the shipped scorecard (version 1's rules).
    expect(byVersion([], callFile(fresh)).rules).toEqual(inspectionOf('old').inspection.rules);
    const human = qa(['--scorecard', 'store', callFile(fresh)]);
    expect(human.stdout).toContain('第 2 版');
  });

  it('says what is wrong: no store, no published version, an unknown version, a draft, a bad number', {
    timeout: 120_000,
  }, async () => {
    await req('PUT', '/api/scorecards/default/draft', { content: V2 });
    await req('POST', '/api/scorecards/default/versions/2/publish');
    await req('PUT', '/api/scorecards/default/draft', { content: V3 });
    const file = resolve(import.meta.dirname, '../../examples/cy-asr-handled.json');
    const fails = (args: string[], env?: Record<string, string>) => {
      const r = qa([...args, file], env);
      expect(r.code, r.stdout).toBe(1);
      expect(r.stdout).toBe('');
      return r.stderr;
    };
    expect(fails(['--scorecard', 'store:9'])).toContain(
      "--scorecard store:9: scorecard 'default' has no version 9; published versions: 2, 1",
    );
    expect(fails(['--scorecard', 'store:3'])).toContain(
      "scorecard 'default' version 3 is a draft, not published",
    );
    expect(fails(['--scorecard', 'store:x'])).toContain("--scorecard store:x: 'x' is not a version number");
    const empty = mkdtempSync(join(tmpdir(), 'huashu-no-store-'));
    dirs.push(empty);
    expect(fails(['--scorecard', 'store'], { HUASHU_DATA_DIR: empty })).toMatch(
      /--scorecard store: no Huashu database at .*huashu\.sqlite; set HUASHU_DATA_DIR \(or DATABASE_URL\)/,
    );
    const bare = await freshStore('sqlite');
    try {
      expect(fails(['--scorecard', 'store'], { HUASHU_DATA_DIR: bare.dataDir ?? '' })).toContain(
        "--scorecard store: the store has no published version of scorecard 'default'",
      );
    } finally {
      await bare.drop();
    }
    // replay reads the store the same way.
    const r = runHuashu(['replay', '--scorecard', 'store:9', file], {
      HUASHU_DATA_DIR: t.store.dataDir ?? '',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has no version 9');
  });
});
