// A queue of tickets to take (回拨 callbacks, 回访 follow-up visits): one screen for both. The
// brand and "taken" filters, the list due first (refreshed every 30 s), the columns every queue
// has (subject with its short number, the customer as a tel: link for the softphone, brand, who
// took it) around the queue's own, and the take button (409 when someone was faster: the queue
// reloads). Each queue adds its columns, its row actions and its dialogs.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Card, Segmented, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import type { ACCESS } from '../../api/access.gen';
import { useMe } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh';
import { useBrands } from '../../lib/brands';
import { formatPhone } from '../../lib/phone';
import { GatedButton, useDenial } from '../common';
import type { Ticket } from '../tickets/list';

type Taken = 'all' | 'false' | 'true';

/** What a queue's GET answers (the API's page of tickets). */
interface QueuePage {
  items: Ticket[];
}

/** Reloads a queue and the ticket lists after a change made from it. */
export function useQueueRefresh(key: string): () => void {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: [key] });
    void client.invalidateQueries({ queryKey: ['tickets'] });
  };
}

/** Whose a row is: mine, someone else's (other), or nobody's (neither). */
export interface Ownership {
  mine: boolean;
  other: boolean;
}

export function TicketQueue({
  name,
  row,
  title,
  empty,
  defaultTaken,
  list,
  take,
  takePath,
  tookIt,
  columns,
  actions,
  children,
}: {
  /** The query key and test ids: `${name}-page`, `${name}-taken`. */
  name: string;
  /** The row's test ids: `${row}-take`. */
  row: string;
  title: MessageKey;
  empty: MessageKey;
  defaultTaken: Taken;
  list: (query: { taken?: 'true' | 'false'; brand?: string; limit: number }) => Promise<QueuePage>;
  take: (ticket: Ticket) => Promise<Ticket>;
  /** The take route, for the role's permission. */
  takePath: keyof typeof ACCESS;
  tookIt: MessageKey;
  /** The queue's own columns, between the brand and who took it. */
  columns: ColumnsType<Ticket>;
  /** The row's actions after "take". */
  actions: (ticket: Ticket, who: Ownership) => ReactNode;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const me = useMe().data;
  const deny = useDenial();
  const { message } = App.useApp();
  const brands = useBrands().data ?? [];
  const [taken, setTaken] = useState<Taken>(defaultTaken);
  const [brand, setBrand] = useState<string | undefined>();
  const refresh = useQueueRefresh(name);
  const queue = useQuery({
    queryKey: [name, taken, brand],
    queryFn: () => list({ ...(taken !== 'all' ? { taken } : {}), ...(brand ? { brand } : {}), limit: 100 }),
    refetchInterval: 30_000,
  });
  const taking = useMutation({
    meta: { quiet: true },
    mutationFn: take,
    onSuccess: (tk) => {
      refresh();
      // The number to call back on: the one the customer gave, else theirs.
      message.success(t(tookIt, { phone: formatPhone(tk.contactPhone ?? tk.customerPhone) }));
    },
    onError: (error) => {
      refresh();
      message.error(error.message);
    },
  });
  const ownership = (r: Ticket): Ownership => {
    const mine = r.assignee !== null && r.assignee === me?.id;
    return { mine, other: r.assignee !== null && !mine };
  };

  return (
    <Card
      title={t(title)}
      data-testid={`${name}-page`}
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
            data-testid={`${name}-taken`}
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
        locale={{ emptyText: t(empty) }}
        pagination={false}
        onRow={(r) => ({ 'data-subject': r.subject }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('ticket.subject'),
            dataIndex: 'subject',
            render: (s: string, r) => (
              <Space direction="vertical" size={0}>
                <Link to={`/tickets/${r.id}`}>{s}</Link>
                {r.number && (
                  <Typography.Text type="secondary" data-testid="ticket-number">
                    {r.number}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('ticket.contact'),
            key: 'contactPhone',
            // The number to call back on (the one the customer gave, else theirs); tel: hands it
            // to the softphone, where one is installed.
            render: (_: unknown, r: Ticket) => {
              const v = r.contactPhone ?? r.customerPhone;
              return v ? (
                <a href={`tel:${v}`} data-testid="queue-contact">
                  {formatPhone(v)}
                </a>
              ) : (
                '—'
              );
            },
          },
          {
            title: t('common.brand'),
            dataIndex: 'brand',
            render: (v: string) => brands.find((b) => b.brand === v)?.name ?? v,
          },
          ...columns,
          {
            title: t('callbacks.takenBy'),
            dataIndex: 'assigneeName',
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('common.actions'),
            render: (_, r) => {
              const who = ownership(r);
              const takeReason =
                deny('post', takePath) ??
                (who.other
                  ? t('callbacks.takenByOther', { name: r.assigneeName ?? r.assignee ?? '' })
                  : null);
              return (
                <Space size={4}>
                  {!who.mine && (
                    <GatedButton
                      size="small"
                      type="primary"
                      reason={takeReason}
                      loading={taking.isPending && taking.variables?.id === r.id}
                      onClick={() => taking.mutate(r)}
                      data-testid={`${row}-take`}
                    >
                      {t('callbacks.take')}
                    </GatedButton>
                  )}
                  {actions(r, who)}
                </Space>
              );
            },
          },
        ]}
      />
      {children}
    </Card>
  );
}
