// Stored calls over HTTP, on both engines: a posted call is inspected and stored with its QA
// result, its number becomes a customer, and it is found by number, agent, date, failed rule
// and words (Traditional or full-width too). Same-day repeat callers, in the brand's day.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { callJson, postCall } from './fixtures.ts';

describe.each(ENGINES)('calls on %s', (engine) => {
  let t: TestApp;
  let qa: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    qa = await signInAs(t, 'qa-inspector');
  });
  afterEach(async () => {
    await t.close();
  });

  const get = (url: string, s: Session = qa) => t.app.inject({ method: 'GET', url, headers: s.headers });
  const search = async (query: string, s: Session = qa) => {
    const res = await get(`/api/calls?${query}`, s);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: { id: string }[]; total: number };
  };
  const ids = async (query: string, s?: Session) => (await search(query, s)).items.map((c) => c.id);

  it('inspects a posted call on arrival and stores the score, the failed rules and the result', async () => {
    const res = await postCall(t, qa.headers, { id: 'c-1', phone: '+86 138-0013-8000' });
    expect(res.statusCode, res.body).toBe(201);
    const { call, repeatCaller } = res.json();
    expect(call).toMatchObject({
      id: 'c-1',
      brand: 'zhonghua',
      agent: { id: '4402', name: '陈晨' },
      customerPhone: '13800138000',
      startedAt: '2026-11-20T01:12:03.000Z',
      endedAt: '2026-11-20T01:12:50.000Z',
      answered: true,
      subject: '我想问一下意外险骑电动车摔伤了能不能报销？',
    });
    // 大概是可以报的吧: a guess given as the answer (hedge) besides the vague 大概.
    expect(call.qa.failedRules).toEqual([
      'language.forbidden.vague',
      'language.forbidden.provoking',
      'language.forbidden.hedge',
    ]);
    expect(call.qa.score).toBeLessThan(100);
    expect(repeatCaller).toEqual({ repeat: false, callsToday: 0, previous: null, prompt: null });

    const stored = await get('/api/calls/c-1');
    expect(stored.statusCode).toBe(200);
    const body = stored.json();
    expect(body.qa.score).toBe(call.qa.score);
    expect(body.qa.fatal).toBe(false);
    expect(body.qa.result.findings.map((f: { rule: string }) => f.rule)).toContain(
      'language.forbidden.vague',
    );
    expect(body.events).toHaveLength(3);
    expect(body.turns[0].text).toBe('您好！中华保险4402号为您服务。');

    // The number became a customer, in the same transaction, audited.
    const customer = await get('/api/customers/13800138000');
    expect(customer.statusCode).toBe(200);
    const trail = await auditTrail(t.store.db, 'customer', customer.json().id);
    expect(trail.map((a) => a.action)).toEqual(['create']);
    expect(trail[0]?.changes).toMatchObject({ phone: '13800138000', callId: 'c-1' });
    expect((await auditTrail(t.store.db, 'call', 'c-1')).map((a) => a.action)).toEqual(['create']);
  });

  it('finds calls by number (any spelling, or 尾号), agent, brand, date, failed rule and words', async () => {
    await postCall(t, qa.headers, { id: 'a', phone: '13800138000', agent: '4402' });
    await postCall(t, qa.headers, {
      id: 'b',
      phone: '010-62345678',
      agent: '027',
      traditional: true,
      startedAt: '2026-11-21T10:00:00+08:00',
    });
    await postCall(t, qa.headers, { id: 'c', phone: '13900139000', startedAt: '2026-11-19T23:59:59+08:00' });

    expect(await ids('phone=%2B86%20138%200013%208000')).toEqual(['a']);
    expect(await ids('phone=8000')).toEqual(['a']);
    expect(await ids('phone=(010)%206234-5678')).toEqual(['b']);
    expect(await ids('agent=027')).toEqual(['b']);
    expect(await ids('brand=quanjiale')).toEqual(['b']);
    expect(await ids('brand=%E5%85%A8%E5%AE%B6%E4%B9%90')).toEqual(['b']); // 全家乐: brand by name
    // Dates are the brand's local days (Asia/Shanghai): c is 23:59:59 on the 19th there.
    expect(await ids('from=2026-11-20&to=2026-11-20')).toEqual(['a']);
    expect(await ids('from=2026-11-19&to=2026-11-20')).toEqual(['a', 'c']);
    expect(await ids('from=2026-11-20T00:00:00%2B08:00')).toEqual(['b', 'a']);
    expect(await ids('to=2026-11-20T00:00:00%2B08:00')).toEqual(['c']);
    // Failed rules: exactly that rule id.
    expect(await ids('rule=language.forbidden.vague')).toEqual(['a', 'c']);
    expect(await ids('rule=hold.limit')).toEqual(['b']);
    expect(await ids('rule=language.forbidden')).toEqual([]);
    // Words: Traditional finds Simplified and the other way round; width and case do not matter.
    expect(await ids('q=%E9%A8%8E%E9%9B%BB%E5%8B%95%E8%BB%8A')).toEqual(['a', 'c']); // 騎電動車
    expect(await ids('q=%E9%97%A8%E5%B0%81%E6%9D%A1')).toEqual(['b']); // 门封条 (said as 門封條)
    expect(await ids('q=%EF%BD%82%EF%BD%83%EF%BD%84-452')).toEqual(['b']); // ｂｃｄ-452
    expect(await ids('q=100%25')).toEqual([]); // LIKE wildcards are literal
    // Together, and a page at a time.
    expect(await ids('rule=language.forbidden.vague&phone=13900139000')).toEqual(['c']);
    const page = await search('limit=1&offset=1');
    expect(page.total).toBe(3);
    expect(page.items.map((c) => c.id)).toEqual(['a']);
  });

  it('answers invalid calls with every problem and its field path', async () => {
    const bad = await postCall(t, qa.headers, {
      id: 'x',
      brand: 'zhonghua',
      turnz: [],
      turns: [{ speaker: '主管', text: '您好' }],
      events: [{ type: 'unhold', at: 0 }],
    });
    expect(bad.statusCode).toBe(400);
    const body = bad.json() as { code: string; details: { path: string; message: string }[] };
    expect(body.code).toBe('validation');
    expect(body.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['body.turnz', 'body.turns.0.speaker']),
    );
    expect(body.details.find((d) => d.path === 'body.turnz')?.message).toContain('did you mean "turns"');

    const order = await postCall(t, qa.headers, {
      id: 'x',
      brand: 'zhonghua',
      turns: [],
      events: [{ type: 'unhold', at: 0 }],
    });
    expect(order.json().details).toEqual([
      { path: 'body.events.0.type', message: expect.stringContaining('unhold without a preceding hold') },
    ]);

    const phone = await postCall(t, qa.headers, callJson({ id: 'x', phone: 'call me maybe' }));
    expect(phone.statusCode).toBe(400);
    expect(phone.json().details).toEqual([{ path: 'body.customer.phone', message: expect.any(String) }]);

    const brand = await postCall(t, qa.headers, callJson({ id: 'x', brand: 'acme' }));
    expect(brand.statusCode).toBe(400);
    expect(brand.json()).toMatchObject({ code: 'validation', details: [{ path: 'body.brand' }] });
    expect(brand.json().message).toContain('known brands');

    const noBrand = await postCall(t, qa.headers, { id: 'x', turns: [] });
    expect(noBrand.json()).toMatchObject({ code: 'validation', details: [{ path: 'body.brand' }] });

    expect((await postCall(t, qa.headers, { id: 'dup' })).statusCode).toBe(201);
    const dup = await postCall(t, qa.headers, { id: 'dup' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toContain("'dup' is already stored");

    const search = await get('/api/calls?phone=abc&from=2026-13-01&rule=No%20Such');
    expect(search.statusCode).toBe(400);
    expect(
      search
        .json()
        .details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['querystring.from', 'querystring.phone', 'querystring.rule']);
  });

  it('keeps a chat thread’s channel: stored, listed and used again when its words come later', async () => {
    const example = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../examples/zh-chat-address-change.json'), 'utf8'),
    );
    const { meta: _meta, ...chat } = example;
    const res = await postCall(t, qa.headers, { ...chat, id: 'chat-1', turns: [] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().call.channel).toBe('chat');
    const words = await t.app.inject({
      method: 'PUT',
      url: '/api/calls/chat-1/transcript',
      headers: qa.headers,
      payload: { turns: chat.turns },
    });
    expect(words.statusCode, words.body).toBe(200);
    const stored = words.json();
    expect(stored.channel).toBe('chat');
    // Inspected as a chat: only the word rules that apply to a chat can fail.
    expect(stored.qa.failedRules).toEqual(['listen.no-en', 'language.nin']);
    const outcomes = Object.fromEntries(
      stored.qa.result.rules.map((r: { id: string; outcome: string }) => [r.id, r.outcome]),
    );
    expect([outcomes['opening.greeting'], outcomes['closing.customer-first']]).toEqual(['n/a', 'n/a']);
    expect((await search('brand=zhonghua')).items.find((c) => c.id === 'chat-1')).toMatchObject({
      channel: 'chat',
    });
    // A call posted without a channel is a phone call.
    expect((await postCall(t, qa.headers, { id: 'p-1' })).json().call.channel).toBe('phone');
  });

  it('keeps a masked number as given, without making it a customer', async () => {
    const res = await postCall(t, qa.headers, { id: 'm', phone: '138****8000' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().call.customerPhone).toBe('138****8000');
    expect((await get('/api/customers?phone=8000')).json().total).toBe(0);
  });

  it('fills in the surname and title a call gives, never over what staff recorded', async () => {
    await postCall(t, qa.headers, { id: 'p1', phone: '13800138000', surname: '张', title: '小姐' });
    const c1 = (await get('/api/customers/13800138000')).json();
    expect(c1).toMatchObject({ surname: '张', title: '女士', version: 1 });
    const lead = await signInAs(t, 'team-lead');
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/customers/13800138000',
      headers: lead.headers,
      payload: { version: 1, surname: '章' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    await postCall(t, qa.headers, { id: 'p2', phone: '13800138000', surname: '张', title: '先生' });
    expect((await get('/api/customers/13800138000')).json()).toMatchObject({ surname: '章', title: '女士' });
  });

  it('shows agents their own calls only; they may not post calls', async () => {
    const agent = await signInAs(t, 'agent'); // 工号 1024
    await postCall(t, qa.headers, { id: 'mine', agent: '1024', startedAt: '2026-11-20T10:00:00+08:00' });
    await postCall(t, qa.headers, { id: 'theirs', agent: '4402', startedAt: '2026-11-20T09:00:00+08:00' });
    expect(await ids('', agent)).toEqual(['mine']);
    expect(await ids('agent=4402', agent)).toEqual([]);
    expect((await get('/api/calls/mine', agent)).statusCode).toBe(200);
    const other = await get('/api/calls/theirs', agent);
    expect(other.statusCode).toBe(403);
    expect(other.json().message).toContain('own calls');
    expect((await postCall(t, agent.headers, { id: 'x' })).statusCode).toBe(403);
    expect(await ids('')).toEqual(['mine', 'theirs']);
  });

  it('says when a number calls again the same day, with the earlier subject', async () => {
    await postCall(t, qa.headers, { id: 'first', startedAt: '2026-11-20T09:00:00+08:00' });
    const again = await postCall(t, qa.headers, { id: 'second', startedAt: '2026-11-20T15:30:00+08:00' });
    expect(again.json().repeatCaller).toMatchObject({
      repeat: true,
      callsToday: 1,
      previous: { callId: 'first', subject: '我想问一下意外险骑电动车摔伤了能不能报销？', answered: true },
      prompt: '请问您之前咨询的是「意外险骑电动车摔伤了能不能报销」的问题吗？',
    });

    // The agent's wrap-up changes the subject; it is audited and the next hint uses it.
    const agent = await signInAs(t, 'team-lead');
    t.clock.advance(60_000);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/calls/second',
      headers: agent.headers,
      payload: { subject: '意外险理赔范围' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await auditTrail(t.store.db, 'call', 'second')).map((a) => a.action)).toEqual([
      'create',
      'update',
    ]);
    t.clock.set(new Date('2026-11-20T10:00:00Z')); // 18:00 in Shanghai
    const repeat = await get('/api/customers/138-0013-8000/repeat?brand=zhonghua');
    expect(repeat.statusCode, repeat.body).toBe(200);
    expect(repeat.json()).toMatchObject({
      repeat: true,
      callsToday: 2,
      previous: { callId: 'second', subject: '意外险理赔范围' },
      prompt: '请问您之前咨询的是「意外险理赔范围」的问题吗？',
    });
    // Another brand's hotline: not a repeat there.
    expect((await get('/api/customers/13800138000/repeat?brand=chaoyue')).json().repeat).toBe(false);
    // A number that never called.
    expect((await get('/api/customers/13900139000/repeat?brand=zhonghua')).json()).toEqual({
      repeat: false,
      callsToday: 0,
      previous: null,
      prompt: null,
    });
  });

  it('counts the day in Asia/Shanghai: not across local midnight, even on the same UTC date', async () => {
    // 23:50 on the 20th in Shanghai = 15:50 UTC on the 20th.
    await postCall(t, qa.headers, { id: 'late', startedAt: '2026-11-20T23:50:00+08:00' });
    // 00:10 on the 21st in Shanghai = 16:10 UTC, still the 20th in UTC: a new day here.
    t.clock.set(new Date('2026-11-20T16:10:00Z'));
    qa = await signInAs(t, 'qa-inspector'); // sessions last 12 hours
    const check = await get('/api/customers/13800138000/repeat?brand=zhonghua');
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json().repeat).toBe(false);
    const next = await postCall(t, qa.headers, {
      id: 'after-midnight',
      startedAt: '2026-11-21T00:10:00+08:00',
    });
    expect(next.json().repeatCaller.repeat).toBe(false);
    // 09:00 on the 21st in Shanghai (01:00 UTC on the 21st): the 00:10 call was the same local day.
    t.clock.set(new Date('2026-11-21T01:00:00Z'));
    qa = await signInAs(t, 'qa-inspector');
    const morning = (await get('/api/customers/13800138000/repeat?brand=zhonghua')).json();
    expect(morning).toMatchObject({ repeat: true, callsToday: 1, previous: { callId: 'after-midnight' } });
  });
});
