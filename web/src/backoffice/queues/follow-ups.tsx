// The follow-up queue (回访): resolved complaints waiting for their follow-up visit, due first
// (the queue itself: ticket-queue.tsx). Take one, call the customer, and record the visit: not
// reached (an attempt, it stays in the queue), or reached with the customer's satisfaction. A
// dissatisfied customer (at or below the brand's threshold) reopens the complaint at the
// complaint desk: the server says so, and the row goes. A visit refused as stale (409: the ticket
// changed since the row was shown) keeps the dialog and what was typed; reloaded, it is sent with
// the ticket's new version, unless the reloaded ticket no longer waits for this visit.
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Radio, Rate, Space, Tag } from 'antd';
import { useState } from 'react';
import { ApiError, api, ok } from '../../api/client';
import { useMe } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import { useFormatTime } from '../../lib/brands';
import { GatedButton, useDenial } from '../common';
import type { Ticket } from '../tickets/list';
import { TicketQueue, useQueueRefresh } from './ticket-queue';

interface VisitForm {
  reached: boolean;
  satisfaction?: number;
  comment?: string;
}

export function FollowUpsPage() {
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  const deny = useDenial();
  const { message } = App.useApp();
  const refresh = useQueueRefresh('follow-ups');
  const me = useMe().data;
  const [recording, setRecording] = useState<Ticket | null>(null);
  const [stale, setStale] = useState(false);
  const [form] = Form.useForm<VisitForm>();
  const reached = Form.useWatch('reached', form) ?? true;
  const record = useMutation({
    meta: { quiet: true },
    mutationFn: ({ ticket, visit }: { ticket: Ticket; visit: VisitForm }) =>
      ok(
        api.POST('/api/tickets/{id}/follow-up', {
          params: { path: { id: ticket.id } },
          body: {
            version: ticket.version,
            reached: visit.reached,
            ...(visit.reached ? { satisfaction: visit.satisfaction ?? 0 } : {}),
            comment: visit.comment ?? '',
          },
        }),
      ),
    onSuccess: (tk) => {
      refresh();
      setRecording(null);
      form.resetFields();
      const last = tk.followUps.at(-1);
      if (!last?.reached) message.info(t('followUps.attemptRecorded', { n: tk.followUpAttempts }));
      else if (tk.status === 'in-progress') message.warning(t('followUps.reopened'));
      else message.success(t('followUps.done'));
    },
    onError: (error) => {
      refresh();
      if (error instanceof ApiError && error.code === 'conflict') setStale(true);
      else message.error(error.message);
    },
  });
  /** The ticket as it is now: the dialog will send its version. */
  const reload = useMutation({
    meta: { quiet: true },
    mutationFn: (id: string) => ok(api.GET('/api/tickets/{id}', { params: { path: { id } } })),
    onSuccess: (fresh) => {
      setRecording(fresh);
      setStale(false);
    },
    onError: (error) => message.error(error.message),
  });
  /** Why the reloaded ticket takes no visit from this user now (someone else's, visited already). */
  const gone = (tk: Ticket): string | null =>
    tk.assignee !== null && tk.assignee !== me?.id
      ? t('callbacks.takenByOther', { name: tk.assigneeName ?? tk.assignee })
      : tk.status !== 'resolved'
        ? t('ticket.notNow', { status: tx('ticket.status', tk.status) })
        : null;
  const refusal = recording && !stale ? gone(recording) : null;

  const followUpDue = (tk: Ticket) =>
    tk.deadlines.find((d) => d.kind === 'follow-up' && !d.metAt) ?? tk.nextDeadline;

  return (
    <TicketQueue
      name="follow-ups"
      row="follow-up"
      title="followUps.title"
      empty="followUps.empty"
      defaultTaken="all"
      list={(query) => ok(api.GET('/api/follow-ups', { params: { query } }))}
      take={(ticket) =>
        ok(
          api.POST('/api/follow-ups/{id}/take', {
            params: { path: { id: ticket.id } },
            body: { version: ticket.version },
          }),
        )
      }
      takePath="/api/follow-ups/{id}/take"
      tookIt="followUps.tookIt"
      columns={[
        {
          title: t('followUps.due'),
          render: (_, r) => {
            const d = followUpDue(r);
            return (
              <Space size={4} data-testid="follow-up-due">
                {d ? fmt(d.dueAt, r.brand) : '—'}
                {d?.state === 'overdue' && <Tag color="red">{t('ticket.overdue')}</Tag>}
              </Space>
            );
          },
        },
        {
          title: t('followUps.attempts'),
          dataIndex: 'followUpAttempts',
          render: (n: number) => <span data-testid="follow-up-attempts">{n}</span>,
        },
        { title: t('ticket.level'), dataIndex: 'level', render: (v: string) => tx('ticket.level', v) },
      ]}
      actions={(r, { mine, other }) => (
        <GatedButton
          size="small"
          reason={
            deny('post', '/api/tickets/{id}/follow-up') ??
            (other ? t('callbacks.notYours') : mine ? null : t('callbacks.takeFirst'))
          }
          onClick={() => {
            form.setFieldsValue({ reached: true, satisfaction: undefined, comment: '' });
            setStale(false);
            setRecording(r);
          }}
          data-testid="follow-up-record"
        >
          {t('followUps.record')}
        </GatedButton>
      )}
    >
      <Modal
        open={recording !== null}
        title={t('followUps.recordTitle', { subject: recording?.subject ?? '' })}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={record.isPending}
        onCancel={() => setRecording(null)}
        onOk={() => form.submit()}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'follow-up-save', disabled: stale || refusal !== null } as never}
      >
        {stale && recording && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('ticket.conflict.title')}
            description={t('ticket.conflict.dialog')}
            data-testid="dialog-conflict"
            action={
              <Button
                data-testid="dialog-reload"
                loading={reload.isPending}
                onClick={() => reload.mutate(recording.id)}
              >
                {t('common.reload')}
              </Button>
            }
          />
        )}
        {refusal && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={refusal}
            data-testid="dialog-refused"
          />
        )}
        <Form<VisitForm>
          form={form}
          layout="vertical"
          initialValues={{ reached: true }}
          onFinish={(visit) => recording && record.mutate({ ticket: recording, visit })}
        >
          <Form.Item name="reached" label={t('followUps.reached')}>
            <Radio.Group
              data-testid="follow-up-reached"
              options={[
                { value: true, label: t('followUps.reached.yes') },
                { value: false, label: t('followUps.reached.no') },
              ]}
            />
          </Form.Item>
          {reached && (
            <Form.Item
              name="satisfaction"
              label={t('ticket.satisfaction')}
              rules={[{ required: true, message: t('followUps.satisfactionRequired') }]}
              extra={t('followUps.threshold')}
            >
              <Rate data-testid="follow-up-satisfaction" />
            </Form.Item>
          )}
          <Form.Item name="comment" label={t('common.comment')}>
            <Input.TextArea rows={2} maxLength={2000} data-testid="follow-up-comment" />
          </Form.Item>
        </Form>
      </Modal>
    </TicketQueue>
  );
}
