// One export as a download: the file's bytes (CSV or XLSX, streamed) and the headers that go
// with them. The one place the ticket and the call exports (and any later one) turn rows and
// columns into a file, so that both formats of every export are made the same way.
import type { Readable } from 'node:stream';
import {
  CSV_CONTENT_TYPE,
  contentDisposition,
  type ExportColumn,
  type ExportOptions,
  XLSX_CONTENT_TYPE,
} from './columns.ts';
import { csvStream } from './csv.ts';
import { xlsxStream } from './xlsx.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface Download {
  contentType: string;
  contentDisposition: string;
  /** The file, produced as it is read (rows are pulled from the source only as fast). */
  body: Readable;
}

/**
 * The download of `rows`: `name` is the file's name without its extension (工单 → 工单.csv),
 * and the XLSX sheet's name.
 */
export function exportDownload<T>(
  format: ExportFormat,
  name: string,
  rows: AsyncIterable<T> | Iterable<T>,
  columns: readonly ExportColumn<T>[],
  options: ExportOptions,
): Download {
  const file = `${name}.${format}`;
  return format === 'csv'
    ? {
        contentType: CSV_CONTENT_TYPE,
        contentDisposition: contentDisposition(file),
        body: csvStream(rows, columns, options),
      }
    : {
        contentType: XLSX_CONTENT_TYPE,
        contentDisposition: contentDisposition(file),
        body: xlsxStream(rows, columns, { ...options, sheetName: name }),
      };
}
