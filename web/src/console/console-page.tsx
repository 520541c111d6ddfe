// The agent console (坐席工作台): the screen an agent keeps open all day. The softphone's
// controls and buttons (each with its key), the customer card at ring, the live transcript with
// the flagged phrases and their lines, the script lines best first, the checklist and the
// clocks, one-click tickets, and the inspection after the hang-up. Live data comes from the
// socket (use-live.ts); call control goes through POST /api/cti/events from the agent's session.
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Empty,
  Input,
  Modal,
  Popover,
  Row,
  Segmented,
  Space,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api, ok } from '../api/client';
import type { paths } from '../api/schema';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh';
import { AgentStateControl } from './agent-state';
import { Clocks, CustomerCard, InspectionPanel, Stages, Suggestions, Transcript } from './panels';
import { BUTTONS, type Button as LineButton, type Speaker } from './protocol';
import { type Action, KeyReader, keyLabel, keyOf, SHORTCUTS, SOFTPHONE_IN_DIALOG } from './shortcuts';
import { type CallView, currentCall } from './state';
import { TICKET_KINDS, TicketButtons, type TicketKind } from './tickets';
import { useLive } from './use-live';

const { Text } = Typography;

/** What the softphone controls post to POST /api/cti/events (the ring comes from the server). */
type CtiType = Exclude<
  paths['/api/cti/events']['post']['requestBody']['content']['application/json']['type'],
  'ring'
>;

export function ConsolePage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const live = useLive();
  const call = currentCall(live.state);
  const [draft, setDraft] = useState('');
  const [speaker, setSpeaker] = useState<Speaker>('agent');
  const [help, setHelp] = useState(false);
  const [transferOpen, setTransferOpen] = useState(false);
  const [harassment, setHarassment] = useState<string | null>(null);
  const [reasonsOpen, setReasonsOpen] = useState(false);
  /** The one-click ticket whose form is open (its button or its key) and the call it is for. */
  const [ticket, setTicket] = useState<{ kind: TicketKind; callId: string } | null>(null);
  const ticketCall = ticket ? (live.state.calls[ticket.callId] ?? null) : null;
  const input = useRef<HTMLTextAreaElement | null>(null);
  const refs = useRef(1);

  const softphone = useQuery({
    queryKey: ['console', 'softphone'],
    queryFn: () => ok(api.GET('/api/live/softphone')),
    staleTime: 60_000,
  });

  const cti = useMutation({
    meta: { quiet: true },
    mutationFn: (body: { callId: string; type: CtiType; to?: string; by?: 'agent'; harassment?: boolean }) =>
      ok(api.POST('/api/cti/events', { body })),
    onError: (err) =>
      message.error({ content: err instanceof Error ? err.message : String(err), key: 'cti' }),
  });

  const post = useCallback(
    (type: CtiType, extra: { to?: string } = {}) => {
      if (!call) return;
      cti.mutate({
        callId: call.callId,
        type,
        ...extra,
        ...(type === 'hangup'
          ? { by: 'agent' as const, ...(harassment === call.callId ? { harassment: true } : {}) }
          : {}),
      });
    },
    [call, cti, harassment],
  );

  const press = useCallback(
    (button: LineButton) => {
      if (!call) return;
      if (!live.send({ type: 'button', callId: call.callId, button, ref: `b${refs.current++}` }))
        message.warning({ content: t('console.offline.notSent'), key: 'offline' });
      if (button === 'harassment') setHarassment(call.callId);
    },
    [call, live, message, t],
  );

  const sendTurn = useCallback(() => {
    const text = draft.trim();
    if (!call || !text) return;
    // Kept in the input unless the socket took it: nothing typed is lost while offline.
    if (live.send({ type: 'turn', callId: call.callId, speaker, text, ref: `t${refs.current++}` }))
      setDraft('');
    else message.warning({ content: t('console.offline.notSent'), key: 'offline' });
  }, [call, draft, live, message, speaker, t]);

  const setAgentState = useCallback(
    (state: 'ready' | 'not-ready', reason?: string) => {
      setReasonsOpen(false);
      const m = {
        type: 'agent-state' as const,
        state,
        ...(reason ? { reason } : {}),
        ref: `s${refs.current++}`,
      };
      if (!live.send(m)) message.warning({ content: t('console.offline.notSent'), key: 'offline' });
    },
    [live, message, t],
  );

  /** Where the cursor goes in the input once the draft a script line changed is shown. */
  const caret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const at = caret.current;
    if (at === null || !input.current || draft.length < at) return;
    caret.current = null;
    input.current.setSelectionRange(at, at);
  }, [draft]);

  /**
   * A script line into the input as the agent's turn, the cursor after it to edit or send it.
   * An empty input takes the line; a draft being typed keeps every character, the line put in
   * at its cursor (the end, if the cursor was never placed).
   */
  const use = useCallback((text: string) => {
    setSpeaker('agent');
    const el = input.current;
    setDraft((d) => {
      if (!d.trim()) {
        caret.current = text.length;
        return text;
      }
      const at = el && el.value === d ? el.selectionEnd : d.length;
      caret.current = at + text.length;
      return d.slice(0, at) + text + d.slice(at);
    });
    el?.focus();
  }, []);

  const act = useCallback(
    (action: Action) => {
      if (action === 'help') return setHelp((h) => !h);
      if (action === 'focus-input') return input.current?.focus();
      if (action === 'switch-speaker') return setSpeaker((s) => (s === 'agent' ? 'customer' : 'agent'));
      if (action === 'ready') return setAgentState('ready');
      if (action === 'not-ready') return setReasonsOpen((o) => !o);
      if (!call) return;
      // A ticket is filed during the call or after the hang-up (the call then stored).
      if (action.startsWith('ticket-')) {
        const kind = TICKET_KINDS.find((k) => action === `ticket-${k}`);
        return kind && setTicket({ kind, callId: call.callId });
      }
      if (call.status === 'ended') return;
      switch (action) {
        case 'answer':
          if (call.status === 'ringing') post('answer');
          return;
        case 'hold':
          if (call.status === 'talking') post('hold');
          else if (call.status === 'on-hold') post('unhold');
          return;
        case 'transfer':
          if (call.status !== 'ringing') setTransferOpen(true);
          return;
        case 'hangup':
          post('hangup');
          return;
        case 'use-line': {
          const best = call.guidance[0];
          if (best) use(best.text);
          return;
        }
        default:
          if (call.status !== 'ringing') press(action as LineButton);
      }
    },
    [call, post, press, setAgentState, use],
  );

  // One reader for the page's life: the listener below is bound again as the call changes.
  const keys = useRef(new KeyReader());
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat) return;
      const { action, swallow } = keys.current.read(e, performance.now());
      // The rest of a burst of typing that began with a bare shortcut: not typed into the form
      // the shortcut opened (shortcuts.ts KeyReader).
      if (swallow) e.preventDefault();
      if (!action) return;
      // In a dialog (a ticket form filled while the caller waits) keys are the dialog's, except
      // the softphone with Alt: the agent can still answer, hold or end the call without first
      // closing the form and losing its place. Another Alt+key of the console does nothing
      // there (and does not open the browser's menu, Alt+F).
      const inDialog = document.querySelector('.ant-modal-wrap:not([style*="display: none"])');
      if (inDialog && !(e.altKey && SOFTPHONE_IN_DIALOG.has(action))) {
        if (e.altKey) e.preventDefault();
        return;
      }
      e.preventDefault();
      act(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [act]);

  return (
    <div data-testid="console" style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      <Row gutter={8} align="middle" wrap={false}>
        <Col flex="none">
          <ConnectionTag connection={live.connection} />
        </Col>
        <Col flex="auto">
          {call ? (
            <Space size="small" wrap>
              <Tag color={statusColour(call)} data-testid="call-status" data-status={call.status}>
                {t(`console.status.${call.status}` as MessageKey)}
              </Tag>
              <Text type="secondary" data-testid="call-id">
                {call.callId}
              </Text>
              {call.transferredTo && <Tag>{t('console.transferredTo', { to: call.transferredTo })}</Tag>}
              {call.lost && (
                <Tag color="red" data-testid="call-lost">
                  {t('console.lost')}
                </Tag>
              )}
            </Space>
          ) : (
            <Text type="secondary" data-testid="no-call">
              {t('console.waiting')}
            </Text>
          )}
        </Col>
        <Col flex="none">{call && <Clocks call={call} serverNow={live.serverNow} />}</Col>
        <Col flex="none">
          <AgentStateControl
            agent={live.agent}
            rules={live.agentRules}
            serverNow={live.serverNow}
            reasonsOpen={reasonsOpen}
            onReasonsOpen={setReasonsOpen}
            onChange={setAgentState}
            keyOf={keyOf}
          />
        </Col>
        <Col flex="none">
          <Button size="small" onClick={() => setHelp(true)} data-testid="shortcuts-open">
            {t('console.shortcuts')} <Tag style={{ marginLeft: 4, marginRight: 0 }}>?</Tag>
          </Button>
        </Col>
      </Row>
      {live.errors.map((e) => (
        <Alert
          key={e.id}
          type="error"
          showIcon
          closable
          message={e.message}
          onClose={() => live.dismiss(e.id)}
        />
      ))}
      <Softphone call={call} act={act} practice={softphone.data?.available === true} />
      <Row gutter={8}>
        <Col span={7}>
          <Space direction="vertical" size={8} style={{ width: '100%' }}>
            {call ? (
              <CustomerCard call={call} />
            ) : (
              <IdleCard title="console.card.title" text="console.card.before" />
            )}
            {call ? <Stages call={call} /> : null}
          </Space>
        </Col>
        <Col span={10}>
          <Card size="small" title={t('console.transcript')} styles={{ body: { padding: 8 } }}>
            {call ? (
              <Transcript key={call.callId} call={call} /* one per call: the next starts at its end */ />
            ) : (
              <div style={{ height: 300, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('console.waiting')} />
              </div>
            )}
            <Space.Compact style={{ width: '100%', marginTop: 8 }}>
              <Segmented
                value={speaker}
                onChange={(v) => setSpeaker(v as Speaker)}
                data-testid="turn-speaker"
                options={[
                  { value: 'agent', label: t('console.speaker.agent') },
                  { value: 'customer', label: t('console.speaker.customer') },
                ]}
              />
              <Tag
                style={{ alignSelf: 'center', marginLeft: 6, fontSize: 11 }}
                title={t('console.switchSpeaker')}
                data-testid="turn-speaker-key"
              >
                Alt+{keyOf('switch-speaker')}
              </Tag>
            </Space.Compact>
            <Input.TextArea
              ref={(el) => {
                input.current = el?.resizableTextArea?.textArea ?? null;
              }}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onPressEnter={(e) => {
                if (!e.shiftKey) {
                  e.preventDefault();
                  sendTurn();
                }
              }}
              rows={2}
              placeholder={t('console.input.placeholder')}
              disabled={!call || call.status === 'ended'}
              data-testid="turn-input"
              style={{ marginTop: 6 }}
            />
            <Space style={{ marginTop: 6 }}>
              <Button
                type="primary"
                onClick={sendTurn}
                disabled={!call || call.status === 'ended' || !draft.trim()}
                data-testid="turn-send"
              >
                {t('console.input.send')}
              </Button>
              {live.connection !== 'online' && draft && (
                <Text type="warning">{t('console.offline.kept')}</Text>
              )}
            </Space>
          </Card>
          {call && (
            <div style={{ marginTop: 8 }}>
              <InspectionPanel call={call} />
            </div>
          )}
        </Col>
        <Col span={7}>
          <Space direction="vertical" size={8} style={{ width: '100%' }}>
            {call ? (
              <Suggestions call={call} onUse={use} />
            ) : (
              <IdleCard title="console.suggestions" text="console.suggestions.empty" />
            )}
            {call ? (
              <Card size="small" title={t('console.tickets')} styles={{ body: { padding: 8 } }}>
                <TicketButtons
                  open={ticket && ticketCall ? { kind: ticket.kind, call: ticketCall } : null}
                  onOpen={(kind) => setTicket({ kind, callId: call.callId })}
                  onClose={() => setTicket(null)}
                  onHarassment={setHarassment}
                />
                {harassment === call.callId && call.status !== 'ended' && (
                  <Text type="danger" style={{ display: 'block', marginTop: 4 }}>
                    {t('console.harassment.marked')}
                  </Text>
                )}
              </Card>
            ) : null}
          </Space>
        </Col>
      </Row>
      <ShortcutSheet open={help} onClose={() => setHelp(false)} />
      <TransferDialog
        open={transferOpen}
        onClose={() => setTransferOpen(false)}
        onTransfer={(to) => {
          setTransferOpen(false);
          post('transfer', { to });
        }}
      />
    </div>
  );
}

/** A panel's place before any call: its title and what it will show. */
function IdleCard({ title, text }: { title: MessageKey; text: MessageKey }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t(title)} styles={{ body: { padding: 8 } }}>
      <Text type="secondary">{t(text)}</Text>
    </Card>
  );
}

function statusColour(call: CallView): string {
  switch (call.status) {
    case 'ringing':
      return 'gold';
    case 'talking':
      return 'green';
    case 'on-hold':
      return 'orange';
    default:
      return 'default';
  }
}

function ConnectionTag({ connection }: { connection: string }) {
  const { t } = useI18n();
  const online = connection === 'online';
  return (
    <Tooltip title={online ? undefined : t('console.offline.hint')}>
      <Badge
        status={online ? 'success' : connection === 'connecting' ? 'processing' : 'error'}
        text={t(`console.connection.${connection}` as MessageKey)}
        data-testid="connection"
        data-connection={connection}
      />
    </Tooltip>
  );
}

function Softphone({
  call,
  act,
  practice,
}: {
  call: CallView | null;
  act: (a: Action) => void;
  practice: boolean;
}) {
  const { t } = useI18n();
  const status = call?.status;
  const live = !!call && status !== 'ended';
  const keyed = (
    action: Action,
    label: string,
    props: { disabled?: boolean; danger?: boolean; type?: 'primary' },
  ) => (
    <Button
      key={action}
      data-testid={`control-${action}`}
      onClick={() => act(action)}
      disabled={props.disabled ?? false}
      danger={props.danger ?? false}
      type={props.type ?? 'default'}
    >
      {label}
      <Tag style={{ marginLeft: 6, marginRight: 0, fontSize: 11 }}>{keyOf(action)}</Tag>
    </Button>
  );
  return (
    <Card size="small" styles={{ body: { padding: 8 } }} data-testid="softphone">
      <Space size={[6, 6]} wrap>
        {keyed('answer', t('console.answer'), { disabled: status !== 'ringing', type: 'primary' })}
        {keyed('hold', status === 'on-hold' ? t('console.unhold') : t('console.hold'), {
          disabled: status !== 'talking' && status !== 'on-hold',
        })}
        {keyed('transfer', t('console.transfer'), { disabled: !live || status === 'ringing' })}
        {keyed('hangup', t('console.hangup'), { disabled: !live, danger: true })}
        <span style={{ width: 8 }} />
        {BUTTONS.map((b) =>
          keyed(b as Action, t(`console.button.${b}` as MessageKey), {
            disabled: !live || status === 'ringing',
            danger: b === 'harassment',
          }),
        )}
        {practice && <PracticeCall disabled={live} />}
      </Space>
    </Card>
  );
}

function PracticeCall({ disabled }: { disabled: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [caller, setCaller] = useState('');
  // Agents practise outbound calls too: the outbound opening, someone else answering.
  const [direction, setDirection] = useState<'inbound' | 'outbound'>('inbound');
  const [open, setOpen] = useState(false);
  const start = useMutation({
    meta: { quiet: true },
    mutationFn: () =>
      ok(
        api.POST('/api/live/practice-calls', {
          body: { direction, ...(caller.trim() ? { caller: caller.trim() } : {}) },
        }),
      ),
    onSuccess: () => setOpen(false),
    onError: (err) =>
      message.error({ content: err instanceof Error ? err.message : String(err), key: 'practice' }),
  });
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      content={
        <Space direction="vertical" style={{ width: 240 }}>
          <Text type="secondary">{t('console.practice.hint')}</Text>
          <Segmented
            block
            value={direction}
            onChange={(v) => setDirection(v as 'inbound' | 'outbound')}
            data-testid="practice-direction"
            options={[
              { value: 'inbound', label: t('console.practice.inbound') },
              { value: 'outbound', label: t('console.practice.outbound') },
            ]}
          />
          <Input
            value={caller}
            onChange={(e) => setCaller(e.target.value)}
            placeholder={t(direction === 'outbound' ? 'console.practice.callee' : 'console.practice.caller')}
            data-testid="practice-caller"
            onPressEnter={() => start.mutate()}
          />
          <Button
            type="primary"
            block
            loading={start.isPending}
            onClick={() => start.mutate()}
            data-testid="practice-ring"
          >
            {t('console.practice.ring')}
          </Button>
        </Space>
      }
    >
      <Button disabled={disabled} data-testid="practice-open">
        {t('console.practice')}
      </Button>
    </Popover>
  );
}

function ShortcutSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal
      // Inline, not in a portal on <body>: the body scroll lock injects a <style> without the
      // CSP nonce (refused under style-src 'nonce-…').
      getContainer={false}
      open={open}
      onCancel={onClose}
      footer={null}
      title={t('console.shortcuts')}
      data-testid="shortcut-sheet"
      width={640}
    >
      <Text type="secondary">{t('console.shortcuts.typing')}</Text>
      {/* Plain tables, two side by side (the whole list fits 768 px): antd's Table measures the
          scrollbar with a <style> that lacks the CSP nonce. */}
      <div style={{ display: 'flex', gap: 16, marginTop: 8 }}>
        {[
          SHORTCUTS.slice(0, Math.ceil(SHORTCUTS.length / 2)),
          SHORTCUTS.slice(Math.ceil(SHORTCUTS.length / 2)),
        ].map((half) => (
          <table key={half[0]?.action} style={{ flex: 1, borderCollapse: 'collapse' }}>
            <thead>
              <tr>
                <th style={{ textAlign: 'left', width: 56 }}>{t('console.shortcuts.key')}</th>
                <th style={{ textAlign: 'left' }}>{t('console.shortcuts.does')}</th>
              </tr>
            </thead>
            <tbody>
              {half.map((s) => (
                <tr key={s.action} style={{ borderTop: '1px solid #f0f0f0' }} data-testid="shortcut-row">
                  <td style={{ padding: '4px 0' }}>
                    <Tag>{keyLabel(s.key)}</Tag>
                  </td>
                  <td>{s.group ? `${t(s.group)}${t('common.colon')}${t(s.label)}` : t(s.label)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
    </Modal>
  );
}

function TransferDialog({
  open,
  onClose,
  onTransfer,
}: {
  open: boolean;
  onClose: () => void;
  onTransfer: (to: string) => void;
}) {
  const { t } = useI18n();
  const [to, setTo] = useState('');
  return (
    <Modal
      // Inline, not in a portal on <body>: the body scroll lock injects a <style> without the
      // CSP nonce (refused under style-src 'nonce-…').
      getContainer={false}
      open={open}
      onCancel={onClose}
      title={t('console.transfer')}
      okButtonProps={{ disabled: !to.trim() }}
      onOk={() => onTransfer(to.trim())}
      destroyOnHidden
    >
      <Input
        autoFocus
        value={to}
        onChange={(e) => setTo(e.target.value)}
        placeholder={t('console.transfer.to')}
        data-testid="transfer-to"
        onPressEnter={() => to.trim() && onTransfer(to.trim())}
      />
    </Modal>
  );
}
