// Exports of calls with their QA results, on both engines: the search's filters, CSV for
// Excel (BOM, local times) and a real XLSX workbook.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { postCall } from './fixtures.ts';

describe.each(ENGINES)('call exports on %s', (engine) => {
  let t: TestApp;
  let qa: Session;
  beforeEach(async () => {
    t = await testApp(engine);
    qa = await signInAs(t, 'qa-inspector');
    await postCall(t, qa.headers, {
      id: 'e-1',
      phone: '13800138000',
      startedAt: '2026-11-20T09:00:00+08:00',
    });
    await postCall(t, qa.headers, {
      id: 'e-2',
      phone: '010-62345678',
      agent: '027',
      traditional: true,
      startedAt: '2026-11-20T10:30:00+08:00',
    });
    await postCall(t, qa.headers, {
      id: 'e-3',
      phone: '13900139000',
      startedAt: '2026-11-21T08:00:00+08:00',
    });
  });
  afterEach(async () => {
    await t.close();
  });

  it('exports the searched calls as CSV for Excel, oldest first, in local time', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/exports/calls.csv?from=2026-11-20&to=2026-11-20',
      headers: qa.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(res.headers['content-disposition'])).toContain("filename*=UTF-8''%E9%80%9A%E8%AF%9D");
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    const lines = res.body.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '通话编号,品牌,方向,坐席工号,坐席姓名,客户号码,开始时间,结束时间,时长(秒),接通,主题,质检得分,一票否决,未通过规则',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^e-1,中华保险,来电,4402,陈晨,138\*\*\*\*8000,2026-11-20 09:00:00,2026-11-20 09:00:47,47,是,/, // masked by default
    );
    // Failed rules by their titles in the scorecard, as a team lead reads them.
    expect(lines[1]).toContain('服务忌语: 模糊性语言; 服务忌语: 容易激怒客户的语言');
    expect(lines[2]).toMatch(/^e-2,全家乐电器服务中心,来电,027,/);
    expect(lines[2]).toContain('等待超时须提出回拨');

    const byRule = await t.app.inject({
      method: 'GET',
      url: '/api/exports/calls.csv?rule=hold.limit',
      headers: qa.headers,
    });
    expect(byRule.body.trimEnd().split('\r\n')).toHaveLength(2);
  });

  it('exports a real XLSX workbook with date cells and numbers', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/exports/calls.xlsx?phone=8000',
      headers: qa.headers,
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('通话质检');
    expect(sheet?.rowCount).toBe(2);
    const row = sheet?.getRow(2);
    expect(row?.getCell(1).value).toBe('e-1');
    expect(row?.getCell(7).value).toEqual(new Date('2026-11-20T09:00:00.000Z')); // the wall time in Shanghai
    expect(typeof row?.getCell(12).value).toBe('number');
  });

  it('keeps exports to QA inspectors and supervisors, and validates the filters', async () => {
    const agent = await signInAs(t, 'agent');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/exports/calls.csv', headers: agent.headers }))
        .statusCode,
    ).toBe(403);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/exports/calls.xlsx?to=soon',
      headers: qa.headers,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('querystring.to');
  });
});
