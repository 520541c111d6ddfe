// The Chinese message of a refused ticket operation, as staff read it under the button: the
// actions allowed now and who may own a ticket in the UI's words, never the API's codes
// (a suggestion resolved without its outcome said "可执行的操作：adopted、not-adopted").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { client, complaintBody } from './support.ts';

describe('refusal messages in Chinese', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp('sqlite');
  });
  afterEach(async () => {
    await t.close();
  });

  it('name the actions and roles as the screens do, the codes kept in details', async () => {
    const session = await signInAs(t, 'team-lead');
    const zh = client(t, { ...session, headers: { ...session.headers, 'accept-language': 'zh' } });
    let s = await zh.ok('/api/tickets', {
      type: 'suggestion',
      brand: 'zhonghua',
      subject: '希望增加微信查询',
      department: '产品部',
    });
    s = await zh.ok(`/api/tickets/${s.id}/accept`, { version: s.version });
    s = await zh.ok(`/api/tickets/${s.id}/start`, { version: s.version });
    const noOutcome = await zh.act(s, 'resolve');
    expect(noOutcome.status).toBe(422);
    expect(noOutcome.body.message).toBe('建议须注明处理结果（采纳或不采纳）');
    expect(noOutcome.body.details).toContainEqual({ path: 'allowed', message: 'adopted' });

    const c = await zh.ok('/api/tickets', complaintBody());
    const early = await zh.act(c, 'resolve');
    expect(early.status).toBe(422);
    expect(early.body.message).toBe('工单当前状态下不能这样操作；可执行的操作：受理');

    // An attitude complaint is the room director's: a team lead may not accept it.
    const attitude = await zh.ok('/api/tickets', complaintBody({ subtype: 'service-attitude' }));
    const notMine = await zh.act(attitude, 'accept');
    expect(notMine.status).toBe(422);
    expect(notMine.body.message).toContain('可处理的角色：室主任、投诉处理岗');
  });
});
