// The dashboards on small hand-built data, on SQLite and PostgreSQL: the figures a supervisor
// would work out by hand from five calls and a few tickets; and who may see them.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';

const S = 1000;
const greeting = { speaker: 'agent', text: '您好，中华保险1024号为您服务', start: 0 };

/** A call of 中华保险 started at the local time `at` (2026-11-20, +08:00). */
function call(o: {
  id: string;
  agent: string;
  at: string;
  phone?: string;
  direction?: 'inbound' | 'outbound';
  events: { type: string; at: number }[];
  answered?: boolean;
}) {
  const answerAt = o.events.find((e) => e.type === 'answer')?.at ?? 0;
  return {
    id: o.id,
    brand: 'zhonghua',
    direction: o.direction ?? 'inbound',
    agent: { id: o.agent, name: o.agent },
    ...(o.phone ? { customer: { phone: o.phone } } : {}),
    startedAt: `2026-11-20T${o.at}+08:00`,
    events: o.events,
    turns: o.answered === false ? [] : [{ ...greeting, start: answerAt + 1000, end: answerAt + 3000 }],
  };
}

const CALLS = [
  // answered in 10 s (within 20 s), 120 s handled
  call({
    id: 'c1',
    agent: '1024',
    at: '09:00:00',
    phone: '13800138001',
    events: [
      { type: 'ring', at: 0 },
      { type: 'answer', at: 10 * S },
      { type: 'hangup', at: 130 * S },
    ],
  }),
  // answered in 30 s (late), one hold of 70 s (over the 60 s limit), 270 s handled
  call({
    id: 'c2',
    agent: '1024',
    at: '10:00:00',
    phone: '13800138002',
    events: [
      { type: 'ring', at: 0 },
      { type: 'answer', at: 30 * S },
      { type: 'hold', at: 60 * S },
      { type: 'unhold', at: 130 * S },
      { type: 'hangup', at: 300 * S },
    ],
  }),
  // abandoned after 40 s
  call({
    id: 'c3',
    agent: '2001',
    at: '11:00:00',
    phone: '13800138003',
    answered: false,
    events: [
      { type: 'ring', at: 0 },
      { type: 'hangup', at: 40 * S },
    ],
  }),
  // a callback (outbound): not in service level or abandonment; 60 s handled
  call({
    id: 'c4',
    agent: '2001',
    at: '11:30:00',
    phone: '13800138003',
    direction: 'outbound',
    events: [
      { type: 'answer', at: 5 * S },
      { type: 'hangup', at: 65 * S },
    ],
  }),
  // answered at exactly 20 s (within), one hold of 20 s; the number of c1 again 3 h later: a repeat caller
  call({
    id: 'c5',
    agent: '2001',
    at: '12:00:00',
    phone: '13800138001',
    events: [
      { type: 'ring', at: 0 },
      { type: 'answer', at: 20 * S },
      { type: 'hold', at: 50 * S },
      { type: 'unhold', at: 70 * S },
      { type: 'hangup', at: 200 * S },
    ],
  }),
];

describe.each(['sqlite', 'postgres'] as const)('dashboards on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    admin = await signInAs(t, 'admin');
    const accounts = t.app.services.accounts;
    for (const [username, number, team] of [
      ['li', '1024', '一组'],
      ['wang', '2001', '二組'],
    ] as const)
      await accounts.createUser(
        {
          username,
          displayName: username,
          role: 'agent',
          password: 'correct horse 1',
          agentNumber: number,
          brand: 'zhonghua',
          team,
        },
        { userId: null, ip: null },
      );
    for (const c of CALLS) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/calls',
        headers: admin.headers,
        payload: c,
      });
      expect(res.statusCode, res.body).toBe(201);
      await t.app.services.dashboard.recordCall(c.id);
    }
  });
  afterEach(async () => {
    await t.close();
  });

  const get = async (s: Session, url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: s.headers });
    return { status: res.statusCode, body: res.json() };
  };

  it('counts service level, ASA, abandonment without callbacks, AHT, holds and repeat callers', async () => {
    const { status, body } = await get(
      admin,
      '/api/dashboard/calls?brand=zhonghua&from=2026-11-20&to=2026-11-20&by=team',
    );
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.goal).toEqual({ percent: 80, seconds: 20 });
    expect(body.total).toEqual({
      key: '',
      calls: 5,
      offered: 4, // c4 is a callback
      answered: 4,
      abandoned: 1,
      abandonRate: 0.25,
      serviceLevel: 0.5, // c1 (10 s) and c5 (20 s) of 4 offered
      asaSeconds: 20, // (10 + 30 + 20) / 3
      ahtSeconds: 157.5, // (120 + 270 + 60 + 180) / 4
      holdSeconds: 22.5, // (70 + 20) / 4
      holds: 2,
      holdsOverLimit: 1,
      repeatRate: 0.25, // c5 of the 4 inbound calls with a number
    });
    // Teams by their key: 二組 is 二组.
    expect(
      body.rows.map((r: { key: string; calls: number; serviceLevel: number }) => [
        r.key,
        r.calls,
        r.serviceLevel,
      ]),
    ).toEqual([
      ['一组', 2, 0.5],
      ['二组', 3, 0.5],
    ]);
  });

  it("judges a repeat caller by the calls' times, whatever order they are recorded in", async () => {
    const store = async (c: ReturnType<typeof call>) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/calls',
        headers: admin.headers,
        payload: c,
      });
      expect(res.statusCode, res.body).toBe(201);
      await t.app.services.dashboard.recordCall(c.id);
    };
    const events = [
      { type: 'ring', at: 0 },
      { type: 'answer', at: 5 * S },
      { type: 'hangup', at: 65 * S },
    ];
    // The number's 18:00 call is recorded before its 17:00 call (a late import, a slow CTI):
    // the 18:00 call came within 24 h of the 17:00 one, so it is the repeat.
    await store(call({ id: 'late', agent: '1024', at: '18:00:00', phone: '13800138009', events }));
    await store(call({ id: 'early', agent: '2001', at: '17:00:00', phone: '13800138009', events }));
    // The 17:00 call counted again (an event delivered twice): the same figures.
    await t.app.services.dashboard.recordCall('early');
    const { body } = await get(
      admin,
      '/api/dashboard/calls?brand=zhonghua&from=2026-11-20&to=2026-11-20&by=agent',
    );
    // c5 and the 18:00 call, of the 6 inbound calls with a number.
    expect(body.total.repeatRate).toBeCloseTo(2 / 6, 5);
    // The 18:00 call's agent (1024: c1, c2, late) has the repeat, not the one who took the 17:00 call.
    const rate = (key: string) => body.rows.find((r: { key: string }) => r.key === key)?.repeatRate;
    expect(rate('1024')).toBeCloseTo(1 / 3, 5);
    expect(rate('2001')).toBeCloseTo(1 / 3, 5); // c5 of c3, c5, early
  });

  it('leaves short abandons out of the repeat-caller rate, before and after an answered call', async () => {
    const store = async (c: ReturnType<typeof call>) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/calls',
        headers: admin.headers,
        payload: c,
      });
      expect(res.statusCode, res.body).toBe(201);
      await t.app.services.dashboard.recordCall(c.id);
    };
    const gaveUp = [
      { type: 'ring', at: 0 },
      { type: 'hangup', at: 4 * S, by: 'customer' },
    ];
    const talked = [
      { type: 'ring', at: 0 },
      { type: 'answer', at: 5 * S },
      { type: 'hangup', at: 65 * S },
    ];
    const phone = '13800138010';
    // A misdial at 16:00, the real call at 17:00, and another misdial at 18:00 recorded first.
    await store(
      call({ id: 'later-misdial', agent: '1024', at: '18:00:00', phone, answered: false, events: gaveUp }),
    );
    await store(
      call({ id: 'misdial', agent: '1024', at: '16:00:00', phone, answered: false, events: gaveUp }),
    );
    await store(call({ id: 'real', agent: '2001', at: '17:00:00', phone, events: talked }));
    const { body } = await get(admin, '/api/dashboard/calls?brand=zhonghua&from=2026-11-20&to=2026-11-20');
    // Still c5 of the 4 inbound calls with a number, and the 17:00 call: no repeat from a misdial.
    expect(body.total.repeatRate).toBeCloseTo(1 / 5, 5);
  });

  it('splits by agent and by day, and filters by team and agent', async () => {
    const byAgent = await get(admin, '/api/dashboard/calls?from=2026-11-20&to=2026-11-20&by=agent');
    expect(byAgent.body.rows.map((r: { key: string; offered: number }) => [r.key, r.offered])).toEqual([
      ['1024', 2],
      ['2001', 2],
    ]);
    // Over whole months (the monthly rollup) and the days around them: the same figures.
    for (const period of [
      'from=2026-10-15&to=2026-12-10',
      'from=2026-11-01&to=2026-11-30',
      'from=2026-11-20&to=2026-12-31',
    ]) {
      const long = await get(admin, `/api/dashboard/calls?${period}&by=agent`);
      expect(long.body.rows, period).toEqual(byAgent.body.rows);
      const quality = await get(admin, `/api/dashboard/quality?${period}&by=agent`);
      // The abandoned call's inspection has no rule that applied: no score, counted apart.
      expect(quality.body.total.inspected, period).toBe(4);
      expect(quality.body.total.unscored, period).toBe(1);
    }
    const team = await get(
      admin,
      `/api/dashboard/calls?from=2026-11-20&to=2026-11-20&by=day&team=${encodeURIComponent('二组')}`,
    );
    expect(team.body.rows).toHaveLength(1);
    expect(team.body.rows[0].key).toBe('2026-11-20');
    expect(team.body.total.abandoned).toBe(1);
    const none = await get(admin, '/api/dashboard/calls?from=2026-11-21&to=2026-11-30');
    expect(none.body.total.calls).toBe(0);
    expect(none.body.total.serviceLevel).toBeNull();
  });

  it('shows score bands, top failed rules with their trend, and fatal calls', async () => {
    const stored = await Promise.all(CALLS.map((c) => t.app.services.calls.get(c.id, { kind: 'all' })));
    const { body } = await get(admin, '/api/dashboard/quality?from=2026-11-20&to=2026-11-20&by=agent');
    // A call on which every rule was n/a (the abandoned one) has no score: not a 100 in the
    // average nor the bands, counted apart.
    const scored = stored.filter((c) => c.qa?.result.rules.some((r) => r.outcome !== 'n/a'));
    expect(scored).toHaveLength(4);
    expect(body.total.inspected).toBe(4);
    expect(body.total.unscored).toBe(1);
    const bands = body.total.bands;
    expect(bands.below60 + bands.from60 + bands.from70 + bands.from80 + bands.from90).toBe(4);
    const mean = scored.reduce((s, c) => s + (c.qa?.score ?? 0), 0) / 4;
    expect(body.total.averageScore).toBeCloseTo(mean, 1);
    expect(body.total.fatal).toBe(stored.filter((c) => c.qa?.fatal).length);
    const failures = new Map<string, number>();
    for (const c of stored)
      for (const r of c.qa?.failedRules ?? []) failures.set(r, (failures.get(r) ?? 0) + 1);
    const top = body.topRules[0];
    expect(top.failed).toBe(Math.max(...failures.values()));
    expect(top.title).toEqual(expect.any(String));
    expect(body.ruleTrend.find((x: { rule: string }) => x.rule === top.rule)).toEqual({
      rule: top.rule,
      day: '2026-11-20',
      failed: top.failed,
    });
    expect(body.fatalCalls.map((c: { callId: string }) => c.callId).sort()).toEqual(
      stored
        .filter((c) => c.qa?.fatal)
        .map((c) => c.id)
        .sort(),
    );
  });

  it('counts the ticket backlog, breaches, times to reply and close, and satisfaction', async () => {
    const open = async (subject: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/tickets',
        headers: admin.headers,
        payload: {
          type: 'complaint',
          subtype: 'service-attitude',
          brand: 'zhonghua',
          subject,
          customerPhone: '13800138000',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; version: number };
    };
    const a = await open('态度差');
    const b = await open('又一次');
    await t.app.services.dashboard.recordTicket(a.id);
    await t.app.services.dashboard.recordTicket(b.id);
    // Three hours later the 2 h reply deadline of both has passed.
    t.clock.advance(3 * 3_600_000);
    await t.app.services.tickets.runDeadlineChecks();
    await t.app.services.dashboard.recordTicket(a.id);
    await t.app.services.dashboard.recordTicket(b.id);
    const { body } = await get(admin, '/api/dashboard/tickets?brand=zhonghua&from=2026-11-20&to=2026-11-20');
    expect(body.backlog).toEqual([expect.objectContaining({ type: 'complaint', open: 2 })]);
    expect(body.total.opened).toBe(2);
    expect(body.total.breached).toBe(2);
    expect(body.total.replyHours).toBeNull();
    expect(body.byType.map((r: { key: string }) => r.key)).toEqual(['complaint']);
  });

  it('counts every call when several of one agent and day are recorded at once (no count lost to a race)', async () => {
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8'];
    for (const [i, id] of ids.entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/calls',
        headers: admin.headers,
        payload: call({
          id,
          agent: '1024',
          at: `16:0${i}:00`,
          events: [
            { type: 'ring', at: 0 },
            { type: 'answer', at: 5 * S },
            { type: 'hangup', at: 65 * S },
          ],
        }),
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const url = '/api/dashboard/calls?from=2026-11-20&to=2026-11-20&by=agent';
    const callsOf1024 = (body: { rows: { key: string; calls: number }[] }) =>
      body.rows.find((r) => r.key === '1024')?.calls ?? 0;
    const before = (await get(admin, url)).body;
    expect(before.total.calls).toBe(CALLS.length);
    // As the event bus delivers a batch: every handler at once, each in its own transaction.
    await Promise.all(ids.map((id) => t.app.services.dashboard.recordCall(id)));
    const after = (await get(admin, url)).body;
    expect(after.total.calls).toBe(CALLS.length + ids.length);
    expect(callsOf1024(after)).toBe(callsOf1024(before) + ids.length);
  });

  it('follows the events: a call posted is counted once its event is delivered', async () => {
    await t.app.services.events.start();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/calls',
      headers: admin.headers,
      payload: call({
        id: 'c6',
        agent: '1024',
        at: '15:00:00',
        events: [
          { type: 'ring', at: 0 },
          { type: 'answer', at: 5 * S },
          { type: 'hangup', at: 65 * S },
        ],
      }),
    });
    expect(res.statusCode).toBe(201);
    await vi.waitFor(
      async () => {
        const { body } = await get(admin, '/api/dashboard/calls?from=2026-11-20&to=2026-11-20&by=all');
        expect(body.total.calls).toBe(6);
      },
      { timeout: 10_000, interval: 100 },
    );
  });

  it('is refused to agents; a brand user sees only their brand; a team lead only their team', async () => {
    const agent = await signInAs(t, 'agent', 'zhao');
    for (const path of ['calls', 'quality', 'wallboard'])
      expect((await get(agent, `/api/dashboard/${path}?from=2026-11-20&to=2026-11-20`)).status).toBe(403);
    expect((await get(agent, '/api/exports/dashboard-calls.csv?from=2026-11-20&to=2026-11-20')).status).toBe(
      403,
    );
    await t.app.services.accounts.createUser(
      {
        username: 'lead',
        displayName: 'lead',
        role: 'team-lead',
        password: 'correct horse 1',
        agentNumber: null,
        brand: 'zhonghua',
        team: '一組',
      },
      { userId: null, ip: null },
    );
    await t.app.services.accounts.createUser(
      {
        username: 'cy',
        displayName: 'cy',
        role: 'room-director',
        password: 'correct horse 1',
        agentNumber: null,
        brand: 'chaoyue',
      },
      { userId: null, ip: null },
    );
    const lead = await signInAs(t, 'team-lead', 'lead');
    const mine = await get(lead, '/api/dashboard/calls?from=2026-11-20&to=2026-11-20&by=agent');
    expect(mine.body.rows.map((r: { key: string }) => r.key)).toEqual(['1024']);
    expect(
      (
        await get(
          lead,
          `/api/dashboard/calls?from=2026-11-20&to=2026-11-20&team=${encodeURIComponent('二组')}`,
        )
      ).status,
    ).toBe(403);
    // A QA lead judges appeals and reads the quality figures they come from.
    const qaLead = await signInAs(t, 'qa-lead', 'qalead');
    const quality = await get(qaLead, '/api/dashboard/quality?from=2026-11-20&to=2026-11-20');
    expect(quality.status).toBe(200);
    expect(quality.body.total.inspected).toBeGreaterThan(0);
    const other = await signInAs(t, 'room-director', 'cy');
    expect((await get(other, '/api/dashboard/calls?from=2026-11-20&to=2026-11-20')).body.total.calls).toBe(0);
    expect(
      (await get(other, '/api/dashboard/calls?brand=zhonghua&from=2026-11-20&to=2026-11-20')).status,
    ).toBe(403);
    // The wallboard too: another brand is 403, not the account's own brand answered instead.
    const board = await get(other, '/api/dashboard/wallboard?brand=zhonghua');
    expect(board.status).toBe(403);
    expect(board.body.message).toContain("brand 'chaoyue'");
    expect((await get(other, '/api/dashboard/wallboard?brand=chaoyue')).status).toBe(200);
    expect((await get(other, '/api/dashboard/wallboard')).status).toBe(200);
  });

  it('says what is wrong with a bad period', async () => {
    const swapped = await get(admin, '/api/dashboard/calls?from=2026-11-21&to=2026-11-20');
    expect(swapped.status).toBe(400);
    expect(swapped.body.details[0].path).toBe('querystring.from');
    const bad = await get(admin, '/api/dashboard/calls?from=2026-02-30&to=2026-03-01');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('YYYY-MM-DD');
  });

  it('refuses an export of a bad period (400) without auditing it as an export; full numbers refused first', async () => {
    const swapped = await get(admin, '/api/exports/dashboard-calls.csv?from=2026-11-21&to=2026-11-20');
    expect(swapped.status).toBe(400);
    expect(swapped.body.details[0].path).toBe('querystring.from');
    const tooLong = await get(admin, '/api/exports/dashboard-quality.xlsx?from=2024-01-01&to=2026-11-20');
    expect(tooLong.status).toBe(400);
    // A team lead asking for full numbers is refused for that (403), before the period is read.
    const lead = await signInAs(t, 'team-lead', 'lead2');
    const refused = await get(
      lead,
      '/api/exports/dashboard-calls.csv?from=2026-11-21&to=2026-11-20&fullNumbers=true',
    );
    expect(refused.status).toBe(403);
    expect(refused.body.details[0].path).toBe('querystring.fullNumbers');
    for (const file of ['dashboard-calls.csv', 'dashboard-quality.xlsx'])
      expect(await auditTrail(t.store.db, 'export', file)).toEqual([]);
  });

  it('exports the table as CSV and XLSX', async () => {
    const csv = await t.app.inject({
      method: 'GET',
      url: '/api/exports/dashboard-calls.csv?from=2026-11-20&to=2026-11-20&by=agent',
      headers: admin.headers,
    });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('服务水平%');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['1024', '2001', '合计']);
    const xlsx = await t.app.inject({
      method: 'GET',
      url: '/api/exports/dashboard-quality.xlsx?from=2026-11-20&to=2026-11-20',
      headers: admin.headers,
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
