import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { csvCell, neutralizeFormula } from './csv.ts';
import { exportPhone, exportText, mayExportFullNumbers } from './numbers.ts';
import { xlsxStream } from './xlsx.ts';

describe('customers’ numbers in exports', () => {
  it('shows one spelling per number, however it was typed, masked by default', () => {
    for (const typed of ['13800138000', '+86 138-0013-8000', '0086 13800138000', '１３８００１３８０００']) {
      expect(exportPhone(typed, false), typed).toBe('138****8000');
      expect(exportPhone(typed, true), typed).toBe('138 0013 8000');
    }
    for (const typed of ['01062345678', '(010) 6234 5678', '+86 10 6234 5678']) {
      expect(exportPhone(typed, false), typed).toBe('010-****5678');
      expect(exportPhone(typed, true), typed).toBe('010-62345678');
    }
    expect(exportPhone('075523456789', false)).toBe('0755-****6789');
    expect(exportPhone('075523456789', true)).toBe('0755-23456789');
  });

  it('keeps a number the call file masked, masks a foreign one, and never lets unknown digits out', () => {
    expect(exportPhone('138****8000', false)).toBe('138****8000');
    expect(exportPhone('138****8000', true)).toBe('138****8000');
    expect(exportPhone('+852 9123 4567', false)).toBe('+852****4567');
    expect(exportPhone('0085291234567', true)).toBe('+85291234567');
    expect(exportPhone('12345678901234', false)).toBe('**********1234');
    expect(exportPhone(null, false)).toBeNull();
    expect(exportPhone('', true)).toBeNull();
  });

  it('masks phone and ID numbers in free text unless the export has full numbers', () => {
    expect(exportText('客户 139 5724 6810 要求回电', false)).toBe('客户 139****6810 要求回电');
    expect(exportText('身份证 11010119900307451X', false)).toBe('身份证 110101********451X');
    expect(exportText('客户 139 5724 6810 要求回电', true)).toBe('客户 139 5724 6810 要求回电');
    expect(exportText('工号 1024 保单 2026112001 折扣%50', false)).toBe('工号 1024 保单 2026112001 折扣%50');
  });

  it('gives full numbers to room directors, the complaint desk and admins only', () => {
    expect(['room-director', 'complaint-desk', 'admin'].every((r) => mayExportFullNumbers(r as never))).toBe(
      true,
    );
    expect(['agent', 'team-lead', 'qa-inspector'].some((r) => mayExportFullNumbers(r as never))).toBe(false);
  });
});

describe('CSV injection', () => {
  it('neutralises formulas, in ASCII and in full width', () => {
    for (const text of [
      '=1+1',
      '+1+1',
      '-1+1',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
      '＝1+1',
      '＋1+1',
      '－1+1',
      '＠SUM(A1)',
    ]) {
      expect(neutralizeFormula(text), JSON.stringify(text)).toBe(`'${text}`);
      expect(csvCell(text), JSON.stringify(text)).toBe(`'${text}`);
    }
    for (const text of ['+8613800138000', '-5', '+1.5', '投诉', '138****8000', '1=1']) {
      expect(neutralizeFormula(text)).toBe(text);
    }
  });

  it('XLSX writes such text as text, never as a formula', async () => {
    const texts = ['=1+1', '＝1+1', '+1+1', '＋1+1', '@SUM(A1)', '＠SUM(A1)', '－1'];
    const stream = xlsxStream(texts, [{ header: 'text', value: (s: string) => s }]);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Sheet1');
    texts.forEach((text, i) => {
      const cell = sheet?.getRow(i + 2).getCell(1);
      expect(cell?.type, text).toBe(ExcelJS.ValueType.String);
      expect(cell?.value, text).toBe(text);
      expect(cell?.formula, text).toBeUndefined();
    });
  });
});
