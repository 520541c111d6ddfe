// The console's softphone on a listening server: with no telephone system connected an agent
// rings a practice call to their own 工号, drives it with the CTI routes from their session and
// gets live assist over the socket, the inspection at hang-up included; the call leaves no
// trace in the hotline's records (not stored, no callback, no blacklist) but its start is
// audited. HUASHU_SOFTPHONE=off, or auto once an integration token exists: 403 with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../src/calls/model.ts';
import { Inspector } from '../../src/qa/engine.ts';
import { loadScorecard } from '../../src/qa/scorecard.ts';
import { ctiBridge } from '../cti/bridge.ts';
import { type Session, shippedCatalog, signInAs, type TestApp, testApp } from '../support/app.ts';
import { type LiveEventMessage, openSocket } from './socket-client.ts';

describe('the softphone (practice calls)', () => {
  let t: TestApp;
  let base: string;
  let agent: Session;
  let admin: Session;

  beforeAll(async () => {
    t = await testApp('sqlite');
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    agent = await signInAs(t, 'agent'); // 工号 1024, no brand
    admin = await signInAs(t, 'admin');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const post = (s: Session, url: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers: s.headers, payload });
  const cti = async (s: Session, payload: Record<string, unknown>) => {
    const res = await post(s, '/api/cti/events', payload);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const subscribed = async (s: Session) => {
    const c = await openSocket(base, { cookie: s.cookie, origin: `http://${new URL(base).host}` });
    await c.next((m) => m.type === 'ready');
    c.send({ type: 'subscribe' });
    await c.next((m) => m.type === 'snapshot');
    return c;
  };
  const event = (kind: string, extra: (e: LiveEventMessage['event']) => boolean = () => true) => {
    return (m: { type: string }) =>
      m.type === 'event' &&
      (m as LiveEventMessage).event.kind === kind &&
      extra((m as LiveEventMessage).event);
  };

  it('rings a practice call to the agent’s own 工号, driven like a real one, inspected at hang-up, never stored', async () => {
    const state = await t.app.inject({ method: 'GET', url: '/api/live/softphone', headers: agent.headers });
    expect(state.json()).toEqual({ available: true, setting: 'auto', reason: null });

    // A known customer with an open ticket: the console's card shows them before the pick-up.
    const known = await post(agent, '/api/customers', { phone: '13800138000', surname: '王', title: '先生' });
    expect(known.statusCode, known.body).toBe(201);
    const ticket = await post(agent, '/api/tickets', {
      type: 'technical',
      brand: 'zhonghua',
      subject: '保单查询',
      customerPhone: '13800138000',
    });
    expect(ticket.statusCode, ticket.body).toBe(201);

    const console = await subscribed(agent);
    const started = await post(agent, '/api/live/practice-calls', {
      brand: 'zhonghua',
      caller: '138 0013 8000',
    });
    expect(started.statusCode, started.body).toBe(201);
    const ring = started.json();
    const callId: string = ring.callId;
    expect(callId).toMatch(/^practice-/);
    expect(ring.live).toMatchObject({
      brand: 'zhonghua',
      agent: { id: '1024' },
      status: 'ringing',
      practice: true,
      caller: '13800138000',
    });

    // The console gets the ring with its card, marked as practice.
    const rang = (await console.next(event('call'))) as LiveEventMessage;
    expect(rang.callId).toBe(callId);
    expect(rang.event.card).toMatchObject({
      caller: '13800138000',
      practice: true,
      blacklisted: false,
      customer: { surname: '王', title: '先生' },
    });
    // With the brand's timer limits, for the console's countdowns (中华保险: hold 60 s, pause 2 s).
    expect(rang.event.limits).toMatchObject({
      holdMs: 60_000,
      holdWarningMs: 45_000,
      silentLinePauseMs: 2000,
      silentLineAttempts: 3,
      wrapUpMs: 30_000,
    });
    // The agent reads the caller's history (calls and tickets) by the card's number.
    const card = rang.event.card as { caller: string };
    const history = await t.app.inject({
      method: 'GET',
      url: `/api/customers/${card.caller}/history`,
      headers: agent.headers,
    });
    expect(history.statusCode, history.body).toBe(200);
    expect(history.json().tickets).toEqual([
      expect.objectContaining({ id: ticket.json().id, subject: '保单查询' }),
    ]);

    // The agent answers from their own session, types both sides, holds, hangs up.
    t.clock.advance(4000);
    await cti(agent, { callId, type: 'answer' });
    const turn = (speaker: string, text: string, ref: string) => {
      console.send({ type: 'turn', callId, speaker, text, ref });
      return console.next((m) => m.type === 'ack' && m.ref === ref);
    };
    t.clock.advance(1000);
    await turn('agent', '您好，中华保险1024号为您服务', 'a');
    t.clock.advance(3000);
    await turn('customer', '我的保单怎么还没有寄到', 'b');
    t.clock.advance(3000);
    await turn('agent', '这个我也不知道', 'c');
    const alert = (await console.next(event('alert'))) as LiveEventMessage;
    expect(alert.event).toMatchObject({ rule: 'language.forbidden.vague', evidence: '不知道' });
    t.clock.advance(2000);
    await cti(agent, { callId, type: 'hold' });
    t.clock.advance(5000);
    await cti(agent, { callId, type: 'unhold' });
    t.clock.advance(2000);
    const hangup = await cti(agent, { callId, type: 'hangup', by: 'agent', harassment: true });
    expect(hangup.hangup).toEqual({
      call: { id: callId, answered: true, subject: null, qa: null },
      callback: null,
      blacklistEntry: null,
    });

    // The inspection comes after the hang-up's own events, numbered on, once.
    const inspected = (await console.next(event('inspection'))) as LiveEventMessage;
    const events = console.events(callId);
    const hangupAt = events.findIndex((e) => e.event.kind === 'call' && e.event.type === 'hangup');
    expect(hangupAt).toBeGreaterThan(0);
    expect(events.indexOf(inspected)).toBeGreaterThan(hangupAt);
    expect(events.slice(hangupAt + 1, events.indexOf(inspected)).map((e) => e.event.kind)).not.toContain(
      'turn',
    );
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.event.kind === 'inspection')).toHaveLength(1);

    // It is what `huashu qa --json` gives for the call as received (the same Inspector).
    const notes = events.map((e) => e.event);
    const call: Call = {
      id: callId,
      brand: 'zhonghua',
      direction: 'inbound',
      agent: { id: '1024', name: 'agent' },
      customer: { phone: '13800138000' },
      events: notes
        .filter((e) => e.kind === 'call')
        .map((e) => ({
          type: e.type as Call['events'][number]['type'],
          at: e.at as number,
          ...(e.type === 'hangup' ? { by: 'agent' as const } : {}),
        })),
      turns: notes
        .filter((e) => e.kind === 'turn')
        .map((e) => ({
          speaker: e.speaker as 'agent' | 'customer',
          text: e.text as string,
          start: e.start as number,
        })),
    };
    const expected = new Inspector(loadScorecard(), shippedCatalog()).inspect(call);
    expect(inspected.event.inspection).toEqual(JSON.parse(JSON.stringify(expected)));
    const inspection = inspected.event.inspection as typeof expected;
    const vague = inspection.findings.find((f) => f.rule === 'language.forbidden.vague');
    expect(vague).toMatchObject({ turn: 2, evidence: '不知道' });
    expect(vague?.suggestion).toBeTruthy();
    expect(inspection.score).toBeLessThan(100);

    // A console that connects now finds the ended call with its inspection.
    const late = await subscribed(agent);
    const snap = late.received.find((m) => m.type === 'snapshot') as unknown as {
      calls: { callId: string; status: string; inspection: unknown }[];
    };
    expect(snap.calls.find((c) => c.callId === callId)).toMatchObject({
      status: 'ended',
      inspection: expected,
    });
    await late.close();
    await console.close();

    // No trace in the hotline's records: not stored, no callback, no blacklist entry…
    const stored = await t.app.inject({ method: 'GET', url: `/api/calls/${callId}`, headers: admin.headers });
    expect(stored.statusCode).toBe(404);
    const blacklisted = await t.app.inject({
      method: 'GET',
      url: '/api/blacklist/check?phone=13800138000',
      headers: admin.headers,
    });
    expect(blacklisted.json()).toMatchObject({ blacklisted: false });
    // …but its start is audited, with the number masked.
    const audit = await t.app.inject({
      method: 'GET',
      url: `/api/audit?entityId=${callId}&action=practice-call`,
      headers: admin.headers,
    });
    expect(audit.json().items).toEqual([
      expect.objectContaining({
        entityType: 'call',
        changes: expect.objectContaining({ brand: 'zhonghua', agentNumber: '1024', caller: '138****8000' }),
      }),
    ]);
  });

  it('makes up a number when none is typed; a missed practice call opens no callback ticket', async () => {
    const started = await post(agent, '/api/live/practice-calls', { brand: '中华保险' });
    expect(started.statusCode, started.body).toBe(201);
    const { callId, live } = started.json();
    expect(live.caller).toMatch(/^170\d{8}$/);
    const hangup = await cti(agent, { callId, type: 'hangup', by: 'customer' });
    expect(hangup.hangup.callback).toBeNull();
    const tickets = await t.app.inject({
      method: 'GET',
      url: '/api/tickets?type=callback',
      headers: admin.headers,
    });
    expect(tickets.json().total).toBe(0);
  });

  it('refuses without a brand, without a 工号, and someone else’s practice call', async () => {
    const noBrand = await post(agent, '/api/live/practice-calls', {});
    expect(noBrand.statusCode).toBe(400);
    expect(noBrand.json().details).toEqual([expect.objectContaining({ path: 'body.brand' })]);
    const lead = await signInAs(t, 'team-lead');
    const noNumber = await post(lead, '/api/live/practice-calls', { brand: 'zhonghua' });
    expect(noNumber.statusCode).toBe(403);
    expect(noNumber.json().message).toMatch(/工号/);
    const started = await post(agent, '/api/live/practice-calls', { brand: 'zhonghua' });
    const other = await signInAs(t, 'agent', 'colleague');
    const taken = await post(other, '/api/cti/events', { callId: started.json().callId, type: 'answer' });
    expect(taken.statusCode).toBe(403);
    // Nor may anyone post a ring of their own (practice or not): only this route rings one.
    const forged = await post(agent, '/api/cti/events', {
      callId: 'x1',
      type: 'ring',
      brand: 'zhonghua',
      practice: true,
    });
    expect(forged.statusCode).toBe(400);
  });

  it('is unavailable once a telephone system is connected (auto), with the reason', async () => {
    await ctiBridge(t);
    const state = await t.app.inject({ method: 'GET', url: '/api/live/softphone', headers: agent.headers });
    expect(state.json()).toEqual({ available: false, setting: 'auto', reason: 'integration-configured' });
    const refused = await post(agent, '/api/live/practice-calls', { brand: 'zhonghua' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/HUASHU_SOFTPHONE/);
  });
});

describe('HUASHU_SOFTPHONE', () => {
  it('off: 403 saying how to turn it on; on: practice calls even with an integration', async () => {
    const off = await testApp('sqlite', { HUASHU_SOFTPHONE: 'off' });
    try {
      const agent = await signInAs(off, 'agent');
      const res = await off.app.inject({
        method: 'POST',
        url: '/api/live/practice-calls',
        headers: agent.headers,
        payload: { brand: 'zhonghua' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toMatch(/HUASHU_SOFTPHONE=off/);
    } finally {
      await off.close();
    }
    const on = await testApp('sqlite', { HUASHU_SOFTPHONE: 'on' });
    try {
      await ctiBridge(on);
      const agent = await signInAs(on, 'agent');
      const res = await on.app.inject({
        method: 'POST',
        url: '/api/live/practice-calls',
        headers: agent.headers,
        payload: { brand: 'zhonghua' },
      });
      expect(res.statusCode, res.body).toBe(201);
    } finally {
      await on.close();
    }
  }, 60_000);
});
