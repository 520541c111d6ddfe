// An account limited to a brand works on that brand's reviews only: sampling plans and their
// runs, reviews, appeals, calibration sessions and the machine's precision. Another brand's
// review, appeal or session answers 404 exactly as an unknown id; naming another brand is 403
// naming the account's; a call of another brand is refused as an unknown one. On both engines.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postCall } from '../calls/fixtures.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

interface ReviewBody {
  id: string;
  callId: string;
  brand: string;
  inspector: { id: string };
  findings: { ref: string; index: number }[];
}

const PLAN = {
  allFatal: true,
  allComplaints: true,
  mode: 'count',
  amount: 10,
  seed: 7,
  dueDays: 3,
  appealWindowDays: 5,
  assign: 'round-robin',
};
const WEEK = '2026-11-16';

describe.each(ENGINES)('review, appeals and calibration limited to the account’s brand on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  let lead: Session; // QA lead of every brand
  let zhInspA: Session;
  let zhInspB: Session;
  let cyDirector: Session; // room director of chaoyue only
  let cyLead: Session; // QA lead of chaoyue only
  let cyInspector: Session;
  let zhAgent: Session; // 工号 1024 at zhonghua
  let cyAgent: Session; // 工号 1024 at chaoyue
  const req = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
    t.app.inject(
      payload === undefined
        ? { method, url, headers: s.headers }
        : { method, url, headers: s.headers, payload },
    );
  const userId = async (name: string) =>
    (await t.app.services.accounts.listUsers()).find((u) => u.username === name)?.id as string;

  /** A user of the brand (null: every brand), made by the admin, signed in. */
  async function brandUser(username: string, role: string, brand: string | null, agentNumber?: string) {
    const made = await req(admin, 'POST', '/api/users', {
      username,
      displayName: username,
      role,
      brand,
      ...(agentNumber ? { agentNumber } : {}),
      password: 'correct horse 1',
    });
    expect(made.statusCode, made.body).toBe(201);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: 'correct horse 1' },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const csrf = (login.json() as { csrfToken: string }).csrfToken;
    return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf, 'accept-language': 'en' } };
  }

  beforeEach(async () => {
    t = await testApp(engine);
    admin = await signInAs(t, 'admin');
    lead = await signInAs(t, 'qa-lead', 'lead');
    zhInspA = await brandUser('zh-insp-a', 'qa-inspector', 'zhonghua');
    zhInspB = await brandUser('zh-insp-b', 'qa-inspector', 'zhonghua');
    cyDirector = await brandUser('cy-director', 'room-director', 'chaoyue');
    cyLead = await brandUser('cy-lead', 'qa-lead', 'chaoyue');
    cyInspector = await brandUser('cy-insp', 'qa-inspector', 'chaoyue');
    await brandUser('cy-insp-2', 'qa-inspector', 'chaoyue');
    zhAgent = await brandUser('zh-agent', 'agent', 'zhonghua', '1024');
    cyAgent = await brandUser('cy-agent', 'agent', 'chaoyue', '1024');
    for (const [id, brand] of [
      ['zh-1', 'zhonghua'],
      ['cy-1', 'chaoyue'],
    ] as const) {
      const res = await postCall(t, admin.headers, {
        id,
        brand,
        agent: '1024',
        startedAt: '2026-11-17T10:00:00+08:00',
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterEach(async () => {
    await t.close();
  });

  /** The zhonghua call's review, sampled by the unlimited lead; its inspector's session. */
  async function zhonghuaReview(): Promise<{ review: ReviewBody; inspector: Session }> {
    expect((await req(lead, 'PUT', '/api/review/plans/zhonghua', PLAN)).statusCode).toBe(200);
    const run = await req(lead, 'POST', '/api/review/plans/zhonghua/run', { week: WEEK });
    expect(run.statusCode, run.body).toBe(201);
    const [review] = run.json().assigned as ReviewBody[];
    expect(review?.callId).toBe('zh-1');
    const r = review as ReviewBody;
    return { review: r, inspector: r.inspector.id === (await userId('zh-insp-a')) ? zhInspA : zhInspB };
  }

  it('refuses another brand’s sampling plan and its run (403 naming the account’s brand); nothing is sampled', async () => {
    for (const s of [cyDirector, cyLead]) {
      const read = await req(s, 'GET', '/api/review/plans/zhonghua');
      expect(read.statusCode, read.body).toBe(403);
      expect(read.json().message).toContain("brand 'chaoyue'");
      expect(read.json().details[0]).toMatchObject({ path: 'params.brand' });
      expect((await req(s, 'PUT', '/api/review/plans/zhonghua', PLAN)).statusCode).toBe(403);
      // By the brand's name as well as its id.
      expect(
        (await req(s, 'PUT', `/api/review/plans/${encodeURIComponent('中华保险')}`, PLAN)).statusCode,
      ).toBe(403);
      const run = await req(s, 'POST', '/api/review/plans/zhonghua/run', { week: WEEK });
      expect(run.statusCode, run.body).toBe(403);
    }
    // Nothing saved or drawn: the plan is still the default, no zhonghua call was sampled.
    expect((await req(lead, 'GET', '/api/review/plans/zhonghua')).json()).toMatchObject({ mode: 'percent' });
    expect((await req(lead, 'GET', '/api/reviews?brand=zhonghua')).json().total).toBe(0);
    // Its own brand's plan works, and draws its own brand's calls only.
    expect((await req(cyLead, 'PUT', '/api/review/plans/chaoyue', PLAN)).statusCode).toBe(200);
    const own = await req(cyLead, 'POST', '/api/review/plans/chaoyue/run', { week: WEEK });
    expect(own.statusCode, own.body).toBe(201);
    expect((own.json().assigned as ReviewBody[]).map((r) => [r.callId, r.brand])).toEqual([
      ['cy-1', 'chaoyue'],
    ]);
  });

  it('answers another brand’s review as an unknown one: reading, listing, completing', async () => {
    const { review } = await zhonghuaReview();
    const unknown = await req(cyDirector, 'GET', '/api/reviews/no-such-review');
    expect(unknown.statusCode).toBe(404);
    for (const s of [cyDirector, cyLead, cyInspector, cyAgent]) {
      const other = await req(s, 'GET', `/api/reviews/${review.id}`);
      expect(other.statusCode, other.body).toBe(404);
      expect(other.json().message).toBe(unknown.json().message.replace('no-such-review', review.id));
      expect((await req(s, 'GET', '/api/reviews')).json().total).toBe(0);
    }
    // Naming another brand in the list is 403; the unlimited lead sees it.
    const named = await req(cyDirector, 'GET', '/api/reviews?brand=zhonghua');
    expect(named.statusCode).toBe(403);
    expect(named.json().message).toContain("brand 'chaoyue'");
    expect((await req(lead, 'GET', `/api/reviews/${review.id}`)).statusCode).toBe(200);
    // Completing it: 404 as an unknown review (not 403, which would confirm it), nothing stored.
    const verdicts = review.findings.map((f) => ({ finding: f.index, verdict: 'wrong' }));
    const unknownDone = await req(cyLead, 'POST', '/api/reviews/no-such-review/complete', { verdicts });
    const done = await req(cyLead, 'POST', `/api/reviews/${review.id}/complete`, { verdicts });
    expect(done.statusCode, done.body).toBe(404);
    expect(done.json().message).toBe(unknownDone.json().message.replace('no-such-review', review.id));
    expect((await req(lead, 'GET', `/api/reviews/${review.id}`)).json().status).toBe('assigned');
  });

  it('cannot read, file or judge an appeal of another brand’s call', async () => {
    const { review, inspector } = await zhonghuaReview();
    const done = await req(inspector, 'POST', `/api/reviews/${review.id}/complete`, {
      verdicts: review.findings.map((f) => ({ finding: f.index, verdict: 'correct' })),
    });
    expect(done.statusCode, done.body).toBe(200);
    const finding = (review.findings[0] as { ref: string }).ref;
    // The chaoyue agent with the same 工号 neither sees the review nor appeals it.
    expect((await req(cyAgent, 'GET', `/api/reviews/${review.id}`)).statusCode).toBe(404);
    const filed = await req(cyAgent, 'POST', `/api/reviews/${review.id}/appeals`, {
      finding,
      reason: '不服',
    });
    expect(filed.statusCode, filed.body).toBe(404);
    const appeal = await req(zhAgent, 'POST', `/api/reviews/${review.id}/appeals`, {
      finding,
      reason: '不服',
    });
    expect(appeal.statusCode, appeal.body).toBe(201);
    const appealId = appeal.json().id as string;
    // Listed for the unlimited, not for chaoyue's director; judged by chaoyue's: 404 as unknown.
    expect((await req(lead, 'GET', '/api/appeals')).json().total).toBe(1);
    expect((await req(cyDirector, 'GET', '/api/appeals')).json().total).toBe(0);
    expect((await req(cyAgent, 'GET', '/api/appeals')).json().total).toBe(0);
    const unknown = await req(cyDirector, 'POST', '/api/appeals/no-such-appeal/judgement', {
      outcome: 'overturn',
      note: 'n',
    });
    const judged = await req(cyDirector, 'POST', `/api/appeals/${appealId}/judgement`, {
      outcome: 'overturn',
      note: 'n',
    });
    expect(judged.statusCode).toBe(404);
    expect(judged.json().message).toBe(unknown.json().message.replace('no-such-appeal', appealId));
    expect((await req(lead, 'GET', '/api/appeals?status=open')).json().total).toBe(1);
  });

  it('calibrates only its brand’s calls: another brand is 403, another brand’s call is an unknown call', async () => {
    const inspectors = [await userId('cy-insp'), await userId('cy-insp-2')];
    const other = await req(cyLead, 'POST', '/api/calibrations', {
      brand: 'zhonghua',
      title: '校准',
      callIds: ['zh-1'],
      inspectorIds: [await userId('zh-insp-a'), await userId('zh-insp-b')],
    });
    expect(other.statusCode, other.body).toBe(403);
    expect(other.json().message).toContain("brand 'chaoyue'");
    const make = (callIds: string[]) =>
      req(cyLead, 'POST', '/api/calibrations', {
        brand: 'chaoyue',
        title: '校准',
        callIds,
        inspectorIds: inspectors,
      });
    const unknown = await make(['no-such-call']);
    const zh = await make(['zh-1']);
    expect(zh.statusCode).toBe(400);
    expect(zh.json().message).toBe(unknown.json().message.replace('no-such-call', 'zh-1'));
    expect(zh.json().details).toEqual([{ path: 'body.callIds.0', message: 'no such call of chaoyue' }]);
    expect(unknown.json().details).toEqual(zh.json().details);
    expect((await make(['cy-1'])).statusCode).toBe(201);
    // The unlimited lead's zhonghua session: not listed for chaoyue's lead, 404 as unknown.
    const zhSession = await req(lead, 'POST', '/api/calibrations', {
      brand: 'zhonghua',
      title: '中华校准',
      callIds: ['zh-1'],
      inspectorIds: [await userId('zh-insp-a'), await userId('zh-insp-b')],
    });
    expect(zhSession.statusCode, zhSession.body).toBe(201);
    const listed = (s: Session) =>
      req(s, 'GET', '/api/calibrations').then((r) =>
        (r.json().items as { brand: string }[]).map((x) => x.brand),
      );
    expect(await listed(cyLead)).toEqual(['chaoyue']);
    expect(await listed(cyDirector)).toEqual(['chaoyue']);
    expect((await listed(lead)).sort()).toEqual(['chaoyue', 'zhonghua']);
    const id = zhSession.json().id as string;
    const report = await req(cyDirector, 'GET', `/api/calibrations/${id}`);
    expect(report.statusCode).toBe(404);
    const none = await req(cyDirector, 'GET', '/api/calibrations/no-such-session');
    expect(report.json().message).toBe(none.json().message.replace('no-such-session', id));
  });

  it('reads the machine’s precision of its own brand only', async () => {
    const q = `from=${encodeURIComponent('2026-11-01T00:00:00Z')}&to=${encodeURIComponent('2026-12-01T00:00:00Z')}`;
    const other = await req(cyDirector, 'GET', `/api/review/precision?brand=zhonghua&${q}`);
    expect(other.statusCode, other.body).toBe(403);
    expect(other.json().details[0]).toMatchObject({ path: 'querystring.brand' });
    expect((await req(cyDirector, 'GET', `/api/review/precision?brand=chaoyue&${q}`)).statusCode).toBe(200);
    expect((await req(lead, 'GET', `/api/review/precision?brand=zhonghua&${q}`)).statusCode).toBe(200);
  });
});
