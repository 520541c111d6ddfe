// Ticket exports: CSV for Excel and a real XLSX workbook, on both engines; and the keyset
// paging behind them.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { type Client, client, complaintBody, MIN, parseCsv } from './support.ts';

describe.each(ENGINES)('ticket exports on %s', (engine) => {
  let t: TestApp;
  let agent: Client;
  let lead: Client;
  // The short numbers (工单号) of the tickets opened, oldest first.
  let ids: string[];
  beforeEach(async () => {
    t = await testApp(engine);
    agent = client(t, await signInAs(t, 'agent'));
    lead = client(t, await signInAs(t, 'team-lead'));
    ids = [];
    ids.push((await agent.ok('/api/tickets', complaintBody({ subject: '投诉,"理赔"太慢' }))).number);
    t.clock.advance(10 * MIN);
    ids.push(
      (await agent.ok('/api/tickets', { type: 'technical', brand: 'quanjiale', subject: '=HYPERLINK("x")' }))
        .number,
    );
    t.clock.advance(10 * MIN);
    ids.push(
      (
        await agent.ok('/api/tickets', {
          type: 'callback',
          brand: 'zhonghua',
          reason: 'promised',
          customerPhone: '+8613900000001',
        })
      ).number,
    );
  });
  afterEach(async () => {
    await t.close();
  });

  it('exports CSV with a BOM, a header row and local times, with the list’s filters', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/exports/tickets.csv',
      headers: { cookie: lead.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''%E5%B7%A5%E5%8D%95.csv");
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(res.body.slice(1));
    expect(rows[0]?.slice(0, 6)).toEqual(['工单号', '品牌', '类型', '状态', '优先级', '主题']);
    expect(rows).toHaveLength(4);
    const header = rows[0] ?? [];
    const col = (name: string) => header.indexOf(name);
    expect(rows.slice(1).map((r) => r[0])).toEqual(ids); // oldest first
    const first = rows[1] ?? [];
    expect(first[col('主题')]).toBe('投诉,"理赔"太慢');
    expect(first[col('类型')]).toBe('投诉');
    expect(first[col('状态')]).toBe('新建');
    expect(first[col('创建时间')]).toBe('2026-11-20 09:00:00');
    expect(first[col('下一时限')]).toBe('2026-11-20 09:30:00');
    expect(first[col('客户电话')]).toBe('138****8000'); // masked by default
    expect(rows[2]?.[col('主题')]).toBe(`'=HYPERLINK("x")`); // no formula in Excel
    expect(rows[3]?.[col('客户电话')]).toBe('139****0001'); // +86 dropped on the way in

    const filtered = await t.app.inject({
      method: 'GET',
      url: '/api/exports/tickets.csv?type=complaint,callback&brand=zhonghua',
      headers: { cookie: lead.cookie },
    });
    expect(
      parseCsv(filtered.body.slice(1))
        .slice(1)
        .map((r) => r[0]),
    ).toEqual([ids[0], ids[2]]);
    const utc = await t.app.inject({
      method: 'GET',
      url: '/api/exports/tickets.csv?timeZone=UTC&type=complaint',
      headers: { cookie: lead.cookie },
    });
    expect(parseCsv(utc.body.slice(1))[1]?.[col('创建时间')]).toBe('2026-11-20 01:00:00');

    expect((await agent.get('/api/exports/tickets.csv')).status).toBe(403);
    expect((await lead.get('/api/exports/tickets.csv?timeZone=Mars/Base')).body.details[0].path).toBe(
      'querystring.timeZone',
    );
  });

  it('exports a real XLSX workbook: header row, widths, dates as dates', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/exports/tickets.xlsx',
      headers: { cookie: lead.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('工单');
    expect(sheet).toBeDefined();
    if (!sheet) return;
    expect(sheet.rowCount).toBe(4);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['工单号', '品牌', '类型']);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    const col = (name: string) => header.indexOf(name) + 1;
    expect(sheet.getColumn(col('主题')).width).toBe(40);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe(ids[0]);
    expect(first.getCell(col('主题')).value).toBe('投诉,"理赔"太慢');
    const created = first.getCell(col('创建时间'));
    // 09:00 in Shanghai, shown as such in Excel (spreadsheets have no zones).
    expect(created.value).toEqual(new Date(Date.UTC(2026, 10, 20, 9, 0, 0)));
    expect(created.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(first.getCell(col('版本')).value).toBe(1);
    expect(sheet.getRow(3).getCell(col('主题')).value).toBe('=HYPERLINK("x")'); // text, not a formula
    expect(sheet.getRow(4).getCell(1).value).toBe(ids[2]);
  });

  it('reads the tickets in keyset batches, each once, in order', async () => {
    for (let i = 0; i < 4; i++) {
      await agent.ok('/api/tickets', { type: 'wrong-number', brand: 'zhonghua', subject: `记录 ${i}` }); // same instant
    }
    const seen: string[] = [];
    for await (const v of t.app.services.tickets.exportTickets({}, { userId: null, ip: null }, 2))
      seen.push(v.number ?? v.id);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen.slice(0, 3)).toEqual(ids);
  });
});
