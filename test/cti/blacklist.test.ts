// The blacklist over HTTP, on both engines: listing by hand and in one step from a harassment
// call, the check on every ring, expiry, audited removal (the entry is kept), and who may do what.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import { postCall } from '../calls/fixtures.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { ctiBridge } from './bridge.ts';

describe.each(ENGINES)('blacklist on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;
  let bridge: Record<string, string>;
  beforeEach(async () => {
    t = await testApp(engine);
    admin = await signInAs(t, 'admin');
    agent = await signInAs(t, 'agent'); // 工号 1024
    bridge = await ctiBridge(t);
  });
  afterEach(async () => {
    await t.close();
  });

  const send = (method: 'POST' | 'GET', url: string, s: Session, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url, headers: s.headers, ...(payload !== undefined ? { payload } : {}) });
  const ringFor = async (callId: string, caller: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cti/events',
      headers: bridge,
      payload: { callId, type: 'ring', brand: 'zhonghua', caller },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().ring as { blacklisted: boolean; blacklist: { reason: string } | null };
  };

  it('at most one active entry per number, also when the same number is listed at the same moment', async () => {
    const adds = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) =>
        send('POST', '/api/blacklist', admin, { phone: '13900139077', reason: `骚扰电话 ${n}` }),
      ),
    );
    expect(adds.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    // The conflict names the entry and since when, in the centre's time (09:00 in Shanghai).
    const first = adds.find((r) => r.statusCode === 201)?.json();
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/blacklist',
      headers: { ...admin.headers, 'accept-language': 'zh-CN' },
      payload: { phone: '13900139077', reason: '又打来' },
    });
    expect(again.json().message).toBe(
      `该号码自 2026-11-20 09:00:00（Asia/Shanghai）起已在黑名单中（${first.reason}）；记录 ${first.id}`,
    );
    const list = await send('GET', '/api/blacklist?phone=13900139077', admin);
    expect(list.statusCode, list.body).toBe(200);
    const items = (list.json().items ?? list.json()) as { status: string }[];
    expect(items.filter((e) => e.status === 'active')).toHaveLength(1);
  });

  it('lists a number with reason, who and expiry; every ring checks it until it expires', async () => {
    const res = await send('POST', '/api/blacklist', admin, {
      phone: '+86 139-0013-9000',
      reason: '反复拨打并辱骂坐席',
      expiresAt: '2026-11-21T09:00:00+08:00',
    });
    expect(res.statusCode, res.body).toBe(201);
    const entry = res.json();
    expect(entry).toMatchObject({
      phone: '13900139000',
      reason: '反复拨打并辱骂坐席',
      addedAt: '2026-11-20T01:00:00.000Z',
      expiresAt: '2026-11-21T01:00:00.000Z',
      status: 'active',
      removedAt: null,
    });
    expect(entry.addedBy).toEqual(expect.any(String));
    expect(await ringFor('r1', '13900139000')).toMatchObject({
      blacklisted: true,
      blacklist: { reason: '反复拨打并辱骂坐席' },
    });
    const check = await send('GET', '/api/blacklist/check?phone=139%200013%209000', agent);
    expect(check.json()).toMatchObject({ blacklisted: true, entry: { id: entry.id } });

    // One second after the expiry the number rings through again.
    t.clock.set(new Date('2026-11-21T01:00:01Z'));
    admin = await signInAs(t, 'admin');
    agent = await signInAs(t, 'agent');
    expect((await ringFor('r2', '13900139000')).blacklisted).toBe(false);
    const listed = await send('GET', '/api/blacklist?status=expired', admin);
    expect(listed.json()).toMatchObject({ total: 1, items: [{ id: entry.id, status: 'expired' }] });
    expect((await send('GET', '/api/blacklist?status=active', admin)).json().total).toBe(0);
    // Listing it again after expiry is allowed.
    expect(
      (await send('POST', '/api/blacklist', admin, { phone: '13900139000', reason: '再次骚扰' })).statusCode,
    ).toBe(201);
  });

  it('removes an entry with a reason; the entry is kept and the removal audited', async () => {
    const entry = (
      await send('POST', '/api/blacklist', admin, { phone: '13900139000', reason: '骚扰' })
    ).json();
    const lead = await signInAs(t, 'team-lead');
    t.clock.advance(60_000);
    const removed = await send('POST', `/api/blacklist/${entry.id}/remove`, lead, {
      reason: '客户致歉，解除限制',
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({
      status: 'removed',
      removedAt: '2026-11-20T01:01:00.000Z',
      removalReason: '客户致歉，解除限制',
    });
    expect(removed.json().removedBy).not.toBe(entry.addedBy);
    expect((await ringFor('r1', '13900139000')).blacklisted).toBe(false);

    const trail = await auditTrail(t.store.db, 'blacklist', entry.id);
    expect(trail.map((a) => [a.action, a.changes.reason])).toEqual([
      ['create', '骚扰'],
      ['remove', '客户致歉，解除限制'],
    ]);
    expect(trail[1]?.actorId).toBe(removed.json().removedBy);

    const twice = await send('POST', `/api/blacklist/${entry.id}/remove`, lead, { reason: 'again' });
    expect(twice.statusCode).toBe(409);
    expect((await send('POST', '/api/blacklist/nope/remove', lead, { reason: 'x' })).statusCode).toBe(404);
    const noReason = await send('POST', `/api/blacklist/${entry.id}/remove`, lead, {});
    expect(noReason.json().details).toEqual([{ path: 'body.reason', message: expect.any(String) }]);
    // Agents may not remove entries or read the list.
    expect((await send('POST', `/api/blacklist/${entry.id}/remove`, agent, { reason: 'x' })).statusCode).toBe(
      403,
    );
    expect((await send('GET', '/api/blacklist', agent)).statusCode).toBe(403);
    expect((await send('GET', '/api/blacklist?phone=9000&status=removed', lead)).json().total).toBe(1);
  });

  it('lets an agent list a harassment caller in one step from their own call, and only that way', async () => {
    const qa = await signInAs(t, 'qa-inspector');
    await postCall(t, qa.headers, { id: 'mine', agent: '1024', phone: '13900139000' });
    await postCall(t, qa.headers, { id: 'theirs', agent: '4402', phone: '13700137000' });
    await postCall(t, qa.headers, { id: 'masked', agent: '1024', phone: '137****7000' });

    const byHand = await send('POST', '/api/blacklist', agent, { phone: '13900139000', reason: '骚扰' });
    expect(byHand.statusCode).toBe(403);
    expect(byHand.json().message).toContain('callId');

    const oneStep = await send('POST', '/api/blacklist', agent, { callId: 'mine' });
    expect(oneStep.statusCode, oneStep.body).toBe(201);
    expect(oneStep.json()).toMatchObject({ phone: '13900139000', reason: '骚扰电话', callId: 'mine' });
    expect((await ringFor('r1', '13900139000')).blacklisted).toBe(true);

    const again = await send('POST', '/api/blacklist', agent, { callId: 'mine' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('already on the blacklist');
    expect((await send('POST', '/api/blacklist', agent, { callId: 'theirs' })).statusCode).toBe(403);
    const masked = await send('POST', '/api/blacklist', agent, { callId: 'masked' });
    expect(masked.statusCode).toBe(422);
    expect(masked.json().details).toEqual([{ path: 'body.callId', message: expect.any(String) }]);
    // A supervisor may list from anyone's call.
    expect((await send('POST', '/api/blacklist', admin, { callId: 'theirs' })).statusCode).toBe(201);
  });

  it('answers invalid entries with the field paths', async () => {
    const none = await send('POST', '/api/blacklist', admin, {});
    expect(none.json()).toMatchObject({ code: 'validation', details: [{ path: 'body.phone' }] });
    const bad = await send('POST', '/api/blacklist', admin, { phone: 'abc', expiresAt: 'tomorrow' });
    expect((bad.json().details as { path: string }[]).map((d) => d.path).sort()).toEqual([
      'body.expiresAt',
      'body.phone',
    ]);
    const noReason = await send('POST', '/api/blacklist', admin, { phone: '13900139000' });
    expect(noReason.json().details).toEqual([{ path: 'body.reason', message: 'required without callId' }]);
    // Picked 09:30:00 on the screen, sent at 09:30:20: said to the second, as the picker shows it.
    t.clock.set(new Date('2026-11-20T01:30:20Z'));
    const pastBody = { phone: '13900139000', reason: 'x', expiresAt: '2026-11-20T01:30:00Z' };
    const past = await send('POST', '/api/blacklist', admin, pastBody);
    // Said in the centre's time (Asia/Shanghai), as the screen shows it, with what to do; not
    // the instant in UTC.
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/blacklist',
      headers: { ...admin.headers, 'accept-language': 'zh-CN' },
      payload: pastBody,
    });
    expect(refused.json()).toMatchObject({
      code: 'validation',
      message:
        '到期时间须晚于现在：2026-11-20 09:30:00（Asia/Shanghai）已过，现在是 2026-11-20 09:30:20；请选以后的时间，或留空表示永久',
      details: [
        {
          path: 'body.expiresAt',
          message:
            '2026-11-20 09:30:00（Asia/Shanghai）已过（现在 2026-11-20 09:30:20）：请选以后的时间，或留空表示永久',
        },
      ],
    });
    expect(past.json().details[0].path).toBe('body.expiresAt');
    const english = await t.app.inject({
      method: 'POST',
      url: '/api/blacklist',
      headers: { ...admin.headers, 'accept-language': 'en' },
      payload: pastBody,
    });
    expect(english.json().message).toBe(
      'the expiry must be in the future: 2026-11-20 09:30:00 (Asia/Shanghai) has passed, it is now 2026-11-20 09:30:20; pick a later time, or leave it empty for no expiry',
    );
  });
});
