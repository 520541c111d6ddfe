// The blacklist (黑名单): entries newest first, by number (or its last digits) and status; add a
// number with the reason and an optional expiry; remove one with the reason — the entry stays,
// with who removed it, when and why (the audit log has it too).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Card, DatePicker, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { BlacklistStatus } from '../../api/enums.gen';
import type { components } from '../../api/schema';
import { useI18n } from '../../i18n/i18n';
import { useFormatTime, useTimeZone } from '../../lib/brands';
import { formatPhone } from '../../lib/phone';
import { pickedInstant } from '../../lib/time';
import { GatedButton, useDenial, useFieldErrors, useUserName } from '../common';
import { useFutureExpiry } from '../future-expiry';

type Entry = components['schemas']['BlacklistEntry'];
type Status = BlacklistStatus | 'all';

export function BlacklistPage() {
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  const zone = useTimeZone();
  const expiry = useFutureExpiry(t('blacklist.expiryNotFuture', { zone }));
  const nameOf = useUserName();
  const deny = useDenial();
  const client = useQueryClient();
  const { message } = App.useApp();
  const showFieldErrors = useFieldErrors();
  const [form] = Form.useForm();
  const [status, setStatus] = useState<Status>('active');
  const [phone, setPhone] = useState('');
  const [dialog, setDialog] = useState<{ kind: 'add' } | { kind: 'remove'; entry: Entry } | null>(null);
  const list = useQuery({
    queryKey: ['blacklist', status, phone],
    queryFn: () =>
      ok(
        api.GET('/api/blacklist', {
          params: {
            query: { ...(status !== 'all' ? { status } : {}), ...(phone ? { phone } : {}), limit: 100 },
          },
        }),
      ),
  });
  const save = useMutation({
    meta: { quiet: true },
    mutationFn: async (v: { phone?: string; reason: string; expiresAt?: Dayjs }) => {
      if (dialog?.kind === 'remove')
        return ok(
          api.POST('/api/blacklist/{id}/remove', {
            params: { path: { id: dialog.entry.id } },
            body: { reason: v.reason },
          }),
        );
      return ok(
        api.POST('/api/blacklist', {
          body: {
            phone: String(v.phone ?? ''),
            reason: v.reason,
            ...(v.expiresAt ? { expiresAt: pickedInstant(v.expiresAt, zone) } : {}),
          },
        }),
      );
    },
    onSuccess: () => {
      message.success(dialog?.kind === 'remove' ? t('blacklist.removedOk') : t('blacklist.added'));
      setDialog(null);
      void client.invalidateQueries({ queryKey: ['blacklist'] });
    },
    onError: (error) => {
      if (!showFieldErrors(form, error)) message.error(error.message);
    },
  });
  const addDenied = deny('post', '/api/blacklist');
  const removeDenied = deny('post', '/api/blacklist/{id}/remove');

  return (
    <Card
      title={t('blacklist.title')}
      data-testid="blacklist-page"
      extra={
        <Space>
          <Input.Search
            allowClear
            placeholder={t('blacklist.searchPhone')}
            onSearch={(v) => setPhone(v.trim())}
            style={{ width: 220 }}
            data-testid="blacklist-search"
          />
          <Segmented<Status>
            value={status}
            onChange={setStatus}
            options={BlacklistStatus.map((s) => ({
              value: s as Status,
              label: tx('blacklist.status', s),
            })).concat([{ value: 'all', label: t('common.all') }])}
            data-testid="blacklist-status"
          />
          <GatedButton
            type="primary"
            reason={addDenied}
            onClick={() => {
              form.resetFields();
              expiry.reset();
              setDialog({ kind: 'add' });
            }}
            data-testid="blacklist-add"
          >
            {t('blacklist.add')}
          </GatedButton>
        </Space>
      }
    >
      <Table<Entry>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        onRow={(r) => ({ 'data-phone': r.phone }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('blacklist.phone'), dataIndex: 'phone', render: (v: string) => formatPhone(v) },
          { title: t('blacklist.reason'), dataIndex: 'reason' },
          { title: t('blacklist.addedAt'), dataIndex: 'addedAt', render: (v: string) => fmt(v) },
          {
            title: t('blacklist.expiresAt'),
            dataIndex: 'expiresAt',
            render: (v: string | null) => (v ? fmt(v) : t('blacklist.never')),
          },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string, r) => (
              <Space direction="vertical" size={0}>
                <Tag color={s === 'active' ? 'red' : 'default'} data-testid="blacklist-entry-status">
                  {tx('blacklist.status', s)}
                </Tag>
                {r.removedAt && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="blacklist-removal">
                    {t('blacklist.removed', {
                      by: r.removedBy ? nameOf(r.removedBy) : '—',
                      at: fmt(r.removedAt),
                      reason: r.removalReason ?? '',
                    })}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('common.actions'),
            render: (_, r) =>
              r.status !== 'removed' && (
                <GatedButton
                  size="small"
                  danger
                  reason={removeDenied}
                  onClick={() => {
                    form.resetFields();
                    setDialog({ kind: 'remove', entry: r });
                  }}
                  data-testid="blacklist-remove"
                >
                  {t('blacklist.remove')}
                </GatedButton>
              ),
          },
        ]}
      />
      <Modal
        open={dialog !== null}
        title={
          dialog?.kind === 'remove'
            ? `${t('blacklist.remove')} · ${formatPhone(dialog.entry.phone)}`
            : t('blacklist.add')
        }
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={save.isPending}
        onCancel={() => setDialog(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          {dialog?.kind === 'add' && (
            <Form.Item name="phone" label={t('blacklist.phone')} rules={[{ required: true }]}>
              <Input inputMode="tel" />
            </Form.Item>
          )}
          <Form.Item
            name="reason"
            label={t('blacklist.reason')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          {dialog?.kind === 'add' && (
            <Form.Item
              name="expiresAt"
              label={t('blacklist.expiresAt')}
              extra={t('common.timeZone', { zone })}
              rules={[expiry.rule]}
            >
              <DatePicker {...expiry.picker} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
