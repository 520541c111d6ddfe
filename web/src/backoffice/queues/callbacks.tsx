// The callback queue (回拨): open callbacks, due first. Take one (409 when someone was faster:
// the queue reloads), call the customer (the ticket goes in progress; the number is a tel:
// link for the softphone), and mark it done (resolved, then closed).
import { PhoneOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Card, Segmented, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api, ok } from '../../api/client';
import { useMe } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import { useBrands, useFormatTime } from '../../lib/brands';
import { formatPhone } from '../../lib/phone';
import { GatedButton, useDenial } from '../common';
import type { Ticket } from '../tickets/list';

type Taken = 'all' | 'false' | 'true';

export function CallbacksPage() {
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  const me = useMe().data;
  const deny = useDenial();
  const client = useQueryClient();
  const { message } = App.useApp();
  const brands = useBrands().data ?? [];
  const [taken, setTaken] = useState<Taken>('false');
  const [brand, setBrand] = useState<string | undefined>();
  const queue = useQuery({
    queryKey: ['callbacks', taken, brand],
    queryFn: () =>
      ok(
        api.GET('/api/callbacks', {
          params: {
            query: { ...(taken !== 'all' ? { taken } : {}), ...(brand ? { brand } : {}), limit: 100 },
          },
        }),
      ),
    refetchInterval: 30_000,
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['callbacks'] });
    void client.invalidateQueries({ queryKey: ['tickets'] });
  };
  const step = useMutation({
    meta: { quiet: true },
    mutationFn: async ({ ticket, what }: { ticket: Ticket; what: 'take' | 'call' | 'done' }) => {
      const params = { path: { id: ticket.id } };
      if (what === 'take')
        return ok(api.POST('/api/callbacks/{id}/take', { params, body: { version: ticket.version } }));
      if (what === 'call')
        return ok(api.POST('/api/tickets/{id}/start', { params, body: { version: ticket.version } }));
      const resolved =
        ticket.status === 'resolved'
          ? ticket
          : await ok(api.POST('/api/tickets/{id}/resolve', { params, body: { version: ticket.version } }));
      return ok(api.POST('/api/tickets/{id}/close', { params, body: { version: resolved.version } }));
    },
    onSuccess: (tk, { what }) => {
      refresh();
      if (what === 'take') message.success(t('callbacks.tookIt', { phone: formatPhone(tk.customerPhone) }));
    },
    onError: (error) => {
      refresh();
      message.error(error instanceof ApiError && error.code === 'conflict' ? error.message : error.message);
    },
  });

  const reasonOf = (tk: Ticket) => (tk.details.type === 'callback' ? tk.details.reason : null);
  const dueOf = (tk: Ticket) =>
    (tk.details.type === 'callback' ? tk.details.dueAt : null) ?? tk.nextDeadline?.dueAt ?? null;

  return (
    <Card
      title={t('callbacks.title')}
      data-testid="callbacks-page"
      extra={
        <Space>
          <Select
            allowClear
            placeholder={t('common.brand')}
            aria-label={t('common.brand')}
            style={{ width: 140 }}
            value={brand}
            onChange={setBrand}
            options={brands.map((b) => ({ value: b.brand, label: b.name }))}
          />
          <Segmented<Taken>
            value={taken}
            onChange={setTaken}
            data-testid="callbacks-taken"
            options={[
              { value: 'false', label: t('callbacks.untaken') },
              { value: 'true', label: t('callbacks.taken') },
              { value: 'all', label: t('common.all') },
            ]}
          />
        </Space>
      }
    >
      <Table<Ticket>
        rowKey="id"
        size="small"
        loading={queue.isFetching}
        dataSource={queue.data?.items ?? []}
        locale={{ emptyText: t('callbacks.empty') }}
        pagination={false}
        onRow={(r) => ({ 'data-subject': r.subject }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('ticket.subject'),
            dataIndex: 'subject',
            render: (s: string, r) => <Link to={`/tickets/${r.id}`}>{s}</Link>,
          },
          {
            title: t('ticket.customer'),
            dataIndex: 'customerPhone',
            // tel: hands the number to the softphone, where one is installed.
            render: (v: string | null) => (v ? <a href={`tel:${v}`}>{formatPhone(v)}</a> : '—'),
          },
          {
            title: t('callbacks.reason'),
            render: (_, r) => {
              const reason = reasonOf(r);
              return reason ? tx('callbacks.reason', reason) : '—';
            },
          },
          {
            title: t('common.brand'),
            dataIndex: 'brand',
            render: (v: string) => brands.find((b) => b.brand === v)?.name ?? v,
          },
          {
            title: t('callbacks.due'),
            render: (_, r) => (
              <Space size={4}>
                {fmt(dueOf(r), r.brand)}
                {r.overdue && <Tag color="red">{t('ticket.overdue')}</Tag>}
              </Space>
            ),
          },
          { title: t('ticket.status'), dataIndex: 'status', render: (s: string) => tx('ticket.status', s) },
          {
            title: t('callbacks.takenBy'),
            dataIndex: 'assigneeName',
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('common.actions'),
            render: (_, r) => {
              const mine = r.assignee !== null && r.assignee === me?.id;
              const other = r.assignee !== null && !mine;
              const busy = step.isPending && step.variables?.ticket.id === r.id;
              const takeReason =
                deny('post', '/api/callbacks/{id}/take') ??
                (other ? t('callbacks.takenByOther', { name: r.assigneeName ?? r.assignee ?? '' }) : null);
              const workReason =
                deny('post', '/api/tickets/{id}/start') ??
                (mine ? null : other ? t('callbacks.notYours') : t('callbacks.takeFirst'));
              return (
                <Space size={4}>
                  {!mine && (
                    <GatedButton
                      size="small"
                      type="primary"
                      reason={takeReason}
                      loading={busy}
                      onClick={() => step.mutate({ ticket: r, what: 'take' })}
                      data-testid="callback-take"
                    >
                      {t('callbacks.take')}
                    </GatedButton>
                  )}
                  <GatedButton
                    size="small"
                    icon={<PhoneOutlined />}
                    reason={
                      workReason ??
                      (r.status === 'accepted' || r.status === 'waiting-for-customer'
                        ? null
                        : t('ticket.notNow', { status: tx('ticket.status', r.status) }))
                    }
                    onClick={() => step.mutate({ ticket: r, what: 'call' })}
                    data-testid="callback-call"
                  >
                    {t('callbacks.call')}
                  </GatedButton>
                  <GatedButton
                    size="small"
                    reason={
                      workReason ??
                      (r.status === 'in-progress' ||
                      r.status === 'resolved' ||
                      r.status === 'waiting-for-customer'
                        ? null
                        : t('ticket.notNow', { status: tx('ticket.status', r.status) }))
                    }
                    onClick={() => step.mutate({ ticket: r, what: 'done' })}
                    data-testid="callback-done"
                  >
                    {t('callbacks.done')}
                  </GatedButton>
                </Space>
              );
            },
          },
        ]}
      />
    </Card>
  );
}
