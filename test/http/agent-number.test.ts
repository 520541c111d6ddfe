// One 工号 rule at every door, on both engines: an account, a complaint's agent, a CTI event and
// a call file all refuse "A07" with the same words (English and Chinese) and take 1024 however
// it is sent; a call stored under "A07" before the rule still loads, shows and is found.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postCall } from '../calls/fixtures.ts';
import { ctiBridge } from '../cti/bridge.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { complaintBody } from '../tickets/support.ts';

describe.each(ENGINES)('the 工号 rule over HTTP on %s', (engine) => {
  let t: TestApp;
  let admin: Session;
  let lead: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    admin = await signInAs(t, 'admin');
    lead = await signInAs(t, 'team-lead');
  });
  afterEach(async () => {
    await t.close();
  });

  const send = (s: Record<string, string>, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: s,
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
    });
  const EXPECTED = 'expected a 工号 (agent number) of 2 to 8 digits';

  it('refuses a 工号 outside the rule at every door, saying the same in English and Chinese', async () => {
    const bridge = await ctiBridge(t);
    const doors: [string, () => ReturnType<typeof send>, string][] = [
      [
        'account',
        () =>
          send(admin.headers, 'POST', '/api/users', {
            username: 'a07',
            displayName: '王五',
            role: 'agent',
            password: 'correct horse 1',
            agentNumber: 'A07',
            brand: 'zhonghua',
          }),
        'body.agentNumber',
      ],
      [
        'complaint',
        () => send(lead.headers, 'POST', '/api/tickets', complaintBody({ aboutAgentNumber: 'A07' })),
        'body.aboutAgentNumber',
      ],
      [
        'CTI ring',
        () =>
          send(bridge, 'POST', '/api/cti/events', {
            callId: 'ring-a07',
            type: 'ring',
            brand: 'zhonghua',
            caller: '13800138000',
            agent: { number: 'A07' },
          }),
        'body.agent.number',
      ],
      ['call file', () => postCall(t, lead.headers, { id: 'file-a07', agent: 'A07' }), 'agent.id'],
    ];
    for (const [door, request, path] of doors) {
      const res = await request();
      expect(res.statusCode, `${door}: ${res.body}`).toBe(400);
      const body = res.json();
      expect(JSON.stringify(body), door).toContain(EXPECTED);
      expect(JSON.stringify(body), door).toContain(path);
    }
    // The Chinese reader gets the same rule in Chinese.
    const zh = await t.app.inject({
      method: 'POST',
      url: '/api/tickets',
      headers: { ...lead.headers, 'accept-language': 'zh-CN' },
      payload: complaintBody({ aboutAgentNumber: 'A07' }),
    });
    expect(zh.body).toContain('工号应为 2 到 8 位数字');
    // 1024 is taken as typed full width, or as a number from a telephone system.
    const ok = await send(
      lead.headers,
      'POST',
      '/api/tickets',
      complaintBody({ aboutAgentNumber: '１０２４' }),
    );
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().details.aboutAgentNumber).toBe('1024');
    const ring = await send(bridge, 'POST', '/api/cti/events', {
      callId: 'ring-1024',
      type: 'ring',
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { number: 1024 },
    });
    expect(ring.statusCode, ring.body).toBe(200);
  });

  it('loads, shows and finds a call stored under an older id with letters', async () => {
    expect((await postCall(t, lead.headers, { id: 'old-call', agent: '4402' })).statusCode).toBe(201);
    // As an older release stored it, before the rule.
    await t.store.db.updateTable('calls').set({ agent_id: 'A07' }).where('id', '=', 'old-call').execute();
    const one = await send(lead.headers, 'GET', '/api/calls/old-call');
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json().agent.id).toBe('A07');
    const found = await send(lead.headers, 'GET', '/api/calls?agent=A07');
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().items.map((c: { id: string }) => c.id)).toEqual(['old-call']);
    const bad = await send(lead.headers, 'GET', `/api/calls?agent=${encodeURIComponent('李')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain(EXPECTED);
  });
});
