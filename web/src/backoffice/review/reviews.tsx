// Reviews (人工复核): an inspector's assignments, an agent's reviewed calls, every review for QA
// leads and room directors. A review shows the call's words and the machine's findings: its
// inspector marks each correct or wrong, adds what the machine missed, comments and may
// override the computed score with a reason; the agent appeals a confirmed finding within the
// brand's window. Machine and human scores are shown side by side.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Radio,
  Segmented,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { mayCall, type Role } from '../../api/access';
import { api, ok } from '../../api/client';
import type { components } from '../../api/schema';
import { useMe } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import { useFormatTime } from '../../lib/brands';
import { useEvidenceText } from '../../lib/notes';
import { useRuleTitle } from '../../lib/rules';
import { LoadFailed, useCountLabel, useFieldErrors } from '../common';
import { PlanCard } from './plan';

type Review = components['schemas']['Review'];
type Finding = Review['findings'][number];
type Status = 'assigned' | 'done' | 'all';

function score(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : String(v);
}

export function ReviewListPage() {
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  const me = useMe().data;
  const [status, setStatus] = useState<Status>(me?.role === 'agent' ? 'done' : 'assigned');
  const list = useQuery({
    queryKey: ['reviews', status],
    queryFn: () =>
      ok(
        api.GET('/api/reviews', {
          params: { query: { ...(status !== 'all' ? { status } : {}), limit: 200 } },
        }),
      ),
  });
  const lead = mayCall(me?.role as Role | undefined, 'put', '/api/review/plans/{brand}');
  // How many wait and how many are done (the same scope as the list: an inspector's own).
  const counts = useQuery({
    queryKey: ['reviews', 'counts'],
    enabled: me?.role !== 'agent',
    queryFn: async () => {
      const of = (s: 'assigned' | 'done') =>
        ok(api.GET('/api/reviews', { params: { query: { status: s, limit: 1 } } })).then((r) => r.total);
      const [assigned, done] = await Promise.all([of('assigned'), of('done')]);
      return { assigned, done };
    },
  });
  const withCount = useCountLabel();
  return (
    <>
      {lead ? <PlanCard /> : null}
      <Card
        title={t(me?.role === 'agent' ? 'review.myTitle' : 'review.title')}
        data-testid="reviews-page"
        extra={
          me?.role === 'agent' ? null : (
            <Segmented
              data-testid="reviews-status"
              value={status}
              onChange={(v) => setStatus(v as Status)}
              options={[
                { value: 'assigned', label: withCount(t('review.status.assigned'), counts.data?.assigned) },
                { value: 'done', label: withCount(t('review.status.done'), counts.data?.done) },
                { value: 'all', label: t('common.all') },
              ]}
            />
          )
        }
      >
        <Table<Review>
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          onRow={(r) => ({ 'data-call': r.callId }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t('review.call'),
              dataIndex: 'callId',
              render: (id: string, r) => (
                <Link to={`/reviews/${r.id}`} data-testid="review-open">
                  {id}
                </Link>
              ),
            },
            {
              title: t('review.agent'),
              render: (_, r) => `${r.agent.name ?? ''} ${r.agent.id ?? ''}`.trim() || '—',
            },
            {
              title: t('review.reason'),
              dataIndex: 'reason',
              render: (v: string) => <Tag>{tx('review.reason', v)}</Tag>,
            },
            { title: t('review.inspector'), render: (_, r) => r.inspector.name ?? r.inspector.id },
            { title: t('review.due'), dataIndex: 'dueAt', render: (v: string, r) => fmt(v, r.brand) },
            {
              title: t('review.statusLabel'),
              dataIndex: 'status',
              render: (v: string) => (
                <Tag color={v === 'done' ? 'green' : 'blue'}>{tx('review.status', v)}</Tag>
              ),
            },
            { title: t('review.machineScore'), render: (_, r) => score(r.machine.score) },
            { title: t('review.humanScore'), render: (_, r) => score(r.human.finalScore) },
          ]}
        />
      </Card>
    </>
  );
}

interface CompleteForm {
  comment?: string;
  overrideScore?: number | null;
  overrideReason?: string;
  missed?: { rule: string; turn?: number | null; note?: string }[];
}

export function ReviewDetailPage() {
  const ruleTitle = useRuleTitle();
  const evidenceText = useEvidenceText();
  const { id = '' } = useParams();
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  const me = useMe().data;
  const client = useQueryClient();
  const { message } = App.useApp();
  const showFieldErrors = useFieldErrors();
  const [form] = Form.useForm<CompleteForm>();
  const [appealForm] = Form.useForm<{ reason: string }>();
  const [verdicts, setVerdicts] = useState<Record<number, 'correct' | 'wrong'>>({});
  const [appealing, setAppealing] = useState<Finding | null>(null);
  /** Submit was pressed with machine findings unmarked: each says so in its row. */
  const [unmarkedShown, setUnmarkedShown] = useState(false);
  const missedNow = Form.useWatch('missed', form);
  const review = useQuery({
    queryKey: ['review', id],
    queryFn: () => ok(api.GET('/api/reviews/{id}', { params: { path: { id } } })),
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['review', id] });
    void client.invalidateQueries({ queryKey: ['reviews'] });
  };
  const complete = useMutation({
    meta: { quiet: true },
    mutationFn: (v: CompleteForm) =>
      ok(
        api.POST('/api/reviews/{id}/complete', {
          params: { path: { id } },
          body: {
            verdicts: (review.data?.findings ?? [])
              .filter((f) => f.kind === 'machine')
              .filter((f) => verdicts[f.index] !== undefined)
              .map((f) => ({ finding: f.index, verdict: verdicts[f.index] as 'correct' | 'wrong' })),
            missed: (v.missed ?? [])
              .filter((m) => m?.rule)
              // Typed as the transcript numbers turns (from 1); findings count them from 0.
              .map((m) => ({
                rule: m.rule,
                turn: m.turn === null || m.turn === undefined ? null : m.turn - 1,
                note: m.note ?? '',
              })),
            comment: v.comment ?? '',
            ...(v.overrideScore !== undefined && v.overrideScore !== null
              ? { override: { score: v.overrideScore, reason: v.overrideReason ?? '' } }
              : {}),
          },
        }),
      ),
    onSuccess: () => {
      message.success(t('review.completed'));
      refresh();
    },
    onError: (error) => {
      // A refused missed finding under its own row's field; the override's two fields are flat here.
      const renamed = { 'override.score': ['overrideScore'], 'override.reason': ['overrideReason'] };
      if (!showFieldErrors(form, error, renamed)) message.error(error.message);
    },
  });
  const appeal = useMutation({
    meta: { quiet: true },
    mutationFn: (v: { reason: string }) =>
      ok(
        api.POST('/api/reviews/{id}/appeals', {
          params: { path: { id } },
          body: { finding: appealing?.ref ?? '', reason: v.reason },
        }),
      ),
    onSuccess: () => {
      message.success(t('review.appealed'));
      setAppealing(null);
      appealForm.resetFields();
      refresh();
      void client.invalidateQueries({ queryKey: ['appeals'] }); // the appeal list and its counts
    },
    onError: (error) => {
      if (!showFieldErrors(appealForm, error)) message.error(error.message);
    },
  });
  if (review.isPending) return <Spin />;
  // A first load that failed says why, with a retry (a failed refetch keeps the review shown).
  if (!review.data)
    return (
      <LoadFailed error={review.error} notFound={t('review.notFound')} retry={() => void review.refetch()} />
    );
  const r = review.data;
  // The rules of the call's channel, searchable by title or id; a whole-call rule takes no turn.
  const ruleOptions = r.rules.map((x) => ({ value: x.id, label: `${ruleTitle(x.id, x.title)} · ${x.id}` }));
  const wholeCall = (rule: string | undefined) => r.rules.find((x) => x.id === rule)?.evidenceOn.length === 0;
  const editing = r.status === 'assigned' && r.inspector.id === me?.id;
  const canAppeal =
    me?.role === 'agent' && r.appealUntil !== null && new Date(r.appealUntil).getTime() > Date.now();
  return (
    <Card title={t('review.detailTitle', { call: r.callId })} data-testid="review-detail">
      <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('review.agent')}>
          {`${r.agent.name ?? ''} ${r.agent.id ?? ''}`.trim() || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('review.inspector')}>
          {r.inspector.name ?? r.inspector.id}
        </Descriptions.Item>
        <Descriptions.Item label={t('review.statusLabel')}>
          <span data-testid="review-status">{tx('review.status', r.status)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('review.machineScore')}>
          <span data-testid="machine-score">{score(r.machine.score)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('review.humanScore')}>
          <span data-testid="human-score">{score(r.human.finalScore)}</span>
          {r.human.overrideReason ? ` (${r.human.overrideReason})` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('review.appealUntil')}>
          {r.appealUntil ? fmt(r.appealUntil, r.brand) : '—'}
        </Descriptions.Item>
        {r.comment ? <Descriptions.Item label={t('review.comment')}>{r.comment}</Descriptions.Item> : null}
      </Descriptions>
      <Table<Finding>
        rowKey="ref"
        size="small"
        pagination={false}
        dataSource={r.findings}
        onRow={(f) =>
          ({ 'data-ref': f.ref, 'data-testid': 'finding-row' }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: t('review.rule'),
            render: (_, f) => (
              <Space direction="vertical" size={0}>
                <span data-testid="finding-rule">{ruleTitle(f.rule, f.ruleTitle)}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {f.rule}
                  {f.kind === 'missed' ? ` · ${t('review.missedTag')}` : ''}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('review.turn'), render: (_, f) => (f.turn === null ? '—' : f.turn + 1) },
          {
            title: t('review.evidence'),
            render: (_, f) => <span data-testid="finding-evidence">{evidenceText(f.evidence)}</span>,
          },
          {
            title: t('review.verdict'),
            render: (_, f) =>
              f.kind === 'missed' ? (
                f.overturned ? (
                  <Tag color="red">{t('review.overturned')}</Tag>
                ) : (
                  <Tag>{t('review.added')}</Tag>
                )
              ) : editing ? (
                <Space direction="vertical" size={0}>
                  <Radio.Group
                    data-testid="verdict"
                    value={verdicts[f.index]}
                    onChange={(e) => setVerdicts({ ...verdicts, [f.index]: e.target.value })}
                    options={[
                      { value: 'correct', label: t('review.correct') },
                      { value: 'wrong', label: t('review.wrong') },
                    ]}
                  />
                  {unmarkedShown && verdicts[f.index] === undefined && (
                    <Typography.Text type="danger" data-testid="verdict-missing">
                      {t('review.verdictRequired')}
                    </Typography.Text>
                  )}
                </Space>
              ) : f.verdict ? (
                <Tag color={f.verdict === 'correct' ? 'green' : 'red'}>{t(`review.${f.verdict}`)}</Tag>
              ) : (
                '—'
              ),
          },
          {
            title: t('review.appeal'),
            render: (_, f) =>
              f.appeal ? (
                <Tag data-testid="appeal-status">{tx('review.appealStatus', f.appeal.status)}</Tag>
              ) : canAppeal && !f.overturned && (f.kind === 'missed' || f.verdict === 'correct') ? (
                <Button size="small" data-testid="appeal-open" onClick={() => setAppealing(f)}>
                  {t('review.appealAction')}
                </Button>
              ) : null,
          },
        ]}
      />
      {editing ? (
        <Form<CompleteForm>
          form={form}
          layout="vertical"
          style={{ marginTop: 16 }}
          onFinish={(v) => {
            // Every machine finding is marked before the review is sent (the server would refuse
            // it naming findings by their index, which the table does not show): said in the rows.
            const unmarked = r.findings.filter(
              (f) => f.kind === 'machine' && verdicts[f.index] === undefined,
            );
            if (unmarked.length > 0) {
              setUnmarkedShown(true);
              message.error(t('review.verdictsMissing', { n: unmarked.length }));
              document
                .querySelector(`tr[data-ref="${unmarked[0]?.ref}"]`)
                ?.scrollIntoView({ block: 'center', behavior: 'smooth' });
              return;
            }
            complete.mutate(v);
          }}
          data-testid="review-form"
        >
          <Form.List name="missed">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline" data-testid="missed-row">
                    <Form.Item
                      name={[field.name, 'rule']}
                      rules={[{ required: true, message: t('review.ruleRequired') }]}
                    >
                      <Select
                        showSearch
                        optionFilterProp="label"
                        placeholder={t('review.ruleId')}
                        data-testid="missed-rule"
                        style={{ width: 360 }}
                        popupMatchSelectWidth={480}
                        options={ruleOptions}
                        onChange={(rule: string) => {
                          if (wholeCall(rule)) form.setFieldValue(['missed', field.name, 'turn'], null);
                        }}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'turn']}>
                      <InputNumber
                        min={1}
                        max={r.turns.length}
                        disabled={wholeCall(missedNow?.[field.name]?.rule)}
                        placeholder={t(
                          wholeCall(missedNow?.[field.name]?.rule) ? 'review.wholeCall' : 'review.turnIndex',
                        )}
                        data-testid="missed-turn"
                        // Wide enough for its placeholder in either language, and the spin buttons.
                        style={{ width: 200 }}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'note']}>
                      <Input
                        placeholder={t('review.note')}
                        data-testid="missed-note"
                        style={{ width: 240 }}
                      />
                    </Form.Item>
                    <Button onClick={() => remove(field.name)}>{t('review.removeMissed')}</Button>
                  </Space>
                ))}
                <Button onClick={() => add()} data-testid="missed-add" style={{ marginBottom: 16 }}>
                  {t('review.addMissed')}
                </Button>
              </>
            )}
          </Form.List>
          <Form.Item name="comment" label={t('review.comment')}>
            <Input.TextArea rows={2} data-testid="review-comment" />
          </Form.Item>
          <Space align="baseline">
            <Form.Item name="overrideScore" label={t('review.overrideScore')}>
              <InputNumber min={0} max={100} data-testid="override-score" />
            </Form.Item>
            <Form.Item name="overrideReason" label={t('review.overrideReason')}>
              <Input data-testid="override-reason" />
            </Form.Item>
          </Space>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={complete.isPending} data-testid="review-submit">
              {t('review.submit')}
            </Button>
          </Form.Item>
        </Form>
      ) : null}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('review.transcript')}
      </Typography.Title>
      <List
        size="small"
        dataSource={r.turns}
        renderItem={(turn, i) => (
          <List.Item>
            <Typography.Text type="secondary">{i + 1}.</Typography.Text>&nbsp;
            <Tag>{tx('review.speaker', turn.speaker)}</Tag>
            {turn.text}
          </List.Item>
        )}
      />
      <Modal
        open={appealing !== null}
        title={t('review.appealTitle', {
          rule: appealing ? ruleTitle(appealing.rule, appealing.ruleTitle) : '',
        })}
        onCancel={() => setAppealing(null)}
        onOk={() => appealForm.submit()}
        okButtonProps={{ loading: appeal.isPending, ...({ 'data-testid': 'appeal-submit' } as object) }}
        destroyOnHidden
      >
        <Form form={appealForm} layout="vertical" onFinish={(v) => appeal.mutate(v)}>
          <Form.Item
            name="reason"
            label={t('review.appealReason')}
            rules={[{ required: true, message: t('review.appealReasonRequired') }]}
          >
            <Input.TextArea rows={3} data-testid="appeal-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
