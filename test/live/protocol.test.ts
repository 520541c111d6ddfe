// The socket's protocol schemas (src/live/protocol.ts) are what the server really sends: a whole
// call on a listening server (ring, answer, typed turns with a situation and an alert, a button,
// hold, hang-up with its inspection, a resume), and every message received is one the schema
// describes exactly (no field it does not name). And a console that sends a bad message is told
// what is wrong and where: the field, what it sent there, what the message takes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { liveServerMessage } from '../../src/live/protocol.ts';
import { ctiBridge } from '../cti/bridge.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { type LiveEventMessage, openSocket, type Received, type SocketClient } from './socket-client.ts';

describe('the live socket’s protocol', () => {
  let t: TestApp;
  let base: string;
  let host: string;
  let bridge: Record<string, string>;
  let agent: Session;

  beforeAll(async () => {
    t = await testApp('sqlite');
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    host = new URL(base).host;
    bridge = await ctiBridge(t);
    agent = await signInAs(t, 'agent'); // 工号 1024
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const cti = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/cti/events', headers: bridge, payload });
    expect(res.statusCode, res.body).toBe(200);
  };
  const connect = (language = 'en') =>
    openSocket(base, { cookie: agent.cookie, origin: `http://${host}`, 'accept-language': language });
  const subscribed = async (language = 'en', resume?: Record<string, number>) => {
    const c = await connect(language);
    await c.next((m) => m.type === 'ready');
    c.send({ type: 'subscribe', ...(resume ? { resume } : {}), ref: 'sub' });
    await c.next((m) => m.type === 'snapshot');
    return c;
  };
  const event = (
    c: SocketClient,
    kind: string,
    extra: (e: LiveEventMessage['event']) => boolean = () => true,
  ) =>
    c.next(
      (m) =>
        m.type === 'event' &&
        (m as LiveEventMessage).event.kind === kind &&
        extra((m as LiveEventMessage).event),
    );
  /** Every message parses, and parsing drops nothing: the schema names every field sent. */
  const describedExactly = (messages: Received[]) => {
    for (const m of messages) {
      const parsed = liveServerMessage.safeParse(m);
      expect(parsed.success, `${JSON.stringify(m)}: ${parsed.error?.message}`).toBe(true);
      expect(parsed.data, JSON.stringify(m)).toEqual(m);
    }
  };

  it('describes every message of a whole call, its resume and its errors', async () => {
    const c = await subscribed();
    await cti({
      callId: 'p-1',
      type: 'ring',
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: '1024' },
    });
    await cti({ callId: 'p-1', type: 'answer' });
    await event(c, 'guidance');
    c.send({ type: 'turn', callId: 'p-1', speaker: 'agent', text: '您好,中华保险1024号为您服务', ref: 't0' });
    await c.next((m) => m.type === 'ack' && m.ref === 't0');
    c.send({ type: 'turn', callId: 'p-1', speaker: 'customer', text: '我要投诉你们的服务' });
    await event(c, 'situation');
    c.send({ type: 'turn', callId: 'p-1', speaker: 'agent', text: '这个我也不知道' });
    await event(c, 'alert');
    c.send({ type: 'button', callId: 'p-1', button: 'noisy-line', ref: 'b' });
    await event(c, 'button');
    await cti({ callId: 'p-1', type: 'hold' });
    await event(c, 'timer', (e) => e.timer === 'hold' && e.state === 'started');
    await cti({ callId: 'p-1', type: 'unhold' });
    await cti({ callId: 'p-1', type: 'hangup', by: 'customer' });
    await event(c, 'inspection');
    c.send({ type: 'ping', ref: 'p' });
    await c.next((m) => m.type === 'pong');
    c.send({ type: 'turn', callId: 'p-1', speaker: 'agent', text: '再见', ref: 'late' });
    await c.next((m) => m.type === 'error' && m.ref === 'late');
    c.send({ type: 'dance' });
    await c.next((m) => m.type === 'error' && m.code === 'validation');

    // A console that comes back resumes from the start: the snapshot holds the whole call.
    const again = await subscribed('en', { 'p-1': 0, gone: 3 });
    const snapshot = again.received.find((m) => m.type === 'snapshot') as unknown as {
      calls: { callId: string; events: { event: { kind: string } }[]; inspection: unknown }[];
      gone: string[];
    };
    const call = snapshot.calls.find((x) => x.callId === 'p-1');
    expect(call?.inspection).not.toBeNull();
    expect(snapshot.gone).toEqual(['gone']);

    const kinds = new Set(c.events('p-1').map((e) => e.event.kind));
    expect([...kinds].sort()).toEqual(
      ['alert', 'button', 'call', 'guidance', 'inspection', 'situation', 'stage', 'timer', 'turn'].sort(),
    );
    expect(new Set(c.received.map((m) => m.type))).toEqual(
      new Set(['ready', 'snapshot', 'event', 'ack', 'pong', 'error', 'agent-state']),
    );
    describedExactly(c.received);
    describedExactly(again.received);
    await c.close();
    await again.close();
  });

  it('tells a console what is wrong with a bad message, where, and what it takes', async () => {
    const c = await subscribed();
    const answer = async (message: unknown, ref: string) => {
      c.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
      return (await c.next((m) => m.type === 'error' && m.ref === ref)) as Received & {
        message: string;
        details: { path?: string; message: string }[];
      };
    };

    const speaker = await answer(
      { type: 'turn', callId: 'p-1', speaker: 'robot', text: '你好', ref: 'a' },
      'a',
    );
    expect(speaker.code).toBe('validation');
    expect(speaker.message).toContain('invalid "turn" message: speaker:');
    expect(speaker.message).toContain('"agent"|"customer"');
    expect(speaker.message).toContain('got "robot"');
    expect(speaker.details).toEqual([{ path: 'speaker', message: expect.stringContaining('got "robot"') }]);

    const field = await answer(
      { type: 'button', callId: 'p-1', button: 'dialect', colour: 'red', ref: 'b' },
      'b',
    );
    expect(field.details).toEqual([
      { path: 'colour', message: 'unknown field; a button message takes type, callId, button, ref' },
    ]);

    const missing = await answer({ type: 'turn', callId: 'p-1', speaker: 'agent', ref: 'c' }, 'c');
    expect(missing.details).toEqual([{ path: 'text', message: expect.stringContaining('got nothing') }]);

    const type = await answer({ type: 'dance', ref: 'd' }, 'd');
    expect(type.message).toBe(
      'invalid message: type: expected type: subscribe, turn, button, agent-state or ping; got "dance"',
    );

    const resume = await answer({ type: 'subscribe', resume: { 'p-1': -1 }, ref: 'e' }, 'e');
    expect(resume.details).toEqual([
      { path: 'resume.p-1', message: expect.stringContaining('got number -1') },
    ]);

    // Text the database could not store as sent is refused before it reaches a call.
    const nul = await answer(
      { type: 'turn', callId: 'p-1', speaker: 'agent', text: '你好\u0000', ref: 'f' },
      'f',
    );
    expect(nul.details).toEqual([{ path: 'text', message: expect.stringContaining('NUL') }]);

    c.ws.send('[1,2]');
    const array = await c.next((m) => m.type === 'error' && String(m.message).includes('got an array'));
    expect(array.message).toContain('a message is a JSON object with a type');

    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    await c.close();

    // In Chinese for a Chinese console: the field and the value stay as sent.
    const zh = await subscribed('zh-CN');
    zh.send({ type: 'turn', callId: 'p-1', speaker: 'robot', text: '你好', ref: 'z' });
    const chinese = await zh.next((m) => m.type === 'error' && m.ref === 'z');
    expect(chinese.message).toBe('turn 消息有误：speaker：应为以下之一：agent、customer；收到的是 "robot"');
    await zh.close();
  });
});
