// Agents' states on a listening server (the real engine, a real SQLite file): an agent's console
// signs them in (not ready); 示闲 / 示忙 with a reason over the socket reach a supervisor's
// subscription at once, and a supervisor who connects later gets them in the snapshot; the call
// makes the agent talking at the answer and wrap-up at the hang-up, and ready ends the wrap-up;
// a bad reason is refused with the list; closing the console signs them out; each change the
// agent made is in the audit trail; GET /api/dashboard/wallboard lists the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import { ctiBridge } from '../cti/bridge.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { openSocket, type Received, type SocketClient } from './socket-client.ts';

interface View {
  agentNumber: string;
  state: string;
  reason: string | null;
  since: string;
  limitSeconds: number | null;
  next: { work: string; reason: string | null } | null;
  call: { callId: string; status: string } | null;
  revision: number;
}

describe('agents’ states over the live socket', () => {
  let t: TestApp;
  let base: string;
  let bridge: Record<string, string>;
  let agent: Session;
  let director: Session;

  beforeAll(async () => {
    t = await testApp('sqlite', { HUASHU_LIVE_HEARTBEAT_SECONDS: '0.3' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    bridge = await ctiBridge(t);
    agent = await signInAs(t, 'agent'); // 工号 1024, every brand
    director = await signInAs(t, 'room-director');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const cti = async (payload: Record<string, unknown>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/cti/events', headers: bridge, payload });
    expect(res.statusCode, res.body).toBe(200);
  };
  const subscribed = async (s: Session) => {
    const c = await openSocket(base, { cookie: s.cookie, origin: base, 'accept-language': 'en' });
    const ready = await c.next((m) => m.type === 'ready');
    c.send({ type: 'subscribe' });
    const snapshot = (await c.next((m) => m.type === 'snapshot')) as Received & { agents: View[] };
    return { c, ready, snapshot };
  };
  /** The next pushed state of 1024 matching `state` (and reason), from message `from` on. */
  const pushed = async (c: SocketClient, state: string, from = 0, reason?: string) =>
    (
      (await c.next(
        (m) =>
          m.type === 'agent-state' &&
          (m.agent as View).agentNumber === '1024' &&
          (m.agent as View).state === state &&
          (reason === undefined || (m.agent as View).reason === reason),
        10_000,
        from,
      )) as Received & { agent: View }
    ).agent;

  it('signs in not ready; not ready for a break and ready again reach the supervisor live, audited', async () => {
    const { c: board } = await subscribed(director);
    const { c: console, ready, snapshot } = await subscribed(agent);
    // The console gets the brand's reasons to offer, and its own state: just signed in, not ready.
    expect((ready.agentStates as { reasons: { id: string }[] }).reasons.map((r) => r.id)).toEqual([
      'break',
      'meal',
      'training',
      'meeting',
    ]);
    expect(snapshot.agents).toEqual([
      expect.objectContaining({ agentNumber: '1024', state: 'not-ready', reason: null, limitSeconds: 900 }),
    ]);
    expect((await pushed(board, 'not-ready')).reason).toBeNull();

    const mark = board.received.length;
    console.send({ type: 'agent-state', state: 'not-ready', reason: 'break', ref: 'r1' });
    const answer = (await console.next((m) => m.type === 'agent-state' && m.ref === 'r1')) as Received & {
      agent: View;
    };
    expect(answer.agent).toMatchObject({ state: 'not-ready', reason: 'break', limitSeconds: 15 * 60 });
    const seen = await pushed(board, 'not-ready', mark, 'break');
    expect(seen.since).toBe(t.clock.now().toISOString());

    // A supervisor connecting now gets it in the snapshot.
    const { c: late, snapshot: lateSnapshot } = await subscribed(director);
    expect(lateSnapshot.agents.find((a) => a.agentNumber === '1024')).toMatchObject({
      state: 'not-ready',
      reason: 'break',
    });
    await late.close();

    t.clock.advance(5 * 60_000);
    console.send({ type: 'agent-state', state: 'ready', ref: 'r2' });
    expect((await pushed(board, 'ready', mark)).since).toBe(t.clock.now().toISOString());

    const users = await t.app.services.accounts.listUsers();
    const id = users.find((u) => u.username === 'agent')?.id ?? '';
    const trail = await auditTrail(t.store.db, 'user', id);
    const changes = trail.filter((e) => e.action.startsWith('agent-'));
    expect(changes.map((e) => [e.action, (e.changes.to as { state: string }).state])).toEqual(
      expect.arrayContaining([
        ['agent-sign-in', 'not-ready'],
        ['agent-state', 'not-ready'],
        ['agent-state', 'ready'],
      ]),
    );
    expect(changes.find((e) => e.action === 'agent-state')?.actorId).toBe(id);
    await console.close();
    await board.close();
  });

  it('talking at the answer, wrap-up at the hang-up, ready ends the wrap-up; a break asked for mid-call waits', async () => {
    const { c: board } = await subscribed(director);
    const { c: console } = await subscribed(agent);
    console.send({ type: 'agent-state', state: 'ready', ref: 'ready' });
    await console.next((m) => m.ref === 'ready');

    await cti({
      callId: 'as-1',
      type: 'ring',
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: '1024' },
    });
    await cti({ callId: 'as-1', type: 'answer' });
    const talking = await pushed(board, 'talking');
    expect(talking.call).toMatchObject({ callId: 'as-1', status: 'talking' });
    // The console sees its own state follow the call too.
    await pushed(console, 'talking');

    console.send({ type: 'agent-state', state: 'not-ready', reason: 'meal', ref: 'meal' });
    const during = (await console.next((m) => m.ref === 'meal')) as Received & { agent: View };
    expect(during.agent).toMatchObject({ state: 'talking', next: { work: 'not-ready', reason: 'meal' } });

    await cti({ callId: 'as-1', type: 'hangup', by: 'customer' });
    const wrap = await pushed(board, 'wrap-up');
    expect(wrap.next).toEqual({ work: 'not-ready', reason: 'meal' });
    // The wallboard's snapshot over HTTP says the same; and past the brand's wrap-up time the
    // agent is on the meal break even with no timer event (the test's clock stands still).
    const wall = async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/dashboard/wallboard',
        headers: director.headers,
      });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { agents: View[] }).agents.find((a) => a.agentNumber === '1024');
    };
    expect((await wall())?.state).toBe('wrap-up');
    t.clock.advance(31_000);
    // (The console's next heartbeat keeps it connected past the jump of the test's clock.)
    await expect
      .poll(async () => await wall(), { timeout: 10_000, interval: 100 })
      .toMatchObject({ state: 'not-ready', reason: 'meal' });

    // Another call; ready at once after its hang-up ends the wrap-up.
    await cti({
      callId: 'as-2',
      type: 'ring',
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: '1024' },
    });
    await cti({ callId: 'as-2', type: 'answer' });
    await cti({ callId: 'as-2', type: 'hangup', by: 'agent' });
    const mark = board.received.length;
    await pushed(board, 'wrap-up');
    console.send({ type: 'agent-state', state: 'ready' });
    expect((await pushed(board, 'ready', mark)).call).toBeNull();
    await console.close();
    await board.close();
  });

  it('refuses a reason not in the list, or none, naming the ones to use; only agents may set a state', async () => {
    const { c: console } = await subscribed(agent);
    console.send({ type: 'agent-state', state: 'not-ready', reason: 'nap', ref: 'x' });
    const bad = await console.next((m) => m.type === 'error' && m.ref === 'x');
    expect(bad).toMatchObject({ code: 'validation' });
    expect(bad.message).toContain('break, meal, training, meeting');
    console.send({ type: 'agent-state', state: 'not-ready', ref: 'y' });
    expect(await console.next((m) => m.type === 'error' && m.ref === 'y')).toMatchObject({
      code: 'validation',
      details: [expect.objectContaining({ path: 'reason' })],
    });
    const { c: board } = await subscribed(director);
    board.send({ type: 'agent-state', state: 'ready', ref: 'z' });
    expect(await board.next((m) => m.type === 'error' && m.ref === 'z')).toMatchObject({ code: 'forbidden' });
    await board.close();
    await console.close();
  });

  it('closing the console signs the agent out once its heartbeats stop (offline on the wallboard)', async () => {
    const { c: board } = await subscribed(director);
    const { c: console } = await subscribed(agent);
    const mark = board.received.length;
    await console.close();
    // The last heartbeat promised two more periods; past them the agent is offline.
    t.clock.advance(10_000);
    const offline = await pushed(board, 'offline', mark);
    expect(offline.since <= t.clock.now().toISOString()).toBe(true);
    await board.close();
  });
});
