// One ticket: its three deadline clocks, the actions its status and the user's role allow
// (others disabled with the reason), replies, follow-up visits and the history. Every action
// sends the version shown (a dialog: the version shown when it was opened); a 409 means someone
// changed the ticket meanwhile: nothing was saved, and the page says so and offers a reload. A
// dialog stays open through the conflict with what was typed: reloaded, it sends the new version.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Rate,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Role } from '../../api/access';
import { ApiError, api, ok } from '../../api/client';
import {
  ReplyChannel,
  SuggestionOutcome,
  TicketAction,
  TicketLevel,
  TicketStatus,
} from '../../api/enums.gen';
import type { components } from '../../api/schema';
import { useMe } from '../../auth';
import { useI18n } from '../../i18n/i18n';
import { useBrands, useFormatTime } from '../../lib/brands';
import { formatPhone } from '../../lib/phone';
import { formatDuration, GatedButton, LoadFailed, useDenial } from '../common';
import type { Ticket } from './list';

type Deadline = components['schemas']['TicketDeadline'];
type Action = TicketAction | 'reply' | 'escalate' | 'assign';
/** Where each life-cycle button is shown (a Record: the compiler wants every TicketAction). */
const ACTION_ORDER: Record<TicketAction, number> = {
  accept: 0,
  start: 1,
  wait: 2,
  resolve: 3,
  'follow-up': 4,
  close: 5,
  reopen: 6,
};
const STATE_ACTIONS = [...TicketAction].sort((a, b) => ACTION_ORDER[a] - ACTION_ORDER[b]);
const COMPLAINT_CLOSERS: Role[] = ['team-lead', 'room-director', 'complaint-desk', 'admin'];
const STATE_COLOURS: Record<string, string> = {
  open: 'blue',
  paused: 'default',
  overdue: 'red',
  met: 'green',
  'met-late': 'orange',
  void: 'default',
};

function DeadlineClock({ d, brand }: { d: Deadline; brand: string }) {
  const { t, tx, lang } = useI18n();
  const fmt = useFormatTime();
  let detail: string;
  if (d.metAt) detail = t('ticket.deadline.metAt', { at: fmt(d.metAt, brand) });
  else if (d.remainingMs !== null && d.remainingMs < 0)
    detail = t('ticket.deadline.late', { time: formatDuration(d.remainingMs, lang) });
  else if (d.remainingMs !== null)
    detail = t('ticket.deadline.remaining', { time: formatDuration(d.remainingMs, lang) });
  else detail = '';
  return (
    <Card size="small" data-testid={`deadline-${d.kind}`} data-state={d.state}>
      <Space direction="vertical" size={2}>
        <Space>
          <Typography.Text strong>{tx('ticket.deadline', d.kind)}</Typography.Text>
          <Tag color={STATE_COLOURS[d.state]}>{tx('ticket.deadline.state', d.state)}</Tag>
        </Space>
        <Typography.Text>{t('ticket.deadline.due', { at: fmt(d.dueAt, brand) })}</Typography.Text>
        <Typography.Text type={d.state === 'overdue' ? 'danger' : 'secondary'}>{detail}</Typography.Text>
      </Space>
    </Card>
  );
}

interface FormSpec {
  action: Action;
  fields: ReactNode;
  /** The version the user saw when opening the dialog: the one sent, until they reload. */
  version: number;
  /** What the dialog's input was written against: an escalation from this level, an assignment
   * replacing this assignee. Changed by someone else, the dialog refuses rather than apply it on top. */
  level: string;
  assignee: string | null;
}

export function TicketDetailPage() {
  const { id = '' } = useParams();
  const { t, tx } = useI18n();
  const fmt = useFormatTime();
  /**
   * What the ticket's type records: what the complaint desk judges a complaint by (its category,
   * the 工号 it is about), where a suggestion went and its outcome, a callback's reason and
   * promised time, a repair's visit. A message's colleague is the list's, by name.
   */
  const typeDetails = (tk: Ticket): ReactNode[] => {
    const item = (key: string, label: string, value: ReactNode) => (
      <Descriptions.Item key={key} label={label}>
        <span data-testid={`ticket-${key}`}>{value}</span>
      </Descriptions.Item>
    );
    const d = tk.details;
    switch (d.type) {
      case 'complaint':
        return [
          item('subtype', t('ticket.subtype'), tx('console.ticket.subtype', d.subtype)),
          item(
            'about',
            t('ticket.about'),
            d.aboutAgentNumber
              ? t('ticket.about.agent', { number: d.aboutAgentNumber })
              : t('ticket.about.none'),
          ),
        ];
      case 'suggestion':
        return [
          item('department', t('ticket.department'), d.department || '—'),
          item('outcome', t('ticket.outcome'), d.outcome ? tx('ticket.outcome', d.outcome) : '—'),
        ];
      case 'callback':
        return [
          item('callback-reason', t('ticket.callbackReason'), tx('callbacks.reason', d.reason)),
          item('callback-due', t('ticket.callbackDue'), d.dueAt ? fmt(d.dueAt, tk.brand) : '—'),
        ];
      case 'repair':
        return [
          item(
            'visit',
            t('ticket.visitWindow'),
            `${fmt(d.visitWindow.from, tk.brand)} – ${fmt(d.visitWindow.to, tk.brand)}`,
          ),
        ];
      case 'technical':
        return d.technician ? [item('technician', t('ticket.technician'), d.technician)] : [];
      default:
        return [];
    }
  };
  const client = useQueryClient();
  const { message } = App.useApp();
  const me = useMe().data;
  const role = me?.role as Role | undefined;
  const deny = useDenial();
  const brands = useBrands().data ?? [];
  const [form] = Form.useForm();
  const [open, setOpen] = useState<FormSpec | null>(null);
  const [conflict, setConflict] = useState(false);

  const ticket = useQuery({
    queryKey: ['ticket', id],
    queryFn: () => ok(api.GET('/api/tickets/{id}', { params: { path: { id } } })),
    refetchInterval: 60_000,
  });
  const events = useQuery({
    queryKey: ['ticket', id, 'events'],
    queryFn: () => ok(api.GET('/api/tickets/{id}/events', { params: { path: { id } } })),
  });
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => ok(api.GET('/api/users')),
    enabled: deny('post', '/api/tickets/{id}/assign') === null,
  });

  const act = useMutation({
    mutationFn: async ({
      action,
      version,
      body,
    }: {
      action: Action;
      version: number;
      body: Record<string, unknown>;
    }): Promise<Ticket> => {
      const params = { path: { id } };
      const b = { version, ...body } as never;
      switch (action) {
        case 'reply':
          return ok(api.POST('/api/tickets/{id}/replies', { params, body: b }));
        case 'escalate':
          return ok(api.POST('/api/tickets/{id}/escalate', { params, body: b }));
        case 'assign':
          return ok(api.POST('/api/tickets/{id}/assign', { params, body: b }));
        default:
          return ok(api.POST(`/api/tickets/{id}/${action}`, { params, body: b }));
      }
    },
    meta: { quiet: true },
    onSuccess: (next, { action }) => {
      client.setQueryData(['ticket', id], next);
      void client.invalidateQueries({ queryKey: ['ticket', id, 'events'] });
      void client.invalidateQueries({ queryKey: ['tickets'] });
      setOpen(null);
      form.resetFields();
      message.success(t('ticket.action.done', { action: t(`ticket.action.${action}`) }));
    },
    onError: (error) => {
      // The dialog stays open with what was typed; it sends nothing until reloaded.
      if (error instanceof ApiError && error.code === 'conflict') setConflict(true);
      else message.error(error.message);
    },
  });

  /** A person an event names, as the server named them (系统 for the system's own actions). */
  const nameIn =
    (names: Record<string, string>) =>
    (userId: unknown): string =>
      typeof userId !== 'string' || userId === 'system'
        ? t('ticket.system')
        : (names[userId] ?? t('ticket.unknownUser'));

  /** Who an entry is by: the person it names, 系统 for the checker's own entries (a breach, a
   * reminder, their escalations); nothing for an entry a person's action wrote without naming
   * them (a deadline met by a reply, a reopening by an unhappy visit). */
  const byOf = (e: { type: string; data: Record<string, unknown>; names: Record<string, string> }) => {
    if (typeof e.data.by === 'string') return nameIn(e.names)(e.data.by);
    const checkers =
      e.type === 'breached' ||
      e.type === 'reminded' ||
      (e.type === 'escalated' && (e.data.reason === 'breach' || e.data.reason === 'reminder'));
    return checkers ? t('ticket.system') : null;
  };

  if (ticket.isPending) return <Spin />;
  // A failed refetch (the server down a while, the session ended) keeps the ticket on screen,
  // and the dialog open on it with what was typed: only a first load that failed has nothing.
  if (!ticket.data)
    return (
      <LoadFailed error={ticket.error} notFound={t('ticket.notFound')} retry={() => void ticket.refetch()} />
    );
  const tk = ticket.data;
  // Whoever a complaint is about (an agent, or a lead who takes calls) reads it and changes
  // nothing on it (permissions.ts notTheSubject); the server sends them no people.
  const d = tk.details;
  const aboutMe =
    !!me &&
    d.type === 'complaint' &&
    (d.aboutUserId === me.id || (me.agentNumber !== null && d.aboutAgentNumber === me.agentNumber));
  /** After a conflict: the ticket as it is now; an open dialog will send this version. */
  const reload = async () => {
    const fresh = await ticket.refetch();
    await events.refetch();
    // A failed refetch leaves the old ticket in the cache: sending its version again would only
    // conflict again, so the conflict stays until a reload succeeds.
    if (fresh.isError || !fresh.data) {
      message.error(fresh.error?.message ?? t('ticket.conflict.text'));
      return;
    }
    const version = fresh.data.version;
    setOpen((o) => (o ? { ...o, version } : o));
    setConflict(false);
  };
  const brandName = brands.find((b) => b.brand === tk.brand)?.name ?? tk.brand;

  /** Why the action cannot be taken now, or null. */
  const reasonFor = (action: Action): string | null => {
    const path =
      action === 'reply'
        ? '/api/tickets/{id}/replies'
        : (`/api/tickets/{id}/${action}` as '/api/tickets/{id}/accept');
    const denied = deny('post', path);
    if (denied) return denied;
    if (action === 'close' && tk.type === 'complaint' && role && !COMPLAINT_CLOSERS.includes(role))
      return t('ticket.closeComplaintRole');
    // The server's rules (permissions.ts), said on the button rather than as a 403 after the
    // click: whoever a complaint is about — an agent, or a lead who takes calls — reads it and
    // changes nothing on it (notTheSubject: every role); an agent works their own tickets and
    // nobody's (mayWork).
    if (aboutMe) return t('ticket.aboutYou');
    if (role === 'agent' && me && tk.assignee !== null && tk.assignee !== me.id)
      return t('ticket.notYours', { name: tk.assigneeName ?? tk.assignee });
    const status = tx('ticket.status', tk.status);
    if (
      (STATE_ACTIONS as readonly string[]).includes(action) &&
      !tk.availableActions.includes(action as never)
    )
      return t('ticket.notNow', { status });
    if (action === 'reply' && (tk.status === 'new' || tk.status === 'closed'))
      return t('ticket.notNow', { status });
    if ((action === 'escalate' || action === 'assign') && tk.status === 'closed')
      return t('ticket.notNow', { status });
    if (action === 'escalate' && tk.level === 'complaint-desk') return t('ticket.notNow', { status });
    return null;
  };

  const forms: Partial<Record<Action, ReactNode>> = {
    reply: (
      <>
        <Form.Item name="text" label={t('ticket.reply.text')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={4} maxLength={5000} />
        </Form.Item>
        <Form.Item name="channel" label={t('ticket.reply.channel')} initialValue="phone">
          <Select
            options={ReplyChannel.map((c) => ({
              value: c,
              label: tx('ticket.channel', c),
            }))}
          />
        </Form.Item>
      </>
    ),
    escalate: (
      <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={3} maxLength={500} />
      </Form.Item>
    ),
    reopen: (
      <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={3} maxLength={500} />
      </Form.Item>
    ),
    wait: (
      <Form.Item name="reason" label={t('common.reason')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    ),
    'follow-up': (
      <>
        <Form.Item name="reached" label={t('followUps.reached')} initialValue={true}>
          <Radio.Group
            data-testid="follow-up-reached"
            options={[
              { value: true, label: t('followUps.reached.yes') },
              { value: false, label: t('followUps.reached.no') },
            ]}
          />
        </Form.Item>
        <Form.Item noStyle dependencies={['reached']}>
          {({ getFieldValue }) =>
            getFieldValue('reached') === false ? null : (
              <Form.Item
                name="satisfaction"
                label={t('ticket.satisfaction')}
                rules={[{ required: true, message: t('followUps.satisfactionRequired') }]}
                extra={tk.type === 'complaint' ? t('followUps.threshold') : undefined}
              >
                <Rate data-testid="satisfaction" />
              </Form.Item>
            )
          }
        </Form.Item>
        <Form.Item name="comment" label={t('common.comment')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </>
    ),
    assign: (
      <Form.Item name="assignee" label={t('ticket.assignTo')} rules={[{ required: true }]}>
        <Select
          showSearch
          optionFilterProp="label"
          options={(users.data?.items ?? [])
            // Only who may work the ticket's brand: without a brand, or of this one.
            .filter(
              (u) =>
                !u.disabled &&
                u.role !== 'admin' &&
                u.role !== 'qa-inspector' &&
                (u.brand === null || u.brand === tk.brand),
            )
            .map((u) => ({ value: u.id, label: `${u.displayName} (${u.username}) · ${tx('role', u.role)}` }))}
        />
      </Form.Item>
    ),
    ...(tk.type === 'suggestion'
      ? {
          resolve: (
            <>
              {/* Required here too: the server refuses a suggestion resolved without its outcome. */}
              <Form.Item name="outcome" label={t('ticket.outcome')} rules={[{ required: true }]}>
                <Select
                  allowClear
                  data-testid="resolve-outcome"
                  options={SuggestionOutcome.map((o) => ({
                    value: o,
                    label: tx('ticket.outcome', o),
                  }))}
                  onChange={(o?: SuggestionOutcome) => {
                    // The seed's line for the outcome (000 八), unless the worker wrote their own.
                    const typed = form.getFieldValue('replyText') as string | undefined;
                    const lines = SuggestionOutcome.map((x) => t(`ticket.outcome.reply.${x}`));
                    if (o && (!typed?.trim() || lines.includes(typed)))
                      form.setFieldValue('replyText', t(`ticket.outcome.reply.${o}`));
                  }}
                />
              </Form.Item>
              {/* 件件有回音: the caller is told what became of the suggestion; the server refuses
                  to resolve one whose customer has no reply yet. */}
              <Form.Item
                name="replyText"
                label={t('ticket.outcome.reply')}
                extra={tk.replies.length > 0 ? t('ticket.outcome.reply.optional') : undefined}
                rules={[{ required: tk.replies.length === 0, whitespace: true }]}
              >
                <Input.TextArea rows={3} maxLength={5000} data-testid="resolve-reply" />
              </Form.Item>
              <Form.Item name="replyChannel" label={t('ticket.reply.channel')} initialValue="phone">
                <Select options={ReplyChannel.map((c) => ({ value: c, label: tx('ticket.channel', c) }))} />
              </Form.Item>
            </>
          ),
        }
      : {}),
  };

  const press = (action: Action) => {
    const fields = forms[action];
    if (fields) {
      form.resetFields();
      // A page-level conflict stays: the dialog shows it and sends nothing until reloaded.
      setOpen({ action, fields, version: tk.version, level: tk.level, assignee: tk.assignee });
    } else act.mutate({ action, version: tk.version, body: {} });
  };
  const button = (action: Action, primary = false) => (
    <GatedButton
      key={action}
      type={primary ? 'primary' : 'default'}
      reason={reasonFor(action)}
      onClick={() => press(action)}
      loading={act.isPending && act.variables?.action === action}
      data-testid={`action-${action}`}
    >
      {t(`ticket.action.${action}`)}
    </GatedButton>
  );
  // The status changes the ticket allows now come first; the others stay visible, disabled
  // with their reason.
  /** What changed under an open escalation or assignment since it was opened, or null. */
  const changedUnder = (spec: FormSpec): string | null =>
    spec.action === 'escalate' && tk.level !== spec.level
      ? t('ticket.changedUnder.escalated', { level: tx('ticket.level', tk.level) })
      : spec.action === 'assign' && tk.assignee !== spec.assignee
        ? tk.assignee === null
          ? t('ticket.changedUnder.unassigned')
          : t('ticket.changedUnder.assigned', { name: tk.assigneeName ?? tk.assignee })
        : null;
  const refusal = open && !conflict ? (changedUnder(open) ?? reasonFor(open.action)) : null;
  const stateButtons = STATE_ACTIONS.filter((a) => tk.availableActions.includes(a));

  return (
    <Space
      direction="vertical"
      style={{ width: '100%' }}
      size="middle"
      data-testid="ticket-detail"
      data-version={tk.version}
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          title={t('ticket.conflict.title')}
          description={t('ticket.conflict.text')}
          data-testid="ticket-conflict"
          action={
            <Button data-testid="ticket-reload" onClick={() => void reload()}>
              {t('common.reload')}
            </Button>
          }
        />
      )}
      <Card
        title={
          <Space>
            <span data-testid="ticket-subject">{tk.subject}</span>
            <Tag data-testid="ticket-status">{tx('ticket.status', tk.status)}</Tag>
            {tk.overdue && <Tag color="red">{t('ticket.overdue')}</Tag>}
          </Space>
        }
        extra={
          <Typography.Text type="secondary">
            {t('common.timeZone', {
              zone: brands.find((b) => b.brand === tk.brand)?.timeZone ?? 'Asia/Shanghai',
            })}
          </Typography.Text>
        }
      >
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t('ticket.number')}>
            <span data-testid="ticket-number">{tk.number ?? '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('ticket.type')}>{tx('ticket.type', tk.type)}</Descriptions.Item>
          <Descriptions.Item label={t('ticket.level')}>
            <span data-testid="ticket-level">{tx('ticket.level', tk.level)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('ticket.priority')}>
            {tx('ticket.priority', tk.priority)}
          </Descriptions.Item>
          <Descriptions.Item label={t('common.brand')}>{brandName}</Descriptions.Item>
          <Descriptions.Item label={t('ticket.assignee')}>
            <span data-testid="ticket-assignee">
              {/* Who handles a complaint is not shown to the agent it is about (the server sends nobody). */}
              {aboutMe ? t('ticket.assignee.hidden') : (tk.assigneeName ?? t('ticket.unassigned'))}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('ticket.customer')}>
            {tk.customerPhone && /^\d+$/.test(tk.customerPhone) ? (
              // Their calls and tickets, whether or not anyone recorded them as a customer. A masked
              // (138****8000) or foreign (+852…) number is shown as stored, not linked: the
              // customers screen searches by digits and would open an empty or another history.
              <Link
                to={`/customers?phone=${encodeURIComponent(tk.customerPhone)}`}
                data-testid="ticket-customer"
              >
                {formatPhone(tk.customerPhone)}
              </Link>
            ) : (
              formatPhone(tk.customerPhone)
            )}
          </Descriptions.Item>
          {/* The number to call back on (联系电话), when the customer gave another than theirs. */}
          {tk.contactPhone && tk.contactPhone !== tk.customerPhone && (
            <Descriptions.Item label={t('ticket.contact')}>
              <a href={`tel:${tk.contactPhone}`} data-testid="ticket-contact">
                {formatPhone(tk.contactPhone)}
              </a>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('common.createdAt')}>{fmt(tk.createdAt, tk.brand)}</Descriptions.Item>
          <Descriptions.Item label={t('ticket.version')}>{tk.version}</Descriptions.Item>
          {typeDetails(tk)}
        </Descriptions>
        {tk.description && (
          // Line breaks kept: the console writes the call's last turns one a line.
          <Typography.Paragraph data-testid="ticket-description" style={{ whiteSpace: 'pre-wrap' }}>
            {tk.description}
          </Typography.Paragraph>
        )}
        <Space wrap data-testid="ticket-actions">
          {stateButtons.map((a, i) => button(a, i === 0))}
          {button('reply')}
          {button('escalate')}
          {button('assign')}
          {STATE_ACTIONS.filter((a) => !tk.availableActions.includes(a)).map((a) => button(a))}
        </Space>
      </Card>
      <Card size="small" title={t('ticket.deadlines')}>
        <Row gutter={12}>
          {tk.deadlines.map((d) => (
            <Col span={8} key={d.kind}>
              <DeadlineClock d={d} brand={tk.brand} />
            </Col>
          ))}
        </Row>
      </Card>
      <Row gutter={12}>
        <Col span={12}>
          <Card size="small" title={t('ticket.replies')} data-testid="ticket-replies">
            {tk.replies.length === 0 && (
              <Typography.Text type="secondary">{t('ticket.replies.none')}</Typography.Text>
            )}
            {tk.replies.map((r) => (
              <Typography.Paragraph key={r.at + r.text}>
                <Typography.Text type="secondary">
                  {fmt(r.at, tk.brand)} · {tx('ticket.channel', r.channel)}
                </Typography.Text>
                <br />
                {r.text}
              </Typography.Paragraph>
            ))}
          </Card>
          <Card
            size="small"
            title={t('ticket.followUps')}
            style={{ marginTop: 12 }}
            data-testid="ticket-follow-ups"
          >
            {tk.followUps.length === 0 && (
              <Typography.Text type="secondary">{t('ticket.followUps.none')}</Typography.Text>
            )}
            {tk.followUps.map((f) => (
              <Typography.Paragraph key={f.at} data-testid="follow-up-visit" data-reached={String(f.reached)}>
                <Typography.Text type="secondary">{fmt(f.at, tk.brand)}</Typography.Text>{' '}
                {f.reached ? (
                  <Rate disabled value={f.satisfaction ?? 0} style={{ fontSize: 14 }} />
                ) : (
                  <Tag>{t('ticket.followUp.notReached')}</Tag>
                )}{' '}
                {f.comment}
              </Typography.Paragraph>
            ))}
            {tk.status === 'resolved' && tk.followUpAttempts > 0 && (
              <Typography.Text type="secondary">
                {t('ticket.followUp.attempts', { n: tk.followUpAttempts })}
              </Typography.Text>
            )}
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title={t('ticket.history')} data-testid="ticket-history">
            <Timeline
              items={(events.data?.items ?? []).map((e) => ({
                key: e.id,
                color: e.type === 'breached' ? 'red' : e.type === 'escalated' ? 'orange' : 'blue',
                children: (
                  <span data-testid="history-item" data-type={e.type}>
                    {fmt(e.at, tk.brand)} · {tx('ticket.event', e.type)}
                    {describeEvent(e.data, tx, nameIn(e.names), t('common.colon'))}
                    {byOf(e) !== null && (
                      <Typography.Text type="secondary" data-testid="history-by">
                        {' · '}
                        {byOf(e)}
                      </Typography.Text>
                    )}
                  </span>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
      <Modal
        open={open !== null}
        title={open ? t(`ticket.action.${open.action}`) : ''}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={act.isPending}
        onCancel={() => setOpen(null)}
        onOk={() => form.submit()}
        // Stale (until reloaded) or no longer possible on the reloaded ticket: nothing to send.
        okButtonProps={{
          disabled: conflict || (open !== null && (open.version !== tk.version || refusal !== null)),
        }}
        destroyOnHidden
        data-testid="action-dialog"
      >
        {open && conflict && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('ticket.conflict.title')}
            description={t('ticket.conflict.dialog')}
            data-testid="dialog-conflict"
            action={
              <Button data-testid="dialog-reload" onClick={() => void reload()}>
                {t('common.reload')}
              </Button>
            }
          />
        )}
        {open && !conflict && open.version !== tk.version && (
          // Changed since the dialog opened (the page refreshes itself): said before sending.
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('ticket.conflict.changed')}
            data-testid="dialog-changed"
            action={
              <Button data-testid="dialog-reload" onClick={() => void reload()}>
                {t('common.reload')}
              </Button>
            }
          />
        )}
        {refusal !== null && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={refusal}
            data-testid="dialog-refused"
          />
        )}
        <Form
          form={form}
          layout="vertical"
          onFinish={(values: Record<string, unknown>) => {
            if (!open) return;
            const { replyText, replyChannel, ...rest } = values;
            const body = Object.fromEntries(
              Object.entries(rest).filter(([, v]) => v !== undefined && v !== ''),
            );
            // A suggestion's resolution carries its reply to the customer, recorded first.
            if (typeof replyText === 'string' && replyText.trim())
              body.reply = { text: replyText, channel: replyChannel ?? 'phone' };
            act.mutate({ action: open.action, version: open.version, body });
          }}
        >
          {open?.fields}
        </Form>
      </Modal>
    </Space>
  );
}

/** The useful part of an event's data: "新建 → 已受理", "组长 → 室主任 (超时: 首次响应)". */
function describeEvent(
  data: Record<string, unknown>,
  tx: (prefix: string, value: string) => string,
  nameOf: (userId: string) => string,
  colon: string,
): string {
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  const parts: string[] = [];
  if (data.to !== undefined && !(s(data.to) in LEVEL_SET) && !(s(data.to) in STATUS_SET)) {
    // An assignment: from one user to another, by name.
    parts.push(`${data.from ? nameOf(s(data.from)) : '—'} → ${nameOf(s(data.to))}`);
  } else if (data.from !== undefined && data.to !== undefined) {
    const prefix = s(data.to) in LEVEL_SET ? 'ticket.level' : 'ticket.status';
    parts.push(`${tx(prefix, s(data.from))} → ${tx(prefix, s(data.to))}`);
  }
  if (typeof data.deadline === 'string') parts.push(tx('ticket.deadline', data.deadline));
  if (typeof data.satisfaction === 'number') parts.push(`★${data.satisfaction}`);
  if (data.reached === false) parts.push(tx('ticket.followUp', 'notReached'));
  if (typeof data.count === 'number') parts.push(`#${data.count}`);
  if (typeof data.note === 'string' && data.note) parts.push(data.note);
  if (data.reason === 'reminder' || data.reason === 'dissatisfied')
    parts.push(tx('ticket.escalation', data.reason));
  else if (
    typeof data.reason === 'string' &&
    data.reason &&
    data.reason !== 'breach' &&
    data.reason !== 'manual'
  )
    parts.push(data.reason);
  return parts.length > 0 ? `${colon}${parts.join(' · ')}` : '';
}

const LEVEL_SET: Record<string, true> = Object.fromEntries(TicketLevel.map((x) => [x, true]));
const STATUS_SET: Record<string, true> = Object.fromEntries(TicketStatus.map((x) => [x, true]));
