// What an agent sees of a customer's earlier calls, on both engines: their own calls whole; of
// a colleague's call only the fact of it — when, which brand, answered or not, what it was
// about — with no agent, no score or findings, and no subject at all for a harassment call
// (the harasser's words). The same in the history, the repeat-caller notice and the ring's
// answer. Supervisors see everything as before.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postCall } from '../calls/fixtures.ts';
import { ctiBridge } from '../cti/bridge.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

const PHONE = '13800138000';

describe.each(ENGINES)("an agent's view of a customer's calls on %s", (engine) => {
  let t: TestApp;
  let agent: Session; // 工号 1024
  let lead: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    agent = await signInAs(t, 'agent');
    lead = await signInAs(t, 'team-lead');
    const qa = await signInAs(t, 'qa-inspector');
    const admin = await signInAs(t, 'admin');
    const call = async (id: string, agentNumber: string, time: string, subject: string, phone = PHONE) => {
      const res = await postCall(t, qa.headers, {
        id,
        agent: agentNumber,
        phone,
        subject,
        startedAt: `2026-11-20T${time}+08:00`,
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await call('colleague', '4402', '08:10:00', '理赔进度查询');
    await call('own', '1024', '08:20:00', '保单续保');
    await call('harass', '4402', '08:40:00', '你们都是骗子我要骂死你');
    const listed = await t.app.inject({
      method: 'POST',
      url: '/api/blacklist',
      headers: admin.headers,
      payload: { callId: 'harass' },
    });
    expect(listed.statusCode, listed.body).toBe(201);
    await call('other-colleague', '4402', '08:30:00', '发票寄送地址', '13700137000');
  });
  afterEach(async () => {
    await t.close();
  });

  const get = async (s: Session, url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: s.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it("shows an agent their own calls whole and only the fact of a colleague's in the history", async () => {
    const mine = await get(agent, `/api/customers/${PHONE}/history`);
    const byId = Object.fromEntries(mine.calls.map((c: { id: string }) => [c.id, c]));
    expect(mine.calls.map((c: { id: string }) => c.id)).toEqual(['harass', 'own', 'colleague']);
    expect(byId.own).toMatchObject({
      agent: { id: '1024' },
      subject: '保单续保',
      qa: { score: expect.any(Number) },
    });
    // A colleague's call: when, brand, answered, what about; not who, not the score.
    expect(byId.colleague).toMatchObject({
      brand: 'zhonghua',
      startedAt: '2026-11-20T00:10:00.000Z',
      subject: '理赔进度查询',
      agent: { id: null, name: null },
      qa: null,
    });
    // A harassment call of a colleague: not even its subject.
    expect(byId.harass).toMatchObject({ agent: { id: null, name: null }, qa: null, subject: null });
    expect(JSON.stringify(mine)).not.toContain('骗子');

    // A supervisor sees every call whole, as before.
    const all = await get(lead, `/api/customers/${PHONE}/history`);
    const full = Object.fromEntries(all.calls.map((c: { id: string }) => [c.id, c]));
    expect(full.colleague).toMatchObject({ agent: { id: '4402' }, qa: { score: expect.any(Number) } });
    expect(full.harass.subject).toBe('你们都是骗子我要骂死你');
  });

  it('scopes the repeat-caller notice the same way, on the query and in the ring answer', async () => {
    const at = encodeURIComponent('2026-11-20T10:00:00+08:00');
    const harassed = await get(agent, `/api/customers/${PHONE}/repeat?brand=zhonghua&at=${at}`);
    expect(harassed).toEqual({
      repeat: true,
      callsToday: 3,
      previous: {
        callId: 'harass',
        startedAt: '2026-11-20T00:40:00.000Z',
        subject: null,
        agent: { id: null, name: null },
        answered: true,
      },
      prompt: null,
    });
    const other = await get(agent, `/api/customers/13700137000/repeat?brand=zhonghua&at=${at}`);
    expect(other).toMatchObject({
      previous: { callId: 'other-colleague', subject: '发票寄送地址', agent: { id: null, name: null } },
      prompt: '请问您之前咨询的是「发票寄送地址」的问题吗？',
    });
    const supervisor = await get(lead, `/api/customers/13700137000/repeat?brand=zhonghua&at=${at}`);
    expect(supervisor.previous.agent).toEqual({ id: '4402', name: '陈晨' });

    // The ring's answer is for the agent it rings to: 4402 sees their own call, 1024 only the fact.
    const bridge = await ctiBridge(t);
    const ring = async (callId: string, agentNumber: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/cti/events',
        headers: bridge,
        payload: {
          callId,
          type: 'ring',
          brand: 'zhonghua',
          caller: '13700137000',
          agent: { number: agentNumber },
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().ring.repeatCaller;
    };
    expect((await ring('r1', '4402')).previous.agent).toEqual({ id: '4402', name: '陈晨' });
    expect((await ring('r2', '1024')).previous).toMatchObject({
      agent: { id: null, name: null },
      subject: '发票寄送地址',
    });
  });
});
