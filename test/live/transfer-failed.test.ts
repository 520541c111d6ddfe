// A failed transfer on a listening server: the agent's transfer-failed button (the socket) is
// recorded as the call's transfer-failed event by the CTI, once per transfer, so the console's
// lines, the stored call, its score and the inspection at hang-up all take the caller as still
// this agent's (seed 000 B.四.2); `huashu qa` on the stored call gives the same inspection. The
// telephone system may post the event itself (POST /api/cti/events), checked for order.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentWithNumber, ctiBridge } from '../cti/bridge.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { huashu } from '../support/huashu-bin.ts';
import { type LiveEventMessage, openSocket, type SocketClient } from './socket-client.ts';

interface StoredCall {
  id: string;
  brand: string;
  direction: string;
  agent: { id: string | null; name: string | null };
  customerPhone: string | null;
  startedAt: string;
  events: { type: string; at: number; to?: string; by?: string }[];
  turns: { speaker: string; text: string; start?: number; end?: number; source?: string }[];
  qa: { score: number; result: { rules: { id: string; outcome: string }[]; findings: unknown[] } } | null;
}

describe('a failed transfer: the button records it on the call', () => {
  let t: TestApp;
  let base: string;
  let host: string;
  let bridge: Record<string, string>;
  let agent: Session;
  let colleague: Session;
  let lead: Session;

  beforeAll(async () => {
    t = await testApp('sqlite');
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

  const post = (payload: Record<string, unknown>, headers: Record<string, string> = bridge) =>
    t.app.inject({ method: 'POST', url: '/api/cti/events', headers, payload });
  const cti = async (payload: Record<string, unknown>) => {
    const res = await post(payload);
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };
  /** Rings a chaoyue call to 工号 1024 and answers it 3 s later. */
  const answered = async (id: string) => {
    await cti({
      callId: id,
      type: 'ring',
      brand: 'chaoyue',
      caller: '13800138000',
      agent: { number: '1024' },
    });
    t.clock.advance(3000);
    await cti({ callId: id, type: 'answer' });
  };
  const subscribed = async (s: Session): Promise<SocketClient> => {
    const c = await openSocket(base, { cookie: s.cookie, origin: `http://${host}` });
    await c.next((m) => m.type === 'ready');
    c.send({ type: 'subscribe' });
    await c.next((m) => m.type === 'snapshot');
    return c;
  };
  /** Sends a message and waits for its ack (or throws with the error the server answered). */
  const sent = async (c: SocketClient, m: Record<string, unknown>, ref: string) => {
    c.send({ ...m, ref });
    const answer = await c.next((x) => (x.type === 'ack' || x.type === 'error') && x.ref === ref);
    expect(answer, JSON.stringify(answer)).toMatchObject({ type: 'ack' });
  };
  const say = (c: SocketClient, callId: string, speaker: string, text: string, ref: string) => {
    t.clock.advance(2000);
    return sent(c, { type: 'turn', callId, speaker, text }, ref);
  };
  const stored = async (callId: string): Promise<StoredCall> => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/calls/${callId}`,
      headers: { cookie: lead.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as StoredCall;
  };
  const inspectionOf = async (c: SocketClient, callId: string) =>
    (
      (await c.next(
        (m) =>
          m.type === 'event' && m.callId === callId && (m as LiveEventMessage).event.kind === 'inspection',
      )) as LiveEventMessage
    ).event as unknown as { inspection: { rules: { id: string; outcome: string }[]; findings: unknown[] } };
  /** The call's next live event of `kind` whose fields are `fields`. */
  const nextEvent = (c: SocketClient, callId: string, kind: string, fields: Record<string, unknown>) =>
    c.next(
      (m) =>
        m.type === 'event' &&
        m.callId === callId &&
        (m as LiveEventMessage).event.kind === kind &&
        Object.entries(fields).every(([k, v]) => (m as LiveEventMessage).event[k] === v),
    );
  const guidance = (c: SocketClient, callId: string) =>
    c.events(callId).flatMap((e) => (e.event.kind === 'guidance' ? [String(e.event.scenario)] : []));

  it('after the transfer, the button: the call event, the redial lines; the caller stays, the closing is owed; huashu qa agrees', async () => {
    const id = 'tf-button';
    const mine = await subscribed(agent);
    await answered(id);
    await say(mine, id, 'agent', '您好,超越平台,工号1024,很高兴为您服务!', 'a1');
    await say(mine, id, 'customer', '我上个月提交的软件著作权登记,现在到哪一步了?', 'c1');
    await say(
      mine,
      id,
      'agent',
      '好的,您咨询的是登记进度的问题,您的电话需转接技术部,请您稍等,我帮您转接。',
      'a2',
    );
    t.clock.advance(1000);
    await cti({ callId: id, type: 'transfer', to: '技术部' });
    t.clock.advance(10_000);
    await sent(mine, { type: 'button', callId: id, button: 'transfer-failed' }, 'b1');
    // The console sees the call's event (the transfer no longer stands) and the redial lines.
    const failed = (await nextEvent(mine, id, 'call', { type: 'transfer-failed' })) as LiveEventMessage;
    expect(failed.event).toMatchObject({
      kind: 'call',
      type: 'transfer-failed',
      status: 'talking',
      to: '技术部',
    });
    await nextEvent(mine, id, 'guidance', { scenario: 'transfer.failed' });
    // Pressed again: the caller will not dial again → name and number; no second failure.
    t.clock.advance(2000);
    await sent(mine, { type: 'button', callId: id, button: 'transfer-failed' }, 'b2');
    await nextEvent(mine, id, 'guidance', { scenario: 'transfer.refused' });
    await say(mine, id, 'agent', '那边占线,您稍后再打吧。', 'a3');
    await say(mine, id, 'customer', '哦。', 'c2');
    t.clock.advance(2000);
    const hangup = await cti({ callId: id, type: 'hangup', by: 'customer' });
    const live = (await inspectionOf(mine, id)).inspection;
    const outcome = (rules: { id: string; outcome: string }[], rule: string) =>
      rules.find((r) => r.id === rule)?.outcome;
    // Not handed over: the closing question and the farewell were owed and not said.
    expect(
      ['closing.more-questions', 'closing.farewell', 'closing.customer-first'].map((r) =>
        outcome(live.rules, r),
      ),
    ).toEqual(['fail', 'fail', 'pass']);
    // The checklist agrees: the closing stages missed, not n/a.
    const closing = mine
      .events(id)
      .flatMap((e) =>
        e.event.kind === 'stage' && ['more-questions', 'farewell'].includes(String(e.event.stage))
          ? [`${e.event.stage} ${e.event.state}`]
          : [],
      );
    expect(closing).toEqual(['more-questions missed', 'farewell missed']);
    expect(guidance(mine, id).filter((s) => s.startsWith('transfer.'))).toEqual([
      'transfer.announce',
      'transfer.failed',
      'transfer.failed',
      'transfer.refused',
    ]);

    // The stored call has the failure, once, and the score the console showed.
    const call = await stored(id);
    expect(call.events.filter((e) => e.type.startsWith('transfer'))).toEqual([
      { type: 'transfer', at: expect.any(Number), to: '技术部' },
      { type: 'transfer-failed', at: expect.any(Number), to: '技术部' },
    ]);
    expect(call.qa?.result).toEqual(live);
    expect(hangup.json().hangup.call.qa.score).toBe(call.qa?.score);

    // huashu qa on the stored call as a call file: the same inspection (findings and all).
    const dir = mkdtempSync(join(tmpdir(), 'huashu-tf-'));
    const file = join(dir, `${id}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        id: call.id,
        brand: call.brand,
        direction: call.direction,
        agent: { id: call.agent.id ?? undefined, name: call.agent.name ?? undefined },
        customer: call.customerPhone ? { phone: call.customerPhone } : undefined,
        startedAt: call.startedAt,
        events: call.events,
        turns: call.turns,
      }),
    );
    const qa = huashu('qa', file, '--json');
    expect([qa.code, qa.stderr]).toEqual([0, '']);
    expect(JSON.parse(qa.stdout)).toEqual(live);

    // The outbox tells subscribers of the failure.
    const published = await t.store.db
      .selectFrom('event_outbox')
      .select(['type', 'payload'])
      .where('aggregate_id', '=', id)
      .where('type', 'in', ['call.transferred', 'call.transfer-failed'])
      .execute();
    expect(published.map((r) => [r.type, JSON.parse(String(r.payload)).to])).toEqual([
      ['call.transferred', '技术部'],
      ['call.transfer-failed', '技术部'],
    ]);
    await mine.close();
  }, 60_000);

  it('the button without a transfer event gives the lines and records nothing; the telephone system’s own event is checked', async () => {
    const id = 'tf-none';
    const mine = await subscribed(agent);
    await answered(id);
    t.clock.advance(3000);
    await sent(mine, { type: 'button', callId: id, button: 'transfer-failed' }, 'b1');
    await nextEvent(mine, id, 'guidance', { scenario: 'transfer.failed' });
    // No transfer to fail: 409, saying what to send first.
    const early = await post({ callId: id, type: 'transfer-failed' });
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('has no transfer to fail; send the transfer event first');
    // `to` belongs on a transfer or its failure only.
    const misplaced = await post({ callId: id, type: 'hold', to: '技术部' });
    expect(misplaced.statusCode).toBe(400);
    expect(misplaced.body).toContain('only on transfer and transfer-failed');
    t.clock.advance(1000);
    await cti({ callId: id, type: 'transfer', to: '技术部' });
    // A colleague may not report it on another agent's call; the agent's own session may.
    t.clock.advance(1000);
    const theirs = await post({ callId: id, type: 'transfer-failed' }, colleague.headers);
    expect([theirs.statusCode, theirs.json().code]).toEqual([403, 'forbidden']);
    const own = await post({ callId: id, type: 'transfer-failed' }, agent.headers);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ type: 'transfer-failed', status: 'talking' });
    // Once per transfer: the agent's second report is a 409; the telephone system's own report
    // of that failure is taken as a duplicate (nothing recorded twice).
    t.clock.advance(1000);
    const again = await post({ callId: id, type: 'transfer-failed' }, agent.headers);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('one transfer-failed per transfer');
    const bySwitch = await post({ callId: id, type: 'transfer-failed' });
    expect(bySwitch.json()).toMatchObject({ duplicate: true });
    t.clock.advance(1000);
    await cti({ callId: id, type: 'hangup', by: 'agent' });
    await inspectionOf(mine, id);
    const call = await stored(id);
    expect(call.events.map((e) => e.type)).toEqual([
      'ring',
      'answer',
      'transfer',
      'transfer-failed',
      'hangup',
    ]);
    // The transfer-failed event has no `to` when the poster gave none.
    expect(call.events[3]).toEqual({ type: 'transfer-failed', at: expect.any(Number) });
    await mine.close();
  }, 60_000);

  /** Rings a call to 工号 1024, answers it and transfers it to 技术部. */
  const transferred = async (id: string) => {
    await answered(id);
    t.clock.advance(3000);
    await cti({ callId: id, type: 'transfer', to: '技术部' });
    t.clock.advance(5000);
  };
  const transferEvents = async (id: string) =>
    (await stored(id)).events.filter((e) => e.type.startsWith('transfer'));
  const outboxFailures = async (id: string) =>
    (
      await t.store.db
        .selectFrom('event_outbox')
        .select('type')
        .where('aggregate_id', '=', id)
        .where('type', '=', 'call.transfer-failed')
        .execute()
    ).length;

  it('the telephone system reports the failure, then the agent presses: the press is taken quietly, the lines once', async () => {
    const id = 'tf-switch-first';
    const mine = await subscribed(agent);
    await transferred(id);
    const posted = await post({ callId: id, type: 'transfer-failed', to: '技术部' });
    expect(posted.statusCode, posted.body).toBe(200);
    expect(posted.json().duplicate).toBeUndefined();
    await nextEvent(mine, id, 'guidance', { scenario: 'transfer.failed' });
    t.clock.advance(2000);
    const before = mine.received.length;
    await sent(mine, { type: 'button', callId: id, button: 'transfer-failed' }, 'p1');
    // Nothing more for the press: no error, no second failure, no other lines.
    t.clock.advance(2000);
    await say(mine, id, 'agent', '不好意思,那边暂时没接通。', 'a1');
    const after = mine.received.slice(before);
    expect(after.filter((m) => m.type === 'error')).toEqual([]);
    expect(
      after.filter(
        (m) =>
          m.type === 'event' &&
          (m as LiveEventMessage).callId === id &&
          ['call', 'guidance'].includes((m as LiveEventMessage).event.kind) &&
          String((m as LiveEventMessage).event.scenario ?? (m as LiveEventMessage).event.type).startsWith(
            'transfer',
          ),
      ),
    ).toEqual([]);
    // Pressed again: the caller will not dial again (the button's second meaning), as ever.
    t.clock.advance(2000);
    await sent(mine, { type: 'button', callId: id, button: 'transfer-failed' }, 'p2');
    await nextEvent(mine, id, 'guidance', { scenario: 'transfer.refused' });
    const failedLines = guidance(mine, id).filter((s) => s === 'transfer.failed').length;
    expect(failedLines).toBeGreaterThan(0);
    // The lines of the failure came once: all before the press.
    expect(guidance(mine, id).filter((x) => x.startsWith('transfer.'))).toEqual([
      'transfer.announce',
      ...Array(failedLines).fill('transfer.failed'),
      'transfer.refused',
    ]);
    t.clock.advance(2000);
    await cti({ callId: id, type: 'hangup', by: 'customer' });
    await inspectionOf(mine, id);
    // Once on the stored call (in the call file's form) and once in the outbox.
    expect(await transferEvents(id)).toEqual([
      { type: 'transfer', at: expect.any(Number), to: '技术部' },
      { type: 'transfer-failed', at: expect.any(Number), to: '技术部' },
    ]);
    expect(await outboxFailures(id)).toBe(1);
    await mine.close();
  }, 60_000);

  it('the agent presses, then the telephone system reports the same failure (late, and again): a duplicate, stored once; its own second report is a 409', async () => {
    const id = 'tf-console-first';
    const mine = await subscribed(agent);
    await transferred(id);
    // The switch saw the failure at this time; it reports only after the agent's press.
    const failedAt = t.clock.now().toISOString();
    t.clock.advance(4000);
    await sent(mine, { type: 'button', callId: id, button: 'transfer-failed' }, 'p1');
    await nextEvent(mine, id, 'call', { type: 'transfer-failed' });
    t.clock.advance(1000);
    const late = await post({ callId: id, type: 'transfer-failed', at: failedAt });
    expect(late.statusCode, late.body).toBe(200);
    expect(late.json()).toMatchObject({ type: 'transfer-failed', status: 'talking', duplicate: true });
    // A retry of that report, or a second failure of one transfer: a conflict, as before.
    const again = await post({ callId: id, type: 'transfer-failed' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('one transfer-failed per transfer');
    // A report earlier than the transfer it would fail is no report of it.
    t.clock.advance(1000);
    await cti({ callId: id, type: 'transfer', to: '客服部' });
    t.clock.advance(1000);
    await sent(mine, { type: 'button', callId: id, button: 'transfer-failed' }, 'p2');
    const early = await post({ callId: id, type: 'transfer-failed', at: failedAt });
    expect(early.statusCode).toBe(409);
    t.clock.advance(1000);
    await cti({ callId: id, type: 'hangup', by: 'customer' });
    await inspectionOf(mine, id);
    expect(await transferEvents(id)).toEqual([
      { type: 'transfer', at: expect.any(Number), to: '技术部' },
      { type: 'transfer-failed', at: expect.any(Number), to: '技术部' },
      { type: 'transfer', at: expect.any(Number), to: '客服部' },
      { type: 'transfer-failed', at: expect.any(Number), to: '客服部' },
    ]);
    expect(await outboxFailures(id)).toBe(2);
    // The console heard of each failure once.
    expect(
      mine
        .events(id)
        .filter((e) => e.event.kind === 'call' && e.event.type === 'transfer-failed')
        .map((e) => e.event.to),
    ).toEqual(['技术部', '客服部']);
    await mine.close();
  }, 60_000);

  it('the agent reports the failure through POST /api/cti/events: the switch’s own report after it is a duplicate, not a 409', async () => {
    const id = 'tf-agent-rest';
    await transferred(id);
    const own = await post({ callId: id, type: 'transfer-failed' }, agent.headers);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().duplicate).toBeUndefined();
    t.clock.advance(1000);
    const bySwitch = await post({ callId: id, type: 'transfer-failed' });
    expect(bySwitch.statusCode, bySwitch.body).toBe(200);
    expect(bySwitch.json()).toMatchObject({ duplicate: true });
    t.clock.advance(1000);
    await cti({ callId: id, type: 'hangup', by: 'customer' });
    expect(await transferEvents(id)).toEqual([
      { type: 'transfer', at: expect.any(Number), to: '技术部' },
      { type: 'transfer-failed', at: expect.any(Number) },
    ]);
    expect(await outboxFailures(id)).toBe(1);
  }, 60_000);

  it('a hang-up that meets another write of the call (the agent’s press at that moment) is stored, not refused', async () => {
    const id = 'tf-hangup-race';
    await transferred(id);
    await cti({ callId: id, type: 'transfer-failed' });
    t.clock.advance(1000);
    // The press lands between the hang-up's read of the live call and its write: the live store's
    // write is wrapped to let it in once, as two requests of one moment would interleave.
    const service = t.app.services.cti as unknown as {
      live: { replace(c: { status: string }, revision: number): Promise<boolean> };
      transferFailed(callId: string, at: Date, poster: object): Promise<{ duplicate?: true }>;
    };
    const replace = service.live.replace.bind(service.live);
    let pressed: { duplicate?: true } | null = null;
    service.live.replace = async (c, revision) => {
      if (pressed === null && c.status === 'ending')
        pressed = await service.transferFailed(id, t.clock.now(), {
          kind: 'person',
          agentNumber: '1024',
          brand: null,
        });
      return replace(c, revision);
    };
    try {
      const hangup = await post({ callId: id, type: 'hangup', by: 'customer' });
      expect(hangup.statusCode, hangup.body).toBe(200);
    } finally {
      service.live.replace = replace;
    }
    expect(pressed).toMatchObject({ duplicate: true });
    expect((await stored(id)).events.map((e) => e.type)).toEqual([
      'ring',
      'answer',
      'transfer',
      'transfer-failed',
      'hangup',
    ]);
  }, 60_000);

  it('the switch reporting twice for one transfer stays a 409', async () => {
    const id = 'tf-switch-twice';
    await transferred(id);
    const first = await post({ callId: id, type: 'transfer-failed' });
    expect(first.statusCode, first.body).toBe(200);
    t.clock.advance(1000);
    const second = await post({ callId: id, type: 'transfer-failed' });
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('one transfer-failed per transfer');
    await cti({ callId: id, type: 'hangup', by: 'customer' });
  }, 60_000);

  it('a failure recorded by an older server (no reportedBy on the live row): a second report of it is a 409 from the switch, the press goes to the flow, as before', async () => {
    const id = 'tf-older-row';
    const mine = await subscribed(agent);
    await transferred(id);
    const first = await post({ callId: id, type: 'transfer-failed', to: '技术部' });
    expect(first.statusCode, first.body).toBe(200);
    // The live row as a server before reportedBy wrote it.
    const row = await t.store.db
      .selectFrom('live_calls')
      .select('data')
      .where('call_id', '=', id)
      .executeTakeFirstOrThrow();
    const data = JSON.parse(row.data) as { events: { type: string; reportedBy?: string }[] };
    expect(data.events.find((e) => e.type === 'transfer-failed')?.reportedBy).toBe('switch');
    for (const e of data.events) delete e.reportedBy;
    await t.store.db
      .updateTable('live_calls')
      .set({ data: JSON.stringify(data) })
      .where('call_id', '=', id)
      .execute();
    t.clock.advance(1000);
    const again = await post({ callId: id, type: 'transfer-failed' });
    expect(again.statusCode).toBe(409);
    await sent(mine, { type: 'button', callId: id, button: 'transfer-failed' }, 'o1');
    await nextEvent(mine, id, 'guidance', { scenario: 'transfer.refused' });
    t.clock.advance(1000);
    await cti({ callId: id, type: 'hangup', by: 'customer' });
    expect(await transferEvents(id)).toEqual([
      { type: 'transfer', at: expect.any(Number), to: '技术部' },
      { type: 'transfer-failed', at: expect.any(Number), to: '技术部' },
    ]);
    await mine.close();
  }, 60_000);

  it('an API token without the scope cti cannot record the call event through the button (as POST /api/cti/events refuses it)', async () => {
    const id = 'tf-token-scope';
    const user = (await t.app.services.accounts.listUsers()).find((u) => u.username === 'agent');
    if (!user) throw new Error('no agent');
    // Only an admin's token may have the scope cti (it is then the integration's): an agent's
    // token never records call events.
    const tokenOf = async (scopes: ('read' | 'write')[]) =>
      (
        await t.app.services.accounts.createApiToken(
          user.id,
          `console ${scopes.join('+')}`,
          {
            userId: user.id,
            ip: null,
          },
          { scopes },
        )
      ).token;
    const writeOnly = await tokenOf(['read', 'write']);
    // The CTI route refuses that token outright.
    await transferred(id);
    const route = await post(
      { callId: id, type: 'transfer-failed' },
      { authorization: `Bearer ${writeOnly}`, 'accept-language': 'en' },
    );
    expect(route.statusCode).toBe(403);
    expect(route.body).toContain("lacks the scope 'cti'");
    // Through the socket's button: refused too, naming the scope; nothing recorded.
    const socket = await openSocket(base, { authorization: `Bearer ${writeOnly}`, 'accept-language': 'en' });
    await socket.next((m) => m.type === 'ready');
    socket.send({ type: 'subscribe' });
    await socket.next((m) => m.type === 'snapshot');
    socket.send({ type: 'button', callId: id, button: 'transfer-failed', ref: 'w1' });
    const refused = await socket.next((x) => (x.type === 'ack' || x.type === 'error') && x.ref === 'w1');
    expect(refused, JSON.stringify(refused)).toMatchObject({ type: 'error' });
    expect(JSON.stringify(refused)).toContain("lacks the scope 'cti'");
    await socket.close();
    // The agent's signed-in console may (the person whose call it is, as on the route).
    const console_ = await subscribed(agent);
    await sent(console_, { type: 'button', callId: id, button: 'transfer-failed' }, 'c1');
    await console_.close();
    t.clock.advance(1000);
    await cti({ callId: id, type: 'hangup', by: 'customer' });
    expect(await transferEvents(id)).toEqual([
      { type: 'transfer', at: expect.any(Number), to: '技术部' },
      { type: 'transfer-failed', at: expect.any(Number), to: '技术部' },
    ]);
  }, 60_000);
});
