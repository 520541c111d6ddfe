import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ExportColumn } from './columns.ts';
import { exportDownload } from './download.ts';

interface Row {
  id: string;
  phone: string;
  at: Date;
}

const columns: readonly ExportColumn<Row>[] = [
  { header: '编号', value: (r) => r.id },
  { header: '客户电话', value: (r) => r.phone, personal: 'phone' },
  { header: '时间', value: (r) => r.at },
];
const rows: Row[] = [
  { id: 'a-1', phone: '13800138000', at: new Date('2026-11-20T01:00:00Z') },
  { id: '=1+1', phone: '+86 139 0000 0001', at: new Date('2026-11-20T16:30:00Z') },
];

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function* slowly<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await new Promise((r) => setImmediate(r));
    yield item;
  }
}

describe('an export as a download', () => {
  it('CSV: the Chinese file name, a BOM, masked numbers and local times by default', async () => {
    const d = exportDownload('csv', '工单', slowly(rows), columns, { timeZone: 'Asia/Shanghai' });
    expect(d.contentType).toBe('text/csv; charset=utf-8');
    expect(d.contentDisposition).toBe(
      `attachment; filename="__.csv"; filename*=UTF-8''${encodeURIComponent('工单.csv')}`,
    );
    const text = (await bytes(d.body)).toString('utf8');
    expect(text).toBe(
      '\uFEFF编号,客户电话,时间\r\n' +
        'a-1,138****8000,2026-11-20 09:00:00\r\n' +
        "'=1+1,139****0001,2026-11-21 00:30:00\r\n",
    );
  });

  it('CSV with full numbers, in another zone', async () => {
    const d = exportDownload('csv', 'calls', rows, columns, { timeZone: 'Europe/Berlin', fullNumbers: true });
    expect(d.contentDisposition).toBe(`attachment; filename="calls.csv"; filename*=UTF-8''calls.csv`);
    const lines = (await bytes(d.body)).toString('utf8').split('\r\n');
    expect(lines[1]).toBe('a-1,138 0013 8000,2026-11-20 02:00:00');
  });

  it('XLSX: a workbook whose sheet is named after the export, with the same cells', async () => {
    const d = exportDownload('xlsx', '通话质检', slowly(rows), columns, { timeZone: 'Asia/Shanghai' });
    expect(d.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(d.contentDisposition).toContain(`filename*=UTF-8''${encodeURIComponent('通话质检.xlsx')}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytes(d.body)) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('通话质检');
    expect(sheet).toBeDefined();
    expect(sheet?.getRow(1).values).toEqual([undefined, '编号', '客户电话', '时间']);
    expect(sheet?.getRow(3).getCell(1).value).toBe('=1+1'); // a string cell, not a formula
    expect(sheet?.getRow(3).getCell(2).value).toBe('139****0001');
    expect(sheet?.getRow(2).getCell(3).value).toEqual(new Date('2026-11-20T09:00:00Z'));
    expect(sheet?.rowCount).toBe(3);
  });

  it('a failing source ends the file with an error, not a short file that looks complete', async () => {
    async function* failing(): AsyncGenerator<Row> {
      yield rows[0] as Row;
      throw new Error('the database went away');
    }
    for (const format of ['csv', 'xlsx'] as const) {
      const d = exportDownload(format, 'x', failing(), columns, {});
      await expect(bytes(d.body), format).rejects.toThrow('the database went away');
    }
  });
});
