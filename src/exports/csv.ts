// CSV for Excel: UTF-8 with a byte-order mark (without it Excel shows Chinese as mojibake),
// CRLF line ends, one header row, dates as local `yyyy-mm-dd hh:mm:ss`. Streams: rows are
// pulled from the source only as fast as the response is read.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import {
  type CellValue,
  cellValue,
  DEFAULT_EXPORT_TIME_ZONE,
  type ExportColumn,
  type ExportOptions,
  formatLocal,
} from './columns.ts';

/**
 * A text cell that a spreadsheet would run as a formula gets a leading apostrophe (CSV
 * injection): =, +, -, @, tab or carriage return first, and their full-width forms ＝＋－＠,
 * which Excel and WPS with a Chinese input method also take as the start of a formula. Plain
 * numbers such as +8613800000000 or -5 are left as they are.
 */
export function neutralizeFormula(text: string): string {
  if (/^[=@\t\r\uff1d\uff20]/.test(text)) return `'${text}`;
  if (/^[+\-\uff0b\uff0d]/.test(text) && !/^[+-]\d+(\.\d+)?$/.test(text)) return `'${text}`;
  return text;
}

export function csvCell(value: CellValue, timeZone: string = DEFAULT_EXPORT_TIME_ZONE): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return formatLocal(value, timeZone);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return neutralizeFormula(value);
}

/** The CSV of `rows` as a byte stream (BOM, header, one line per row). */
export function csvStream<T>(
  rows: AsyncIterable<T> | Iterable<T>,
  columns: readonly ExportColumn<T>[],
  options: ExportOptions = {},
): Readable {
  const timeZone = options.timeZone ?? DEFAULT_EXPORT_TIME_ZONE;
  const full = options.fullNumbers === true;
  const stringifier = stringify({
    bom: true,
    header: true,
    columns: columns.map((c) => c.header),
    record_delimiter: 'windows',
  });
  async function* records() {
    for await (const row of rows) yield columns.map((c) => csvCell(cellValue(c, row, full), timeZone));
  }
  // A failing source (the database) ends the download with an error rather than a short file
  // that looks complete.
  pipeline(Readable.from(records()), stringifier).catch((err: unknown) => stringifier.destroy(err as Error));
  return stringifier;
}
