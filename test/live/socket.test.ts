// The live-assist WebSocket on a listening server (the real engine): an agent
// gets their own call's events and alerts, nobody else's; a team lead sees the brand's calls; a
// dropped socket resumes with exactly the events it missed; bad messages are answered and the
// connection stays; the session and the heartbeat end a socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { agentWithNumber, ctiBridge } from '../cti/bridge.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { type LiveEventMessage, openSocket, type SocketClient, socketUrl } from './socket-client.ts';

describe('the live-assist socket', () => {
  let t: TestApp;
  let base: string;
  let host: string;
  let bridge: Record<string, string>;
  let agent: Session;
  let colleague: Session;
  let lead: Session;

  beforeAll(async () => {
    t = await testApp('sqlite', { HUASHU_LIVE_HEARTBEAT_SECONDS: '0.3' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    host = new URL(base).host;
    bridge = await ctiBridge(t);
    agent = await signInAs(t, 'agent'); // 工号 1024
    colleague = await agentWithNumber(t, 'colleague', '2048');
    lead = await signInAs(t, 'team-lead');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const cti = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/cti/events', headers: bridge, payload });
    expect(res.statusCode, res.body).toBe(200);
  };
  const ring = (callId: string, agentNumber = '1024') =>
    cti({ callId, type: 'ring', brand: 'zhonghua', caller: '13800138000', agent: { number: agentNumber } });
  const connect = (s: Session) => openSocket(base, { cookie: s.cookie, origin: `http://${host}` });
  const subscribed = async (s: Session, resume?: Record<string, number>) => {
    const c = await connect(s);
    await c.next((m) => m.type === 'ready');
    c.send({ type: 'subscribe', ...(resume ? { resume } : {}) });
    await c.next((m) => m.type === 'snapshot');
    return c;
  };
  const kinds = (c: SocketClient, callId: string) => c.events(callId).map((e) => e.event.kind);
  const seqs = (events: { seq: number }[]) => events.map((e) => e.seq);

  it('pushes an agent’s own call: ring, guidance, situations, an alert on a forbidden phrase', async () => {
    const mine = await subscribed(agent);
    const other = await subscribed(colleague);
    const watcher = await subscribed(lead);

    await ring('live-1');
    const first = (await mine.next((m) => m.type === 'event' && m.callId === 'live-1')) as LiveEventMessage;
    expect(first.seq).toBe(1);
    // The customer card comes with the ring, before the agent picks up.
    expect(first.event).toMatchObject({
      kind: 'call',
      type: 'ring',
      status: 'ringing',
      card: { caller: '13800138000', blacklisted: false, repeatCaller: null, droppedMsAgo: null },
    });
    await cti({ callId: 'live-1', type: 'answer' });
    const opening = await mine.next(
      (m) => m.type === 'event' && (m as LiveEventMessage).event.kind === 'guidance',
    );
    expect(opening).toMatchObject({ callId: 'live-1', brand: 'zhonghua', agentNumber: '1024' });

    mine.send({ type: 'turn', callId: 'live-1', speaker: 'agent', text: '您好,中华保险1024号为您服务' });
    mine.send({ type: 'turn', callId: 'live-1', speaker: 'customer', text: '我要投诉你们的服务', ref: 't1' });
    await mine.next((m) => m.type === 'ack' && m.ref === 't1');
    const situation = (await mine.next(
      (m) => m.type === 'event' && (m as LiveEventMessage).event.kind === 'situation',
    )) as LiveEventMessage;
    expect(situation.event).toMatchObject({ turn: 1, situations: expect.arrayContaining(['complaint']) });
    expect(typeof situation.receivedAt).toBe('number');
    const line = (await mine.next(
      (m) =>
        m.type === 'event' &&
        (m as LiveEventMessage).event.kind === 'guidance' &&
        (m as LiveEventMessage).event.turn === 1,
    )) as LiveEventMessage;
    expect(line.event).toMatchObject({ turn: 1, scenario: expect.stringMatching(/^complaint\./) });

    mine.send({ type: 'turn', callId: 'live-1', speaker: 'agent', text: '这个我也不知道' });
    const alert = (await mine.next(
      (m) =>
        m.type === 'event' &&
        (m as LiveEventMessage).event.kind === 'alert' &&
        (m as LiveEventMessage).event.rule === 'language.forbidden.vague',
    )) as LiveEventMessage;
    // The forbidden phrase, on the turn that said it, with the professional line to use instead.
    expect(alert.event).toMatchObject({ turn: 2, evidence: '不知道' });
    expect(alert.event.suggestion).toMatch(/联系方式|尽快/);

    // The team lead saw every one of them, in order; the colleague none.
    await watcher.next((m) => m.type === 'event' && m.seq === alert.seq);
    expect(seqs(watcher.events('live-1'))).toEqual(seqs(mine.events('live-1')));
    expect(seqs(mine.events('live-1'))).toEqual(mine.events('live-1').map((_, i) => i + 1));
    expect(other.events('live-1')).toEqual([]);

    // The colleague cannot speak for the call either.
    other.send({ type: 'turn', callId: 'live-1', speaker: 'agent', text: '您好', ref: 'x' });
    const refused = await other.next((m) => m.type === 'error' && m.ref === 'x');
    expect(refused.code).toBe('forbidden');

    for (const c of [mine, other, watcher]) await c.close();
  });

  it('stores the words typed in the console with the call, scored as the console showed', async () => {
    const mine = await subscribed(agent);
    await ring('live-typed');
    await cti({ callId: 'live-typed', type: 'answer' });
    mine.send({ type: 'turn', callId: 'live-typed', speaker: 'agent', text: '您好,中华保险1024号为您服务' });
    mine.send({ type: 'turn', callId: 'live-typed', speaker: 'customer', text: '我想查一下保单' });
    mine.send({ type: 'turn', callId: 'live-typed', speaker: 'agent', text: '这个我也不知道', ref: 'last' });
    await mine.next((m) => m.type === 'ack' && m.ref === 'last');
    // The telephone system's hang-up carries no words: the console typed them.
    await cti({ callId: 'live-typed', type: 'hangup', by: 'customer' });
    const shown = (await mine.next(
      (m) => m.type === 'event' && (m as LiveEventMessage).event.kind === 'inspection',
    )) as LiveEventMessage;
    const score = (shown.event as unknown as { inspection: { score: number | null } }).inspection.score;
    expect(score).toBeLessThan(100);

    let stored: { turns: { text: string }[]; qa: { score: number | null } | null } | undefined;
    for (let i = 0; i < 100 && !stored?.turns.length; i++) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/calls/live-typed',
        headers: { cookie: lead.cookie },
      });
      expect(res.statusCode, res.body).toBe(200);
      stored = res.json();
      if (!stored?.turns.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(stored?.turns.map((x) => x.text)).toEqual([
      '您好,中华保险1024号为您服务',
      '我想查一下保单',
      '这个我也不知道',
    ]);
    expect(stored?.qa?.score).toBe(score);
    await mine.close();
  });

  it('on a call the ASR transcribes, the console may post the agent’s turns and buttons, not the caller’s words', async () => {
    const mine = await subscribed(agent);
    await ring('live-asr');
    await cti({ callId: 'live-asr', type: 'answer' });
    const asr = async (speaker: string, text: string, start: number, end: number) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/live/calls/live-asr/turns',
        headers: bridge,
        payload: { speaker, text, start, end },
      });
      expect(res.statusCode, res.body).toBe(202);
    };
    await asr('agent', '您好,中华保险1024号为您服务', 1000, 3000);
    await asr('customer', '我想查一下保单', 3500, 5000);
    // Typed turns are timed when received: after the ASR's.
    t.clock.advance(6000);
    // The agent puts words in the caller's mouth: refused on that call, saying why.
    mine.send({
      type: 'turn',
      callId: 'live-asr',
      speaker: 'customer',
      text: '你们就是骗子,流氓',
      ref: 'fake',
    });
    const refused = await mine.next((m) => m.type === 'error' && m.ref === 'fake');
    expect(refused).toMatchObject({ code: 'forbidden', callId: 'live-asr' });
    expect(String(refused.message)).toContain('语音识别');
    // The agent's own words and the console's buttons are taken.
    mine.send({ type: 'turn', callId: 'live-asr', speaker: 'agent', text: '好的,请您稍等', ref: 'own' });
    await mine.next((m) => m.type === 'ack' && m.ref === 'own');
    mine.send({ type: 'button', callId: 'live-asr', button: 'noisy-line', ref: 'btn' });
    await mine.next((m) => m.type === 'ack' && m.ref === 'btn');
    await cti({ callId: 'live-asr', type: 'hangup', by: 'customer' });
    await mine.next(
      (m) =>
        m.type === 'event' && m.callId === 'live-asr' && (m as LiveEventMessage).event.kind === 'inspection',
    );
    const texts = mine
      .events('live-asr')
      .flatMap((e) => (e.event.kind === 'turn' ? [(e.event as unknown as { text: string }).text] : []));
    expect(texts).toEqual(['您好,中华保险1024号为您服务', '我想查一下保单', '好的,请您稍等']);
    const stored = await t.app.inject({
      method: 'GET',
      url: '/api/calls/live-asr',
      headers: { cookie: lead.cookie },
    });
    expect(stored.json().turns.map((x: { text: string }) => x.text)).not.toContain('你们就是骗子,流氓');
    await mine.close();
  });

  it('a ring that says the ASR transcribes the call refuses the console’s customer turn from the start', async () => {
    const mine = await subscribed(agent);
    await cti({
      callId: 'live-asr-ring',
      type: 'ring',
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: '1024' },
      asr: true,
    });
    await cti({ callId: 'live-asr-ring', type: 'answer' });
    mine.send({
      type: 'turn',
      callId: 'live-asr-ring',
      speaker: 'customer',
      text: '谢谢你,太感谢了',
      ref: 'early',
    });
    expect(await mine.next((m) => m.type === 'error' && m.ref === 'early')).toMatchObject({
      code: 'forbidden',
      callId: 'live-asr-ring',
    });
    mine.send({ type: 'turn', callId: 'live-asr-ring', speaker: 'agent', text: '您好,中华保险', ref: 'own' });
    await mine.next((m) => m.type === 'ack' && m.ref === 'own');
    // Said on the ring only.
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cti/events',
      headers: bridge,
      payload: { callId: 'live-asr-ring', type: 'hold', asr: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('only on ring');
    await cti({ callId: 'live-asr-ring', type: 'hangup', by: 'customer' });
    await mine.close();
  });

  it('answers the hang-up with the score of the call stored with its live words, one call.inspected event', async () => {
    const mine = await subscribed(agent);
    await ring('live-scored');
    await cti({ callId: 'live-scored', type: 'answer' });
    mine.send({ type: 'turn', callId: 'live-scored', speaker: 'agent', text: '您好,中华保险1024号为您服务' });
    mine.send({ type: 'turn', callId: 'live-scored', speaker: 'customer', text: '我想查一下保单' });
    mine.send({ type: 'turn', callId: 'live-scored', speaker: 'agent', text: '这个我也不知道', ref: 'q' });
    await mine.next((m) => m.type === 'ack' && m.ref === 'q');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cti/events',
      headers: bridge,
      payload: { callId: 'live-scored', type: 'hangup', by: 'customer' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const answered = res.json().hangup.call.qa as { score: number; failedRules: string[] };
    const shown = (await mine.next(
      (m) =>
        m.type === 'event' &&
        m.callId === 'live-scored' &&
        (m as LiveEventMessage).event.kind === 'inspection',
    )) as LiveEventMessage;
    const live = (shown.event as unknown as { inspection: { score: number } }).inspection;
    // The words had faults: the telephone system's answer says so, as the console does.
    expect(answered.score).toBeLessThan(100);
    expect(answered.score).toBe(live.score);
    const stored = await t.app.inject({
      method: 'GET',
      url: '/api/calls/live-scored',
      headers: { cookie: lead.cookie },
    });
    expect(stored.json().qa.score).toBe(answered.score);
    expect(stored.json().turns).toHaveLength(3);
    // One inspection reaches the outbox (dashboards, subscribers): the stored call's.
    const inspected = await t.store.db
      .selectFrom('event_outbox')
      .select(['payload'])
      .where('type', '=', 'call.inspected')
      .where('aggregate_id', '=', 'live-scored')
      .execute();
    expect(inspected.map((r) => JSON.parse(String(r.payload)).score)).toEqual([answered.score]);
    await mine.close();
  });

  it('resumes a dropped socket with exactly the events it missed, on to the hang-up', async () => {
    await ring('live-2');
    await cti({ callId: 'live-2', type: 'answer' });
    const first = await subscribed(agent);
    const snap = first.received.find((m) => m.type === 'snapshot') as unknown as {
      calls: { callId: string; lastSeq: number; status: string; events: unknown[] }[];
    };
    const call = snap.calls.find((c) => c.callId === 'live-2');
    expect(call?.status).toBe('talking');
    expect(call?.events.length).toBe(call?.lastSeq);
    first.send({ type: 'turn', callId: 'live-2', speaker: 'customer', text: '我要投诉,你们的账单又错了' });
    await first.next(
      (m) =>
        m.type === 'event' &&
        m.callId === 'live-2' &&
        (m as LiveEventMessage).event.kind === 'guidance' &&
        (m as LiveEventMessage).event.turn === 0,
    );
    const seen = first.events('live-2').at(-1)?.seq ?? 0;
    // The turn, its situation and the script line for it, numbered on from the snapshot.
    expect(
      first
        .events('live-2')
        .map((e) => e.event.kind)
        .slice(0, 3),
    ).toEqual(['turn', 'situation', 'guidance']);
    expect(first.events('live-2')[0]?.seq).toBe(call ? call.lastSeq + 1 : -1);
    await first.close();

    // While away: the ASR posts a turn, the call is put on hold.
    const asr = await t.app.inject({
      method: 'POST',
      url: '/api/live/calls/live-2/turns',
      headers: bridge,
      payload: { speaker: 'agent', text: '我不知道账单的事', start: 4000, end: 6000 },
    });
    expect(asr.statusCode, asr.body).toBe(202);
    t.clock.advance(10_000); // the hold comes after the ASR's turn
    await cti({ callId: 'live-2', type: 'hold' });

    const again = await connect(agent);
    await again.next((m) => m.type === 'ready');
    again.send({ type: 'subscribe', resume: { 'live-2': seen } });
    const resumed = (await again.next((m) => m.type === 'snapshot')) as unknown as {
      calls: {
        callId: string;
        status: string;
        timers: Record<string, { state: string }>;
        events: { seq: number; event: { kind: string } }[];
      }[];
    };
    const back = resumed.calls.find((c) => c.callId === 'live-2');
    expect(back?.status).toBe('on-hold');
    expect(back?.timers.hold?.state).toBe('started');
    const missed = back?.events ?? [];
    expect(seqs(missed)).toEqual(missed.map((_, i) => seen + 1 + i));
    // The ASR's turn with its alerts, then the hold (and its clock): what the console missed.
    const missedKinds = missed.map((e) => e.event.kind);
    expect(missedKinds[0]).toBe('turn');
    expect(missedKinds).toEqual(expect.arrayContaining(['alert', 'call', 'timer']));

    // And on: the next events follow without a gap, up to the hang-up.
    await cti({ callId: 'live-2', type: 'unhold' });
    await cti({ callId: 'live-2', type: 'hangup', by: 'customer' });
    const hangup = (await again.next(
      (m) =>
        m.type === 'event' &&
        (m as LiveEventMessage).event.kind === 'call' &&
        (m as LiveEventMessage).event.type === 'hangup',
    )) as LiveEventMessage;
    const after = again.events('live-2');
    expect(seqs(after)).toEqual(after.map((_, i) => seen + missed.length + 1 + i));
    expect(hangup.event.status).toBe('ended');
    expect(kinds(again, 'live-2')).toContain('guidance');

    // After the hang-up the call is still there for a console that reconnects, as ended.
    // The hang-up closes the checklist and starts the after-call work (话后处理) clock.
    await again.next(
      (m) =>
        m.type === 'event' &&
        (m as LiveEventMessage).event.kind === 'timer' &&
        (m as LiveEventMessage).event.timer === 'wrap-up',
    );
    // Then the call's inspection (what `huashu qa --json` gives), after the hang-up's events.
    const inspection = (await again.next(
      (m) => m.type === 'event' && (m as LiveEventMessage).event.kind === 'inspection',
    )) as LiveEventMessage;
    expect(inspection.seq).toBeGreaterThan(hangup.seq);
    expect(inspection.event.inspection).toMatchObject({
      id: 'live-2',
      brand: 'zhonghua',
      findings: expect.arrayContaining([
        expect.objectContaining({ rule: 'language.forbidden.vague', turn: 1 }),
      ]),
    });
    const last = again.events('live-2').at(-1)?.seq ?? 0;
    const late = await subscribed(agent, { 'live-2': last, 'no-such-call': 3 });
    const snapshot = late.received.find((m) => m.type === 'snapshot') as unknown as {
      calls: { callId: string; status: string; events: unknown[]; inspection: unknown }[];
      gone: string[];
    };
    // Resumed past every event, it still has the inspection in the snapshot.
    expect(snapshot.calls.find((c) => c.callId === 'live-2')).toMatchObject({
      status: 'ended',
      events: [],
      inspection: inspection.event.inspection as object,
    });
    expect(snapshot.gone).toEqual(['no-such-call']);
    late.send({ type: 'turn', callId: 'live-2', speaker: 'agent', text: '再见', ref: 'late' });
    expect(await late.next((m) => m.type === 'error' && m.ref === 'late')).toMatchObject({
      code: 'conflict',
    });
    await again.close();
    await late.close();
  });

  it('answers a bad message with an error naming the field, and keeps the connection', async () => {
    const c = await subscribed(agent);
    c.send({ type: 'turn', callId: 'live-1', speaker: 'robot', text: '你好', ref: 'bad' });
    const bad = await c.next((m) => m.type === 'error' && m.ref === 'bad');
    expect(bad.code).toBe('validation');
    expect(bad.details).toEqual([expect.objectContaining({ path: 'speaker' })]);
    c.ws.send('not json');
    expect(await c.next((m) => m.type === 'error' && m.code === 'bad-request')).toBeTruthy();
    c.send({ type: 'dance' });
    expect(
      await c.next(
        (m) => m.type === 'error' && m.code === 'validation' && JSON.stringify(m.details).includes('type'),
      ),
    ).toBeTruthy();
    c.send({ type: 'turn', callId: 'nobody-rang', speaker: 'agent', text: '你好', ref: 'none' });
    expect(await c.next((m) => m.type === 'error' && m.ref === 'none')).toMatchObject({ code: 'not-found' });
    c.send({ type: 'ping', ref: 'still' });
    expect(await c.next((m) => m.type === 'pong' && m.ref === 'still')).toBeTruthy();
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    await c.close();
  });

  it('lets QA inspectors and leads watch their brand’s calls (the wallboard the dashboards give them), never type in them', async () => {
    for (const role of ['qa-inspector', 'qa-lead'] as const) {
      const qa = await signInAs(t, role);
      const c = await subscribed(qa);
      const callId = `watched-${role}`;
      await ring(callId);
      const ringing = (await c.next((m) => m.type === 'event' && m.callId === callId)) as LiveEventMessage;
      expect(ringing.event.kind).toBe('call');
      c.send({ type: 'turn', callId, speaker: 'agent', text: '您好', ref: 'qa' });
      expect(await c.next((m) => m.type === 'error' && m.ref === 'qa')).toMatchObject({ code: 'forbidden' });
      c.send({ type: 'button', callId, button: 'harassment', ref: 'qa-button' });
      expect(await c.next((m) => m.type === 'error' && m.ref === 'qa-button')).toMatchObject({
        code: 'forbidden',
      });
      await cti({ callId, type: 'hangup', by: 'customer', cause: 'no-answer' });
      await c.close();
    }
    // One with a 工号 of their own and a brand: still only watching, even a call to that 工号; and
    // only their brand's calls.
    await t.app.services.accounts.createUser(
      {
        username: 'qa-numbered',
        displayName: 'qa-numbered',
        role: 'qa-inspector',
        password: 'correct horse 1',
        agentNumber: '3001',
        brand: 'zhonghua',
      },
      { userId: null, ip: null },
    );
    const numbered = await subscribed(await signInAs(t, 'qa-inspector', 'qa-numbered'));
    await cti({
      callId: 'qa-elsewhere',
      type: 'ring',
      brand: 'quanjiale',
      caller: '13800138001',
      agent: { number: '1024' },
    });
    await cti({
      callId: 'qa-own',
      type: 'ring',
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: '3001' },
    });
    await numbered.next((m) => m.type === 'event' && m.callId === 'qa-own');
    await cti({ callId: 'qa-own', type: 'answer' });
    numbered.send({ type: 'turn', callId: 'qa-own', speaker: 'agent', text: '您好', ref: 'own' });
    const refused = await numbered.next((m) => m.type === 'error' && m.ref === 'own');
    expect(refused).toMatchObject({ code: 'forbidden' });
    expect(String(refused.message)).toContain('质检员和质检组长只能查看实时通话');
    expect(numbered.events('qa-elsewhere')).toEqual([]);
    await cti({ callId: 'qa-own', type: 'hangup', by: 'customer' });
    await cti({ callId: 'qa-elsewhere', type: 'hangup', by: 'customer', cause: 'no-answer' });
    await numbered.close();
  });

  it('refuses a socket without credentials or from another site’s page, and the ASR route to anyone but the integration', async () => {
    await expect(openSocket(base, {})).rejects.toThrow(/401/);
    await expect(openSocket(base, { cookie: agent.cookie, origin: 'https://evil.example' })).rejects.toThrow(
      /403/,
    );
    await ring('live-3');
    const byAgent = await t.app.inject({
      method: 'POST',
      url: '/api/live/calls/live-3/turns',
      headers: agent.headers,
      payload: { speaker: 'customer', text: '你好' },
    });
    expect(byAgent.statusCode).toBe(403);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/live/calls/nobody/turns',
      headers: bridge,
      payload: { speaker: 'customer', text: '你好' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses to carry another user’s calls to a page that names its user (?user=), as HTTP does', async () => {
    const idOf = async (s: Session) =>
      (
        (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: s.headers })).json() as {
          user: { id: string };
        }
      ).user.id;
    const origin = `http://${host}`;
    // The page's user is the session's: the socket opens as before.
    const own = await openSocket(base, { cookie: agent.cookie, origin }, `?user=${await idOf(agent)}`);
    await own.next((m) => m.type === 'ready');
    await own.close();
    // The browser's cookie is now the agent's, the page still shows the colleague's console.
    const stale = await openSocket(base, { cookie: agent.cookie, origin }, `?user=${await idOf(colleague)}`);
    const error = await stale.next((m) => m.type === 'error');
    expect(error).toMatchObject({ code: 'session-changed' });
    expect(String(error.message)).toContain('agent');
    expect(await stale.closed).toEqual({ code: 4409, reason: 'agent' });
    expect(stale.received.some((m) => m.type === 'ready' || m.type === 'snapshot')).toBe(false);
    // The notification stream: refused before it starts (the page asks who it is now).
    const stream = await t.app.inject({
      method: 'GET',
      url: `/api/notifications/stream?user=${await idOf(colleague)}`,
      headers: { cookie: agent.cookie },
    });
    expect(stream.statusCode).toBe(401);
    expect(stream.json()).toMatchObject({ code: 'session-changed' });
  });

  it('closes the socket when the session ends, and when pongs stop', async () => {
    const other = await signInAs(t, 'agent', 'leaving');
    const c = await subscribed(other);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: other.headers });
    expect(out.statusCode).toBeLessThan(300);
    expect((await c.closed).code).toBe(4401);

    const silent = new WebSocket(socketUrl(base), { headers: { cookie: agent.cookie }, autoPong: false });
    const closed = new Promise<number>((r) => silent.once('close', (code) => r(code)));
    expect([4408, 1006]).toContain(await closed);
  });
});
