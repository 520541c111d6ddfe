// Whose words a call's customer turns are, on a listening server (the real engine). With
// HUASHU_LIVE_ASR=all every call is the ASR's from the ring: the console's customer turn is
// refused before the ASR's first turn, not only after it. With the default (`ring`), a call
// the console typed customer turns on before the ASR's first turn keeps them, marked as typed
// (`source: "console"`) in the live log and in the stored call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctiBridge } from '../cti/bridge.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { type LiveEventMessage, openSocket } from './socket-client.ts';

interface StoredTurn {
  speaker: string;
  text: string;
  source?: string;
}

function rig(env: Record<string, string>) {
  const r = {} as {
    t: TestApp;
    base: string;
    host: string;
    bridge: Record<string, string>;
    agent: Session;
    lead: Session;
  };
  beforeAll(async () => {
    r.t = await testApp('sqlite', env);
    r.base = await r.t.app.listen({ port: 0, host: '127.0.0.1' });
    r.host = new URL(r.base).host;
    r.bridge = await ctiBridge(r.t);
    r.agent = await signInAs(r.t, 'agent'); // 工号 1024
    r.lead = await signInAs(r.t, 'team-lead');
  }, 60_000);
  afterAll(async () => {
    await r.t?.close();
  });
  const cti = async (payload: Record<string, unknown>) => {
    const res = await r.t.app.inject({ method: 'POST', url: '/api/cti/events', headers: r.bridge, payload });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const asr = async (callId: string, speaker: string, text: string, start: number, end: number) => {
    const res = await r.t.app.inject({
      method: 'POST',
      url: `/api/live/calls/${callId}/turns`,
      headers: r.bridge,
      payload: { speaker, text, start, end },
    });
    expect(res.statusCode, res.body).toBe(202);
  };
  const console_ = async () => {
    const c = await openSocket(r.base, { cookie: r.agent.cookie, origin: `http://${r.host}` });
    await c.next((m) => m.type === 'ready');
    c.send({ type: 'subscribe' });
    await c.next((m) => m.type === 'snapshot');
    return c;
  };
  const stored = async (callId: string): Promise<StoredTurn[]> => {
    const res = await r.t.app.inject({
      method: 'GET',
      url: `/api/calls/${callId}`,
      headers: { cookie: r.lead.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().turns;
  };
  return { r, cti, asr, console: console_, stored };
}

describe('HUASHU_LIVE_ASR=all: every call is the ASR’s from the ring', () => {
  const { r, cti, asr, console: open, stored } = rig({ HUASHU_LIVE_ASR: 'all' });

  it('refuses the console’s customer turn before the ASR’s first turn, on a ring that says nothing of the ASR', async () => {
    const mine = await open();
    const rung = await cti({
      callId: 'asr-all-1',
      type: 'ring',
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: '1024' },
    });
    expect(rung.live).toMatchObject({ asr: true });
    await cti({ callId: 'asr-all-1', type: 'answer' });
    mine.send({
      type: 'turn',
      callId: 'asr-all-1',
      speaker: 'customer',
      text: '谢谢你,太感谢了',
      ref: 'early',
    });
    const refused = await mine.next((m) => m.type === 'error' && m.ref === 'early');
    expect(refused).toMatchObject({ code: 'forbidden', callId: 'asr-all-1' });
    expect(String(refused.message)).toContain('语音识别');
    // The agent's own words and buttons are taken; the ASR's customer words too.
    mine.send({
      type: 'turn',
      callId: 'asr-all-1',
      speaker: 'agent',
      text: '您好,中华保险1024号为您服务',
      ref: 'own',
    });
    await mine.next((m) => m.type === 'ack' && m.ref === 'own');
    mine.send({ type: 'button', callId: 'asr-all-1', button: 'noisy-line', ref: 'btn' });
    await mine.next((m) => m.type === 'ack' && m.ref === 'btn');
    r.t.clock.advance(5000);
    await asr('asr-all-1', 'customer', '我想查一下保单', 4000, 5000);
    await cti({ callId: 'asr-all-1', type: 'hangup', by: 'customer' });
    await mine.next(
      (m) =>
        m.type === 'event' && m.callId === 'asr-all-1' && (m as LiveEventMessage).event.kind === 'inspection',
    );
    expect((await stored('asr-all-1')).map((x) => x.text)).toEqual([
      '您好,中华保险1024号为您服务',
      '我想查一下保单',
    ]);
    await mine.close();
  });
});

describe('HUASHU_LIVE_ASR=all with the softphone on: practice calls stay typed', () => {
  const { r, cti } = rig({ HUASHU_LIVE_ASR: 'all', HUASHU_SOFTPHONE: 'on' });

  it('takes the console’s customer turn on a practice call', async () => {
    const res = await r.t.app.inject({
      method: 'POST',
      url: '/api/live/practice-calls',
      headers: r.agent.headers,
      payload: { caller: '13800138000', brand: 'zhonghua' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const callId = res.json().callId as string;
    expect(res.json().live).toMatchObject({ practice: true, asr: false });
    const c = await openSocket(r.base, { cookie: r.agent.cookie, origin: `http://${r.host}` });
    await c.next((m) => m.type === 'ready');
    c.send({ type: 'subscribe' });
    await c.next((m) => m.type === 'snapshot');
    const answer = await r.t.app.inject({
      method: 'POST',
      url: '/api/cti/events',
      headers: r.agent.headers,
      payload: { callId, type: 'answer' },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    c.send({ type: 'turn', callId, speaker: 'customer', text: '我想查一下保单', ref: 'typed' });
    await c.next((m) => m.type === 'ack' && m.ref === 'typed');
    await cti({ callId, type: 'hangup', by: 'customer' });
    await c.close();
  });
});

describe('HUASHU_LIVE_ASR=ring (the default): customer turns typed before the ASR’s first turn', () => {
  const { r, cti, asr, console: open, stored } = rig({});

  it('keeps them in the call and its inspection, marked as typed in the console, in the live log and the stored call', async () => {
    const mine = await open();
    const rung = await cti({
      callId: 'asr-late',
      type: 'ring',
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: '1024' },
    });
    expect(rung.live).toMatchObject({ asr: false });
    await cti({ callId: 'asr-late', type: 'answer' });
    r.t.clock.advance(1000);
    mine.send({ type: 'turn', callId: 'asr-late', speaker: 'agent', text: '您好,中华保险1024号为您服务' });
    mine.send({
      type: 'turn',
      callId: 'asr-late',
      speaker: 'customer',
      text: '我想查一下保单',
      ref: 'typed',
    });
    await mine.next((m) => m.type === 'ack' && m.ref === 'typed');
    r.t.clock.advance(4000);
    // The ASR joins late: from its first turn on, the caller's words are its alone.
    await asr('asr-late', 'customer', '保单号是一二三四', 4000, 5000);
    mine.send({ type: 'turn', callId: 'asr-late', speaker: 'customer', text: '谢谢你', ref: 'after' });
    expect(await mine.next((m) => m.type === 'error' && m.ref === 'after')).toMatchObject({
      code: 'forbidden',
    });
    await cti({ callId: 'asr-late', type: 'hangup', by: 'customer' });
    const inspected = (await mine.next(
      (m) =>
        m.type === 'event' && m.callId === 'asr-late' && (m as LiveEventMessage).event.kind === 'inspection',
    )) as LiveEventMessage;
    const turns = mine
      .events('asr-late')
      .flatMap((e) =>
        e.event.kind === 'turn' ? [e.event as unknown as StoredTurn & { source?: string }] : [],
      );
    expect(turns.map((x) => [x.speaker, x.text, x.source])).toEqual([
      ['agent', '您好,中华保险1024号为您服务', 'console'],
      ['customer', '我想查一下保单', 'console'],
      ['customer', '保单号是一二三四', 'asr'],
    ]);
    // Kept (never dropped), and told apart: the typed customer turn is marked, the others are not.
    const words = await stored('asr-late');
    expect(words.map((x) => [x.speaker, x.text, x.source])).toEqual([
      ['agent', '您好,中华保险1024号为您服务', undefined],
      ['customer', '我想查一下保单', 'console'],
      ['customer', '保单号是一二三四', undefined],
    ]);
    expect(inspected.event).toHaveProperty('inspection');
    await mine.close();
  });

  it('marks nothing on a call typed whole in the console (no ASR)', async () => {
    const mine = await open();
    await cti({
      callId: 'typed-whole',
      type: 'ring',
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: '1024' },
    });
    await cti({ callId: 'typed-whole', type: 'answer' });
    mine.send({
      type: 'turn',
      callId: 'typed-whole',
      speaker: 'customer',
      text: '我想查一下保单',
      ref: 'typed',
    });
    await mine.next((m) => m.type === 'ack' && m.ref === 'typed');
    await cti({ callId: 'typed-whole', type: 'hangup', by: 'customer' });
    await mine.next(
      (m) =>
        m.type === 'event' &&
        m.callId === 'typed-whole' &&
        (m as LiveEventMessage).event.kind === 'inspection',
    );
    expect(await stored('typed-whole')).toEqual([expect.not.objectContaining({ source: expect.anything() })]);
    await mine.close();
  });
});
