// Customers over HTTP, on both engines: by phone number in any spelling, create, update with
// the version last seen (a stale one is a conflict), every change audited, and the history of
// a number: its calls and its tickets.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import { postCall } from '../calls/fixtures.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';

describe.each(ENGINES)('customers on %s', (engine) => {
  let t: TestApp;
  let agent: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    agent = await signInAs(t, 'agent');
  });
  afterEach(async () => {
    await t.close();
  });

  const send = (
    method: 'POST' | 'PATCH' | 'GET',
    url: string,
    payload?: Record<string, unknown>,
    s: Session = agent,
  ) => t.app.inject({ method, url, headers: s.headers, ...(payload !== undefined ? { payload } : {}) });

  it('records a customer under the canonical number and finds them by any spelling', async () => {
    const res = await send('POST', '/api/customers', {
      phone: '＋８６ １３８-００１３-８０００',
      surname: '王',
      title: '先生',
      notes: '老客户，来电多为车险续保',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ phone: '13800138000', surname: '王', title: '先生', version: 1 });
    for (const spelling of [
      '13800138000',
      '138%200013%208000',
      '%2B86-138-0013-8000',
      '0086%2013800138000',
    ]) {
      const got = await send('GET', `/api/customers/${spelling}`);
      expect(got.statusCode, spelling).toBe(200);
      expect(got.json().surname).toBe('王');
    }
    const landline = await send('POST', '/api/customers', { phone: '(0755) 2345-6789', title: '女士' });
    expect(landline.json().phone).toBe('075523456789');
    expect((await send('GET', '/api/customers/0755-23456789')).statusCode).toBe(200);

    const list = await send('GET', '/api/customers?phone=8000');
    expect(list.json()).toMatchObject({ total: 1, items: [{ phone: '13800138000' }] });
    expect((await send('GET', '/api/customers?surname=%E7%8E%8B')).json().total).toBe(1);
    // A Latin surname is found whatever its case or width, and kept as typed.
    const smith = await send('POST', '/api/customers', {
      phone: '13900139001',
      surname: 'Smith',
      title: '先生',
    });
    expect(smith.json().surname).toBe('Smith');
    for (const typed of ['smith', 'SMITH', '%EF%BD%93mith'])
      expect((await send('GET', `/api/customers?surname=${typed}`)).json().items, typed).toMatchObject([
        { phone: '13900139001', surname: 'Smith' },
      ]);

    const trail = await auditTrail(t.store.db, 'customer', res.json().id);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ action: 'create', actorId: expect.any(String) });
    expect(trail[0]?.changes).toMatchObject({ phone: '13800138000', surname: '王', title: '先生' });
  });

  it('refuses numbers that are not numbers, with the field path and what is expected', async () => {
    const bad = await send('POST', '/api/customers', { phone: '1380013800', title: '老师', extra: true });
    expect(bad.statusCode).toBe(400);
    const details = bad.json().details as { path: string; message: string }[];
    expect(details.map((d) => d.path).sort()).toEqual(['body', 'body.phone', 'body.title']);
    expect(details.find((d) => d.path === 'body.phone')?.message).toContain('11 digits');

    const param = await send('GET', '/api/customers/not-a-number');
    expect(param.statusCode).toBe(400);
    expect(param.json()).toMatchObject({ code: 'validation', details: [{ path: 'params.phone' }] });
    expect(param.json().details[0].message).toContain('expected a mainland mobile number');

    const local = await send('GET', '/api/customers/62345678');
    expect(local.json().details[0].message).toContain('area code');
    expect((await send('GET', '/api/customers/13800138000')).statusCode).toBe(404);
  });

  it('updates with the version last seen; a stale version is a conflict; each change is audited', async () => {
    const created = (await send('POST', '/api/customers', { phone: '13800138000', surname: '李' })).json();
    const lead = await signInAs(t, 'team-lead');
    const first = await send(
      'PATCH',
      '/api/customers/13800138000',
      { version: 1, title: '女士', notes: '要求女坐席接听' },
      lead,
    );
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ surname: '李', title: '女士', notes: '要求女坐席接听', version: 2 });

    // The agent still has version 1 on screen.
    const stale = await send('PATCH', '/api/customers/13800138000', { version: 1, surname: '黎' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'conflict', details: [{ path: 'body.version' }] });
    expect(stale.json().message).toContain('now version 2');

    // Clearing a field with null; a change that changes nothing keeps the version.
    const cleared = await send('PATCH', '/api/customers/13800138000', { version: 2, title: null });
    expect(cleared.json()).toMatchObject({ title: null, version: 3 });
    const same = await send('PATCH', '/api/customers/13800138000', { version: 3, surname: '李' });
    expect(same.json().version).toBe(3);

    const again = await send('POST', '/api/customers', { phone: '138 0013 8000' });
    expect(again.statusCode).toBe(409);
    expect(again.json().details).toEqual([{ path: 'body.phone', message: 'already a customer' }]);

    const trail = await auditTrail(t.store.db, 'customer', created.id);
    expect(trail.map((a) => a.action)).toEqual(['create', 'update', 'update']);
    expect(trail[1]?.changes).toEqual({
      title: { from: null, to: '女士' },
      notes: { from: '', to: '要求女坐席接听' },
      version: { from: 1, to: 2 },
    });
    expect(trail[2]?.changes).toMatchObject({ title: { from: '女士', to: null } });

    const missing = await send('PATCH', '/api/customers/13900139000', { version: 1, notes: 'x' });
    expect(missing.statusCode).toBe(404);
    const qa = await signInAs(t, 'qa-inspector');
    expect((await send('PATCH', '/api/customers/13800138000', { version: 3 }, qa)).statusCode).toBe(403);
  });

  it('finds a surname whichever script it was recorded and searched in; shows it as typed', async () => {
    const qa = await signInAs(t, 'qa-inspector');
    const found = async (typed: string) =>
      (await send('GET', `/api/customers?surname=${encodeURIComponent(typed)}`)).json() as {
        total: number;
        items: { phone: string; surname: string }[];
      };
    // Recorded in Traditional by an agent, and by a card filled from a call.
    expect((await send('POST', '/api/customers', { phone: '13800138001', surname: '陳' })).statusCode).toBe(
      201,
    );
    await postCall(t, qa.headers, { id: 's-1', phone: '13800138002', surname: '趙', title: '女士' });
    // Recorded in Simplified, then a two-character surname in Traditional, changed to it by an edit.
    expect((await send('POST', '/api/customers', { phone: '13800138003', surname: '陈' })).statusCode).toBe(
      201,
    );
    expect((await send('POST', '/api/customers', { phone: '13800138004', surname: '王' })).statusCode).toBe(
      201,
    );
    const edited = await send('PATCH', '/api/customers/13800138004', { version: 1, surname: '歐陽' });
    expect(edited.statusCode, edited.body).toBe(200);

    for (const typed of ['陈', '陳']) {
      const r = await found(typed);
      expect(r.items.map((c) => [c.phone, c.surname]).sort(), typed).toEqual([
        ['13800138001', '陳'],
        ['13800138003', '陈'],
      ]);
      expect(r.total).toBe(2);
    }
    for (const typed of ['赵', '趙'])
      expect((await found(typed)).items, typed).toMatchObject([{ phone: '13800138002', surname: '趙' }]);
    for (const typed of ['欧阳', '歐陽', ' 欧阳 '])
      expect((await found(typed)).items, typed).toMatchObject([{ phone: '13800138004', surname: '歐陽' }]);
    // The old surname no longer finds them; one character of a two-character surname does not either.
    expect((await found('王')).total).toBe(0);
    expect((await found('欧')).total).toBe(0);
  });

  it("shows a number's history: the customer, their calls and their tickets, newest first", async () => {
    const qa = await signInAs(t, 'qa-inspector');
    await postCall(t, qa.headers, {
      id: 'h-1',
      phone: '13800138000',
      startedAt: '2026-11-19T10:00:00+08:00',
    });
    await postCall(t, qa.headers, {
      id: 'h-2',
      phone: '138-0013-8000',
      startedAt: '2026-11-20T08:30:00+08:00',
    });
    await postCall(t, qa.headers, { id: 'other', phone: '13900139000' });
    const ticket = await t.app.services.tickets.open(
      {
        brand: 'zhonghua',
        type: 'callback',
        reason: 'promised',
        customerPhone: '13800138000',
        callId: 'h-2',
        subject: '回拨：理赔进度',
      },
      { userId: null, ip: null },
    );
    // QA inspectors (like supervisors) see every call whole; agents see a colleague's call
    // without its agent and score (test/customers/scope.test.ts).
    const res = await send('GET', '/api/customers/%2B8613800138000/history', undefined, qa);
    expect(res.statusCode, res.body).toBe(200);
    const h = res.json();
    expect(h.phone).toBe('13800138000');
    expect(h.customer).toMatchObject({ phone: '13800138000' });
    expect(h.calls.map((c: { id: string }) => c.id)).toEqual(['h-2', 'h-1']);
    expect(h.calls[0]).toMatchObject({
      qa: { failedRules: expect.arrayContaining(['language.forbidden.vague']) },
    });
    expect(h.tickets).toEqual([
      expect.objectContaining({ id: ticket.id, type: 'callback', subject: '回拨：理赔进度', callId: 'h-2' }),
    ]);
    const asAgent = (await send('GET', '/api/customers/13800138000/history')).json();
    expect(asAgent.tickets).toEqual(h.tickets);
    expect(asAgent.calls[0]).toMatchObject({ id: 'h-2', agent: { id: null }, qa: null });

    const unknown = await send('GET', '/api/customers/13700137000/history');
    expect(unknown.json()).toEqual({ phone: '13700137000', customer: null, calls: [], tickets: [] });
  });
});
