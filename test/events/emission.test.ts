// What the services publish, on both engines, as a subscriber of the app's events sees it: a
// call's live events and its end in order, the blacklisting of a harassment caller, a ticket
// opened, then breached and escalated by the deadline checker with its notifications; no
// payload holds a whole phone number.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../src/events/map.ts';
import { ctiBridge } from '../cti/bridge.ts';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

const T0 = Date.parse('2026-11-20T01:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

async function until(what: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(ENGINES)('events published by the services on %s', (engine) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.app.services.events.stop();
    await t?.close();
    t = undefined;
  });

  it('a call, its blacklisting and a ticket’s breach, in order, numbers masked', {
    timeout: 90_000,
  }, async () => {
    t = await testApp(engine);
    const app = t.app;
    const heard: EventEnvelope[] = [];
    app.services.events.subscribe('*', (e) => {
      heard.push(e);
    });
    await app.services.events.start();
    const bridge = await ctiBridge(t);
    const post = async (payload: Record<string, unknown>) => {
      const res = await app.inject({ method: 'POST', url: '/api/cti/events', headers: bridge, payload });
      expect(res.statusCode, res.body).toBe(200);
    };
    const callId = '1700000000.9';
    await post({
      callId,
      type: 'ring',
      at: at(0),
      brand: 'zhonghua',
      caller: '+86 138 0013 8000',
      agent: { number: '1024', name: '李娜' },
    });
    await post({ callId, type: 'answer', at: at(5) });
    await post({ callId, type: 'hold', at: at(10) });
    await post({ callId, type: 'unhold', at: at(20) });
    await post({ callId, type: 'hangup', at: at(30), by: 'customer', harassment: true });

    const admin = await signInAs(t, 'admin');
    const opened = await app.inject({
      method: 'POST',
      url: '/api/tickets',
      headers: admin.headers,
      payload: {
        type: 'complaint',
        subtype: 'service-attitude',
        brand: 'zhonghua',
        subject: '投诉',
        customerPhone: '13800138000',
      },
    });
    expect(opened.statusCode).toBe(201);
    const ticketId = opened.json().id as string;
    t.clock.advance(3 * 24 * 3600_000);
    const checked = await app.services.tickets.runDeadlineChecks();
    expect(checked.breaches).toBeGreaterThan(0);

    await until(() => heard.some((e) => e.type === 'ticket.escalated'));
    await app.services.events.idle();

    const call = heard.filter((e) => e.aggregate.type === 'call' && e.aggregate.id === callId);
    expect(call.map((e) => e.type)).toEqual([
      'call.ringing',
      'call.answered',
      'call.held',
      'call.resumed',
      'call.ended',
      'call.inspected',
    ]);
    expect(call[0]?.payload).toMatchObject({ brand: 'zhonghua', agentNumber: '1024', caller: '138****8000' });
    expect(call[3]?.payload).toMatchObject({ heldSeconds: 10 });
    expect(call[4]?.payload).toMatchObject({ answered: true, caller: '138****8000' });

    const listed = heard.find((e) => e.type === 'blacklist.changed');
    expect(listed?.payload).toMatchObject({ action: 'added', phone: '138****8000', callId });

    const ticket = heard.filter((e) => e.aggregate.id === ticketId).map((e) => e.type);
    expect(ticket[0]).toBe('ticket.opened');
    const change = ticket.indexOf('ticket.changed');
    expect(change).toBeGreaterThan(0);
    expect(ticket.slice(change)).toEqual(expect.arrayContaining(['ticket.breached', 'ticket.escalated']));
    expect(ticket.indexOf('ticket.breached')).toBeGreaterThan(change);
    expect(ticket.filter((x) => x === 'notification.created').length).toBeGreaterThanOrEqual(2);

    expect(JSON.stringify(heard)).not.toContain('13800138000');
    expect(new Set(heard.map((e) => e.id)).size).toBe(heard.length);
  });
});
