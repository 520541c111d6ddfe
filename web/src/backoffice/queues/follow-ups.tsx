// The follow-up queue (回访): resolved complaints waiting for their follow-up visit, due first.
// Take one (409 when someone was faster: the queue reloads), call the customer (a tel: link for
// the softphone), and record the visit: not reached (an attempt, it stays in the queue), or
// reached with the customer's satisfaction. A dissatisfied customer (at or below the brand's
// threshold) reopens the complaint at the complaint desk: the server says so, and the row goes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Card,
  Form,
  Input,
  Modal,
  Radio,
  Rate,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { useMe } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import { useBrands, useFormatTime } from '../../lib/brands';
import { formatPhone } from '../../lib/phone';
import { GatedButton, useDenial } from '../common';
import type { Ticket } from '../tickets/list';

type Taken = 'all' | 'false' | 'true';

interface VisitForm {
  reached: boolean;
  satisfaction?: number;
  comment?: string;
}

export function FollowUpsPage() {
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  const me = useMe().data;
  const deny = useDenial();
  const client = useQueryClient();
  const { message } = App.useApp();
  const brands = useBrands().data ?? [];
  const [taken, setTaken] = useState<Taken>('all');
  const [brand, setBrand] = useState<string | undefined>();
  const [recording, setRecording] = useState<Ticket | null>(null);
  const [form] = Form.useForm<VisitForm>();
  const reached = Form.useWatch('reached', form) ?? true;
  const queue = useQuery({
    queryKey: ['follow-ups', taken, brand],
    queryFn: () =>
      ok(
        api.GET('/api/follow-ups', {
          params: {
            query: { ...(taken !== 'all' ? { taken } : {}), ...(brand ? { brand } : {}), limit: 100 },
          },
        }),
      ),
    refetchInterval: 30_000,
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['follow-ups'] });
    void client.invalidateQueries({ queryKey: ['tickets'] });
  };
  const take = useMutation({
    meta: { quiet: true },
    mutationFn: (ticket: Ticket) =>
      ok(
        api.POST('/api/follow-ups/{id}/take', {
          params: { path: { id: ticket.id } },
          body: { version: ticket.version },
        }),
      ),
    onSuccess: (tk) => {
      refresh();
      message.success(t('followUps.tookIt', { phone: formatPhone(tk.customerPhone) }));
    },
    onError: (error) => {
      refresh();
      message.error(error.message);
    },
  });
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
      message.error(error.message);
    },
  });

  const followUpDue = (tk: Ticket) =>
    tk.deadlines.find((d) => d.kind === 'follow-up' && !d.metAt) ?? tk.nextDeadline;

  return (
    <Card
      title={t('followUps.title')}
      data-testid="follow-ups-page"
      extra={
        <Space>
          <Select
            allowClear
            placeholder={t('common.brand')}
            style={{ width: 140 }}
            value={brand}
            onChange={setBrand}
            options={brands.map((b) => ({ value: b.brand, label: b.name }))}
          />
          <Segmented<Taken>
            value={taken}
            onChange={setTaken}
            data-testid="follow-ups-taken"
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
        locale={{ emptyText: t('followUps.empty') }}
        pagination={false}
        onRow={(r) => ({ 'data-subject': r.subject }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('ticket.subject'),
            dataIndex: 'subject',
            render: (s: string, r) => (
              <Space direction="vertical" size={0}>
                <Link to={`/tickets/${r.id}`}>{s}</Link>
                {r.number && <Typography.Text type="secondary">{r.number}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('ticket.customer'),
            dataIndex: 'customerPhone',
            render: (v: string | null) => (v ? <a href={`tel:${v}`}>{formatPhone(v)}</a> : '—'),
          },
          {
            title: t('common.brand'),
            dataIndex: 'brand',
            render: (v: string) => brands.find((b) => b.brand === v)?.name ?? v,
          },
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
              const takeReason =
                deny('post', '/api/follow-ups/{id}/take') ??
                (other ? t('callbacks.takenByOther', { name: r.assigneeName ?? r.assignee ?? '' }) : null);
              const recordReason =
                deny('post', '/api/tickets/{id}/follow-up') ??
                (other ? t('callbacks.notYours') : mine ? null : t('callbacks.takeFirst'));
              return (
                <Space size={4}>
                  {!mine && (
                    <GatedButton
                      size="small"
                      type="primary"
                      reason={takeReason}
                      loading={take.isPending && take.variables?.id === r.id}
                      onClick={() => take.mutate(r)}
                      data-testid="follow-up-take"
                    >
                      {t('callbacks.take')}
                    </GatedButton>
                  )}
                  <GatedButton
                    size="small"
                    reason={recordReason}
                    onClick={() => {
                      form.setFieldsValue({ reached: true, satisfaction: undefined, comment: '' });
                      setRecording(r);
                    }}
                    data-testid="follow-up-record"
                  >
                    {t('followUps.record')}
                  </GatedButton>
                </Space>
              );
            },
          },
        ]}
      />
      <Modal
        open={recording !== null}
        title={t('followUps.recordTitle', { subject: recording?.subject ?? '' })}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={record.isPending}
        onCancel={() => setRecording(null)}
        onOk={() => form.submit()}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'follow-up-save' } as never}
      >
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
    </Card>
  );
}
