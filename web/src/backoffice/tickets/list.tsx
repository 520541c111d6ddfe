// The ticket list: the short number a caller reads out (ZH-20261129-0042), words to search (the
// subject, what was written on it, the customer's name or part of their number), filters (type, status,
// level, brand, breached — a deadline missed, met late included, of any or one kind —, overdue
// now, assigned to me), newest first, 20 a page; a row opens the ticket.
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { DeadlineKind, TicketLevel, TicketStatus, TicketType } from '../../api/enums.gen';
import type { components } from '../../api/schema';
import { useI18n } from '../../i18n/i18n';
import { useBrands, useFormatTime } from '../../lib/brands';

export type Ticket = components['schemas']['Ticket'];
const PAGE = 20;

export function TicketListPage() {
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  const brands = useBrands().data ?? [];
  // The filters live in the URL: a filtered list can be bookmarked, and Back returns to it.
  const [params, setParams] = useSearchParams();
  const [page, setPage] = useState(1);
  const filter = {
    number: params.get('number') ?? undefined,
    q: params.get('q') ?? undefined,
    type: params.get('type') ?? undefined,
    status: params.get('status') ?? undefined,
    level: params.get('level') ?? undefined,
    brand: params.get('brand') ?? undefined,
    // `true`: a bookmark from when the filter was a switch.
    breached: params.get('breached') === 'true' ? 'any' : (params.get('breached') ?? undefined),
    overdue: params.get('overdue') === 'true',
    mine: params.get('mine') === 'true',
  };
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === '' || value === 'false') next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
    setPage(1);
  };
  const list = useQuery({
    queryKey: ['tickets', filter, page],
    queryFn: () =>
      ok(
        api.GET('/api/tickets', {
          params: {
            query: {
              ...(filter.number ? { number: filter.number } : {}),
              ...(filter.q ? { q: filter.q } : {}),
              ...(filter.type ? { type: filter.type } : {}),
              ...(filter.status ? { status: filter.status } : {}),
              ...(filter.level ? { level: filter.level } : {}),
              ...(filter.brand ? { brand: filter.brand } : {}),
              ...(filter.breached ? { breached: filter.breached } : {}),
              ...(filter.overdue ? { overdue: 'true' as const } : {}),
              ...(filter.mine ? { assignee: 'me' } : {}),
              limit: PAGE,
              offset: (page - 1) * PAGE,
            },
          },
        }),
      ),
    placeholderData: (previous) => previous,
    refetchInterval: 60_000,
  });
  const options = <T extends string>(values: readonly T[], prefix: string) => [
    ...values.map((v) => ({ value: v, label: tx(prefix, v) })),
  ];
  return (
    <Card title={t('ticket.list.title')} data-testid="ticket-list">
      <Space wrap style={{ marginBottom: 12 }} data-testid="ticket-filters">
        {/* A caller who gives their ticket number: found at once, whatever the other filters. */}
        <Input.Search
          allowClear
          key={filter.number ?? ''}
          defaultValue={filter.number}
          placeholder={t('ticket.filter.number')}
          style={{ width: 220 }}
          onSearch={(v) => set('number', v.trim())}
          data-testid="filter-number"
          aria-label={t('ticket.filter.number')}
        />
        {/* What a caller said, a name, part of a number: combined with the filters beside it. */}
        <Input.Search
          allowClear
          key={`q:${filter.q ?? ''}`}
          defaultValue={filter.q}
          placeholder={t('ticket.filter.search')}
          style={{ width: 280 }}
          onSearch={(v) => set('q', v.trim())}
          data-testid="filter-search"
          aria-label={t('ticket.filter.search')}
        />
        <Select
          allowClear
          placeholder={t('ticket.type')}
          style={{ width: 130 }}
          value={filter.type}
          onChange={(v) => set('type', v)}
          options={options(TicketType, 'ticket.type')}
          data-testid="filter-type"
          aria-label={t('ticket.type')}
        />
        <Select
          allowClear
          placeholder={t('ticket.status')}
          style={{ width: 130 }}
          value={filter.status}
          onChange={(v) => set('status', v)}
          options={options(TicketStatus, 'ticket.status')}
          data-testid="filter-status"
          aria-label={t('ticket.status')}
        />
        <Select
          allowClear
          placeholder={t('ticket.level')}
          style={{ width: 130 }}
          value={filter.level}
          onChange={(v) => set('level', v)}
          options={options(TicketLevel, 'ticket.level')}
          data-testid="filter-level"
          aria-label={t('ticket.level')}
        />
        <Select
          allowClear
          placeholder={t('common.brand')}
          style={{ width: 140 }}
          value={filter.brand}
          onChange={(v) => set('brand', v)}
          options={brands.map((b) => ({ value: b.brand, label: b.name }))}
          data-testid="filter-brand"
          aria-label={t('common.brand')}
        />
        <Select
          allowClear
          placeholder={t('ticket.filter.breached')}
          style={{ width: 150 }}
          value={filter.breached}
          onChange={(v) => set('breached', v)}
          options={[
            { value: 'any', label: t('ticket.filter.breached.any') },
            ...DeadlineKind.map((k) => ({ value: k, label: tx('ticket.filter.breached', k) })),
          ]}
          data-testid="filter-breached"
          aria-label={t('ticket.filter.breached')}
        />
        <Space size={4}>
          <Switch
            size="small"
            checked={filter.overdue}
            onChange={(v) => set('overdue', String(v))}
            data-testid="filter-overdue"
            aria-label={t('ticket.filter.overdue')}
          />
          {t('ticket.filter.overdue')}
        </Space>
        <Space size={4}>
          <Switch
            size="small"
            checked={filter.mine}
            onChange={(v) => set('mine', String(v))}
            data-testid="filter-mine"
            aria-label={t('ticket.filter.mine')}
          />
          {t('ticket.filter.mine')}
        </Space>
      </Space>
      {list.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={String(list.error.message)}
          data-testid="ticket-list-error"
        />
      )}
      <Table<Ticket>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('ticket.empty') }}
        scroll={{ x: 1000 }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (n) => t('ticket.total', { n }),
        }}
        columns={[
          {
            title: t('ticket.subject'),
            dataIndex: 'subject',
            ellipsis: true,
            // The short number under the subject: what the agent reads out to the caller.
            render: (subject: string, r) => (
              <>
                <Link to={`/tickets/${r.id}`}>{subject}</Link>
                {r.number && (
                  <div>
                    <Typography.Text type="secondary" data-testid="ticket-number">
                      {r.number}
                    </Typography.Text>
                  </div>
                )}
              </>
            ),
          },
          {
            title: t('ticket.type'),
            dataIndex: 'type',
            width: 100,
            render: (v: string) => tx('ticket.type', v),
          },
          {
            title: t('ticket.status'),
            dataIndex: 'status',
            width: 90,
            render: (v: string) => tx('ticket.status', v),
          },
          {
            title: t('ticket.level'),
            dataIndex: 'level',
            width: 100,
            render: (v: string) => tx('ticket.level', v),
          },
          {
            title: t('ticket.priority'),
            dataIndex: 'priority',
            width: 80,
            render: (v: string) => (
              <Tag color={v === 'urgent' ? 'red' : undefined}>{tx('ticket.priority', v)}</Tag>
            ),
          },
          {
            title: t('common.brand'),
            dataIndex: 'brand',
            width: 100,
            render: (v: string) => brands.find((b) => b.brand === v)?.name ?? v,
          },
          {
            title: t('ticket.assignee'),
            dataIndex: 'assigneeName',
            width: 90,
            render: (v: string | null) =>
              v ?? <Typography.Text type="secondary">{t('ticket.unassigned')}</Typography.Text>,
          },
          {
            title: t('ticket.nextDue'),
            width: 215,
            render: (_, r) => (
              <Space size={4} style={{ whiteSpace: 'nowrap' }}>
                {fmt(r.nextDeadline?.dueAt, r.brand)}
                {r.overdue && <Tag color="red">{t('ticket.overdue')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('common.createdAt'),
            dataIndex: 'createdAt',
            width: 150,
            render: (v: string, r) => <span style={{ whiteSpace: 'nowrap' }}>{fmt(v, r.brand)}</span>,
          },
        ]}
      />
    </Card>
  );
}
