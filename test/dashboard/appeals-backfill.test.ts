// The quality dashboard's appeals (申诉) and their outcomes, fed by the appeal events; and the
// back-fill of calls, tickets and appeals stored without dashboard facts — on SQLite and
// PostgreSQL. Three of agent 1024's calls are reviewed; the agent appeals one finding of each;
// a room director overturns one and upholds one; the third waits.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as repo from '../../src/dashboard/repository.ts';
import { postCall } from '../calls/fixtures.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

interface Finding {
  ref: string;
  index: number;
  rule: string;
}
interface ReviewBody {
  id: string;
  callId: string;
  findings: Finding[];
}

const DAY = '2026-11-17';
const quality = (by: string, extra = '') => `/api/dashboard/quality?from=${DAY}&to=${DAY}&by=${by}${extra}`;

describe.each(ENGINES)('appeals in the quality dashboard, and the back-fill, on %s', (engine) => {
  let t: TestApp;
  let lead: Session;
  let director: Session;
  let inspector: Session;
  let agent: Session;
  const call = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
    t.app.inject(
      payload === undefined
        ? { method, url, headers: s.headers }
        : { method, url, headers: s.headers, payload },
    );
  const get = async (s: Session, url: string) => {
    const res = await call(s, 'GET', url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  /** Posts three calls, reviews them, appeals one finding of each; returns the appeal ids and rules. */
  async function reviewAndAppeal(): Promise<{ id: string; rule: string }[]> {
    for (let i = 0; i < 3; i++) {
      const res = await postCall(t, director.headers, {
        id: `c-${i}`,
        agent: '1024',
        startedAt: `${DAY}T10:0${i}:00+08:00`,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const plan = {
      allFatal: true,
      allComplaints: true,
      mode: 'count',
      amount: 5,
      seed: 1,
      dueDays: 3,
      appealWindowDays: 7,
      assign: 'least-loaded',
    };
    expect((await call(lead, 'PUT', '/api/review/plans/zhonghua', plan)).statusCode).toBe(200);
    const run = await call(lead, 'POST', '/api/review/plans/zhonghua/run', { week: '2026-11-16' });
    expect(run.statusCode, run.body).toBe(201);
    const reviews = (run.json().assigned as ReviewBody[]).sort((a, b) => (a.callId < b.callId ? -1 : 1));
    expect(reviews).toHaveLength(3);
    const appeals: { id: string; rule: string }[] = [];
    for (const r of reviews) {
      expect(r.findings.length).toBeGreaterThan(0);
      const done = await call(inspector, 'POST', `/api/reviews/${r.id}/complete`, {
        verdicts: r.findings.map((f) => ({ finding: f.index, verdict: 'correct' })),
      });
      expect(done.statusCode, done.body).toBe(200);
      const finding = r.findings[0] as Finding;
      const a = await call(agent, 'POST', `/api/reviews/${r.id}/appeals`, {
        finding: finding.ref,
        reason: '请复核',
      });
      expect(a.statusCode, a.body).toBe(201);
      appeals.push({ id: a.json().id, rule: finding.rule });
    }
    return appeals;
  }

  beforeEach(async () => {
    t = await testApp(engine);
    await t.app.services.accounts.createUser(
      {
        username: 'li',
        displayName: '李娜',
        role: 'agent',
        password: 'correct horse 1',
        agentNumber: '1024',
        brand: 'zhonghua',
        team: '一组',
      },
      { userId: null, ip: null },
    );
    agent = await signInAs(t, 'agent', 'li');
    lead = await signInAs(t, 'qa-lead', 'lead');
    director = await signInAs(t, 'room-director', 'director');
    inspector = await signInAs(t, 'qa-inspector', 'insp');
  });
  afterEach(async () => {
    await t.close();
  });

  it('counts appeals filed, pending, upheld and overturned per agent, team and rule, from the events', async () => {
    await t.app.services.events.start();
    const appeals = await reviewAndAppeal();
    const [overturn, uphold] = appeals as [{ id: string; rule: string }, { id: string; rule: string }];
    for (const [a, outcome] of [
      [overturn, 'overturn'],
      [uphold, 'uphold'],
    ] as const) {
      const res = await call(director, 'POST', `/api/appeals/${a.id}/judgement`, { outcome, note: '核实' });
      expect(res.statusCode, res.body).toBe(200);
    }
    const expected = { filed: 3, pending: 1, upheld: 1, overturned: 1, overturnRate: 0.5 };
    await vi.waitFor(
      async () => {
        const body = await get(director, quality('agent'));
        expect(body.total.appeals).toEqual(expected);
        expect(body.rows.map((r: { key: string; appeals: unknown }) => [r.key, r.appeals])).toEqual([
          ['1024', expected],
        ]);
      },
      { timeout: 10_000, interval: 100 },
    );
    // By team (一组), and per rule: the overturned rule first.
    const byTeam = await get(director, quality('team'));
    expect(byTeam.rows.map((r: { key: string; inspected: number }) => [r.key, r.inspected])).toEqual([
      ['一组', 3],
    ]);
    expect(byTeam.rows[0].appeals).toEqual(expected);
    const rules = byTeam.appealRules as {
      rule: string;
      title: string | null;
      filed: number;
      overturned: number;
    }[];
    expect(rules[0]).toMatchObject({ rule: overturn.rule, overturned: 1, title: expect.any(String) });
    expect(rules.reduce((n, r) => n + r.filed, 0)).toBe(3);
    // Another day, another agent: nothing, and no rate of nothing.
    const none = await get(director, '/api/dashboard/quality?from=2026-11-18&to=2026-11-18&by=all');
    expect(none.total.appeals).toEqual({
      filed: 0,
      pending: 0,
      upheld: 0,
      overturned: 0,
      overturnRate: null,
    });
    expect((await get(director, quality('agent', '&agent=2048'))).total.appeals.filed).toBe(0);

    // An event delivered again counts once.
    for (const a of appeals) await t.app.services.dashboard.recordAppeal(a.id);
    expect((await get(director, quality('all'))).total.appeals).toEqual(expected);
    // The filing's state written after the judgement (handlers run concurrently): still judged.
    const bucket = await repo.appealBucket(t.store.db, overturn.id);
    if (!bucket) throw new Error('the appeal was not counted');
    const stale = {
      appealId: overturn.id,
      callId: 'c-0',
      ...bucket,
      rule: overturn.rule,
      status: 'open' as const,
    };
    await repo.saveAppealFacts(t.store.db, stale);
    await repo.recountAppeals(t.store.db, bucket);
    expect((await get(director, quality('all'))).total.appeals).toEqual(expected);

    // In the export, per row and the total.
    const csv = await call(
      director,
      'GET',
      `/api/exports/dashboard-quality.csv?from=${DAY}&to=${DAY}&by=agent`,
    );
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const header = (lines[0] as string).split(',');
    expect(header.slice(-5)).toEqual(['申诉数', '待终审', '维持', '改判', '改判率%']);
    expect((lines[1] as string).split(',').slice(-5)).toEqual(['3', '1', '1', '1', '50']);
  });

  it('back-fills calls, tickets and appeals stored without facts; a second run changes nothing', async () => {
    // Events never delivered: the store as it was before the dashboards.
    const appeals = await reviewAndAppeal();
    await call(director, 'POST', `/api/appeals/${appeals[0]?.id}/judgement`, {
      outcome: 'overturn',
      note: 'x',
    });
    const ticket = await call(director, 'POST', '/api/tickets', {
      type: 'complaint',
      subtype: 'service-attitude',
      brand: 'zhonghua',
      subject: '态度差',
      customerPhone: '13800138000',
    });
    expect(ticket.statusCode, ticket.body).toBe(201);
    const dashboard = t.app.services.dashboard;
    expect((await get(director, quality('all'))).total.inspected).toBe(0);
    expect(await dashboard.backfillNeeded()).toBe(true);

    const progress: string[] = [];
    const first = await dashboard.backfill({ batchSize: 2, onProgress: (p) => void progress.push(p.kind) });
    expect(first).toEqual({
      calls: { seen: 3, added: 3 },
      tickets: { seen: 1, added: 1 },
      appeals: { seen: 3, added: 3 },
    });
    expect(progress).toEqual(['calls', 'calls', 'tickets', 'appeals', 'appeals']);
    const calls = await get(director, `/api/dashboard/calls?from=${DAY}&to=${DAY}&by=all`);
    const after = await get(director, quality('agent'));
    const tickets = await get(director, '/api/dashboard/tickets?from=2026-11-20&to=2026-11-20');
    expect(calls.total.calls).toBe(3);
    expect(after.total.inspected).toBe(3);
    expect(after.total.appeals).toEqual({ filed: 3, pending: 2, upheld: 0, overturned: 1, overturnRate: 1 });
    expect(tickets.total.opened).toBe(1);
    expect(await dashboard.backfillNeeded()).toBe(false);

    // Twice: nothing added, the same figures.
    const second = await dashboard.backfill();
    expect(second).toEqual({
      calls: { seen: 3, added: 0 },
      tickets: { seen: 1, added: 0 },
      appeals: { seen: 3, added: 0 },
    });
    expect(await get(director, quality('agent'))).toEqual(after);
    expect(await get(director, `/api/dashboard/calls?from=${DAY}&to=${DAY}&by=all`)).toEqual(calls);
    expect(await get(director, '/api/dashboard/tickets?from=2026-11-20&to=2026-11-20')).toEqual(tickets);

    // A period outside the data reads nothing; a swapped one says so.
    expect((await dashboard.backfill({ from: '2026-10-01', to: '2026-10-31' })).calls.seen).toBe(0);
    await expect(dashboard.backfill({ from: '2026-11-02', to: '2026-11-01' })).rejects.toThrow(/swap them/);
  });

  it('runs as a job with progress', async () => {
    await postCall(t, director.headers, { id: 'j-1', agent: '1024', startedAt: `${DAY}T10:00:00+08:00` });
    const job = await t.app.services.jobs.enqueue('dashboard-backfill', { from: DAY, to: DAY });
    await vi.waitFor(
      async () => {
        const view = await t.app.services.jobs.get(job.id);
        expect(view?.status).toBe('completed');
        expect(view?.progress).toBe(100);
        expect(view?.result).toMatchObject({ calls: { seen: 1, added: 1 } });
      },
      { timeout: 10_000, interval: 100 },
    );
    expect((await get(director, `/api/dashboard/calls?from=${DAY}&to=${DAY}&by=all`)).total.calls).toBe(1);
  });
});
