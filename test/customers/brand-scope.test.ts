// A brand-limited account hears of a customer's calls at its brand only, on both engines: the
// same-day repeat-caller notice (its brand when it names none, 403 naming its brand when it
// names another) and the customer's history (another brand's calls not listed at all, not
// even as a fact); an account without a brand sees every brand.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postCall } from '../calls/fixtures.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

const PHONE = '13800138000';
const AT = encodeURIComponent('2026-11-20T10:00:00+08:00');

describe.each(ENGINES)("a brand-limited account's view of a customer's calls on %s", (engine) => {
  let t: TestApp;
  let admin: Session;
  let director: Session; // room director of chaoyue only
  let cyAgent: Session; // agent 7001 of chaoyue only

  /** Creates a user of the brand (as the admin) and signs in as them. */
  const brandUser = async (username: string, role: string, brand: string, agentNumber?: string) => {
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: {
        username,
        displayName: username,
        role,
        brand,
        ...(agentNumber ? { agentNumber } : {}),
        password: 'correct horse 1',
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    return signInAs(t, role as 'agent', username);
  };

  beforeEach(async () => {
    t = await testApp(engine);
    admin = await signInAs(t, 'admin');
    director = await brandUser('cy-director', 'room-director', 'chaoyue');
    cyAgent = await brandUser('cy-agent', 'agent', 'chaoyue', '7001');
    // The number called chaoyue first, then zhonghua (the latest call is another brand's).
    for (const [id, brand, time, subject] of [
      ['call-cy', 'chaoyue', '08:10:00', '会员积分查询'],
      ['call-zh', 'zhonghua', '08:40:00', '理赔进度查询'],
    ] as const) {
      const res = await postCall(t, admin.headers, {
        id,
        brand,
        agent: '7001',
        phone: PHONE,
        subject,
        startedAt: `2026-11-20T${time}+08:00`,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterEach(async () => {
    await t.close();
  });

  const get = (s: Session, url: string) => t.app.inject({ method: 'GET', url, headers: s.headers });

  it("hears in the repeat-caller notice only of its brand's earlier calls", async () => {
    for (const s of [director, cyAgent]) {
      for (const query of [`at=${AT}`, `brand=chaoyue&at=${AT}`]) {
        const res = await get(s, `/api/customers/${PHONE}/repeat?${query}`);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json(), query).toMatchObject({
          repeat: true,
          callsToday: 1,
          previous: { callId: 'call-cy', subject: '会员积分查询' },
        });
        expect(res.body).not.toContain('理赔进度');
      }
      // Asking for another brand says which brand the account is limited to.
      const other = await get(s, `/api/customers/${PHONE}/repeat?brand=zhonghua&at=${AT}`);
      expect(other.statusCode, other.body).toBe(403);
      expect(other.json().message).toContain("brand 'chaoyue'");
      expect(other.json().details[0].path).toBe('querystring.brand');
    }
    // An account without a brand hears of every brand's, as before.
    const all = await get(admin, `/api/customers/${PHONE}/repeat?at=${AT}`);
    expect(all.json()).toMatchObject({ callsToday: 2, previous: { callId: 'call-zh' } });
    const zh = await get(admin, `/api/customers/${PHONE}/repeat?brand=zhonghua&at=${AT}`);
    expect(zh.json()).toMatchObject({ callsToday: 1, previous: { callId: 'call-zh' } });
  });

  it("lists only its brand's calls in the customer's history, however many the limit takes", async () => {
    for (const s of [director, cyAgent]) {
      for (const limit of [1, 50]) {
        const res = await get(s, `/api/customers/${PHONE}/history?limit=${limit}`);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().calls.map((c: { id: string }) => c.id)).toEqual(['call-cy']);
        expect(res.body).not.toContain('理赔进度');
        expect(res.body).not.toContain('zhonghua');
      }
    }
    const all = await get(admin, `/api/customers/${PHONE}/history`);
    expect(all.json().calls.map((c: { id: string }) => c.id)).toEqual(['call-zh', 'call-cy']);
  });
});
