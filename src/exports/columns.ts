// What an export is made of: columns (a header, how to get the cell from a row, a width and a
// number format for the spreadsheet) and how times are shown. Shared by the CSV and the XLSX
// writer, so that both formats of one export have the same columns.
import { CHINA_TIME_ZONE, wallTime } from '../shared/time-zone.ts';
import { exportPhone, exportText } from './numbers.ts';

/** One cell. Dates are instants; they are shown in the export's time zone. */
export type CellValue = string | number | Date | null | undefined;

export interface ExportColumn<T> {
  /** The header cell (the UI speaks Chinese: 工单号, 创建时间…). */
  header: string;
  value: (row: T) => CellValue;
  /** XLSX column width in characters (a CJK character counts about 2). Default 14. */
  width?: number;
  /** XLSX number format; dates default to `yyyy-mm-dd hh:mm:ss`. */
  numFmt?: string;
  /**
   * Personal data (numbers.ts): 'phone' — the cell is a customer's number, shown in the one
   * export spelling, masked unless the export has full numbers; 'text' — free text whose phone
   * and ID numbers are masked unless the export has full numbers.
   */
  personal?: 'phone' | 'text';
}

export interface ExportOptions {
  /** IANA zone dates are shown in (a spreadsheet has no time zones). Default Asia/Shanghai. */
  timeZone?: string;
  /** Customers' numbers in full. Default false: masked (138****8000). Only for FULL_NUMBER_ROLES. */
  fullNumbers?: boolean;
}

export const DEFAULT_EXPORT_TIME_ZONE = CHINA_TIME_ZONE;
export const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The cell of `column` for `row`, with personal numbers masked unless `fullNumbers`. */
export function cellValue<T>(column: ExportColumn<T>, row: T, fullNumbers = false): CellValue {
  const v = column.value(row);
  if (column.personal === undefined || (typeof v !== 'string' && v !== null && v !== undefined)) return v;
  return column.personal === 'phone' ? exportPhone(v, fullNumbers) : exportText(v, fullNumbers);
}

/**
 * The wall time of `at` in `timeZone`, as a Date whose UTC fields are that wall time. A
 * spreadsheet stores a date without a zone; exceljs writes a Date's UTC fields, so this is the
 * value that shows the local time in Excel and WPS.
 */
export function wallClock(at: Date, timeZone: string = DEFAULT_EXPORT_TIME_ZONE): Date {
  return new Date(wallTime(at.getTime(), timeZone) + at.getUTCMilliseconds());
}

/** `2026-11-20 09:00:00`: the local time of `at`, the form Excel reads back as a date. */
export function formatLocal(at: Date, timeZone: string = DEFAULT_EXPORT_TIME_ZONE): string {
  return wallClock(at, timeZone).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A Content-Disposition header for a download: an ASCII fallback name and the UTF-8 name
 * (RFC 6266/5987), so that 工单.csv arrives with its Chinese name.
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
