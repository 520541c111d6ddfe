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
    // An older client resolving a suggestion with its outcome only (the reply is required since
    // today): told what to send and where, in both languages, with the field in details.
    const untold = await zh.act(s, 'resolve', { outcome: 'adopted' });
    expect(untold.status).toBe(422);
    expect(untold.body.message).toBe(
      `建议须先告知客户处理结果（件件有回音），此工单尚无答复：请在解决时一并发送答复，POST /api/tickets/${s.id}/resolve {"version", "outcome", "reply": {"text": "…", "channel": "phone"}}；或先用 POST /api/tickets/${s.id}/replies 记录答复`,
    );
    expect(untold.body.details).toContainEqual({
      path: 'body.reply',
      message: '必填：{text, channel}，告知客户处理结果的答复（此建议尚无答复）',
    });
    const untoldEn = await client(t, session).act(s, 'resolve', { outcome: 'adopted' });
    expect(untoldEn.body.message).toBe(
      `a suggestion is resolved once the customer has been told its outcome, and this one has no reply yet: send the reply with the resolution, POST /api/tickets/${s.id}/resolve {"version", "outcome", "reply": {"text": "…", "channel": "phone"}}, or record it first with POST /api/tickets/${s.id}/replies`,
    );

    const c = await zh.ok('/api/tickets', complaintBody());
    const early = await zh.act(c, 'resolve');
    expect(early.status).toBe(422);
    expect(early.body.message).toBe('工单当前状态下不能这样操作；可执行的操作：受理');

    // An attitude complaint is the room director's: a team lead may not accept it.
    const attitude = await zh.ok('/api/tickets', complaintBody({ subtype: 'service-attitude' }));
    const notMine = await zh.act(attitude, 'accept');
    expect(notMine.status).toBe(422);
    expect(notMine.body.message).toBe(
      '此工单已到室主任一级，组长/协调员不能受理或承办；请由室主任、投诉处理岗受理，或请主管分派给其中一位',
    );
    expect(notMine.body.details).toEqual([
      { path: 'rule', message: 'not-eligible' },
      { path: 'allowed', message: 'room-director' },
      { path: 'allowed', message: 'complaint-desk' },
    ]);
    const en = client(t, { ...session, headers: { ...session.headers, 'accept-language': 'en' } });
    const notMineEn = await en.act(attitude, 'accept');
    expect(notMineEn.body.message).toBe(
      'this ticket is at the room director level, and a team lead / coordinator may not take it on: leave it to a room director or complaint desk to accept, or ask a supervisor to assign it to one',
    );
    // Assigning a QA inspector: who may, and what to do instead.
    await signInAs(t, 'qa-inspector', 'qa1');
    const qa = (await t.app.services.accounts.listUsers()).find((u) => u.username === 'qa1');
    const toQa = await zh.act(attitude, 'assign', { assignee: qa?.id });
    expect(toQa.status).toBe(422);
    expect(toQa.body.message).toBe(
      '质检员不处理工单（质检须独立于所检查的工作）；请交给室主任、投诉处理岗处理',
    );
  });
});
