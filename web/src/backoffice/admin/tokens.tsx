// Admin: every API token (never its secret): who owns it, its scopes, last use, expiry and
// state; create one for a user (the secret shown once; an expiry in the future, in the
// centre's zone), expire it now, or revoke it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { TokenScope } from '../../api/enums.gen';
import type { components } from '../../api/schema';
import { useI18n } from '../../i18n/i18n';
import { useFormatTime, useTimeZone } from '../../lib/brands';
import { pickedInstant } from '../../lib/time';
import { useFieldErrors } from '../common';
import { useFutureExpiry } from '../future-expiry';

type Token = components['schemas']['ApiToken'];
type Scope = Token['scopes'][number];
const SCOPES: readonly Scope[] = TokenScope;

export function TokensPage() {
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  const zone = useTimeZone();
  const expiry = useFutureExpiry(t('tokens.expiryNotFuture', { zone }));
  const client = useQueryClient();
  const { message, modal } = App.useApp();
  const showFieldErrors = useFieldErrors();
  const [form] = Form.useForm();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => ok(api.GET('/api/tokens')) });
  const users = useQuery({ queryKey: ['users'], queryFn: () => ok(api.GET('/api/users')) });
  const refresh = () => client.invalidateQueries({ queryKey: ['tokens'] });

  const create = useMutation({
    meta: { quiet: true },
    mutationFn: (v: { name: string; userId?: string; scopes: Scope[]; expiresAt?: Dayjs }) =>
      ok(
        api.POST('/api/tokens', {
          body: {
            name: v.name,
            scopes: v.scopes,
            ...(v.userId ? { userId: v.userId } : {}),
            ...(v.expiresAt ? { expiresAt: pickedInstant(v.expiresAt, zone) } : {}),
          },
        }),
      ),
    onSuccess: (r) => {
      setCreating(false);
      setSecret(r.token);
      void refresh();
    },
    onError: (error) => {
      if (!showFieldErrors(form, error)) message.error(error.message);
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => ok(api.DELETE('/api/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => refresh(),
  });
  const expire = useMutation({
    mutationFn: (id: string) => ok(api.PATCH('/api/tokens/{id}', { params: { path: { id } }, body: {} })),
    onSuccess: () => refresh(),
  });

  return (
    <Card
      title={t('tokens.title')}
      data-testid="tokens-page"
      extra={
        <Button
          type="primary"
          data-testid="token-create"
          onClick={() => {
            form.resetFields();
            expiry.reset();
            form.setFieldsValue({ scopes: ['read', 'write'] });
            setCreating(true);
          }}
        >
          {t('tokens.create')}
        </Button>
      }
    >
      <Table<Token>
        rowKey="id"
        size="small"
        loading={tokens.isFetching}
        dataSource={tokens.data?.items ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        columns={[
          { title: t('tokens.name'), dataIndex: 'name' },
          { title: t('tokens.owner'), dataIndex: 'username' },
          {
            title: t('tokens.scopes'),
            dataIndex: 'scopes',
            render: (s: Scope[]) => s.map((x) => <Tag key={x}>{tx('tokens.scope', x)}</Tag>),
          },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: string) => fmt(v) },
          { title: t('tokens.lastUsed'), dataIndex: 'lastUsedAt', render: (v: string | null) => fmt(v) },
          {
            title: t('tokens.expiresAt'),
            dataIndex: 'expiresAt',
            render: (v: string | null) => (v ? fmt(v) : t('tokens.never')),
          },
          {
            title: t('tokens.status'),
            dataIndex: 'status',
            render: (s: string) => (
              <Tag color={s === 'active' ? 'green' : 'default'} data-testid="token-status">
                {tx('tokens.status', s)}
              </Tag>
            ),
          },
          {
            title: t('common.actions'),
            render: (_, tok) =>
              tok.status === 'active' && (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => expire.mutate(tok.id)}>
                    {t('tokens.expireNow')}
                  </Button>
                  <Button
                    type="link"
                    size="small"
                    danger
                    data-testid="token-revoke"
                    onClick={() =>
                      modal.confirm({
                        title: t('tokens.revoke'),
                        content: t('tokens.revokeConfirm', { name: tok.name }),
                        okText: t('common.confirm'),
                        cancelText: t('common.cancel'),
                        onOk: () => revoke.mutateAsync(tok.id),
                      })
                    }
                  >
                    {t('tokens.revoke')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('tokens.create')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)} data-testid="token-form">
          <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="userId" label={t('tokens.owner')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              options={(users.data?.items ?? [])
                .filter((u) => !u.disabled)
                .map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
            />
          </Form.Item>
          <Form.Item name="scopes" label={t('tokens.scopes')} rules={[{ required: true }]}>
            <Checkbox.Group options={SCOPES.map((s) => ({ value: s, label: tx('tokens.scope', s) }))} />
          </Form.Item>
          <Form.Item
            name="expiresAt"
            label={t('tokens.expiresAt')}
            extra={t('common.timeZone', { zone })}
            rules={[expiry.rule]}
          >
            <DatePicker {...expiry.picker} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={secret !== null}
        title={t('tokens.secretTitle')}
        onOk={() => setSecret(null)}
        onCancel={() => setSecret(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        okButtonProps={{ 'data-testid': 'token-secret-ok' }}
        okText={t('common.confirm')}
      >
        <Typography.Paragraph>{t('tokens.secretText')}</Typography.Paragraph>
        <Typography.Paragraph code copyable data-testid="token-secret">
          {secret}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
