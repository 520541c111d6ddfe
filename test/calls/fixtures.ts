// Calls for the API tests: a real example call (中华保险, vague language) with its number,
// agent, time and id replaced as a test needs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestApp } from '../support/app.ts';

const EXAMPLE = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../examples/zh-forbidden-vague.json'), 'utf8'),
);
const TRADITIONAL = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../examples/qjl-hold-long-no-callback.json'), 'utf8'),
);

export interface CallOptions {
  id: string;
  phone?: string | null;
  agent?: string;
  startedAt?: string;
  brand?: string;
  traditional?: boolean;
  subject?: string;
  surname?: string;
  title?: string;
}

/** The JSON of a finished call (the call-file format). */
export function callJson(o: CallOptions): Record<string, unknown> {
  const base = o.traditional ? TRADITIONAL : EXAMPLE;
  const { meta: _meta, ...rest } = base;
  const call: Record<string, unknown> = {
    ...rest,
    id: o.id,
    brand: o.brand ?? base.brand,
    agent: { id: o.agent ?? '4402', name: '陈晨' },
    startedAt: o.startedAt ?? '2026-11-20T09:12:03+08:00',
    customer:
      o.phone === null
        ? undefined
        : {
            phone: o.phone ?? '138 0013 8000',
            ...(o.surname ? { surname: o.surname } : {}),
            ...(o.title ? { title: o.title } : {}),
          },
  };
  if (o.phone === null) delete call.customer;
  if (o.subject) call.meta = { subject: o.subject };
  return call;
}

/** POSTs a call as `headers`' user; returns the response. */
export function postCall(
  t: TestApp,
  headers: Record<string, string>,
  o: CallOptions | Record<string, unknown>,
) {
  const payload = 'id' in o && typeof o.id === 'string' && !('turns' in o) ? callJson(o as CallOptions) : o;
  return t.app.inject({ method: 'POST', url: '/api/calls', headers, payload });
}
