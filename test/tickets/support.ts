// Helpers for the ticket tests: JSON requests as a signed-in user, and tickets to start from.
import { expect } from 'vitest';
import type { Session, TestApp } from '../support/app.ts';

export interface Res {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are checked field by field
  body: any;
}

export function client(t: TestApp, s: Session) {
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown): Promise<Res> => {
    const res = await t.app.inject({
      method,
      url,
      headers: s.headers,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  return {
    cookie: s.cookie,
    get: (url: string) => call('GET', url),
    post: (url: string, payload: unknown = {}) => call('POST', url, payload),
    /** POST expecting 2xx; returns the body. */
    async ok(url: string, payload: unknown = {}) {
      const r = await call('POST', url, payload);
      expect(r.status, `${url}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
      return r.body;
    },
    /** POST /api/tickets/:id/<action> with the ticket's current version. */
    async act(ticket: { id: string; version: number }, action: string, body: Record<string, unknown> = {}) {
      return call('POST', `/api/tickets/${ticket.id}/${action}`, { version: ticket.version, ...body });
    },
  };
}

export type Client = ReturnType<typeof client>;

export const HOUR = 3_600_000;
export const MIN = 60_000;

export const complaintBody = (extra: Record<string, unknown> = {}) => ({
  type: 'complaint',
  brand: 'zhonghua',
  subtype: 'product-quality',
  priority: 'urgent',
  subject: '理赔进度太慢',
  description: '客户反映理赔两周未处理',
  customerPhone: '138-0013-8000',
  ...extra,
});

/** RFC 4180: quoted fields with doubled quotes, CRLF rows. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
