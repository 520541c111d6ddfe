// The console's panels for one call: the customer card (at ring, before the pick-up), the live
// transcript with each flagged phrase marked and its professional line beside it, the script
// lines (best first), the stage checklist, the clocks, and the inspection after the hang-up.
import { CopyOutlined, EnterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, List, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { api, ok } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh';
import { useFormatTime } from '../lib/brands';
import { useEvidenceText } from '../lib/notes';
import { formatPhone } from '../lib/phone';
import { useRuleTitle } from '../lib/rules';
import { STAGE_IDS } from './protocol';
import { keyOf } from './shortcuts';
import { type CallView, countdown, highlight, type Severity } from './state';
import { useTick } from './use-live';

const { Text } = Typography;

/** A whole mainland number (the card's caller): the key of the customer's history. */
export function isMainland(phone: string | null | undefined): phone is string {
  return !!phone && /^(1\d{10}|0\d{9,11})$/.test(phone);
}

function msgKey(key: string): MessageKey {
  return key as MessageKey;
}

export function CustomerCard({ call }: { call: CallView }) {
  const { t } = useI18n();
  const format = useFormatTime(); // the brand's zone, as everywhere
  const card = call.card;
  const caller = card?.caller ?? null;
  const history = useQuery({
    // Per call, not per number: a caller ringing again (a repeat call, a dropped line calling
    // back) must see the call that just ended and the ticket filed on it, which a history kept
    // by number (fresh for 30 s) left out: 今日第 3 次来电 over 历史通话 0 通.
    queryKey: ['console', 'history', caller, call.callId],
    enabled: isMainland(caller),
    queryFn: () =>
      ok(
        api.GET('/api/customers/{phone}/history', {
          params: { path: { phone: caller ?? '' }, query: { limit: 5 } },
        }),
      ),
    staleTime: 30_000,
  });
  const customer = card?.customer;
  const name = customer?.surname ? `${customer.surname}${customer.title ?? ''}` : t('console.card.unknown');
  return (
    <Card size="small" title={t('console.card.title')} data-testid="customer-card">
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <Space wrap>
          <Text strong data-testid="card-name">
            {name}
          </Text>
          <Text type="secondary" data-testid="card-caller">
            {caller ? formatPhone(caller) : t('console.card.withheld')}
          </Text>
          {card?.practice && <Tag color="purple">{t('console.card.practice')}</Tag>}
        </Space>
        {card?.blacklisted ? (
          <Tag color="red" data-testid="card-blacklisted">
            {t('console.card.blacklisted')}
          </Tag>
        ) : (
          <Tag data-testid="card-not-blacklisted">{t('console.card.notBlacklisted')}</Tag>
        )}
        {card?.repeatCaller && (
          <Alert
            type="warning"
            showIcon
            data-testid="card-repeat"
            // The card's count is of the number's earlier calls today: this call is the next one.
            message={t('console.card.repeat', { count: card.repeatCaller.count + 1 })}
            description={card.repeatCaller.lastSubject ?? undefined}
          />
        )}
        {card?.droppedMsAgo !== null && card?.droppedMsAgo !== undefined && (
          <Alert
            type="info"
            showIcon
            message={t('console.card.dropped', { seconds: Math.round(card.droppedMsAgo / 1000) })}
          />
        )}
        {history.data && (
          // Bounded, and no empty-list picture for none: the stage checklist under the card
          // must stay on a 1366×768 screen during the call (the two 暂无数据 pictures of a new
          // caller pushed it below the fold).
          <div data-testid="card-history" style={{ maxHeight: 180, overflowY: 'auto' }}>
            <Text type="secondary" data-testid="card-history-calls" data-count={history.data.calls.length}>
              {t('console.card.calls', { count: history.data.calls.length })}
            </Text>
            {history.data.calls.length > 0 && (
              <List
                size="small"
                dataSource={history.data.calls.slice(0, 3)}
                renderItem={(c) => (
                  <List.Item style={{ padding: '2px 0' }}>
                    <Text ellipsis style={{ maxWidth: '100%' }}>
                      {format(c.startedAt, call.brand)} · {c.subject ?? '—'}
                    </Text>
                  </List.Item>
                )}
              />
            )}
            {/* A line of its own (the list above, when empty, no longer breaks the line). */}
            <div>
              <Text type="secondary">
                {t('console.card.tickets', { count: history.data.tickets.length })}
              </Text>
            </div>
            {history.data.tickets.length > 0 && (
              <List
                size="small"
                dataSource={history.data.tickets.slice(0, 3)}
                renderItem={(tk) => (
                  <List.Item style={{ padding: '2px 0' }} data-testid="card-ticket">
                    <Text ellipsis style={{ maxWidth: '100%' }}>
                      <Tag>{t(msgKey(`console.ticketStatus.${tk.status}`))}</Tag>
                      {/* The number the caller may read out, and the kind of case. */}
                      {tk.number && (
                        <Text type="secondary" data-testid="card-ticket-number">
                          {tk.number}{' '}
                        </Text>
                      )}
                      <Text data-testid="card-ticket-type">{t(msgKey(`ticket.type.${tk.type}`))}</Text>
                      {' · '}
                      {tk.subject}
                    </Text>
                  </List.Item>
                )}
              />
            )}
          </div>
        )}
      </Space>
    </Card>
  );
}

export function Transcript({ call }: { call: CallView }) {
  const { t, tx } = useI18n();
  // A rule's name as everywhere (lib/rules.ts): the scorecard's title, in English the dictionary's.
  const ruleTitle = useRuleTitle();
  const evidenceText = useEvidenceText();
  const box = useRef<HTMLDivElement>(null);
  // Whether the agent is reading the end of the transcript (the default): then it stays at the
  // end as it grows, by a new turn and also by what comes after one (situations, alerts and their
  // lines arrive as events of their own, a moment later). An agent who scrolled up to
  // read an earlier turn is left there until they scroll back down.
  const atEnd = useRef(true);
  // Where the transcript put itself last: a scroll event comes a frame later, by when more may
  // have arrived below, so only a move above this point is the agent scrolling up.
  const pinned = useRef(0);
  const count = call.turns.length;
  let notes = 0; // an alert may come to an earlier turn too (the thanks left unanswered)
  for (const turn of call.turns) notes += turn.situations.length + turn.alerts.length;
  const grown = `${count}:${notes}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `grown` is what the transcript's height follows
  useEffect(() => {
    const el = box.current;
    if (el && atEnd.current) {
      el.scrollTop = el.scrollHeight;
      pinned.current = el.scrollTop;
    }
  }, [grown]);
  return (
    <div
      ref={box}
      onScroll={(e) => {
        const el = e.currentTarget;
        atEnd.current =
          el.scrollTop >= pinned.current - 2 || el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
      data-testid="transcript"
      style={{ display: 'flex', flexDirection: 'column', gap: 6, height: 300, overflowY: 'auto' }}
    >
      {count === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('console.transcript.empty')} />
      )}
      {call.turns.map((turn) => {
        const words = turn.alerts.map((a) => a.evidence);
        return (
          <div
            key={turn.turn}
            data-testid="turn"
            data-speaker={turn.speaker}
            style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}
          >
            <Tag color={turn.speaker === 'agent' ? 'blue' : 'green'} style={{ flex: 'none' }}>
              {t(turn.speaker === 'agent' ? 'console.speaker.agent' : 'console.speaker.customer')}
            </Tag>
            <div style={{ flex: 1, minWidth: 0 }}>
              <div>
                {highlight(turn.text, words).map((part, i) =>
                  part.flagged ? (
                    // biome-ignore lint/suspicious/noArrayIndexKey: parts of one text, in order
                    <mark key={i} data-testid="flagged" style={{ background: '#ffccc7', padding: 0 }}>
                      {part.text}
                    </mark>
                  ) : (
                    // biome-ignore lint/suspicious/noArrayIndexKey: parts of one text, in order
                    <span key={i}>{part.text}</span>
                  ),
                )}
              </div>
              {turn.situations.length > 0 && (
                <Space size={2} wrap>
                  {turn.situations.map((s) => (
                    <Tag key={s} color="orange" style={{ fontSize: 11 }}>
                      {tx('console.situation', s)}
                    </Tag>
                  ))}
                </Space>
              )}
              {turn.alerts.map((a) => (
                <div
                  key={a.rule}
                  data-testid="alert"
                  data-rule={a.rule}
                  style={{ fontSize: 12, color: '#cf1322' }}
                >
                  {/* The rule by its name, as the inspection names it: not every alert is a
                      forbidden phrase (a thanks or a complaint left unanswered, a hold's return). */}
                  {t('console.alert.said', {
                    rule: ruleTitle(a.rule, a.title),
                    words: evidenceText(a.evidence),
                  })}{' '}
                  →{' '}
                  <Text data-testid="alert-line" style={{ fontSize: 12, color: '#237804' }}>
                    {a.suggestion}
                  </Text>
                </div>
              ))}
            </div>
          </div>
        );
      })}
    </div>
  );
}

export function Suggestions({ call, onUse }: { call: CallView; onUse: (text: string) => void }) {
  const { t } = useI18n();
  const copy = (text: string) => {
    void navigator.clipboard?.writeText(text).catch(() => undefined);
  };
  const lines = call.guidance.slice(0, 8);
  return (
    <Card
      size="small"
      title={t('console.suggestions')}
      data-testid="suggestions"
      styles={{ body: { padding: 8 } }}
    >
      {lines.length === 0 ? (
        <Text type="secondary">{t('console.suggestions.empty')}</Text>
      ) : (
        <Space direction="vertical" size={6} style={{ width: '100%' }}>
          {lines.map((g, i) => (
            <div
              key={g.seq}
              data-testid={i === 0 ? 'suggestion-best' : 'suggestion'}
              data-scenario={g.scenario}
              style={{
                border: `1px solid ${i === 0 ? '#95de64' : '#f0f0f0'}`,
                background: i === 0 ? '#f6ffed' : undefined,
                borderRadius: 6,
                padding: '4px 8px',
              }}
            >
              <div style={{ fontSize: i === 0 ? 15 : 13 }}>{g.text}</div>
              <Space size={4}>
                <Text type="secondary" style={{ fontSize: 11 }}>
                  {g.scenario}
                </Text>
                <Tooltip title={t('console.suggestions.insert')}>
                  <Button
                    size="small"
                    type="link"
                    icon={<EnterOutlined />}
                    data-testid="suggestion-insert"
                    onClick={() => onUse(g.text)}
                  >
                    {t('console.suggestions.use')}
                    {i === 0 && (
                      // The first line's key (F; Alt+F while typing), as on the softphone's buttons.
                      <Tag style={{ marginLeft: 4, marginRight: 0, fontSize: 11, lineHeight: '16px' }}>
                        {keyOf('use-line')}
                      </Tag>
                    )}
                  </Button>
                </Tooltip>
                <Button size="small" type="link" icon={<CopyOutlined />} onClick={() => copy(g.text)}>
                  {t('console.suggestions.copy')}
                </Button>
              </Space>
            </div>
          ))}
        </Space>
      )}
    </Card>
  );
}

export function Stages({ call }: { call: CallView }) {
  const { t } = useI18n();
  const ended = call.status === 'ended';
  // After the end nothing is still to do: a call never answered (the caller hung up while it
  // rang) owed no stage (未接通); one the server no longer keeps, its hang-up not seen here, has
  // outcomes nobody knows now (未知).
  const unknown = call.lost && call.hangupCause === null;
  const note = !ended
    ? null
    : unknown
      ? t('console.stages.unknown')
      : !call.answered && call.turns.length === 0
        ? t(call.direction === 'outbound' ? 'console.stages.unansweredOutbound' : 'console.stages.unanswered')
        : null;
  return (
    <Card
      size="small"
      title={t('console.stages')}
      data-testid="stages"
      styles={{ body: { padding: 8 } }}
      extra={
        note && (
          <Typography.Text type="secondary" data-testid="stages-note">
            {note}
          </Typography.Text>
        )
      }
    >
      <Space size={[4, 4]} wrap>
        {(call.stageList ?? STAGE_IDS).map((id) => {
          // A stage the call ended without reaching (verify on a matter with no account data,
          // every stage of a silent line or of a call never answered) was not owed: 不适用, not
          // left looking pending; on a call the server no longer keeps, 未知.
          const state = call.stages[id] ?? (ended ? (unknown ? 'unknown' : 'n/a') : undefined);
          return (
            <Tag
              key={id}
              data-testid={`stage-${id}`}
              data-state={state ?? 'pending'}
              color={state === 'done' ? 'success' : state === 'missed' ? 'error' : 'default'}
            >
              {state === 'done' ? '✓ ' : state === 'missed' ? '✗ ' : ''}
              {t(msgKey(`console.stage.${id}`))}
              {/* Not owed at this hang-up (a transfer, a hold, a dropped line), as QA finds it. */}
              {state === 'n/a' ? ` · ${t('console.stage.notApplicable')}` : ''}
              {state === 'unknown' ? ` · ${t('console.stage.unknown')}` : ''}
            </Tag>
          );
        })}
      </Space>
    </Card>
  );
}

// Dark enough to read on the page's grey (WCAG AA): blue, orange, red.
const COLOURS: Record<Severity, string> = { normal: '#0958d9', warning: '#ad4e00', over: '#cf1322' };

function clock(ms: number): string {
  const s = Math.ceil(Math.abs(ms) / 1000);
  return `${ms < 0 ? '+' : ''}${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The hold, silent-line and ring clocks: colour changes at the warning and at the limit. */
export function Clocks({ call, serverNow }: { call: CallView; serverNow: () => number }) {
  const { t } = useI18n();
  // Only the clocks re-render as they count down, not the whole console.
  useTick(250, call.status !== 'ended');
  const now = serverNow();
  const shown = (['ring', 'hold', 'silent-line'] as const)
    .map((timer) => ({ timer, c: call.status === 'ended' ? null : countdown(call, timer, now) }))
    .filter((x) => x.c !== null);
  // Shown while the silent-line procedure runs; once the caller speaks (stopped) the line was
  // not silent, and a count left in the header would read as a procedure still going on.
  const silent = call.timers['silent-line'];
  const attempts = silent && silent.state !== 'stopped' ? silent.expiries : 0;
  return (
    <Space size="middle" data-testid="clocks">
      {shown.map(({ timer, c }) =>
        c ? (
          // On one line, title then time: the header keeps its height when a clock appears.
          <Space
            key={timer}
            size={6}
            align="baseline"
            data-testid={`clock-${timer}`}
            data-severity={c.severity}
          >
            <Text type="secondary">{t(msgKey(`console.timer.${timer}`))}</Text>
            <span
              style={{
                color: COLOURS[c.severity],
                fontSize: 20,
                lineHeight: '24px',
                fontVariantNumeric: 'tabular-nums',
              }}
            >
              {clock(c.leftMs)}
            </span>
          </Space>
        ) : null,
      )}
      {attempts > 0 && call.limits && (
        <Text type="secondary" data-testid="silent-attempts">
          {t('console.timer.attempts', { n: attempts, of: call.limits.silentLineAttempts })}
        </Text>
      )}
    </Space>
  );
}

export function InspectionPanel({ call }: { call: CallView }) {
  const { t } = useI18n();
  const ruleTitle = useRuleTitle();
  const evidenceText = useEvidenceText();
  const i = call.inspection;
  const panel = useRef<HTMLDivElement>(null);
  const shown = !!i;
  useEffect(() => {
    // Below the transcript at 1366×768: brought into view when it arrives, after the hang-up.
    if (shown) panel.current?.scrollIntoView?.({ block: 'nearest' });
  }, [shown]);
  if (!i)
    return call.status === 'ended' ? <Text type="secondary">{t('console.inspection.waiting')}</Text> : null;
  const scored = i.rules.some((r) => r.outcome !== 'n/a');
  // A rule the console has no label for is named by its title, as the call's alerts gave it.
  const titles = new Map(
    call.turns.flatMap((tv) => tv.alerts.flatMap((a) => (a.title ? [[a.rule, a.title]] : []))),
  );
  return (
    <Card
      size="small"
      ref={panel}
      title={t('console.inspection.title')}
      data-testid="inspection"
      extra={
        <Space>
          {scored ? (
            <Statistic
              value={i.score}
              suffix="/ 100"
              valueStyle={{ fontSize: 18 }}
              data-testid="inspection-score"
            />
          ) : (
            // Every rule n/a (a missed call): its 100 would be only the scorecard's total.
            <Text type="secondary" data-testid="inspection-score" data-unscored="true">
              {t('calls.unscored')}
            </Text>
          )}
          {i.fatal && <Tag color="red">{t('console.inspection.fatal')}</Tag>}
        </Space>
      }
    >
      {!scored ? null : i.findings.length === 0 ? (
        <Text type="success">{t('console.inspection.clean')}</Text>
      ) : (
        <List
          size="small"
          dataSource={i.findings}
          renderItem={(f) => (
            <List.Item data-testid="finding" style={{ display: 'block' }}>
              <div>
                <Tag color="red">{ruleTitle(f.rule, titles.get(f.rule))}</Tag>
                {f.turn !== null && (
                  <Text type="secondary">{t('console.inspection.turn', { n: f.turn + 1 })} </Text>
                )}
                <Text>{evidenceText(f.evidence)}</Text>
              </div>
              {f.suggestion && (
                <div data-testid="finding-line" style={{ color: '#237804' }}>
                  {t('console.inspection.line')}
                  {f.suggestion}
                </div>
              )}
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
