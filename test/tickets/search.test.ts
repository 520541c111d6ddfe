// The ticket list searched by words (`q`), on both engines: what the complaint desk has from a
// caller — words of the subject or of what was written on the ticket, the customer's name, part
// of the number — finds the ticket, in Traditional or Simplified, with the other filters and
// the list's pages; a search the server cannot take says why.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { type Client, client, complaintBody } from './support.ts';

describe.each(ENGINES)('ticket search on %s', (engine) => {
  let t: TestApp;
  let desk: Client;
  beforeEach(async () => {
    t = await testApp(engine);
    desk = client(t, await signInAs(t, 'complaint-desk'));
  });
  afterEach(async () => {
    await t.close();
  });

  const subjects = async (query: string): Promise<string[]> => {
    const r = await desk.get(`/api/tickets?${query}`);
    expect(r.status, `${query}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body.items.map((x: { subject: string }) => x.subject).sort();
  };
  const q = (text: string) => `q=${encodeURIComponent(text)}`;

  it('finds tickets by subject, description, replies, the customer’s name and number, in either script', async () => {
    // Typed in Traditional by one agent, Simplified by another.
    await desk.ok(
      '/api/tickets',
      complaintBody({ subject: '退費投訴', description: '客戶要求退還保費', customerPhone: '138 0013 8000' }),
    );
    let slow = await desk.ok(
      '/api/tickets',
      complaintBody({ subject: '理赔进度太慢', description: '两周未处理', customerPhone: '13912345678' }),
    );
    await desk.ok('/api/tickets', {
      type: 'technical',
      brand: 'zhonghua',
      subject: 'APP 登录失败 Error 502',
      customerPhone: '021-6123 4567',
    });
    await desk.ok(
      '/api/tickets',
      complaintBody({
        subject: '扣款未到账',
        description: '订单号 2024-12-01 的退款，对方账户 010-8888 6666',
        customerPhone: '13700000002',
      }),
    );
    await desk.ok(
      '/api/tickets',
      complaintBody({
        subject: '满意度 50% 以下',
        description: '客户打分很低',
        customerPhone: '13700000001',
      }),
    );
    // The reply written on a ticket is searched from then on.
    slow = await desk.ok(`/api/tickets/${slow.id}/accept`, { version: slow.version });
    await desk.ok(`/api/tickets/${slow.id}/replies`, {
      version: slow.version,
      text: '已联系理赔部，同意退费',
    });
    // The customer of the second ticket, recorded in Traditional.
    const card = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: (await signInAs(t, 'agent')).headers,
      payload: { phone: '13912345678', surname: '陳', title: '女士' },
    });
    expect(card.statusCode, card.body).toBe(201);

    expect(await subjects(q('退费'))).toEqual(['理赔进度太慢', '退費投訴']);
    expect(await subjects(q('退費投訴'))).toEqual(['退費投訴']);
    expect(await subjects(q('理賠'))).toEqual(['理赔进度太慢']);
    expect(await subjects(q('退还 保费'))).toEqual(['退費投訴']);
    expect(await subjects(q('退费 两周'))).toEqual(['理赔进度太慢']);
    // The customer's name, as the caller gives it.
    for (const name of ['陈', '陳', '陈女士', '陳小姐'])
      expect(await subjects(q(name)), name).toEqual(['理赔进度太慢']);
    expect(await subjects(q('陈先生'))).toEqual([]);
    // Part of the number, spaced as read out; the whole number in any spelling.
    expect(await subjects(q('8000'))).toEqual(['退費投訴']);
    expect(await subjects(q('0013 8000'))).toEqual(['退費投訴']);
    expect(await subjects(q('+86 139-1234-5678'))).toEqual(['理赔进度太慢']);
    expect(await subjects(q('021-6123'))).toEqual(['APP 登录失败 Error 502']);
    // A number written in the text (a date, an order, a second phone) found as it is written.
    expect(await subjects(q('2024-12-01'))).toEqual(['扣款未到账']);
    expect(await subjects(q('010-8888 6666'))).toEqual(['扣款未到账']);
    // Latin letters in any case; % and _ are characters, not wildcards.
    expect(await subjects(q('error'))).toEqual(['APP 登录失败 Error 502']);
    expect(await subjects(q('ＥＲＲＯＲ'))).toEqual(['APP 登录失败 Error 502']);
    expect(await subjects(q('50%'))).toEqual(['满意度 50% 以下']);
    expect(await subjects(q('%'))).toEqual(['满意度 50% 以下']);
    expect(await subjects(q('_'))).toEqual([]);
    expect(await subjects(q('不存在的词'))).toEqual([]);
  });

  it('combines with the other filters and pages like the list', async () => {
    for (let i = 0; i < 5; i++) {
      await desk.ok('/api/tickets', complaintBody({ subject: `退费投诉 ${i}` }));
      t.clock.advance(60_000);
    }
    await desk.ok('/api/tickets', {
      type: 'suggestion',
      brand: 'zhonghua',
      department: '财务部',
      subject: '建议简化退费流程',
    });
    await desk.ok('/api/tickets', complaintBody({ subject: '理赔进度太慢' }));
    expect(await subjects(`${q('退费')}&type=suggestion`)).toEqual(['建议简化退费流程']);
    expect((await subjects(`${q('退费')}&type=complaint`)).length).toBe(5);

    const first = await desk.get(`/api/tickets?${q('退费')}&limit=4`);
    expect(first.body).toMatchObject({ total: 6, totalIsEstimate: false });
    expect(first.body.items).toHaveLength(4);
    const second = await desk.get(`/api/tickets?${q('退费')}&limit=4&after=${first.body.next}`);
    expect(second.body.items).toHaveLength(2);
    expect(second.body.next).toBeNull();
    const all = [...first.body.items, ...second.body.items].map((x: { subject: string }) => x.subject);
    expect(new Set(all).size).toBe(6);
    expect(all).not.toContain('理赔进度太慢');
  });

  it('refuses a search it cannot take, saying what is expected', async () => {
    for (const [text, says] of [
      ['   ', 'empty search'],
      ['\u200b', 'empty search'],
      ['退'.repeat(101), 'at most 100'],
      ['a b c d e f g', 'at most 6'],
    ] as const) {
      const r = await desk.get(`/api/tickets?${q(text)}`);
      expect(r.status, text).toBe(400);
      expect(JSON.stringify(r.body), text).toContain(says);
      expect(JSON.stringify(r.body.details), text).toContain('q');
    }
    // The same message in Chinese for a Chinese reader.
    const zh = await t.app.inject({
      method: 'GET',
      url: `/api/tickets?${q(' ')}`,
      headers: { cookie: desk.cookie, 'accept-language': 'zh-CN' },
    });
    expect(zh.statusCode).toBe(400);
    expect(zh.body).toContain('搜索内容为空');
  });
});
