// GET /api/colleagues: the console's picker for "a message for a colleague" (an agent cannot
// list the accounts): the enabled accounts of the caller's brand, not the caller, names and 工号
// only; a message ticket to one of them is accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type TestApp, testApp } from '../support/app.ts';

describe('colleagues', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp('sqlite');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('lists the enabled accounts of the agent’s brand, not the agent, and takes a message for one', async () => {
    const accounts = t.app.services.accounts;
    const system = { userId: null, ip: null };
    const make = (username: string, displayName: string, brand: string | null, agentNumber: string | null) =>
      accounts.createUser(
        { username, displayName, role: 'agent', password: 'correct horse 1', brand, agentNumber },
        system,
      );
    await make('zh-agent', '张三', 'zhonghua', '3001');
    const peer = await make('zh-peer', '李四', 'zhonghua', '3002');
    await make('qj-agent', '王五', 'quanjiale', '3003');
    const gone = await make('zh-gone', '赵六', 'zhonghua', '3004');
    await accounts.updateUser(gone.id, { disabled: true }, system);
    const lead = await signInAs(t, 'team-lead'); // no brand: seen by every brand
    const me = await signInAs(t, 'agent', 'zh-agent');

    const res = await t.app.inject({ method: 'GET', url: '/api/colleagues', headers: me.headers });
    expect(res.statusCode, res.body).toBe(200);
    const names = res.json().items.map((u: { displayName: string }) => u.displayName);
    expect(names).toContain('李四');
    expect(names).toContain('team-lead');
    expect(names).not.toContain('张三'); // themselves
    expect(names).not.toContain('王五'); // another brand
    expect(names).not.toContain('赵六'); // disabled
    expect(Object.keys(res.json().items[0]).sort()).toEqual([
      'agentNumber',
      'brand',
      'displayName',
      'id',
      'role',
    ]);

    const message = await t.app.inject({
      method: 'POST',
      url: '/api/tickets',
      headers: me.headers,
      payload: { type: 'message', brand: 'zhonghua', colleague: peer.id, subject: '客户回电找李四' },
    });
    expect(message.statusCode, message.body).toBe(201);
    expect(lead.cookie).toBeTruthy();

    const anonymous = await t.app.inject({ method: 'GET', url: '/api/colleagues' });
    expect(anonymous.statusCode).toBe(401);
  });
});
