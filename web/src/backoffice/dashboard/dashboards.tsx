// The dashboards (看板): call handling, quality and tickets over a period, per day, team, agent
// or brand. Every filter is in the URL (a view can be shared or bookmarked), every chart is also
// a table, and each table downloads as CSV or XLSX (the server's export of the same query).
import { useQuery } from '@tanstack/react-query';
import {
  Card,
  DatePicker,
  Input,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { TicketLevel } from '../../api/enums.gen';
import type { components } from '../../api/schema';
import { useMe } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh';
import { useBrands, useFormatTime, useTimeZone } from '../../lib/brands';
import { useRuleTitle } from '../../lib/rules';
import { DownloadLink } from '../common';
import { Chart, type ChartOption } from './chart';

type CallRow = components['schemas']['DashboardCallRow'];
type QualityRow = components['schemas']['DashboardQualityRow'];
type AppealRow = components['schemas']['DashboardAppealRow'];
type TicketRow = components['schemas']['DashboardTicketRow'];
type By = 'day' | 'team' | 'agent' | 'brand';
type Tab = 'calls' | 'quality' | 'tickets';

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
const num = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? '—' : v.toFixed(digits);

/** Today in a zone, YYYY-MM-DD. */
function today(zone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

export function DashboardsPage() {
  const { t } = useI18n();
  const me = useMe().data;
  const brands = useBrands().data ?? [];
  const [params, setParams] = useSearchParams();
  const brand = params.get('brand') ?? me?.brand ?? undefined;
  const zone = useTimeZone(brand);
  const to = params.get('to') ?? today(zone);
  const from = params.get('from') ?? dayjs(to).subtract(6, 'day').format('YYYY-MM-DD');
  const tab = (params.get('tab') as Tab | null) ?? 'calls';
  const by = (params.get('by') as By | null) ?? 'day';
  const team = params.get('team') ?? undefined;
  const agent = params.get('agent') ?? undefined;
  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };
  const query = {
    from,
    to,
    by,
    ...(brand ? { brand } : {}),
    ...(team ? { team } : {}),
    ...(agent ? { agent } : {}),
  };
  const exportQuery = new URLSearchParams(
    tab === 'tickets' ? { from, to, ...(brand ? { brand } : {}) } : (query as Record<string, string>),
  ).toString();
  const exportName =
    tab === 'calls' ? 'dashboard-calls' : tab === 'quality' ? 'dashboard-quality' : 'dashboard-tickets';

  return (
    <Card
      title={t('dash.title')}
      data-testid="dashboards-page"
      extra={
        <Space>
          <DownloadLink href={`/api/exports/${exportName}.csv?${exportQuery}`} testId="dash-export-csv">
            {t('dash.exportCsv')}
          </DownloadLink>
          <DownloadLink href={`/api/exports/${exportName}.xlsx?${exportQuery}`} testId="dash-export-xlsx">
            {t('dash.exportXlsx')}
          </DownloadLink>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }} data-testid="dash-filters">
        {!me?.brand && (
          <Select
            allowClear
            placeholder={t('common.brand')}
            style={{ width: 140 }}
            value={brand}
            onChange={(v) => set({ brand: v })}
            options={brands.map((b) => ({ value: b.brand, label: b.name }))}
            data-testid="dash-brand"
          />
        )}
        <DatePicker.RangePicker
          allowClear={false}
          value={[dayjs(from), dayjs(to)]}
          onChange={(v) => {
            const [a, b] = (v ?? []) as [Dayjs | null, Dayjs | null];
            if (a && b) set({ from: a.format('YYYY-MM-DD'), to: b.format('YYYY-MM-DD') });
          }}
          data-testid="dash-period"
        />
        {tab !== 'tickets' && (
          <>
            <Segmented<By>
              value={by}
              onChange={(v) => set({ by: v })}
              options={(['day', 'team', 'agent', 'brand'] as const).map((v) => ({
                value: v,
                label: t(`dash.by.${v}`),
              }))}
              data-testid="dash-by"
            />
            <Input.Search
              allowClear
              defaultValue={team}
              placeholder={t('dash.team')}
              style={{ width: 140 }}
              onSearch={(v) => set({ team: v.trim() })}
              data-testid="dash-team"
            />
            <Input.Search
              allowClear
              defaultValue={agent}
              placeholder={t('dash.agent')}
              style={{ width: 140 }}
              onSearch={(v) => set({ agent: v.trim() })}
              data-testid="dash-agent"
            />
          </>
        )}
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k === 'calls' ? undefined : k })}
        items={[
          {
            key: 'calls',
            label: t('dash.tab.calls'),
            children: tab === 'calls' && <CallsTab query={query} />,
          },
          {
            key: 'quality',
            label: t('dash.tab.quality'),
            children: tab === 'quality' && <QualityTab query={query} />,
          },
          {
            key: 'tickets',
            label: t('dash.tab.tickets'),
            children: tab === 'tickets' && <TicketsTab query={{ from, to, ...(brand ? { brand } : {}) }} />,
          },
        ]}
      />
    </Card>
  );
}

type Query = { from: string; to: string; by: By; brand?: string; team?: string; agent?: string };

function keyLabel(
  by: By | 'type',
  key: string,
  t: (k: MessageKey) => string,
  tx: (p: string, v: string) => string,
) {
  if (key === '')
    return by === 'team' ? t('dash.noTeam') : by === 'agent' ? t('dash.noAgent') : t('dash.total');
  return by === 'type' ? tx('ticket.type', key) : key;
}

function CallsTab({ query }: { query: Query }) {
  const { t, tx } = useI18n();
  const data = useQuery({
    queryKey: ['dashboard', 'calls', query],
    queryFn: () => ok(api.GET('/api/dashboard/calls', { params: { query } })),
    placeholderData: (previous) => previous,
  });
  const d = data.data;
  const rows = d?.rows ?? [];
  const option = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t('dash.offered'), t('dash.abandoned'), t('dash.serviceLevel')] },
    grid: { left: 48, right: 48, top: 48, bottom: 32 },
    xAxis: { type: 'category', data: rows.map((r) => keyLabel(query.by, r.key, t, tx)) },
    yAxis: [
      { type: 'value', name: t('dash.calls') },
      { type: 'value', name: '%', min: 0, max: 100 },
    ],
    series: [
      { name: t('dash.offered'), type: 'bar', data: rows.map((r) => r.offered) },
      { name: t('dash.abandoned'), type: 'bar', data: rows.map((r) => r.abandoned) },
      {
        name: t('dash.serviceLevel'),
        type: 'line',
        yAxisIndex: 1,
        data: rows.map((r) => (r.serviceLevel === null ? null : Math.round(r.serviceLevel * 1000) / 10)),
      },
    ],
  } as ChartOption;
  const total = d?.total;
  const goal = d?.goal;
  // The unit only beside a figure: no "—s" where nothing was measured.
  const seconds = (v: number | null | undefined) =>
    v === null || v === undefined ? undefined : t('dash.sec');
  const slOk =
    goal && total?.serviceLevel !== null && total?.serviceLevel !== undefined
      ? total.serviceLevel * 100 >= goal.percent
      : null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space size="large" wrap data-testid="dash-calls-totals">
        <Statistic
          title={`${t('dash.serviceLevel')}${goal ? ` (${goal.percent}/${goal.seconds})` : ''}`}
          value={pct(total?.serviceLevel)}
          valueStyle={slOk === false ? { color: '#cf1322' } : undefined}
          data-testid="dash-sl"
        />
        <Statistic title={t('dash.asa')} value={num(total?.asaSeconds)} suffix={seconds(total?.asaSeconds)} />
        <Statistic title={t('dash.abandonRate')} value={pct(total?.abandonRate)} data-testid="dash-abandon" />
        <Statistic title={t('dash.aht')} value={num(total?.ahtSeconds)} suffix={seconds(total?.ahtSeconds)} />
        <Statistic title={t('dash.holdsOver')} value={total?.holdsOverLimit ?? 0} />
        <Statistic title={t('dash.repeatRate')} value={pct(total?.repeatRate)} />
      </Space>
      <Typography.Text type="secondary" data-testid="dash-calls-counted">
        {t('dash.countedNote')}
      </Typography.Text>
      <Chart option={option} testId="dash-calls-chart" />
      <Table<CallRow>
        rowKey="key"
        size="small"
        loading={data.isFetching}
        dataSource={rows}
        pagination={false}
        scroll={{ x: true }}
        data-testid="dash-calls-table"
        onRow={(r) => ({ 'data-key': r.key }) as React.HTMLAttributes<HTMLElement>}
        summary={() =>
          total ? (
            <Table.Summary.Row data-testid="dash-calls-total">
              <Table.Summary.Cell index={0}>{t('dash.total')}</Table.Summary.Cell>
              {callCells(total).map((v, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
                <Table.Summary.Cell key={i} index={i + 1}>
                  {v}
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          ) : null
        }
        columns={[
          {
            title: t(`dash.by.${query.by}`),
            dataIndex: 'key',
            render: (k: string) => keyLabel(query.by, k, t, tx),
          },
          ...callHeaders(t).map((title, i) => ({
            title,
            key: String(i),
            render: (_: unknown, r: CallRow) => callCells(r)[i],
          })),
        ]}
      />
    </Space>
  );
}

const callHeaders = (t: (k: MessageKey) => string) => [
  t('dash.offered'),
  t('dash.answered'),
  t('dash.abandoned'),
  t('dash.abandonRate'),
  t('dash.serviceLevel'),
  t('dash.asa'),
  t('dash.aht'),
  t('dash.hold'),
  t('dash.holdsOver'),
  t('dash.repeatRate'),
];
const callCells = (r: CallRow) => [
  r.offered,
  r.answered,
  r.abandoned,
  pct(r.abandonRate),
  pct(r.serviceLevel),
  num(r.asaSeconds),
  num(r.ahtSeconds),
  num(r.holdSeconds),
  r.holdsOverLimit,
  pct(r.repeatRate),
];

function QualityTab({ query }: { query: Query }) {
  const { t, tx } = useI18n();
  const ruleTitle = useRuleTitle();
  const fmt = useFormatTime();
  const data = useQuery({
    queryKey: ['dashboard', 'quality', query],
    queryFn: () => ok(api.GET('/api/dashboard/quality', { params: { query } })),
    placeholderData: (previous) => previous,
  });
  const d = data.data;
  const rows = d?.rows ?? [];
  const bands = ['below60', 'from60', 'from70', 'from80', 'from90'] as const;
  const distribution = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: bands.map((b) => t(`dash.band.${b}`)) },
    grid: { left: 48, right: 24, top: 48, bottom: 32 },
    xAxis: { type: 'category', data: rows.map((r) => keyLabel(query.by, r.key, t, tx)) },
    yAxis: { type: 'value' },
    series: bands.map((b) => ({
      name: t(`dash.band.${b}`),
      type: 'bar',
      stack: 'bands',
      data: rows.map((r) => r.bands[b]),
    })),
  } as ChartOption;
  const trendRules = [...new Set((d?.ruleTrend ?? []).map((x) => x.rule))];
  const days = [...new Set((d?.ruleTrend ?? []).map((x) => x.day))].sort();
  const titleOf = (rule: string) => ruleTitle(rule, d?.topRules.find((r) => r.rule === rule)?.title);
  const trend = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: trendRules.map(titleOf), type: 'scroll' },
    grid: { left: 48, right: 24, top: 48, bottom: 32 },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'value' },
    series: trendRules.map((rule) => ({
      name: titleOf(rule),
      type: 'line',
      data: days.map((day) => d?.ruleTrend.find((x) => x.rule === rule && x.day === day)?.failed ?? 0),
    })),
  } as ChartOption;
  const total = d?.total;
  const outcomes = ['upheld', 'overturned', 'pending'] as const;
  const appealRows = rows.filter((r) => r.appeals.filed > 0);
  const appealChart = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: outcomes.map((o) => t(`dash.appeals.${o}`)) },
    grid: { left: 48, right: 24, top: 48, bottom: 32 },
    xAxis: { type: 'category', data: appealRows.map((r) => keyLabel(query.by, r.key, t, tx)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: outcomes.map((o) => ({
      name: t(`dash.appeals.${o}`),
      type: 'bar',
      stack: 'appeals',
      data: appealRows.map((r) => r.appeals[o]),
    })),
  } as ChartOption;
  const appealColumns = [
    {
      title: t('dash.appeals.filed'),
      key: 'filed',
      render: (_: unknown, r: { appeals: AppealRow }) => r.appeals.filed,
    },
    {
      title: t('dash.appeals.pending'),
      key: 'pending',
      render: (_: unknown, r: { appeals: AppealRow }) => r.appeals.pending,
    },
    {
      title: t('dash.appeals.upheld'),
      key: 'upheld',
      render: (_: unknown, r: { appeals: AppealRow }) => r.appeals.upheld,
    },
    {
      title: t('dash.appeals.overturned'),
      key: 'overturned',
      render: (_: unknown, r: { appeals: AppealRow }) => r.appeals.overturned,
    },
    {
      title: t('dash.appeals.overturnRate'),
      key: 'overturnRate',
      render: (_: unknown, r: { appeals: AppealRow }) => pct(r.appeals.overturnRate),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space size="large" wrap data-testid="dash-quality-totals">
        <Statistic title={t('dash.inspected')} value={total?.inspected ?? 0} />
        <Statistic title={t('dash.unscored')} value={total?.unscored ?? 0} data-testid="dash-unscored" />
        <Statistic
          title={t('dash.averageScore')}
          value={num(total?.averageScore)}
          data-testid="dash-average"
        />
        <Statistic title={t('dash.fatal')} value={total?.fatal ?? 0} />
      </Space>
      <Chart option={distribution} testId="dash-quality-chart" />
      <Table<QualityRow>
        rowKey="key"
        size="small"
        dataSource={rows}
        pagination={false}
        data-testid="dash-quality-table"
        columns={[
          {
            title: t(`dash.by.${query.by}`),
            dataIndex: 'key',
            render: (k: string) => keyLabel(query.by, k, t, tx),
          },
          { title: t('dash.inspected'), dataIndex: 'inspected' },
          { title: t('dash.unscored'), dataIndex: 'unscored' },
          { title: t('dash.averageScore'), dataIndex: 'averageScore', render: (v: number | null) => num(v) },
          { title: t('dash.fatal'), dataIndex: 'fatal' },
          ...bands.map((b) => ({
            title: t(`dash.band.${b}`),
            key: b,
            render: (_: unknown, r: QualityRow) => r.bands[b],
          })),
          ...appealColumns,
        ]}
      />
      <Typography.Title level={5}>{t('dash.appeals')}</Typography.Title>
      <Space size="large" wrap data-testid="dash-appeal-totals">
        {(['filed', 'pending', 'upheld', 'overturned'] as const).map((k) => (
          <Statistic key={k} title={t(`dash.appeals.${k}`)} value={total?.appeals[k] ?? 0} />
        ))}
        <Statistic title={t('dash.appeals.overturnRate')} value={pct(total?.appeals.overturnRate)} />
      </Space>
      {appealRows.length > 0 && <Chart option={appealChart} height={240} testId="dash-appeal-chart" />}
      <Typography.Text type="secondary">{t('dash.appeals.byRule')}</Typography.Text>
      <Table
        rowKey="rule"
        size="small"
        dataSource={(d?.appealRules ?? []).map((r) => ({ ...r, appeals: r }))}
        pagination={false}
        data-testid="dash-appeal-rules-table"
        columns={[
          { title: t('dash.rule'), dataIndex: 'rule', render: (id: string, r) => `${r.title ?? id} (${id})` },
          ...appealColumns,
        ]}
      />
      <Typography.Title level={5}>{t('dash.topRules')}</Typography.Title>
      <Chart option={trend} height={240} testId="dash-trend-chart" />
      <Table
        rowKey="rule"
        size="small"
        dataSource={d?.topRules ?? []}
        pagination={false}
        data-testid="dash-rules-table"
        columns={[
          {
            title: t('dash.rule'),
            dataIndex: 'rule',
            render: (id: string, r) => `${ruleTitle(id, r.title)} (${id})`,
          },
          { title: t('dash.failed'), dataIndex: 'failed' },
        ]}
      />
      <Typography.Title level={5}>{t('dash.fatalCalls')}</Typography.Title>
      <Table
        rowKey="callId"
        size="small"
        dataSource={d?.fatalCalls ?? []}
        pagination={{ pageSize: 10 }}
        data-testid="dash-fatal-table"
        columns={[
          {
            title: t('dash.call'),
            dataIndex: 'callId',
            render: (id: string) => <Link to={`/calls/${encodeURIComponent(id)}`}>{id}</Link>,
          },
          { title: t('dash.startedAt'), dataIndex: 'startedAt', render: (v: string, r) => fmt(v, r.brand) },
          { title: t('dash.agent'), dataIndex: 'agent' },
          { title: t('dash.team'), dataIndex: 'team' },
          {
            title: t('dash.score'),
            dataIndex: 'score',
            render: (v: number | null) => <Tag color="red">{num(v)}</Tag>,
          },
        ]}
      />
    </Space>
  );
}

function TicketsTab({ query }: { query: { from: string; to: string; brand?: string } }) {
  const { t, tx } = useI18n();
  const data = useQuery({
    queryKey: ['dashboard', 'tickets', query],
    queryFn: () => ok(api.GET('/api/dashboard/tickets', { params: { query } })),
    placeholderData: (previous) => previous,
  });
  const d = data.data;
  const levels = TicketLevel;
  const types = [...new Set((d?.backlog ?? []).map((b) => b.type))];
  const backlog = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: levels.map((l) => tx('ticket.level', l)) },
    grid: { left: 48, right: 24, top: 48, bottom: 32 },
    xAxis: { type: 'category', data: types.map((x) => tx('ticket.type', x)) },
    yAxis: { type: 'value' },
    series: levels.map((l) => ({
      name: tx('ticket.level', l),
      type: 'bar',
      stack: 'level',
      data: types.map((ty) => d?.backlog.find((b) => b.type === ty && b.level === l)?.open ?? 0),
    })),
  } as ChartOption;
  const ticketColumns = (by: 'type' | 'day') => [
    {
      title: by === 'type' ? t('ticket.type') : t('dash.by.day'),
      dataIndex: 'key',
      render: (k: string) => keyLabel(by, k, t, tx),
    },
    { title: t('dash.opened'), dataIndex: 'opened' },
    { title: t('dash.breached'), dataIndex: 'breached' },
    { title: t('dash.breachRate'), dataIndex: 'breachRate', render: (v: number | null) => pct(v) },
    { title: t('dash.replyHours'), dataIndex: 'replyHours', render: (v: number | null) => num(v) },
    { title: t('dash.closeHours'), dataIndex: 'closeHours', render: (v: number | null) => num(v) },
    { title: t('dash.visited'), dataIndex: 'visited' },
    { title: t('dash.satisfaction'), dataIndex: 'satisfaction', render: (v: number | null) => num(v, 2) },
    { title: t('dash.satisfiedRate'), dataIndex: 'satisfiedRate', render: (v: number | null) => pct(v) },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={5}>{t('dash.backlog')}</Typography.Title>
      <Chart option={backlog} height={240} testId="dash-backlog-chart" />
      <Table
        rowKey={(r) => `${r.type}/${r.level}`}
        size="small"
        dataSource={d?.backlog ?? []}
        pagination={false}
        data-testid="dash-backlog-table"
        columns={[
          { title: t('ticket.type'), dataIndex: 'type', render: (v: string) => tx('ticket.type', v) },
          { title: t('ticket.level'), dataIndex: 'level', render: (v: string) => tx('ticket.level', v) },
          { title: t('dash.open'), dataIndex: 'open' },
          { title: t('dash.overdue'), dataIndex: 'overdue' },
        ]}
      />
      <Table<TicketRow>
        rowKey="key"
        size="small"
        dataSource={[...(d?.byType ?? []), ...(d ? [d.total] : [])]}
        pagination={false}
        data-testid="dash-tickets-table"
        columns={ticketColumns('type')}
      />
      <Table<TicketRow>
        rowKey="key"
        size="small"
        dataSource={d?.byDay ?? []}
        pagination={{ pageSize: 31 }}
        columns={ticketColumns('day')}
      />
    </Space>
  );
}
