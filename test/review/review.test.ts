// Review, appeal and calibration over HTTP on both engines: a plan samples last week's calls
// and assigns them; the inspector marks the machine's findings and adds a missed one (machine
// and human scores both kept); the agent appeals within the window; the inspector of the review
// may not judge it; a room director overturns and the human score is computed again; every step
// audited and notified. A calibration session is blind and gives agreement per rule.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import { postCall } from '../calls/fixtures.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

interface Finding {
  ref: string;
  kind: string;
  index: number;
  rule: string;
  verdict: string | null;
  appeal: { id: string; status: string } | null;
}
interface ReviewBody {
  id: string;
  callId: string;
  status: string;
  reason: string;
  inspector: { id: string };
  machine: { score: number };
  human: { computedScore: number | null; finalScore: number | null; overrideReason: string | null };
  findings: Finding[];
  appealUntil: string | null;
}

/** A sampling plan: 2 calls per agent per week, every fatal and complaint call, round-robin. */
const WEEKLY_PLAN = {
  allFatal: true,
  allComplaints: true,
  mode: 'count',
  amount: 2,
  seed: 7,
  dueDays: 3,
  appealWindowDays: 5,
  assign: 'round-robin',
};

describe.each(ENGINES)('review, appeal and calibration on %s', (engine) => {
  let t: TestApp;
  let lead: Session;
  let director: Session;
  let inspA: Session;
  let inspB: Session;
  let agent: Session;
  const userId = async (name: string) =>
    (await t.app.services.accounts.listUsers()).find((u) => u.username === name)?.id as string;
  const call = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
    t.app.inject(
      payload === undefined
        ? { method, url, headers: s.headers }
        : { method, url, headers: s.headers, payload },
    );

  beforeEach(async () => {
    t = await testApp(engine);
    lead = await signInAs(t, 'qa-lead', 'lead');
    director = await signInAs(t, 'room-director', 'director');
    inspA = await signInAs(t, 'qa-inspector', 'insp-a');
    inspB = await signInAs(t, 'qa-inspector', 'insp-b');
    agent = await signInAs(t, 'agent', 'agent'); // 工号 1024
    for (let i = 0; i < 6; i++) {
      const res = await postCall(t, director.headers, {
        id: `c-${i}`,
        agent: i < 4 ? '1024' : '2048',
        startedAt: `2026-11-1${7 + (i % 3)}T10:0${i}:00+08:00`,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterEach(async () => {
    await t.close();
  });

  it('does not sample a call with no score (a missed call: every rule n/a) for review', async () => {
    const missed = await postCall(t, director.headers, {
      id: 'c-missed',
      brand: 'zhonghua',
      startedAt: '2026-11-18T11:00:00+08:00',
      agent: { id: '2048' },
      events: [
        { type: 'ring', at: 0 },
        { type: 'hangup', at: 20_000, by: 'customer' },
      ],
      turns: [],
    });
    expect(missed.statusCode, missed.body).toBe(201);
    const plan = { ...WEEKLY_PLAN, amount: 10 };
    expect((await call(lead, 'PUT', '/api/review/plans/zhonghua', plan)).statusCode).toBe(200);
    const run = await call(lead, 'POST', '/api/review/plans/zhonghua/run', { week: '2026-11-16' });
    expect(run.statusCode, run.body).toBe(201);
    const calls = (run.json().assigned as { callId: string }[]).map((r) => r.callId).sort();
    expect(calls).toEqual(['c-0', 'c-1', 'c-2', 'c-3', 'c-4', 'c-5']);
  });

  it('samples a week reproducibly, reviews, appeals and judges by the right roles', async () => {
    // Plan: 2 calls per agent per week, round-robin; refused for an inspector.
    const plan = WEEKLY_PLAN;
    expect((await call(inspA, 'PUT', '/api/review/plans/zhonghua', plan)).statusCode).toBe(403);
    const put = await call(lead, 'PUT', '/api/review/plans/zhonghua', plan);
    expect(put.statusCode, put.body).toBe(200);
    const bad = await call(lead, 'PUT', '/api/review/plans/zhonghua', {
      ...plan,
      mode: 'percent',
      amount: 150,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0]).toMatchObject({ path: 'body.amount' });
    expect((await call(lead, 'GET', '/api/review/plans/zhonghua')).json()).toMatchObject({
      ...plan,
      brand: 'zhonghua',
    });

    const run = await call(lead, 'POST', '/api/review/plans/zhonghua/run', { week: '2026-11-16' });
    expect(run.statusCode, run.body).toBe(201);
    const assigned = run.json().assigned as ReviewBody[];
    expect(assigned).toHaveLength(4); // 2 of agent 1024's 4 calls, both of 2048's
    expect(new Set(assigned.map((r) => r.inspector.id))).toEqual(
      new Set([await userId('insp-a'), await userId('insp-b')]),
    );
    // The same week again assigns nothing new; a non-Monday is refused with the field.
    expect(
      (await call(lead, 'POST', '/api/review/plans/zhonghua/run', { week: '2026-11-16' })).json().assigned,
    ).toEqual([]);
    expect(
      (await call(lead, 'POST', '/api/review/plans/zhonghua/run', { week: '2026-11-17' })).json().details[0]
        .path,
    ).toBe('body.week');

    // The inspectors each see only their own; the agent sees nothing until a review is done.
    const mine = (await call(inspA, 'GET', '/api/reviews')).json();
    expect(mine.total).toBe(2);
    expect((await call(agent, 'GET', '/api/reviews')).json().total).toBe(0);

    const target = assigned.find((r) => r.callId <= 'c-3') as ReviewBody; // one of agent 1024's
    const owner = target.inspector.id === (await userId('insp-a')) ? inspA : inspB;
    const other = owner === inspA ? inspB : inspA;
    expect(target.findings.length).toBeGreaterThanOrEqual(2);
    const verdicts = target.findings.map((f, i) => ({
      finding: f.index,
      verdict: i === 0 ? 'wrong' : 'correct',
    }));
    // Only its inspector completes it; every finding must be marked; missed rules must exist.
    expect((await call(other, 'POST', `/api/reviews/${target.id}/complete`, { verdicts })).statusCode).toBe(
      403,
    );
    const partial = await call(owner, 'POST', `/api/reviews/${target.id}/complete`, {
      verdicts: verdicts.slice(1),
    });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().details[0].message).toContain('findings without a verdict: 0');
    const unknown = await call(owner, 'POST', `/api/reviews/${target.id}/complete`, {
      verdicts,
      missed: [{ rule: 'no.such', turn: 0 }],
    });
    expect(unknown.json().details[0]).toMatchObject({ path: 'body.missed.0.rule' });

    const done = await call(owner, 'POST', `/api/reviews/${target.id}/complete`, {
      verdicts,
      missed: [{ rule: 'closing.farewell', turn: 10, note: '没有结束语' }],
      comment: '第一条为误判',
    });
    expect(done.statusCode, done.body).toBe(200);
    const reviewed = done.json() as ReviewBody;
    expect(reviewed.status).toBe('done');
    expect(reviewed.machine.score).toBe(target.machine.score); // the machine's result is kept
    expect(reviewed.human.computedScore).not.toBeNull();
    expect(reviewed.human.finalScore).toBe(reviewed.human.computedScore);
    expect(reviewed.findings.map((f) => f.kind)).toContain('missed');
    expect(reviewed.appealUntil).toBe('2026-11-25T01:00:00.000Z');
    expect((await call(owner, 'POST', `/api/reviews/${target.id}/complete`, { verdicts })).statusCode).toBe(
      409,
    );

    // The agent sees the reviewed call and was told.
    const agentList = (await call(agent, 'GET', '/api/reviews')).json();
    expect(agentList.items.map((r: ReviewBody) => r.id)).toEqual([target.id]);
    const notes = (await call(agent, 'GET', '/api/notifications')).json();
    expect(notes.items.map((n: { message: string }) => n.message).join('\n')).toContain(
      `通话 ${target.callId} 已人工复核`,
    );

    // Appeal: not a finding marked wrong; a confirmed one, once.
    expect(
      (await call(agent, 'POST', `/api/reviews/${target.id}/appeals`, { finding: 'f:0', reason: 'x' }))
        .statusCode,
    ).toBe(400);
    const confirmed = reviewed.findings.find((f) => f.verdict === 'correct') as Finding;
    const appeal = await call(agent, 'POST', `/api/reviews/${target.id}/appeals`, {
      finding: confirmed.ref,
      reason: '我说的是“稍等”，不是含糊用语',
    });
    expect(appeal.statusCode, appeal.body).toBe(201);
    const appealId = appeal.json().id as string;
    expect(
      (
        await call(agent, 'POST', `/api/reviews/${target.id}/appeals`, {
          finding: confirmed.ref,
          reason: 'again',
        })
      ).statusCode,
    ).toBe(409);
    // The QA lead and the room director were told; the list shows it open.
    expect((await call(director, 'GET', '/api/notifications')).json().items[0].message).toContain('提出申诉');
    expect((await call(lead, 'GET', '/api/appeals?status=open')).json().total).toBe(1);
    // An inspector may not judge; nor may the reviewer when a lead took the review.
    expect(
      (await call(owner, 'POST', `/api/appeals/${appealId}/judgement`, { outcome: 'overturn', note: 'n' }))
        .statusCode,
    ).toBe(403);

    const judged = await call(director, 'POST', `/api/appeals/${appealId}/judgement`, {
      outcome: 'overturn',
      note: '录音核实为“稍等”，撤销',
    });
    expect(judged.statusCode, judged.body).toBe(200);
    expect(judged.json()).toMatchObject({ status: 'overturned', judgementNote: '录音核实为“稍等”，撤销' });
    expect(
      (await call(lead, 'POST', `/api/appeals/${appealId}/judgement`, { outcome: 'uphold', note: 'n' }))
        .statusCode,
    ).toBe(409);
    const after = (await call(agent, 'GET', `/api/reviews/${target.id}`)).json() as ReviewBody;
    const struck = after.findings.find((f) => f.ref === confirmed.ref) as Finding;
    expect(struck.verdict).toBe('wrong');
    expect(struck.appeal?.status).toBe('overturned');
    expect(after.human.finalScore).toBeGreaterThanOrEqual(reviewed.human.finalScore as number);
    expect(after.machine.score).toBe(target.machine.score);

    // Every step audited.
    expect((await auditTrail(t.store.db, 'review', target.id)).map((a) => a.action)).toEqual([
      'assign',
      'complete',
      'overturn',
    ]);
    expect((await auditTrail(t.store.db, 'appeal', appealId)).map((a) => a.action)).toEqual([
      'file',
      'overturn',
    ]);
    expect((await call(agent, 'GET', '/api/notifications')).json().items[0].message).toContain('已终审');

    // A lead who reviews a call themselves may not judge its appeal.
    const second = assigned.find((r) => r.callId <= 'c-3' && r.id !== target.id) as ReviewBody;
    const leadId = await userId('lead');
    expect(
      (await call(lead, 'POST', `/api/reviews/${second.id}/assign`, { inspectorId: leadId })).statusCode,
    ).toBe(200);
    const secondView = (await call(lead, 'GET', `/api/reviews/${second.id}`)).json() as ReviewBody;
    await call(lead, 'POST', `/api/reviews/${second.id}/complete`, {
      verdicts: secondView.findings.map((f) => ({ finding: f.index, verdict: 'correct' })),
      override: { score: 90, reason: '整体服务良好' },
    });
    const r2 = (await call(agent, 'GET', `/api/reviews/${second.id}`)).json() as ReviewBody;
    expect(r2.human).toMatchObject({ finalScore: 90, overrideReason: '整体服务良好' });
    const a2 = await call(agent, 'POST', `/api/reviews/${second.id}/appeals`, {
      finding: 'f:0',
      reason: '不同意',
    });
    expect(a2.statusCode, a2.body).toBe(201);
    const own = await call(lead, 'POST', `/api/appeals/${a2.json().id}/judgement`, {
      outcome: 'uphold',
      note: 'n',
    });
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toContain('another QA lead or room director');

    // After the window an appeal is refused.
    t.clock.set(new Date('2026-11-26T00:00:00Z'));
    agent = await signInAs(t, 'agent', 'agent'); // sessions last 12 hours
    const late = await call(agent, 'POST', `/api/reviews/${second.id}/appeals`, {
      finding: 'f:1',
      reason: 'late',
    });
    expect(late.statusCode).toBe(422);
    expect(late.json().message).toContain('appeal window has closed');
  });

  it('lists each appeal with the agent it is about, kept to one 工号 or sorted by 工号', async () => {
    await t.app.services.accounts.createUser(
      {
        username: 'agent2',
        displayName: '王芳',
        role: 'agent',
        password: 'correct horse 1',
        agentNumber: '2048',
      },
      { userId: null, ip: null },
    );
    const agent2 = await signInAs(t, 'agent', 'agent2');
    const plan = {
      allFatal: false,
      allComplaints: false,
      mode: 'count',
      amount: 1,
      seed: 7,
      dueDays: 3,
      appealWindowDays: 5,
      assign: 'round-robin',
    };
    expect((await call(lead, 'PUT', '/api/review/plans/zhonghua', plan)).statusCode).toBe(200);
    const run = await call(lead, 'POST', '/api/review/plans/zhonghua/run', { week: '2026-11-16' });
    const assigned = run.json().assigned as (ReviewBody & { agent: { id: string } })[];
    expect(assigned.map((r) => r.agent.id).sort()).toEqual(['1024', '2048']);
    const inspectors = new Map([
      [await userId('insp-a'), inspA],
      [await userId('insp-b'), inspB],
    ]);
    // 2048 appeals first: filing order is not 工号 order.
    for (const [number, who] of [
      ['2048', agent2],
      ['1024', agent],
    ] as const) {
      const r = assigned.find((x) => x.agent.id === number) as ReviewBody;
      const done = await call(
        inspectors.get(r.inspector.id) as Session,
        'POST',
        `/api/reviews/${r.id}/complete`,
        {
          verdicts: r.findings.map((f) => ({ finding: f.index, verdict: 'correct' })),
        },
      );
      expect(done.statusCode, done.body).toBe(200);
      const filed = await call(who, 'POST', `/api/reviews/${r.id}/appeals`, {
        finding: 'f:0',
        reason: '不同意',
      });
      expect(filed.statusCode, filed.body).toBe(201);
      t.clock.advance(60_000);
    }
    const agents = async (s: Session, query = '') => {
      const res = await call(s, 'GET', `/api/appeals${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res
        .json()
        .items.map((a: { agent: { number: string; name: string } }) => `${a.agent.name} ${a.agent.number}`);
    };
    expect(await agents(lead)).toEqual(['王芳 2048', 'agent 1024']);
    expect(await agents(lead, '?sort=agent')).toEqual(['agent 1024', '王芳 2048']);
    expect(await agents(lead, '?agent=2048')).toEqual(['王芳 2048']);
    expect(await agents(director, '?agent=%EF%BC%91%EF%BC%90%EF%BC%92%EF%BC%94&status=open')).toEqual([
      'agent 1024',
    ]);
    expect(await agents(lead, '?agent=3001')).toEqual([]);
    // A filter only looks up (any id a call was stored under); longer than any id is refused.
    expect(await agents(lead, '?agent=%E6%9D%8E')).toEqual([]);
    const bad = await call(lead, 'GET', `/api/appeals?agent=${'9'.repeat(129)}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('querystring.agent');
    // An agent sees their own, named the same way.
    expect(await agents(agent2)).toEqual(['王芳 2048']);
  });

  it('runs the saved plans over last week on its schedule, once per week, and only the saved ones', async () => {
    const plan = {
      allFatal: false,
      allComplaints: false,
      mode: 'count',
      amount: 1,
      seed: 3,
      dueDays: 3,
      appealWindowDays: 5,
      assign: 'least-loaded',
    };
    expect((await call(lead, 'PUT', '/api/review/plans/zhonghua', plan)).statusCode).toBe(200);
    // The Wednesday after the calls' week (Monday 2026-11-16, Shanghai).
    t.clock.set(new Date('2026-11-25T02:00:00Z'));
    const system = { userId: null, ip: null };
    const first = await t.app.services.review.runSavedPlans(system);
    expect(first).toEqual([{ brand: 'zhonghua', assigned: 2 }]); // one call of each agent
    // The next hour's run assigns nothing new.
    t.clock.set(new Date('2026-11-25T03:00:00Z'));
    expect(await t.app.services.review.runSavedPlans(system)).toEqual([{ brand: 'zhonghua', assigned: 0 }]);
  });

  it('refuses a missed finding on a turn its rule cannot be on, out of the call, or of another channel', async () => {
    // A chat thread beside the phone call c-0 (11 turns: agent on even turns, 0-based).
    const chat = JSON.parse(
      readFileSync(new URL('../../examples/zh-chat-address-change.json', import.meta.url), 'utf8'),
    );
    const posted = await postCall(t, director.headers, { ...chat, id: 'chat-1', agent: { id: '1024' } });
    expect(posted.statusCode, posted.body).toBe(201);
    const made = await call(lead, 'POST', '/api/calibrations', {
      brand: 'zhonghua',
      title: '漏检',
      callIds: ['c-0', 'chat-1'],
      inspectorIds: [await userId('insp-a'), await userId('insp-b')],
    });
    expect(made.statusCode, made.body).toBe(201);
    const copies = (await call(inspA, 'GET', `/api/reviews?sessionId=${made.json().id}`)).json()
      .items as ReviewBody[];
    const phone = copies.find((r) => r.callId === 'c-0') as ReviewBody;
    const thread = copies.find((r) => r.callId === 'chat-1') as ReviewBody;
    const verdicts = (r: ReviewBody) => r.findings.map((f) => ({ finding: f.index, verdict: 'correct' }));
    const complete = (r: ReviewBody, missed: unknown[], language = 'en') =>
      t.app.inject({
        method: 'POST',
        url: `/api/reviews/${r.id}/complete`,
        headers: { ...inspA.headers, 'accept-language': language },
        payload: { verdicts: verdicts(r), missed },
      });

    // The review offers the rules of the call's channel, each with whose turns it is on.
    const phoneView = (await call(inspA, 'GET', `/api/reviews/${phone.id}`)).json();
    expect(phoneView.channel).toBe('phone');
    const rules = new Map(
      phoneView.rules.map((r: { id: string; evidenceOn: string[] }) => [r.id, r.evidenceOn]),
    );
    expect(rules.get('closing.farewell')).toEqual(['agent']);
    expect(rules.get('opening.answer-speed')).toEqual([]);
    const chatView = (await call(inspA, 'GET', `/api/reviews/${thread.id}`)).json();
    expect(chatView.channel).toBe('chat');
    const chatRules = chatView.rules.map((r: { id: string }) => r.id);
    expect(chatRules).toContain('language.nin');
    expect(chatRules).not.toContain('opening.greeting');

    // What the agent says, pinned on the customer's turn (index 1, the transcript's turn 2).
    const customer = await complete(phone, [{ rule: 'closing.farewell', turn: 1, note: '' }]);
    expect(customer.statusCode).toBe(400);
    expect(customer.json().message).toBe(
      "turn 2 is the customer's; rule 'closing.farewell' is about what the agent says",
    );
    expect(customer.json().details).toEqual([
      {
        path: 'body.missed.0.turn',
        message: "turn 2 (index 1) is the customer's: give a turn of the agent (1, 3, 5, 7, 9, 11)",
      },
    ]);
    const zh = await complete(phone, [{ rule: 'closing.farewell', turn: 1, note: '' }], 'zh-CN');
    expect(zh.json().message).toBe('第 2 轮是客户说的，规则“结束语”看的是坐席的话');
    expect(zh.json().details[0].message).toBe('第 2 轮是客户说的：请填写坐席的轮次（1、3、5、7、9、11）');
    // Beyond the call: 11 turns, index 11 is the transcript's turn 12.
    const beyond = await complete(phone, [{ rule: 'closing.farewell', turn: 11, note: '' }]);
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json().details[0]).toMatchObject({
      path: 'body.missed.0.turn',
      message: expect.stringContaining('give a turn of 1–11 as the transcript numbers them (index 0–10)'),
    });
    // A negative index, at the route.
    const negative = await complete(phone, [{ rule: 'closing.farewell', turn: -1, note: '' }]);
    expect(negative.statusCode).toBe(400);
    expect(negative.json().details[0]).toMatchObject({
      path: 'body.missed.0.turn',
      message: expect.stringContaining('0-based index'),
    });
    // A whole-call rule on a turn; a phone-only rule on a chat thread.
    const whole = await complete(phone, [{ rule: 'opening.answer-speed', turn: 0, note: '' }]);
    expect(whole.json().details[0]).toMatchObject({
      path: 'body.missed.0.turn',
      message: "'opening.answer-speed' is judged on the whole call: leave the turn empty",
    });
    const channel = await complete(thread, [{ rule: 'opening.greeting', turn: 1, note: '' }]);
    expect(channel.statusCode).toBe(400);
    expect(channel.json().details[0]).toMatchObject({
      path: 'body.missed.0.rule',
      message: "'opening.greeting' applies to phone only; this call is chat: pick a rule of its channel",
    });
    // Nothing was stored by the refusals; the agent's own turn is taken.
    expect((await call(inspA, 'GET', `/api/reviews/${phone.id}`)).json().status).toBe('assigned');
    const done = await complete(phone, [{ rule: 'closing.farewell', turn: 10, note: '' }]);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().findings.find((f: Finding) => f.kind === 'missed')).toMatchObject({
      rule: 'closing.farewell',
      turn: 10,
    });
  });

  it('runs a blind calibration session and reports agreement per rule and the machine’s precision', async () => {
    const [a, b] = [await userId('insp-a'), await userId('insp-b')];
    const made = await call(lead, 'POST', '/api/calibrations', {
      brand: 'zhonghua',
      title: '十一月校准',
      callIds: ['c-0', 'c-1', 'c-2'],
      inspectorIds: [a, b],
    });
    expect(made.statusCode, made.body).toBe(201);
    const session = made.json().id as string;
    const oneInspector = await call(lead, 'POST', '/api/calibrations', {
      brand: 'zhonghua',
      title: 'x',
      callIds: ['c-0'],
      inspectorIds: [a, a],
    });
    expect(oneInspector.statusCode).toBe(400);

    const aList = (await call(inspA, 'GET', `/api/reviews?sessionId=${session}`)).json()
      .items as ReviewBody[];
    const bList = (await call(inspB, 'GET', `/api/reviews?sessionId=${session}`)).json()
      .items as ReviewBody[];
    expect(aList).toHaveLength(3);
    // Blind: an inspector cannot open another's copy.
    expect((await call(inspA, 'GET', `/api/reviews/${bList[0]?.id}`)).statusCode).toBe(404);
    // A confirms everything; B marks the first finding of each call wrong.
    for (const r of aList)
      await call(inspA, 'POST', `/api/reviews/${r.id}/complete`, {
        verdicts: r.findings.map((f) => ({ finding: f.index, verdict: 'correct' })),
      });
    for (const r of bList)
      await call(inspB, 'POST', `/api/reviews/${r.id}/complete`, {
        verdicts: r.findings.map((f, i) => ({ finding: f.index, verdict: i === 0 ? 'wrong' : 'correct' })),
      });
    // Calibration reviews are not the agent's to see.
    expect((await call(agent, 'GET', '/api/reviews')).json().total).toBe(0);

    const report = await call(lead, 'GET', `/api/calibrations/${session}`);
    expect(report.statusCode, report.body).toBe(200);
    const body = report.json();
    expect(body.completeCalls).toBe(3);
    expect(body.session.inspectors.map((i: { done: number }) => i.done)).toEqual([3, 3]);
    const firstRule = aList[0]?.findings[0]?.rule as string;
    const row = body.rules.find((r: { rule: string }) => r.rule === firstRule);
    expect(row).toMatchObject({ calls: 3, failedBySomeone: 3, percentAgreement: 0, machineAgreement: 0.5 });
    expect((await call(inspA, 'GET', `/api/calibrations/${session}`)).statusCode).toBe(403);

    const precision = await call(
      lead,
      'GET',
      '/api/review/precision?brand=zhonghua&from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z',
    );
    expect(precision.statusCode, precision.body).toBe(200);
    const p = precision.json().items.find((r: { rule: string }) => r.rule === firstRule);
    // Three calls of two findings' worth each, not six: each call's two copies split on its first.
    expect(p).toMatchObject({ week: '2026-11-16', confirmed: 1.5, wrong: 1.5, precision: 0.5 });
  });
});
