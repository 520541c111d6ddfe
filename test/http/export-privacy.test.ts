// Customers' numbers in ticket and call exports, on both engines: masked by default, in one
// spelling however they were typed; full numbers only for the roles that may see them, and
// only with an audit entry; full-width formulas neutralised.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditTrail } from '../../src/audit/audit.ts';
import { postCall } from '../calls/fixtures.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { type Client, client, complaintBody, MIN, parseCsv } from '../tickets/support.ts';

describe.each(ENGINES)('numbers in exports on %s', (engine) => {
  let t: TestApp;
  let agent: Client;
  let qa: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    agent = client(t, await signInAs(t, 'agent'));
    qa = await signInAs(t, 'qa-inspector');
    // One number typed three ways, a landline, a number in the subject, a full-width formula.
    await agent.ok('/api/tickets', complaintBody({ customerPhone: '+86 138-0013-8000' }));
    t.clock.advance(MIN); // exports are oldest first
    await agent.ok('/api/tickets', {
      type: 'callback',
      brand: 'zhonghua',
      reason: 'promised',
      customerPhone: '(010) 6234 5678',
      subject: '客户 139 5724 6810 要求回电',
    });
    t.clock.advance(MIN);
    await agent.ok('/api/tickets', { type: 'technical', brand: 'zhonghua', subject: '＝HYPERLINK("x")' });
    for (const [id, phone] of [
      ['c-1', '13800138000'],
      ['c-2', '０１０－６２３４５６７８'],
      ['c-3', '138****8000'],
    ] as const) {
      const res = await postCall(t, qa.headers, { id, phone, startedAt: '2026-11-20T09:00:00+08:00' });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterEach(async () => {
    await t.close();
  });

  async function csv(session: Session, url: string) {
    const res = await t.app.inject({ method: 'GET', url, headers: session.headers });
    expect(res.statusCode, res.body).toBe(200);
    const rows = parseCsv(res.body.slice(1));
    const header = rows[0] ?? [];
    return { body: res.body, rows: rows.slice(1), col: (name: string) => header.indexOf(name) };
  }

  it('masks numbers by default, in one spelling, for every exporter', async () => {
    const lead = await signInAs(t, 'team-lead');
    const director = await signInAs(t, 'room-director');
    for (const who of [lead, director, qa]) {
      const tickets = await csv(who, '/api/exports/tickets.csv');
      expect(tickets.rows.map((r) => r[tickets.col('客户电话')])).toEqual([
        '138****8000',
        '010-****5678',
        '',
      ]);
      expect(tickets.rows[1]?.[tickets.col('主题')]).toBe('客户 139****6810 要求回电');
      const calls = await csv(who, '/api/exports/calls.csv');
      expect(calls.rows.map((r) => r[calls.col('客户号码')])).toEqual([
        '138****8000',
        '010-****5678',
        '138****8000',
      ]);
      // Record ids (id-000013) are not numbers of a person: leave them out of the search.
      for (const body of [tickets.body, calls.body])
        for (const middle of ['0013', '2345 ', '62345', '5724'])
          expect(body.replace(/\bid-\d+/g, 'id')).not.toContain(middle);
    }
    const xlsx = await t.app.inject({ method: 'GET', url: '/api/exports/calls.xlsx', headers: qa.headers });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('通话质检');
    expect([2, 3, 4].map((r) => sheet?.getRow(r).getCell(6).value)).toEqual([
      '138****8000',
      '010-****5678',
      '138****8000',
    ]);
    // A masked export is audited too, as masked (names and subjects still left the system).
    const masked = await auditTrail(t.store.db, 'export', 'tickets.csv');
    expect(masked.map((e) => e.action)).toEqual(['export', 'export', 'export']);
    expect(masked[0]?.changes).toMatchObject({ fullNumbers: false });
  });

  it('gives full numbers to a room director, the complaint desk and an admin who ask, and audits it', async () => {
    for (const role of ['room-director', 'complaint-desk', 'admin'] as const) {
      const who = await signInAs(t, role);
      const tickets = await csv(who, '/api/exports/tickets.csv?fullNumbers=true&brand=zhonghua');
      expect(tickets.rows.map((r) => r[tickets.col('客户电话')])).toEqual([
        '138 0013 8000',
        '010-62345678',
        '',
      ]);
      expect(tickets.rows[1]?.[tickets.col('主题')]).toBe('客户 139 5724 6810 要求回电');
      const calls = await csv(who, '/api/exports/calls.csv?fullNumbers=true');
      expect(calls.rows.map((r) => r[calls.col('客户号码')])).toEqual([
        '138 0013 8000',
        '010-62345678',
        '138****8000',
      ]);
    }
    const xlsx = await t.app.inject({
      method: 'GET',
      url: '/api/exports/tickets.xlsx?fullNumbers=true',
      headers: (await signInAs(t, 'admin')).headers,
    });
    expect(xlsx.statusCode).toBe(200);

    const users = await t.app.services.accounts.listUsers();
    const idOf = (name: string) => users.find((u) => u.username === name)?.id;
    const trail = await auditTrail(t.store.db, 'export', 'tickets.csv');
    expect(trail.map((e) => [e.actorId, e.action])).toEqual([
      [idOf('room-director'), 'export-full-numbers'],
      [idOf('complaint-desk'), 'export-full-numbers'],
      [idOf('admin'), 'export-full-numbers'],
    ]);
    expect(trail[0]?.actorIp).toBeTruthy();
    expect(trail[0]?.changes).toMatchObject({
      file: 'tickets.csv',
      role: 'room-director',
      fullNumbers: true,
      filters: { brand: 'zhonghua', timeZone: 'Asia/Shanghai' },
    });
    expect(await auditTrail(t.store.db, 'export', 'calls.csv')).toHaveLength(3);
    expect(await auditTrail(t.store.db, 'export', 'tickets.xlsx')).toHaveLength(1);
  });

  it('refuses full numbers to a team lead and a QA inspector (403), and audits nothing', async () => {
    const lead = await signInAs(t, 'team-lead');
    for (const [who, url] of [
      [lead, '/api/exports/tickets.csv?fullNumbers=true'],
      [lead, '/api/exports/tickets.xlsx?fullNumbers=true'],
      [qa, '/api/exports/calls.csv?fullNumbers=true'],
      [qa, '/api/exports/calls.xlsx?fullNumbers=true'],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url, headers: who.headers });
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toMatchObject({
        code: 'forbidden',
        details: [{ path: 'querystring.fullNumbers' }],
      });
      expect(res.json().message).toContain('room director, complaint desk, admin');
      expect(res.json().message).toContain('without fullNumbers');
    }
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/exports/tickets.csv?fullNumbers=yes',
      headers: lead.headers,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('querystring.fullNumbers');
    for (const file of ['tickets.csv', 'tickets.xlsx', 'calls.csv', 'calls.xlsx'])
      expect(await auditTrail(t.store.db, 'export', file)).toEqual([]);
  });

  it('neutralises a full-width formula in CSV and keeps it text in XLSX', async () => {
    const lead = await signInAs(t, 'team-lead');
    const tickets = await csv(lead, '/api/exports/tickets.csv');
    expect(tickets.rows[2]?.[tickets.col('主题')]).toBe(`'＝HYPERLINK("x")`);
    const xlsx = await t.app.inject({
      method: 'GET',
      url: '/api/exports/tickets.xlsx',
      headers: lead.headers,
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const cell = wb
      .getWorksheet('工单')
      ?.getRow(4)
      .getCell(tickets.col('主题') + 1);
    expect(cell?.type).toBe(ExcelJS.ValueType.String);
    expect(cell?.value).toBe('＝HYPERLINK("x")');
  });
});
