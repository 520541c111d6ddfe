// Schemas shared by routes: the error body, pagination, ids.
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERROR_STATUS } from '../shared/errors.ts';
import { bilingual } from './language.ts';

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export const errorBody = z
  .object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    message: z.string(),
    details: z.array(z.object({ path: z.string().optional(), message: z.string() })),
  })
  .meta({ id: 'Error' });

/** The error responses every authenticated route can give. */
export const errorResponses = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
  422: errorBody,
} as const;

/**
 * `?user=`: the user the page shows (its id). A browser's page sends it; when the browser's
 * session has since become another user's, the stream is refused instead of carrying theirs.
 */
export const pageUserQuery = z.object({
  user: z.string().max(128).optional().meta({
    description:
      "the id of the user your page shows; refused (session-changed) when the session is now another user's",
  }),
});

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};

export function page<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });
}

// ---- dates ----

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` naming a day that exists (no 2026-02-30, no month 13). */
export function isCalendarDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

// zod checks the calendar (days per month, leap years) and the clock (no 24:61), and with
// `offset` it wants Z or ±hh:mm: a date-time without a zone is ambiguous and refused.
const INSTANT = z.iso.datetime({ offset: true });

/** An ISO 8601 date-time with Z or an offset, on a real day at a real time. */
export function isInstant(s: string): boolean {
  return INSTANT.safeParse(s).success;
}

export const INSTANT_MESSAGE = {
  en: 'expected an ISO 8601 date-time with its zone, e.g. 2026-11-20T09:00:00+08:00 (a real day and time; Z or an offset)',
  zh: '应为带时区的日期时间，例如 2026-11-20T09:00:00+08:00（日期和时间须真实存在，并带 Z 或时差）',
};

/** A date-time with its zone, as a string (the schema of every instant the API takes). */
export const instantSchema = z.iso.datetime({ offset: true, error: bilingual(INSTANT_MESSAGE) });

// The 工号 rule is one for the whole product (accounts/agent-number.ts): re-exported for routes.
export { AGENT_NUMBER_MESSAGE, agentFilterSchema, agentNumberSchema } from '../accounts/agent-number.ts';

export const DAY_OR_INSTANT_MESSAGE = {
  en: 'expected a day YYYY-MM-DD that exists (2026-11-20) or an ISO 8601 date-time with its zone (2026-11-20T09:00:00+08:00)',
  zh: '应为真实存在的日期 YYYY-MM-DD（如 2026-11-20），或带时区的日期时间（如 2026-11-20T09:00:00+08:00）',
};
