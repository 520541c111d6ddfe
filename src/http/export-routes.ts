// The two download routes of one export (`<path>.csv` and `<path>.xlsx`), registered together:
// the same filters, access and columns in both formats; the full-number check and the audit
// entry (src/exports/service.ts) before a byte is sent.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { UserRole } from '../accounts/roles.ts';
import type { ExportColumn } from '../exports/columns.ts';
import { XLSX_CONTENT_TYPE } from '../exports/columns.ts';
import { EXPORT_FORMATS, exportDownload } from '../exports/download.ts';
import { mayExportFullNumbers } from '../exports/numbers.ts';
import type { ExportsService } from '../exports/service.ts';
import { principalOf } from './access.ts';
import { type Api, errorResponses } from './schemas.ts';

export interface ExportRoute<Q extends z.ZodType<{ fullNumbers: boolean }>, T> {
  /** Without the extension: `/api/exports/tickets` serves `tickets.csv` and `tickets.xlsx`. */
  path: string;
  access: readonly UserRole[];
  /** The downloaded file's name without its extension, and the XLSX sheet's name (工单). */
  name: string;
  summary: { csv: string; xlsx: string };
  /** The filters; `fullNumbers` asks for customers' full numbers. */
  querystring: Q;
  columns: readonly ExportColumn<T>[];
  /**
   * The rows (read lazily, as the file is sent) and the zone times are shown in. Called before
   * the export is audited, so that a request it refuses leaves no audit entry.
   */
  rows(request: FastifyRequest, query: z.output<Q>): { rows: AsyncIterable<T>; timeZone: string };
}

export function exportRoutes<Q extends z.ZodType<{ fullNumbers: boolean }>, T>(
  app: Api,
  exports: ExportsService,
  route: ExportRoute<Q, T>,
): void {
  for (const format of EXPORT_FORMATS) {
    const file = `${route.path.slice(route.path.lastIndexOf('/') + 1)}.${format}`;
    const contentType = format === 'csv' ? 'text/csv' : XLSX_CONTENT_TYPE;
    app.get(
      `${route.path}.${format}`,
      {
        config: { access: route.access },
        schema: {
          tags: ['exports'],
          summary: route.summary[format],
          querystring: route.querystring,
          response: {
            200: { description: format.toUpperCase(), content: { [contentType]: { schema: z.string() } } },
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const query = request.query as z.output<Q>;
        const user = principalOf(request);
        const { fullNumbers: asked, ...filters } = query;
        const asking = { file, role: user.role, actor: user, fullNumbers: asked, filters };
        // Full numbers asked without the right: refused (403) before a row is read.
        if (asked && !mayExportFullNumbers(user.role)) await exports.fullNumbers(asking);
        const { rows: lazy, timeZone } = route.rows(request, query);
        // The first row read now, before the headers and the audit: a refusal of the rows' own
        // (a period the wrong way round or too long) is answered as the JSON error it is, not
        // as a 500 once the CSV's content type is set, and is not audited as an export.
        const ahead = await readingAhead(lazy);
        // Full numbers only for the roles that may see them; every export is audited. The
        // audit failing closes the source (a database cursor) the first row was read from.
        const fullNumbers = await exports.fullNumbers(asking).catch(async (err: unknown) => {
          await ahead.close();
          throw err;
        });
        const rows = ahead.rows;
        const download = exportDownload(format, route.name, rows, route.columns, { timeZone, fullNumbers });
        reply.header('content-type', download.contentType);
        reply.header('content-disposition', download.contentDisposition);
        // A stream is sent as it is (no serializer); the schema above documents the content type.
        return reply.send(download.body as never);
      },
    );
  }
}

/**
 * The rows with the first already read (its error thrown here); then the rest, lazily. `close`
 * stops the source when the rows will not be sent after all.
 */
async function readingAhead<T>(
  source: AsyncIterable<T>,
): Promise<{ rows: AsyncIterable<T>; close: () => Promise<void> }> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  const close = async () => {
    await it.return?.();
  };
  const rows = (async function* () {
    try {
      if (first.done) return;
      yield first.value;
      for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
    } finally {
      await it.return?.(); // the download stopped half-way: the source stops too
    }
  })();
  return { rows, close };
}
