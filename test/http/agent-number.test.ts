// The 工号 rule where a person types one, on both engines: an account and a complaint's agent
// refuse "A07" with the same words (English and Chinese) and take 1024 however it is typed or
// sent; a CTI event or call file under "A07" is stored as given; such a call loads, shows and is
// found by its id.
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

  it('refuses a 工号 typed outside the rule (account, complaint), saying the same in English and Chinese; takes what machines send as given', async () => {
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
    // A telephone system's extension or a call file's id outside the rule is stored as given:
    // refusing it would drop the call (its answer and hang-up refused after it) or an archive.
    const oldRing = await send(bridge, 'POST', '/api/cti/events', {
      callId: 'ring-a07',
      type: 'ring',
      brand: 'zhonghua',
      caller: '13800138000',
      agent: { id: 'SIP/7', number: 'A07' },
    });
    expect(oldRing.statusCode, oldRing.body).toBe(200);
    const file = await postCall(t, lead.headers, { id: 'file-a07', agent: 'A07' });
    expect(file.statusCode, file.body).toBe(201);
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
    // A filter only looks up: any id is taken (none found here), an over-long one refused.
    const none = await send(lead.headers, 'GET', `/api/calls?agent=${encodeURIComponent('李')}`);
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json().items).toEqual([]);
    const bad = await send(lead.headers, 'GET', `/api/calls?agent=${'9'.repeat(129)}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('1 to 128 characters');
  });
});
