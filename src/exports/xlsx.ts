// XLSX: a real spreadsheet written with exceljs's streaming writer: a bold, frozen header row,
// column widths, dates as date cells (shown in the export's time zone), numbers as numbers.
// Rows are committed one by one, so memory does not grow with the number of rows.
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import {
  cellValue,
  DATE_TIME_FORMAT,
  DEFAULT_EXPORT_TIME_ZONE,
  type ExportColumn,
  type ExportOptions,
  wallClock,
} from './columns.ts';

export interface XlsxOptions extends ExportOptions {
  /** Default 'Sheet1'; at most 31 characters, without : \ / ? * [ ]. */
  sheetName?: string;
}

/** The workbook of `rows` as a byte stream. */
export function xlsxStream<T>(
  rows: AsyncIterable<T> | Iterable<T>,
  columns: readonly ExportColumn<T>[],
  options: XlsxOptions = {},
): Readable {
  const out = new PassThrough();
  write(out, rows, columns, options).catch((err: unknown) => out.destroy(err as Error));
  return out;
}

async function write<T>(
  out: PassThrough,
  rows: AsyncIterable<T> | Iterable<T>,
  columns: readonly ExportColumn<T>[],
  options: XlsxOptions,
): Promise<void> {
  const timeZone = options.timeZone ?? DEFAULT_EXPORT_TIME_ZONE;
  const full = options.fullNumbers === true;
  // Loaded on the first export, not at server start: exceljs takes ~300 ms to import.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheetName = (options.sheetName ?? 'Sheet1').replace(/[:\\/?*[\]]/g, '_').slice(0, 31);
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ key: `c${i}`, width: c.width ?? 14 }));
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  for await (const row of rows) {
    const r = sheet.addRow(
      columns.map((c) => {
        // A string is written as a string cell, never as a formula, whatever it starts with.
        const v = cellValue(c, row, full);
        return v instanceof Date ? wallClock(v, timeZone) : (v ?? null);
      }),
    );
    columns.forEach((c, i) => {
      const cell = r.getCell(i + 1);
      if (cell.value instanceof Date) cell.numFmt = c.numFmt ?? DATE_TIME_FORMAT;
      else if (c.numFmt && typeof cell.value === 'number') cell.numFmt = c.numFmt;
    });
    r.commit();
    // Let the reader catch up when the zip stream runs ahead of the response.
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  sheet.commit();
  await workbook.commit();
}
