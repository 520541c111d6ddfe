import { z } from 'zod';
import type { UserRole } from '../../accounts/roles.ts';
import type { Services } from '../../app/application.ts';
import type { CallInputError } from '../../calls/errors.ts';
import { parseCallJson } from '../../calls/import.ts';
import type { Call } from '../../calls/model.ts';
import type { CallFilter, DateBound, StoredCall } from '../../calls/service.ts';
import { callSummarySchema, repeatCallerSchema, storedCallSchema } from '../../calls/views.ts';
import { callerNumber, type Phone } from '../../customers/phone.ts';
import { phoneFilterSchema } from '../../customers/schemas.ts';
import type { ExportColumn } from '../../exports/columns.ts';
import { fullNumbersQuery } from '../../exports/numbers.ts';
import { isScored } from '../../qa/result.ts';
import { AppError, type ErrorDetail } from '../../shared/errors.ts';
import { ALL_ROLES, principalOf, SUPERVISORS, callScopeOf as scopeOf } from '../access.ts';
import { exportRoutes } from '../export-routes.ts';
import { bilingual } from '../language.ts';
import {
  type Api,
  agentFilterSchema,
  DAY_OR_INSTANT_MESSAGE,
  errorResponses,
  isCalendarDay,
  isInstant,
  page,
  pageQuery,
} from '../schemas.ts';

/** Who may post finished calls (recorders, ASR, imports): QA inspectors and supervisors. */
export const CALL_WRITERS: readonly UserRole[] = ['qa-inspector', ...SUPERVISORS];
/** Who may search and export every call. Agents search too, but only their own calls. */
export const CALL_READERS: readonly UserRole[] = ['qa-inspector', 'qa-lead', ...SUPERVISORS];

// ---- schemas -------------------------------------------------------------------------------

// The views are defined once, in src/calls/views.ts; re-exported for the routes that use them.
export { callSummarySchema, repeatCallerSchema } from '../../calls/views.ts';

/** `YYYY-MM-DD` (a whole local day, one that exists) or an ISO 8601 date-time with its zone. */
const dateBound = z.string().transform((s, ctx): DateBound => {
  if (isCalendarDay(s)) return { date: s };
  if (isInstant(s)) return { instant: new Date(s) };
  ctx.addIssue({
    code: 'custom',
    message: `found "${s.slice(0, 40)}"; ${DAY_OR_INSTANT_MESSAGE.en}`,
    params: { zh: `收到 "${s.slice(0, 40)}"；${DAY_OR_INSTANT_MESSAGE.zh}` },
  });
  return z.NEVER;
});

/** The filters of the call search, shared by the search and the exports. */
export const callFilterQuery = {
  phone: phoneFilterSchema.optional(),
  agent: agentFilterSchema.optional().meta({
    description:
      "the agent's 工号, or the id a call was stored under (A07, a SIP extension): 1–128 characters",
  }),
  brand: z.string().trim().min(1).max(50).optional(),
  from: dateBound.optional().meta({ description: 'calls started from (a date: that whole day)' }),
  to: dateBound.optional().meta({ description: 'calls started until (a date: through that whole day)' }),
  rule: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]*$/,
      bilingual({
        zh: '应为规则编号，例如 opening.greeting',
        en: 'expected a rule id such as opening.greeting',
      }),
    )
    .max(100)
    .optional()
    .meta({ description: 'a rule the call failed' }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'words said in the call (Simplified or Traditional, any width)' }),
  answered: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'false: missed calls only' }),
};

type FilterQuery = {
  [K in keyof typeof callFilterQuery]?: z.output<(typeof callFilterQuery)[K]>;
};

export function toFilter(q: FilterQuery): CallFilter {
  const f: CallFilter = {};
  if (q.phone !== undefined) f.phone = q.phone;
  if (q.agent !== undefined) f.agentId = q.agent;
  if (q.brand !== undefined) f.brand = q.brand;
  if (q.from !== undefined) f.from = q.from;
  if (q.to !== undefined) f.to = q.to;
  if (q.rule !== undefined) f.failedRule = q.rule;
  if (q.q !== undefined) f.text = q.q;
  if (q.answered !== undefined) f.answered = q.answered;
  return f;
}

/** `turns[2].speaker` → `body.turns.2.speaker`, the API's field paths. */
export function bodyPath(path: string | undefined, prefix = 'body'): string {
  if (!path) return prefix;
  return `${prefix}.${path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '')}`;
}

/** The importer's problems as the API's validation error. */
export function importErrors(errors: readonly CallInputError[], prefix = 'body'): AppError {
  const details: ErrorDetail[] = errors.map((e) => ({ path: bodyPath(e.path, prefix), message: e.message }));
  return new AppError(
    'validation',
    {
      zh: `请求内容有误：${details.map((d) => `${d.path}：${d.message}`).join('；')}`,
      en: `invalid ${prefix}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
    },
    details,
  );
}

/** The call file's customer number: canonical; a masked or foreign number kept as given; garbage refused. */
function callerOf(call: Call): Phone | null {
  const raw = call.customer?.phone;
  if (raw === undefined) return null;
  const r = callerNumber(raw);
  if (r.kind === 'phone') return r.phone;
  if (r.kind === 'as-given') return null;
  throw new AppError(
    'validation',
    {
      zh: `请求内容有误：body.customer.phone：${r.message}`,
      en: `invalid body: body.customer.phone: ${r.message}`,
    },
    [{ path: 'body.customer.phone', message: r.message }],
  );
}

/**
 * The columns of the calls export (CSV and XLSX alike): brands by name and failed rules by their
 * Chinese titles, as a team lead reads them (the ids are in the API).
 */
export function callExportColumns(names: {
  brand(id: string): string;
  rule(id: string): string;
}): readonly ExportColumn<StoredCall>[] {
  return [
    { header: '通话编号', value: (c) => c.id, width: 22 },
    { header: '品牌', value: (c) => names.brand(c.brand), width: 12 },
    { header: '方向', value: (c) => (c.direction === 'inbound' ? '来电' : '外呼'), width: 8 },
    { header: '坐席工号', value: (c) => c.agent.id, width: 10 },
    { header: '坐席姓名', value: (c) => c.agent.name, width: 10 },
    { header: '客户号码', value: (c) => c.customerPhone, width: 16, personal: 'phone' },
    { header: '开始时间', value: (c) => new Date(c.startedAt), width: 20 },
    { header: '结束时间', value: (c) => (c.endedAt ? new Date(c.endedAt) : null), width: 20 },
    {
      header: '时长(秒)',
      value: (c) => (c.endedAt ? Math.round((Date.parse(c.endedAt) - Date.parse(c.startedAt)) / 1000) : null),
      width: 10,
    },
    { header: '接通', value: (c) => (c.answered === null ? null : c.answered ? '是' : '否'), width: 8 },
    { header: '主题', value: (c) => c.subject, width: 40, personal: 'text' },
    // Empty when every rule was n/a (a missed call): a spreadsheet's average must not count its 100.
    {
      header: '质检得分',
      value: (c) => (c.qa && isScored(c.qa.result) ? c.qa.score : null),
      width: 10,
      numFmt: '0.##',
    },
    { header: '一票否决', value: (c) => (c.qa ? (c.qa.fatal ? '是' : '否') : null), width: 10 },
    {
      header: '未通过规则',
      value: (c) => c.qa?.failedRules.map((id) => names.rule(id)).join('; ') ?? null,
      width: 50,
    },
  ];
}

// ---- routes --------------------------------------------------------------------------------

export async function callRoutes(app: Api, services: Pick<Services, 'calls' | 'exports'>): Promise<void> {
  const { calls } = services;

  app.post(
    '/api/calls',
    {
      config: { access: CALL_WRITERS },
      schema: {
        tags: ['calls'],
        summary:
          'Store a finished call (the call file JSON of src/calls/README.md); it is inspected on arrival. meta.subject (optional) says what it was about.',
        body: z
          .record(z.string(), z.unknown(), { error: 'expected one call as a JSON object' })
          .meta({ description: 'one call in the JSON call-file format' }),
        response: {
          201: z.object({ call: storedCallSchema, repeatCaller: repeatCallerSchema }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const parsed = parseCallJson(request.body, 'body');
      if (!parsed.ok) throw importErrors([parsed.error, ...(parsed.more ?? [])]);
      const call = parsed.call;
      const brand = calls.brandId(call.brand, 'body.brand');
      // A brand-limited account stores its brand's calls only (another's would be inspected,
      // counted and answered as that brand's, and a known id's 409 would confirm it exists).
      const own = principalOf(request).brand;
      if (own !== null && own !== brand)
        throw new AppError('forbidden', {
          zh: `您的账号只能存储品牌“${own}”的通话（body.brand 是“${brand}”）`,
          en: `your account stores only the calls of brand '${own}' (body.brand is '${brand}')`,
        });
      const phone = callerOf(call);
      const meta = request.body.meta as Record<string, unknown> | undefined;
      const subject = typeof meta?.subject === 'string' ? meta.subject.slice(0, 200) : null;
      const r = await calls.store({ call: { ...call, brand }, phone, subject }, principalOf(request));
      return reply.status(201).send(r);
    },
  );

  app.get(
    '/api/calls',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: ['calls'],
        summary:
          'Search calls by number (or 尾号), agent, brand, dates, failed rule and words said; newest first. Agents get their own calls.',
        querystring: z.object({ ...callFilterQuery, ...pageQuery }),
        response: { 200: page(callSummarySchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, offset, ...filters } = request.query;
      const r = await calls.search(toFilter(filters), { limit, offset }, scopeOf(request));
      return { ...r, limit, offset };
    },
  );

  app.get(
    '/api/calls/:id',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: ['calls'],
        summary: 'A call with its events, transcript and QA result (agents: their own calls)',
        params: z.object({ id: z.string().min(1).max(128) }),
        response: { 200: storedCallSchema, ...errorResponses },
      },
    },
    async (request) => calls.get(request.params.id, scopeOf(request)),
  );

  app.patch(
    '/api/calls/:id',
    {
      config: { access: ['agent', ...SUPERVISORS] },
      schema: {
        tags: ['calls'],
        summary:
          "Set what the call was about (the agent's wrap-up; the next agent sees it when the number calls again)",
        params: z.object({ id: z.string().min(1).max(128) }),
        body: z.strictObject({ subject: z.string().trim().max(200).nullable() }),
        response: { 200: storedCallSchema, ...errorResponses },
      },
    },
    async (request) =>
      calls.setSubject(request.params.id, request.body.subject, scopeOf(request), principalOf(request)),
  );

  app.put(
    '/api/calls/:id/transcript',
    {
      config: { access: CALL_WRITERS },
      schema: {
        tags: ['calls'],
        summary:
          'Add the transcript of a call stored without words (the CTI stored it at hangup, the ASR came later); the call is inspected again',
        params: z.object({ id: z.string().min(1).max(128) }),
        body: z.strictObject({ turns: z.array(z.unknown()).min(1).max(5000) }),
        response: { 200: storedCallSchema, ...errorResponses },
      },
    },
    async (request) => {
      const parsed = parseCallJson({ id: request.params.id, turns: request.body.turns }, 'body');
      if (!parsed.ok) throw importErrors([parsed.error, ...(parsed.more ?? [])]);
      return calls.addTranscript(
        request.params.id,
        parsed.call.turns,
        principalOf(request),
        scopeOf(request),
      );
    },
  );

  const exportSummary =
    'the search’s filters, oldest first; times in the brand’s time zone (default Asia/Shanghai)';
  const exportQuery = z.object({ ...callFilterQuery, fullNumbers: fullNumbersQuery });
  exportRoutes(app, services.exports, {
    path: '/api/exports/calls',
    access: CALL_READERS,
    name: '通话质检',
    summary: {
      csv: `Calls with their QA scores as CSV (UTF-8 with BOM, for Excel); ${exportSummary}`,
      xlsx: `Calls with their QA scores as an Excel workbook; ${exportSummary}`,
    },
    querystring: exportQuery,
    // Read when the route is registered: a scorecard published later renames nothing here
    // until restart, which is fine for titles.
    columns: callExportColumns(calls.names()),
    rows: (request, query) => {
      const filter = toFilter(query);
      const brand = filter.brand ? calls.brandId(filter.brand, 'querystring.brand') : null;
      return { rows: calls.export(filter, scopeOf(request)), timeZone: calls.timezoneOf(brand) };
    },
  });
}
