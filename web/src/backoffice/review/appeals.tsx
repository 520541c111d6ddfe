// Appeals (申诉) awaiting the final judgement (终审): a QA lead or room director upholds or
// overturns each with a note. The server refuses the inspector of the review itself; the page
// says so beside the buttons. Each row names the agent it is about (name and 工号); the list
// is kept to one 工号 with the box above it, and sorted by 工号 from the column's header. The
// counts per state count what the 工号 box keeps; the list is paged by the server (50 a page).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Card, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import type { components } from '../../api/schema';
import { useMe } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import { useFormatTime } from '../../lib/brands';
import { useRuleTitle } from '../../lib/rules';
import { GatedButton, useCountLabel, useDenial, useFieldErrors } from '../common';

type Appeal = components['schemas']['Appeal'] & {
  ruleTitle: string;
  inspectorId: string;
  agent: { userId: string; number: string | null; name: string | null };
};
type Status = 'open' | 'upheld' | 'overturned' | 'all';

const PAGE = 50;

export function AppealsPage() {
  const { t, tx } = useI18n();
  const ruleTitle = useRuleTitle();
  const fmt = useFormatTime();
  const me = useMe().data;
  const deny = useDenial();
  const client = useQueryClient();
  const { message } = App.useApp();
  const showFieldErrors = useFieldErrors();
  const [form] = Form.useForm<{ note: string }>();
  const [status, setStatusOnly] = useState<Status>('open');
  const [agent, setAgentOnly] = useState('');
  const [sort, setSortOnly] = useState<'filed' | 'agent'>('filed');
  const [page, setPage] = useState(1);
  // Another state, 工号 or order starts again at the first page.
  const setStatus = (v: Status) => {
    setStatusOnly(v);
    setPage(1);
  };
  const setAgent = (v: string) => {
    setAgentOnly(v);
    setPage(1);
  };
  const setSort = (v: 'filed' | 'agent') => {
    if (v !== sort) setPage(1);
    setSortOnly(v);
  };
  const [judging, setJudging] = useState<{ appeal: Appeal; outcome: 'uphold' | 'overturn' } | null>(null);
  const list = useQuery({
    queryKey: ['appeals', status, agent, sort, page],
    queryFn: () =>
      ok(
        api.GET('/api/appeals', {
          params: {
            query: {
              ...(status !== 'all' ? { status } : {}),
              ...(agent ? { agent } : {}),
              sort,
              limit: PAGE,
              offset: (page - 1) * PAGE,
            },
          },
        }),
      ),
  });
  // The last page emptied (its one appeal judged, leaving the open list): back to the last page
  // that has rows, not an empty table beside "共 N 条".
  const total = list.data?.total;
  useEffect(() => {
    if (total !== undefined && page > 1 && total <= (page - 1) * PAGE)
      setPage(Math.max(1, Math.ceil(total / PAGE)));
  }, [total, page]);
  // How many appeals are in each state now (the list is one state at a time), of the 工号 the
  // box keeps: the counts say what each tab shows.
  const counts = useQuery({
    queryKey: ['appeals', 'counts', agent],
    queryFn: async () => {
      const of = (s: 'open' | 'upheld' | 'overturned') =>
        ok(
          api.GET('/api/appeals', {
            params: { query: { status: s, limit: 1, ...(agent ? { agent } : {}) } },
          }),
        ).then((r) => r.total);
      const [open, upheld, overturned] = await Promise.all([of('open'), of('upheld'), of('overturned')]);
      return { open, upheld, overturned };
    },
  });
  const withCount = useCountLabel();
  const judge = useMutation({
    meta: { quiet: true },
    mutationFn: (v: { note: string }) =>
      ok(
        api.POST('/api/appeals/{id}/judgement', {
          params: { path: { id: judging?.appeal.id ?? '' } },
          body: { outcome: judging?.outcome ?? 'uphold', note: v.note },
        }),
      ),
    onSuccess: () => {
      message.success(t('appeals.judged'));
      setJudging(null);
      void client.invalidateQueries({ queryKey: ['appeals'] });
    },
    onError: (error) => {
      if (!showFieldErrors(form, error)) message.error(error.message);
    },
  });
  const denied = deny('post', '/api/appeals/{id}/judgement');
  return (
    <Card
      title={t('appeals.title')}
      data-testid="appeals-page"
      extra={
        <Segmented
          data-testid="appeals-status"
          value={status}
          onChange={(v) => setStatus(v as Status)}
          options={[
            { value: 'open', label: withCount(t('review.appealStatus.open'), counts.data?.open) },
            { value: 'upheld', label: withCount(t('review.appealStatus.upheld'), counts.data?.upheld) },
            {
              value: 'overturned',
              label: withCount(t('review.appealStatus.overturned'), counts.data?.overturned),
            },
            { value: 'all', label: t('common.all') },
          ]}
        />
      }
    >
      <Space style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('appeals.agentFilter')}
          aria-label={t('appeals.agentFilter')}
          style={{ width: 200 }}
          onSearch={(v) => setAgent(v.trim())}
          data-testid="appeals-agent"
        />
      </Space>
      {list.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={String(list.error.message)}
          data-testid="appeals-error"
        />
      )}
      <Table<Appeal>
        rowKey="id"
        loading={list.isLoading}
        onChange={(_p, _f, sorter) => {
          const one = Array.isArray(sorter) ? sorter[0] : sorter;
          setSort(one?.columnKey === 'agent' && one.order ? 'agent' : 'filed');
        }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (n) => t('appeals.total', { n }),
        }}
        dataSource={list.data?.items ?? []}
        onRow={(a) => ({ 'data-call': a.callId }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('review.call'),
            render: (_, a) => <Link to={`/reviews/${a.reviewId}`}>{a.callId}</Link>,
          },
          {
            title: t('review.agent'),
            key: 'agent',
            sorter: true,
            sortOrder: sort === 'agent' ? 'ascend' : null,
            sortDirections: ['ascend'],
            render: (_, a) => (
              <span data-testid="appeal-agent">
                {a.agent.name ?? '—'}
                {a.agent.number && <Typography.Text type="secondary">{` ${a.agent.number}`}</Typography.Text>}
              </span>
            ),
          },
          {
            title: t('review.rule'),
            render: (_, a) => <span data-testid="appeal-rule">{ruleTitle(a.rule, a.ruleTitle)}</span>,
          },
          { title: t('review.appealReason'), dataIndex: 'reason' },
          { title: t('appeals.filedAt'), dataIndex: 'filedAt', render: (v: string, a) => fmt(v, a.brand) },
          {
            title: t('review.statusLabel'),
            dataIndex: 'status',
            render: (v: string) => <Tag data-testid="appeal-row-status">{tx('review.appealStatus', v)}</Tag>,
          },
          { title: t('appeals.note'), dataIndex: 'judgementNote', render: (v: string | null) => v ?? '' },
          {
            title: t('common.actions'),
            render: (_, a) => {
              if (a.status !== 'open') return null;
              const reason = denied ?? (a.inspectorId === me?.id ? t('appeals.ownReview') : null);
              return (
                <Space>
                  <GatedButton
                    size="small"
                    reason={reason}
                    data-testid="appeal-uphold"
                    onClick={() => setJudging({ appeal: a, outcome: 'uphold' })}
                  >
                    {t('appeals.uphold')}
                  </GatedButton>
                  <GatedButton
                    size="small"
                    danger
                    reason={reason}
                    data-testid="appeal-overturn"
                    onClick={() => setJudging({ appeal: a, outcome: 'overturn' })}
                  >
                    {t('appeals.overturn')}
                  </GatedButton>
                </Space>
              );
            },
          },
        ]}
      />
      <Modal
        open={judging !== null}
        title={judging ? t(judging.outcome === 'uphold' ? 'appeals.uphold' : 'appeals.overturn') : ''}
        onCancel={() => setJudging(null)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: judge.isPending, ...({ 'data-testid': 'judgement-submit' } as object) }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => judge.mutate(v)}>
          <Form.Item
            name="note"
            label={t('appeals.note')}
            rules={[{ required: true, message: t('appeals.noteRequired') }]}
          >
            <Input.TextArea rows={3} data-testid="judgement-note" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
