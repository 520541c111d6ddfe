// The callback queue (回拨) and tickets opened by the system (CTI), on both engines.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import { callJson } from '../calls/fixtures.ts';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { type Client, client, MIN } from './support.ts';

const SYSTEM = { userId: null, ip: null };

describe.each(ENGINES)('callbacks on %s', (engine) => {
  let t: TestApp;
  let agent: Client;
  let colleague: Client;
  beforeEach(async () => {
    t = await testApp(engine);
    agent = client(t, await signInAs(t, 'agent'));
    colleague = client(t, await signInAs(t, 'agent', 'wang.fang'));
  });
  afterEach(async () => {
    await t.close();
  });

  it('lists open callbacks due first; one missed-call callback per number', async () => {
    const tickets = t.app.services.tickets;
    // The CTI opens these once the call is stored (a ticket links only a call of its brand).
    const admin = client(t, await signInAs(t, 'admin'));
    for (const id of ['call-1', 'call-2', 'call-4', 'call-5'])
      await admin.ok(
        '/api/calls',
        callJson({ id, brand: 'zhonghua', startedAt: '2026-11-20T08:12:03+08:00' }),
      );
    const missed = await tickets.open(
      {
        type: 'callback',
        reason: 'missed-call',
        brand: 'zhonghua',
        customerPhone: '13900000001',
        callId: 'call-1',
      },
      SYSTEM,
    );
    expect(missed).toMatchObject({
      createdBy: 'system',
      subject: '回拨:未接来电',
      callId: 'call-1',
      status: 'new',
      deadlines: [{ kind: 'resolution', dueAt: '2026-11-20T03:00:00.000Z' }], // 2 working hours
    });
    t.clock.advance(10 * MIN);
    const dropped = await tickets.open(
      {
        type: 'callback',
        reason: 'dropped-line',
        brand: 'zhonghua',
        customerPhone: '13900000002',
        callId: 'call-2',
      },
      SYSTEM,
    );
    t.clock.advance(5 * MIN);
    const promised = await agent.ok('/api/tickets', {
      type: 'callback',
      brand: 'zhonghua',
      reason: 'promised',
      customerPhone: '13900000003',
      dueAt: '2026-11-20T09:45:00+08:00',
    });
    t.clock.advance(5 * MIN);
    // The same number misses again: the open callback covers it.
    const again = await tickets.open(
      {
        type: 'callback',
        reason: 'missed-call',
        brand: 'zhonghua',
        customerPhone: '13900000001',
        callId: 'call-4',
      },
      SYSTEM,
    );
    expect(again.id).toBe(missed.id);
    expect(
      (await auditTrail(t.store.db, 'ticket', missed.id)).map((e) => [e.action, e.changes.callId]),
    ).toEqual([
      ['open', 'call-1'],
      ['callback-repeat', 'call-4'],
    ]);
    // Records from the CTI: not in the queue.
    const nuisance = await tickets.open(
      { type: 'harassment', brand: 'zhonghua', customerPhone: '13900000009', callId: 'call-5' },
      SYSTEM,
    );
    expect(nuisance).toMatchObject({ subject: '骚扰电话记录', deadlines: [], level: 'agent' });
    expect(
      (await (await t.app.metrics.ticketsCreated.get()).values).map((v) => [v.labels.type, v.value]).sort(),
    ).toEqual([
      ['callback', 3],
      ['harassment', 1],
    ]);

    const queue = (await agent.get('/api/callbacks')).body;
    expect(queue.total).toBe(3);
    expect(queue.items.map((x: { id: string }) => x.id)).toEqual([promised.id, missed.id, dropped.id]);
    expect(queue.items.map((x: { nextDeadline: { dueAt: string } }) => x.nextDeadline.dueAt)).toEqual([
      '2026-11-20T01:45:00.000Z',
      '2026-11-20T03:00:00.000Z',
      '2026-11-20T03:10:00.000Z',
    ]);
    expect((await agent.get('/api/callbacks?limit=1&offset=1')).body.items[0].id).toBe(missed.id);
  });

  it('lets one agent take a callback; a second taker gets 409', async () => {
    const tickets = t.app.services.tickets;
    const a = await tickets.open(
      { type: 'callback', reason: 'missed-call', brand: 'zhonghua', customerPhone: '13900000001' },
      SYSTEM,
    );
    const b = await tickets.open(
      { type: 'callback', reason: 'dropped-line', brand: 'zhonghua', customerPhone: '13900000002' },
      SYSTEM,
    );

    const taken = await agent.post(`/api/callbacks/${a.id}/take`, { version: a.version });
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ status: 'accepted', assigneeName: 'agent' });

    // The colleague saw the same queue (same version) and is too late.
    const late = await colleague.post(`/api/callbacks/${a.id}/take`, { version: a.version });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('conflict');
    expect(late.body.message).toContain('already taken by someone else');
    // Reloaded, it is still someone else's.
    expect(
      (await colleague.post(`/api/callbacks/${a.id}/take`, { version: taken.body.version })).status,
    ).toBe(409);
    // Taking one's own again changes nothing.
    const mine = await agent.post(`/api/callbacks/${a.id}/take`, { version: taken.body.version });
    expect(mine.body.version).toBe(taken.body.version);

    // A stale version on a free callback is a version conflict.
    const stale = await colleague.post(`/api/callbacks/${b.id}/take`, { version: b.version + 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain(`it is at version ${b.version}`);

    expect(
      (await agent.get('/api/callbacks?taken=false')).body.items.map((x: { id: string }) => x.id),
    ).toEqual([b.id]);
    expect(
      (await agent.get('/api/callbacks?taken=true')).body.items.map((x: { id: string }) => x.id),
    ).toEqual([a.id]);

    // Done callbacks leave the queue; a non-callback cannot be taken.
    let done = taken.body;
    done = await agent.ok(`/api/tickets/${a.id}/start`, { version: done.version });
    done = await agent.ok(`/api/tickets/${a.id}/resolve`, { version: done.version });
    expect((await agent.get('/api/callbacks')).body.total).toBe(1);
    const complaint = await agent.ok('/api/tickets', {
      type: 'complaint',
      brand: 'zhonghua',
      subtype: 'other',
      subject: 'x',
    });
    expect((await agent.post(`/api/callbacks/${complaint.id}/take`, { version: 1 })).status).toBe(404);
    expect((await agent.post('/api/callbacks/nope/take', { version: 1 })).status).toBe(404);
  });
});
