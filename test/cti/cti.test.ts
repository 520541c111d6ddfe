// CTI events over HTTP, on both engines: the live state of a call, its event order (409 with
// a clear message), the ring answer for the agent console, the stored call at hangup, and the
// callback tickets for missed calls, dropped lines and holds past the brand's limit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { ctiBridge } from './bridge.ts';

const T0 = Date.parse('2026-11-20T01:00:00.000Z'); // 09:00 in Shanghai, the test clock's start
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

const TURNS = [
  { speaker: 'agent', text: '您好，中华保险1024号为您服务。', start: 5500, end: 8500 },
  { speaker: 'customer', text: '你好，我想查一下车险保单的续保日期。', start: 9000, end: 13000 },
  { speaker: 'agent', text: '好的，请您稍等，我帮您查询一下。', start: 13500, end: 16500 },
  { speaker: 'agent', text: '感谢您的耐心等待，您的保单下个月十五号到期。', start: 50000, end: 55000 },
  { speaker: 'customer', text: '好的，谢谢。', start: 55500, end: 56500 },
  { speaker: 'agent', text: '请问您还有其他问题需要咨询吗？', start: 57000, end: 60000 },
  { speaker: 'customer', text: '没有了。', start: 60500, end: 61000 },
  { speaker: 'agent', text: '感谢您的来电，再见！', start: 61500, end: 63500 },
];

describe.each(ENGINES)('CTI events on %s', (engine) => {
  let t: TestApp;
  let bridge: Record<string, string>;
  let lead: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    // The telephone system's bridge posts with an admin's API token that has the scope cti.
    bridge = await ctiBridge(t);
    lead = await signInAs(t, 'team-lead');
  });
  afterEach(async () => {
    await t.close();
  });

  const post = (payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/cti/events', headers: bridge, payload });
  const event = async (payload: Record<string, unknown>, status = 200) => {
    const res = await post(payload);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const ring = (callId: string, seconds = 0, caller: unknown = '+86 138 0013 8000') =>
    event({
      callId,
      type: 'ring',
      at: at(seconds),
      brand: 'zhonghua',
      caller,
      agent: { number: '1024', name: '李娜' },
    });
  const live = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/cti/live', headers: lead.headers });
    expect(res.statusCode).toBe(200);
    return res.json().items as { callId: string; status: string; holdOverLimit: boolean }[];
  };

  it('ring → answer → hold → unhold → hangup keeps the live state and stores the inspected call', async () => {
    const r = await ring('1700000000.1');
    expect(r).toMatchObject({
      status: 'ringing',
      ring: {
        blacklisted: false,
        blacklist: null,
        customer: null,
        repeatCaller: { repeat: false, previous: null },
      },
      live: { caller: '13800138000', agent: { id: '1024', name: '李娜' }, status: 'ringing' },
    });
    expect((await event({ callId: '1700000000.1', type: 'answer', at: at(5) })).status).toBe('talking');
    expect((await event({ callId: '1700000000.1', type: 'hold', at: at(17) })).status).toBe('on-hold');
    t.clock.set(new Date(T0 + 30_000));
    expect(await live()).toEqual([
      expect.objectContaining({
        callId: '1700000000.1',
        status: 'on-hold',
        holdSeconds: 13,
        holdOverLimit: false,
      }),
    ]);
    expect((await event({ callId: '1700000000.1', type: 'unhold', at: at(49) })).status).toBe('talking');
    const end = await event({
      callId: '1700000000.1',
      type: 'hangup',
      at: at(64),
      by: 'customer',
      turns: TURNS,
    });
    expect(end).toMatchObject({
      status: 'ended',
      live: null,
      hangup: {
        call: { id: '1700000000.1', answered: true, subject: '我想查一下车险保单的续保日期。' },
        callback: null,
        blacklistEntry: null,
      },
    });
    expect(end.hangup.call.qa.score).toEqual(expect.any(Number));
    expect(await live()).toEqual([]);

    const stored = await t.app.inject({
      method: 'GET',
      url: '/api/calls/1700000000.1',
      headers: lead.headers,
    });
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({
      brand: 'zhonghua',
      agent: { id: '1024', name: '李娜' },
      customerPhone: '13800138000',
      startedAt: at(0),
      endedAt: at(64),
      events: [
        { type: 'ring', at: 0 },
        { type: 'answer', at: 5000 },
        { type: 'hold', at: 17000 },
        { type: 'unhold', at: 49000 },
        { type: 'hangup', at: 64000, by: 'customer' },
      ],
    });
    expect(
      stored.json().qa.result.rules.find((x: { id: string }) => x.id === 'opening.answer-speed').outcome,
    ).toBe('pass');
    // The number is a customer now, and its next ring the same day says so.
    const again = await ring('1700000000.2', 3600);
    expect(again.ring).toMatchObject({
      customer: { phone: '13800138000' },
      repeatCaller: {
        repeat: true,
        callsToday: 1,
        previous: { callId: '1700000000.1', subject: '我想查一下车险保单的续保日期。' },
        prompt: '请问您之前咨询的是「车险保单的续保日期」的问题吗？',
      },
    });
  });

  it('refuses events out of order with 409 and a message that says what is expected', async () => {
    const conflict = async (payload: Record<string, unknown>, words: string) => {
      const res = await post(payload);
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().code).toBe('conflict');
      expect(res.json().message).toContain(words);
    };
    await conflict({ callId: 'c9', type: 'answer' }, 'a call starts with a ring event');
    await ring('c9');
    await conflict({ callId: 'c9', type: 'ring', brand: 'zhonghua' }, 'already live');
    await conflict({ callId: 'c9', type: 'hold', at: at(1) }, 'not answered yet');
    await conflict({ callId: 'c9', type: 'transfer', to: '理赔部', at: at(1) }, 'not answered yet');
    await event({ callId: 'c9', type: 'answer', at: at(4) });
    await conflict({ callId: 'c9', type: 'answer', at: at(5) }, 'already answered');
    await conflict({ callId: 'c9', type: 'unhold', at: at(6) }, 'unhold without hold');
    await event({ callId: 'c9', type: 'hold', at: at(10) });
    await conflict({ callId: 'c9', type: 'hold', at: at(11) }, 'already on hold');
    await conflict({ callId: 'c9', type: 'unhold', at: at(9) }, 'earlier than the call');
    await event({ callId: 'c9', type: 'unhold', at: at(20) });
    await event({ callId: 'c9', type: 'transfer', to: '理赔部', at: at(25) });
    await event({ callId: 'c9', type: 'hangup', at: at(40), by: 'agent' });
    await conflict({ callId: 'c9', type: 'hangup', at: at(41) }, 'already ended');
    await conflict({ callId: 'c9', type: 'ring', brand: 'zhonghua', at: at(50) }, 'new call id');
    const stored = await t.app.inject({ method: 'GET', url: '/api/calls/c9', headers: lead.headers });
    expect(stored.json().events.map((e: { type: string }) => e.type)).toEqual([
      'ring',
      'answer',
      'hold',
      'unhold',
      'transfer',
      'hangup',
    ]);
    expect(stored.json().events[4]).toEqual({ type: 'transfer', at: 25000, to: '理赔部' });
  });

  it('applies events of one call arriving at once one after the other', async () => {
    await ring('race');
    await event({ callId: 'race', type: 'answer', at: at(3) });
    const both = await Promise.all([
      post({ callId: 'race', type: 'hold', at: at(10) }),
      post({ callId: 'race', type: 'hold', at: at(10) }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const hangups = await Promise.all([
      post({ callId: 'race', type: 'hangup', at: at(20) }),
      post({ callId: 'race', type: 'hangup', at: at(20) }),
    ]);
    expect(hangups.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const stored = await t.app.inject({ method: 'GET', url: '/api/calls/race', headers: lead.headers });
    expect(stored.json().events.map((e: { type: string }) => e.type)).toEqual([
      'ring',
      'answer',
      'hold',
      'hangup',
    ]);
  });

  it('answers invalid events with the field paths', async () => {
    const res = await post({ callId: 'v1', type: 'ring', caller: '12345', by: 'agent', extra: 1 });
    expect(res.statusCode).toBe(400);
    const paths = (res.json().details as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(['body', 'body.caller']);
    const refine = await post({ callId: 'v1', type: 'transfer', by: 'agent' });
    expect((refine.json().details as { path: string }[]).map((d) => d.path).sort()).toEqual([
      'body.by',
      'body.to',
    ]);
    const noBrand = await post({ callId: 'v1', type: 'ring' });
    expect(noBrand.json().details).toEqual([
      { path: 'body.brand', message: expect.stringContaining('required on ring') },
    ]);
    const badBrand = await post({ callId: 'v1', type: 'ring', brand: 'acme' });
    expect(badBrand.json()).toMatchObject({ code: 'validation', details: [{ path: 'body.brand' }] });
    const type = await post({ callId: 'v1', type: 'pickup' });
    expect(type.json().details[0]).toMatchObject({
      path: 'body.type',
      message: expect.stringContaining('ring, answer'),
    });

    // Times as Asterisk (+0800) and FreeSWITCH (ms since 1970, after /1000) write them.
    const ari = await event({
      callId: 'v3',
      type: 'ring',
      brand: 'zhonghua',
      at: '2026-11-20T09:00:00.123456+0800',
    });
    expect(ari.live.ringAt).toBe('2026-11-20T01:00:00.123Z');
    expect((await event({ callId: 'v3', type: 'answer', at: T0 + 4000 })).live.answeredAt).toBe(at(4));
    const local = await post({ callId: 'v3', type: 'hold', at: '2026-11-20T09:00:10' });
    expect(local.json().details).toEqual([
      { path: 'body.at', message: expect.stringContaining('with offset') },
    ]);

    // Bad turns on the hangup: nothing is stored, the call stays live, the hangup can be resent.
    await ring('v2');
    await event({ callId: 'v2', type: 'answer', at: at(3) });
    const badTurns = await post({
      callId: 'v2',
      type: 'hangup',
      at: at(30),
      turns: [
        { speaker: '主管', text: '您好' },
        { speaker: 'agent', text: '' },
      ],
    });
    expect(badTurns.statusCode).toBe(400);
    expect((badTurns.json().details as { path: string }[]).map((d) => d.path)).toEqual([
      'body.turns.0.speaker',
      'body.turns.1.text',
    ]);
    expect((await live()).map((c) => c.callId)).toEqual(['v2', 'v3']);
    await event({ callId: 'v2', type: 'hangup', at: at(30), turns: TURNS.slice(0, 2) });
    expect((await live()).map((c) => c.callId)).toEqual(['v3']);
  });

  it('opens a callback ticket for a missed call, and joins a second missed call to it', async () => {
    await ring('m1');
    const missed = await event({ callId: 'm1', type: 'hangup', at: at(12), by: 'customer' });
    expect(missed.hangup).toMatchObject({
      // No score: every rule n/a on a call never answered (its 100 only the scorecard's total).
      call: { id: 'm1', answered: false, subject: null, qa: { scored: false } },
      callback: { reason: 'missed-call', ticketId: expect.any(String), joined: false, error: null },
    });
    const ticket = await t.app.services.tickets.get(missed.hangup.callback.ticketId, {
      userId: null,
      ip: null,
    });
    expect(ticket).toMatchObject({
      type: 'callback',
      brand: 'zhonghua',
      customerPhone: '13800138000',
      callId: 'm1',
      details: { type: 'callback', reason: 'missed-call' },
    });
    expect(ticket.description).toContain('振铃 12 秒后挂机');

    await ring('m2', 600);
    const second = await event({ callId: 'm2', type: 'hangup', at: at(620) });
    expect(second.hangup.callback).toMatchObject({
      reason: 'missed-call',
      ticketId: missed.hangup.callback.ticketId,
      joined: true,
    });
    // The stored missed call is searchable as one.
    const search = await t.app.inject({
      method: 'GET',
      url: '/api/calls?answered=false',
      headers: lead.headers,
    });
    expect(search.json().items.map((c: { id: string }) => c.id)).toEqual(['m2', 'm1']);
    // A withheld number cannot be called back: no ticket.
    await ring('m3', 700, null);
    expect((await event({ callId: 'm3', type: 'hangup', at: at(710) })).hangup.callback).toBeNull();
  });

  it('opens a callback for a dropped line and for a customer left on hold past the limit', async () => {
    await ring('d1', 0, '010-62345678');
    await event({ callId: 'd1', type: 'answer', at: at(4) });
    const dropped = await event({ callId: 'd1', type: 'hangup', at: at(50), cause: 'dropped' });
    expect(dropped.hangup.callback).toMatchObject({ reason: 'dropped-line', joined: false });
    const t1 = await t.app.services.tickets.get(dropped.hangup.callback.ticketId, { userId: null, ip: null });
    expect(t1).toMatchObject({ customerPhone: '01062345678', details: { reason: 'dropped-line' } });

    // The stored call keeps why it ended: a line cut before the closing is not failed for it.
    await ring('d2', 60, '13600136000');
    await event({ callId: 'd2', type: 'answer', at: at(65) });
    await event({ callId: 'd2', type: 'hangup', at: at(120), cause: 'dropped', turns: TURNS.slice(0, 4) });
    const qa = await signInAs(t, 'qa-inspector');
    const d2 = (await t.app.inject({ method: 'GET', url: '/api/calls/d2', headers: qa.headers })).json();
    expect(d2.events.at(-1)).toMatchObject({ type: 'hangup', cause: 'dropped' });
    const outcome = (id: string) => d2.qa.result.rules.find((r: { id: string }) => r.id === id).outcome;
    expect([outcome('closing.more-questions'), outcome('closing.farewell')]).toEqual(['n/a', 'n/a']);
    expect(d2.qa.failedRules).toEqual([]);

    // 中华保险 allows 60 seconds on hold; the customer gives up after 95.
    await ring('h1', 100, '13900139000');
    await event({ callId: 'h1', type: 'answer', at: at(104) });
    await event({ callId: 'h1', type: 'hold', at: at(120) });
    t.clock.set(new Date(T0 + 190_000));
    expect(await live()).toEqual([
      expect.objectContaining({ callId: 'h1', holdSeconds: 70, holdOverLimit: true }),
    ]);
    const gaveUp = await event({ callId: 'h1', type: 'hangup', at: at(215), by: 'customer' });
    expect(gaveUp.hangup.callback).toMatchObject({ reason: 'hold-over-limit' });
    const t2 = await t.app.services.tickets.get(gaveUp.hangup.callback.ticketId, { userId: null, ip: null });
    expect(t2.description).toContain('保持等待 95 秒后挂机（上限 60 秒）');

    // A normal hangup within the limit owes nobody a call.
    await ring('n1', 300, '13700137000');
    await event({ callId: 'n1', type: 'answer', at: at(303) });
    await event({ callId: 'n1', type: 'hold', at: at(310) });
    expect((await event({ callId: 'n1', type: 'hangup', at: at(330) })).hangup.callback).toBeNull();
  });

  it('flags a blacklisted number on ring, lists a harassment caller at hangup, and calls neither back', async () => {
    const admin = await signInAs(t, 'admin');
    await t.app.inject({
      method: 'POST',
      url: '/api/blacklist',
      headers: admin.headers,
      payload: { phone: '13900139000', reason: '多次辱骂坐席' },
    });
    const r = await ring('b1', 0, '139-0013-9000');
    expect(r.ring).toMatchObject({ blacklisted: true, blacklist: { reason: '多次辱骂坐席' } });
    expect(r.live.blacklisted).toBe(true);
    expect((await event({ callId: 'b1', type: 'hangup', at: at(3) })).hangup.callback).toBeNull();

    await ring('b2', 60);
    await event({ callId: 'b2', type: 'answer', at: at(63) });
    const flagged = await event({
      callId: 'b2',
      type: 'hangup',
      at: at(90),
      by: 'agent',
      cause: 'dropped',
      harassment: true,
    });
    expect(flagged.hangup).toMatchObject({
      callback: null,
      blacklistEntry: { phone: '13800138000', reason: '骚扰电话', callId: 'b2' },
    });
    expect((await ring('b3', 120)).ring.blacklisted).toBe(true);
  });

  it('stores a call at hangup without words, and inspects it again when the transcript comes later', async () => {
    await ring('asr-1');
    await event({ callId: 'asr-1', type: 'answer', at: at(5) });
    const end = await event({ callId: 'asr-1', type: 'hangup', at: at(64), by: 'customer' });
    expect(end.hangup.call).toMatchObject({ answered: true, subject: null });
    const qa = await signInAs(t, 'qa-inspector');
    const put = (s: Session, turns: unknown[]) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/calls/asr-1/transcript',
        headers: s.headers,
        payload: { turns },
      });
    const bad = await put(qa, [
      { speaker: 'agent', text: '您好', start: 9000 },
      { speaker: 'agent', text: 'x', start: 1 },
    ]);
    expect(bad.json().details).toEqual([
      { path: 'body.turns.1.start', message: expect.stringContaining('order spoken') },
    ]);
    t.clock.advance(300_000);
    const added = await put(qa, TURNS);
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toMatchObject({ subject: '我想查一下车险保单的续保日期。', turns: { length: 8 } });
    expect(
      added.json().qa.result.rules.find((r: { id: string }) => r.id === 'opening.greeting').outcome,
    ).toBe('pass');
    const found = await t.app.inject({
      method: 'GET',
      url: '/api/calls?q=%E7%BA%8C%E4%BF%9D',
      headers: qa.headers,
    });
    expect(found.json().items.map((c: { id: string }) => c.id)).toEqual(['asr-1']); // 續保
    expect((await put(qa, TURNS)).statusCode).toBe(409);
    const agent = await signInAs(t, 'agent');
    expect((await put(agent, TURNS)).statusCode).toBe(403);
  });

  it('keeps live calls to supervisors and refuses CTI events from QA', async () => {
    const qa = await signInAs(t, 'qa-inspector');
    const agent = await signInAs(t, 'agent');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/cti/live', headers: agent.headers })).statusCode,
    ).toBe(403);
    const qaPost = await t.app.inject({
      method: 'POST',
      url: '/api/cti/events',
      headers: qa.headers,
      payload: { callId: 'x', type: 'ring', brand: 'zhonghua' },
    });
    expect(qaPost.statusCode).toBe(403);
    // Without `at`, the event happens when it arrives; a withheld number rings too.
    const r = await event({ callId: 'anon', type: 'ring', brand: '中华保险' });
    expect(r.live).toMatchObject({ brand: 'zhonghua', caller: null, ringAt: at(0) });
    expect(r.ring.repeatCaller.repeat).toBe(false);
  });
});
