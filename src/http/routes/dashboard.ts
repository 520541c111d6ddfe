// The dashboards (看板) and the wallboard (大屏) over HTTP: call handling, quality and tickets
// per brand, team, agent and day, each also as CSV / XLSX; the wallboard's snapshot (the web
// page keeps it live over the live-assist WebSocket). Agents see none of it.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { UserRole } from '../../accounts/roles.ts';
import type { Application, Services } from '../../app/application.ts';
import { type DashboardFilter, dashboardScopeOf } from '../../dashboard/service.ts';
import {
  type CallRow,
  callDashboardSchema,
  DIMENSIONS,
  type QualityRow,
  qualityDashboardSchema,
  type TicketRow,
  ticketDashboardSchema,
  wallboardSchema,
} from '../../dashboard/views.ts';
import type { ExportColumn } from '../../exports/columns.ts';
import { fullNumbersQuery } from '../../exports/numbers.ts';
import { principalOf, SUPERVISORS } from '../access.ts';
import { exportRoutes } from '../export-routes.ts';
import { bilingual } from '../language.ts';
import { type Api, agentFilterSchema, errorResponses, isCalendarDay } from '../schemas.ts';

/** Supervisors, QA inspectors and QA leads (who judge appeals and read the machine's precision); never agents. */
export const DASHBOARD_VIEWERS: readonly UserRole[] = [...SUPERVISORS, 'qa-inspector', 'qa-lead'];

const DAY_MESSAGE = {
  en: 'expected a day YYYY-MM-DD that exists, e.g. 2026-11-20',
  zh: '应为真实存在的日期 YYYY-MM-DD，例如 2026-11-20',
};
const day = z.string().refine(isCalendarDay, { error: bilingual(DAY_MESSAGE) });

const periodQuery = {
  brand: z.string().trim().min(1).max(50).optional().describe('a brand id; default every brand you see'),
  from: day.describe("the first local day (the brand's time zone), YYYY-MM-DD"),
  to: day.describe('the last local day, included'),
};
const filterQuery = z.object({
  ...periodQuery,
  team: z.string().trim().max(32).optional(),
  agent: agentFilterSchema
    .optional()
    .describe('an agent number (工号), or the id calls were stored under (1–128 characters)'),
  by: z
    .enum(DIMENSIONS)
    .default('day')
    .describe('one row per day (default), team, agent or brand; all: the total only'),
});
const ticketQuery = z.object(periodQuery);

const filterOf = (q: z.output<typeof filterQuery>): DashboardFilter => ({
  from: q.from,
  to: q.to,
  by: q.by,
  ...(q.brand !== undefined ? { brand: q.brand } : {}),
  ...(q.team !== undefined ? { team: q.team } : {}),
  ...(q.agent !== undefined ? { agent: q.agent } : {}),
});

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

const CALL_COLUMNS: ExportColumn<CallRow>[] = [
  { header: '分组', value: (r) => r.key || '合计', width: 16 },
  { header: '来电数', value: (r) => r.calls, width: 10 },
  { header: '呼入数', value: (r) => r.offered, width: 10 },
  { header: '接通数', value: (r) => r.answered, width: 10 },
  { header: '放弃数', value: (r) => r.abandoned, width: 10 },
  { header: '放弃率%', value: (r) => pct(r.abandonRate), width: 10, numFmt: '0.0' },
  { header: '服务水平%', value: (r) => pct(r.serviceLevel), width: 12, numFmt: '0.0' },
  { header: '平均应答速度(秒)', value: (r) => r.asaSeconds, width: 16, numFmt: '0.0' },
  { header: '平均处理时长(秒)', value: (r) => r.ahtSeconds, width: 16, numFmt: '0.0' },
  { header: '平均保持时长(秒)', value: (r) => r.holdSeconds, width: 16, numFmt: '0.0' },
  { header: '保持次数', value: (r) => r.holds, width: 10 },
  { header: '保持超时次数', value: (r) => r.holdsOverLimit, width: 12 },
  { header: '重复来电率%', value: (r) => pct(r.repeatRate), width: 12, numFmt: '0.0' },
];

const QUALITY_COLUMNS: ExportColumn<QualityRow>[] = [
  { header: '分组', value: (r) => r.key || '合计', width: 16 },
  { header: '质检数', value: (r) => r.inspected, width: 10 },
  { header: '无可评规则', value: (r) => r.unscored, width: 10 },
  { header: '平均分', value: (r) => r.averageScore, width: 10, numFmt: '0.0' },
  { header: '致命差错', value: (r) => r.fatal, width: 10 },
  { header: '<60', value: (r) => r.bands.below60, width: 8 },
  { header: '60–69', value: (r) => r.bands.from60, width: 8 },
  { header: '70–79', value: (r) => r.bands.from70, width: 8 },
  { header: '80–89', value: (r) => r.bands.from80, width: 8 },
  { header: '≥90', value: (r) => r.bands.from90, width: 8 },
  { header: '申诉数', value: (r) => r.appeals.filed, width: 10 },
  { header: '待终审', value: (r) => r.appeals.pending, width: 10 },
  { header: '维持', value: (r) => r.appeals.upheld, width: 8 },
  { header: '改判', value: (r) => r.appeals.overturned, width: 8 },
  { header: '改判率%', value: (r) => pct(r.appeals.overturnRate), width: 10, numFmt: '0.0' },
];

const TICKET_COLUMNS: ExportColumn<TicketRow>[] = [
  { header: '分组', value: (r) => r.key || '合计', width: 16 },
  { header: '新建工单', value: (r) => r.opened, width: 10 },
  { header: '超时', value: (r) => r.breached, width: 8 },
  { header: '超时率%', value: (r) => pct(r.breachRate), width: 10, numFmt: '0.0' },
  { header: '首次回复(小时)', value: (r) => r.replyHours, width: 14, numFmt: '0.0' },
  { header: '结案(小时)', value: (r) => r.closeHours, width: 12, numFmt: '0.0' },
  { header: '回访数', value: (r) => r.visited, width: 10 },
  { header: '满意度', value: (r) => r.satisfaction, width: 10, numFmt: '0.00' },
  { header: '满意率%', value: (r) => pct(r.satisfiedRate), width: 10, numFmt: '0.0' },
];

export async function dashboardRoutes(
  app: Api,
  services: Pick<Services, 'dashboard' | 'exports' | 'calls'> & Pick<Application, 'liveScopeOf'>,
): Promise<void> {
  const { dashboard, calls } = services;
  const scopeOf = (request: FastifyRequest) => dashboardScopeOf(principalOf(request));
  const timeZoneOf = (brand: string | undefined) =>
    calls.timezoneOf(brand === undefined ? null : calls.brandId(brand, 'querystring.brand'));

  app.get(
    '/api/dashboard/calls',
    {
      config: { access: DASHBOARD_VIEWERS },
      schema: {
        tags: ['dashboard'],
        summary:
          'Call handling over local days: service level, ASA, abandonment (callbacks excluded), AHT, hold, holds over the limit, repeat callers within 24 h — per day, team, agent or brand, and the total',
        querystring: filterQuery,
        response: { 200: callDashboardSchema, ...errorResponses },
      },
    },
    async (request) => dashboard.callDashboard(filterOf(request.query), scopeOf(request)),
  );

  app.get(
    '/api/dashboard/quality',
    {
      config: { access: DASHBOARD_VIEWERS },
      schema: {
        tags: ['dashboard'],
        summary:
          'Quality over local days: score bands and average per day, team, agent or brand; the appeals against those calls and their outcomes (per row and per rule); the top failed rules and their daily trend; the latest calls with a fatal finding',
        querystring: filterQuery,
        response: { 200: qualityDashboardSchema, ...errorResponses },
      },
    },
    async (request) => dashboard.qualityDashboard(filterOf(request.query), scopeOf(request)),
  );

  app.get(
    '/api/dashboard/tickets',
    {
      config: { access: DASHBOARD_VIEWERS },
      schema: {
        tags: ['dashboard'],
        summary:
          'Tickets: the open backlog by type and escalation level (now), and of the tickets opened in the period: breaches, time to reply and to close, satisfaction of the follow-up visits — per type and per day',
        querystring: ticketQuery,
        response: { 200: ticketDashboardSchema, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return dashboard.ticketDashboard(
        { from: q.from, to: q.to, ...(q.brand !== undefined ? { brand: q.brand } : {}) },
        scopeOf(request),
      );
    },
  );

  app.get(
    '/api/dashboard/wallboard',
    {
      config: { access: DASHBOARD_VIEWERS },
      schema: {
        tags: ['dashboard'],
        summary:
          "The wallboard now: calls ringing, talking and on hold (over the brand's limit flagged), each agent's state, today's service level. Keep it live with GET /api/live/socket",
        querystring: z.object({ brand: periodQuery.brand }),
        response: { 200: wallboardSchema, ...errorResponses },
      },
    },
    async (request) => {
      const p = principalOf(request);
      return dashboard.wallboard(p, await services.liveScopeOf(p), request.query.brand);
    },
  );

  const exportFilter = filterQuery.extend({ fullNumbers: fullNumbersQuery });
  exportRoutes(app, services.exports, {
    path: '/api/exports/dashboard-calls',
    access: DASHBOARD_VIEWERS,
    name: '话务看板',
    summary: {
      csv: 'The call-handling dashboard as CSV',
      xlsx: 'The call-handling dashboard as an Excel workbook',
    },
    querystring: exportFilter,
    columns: CALL_COLUMNS,
    rows: (request, { fullNumbers: _, ...q }) => ({
      rows: (async function* () {
        const d = await dashboard.callDashboard(filterOf(q), scopeOf(request));
        yield* d.rows;
        yield d.total;
      })(),
      timeZone: timeZoneOf(q.brand),
    }),
  });
  exportRoutes(app, services.exports, {
    path: '/api/exports/dashboard-quality',
    access: DASHBOARD_VIEWERS,
    name: '质检看板',
    summary: { csv: 'The quality dashboard as CSV', xlsx: 'The quality dashboard as an Excel workbook' },
    querystring: exportFilter,
    columns: QUALITY_COLUMNS,
    rows: (request, { fullNumbers: _, ...q }) => ({
      rows: (async function* () {
        const d = await dashboard.qualityDashboard(filterOf(q), scopeOf(request));
        yield* d.rows;
        yield d.total;
      })(),
      timeZone: timeZoneOf(q.brand),
    }),
  });
  exportRoutes(app, services.exports, {
    path: '/api/exports/dashboard-tickets',
    access: DASHBOARD_VIEWERS,
    name: '工单看板',
    summary: {
      csv: 'The ticket dashboard (per type) as CSV',
      xlsx: 'The ticket dashboard as an Excel workbook',
    },
    querystring: ticketQuery.extend({ fullNumbers: fullNumbersQuery }),
    columns: TICKET_COLUMNS,
    rows: (request, { fullNumbers: _, ...q }) => ({
      rows: (async function* () {
        const d = await dashboard.ticketDashboard(
          { from: q.from, to: q.to, ...(q.brand !== undefined ? { brand: q.brand } : {}) },
          scopeOf(request),
        );
        yield* d.byType;
        yield d.total;
      })(),
      timeZone: timeZoneOf(q.brand),
    }),
  });
}
