// Who may post CTI events, on both engines. The three attacks of issue 7 (an agent forging a
// call scored against a colleague, blacklisting a number through a colleague's call, hanging up
// a colleague's live call) are refused with 403 and change nothing; the telephone system's
// integration token (an admin's, scope cti) posts whole calls for any 工号, and an agent's
// session posts the console's events of a call that rang to their own 工号.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { agentWithNumber, ctiBridge } from './bridge.ts';

const T0 = Date.parse('2026-11-20T01:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const PERFECT = [
  { speaker: 'agent', text: '您好，中华保险1024号为您服务。', start: 1500, end: 4000 },
  { speaker: 'customer', text: '你好，我想查一下保单。', start: 4500, end: 7000 },
  { speaker: 'agent', text: '感谢您的来电，再见！', start: 7500, end: 9000 },
];
const RUDE = [
  { speaker: 'agent', text: '喂，干嘛？', start: 1500, end: 3000 },
  { speaker: 'customer', text: '查保单。', start: 3500, end: 4500 },
  { speaker: 'agent', text: '你自己查去，不知道。', start: 5000, end: 7000 },
];

describe.each(ENGINES)('who may post CTI events on %s', (engine) => {
  let t: TestApp;
  let bridge: Record<string, string>;
  let lina: Session; // 工号 1024
  let mallory: Session; // 工号 1025, a colleague
  let lead: Session; // no 工号
  beforeEach(async () => {
    t = await testApp(engine);
    // The bridge also holds `write`, so that the attacks' setup (its rings) runs unchanged on
    // the code before the fix, where the attacks themselves succeed.
    bridge = await ctiBridge(t, ['cti', 'write']);
    lina = await signInAs(t, 'agent'); // signInAs gives agents 工号 1024
    mallory = await agentWithNumber(t, 'mallory', '1025');
    lead = await signInAs(t, 'team-lead');
  });
  afterEach(async () => {
    await t.close();
  });

  const post = (headers: Record<string, string>, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/cti/events', headers, payload });
  const ok = async (headers: Record<string, string>, payload: Record<string, unknown>) => {
    const res = await post(headers, payload);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const refused = async (
    headers: Record<string, string>,
    payload: Record<string, unknown>,
    words: string[],
  ) => {
    const res = await post(headers, payload);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().code).toBe('forbidden');
    for (const w of words) expect(res.json().message).toContain(w);
  };
  const ringTo = (callId: string, agent: string, caller = '13900139000', seconds = 0) =>
    ok(bridge, {
      callId,
      type: 'ring',
      at: at(seconds),
      brand: 'zhonghua',
      caller,
      agent: { number: agent },
    });
  const liveIds = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/cti/live', headers: lead.headers }))
      .json()
      .items.map((c: { callId: string }) => c.callId);
  const storedCall = (id: string) =>
    t.app.inject({ method: 'GET', url: `/api/calls/${id}`, headers: lead.headers });
  const blacklisted = async (phone: string) =>
    t.app.services.blacklist.check(phone as Parameters<typeof t.app.services.blacklist.check>[0]);

  it('attack 1: an agent cannot forge a call scored against a colleague', async () => {
    // A whole call "to 工号 1024" with rude words, posted from 1025's session.
    await refused(
      mallory.headers,
      {
        callId: 'forged',
        type: 'ring',
        at: at(0),
        brand: 'zhonghua',
        caller: '13800138000',
        agent: { number: '1024' },
      },
      ['ring', "call 'forged'", 'scope cti'],
    );
    await refused(mallory.headers, { callId: 'forged', type: 'hangup', at: at(10), turns: RUDE }, [
      "call 'forged'",
      'transcript',
    ]);
    expect((await storedCall('forged')).statusCode).toBe(404);
    expect(await liveIds()).toEqual([]);
    // Nor can 1024 pad their own figures with a ring or a transcript of their own making.
    await refused(
      lina.headers,
      { callId: 'padded', type: 'ring', brand: 'zhonghua', agent: { number: '1024' } },
      ['ring'],
    );
    await ringTo('real', '1024');
    await ok(lina.headers, { callId: 'real', type: 'answer', at: at(2) });
    await refused(lina.headers, { callId: 'real', type: 'hangup', at: at(9), turns: PERFECT }, [
      'transcript',
    ]);
    expect(await liveIds()).toEqual(['real']);
  });

  it("attack 2: an agent cannot blacklist a number through a colleague's call, nor through an unanswered one", async () => {
    await ringTo('c1', '1024', '13900139000');
    await ok(bridge, { callId: 'c1', type: 'answer', at: at(3) });
    await refused(mallory.headers, { callId: 'c1', type: 'hangup', at: at(20), harassment: true }, [
      "call 'c1'",
      '工号 1024',
      'not to yours (1025)',
    ]);
    expect(await blacklisted('13900139000')).toBeNull();
    expect(await liveIds()).toEqual(['c1']);
    // Even on their own call, only once it was answered.
    await ringTo('c2', '1025', '13700137000', 30);
    await refused(mallory.headers, { callId: 'c2', type: 'hangup', at: at(40), harassment: true }, [
      'never answered',
      'harassment',
    ]);
    expect(await blacklisted('13700137000')).toBeNull();
  });

  it("attack 3: an agent cannot hang up, hold or answer a colleague's live call", async () => {
    await ringTo('c3', '1024');
    await refused(mallory.headers, { callId: 'c3', type: 'answer', at: at(2) }, [
      '工号 1024',
      'not to yours',
    ]);
    await ok(bridge, { callId: 'c3', type: 'answer', at: at(3) });
    await refused(mallory.headers, { callId: 'c3', type: 'hold', at: at(5) }, ['工号 1024']);
    await refused(mallory.headers, { callId: 'c3', type: 'hangup', at: at(6), by: 'agent' }, [
      "call 'c3'",
      '工号 1024',
    ]);
    expect(await liveIds()).toEqual(['c3']);
    expect((await storedCall('c3')).statusCode).toBe(404);
    // Nor claim a call as another 工号 on the answer of their own call.
    await ringTo('c4', '1025', '13700137000', 10);
    await refused(mallory.headers, { callId: 'c4', type: 'answer', at: at(12), agent: { number: '1024' } }, [
      'as 工号 1024',
    ]);
  });

  it('lets an agent answer, hold, unhold and hang up their own call, and flag an answered one as harassment', async () => {
    await ringTo('own', '1024', '13900139000');
    expect((await ok(lina.headers, { callId: 'own', type: 'answer', at: at(4) })).status).toBe('talking');
    expect((await ok(lina.headers, { callId: 'own', type: 'hold', at: at(10) })).status).toBe('on-hold');
    expect((await ok(lina.headers, { callId: 'own', type: 'unhold', at: at(20) })).status).toBe('talking');
    const end = await ok(lina.headers, {
      callId: 'own',
      type: 'hangup',
      at: at(30),
      by: 'agent',
      harassment: true,
      subject: '骚扰',
    });
    expect(end.hangup).toMatchObject({
      call: { id: 'own', answered: true },
      blacklistEntry: { phone: '13900139000', callId: 'own' },
    });
    expect((await blacklisted('13900139000'))?.callId).toBe('own');
    const stored = (await storedCall('own')).json();
    expect(stored.agent.id).toBe('1024');
    expect(stored.events.map((e: { type: string }) => e.type)).toEqual([
      'ring',
      'answer',
      'hold',
      'unhold',
      'hangup',
    ]);
  });

  it('lets the integration token post a whole call for any 工号, stored and inspected as before', async () => {
    const cti = await ctiBridge(t); // the scope cti alone
    await ok(cti, {
      callId: 'any',
      type: 'ring',
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: '4402' },
    });
    await ok(cti, { callId: 'any', type: 'answer', at: at(1), agent: { number: '4402', name: '王芳' } });
    const end = await ok(cti, {
      callId: 'any',
      type: 'hangup',
      at: at(10),
      by: 'customer',
      turns: PERFECT,
    });
    expect(end.hangup.call.qa.score).toEqual(expect.any(Number));
    expect((await storedCall('any')).json()).toMatchObject({
      agent: { id: '4402', name: '王芳' },
      turns: { length: 3 },
    });
  });

  it('refuses people without a 工号, and tokens that are not the integration', async () => {
    await ringTo('n1', '1024');
    await refused(lead.headers, { callId: 'n1', type: 'answer', at: at(2) }, ['no 工号']);
    // A token without the scope cti posts no call event at all.
    const admin = (await t.app.services.accounts.listUsers()).find((u) => u.username === 'admin');
    const rw = await t.app.services.accounts.createApiToken(admin?.id ?? '', 'crm', {
      userId: null,
      ip: null,
    });
    await refused(
      { authorization: `Bearer ${rw.token}`, 'accept-language': 'en' },
      { callId: 'n2', type: 'ring', brand: 'zhonghua' },
      ["scope 'cti'"],
    );
    // An agent cannot hold a token with the scope cti at all: it is the integration's.
    const malloryId = (await t.app.services.accounts.listUsers()).find((u) => u.username === 'mallory')?.id;
    await expect(
      t.app.services.accounts.createApiToken(
        malloryId ?? '',
        'my cti',
        { userId: null, ip: null },
        { scopes: ['cti'] },
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(await liveIds()).toEqual(['n1']);
  });
});
