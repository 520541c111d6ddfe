// Admin: the accounts. Create (username, name, role, 工号, brand, team, initial password), edit
// the name, role, 工号, brand and team, disable and enable (sessions end, tokens are revoked at once), and
// reset a password (sessions end). The server's checks (password rules, unique 工号 per brand)
// come back on the form's fields.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { UserRole } from '../../api/enums.gen';
import type { components } from '../../api/schema';
import { useMe } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import { useBrands, useFormatTime } from '../../lib/brands';
import { useFieldErrors } from '../common';

type User = components['schemas']['User'];
type Role = User['role'];
const ROLES: readonly Role[] = UserRole;
type Dialog = { kind: 'create' } | { kind: 'edit'; user: User } | { kind: 'password'; user: User };

export function UsersPage() {
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  const client = useQueryClient();
  const { message, modal } = App.useApp();
  const showFieldErrors = useFieldErrors();
  const me = useMe().data;
  const brands = useBrands().data ?? [];
  const [form] = Form.useForm();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [search, setSearch] = useState('');
  const users = useQuery({ queryKey: ['users'], queryFn: () => ok(api.GET('/api/users')) });

  const done = (text: string) => {
    void client.invalidateQueries({ queryKey: ['users'] });
    setDialog(null);
    message.success(text);
  };
  const save = useMutation({
    meta: { quiet: true },
    mutationFn: async (values: Record<string, unknown>) => {
      const brand = values.brand === '' || values.brand === undefined ? null : values.brand;
      const agentNumber = values.agentNumber ? String(values.agentNumber) : null;
      // An emptied team field clears the team (the API wants null, not a blank name).
      const team = typeof values.team === 'string' && values.team.trim() !== '' ? values.team : null;
      if (dialog?.kind === 'create') {
        const body = {
          username: String(values.username),
          displayName: String(values.displayName),
          role: values.role as Role,
          password: String(values.password),
          brand: brand as string | null,
          team,
          ...(agentNumber ? { agentNumber } : {}),
        };
        return ok(api.POST('/api/users', { body }));
      }
      if (dialog?.kind === 'edit')
        return ok(
          api.PATCH('/api/users/{id}', {
            params: { path: { id: dialog.user.id } },
            body: {
              displayName: String(values.displayName),
              role: values.role as Role,
              agentNumber,
              brand: brand as string | null,
              // Only a changed team: the list may be older than a team set elsewhere meanwhile.
              ...(team !== (dialog.user.team ?? null) ? { team } : {}),
            },
          }),
        );
      if (dialog?.kind === 'password')
        return ok(
          api.POST('/api/users/{id}/password', {
            params: { path: { id: dialog.user.id } },
            body: { password: String(values.password) },
          }),
        );
      throw new Error('no dialog');
    },
    onSuccess: (user) => {
      if (dialog?.kind === 'create') done(t('users.created', { name: user.displayName }));
      else if (dialog?.kind === 'password') done(t('users.passwordReset'));
      else done(t('users.saved'));
    },
    onError: (error) => {
      if (!showFieldErrors(form, error)) message.error(error.message);
    },
  });
  const toggle = useMutation({
    mutationFn: (u: User) =>
      ok(api.PATCH('/api/users/{id}', { params: { path: { id: u.id } }, body: { disabled: !u.disabled } })),
    onSuccess: () => done(t('users.saved')),
  });

  const open = (d: Dialog) => {
    form.resetFields();
    if (d.kind === 'edit')
      form.setFieldsValue({
        displayName: d.user.displayName,
        role: d.user.role,
        agentNumber: d.user.agentNumber ?? '',
        brand: d.user.brand ?? '',
        team: d.user.team ?? '',
      });
    if (d.kind === 'create') form.setFieldsValue({ role: 'agent', brand: '' });
    setDialog(d);
  };
  const q = search.trim().toLowerCase();
  const rows = (users.data?.items ?? []).filter(
    (u) => !q || u.username.toLowerCase().includes(q) || u.displayName.toLowerCase().includes(q),
  );
  const brandOptions = [
    { value: '', label: t('users.allBrands') },
    ...brands.map((b) => ({ value: b.brand, label: b.name })),
  ];

  return (
    <Card
      title={t('users.title')}
      data-testid="users-page"
      extra={
        <Space>
          <Input.Search
            allowClear
            placeholder={t('users.search')}
            onSearch={setSearch}
            style={{ width: 220 }}
          />
          <Button type="primary" onClick={() => open({ kind: 'create' })} data-testid="user-create">
            {t('users.create')}
          </Button>
        </Space>
      }
    >
      <Table<User>
        rowKey="id"
        size="small"
        loading={users.isFetching}
        dataSource={rows}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        onRow={(u) => ({ 'data-username': u.username }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('users.username'), dataIndex: 'username' },
          { title: t('users.displayName'), dataIndex: 'displayName' },
          { title: t('users.role'), dataIndex: 'role', render: (r: string) => tx('role', r) },
          { title: t('users.agentNumber'), dataIndex: 'agentNumber', render: (v: string | null) => v ?? '—' },
          {
            title: t('users.brand'),
            dataIndex: 'brand',
            render: (v: string | null) =>
              v ? (brands.find((b) => b.brand === v)?.name ?? v) : t('users.allBrands'),
          },
          {
            title: t('users.team'),
            dataIndex: 'team',
            render: (v: string | null) => <span data-testid="user-team">{v ?? '—'}</span>,
          },
          {
            title: t('users.state'),
            dataIndex: 'disabled',
            render: (d: boolean) => (
              <Tag color={d ? 'red' : 'green'} data-testid="user-state">
                {d ? t('users.disabled') : t('users.enabled')}
              </Tag>
            ),
          },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: string) => fmt(v) },
          {
            title: t('common.actions'),
            render: (_, u) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  onClick={() => open({ kind: 'edit', user: u })}
                  data-testid="user-edit"
                >
                  {t('users.edit')}
                </Button>
                <Button
                  type="link"
                  size="small"
                  onClick={() => open({ kind: 'password', user: u })}
                  data-testid="user-password"
                >
                  {t('users.resetPassword')}
                </Button>
                <Button
                  type="link"
                  size="small"
                  danger={!u.disabled}
                  // An admin does not lock themselves out.
                  disabled={u.id === me?.id}
                  data-testid="user-toggle"
                  onClick={() =>
                    u.disabled
                      ? toggle.mutate(u)
                      : modal.confirm({
                          title: t('users.disable'),
                          content: t('users.disableConfirm', { name: u.displayName }),
                          okText: t('common.confirm'),
                          cancelText: t('common.cancel'),
                          onOk: () => toggle.mutateAsync(u),
                        })
                  }
                >
                  {u.disabled ? t('users.enable') : t('users.disable')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={dialog !== null}
        title={
          dialog?.kind === 'create'
            ? t('users.create')
            : dialog?.kind === 'password'
              ? `${t('users.resetPassword')} · ${dialog.user.username}`
              : dialog
                ? `${t('users.edit')} · ${dialog.user.username}`
                : ''
        }
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={save.isPending}
        onCancel={() => setDialog(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="user-form">
          {dialog?.kind === 'create' && (
            <Form.Item name="username" label={t('users.username')} rules={[{ required: true }]}>
              <Input autoComplete="off" />
            </Form.Item>
          )}
          {dialog?.kind !== 'password' && (
            <>
              <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true }]}>
                <Input />
              </Form.Item>
              <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
                <Select
                  options={ROLES.map((r) => ({ value: r, label: tx('role', r) }))}
                  data-testid="user-role"
                />
              </Form.Item>
              <Form.Item name="agentNumber" label={t('users.agentNumber')}>
                <Input inputMode="numeric" />
              </Form.Item>
              <Form.Item name="brand" label={t('users.brand')}>
                <Select options={brandOptions} />
              </Form.Item>
              <Form.Item name="team" label={t('users.team')} extra={t('users.teamHint')}>
                <Input />
              </Form.Item>
            </>
          )}
          {dialog?.kind !== 'edit' && (
            <Form.Item
              name="password"
              label={dialog?.kind === 'password' ? t('users.newPassword') : t('users.password')}
              extra={t('users.passwordHint')}
              rules={[{ required: true }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
