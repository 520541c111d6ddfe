// Teams (班组, issue 9) on a listening server: a team lead of 一组 gets the live events of an
// 一组 agent's call and nothing of a 二组 agent's, in the snapshot, on resume and pushed; a
// team lead without a team sees the brand; GET /api/cti/live applies the same scope; an admin
// sets and clears a user's team over HTTP (audited), and a membership change reaches the next
// subscription.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import { ctiBridge } from '../cti/bridge.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { type LiveEventMessage, openSocket, type SocketClient } from './socket-client.ts';

interface Snapshot {
  calls: { callId: string; agentNumber: string | null; events: { seq: number }[] }[];
  gone: string[];
}

describe('teams: who sees which live calls', () => {
  let t: TestApp;
  let base: string;
  let bridge: Record<string, string>;
  let admin: Session;
  const ids: Record<string, string> = {};
  const sessions: Record<string, Session> = {};

  const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, s: Session, payload?: object) =>
    t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}) });
  const user = async (username: string, role: string, extra: Record<string, unknown>) => {
    const res = await api('POST', '/api/users', admin, {
      username,
      displayName: username,
      role,
      password: 'correct horse 1',
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    ids[username] = (res.json() as { id: string }).id;
    sessions[username] = await signInAs(t, role as never, username);
    return res.json() as { team: string | null };
  };
  const cti = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/cti/events', headers: bridge, payload });
    expect(res.statusCode, res.body).toBe(200);
  };
  const ring = (callId: string, agentNumber: string, brand = 'zhonghua') =>
    cti({ callId, type: 'ring', brand, caller: '13800138000', agent: { number: agentNumber } });
  const subscribed = async (username: string, resume?: Record<string, number>) => {
    const c = await openSocket(base, { cookie: sessions[username]?.cookie ?? '', origin: base });
    await c.next((m) => m.type === 'ready');
    c.send({ type: 'subscribe', ...(resume ? { resume } : {}) });
    const snapshot = (await c.next((m) => m.type === 'snapshot')) as unknown as Snapshot;
    return { c, snapshot };
  };
  const live = async (username: string) => {
    const res = await api('GET', '/api/cti/live', sessions[username] as Session);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: { callId: string }[] }).items.map((c) => c.callId).sort();
  };
  const callIds = (s: Snapshot) => s.calls.map((c) => c.callId).sort();
  const pushedCalls = (c: SocketClient) =>
    [
      ...new Set(c.received.filter((m) => m.type === 'event').map((m) => (m as LiveEventMessage).callId)),
    ].sort();

  beforeAll(async () => {
    t = await testApp('sqlite');
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    bridge = await ctiBridge(t);
    admin = await signInAs(t, 'admin');
    await user('one', 'agent', { agentNumber: '1101', team: '一组' });
    await user('two', 'agent', { agentNumber: '2202', team: '二组' });
    // Typed in Traditional: the same team as 一组, stored as typed.
    expect(await user('uno', 'agent', { agentNumber: '3303', team: '一組' })).toMatchObject({ team: '一組' });
    await user('lead1', 'team-lead', { team: ' 一组 ' });
    await user('leadall', 'team-lead', {});
    await user('director', 'room-director', {});
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('sets, changes and clears a team over HTTP, trimmed, checked and audited', async () => {
    const me = await api('GET', '/api/users', admin);
    const lead = (me.json() as { items: { username: string; team: string | null }[] }).items.find(
      (u) => u.username === 'lead1',
    );
    expect(lead?.team).toBe('一组');
    const temp = await user('temp', 'agent', { agentNumber: '4404' });
    expect(temp.team).toBeNull();
    const id = ids.temp as string;
    const set = await api('PATCH', `/api/users/${id}`, admin, { team: '夜班二组' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ team: '夜班二组' });
    const cleared = await api('PATCH', `/api/users/${id}`, admin, { team: null });
    expect(cleared.json()).toMatchObject({ team: null });
    for (const bad of ['   ', 'x'.repeat(33)]) {
      const r = await api('PATCH', `/api/users/${id}`, admin, { team: bad });
      expect(r.statusCode, r.body).toBe(400);
      expect(JSON.stringify(r.json())).toContain('team');
    }
    // Only admins change it.
    const byLead = await api('PATCH', `/api/users/${id}`, sessions.lead1 as Session, { team: '一组' });
    expect(byLead.statusCode).toBe(403);
    const trail = await auditTrail(t.store.db, 'user', id);
    expect(trail.filter((e) => e.action === 'update').map((e) => e.changes)).toEqual([
      { team: { from: null, to: '夜班二组' } },
      { team: { from: '夜班二组', to: null } },
    ]);
  });

  it('a team lead of 一组 gets the calls of 一组’s agents only; snapshot, resume and push agree', {
    timeout: 30_000,
  }, async () => {
    // Rung before the consoles connect: in the snapshot (or not).
    await ring('t-one', '1101');
    await ring('t-two', '2202');
    const { c: lead, snapshot } = await subscribed('lead1');
    expect(callIds(snapshot)).toEqual(['t-one']);
    const { c: all, snapshot: allSnap } = await subscribed('leadall');
    expect(callIds(allSnap)).toEqual(['t-one', 't-two']);

    // Pushed: 一組 (Traditional) is 一组; 二组 is not theirs.
    await ring('t-uno', '3303');
    await ring('t-two-b', '2202');
    await cti({ callId: 't-two', type: 'answer' });
    await cti({ callId: 't-one', type: 'answer' });
    await lead.next((m) => m.type === 'event' && m.callId === 't-one' && (m as LiveEventMessage).seq > 1);
    await all.next((m) => m.type === 'event' && m.callId === 't-one' && (m as LiveEventMessage).seq > 1);
    await lead.next((m) => m.type === 'event' && m.callId === 't-uno');
    expect(pushedCalls(lead)).toEqual(['t-one', 't-uno']);
    expect(pushedCalls(all)).toEqual(['t-one', 't-two', 't-two-b', 't-uno']);

    // Resume: a call of 二组 asked for is gone to them; their own comes back with what they missed.
    const seen = lead.events('t-one').at(-1)?.seq ?? 0;
    await lead.close();
    await cti({ callId: 't-one', type: 'hold' });
    const { c: again, snapshot: resumed } = await subscribed('lead1', { 't-one': seen, 't-two': 1 });
    expect(resumed.gone).toEqual(['t-two']);
    expect(callIds(resumed)).toEqual(['t-one', 't-uno']);
    const back = resumed.calls.find((c) => c.callId === 't-one');
    expect(back?.events[0]?.seq).toBe(seen + 1);

    // GET /api/cti/live: the same rule.
    expect(await live('lead1')).toEqual(['t-one', 't-uno']);
    expect(await live('leadall')).toEqual(['t-one', 't-two', 't-two-b', 't-uno']);
    expect(await live('director')).toEqual(['t-one', 't-two', 't-two-b', 't-uno']);
    for (const c of [again, all]) await c.close();
  });

  it('a membership change reaches the next subscription and the next request', async () => {
    expect(await live('lead1')).not.toContain('t-two');
    const moved = await api('PATCH', `/api/users/${ids.two}`, admin, { team: '一组' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await live('lead1')).toEqual(['t-one', 't-two', 't-two-b', 't-uno']);
    const { c, snapshot } = await subscribed('lead1');
    expect(callIds(snapshot)).toContain('t-two');
    await c.close();
    // Clearing the lead's team: the brand again.
    await api('PATCH', `/api/users/${ids.one}`, admin, { team: null });
    await api('PATCH', `/api/users/${ids.lead1}`, admin, { team: '二组' });
    expect(await live('lead1')).toEqual([]);
    await api('PATCH', `/api/users/${ids.lead1}`, admin, { team: null });
    expect(await live('lead1')).toEqual(['t-one', 't-two', 't-two-b', 't-uno']);
  });
});
