// Calls: search (number or last digits, agent, brand, days, a failed rule, words said,
// answered); a call shows its transcript with the QA findings on the turns they are about
// (the evidence marked, the correct script line beside it).
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  List,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, ok } from '../../api/client';
import type { components } from '../../api/schema';
import { useI18n } from '../../i18n/i18n';
import { useBrands, useFormatTime } from '../../lib/brands';
import { useEvidenceText } from '../../lib/notes';
import { formatPhone, phoneDigits } from '../../lib/phone';
import { useRuleTitle } from '../../lib/rules';
import { LoadFailed } from '../common';

type CallSummary = components['schemas']['CallSummary'];
type Finding = NonNullable<components['schemas']['Call']['qa']>['result']['findings'][number];
interface Filters {
  phone?: string;
  agent?: string;
  brand?: string;
  days?: [Dayjs, Dayjs] | null;
  rule?: string;
  q?: string;
  answered?: 'true' | 'false';
}

export function CallsPage() {
  const { t, tx } = useI18n();
  const ruleTitle = useRuleTitle();
  const fmt = useFormatTime();
  const brands = useBrands().data ?? [];
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const query = {
    ...(filters.phone ? { phone: phoneDigits(filters.phone) ?? filters.phone } : {}),
    ...(filters.agent ? { agent: filters.agent } : {}),
    ...(filters.brand ? { brand: filters.brand } : {}),
    ...(filters.days
      ? { from: filters.days[0].format('YYYY-MM-DD'), to: filters.days[1].format('YYYY-MM-DD') }
      : {}),
    ...(filters.rule ? { rule: filters.rule } : {}),
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.answered ? { answered: filters.answered } : {}),
  };
  const calls = useQuery({
    queryKey: ['calls', query, page],
    queryFn: () =>
      ok(api.GET('/api/calls', { params: { query: { ...query, limit: 20, offset: (page - 1) * 20 } } })),
    placeholderData: (p) => p,
  });
  return (
    <Card title={t('calls.title')} data-testid="calls-page">
      <Form<Filters>
        layout="inline"
        onFinish={(v) => {
          setFilters(v);
          setPage(1);
        }}
        style={{ marginBottom: 12, rowGap: 8 }}
        data-testid="call-search"
      >
        <Form.Item name="phone">
          <Input allowClear placeholder={t('calls.phone')} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="agent">
          <Input allowClear placeholder={t('calls.agent')} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="brand">
          <Select
            allowClear
            placeholder={t('common.brand')}
            aria-label={t('common.brand')}
            style={{ width: 120 }}
            options={brands.map((b) => ({ value: b.brand, label: b.name }))}
          />
        </Form.Item>
        <Form.Item name="days">
          <DatePicker.RangePicker style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="rule">
          <Input allowClear placeholder={t('calls.rule')} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="q">
          <Input allowClear placeholder={t('calls.words')} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="answered">
          <Select
            allowClear
            placeholder={t('calls.answered')}
            aria-label={t('calls.answered')}
            // Wide enough for "Answered" (the English placeholder was cut to "Ans…").
            style={{ width: 120 }}
            options={[
              { value: 'true', label: t('common.yes') },
              { value: 'false', label: t('common.no') },
            ]}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" data-testid="call-search-submit">
            {t('common.search')}
          </Button>
        </Form.Item>
      </Form>
      <Table<CallSummary>
        rowKey="id"
        size="small"
        loading={calls.isFetching}
        dataSource={calls.data?.items ?? []}
        locale={{ emptyText: t('calls.empty') }}
        pagination={{
          current: page,
          pageSize: 20,
          total: calls.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        onRow={(c) => ({ 'data-call': c.id }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('calls.startedAt'),
            dataIndex: 'startedAt',
            width: 150,
            render: (v: string, c) => (
              <Link to={`/calls/${c.id}`} style={{ whiteSpace: 'nowrap' }}>
                {fmt(v, c.brand)}
              </Link>
            ),
          },
          {
            title: t('common.brand'),
            dataIndex: 'brand',
            render: (v: string) => brands.find((b) => b.brand === v)?.name ?? v,
          },
          { title: t('role.agent'), render: (_, c) => c.agent.name ?? '—' },
          {
            title: t('calls.customer'),
            dataIndex: 'customerPhone',
            width: 130,
            render: (v: string | null) => formatPhone(v),
          },
          {
            title: t('calls.subject'),
            dataIndex: 'subject',
            ellipsis: true,
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('calls.answered'),
            dataIndex: 'answered',
            // "Answered" on one line (it wrapped to "Answer / ed" in English).
            width: 96,
            render: (v: boolean | null) => (v === null ? '—' : v ? t('common.yes') : t('common.no')),
          },
          {
            title: t('calls.score'),
            width: 90,
            // A call on which no rule applied (a missed call) has no score: its 100 is only the
            // scorecard's total, which the dashboards leave out too.
            render: (_, c) =>
              c.qa?.scored ? (
                <Space size={4} data-testid="call-row-score">
                  {c.qa.score}
                  {c.qa.fatal && <Tag color="red">{t('calls.fatal')}</Tag>}
                </Space>
              ) : c.qa ? (
                <span title={t('calls.unscored')} data-testid="call-row-score" data-unscored="true">
                  —
                </span>
              ) : (
                '—'
              ),
          },
          {
            title: t('calls.failedRules'),
            width: 300,
            // The rules' titles, wrapped inside the column (their ids are long: the id on hover).
            render: (_, c) => (
              <Space size={[4, 4]} wrap>
                {(c.qa?.failedRules ?? []).map((r) => (
                  <Tag key={r} title={r} style={{ marginInlineEnd: 0 }}>
                    {ruleTitle(r)}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** A turn's text with the findings' evidence marked (offsets into the original text). */
function Marked({ text, findings }: { text: string; findings: Finding[] }) {
  const spans = findings
    .filter((f) => f.start !== null && f.end !== null)
    .map((f) => ({ start: f.start as number, end: f.end as number }))
    .sort((a, b) => a.start - b.start);
  const out: React.ReactNode[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out.push(text.slice(at, s.start));
    out.push(
      <mark key={s.start} data-testid="finding-evidence">
        {text.slice(s.start, s.end)}
      </mark>,
    );
    at = s.end;
  }
  out.push(text.slice(at));
  return <>{out}</>;
}

export function CallDetailPage() {
  const ruleTitle = useRuleTitle();
  const evidenceText = useEvidenceText();
  const { id = '' } = useParams();
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  const call = useQuery({
    queryKey: ['call', id],
    queryFn: () => ok(api.GET('/api/calls/{id}', { params: { path: { id } } })),
  });
  if (call.isPending) return <Spin />;
  if (!call.data)
    return <LoadFailed error={call.error} notFound={t('calls.notFound')} retry={() => void call.refetch()} />;
  const c = call.data;
  const findings = c.qa?.result.findings ?? [];
  return (
    <Row gutter={12} data-testid="call-detail">
      <Col span={15}>
        <Card
          size="small"
          title={`${t('calls.detail')} · ${fmt(c.startedAt, c.brand)} · ${c.agent.name ?? '—'} · ${formatPhone(c.customerPhone)}`}
          // The id a calibration session, a ticket or the API asks for: shown, and copied in one click.
          extra={
            <Typography.Text type="secondary" copyable={{ text: c.id }} data-testid="call-id">
              {t('calls.id')} {c.id}
            </Typography.Text>
          }
        >
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('calls.transcript')}
          </Typography.Title>
          {c.turns.length === 0 && <Empty description={t('calls.noTranscript')} />}
          {c.turns.map((turn, i) => {
            const own = findings.filter((f) => f.turn === i);
            return (
              <div
                // biome-ignore lint/suspicious/noArrayIndexKey: turns are fixed and numbered by position
                key={i}
                data-testid="transcript-turn"
                data-speaker={turn.speaker}
                style={{
                  padding: '4px 8px',
                  background: own.length > 0 ? '#fff7e6' : undefined,
                  borderRadius: 4,
                }}
              >
                <Typography.Text
                  type={turn.speaker === 'agent' ? undefined : 'secondary'}
                  strong={turn.speaker === 'agent'}
                >
                  {tx('calls.speaker', turn.speaker)}
                  {t('common.colon')}
                </Typography.Text>
                <Marked text={turn.text} findings={own} />
              </div>
            );
          })}
        </Card>
      </Col>
      <Col span={9}>
        <Card
          size="small"
          title={
            <Space>
              {t('calls.findings')}
              {c.qa &&
                (c.qa.result.rules.some((r) => r.outcome !== 'n/a') ? (
                  <Tag color={c.qa.fatal ? 'red' : 'blue'} data-testid="call-score" data-score={c.qa.score}>
                    {t('calls.score')} {c.qa.score}
                  </Tag>
                ) : (
                  <Tag data-testid="call-score" data-unscored="true">
                    {t('calls.unscored')}
                  </Tag>
                ))}
              {/* Which stored scorecard version judged the call (none: the shipped file). */}
              {c.qa && c.qa.scorecardVersion !== null && (
                <Tag data-testid="call-scorecard-version" data-version={c.qa.scorecardVersion}>
                  {t('calls.scorecardVersion', { version: c.qa.scorecardVersion })}
                </Tag>
              )}
            </Space>
          }
        >
          {findings.length === 0 ? (
            <Empty description={t('calls.noFindings')} />
          ) : (
            <List
              size="small"
              dataSource={findings}
              renderItem={(f) => (
                <List.Item>
                  <Space direction="vertical" size={0} data-testid="finding" data-rule={f.rule}>
                    <Typography.Text strong title={f.rule} data-testid="finding-title">
                      {ruleTitle(f.rule)}
                    </Typography.Text>
                    <Typography.Text type="secondary">
                      {f.turn === null ? t('calls.wholeCall') : `#${f.turn + 1}`} · {evidenceText(f.evidence)}
                    </Typography.Text>
                    {f.suggestion && (
                      <Typography.Text type="success">
                        {t('calls.suggestion', { text: f.suggestion })}
                      </Typography.Text>
                    )}
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
      </Col>
    </Row>
  );
}
