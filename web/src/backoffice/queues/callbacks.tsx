// The callback queue (回拨): open callbacks, due first (the queue itself: ticket-queue.tsx). Take
// one, call the customer (the ticket goes in progress), and mark it done (resolved, then closed).
import { PhoneOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { App, Space, Tag } from 'antd';
import { api, ok } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useFormatTime } from '../../lib/brands';
import { GatedButton, useDenial } from '../common';
import type { Ticket } from '../tickets/list';
import { TicketQueue, useQueueRefresh } from './ticket-queue';

export function CallbacksPage() {
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  const deny = useDenial();
  const { message } = App.useApp();
  const refresh = useQueueRefresh('callbacks');
  const step = useMutation({
    meta: { quiet: true },
    mutationFn: async ({ ticket, what }: { ticket: Ticket; what: 'call' | 'done' }) => {
      const params = { path: { id: ticket.id } };
      if (what === 'call')
        return ok(api.POST('/api/tickets/{id}/start', { params, body: { version: ticket.version } }));
      const resolved =
        ticket.status === 'resolved'
          ? ticket
          : await ok(api.POST('/api/tickets/{id}/resolve', { params, body: { version: ticket.version } }));
      return ok(api.POST('/api/tickets/{id}/close', { params, body: { version: resolved.version } }));
    },
    onSuccess: refresh,
    onError: (error) => {
      refresh();
      message.error(error.message);
    },
  });

  const reasonOf = (tk: Ticket) => (tk.details.type === 'callback' ? tk.details.reason : null);
  const dueOf = (tk: Ticket) =>
    (tk.details.type === 'callback' ? tk.details.dueAt : null) ?? tk.nextDeadline?.dueAt ?? null;

  return (
    <TicketQueue
      name="callbacks"
      row="callback"
      title="callbacks.title"
      empty="callbacks.empty"
      defaultTaken="false"
      list={(query) => ok(api.GET('/api/callbacks', { params: { query } }))}
      take={(ticket) =>
        ok(
          api.POST('/api/callbacks/{id}/take', {
            params: { path: { id: ticket.id } },
            body: { version: ticket.version },
          }),
        )
      }
      takePath="/api/callbacks/{id}/take"
      tookIt="callbacks.tookIt"
      columns={[
        {
          title: t('callbacks.reason'),
          render: (_, r) => {
            const reason = reasonOf(r);
            return reason ? tx('callbacks.reason', reason) : '—';
          },
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
      ]}
      actions={(r, { mine, other }) => {
        const workReason =
          deny('post', '/api/tickets/{id}/start') ??
          (mine ? null : other ? t('callbacks.notYours') : t('callbacks.takeFirst'));
        const notNow = t('ticket.notNow', { status: tx('ticket.status', r.status) });
        return (
          <>
            <GatedButton
              size="small"
              icon={<PhoneOutlined />}
              reason={
                workReason ?? (r.status === 'accepted' || r.status === 'waiting-for-customer' ? null : notNow)
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
                (r.status === 'in-progress' || r.status === 'resolved' || r.status === 'waiting-for-customer'
                  ? null
                  : notNow)
              }
              onClick={() => step.mutate({ ticket: r, what: 'done' })}
              data-testid="callback-done"
            >
              {t('callbacks.done')}
            </GatedButton>
          </>
        );
      }}
    />
  );
}
