// The wallboard (大屏): the floor now, for a large screen — calls ringing, talking and on hold
// (a hold past the brand's limit in red, its clock ticking here), each agent's state, today's
// service level, and the agents' states (示闲, 示忙 with a reason — red past the brand's limit —,
// 通话中, 话后处理, 离线) with their time in state. Live: the live-assist WebSocket (the same socket and scope as the console)
// says when something happened, and the snapshot is read again; once a minute regardless.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Card, Col, Row, Select, Space, Statistic, Table, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { AgentState } from '../../api/enums.gen';
import type { components } from '../../api/schema';
import { useMe } from '../../auth';
import { clockOf, STATE_COLOURS, useReasonLabel } from '../../console/agent-state';
import { type Connection, LiveSocket } from '../../console/live-socket';
import type { AgentStateView } from '../../console/protocol';
import { useI18n } from '../../i18n/i18n';
import { useBrands } from '../../lib/brands';
import { useSessionEpoch } from '../../session';

type Board = components['schemas']['Wallboard'];
type LiveCall = Board['calls'][number];
type AgentRow = Board['agents'][number];

/** The board with an agent's pushed state in place (a newer one only; agents not listed are not added). */
function withAgent(board: Board | undefined, a: AgentStateView): Board | undefined {
  if (!board) return board;
  const agents = board.agents.map((x) =>
    x.agentNumber === a.agentNumber && x.brand === a.brand && x.revision <= a.revision
      ? { ...x, ...a, name: x.name, team: x.team }
      : x,
  );
  return { ...board, agents };
}

/**
 * The state an agent's row shows, for the count strip: an agent off the console (or never signed
 * in) with a call shows the phone's state, so she is counted as on a call, not 离线; one whose
 * phone is ringing is under no state (the ringing call is in the calls strip).
 */
function shownState(a: AgentRow): AgentState | null {
  if (!a.call || a.state !== 'offline') return a.state;
  return a.call.status === 'ringing' ? null : 'talking';
}

const RED = '#cf1322';
const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;

function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A number that ticks every second. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function WallboardPage() {
  const { t, tx } = useI18n();
  const me = useMe().data;
  const brands = useBrands().data ?? [];
  const [params, setParams] = useSearchParams();
  // A brand-limited account sees its own brand whatever the address says (another brand's
  // board is refused: an empty board and a 403 at every refresh otherwise).
  const asked = params.get('brand') ?? undefined;
  const brand = me?.brand ?? asked;
  useEffect(() => {
    if (!me?.brand || asked === me.brand) return;
    const next = new URLSearchParams(params);
    next.set('brand', me.brand);
    setParams(next, { replace: true });
  }, [me?.brand, asked, params, setParams]);
  const client = useQueryClient();
  const key = ['wallboard', brand ?? null];
  const board = useQuery({
    queryKey: key,
    enabled: me !== undefined,
    queryFn: () => ok(api.GET('/api/dashboard/wallboard', { params: { query: brand ? { brand } : {} } })),
    refetchInterval: 60_000,
    placeholderData: (previous) => previous,
  });
  const [connection, setConnection] = useState<Connection>('connecting');
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // A new socket after signing in again (a socket closed for want of the page's session stays closed).
  const epoch = useSessionEpoch();
  // biome-ignore lint/correctness/useExhaustiveDependencies: one socket per page (and brand, and sign-in)
  useEffect(() => {
    void epoch;
    const refresh = () => {
      clearTimeout(pending.current);
      pending.current = setTimeout(() => void client.invalidateQueries({ queryKey: key }), 250);
    };
    const socket = new LiveSocket({
      onMessage: (m) => {
        // An agent's state is applied as it comes; a call's event reads the board again.
        if (m.type === 'agent-state') client.setQueryData<Board>(key, (b) => withAgent(b, m.agent));
        if (m.type === 'event' || m.type === 'snapshot') refresh();
      },
      onStatus: setConnection,
      resume: () => ({}),
    });
    socket.start();
    return () => {
      clearTimeout(pending.current);
      socket.stop();
    };
  }, [brand, epoch]);
  const now = useNow();
  const b = board.data;
  const calls = b?.calls ?? [];
  const count = (s: LiveCall['status']) => calls.filter((c) => c.status === s).length;
  const holdSeconds = (c: LiveCall) => (c.holdSince ? (now - Date.parse(c.holdSince)) / 1000 : 0);
  const overLimit = (c: LiveCall) =>
    c.status === 'on-hold' && (c.holdOverLimit || holdSeconds(c) >= c.holdLimitSeconds);
  const goal = b?.goal;
  const sl = b?.today.serviceLevel;
  const below = goal && sl !== null && sl !== undefined && sl * 100 < goal.percent;
  const big = { fontSize: 48, fontWeight: 600 };
  const agents = b?.agents ?? [];
  const inState = (a: AgentRow) => (a.since ? (now - Date.parse(a.since)) / 1000 : null);
  const agentOver = (a: AgentRow) =>
    a.state === 'not-ready' && a.limitSeconds !== null && (inState(a) ?? 0) >= a.limitSeconds;
  return (
    <Card
      title={t('wall.title')}
      data-testid="wallboard-page"
      extra={
        <Space>
          <Badge
            status={
              connection === 'online' ? 'success' : connection === 'connecting' ? 'processing' : 'error'
            }
            text={t(`wall.connection.${connection}`)}
            data-testid="wall-connection"
            data-state={connection}
          />
          {!me?.brand && (
            <Select
              allowClear
              placeholder={t('common.brand')}
              style={{ width: 140 }}
              value={brand}
              onChange={(v) => {
                const next = new URLSearchParams(params);
                if (v) next.set('brand', v);
                else next.delete('brand');
                setParams(next, { replace: true });
              }}
              options={brands.map((x) => ({ value: x.brand, label: x.name }))}
              data-testid="wall-brand"
            />
          )}
          <Button onClick={() => void document.getElementById('wallboard')?.requestFullscreen?.()}>
            {t('wall.fullscreen')}
          </Button>
        </Space>
      }
    >
      <div id="wallboard" style={{ background: '#fff', padding: 8 }}>
        <Row gutter={[16, 16]}>
          <Col span={6}>
            <Statistic
              title={`${t('wall.serviceLevel')}${goal ? ` (${goal.percent}/${goal.seconds})` : ''}`}
              value={pct(sl)}
              valueStyle={{ ...big, ...(below ? { color: RED } : {}) }}
              data-testid="wall-sl"
            />
          </Col>
          <Col span={4}>
            <Statistic
              title={t('wall.ringing')}
              value={count('ringing')}
              valueStyle={big}
              data-testid="wall-ringing"
            />
          </Col>
          <Col span={4}>
            <Statistic
              title={t('wall.talking')}
              value={count('talking')}
              valueStyle={big}
              data-testid="wall-talking"
            />
          </Col>
          <Col span={4}>
            <Statistic
              title={t('wall.onHold')}
              value={count('on-hold')}
              valueStyle={{ ...big, ...(calls.some(overLimit) ? { color: RED } : {}) }}
              data-testid="wall-on-hold"
            />
          </Col>
          <Col span={3}>
            <Statistic title={t('wall.answeredToday')} value={b?.today.answered ?? 0} valueStyle={big} />
          </Col>
          <Col span={3}>
            <Statistic
              title={<span title={t('dash.countedNote')}>{t('wall.abandonedToday')}</span>}
              value={b?.today.abandoned ?? 0}
              valueStyle={big}
            />
          </Col>
        </Row>
        <Row gutter={[16, 16]} style={{ marginTop: 8 }} data-testid="wall-agent-counts">
          {AgentState.map((st) => (
            <Col span={4} key={st}>
              <Statistic
                title={t(`agent.state.${st}`)}
                value={agents.filter((a) => shownState(a) === st).length}
                valueStyle={{
                  fontSize: 32,
                  ...(st === 'not-ready' && agents.some(agentOver) ? { color: RED } : {}),
                }}
                data-testid={`wall-agents-${st}`}
              />
            </Col>
          ))}
        </Row>
        <Row gutter={16} style={{ marginTop: 16 }}>
          <Col span={14}>
            <Table<LiveCall>
              rowKey="callId"
              size="middle"
              dataSource={calls}
              pagination={false}
              data-testid="wall-calls"
              onRow={(c) =>
                ({
                  'data-call': c.callId,
                  'data-over': overLimit(c) ? 'true' : 'false',
                  style: overLimit(c) ? { background: '#fff1f0' } : undefined,
                }) as React.HTMLAttributes<HTMLElement>
              }
              columns={[
                { title: t('wall.call'), dataIndex: 'callId' },
                {
                  // The 工号 first, as in the agents' table beside it, so a call is matched to its agent.
                  title: t('dash.agent'),
                  key: 'agent',
                  render: (_, c) => [c.agent.id, c.agent.name].filter(Boolean).join(' ') || '—',
                },
                {
                  title: t('common.status'),
                  dataIndex: 'status',
                  render: (s: LiveCall['status'], c) => (
                    <Tag
                      color={
                        overLimit(c) ? 'red' : s === 'ringing' ? 'gold' : s === 'on-hold' ? 'orange' : 'green'
                      }
                    >
                      {tx('wall.status', s)}
                    </Tag>
                  ),
                },
                {
                  title: t('wall.duration'),
                  key: 'duration',
                  render: (_, c) =>
                    c.status === 'on-hold' ? (
                      <span
                        style={overLimit(c) ? { color: RED, fontWeight: 600 } : undefined}
                        data-testid="wall-hold-clock"
                      >
                        {clock(holdSeconds(c))} / {clock(c.holdLimitSeconds)}
                      </span>
                    ) : (
                      clock((now - Date.parse(c.answeredAt ?? c.ringAt)) / 1000)
                    ),
                },
              ]}
            />
          </Col>
          <Col span={10}>
            <AgentTable agents={agents} inState={inState} over={agentOver} />
          </Col>
        </Row>
      </div>
    </Card>
  );
}

function AgentTable({
  agents,
  inState,
  over,
}: {
  agents: AgentRow[];
  inState: (a: AgentRow) => number | null;
  over: (a: AgentRow) => boolean;
}) {
  const { t, tx } = useI18n();
  const reasonLabel = useReasonLabel(null);
  return (
    <Table<AgentRow>
      rowKey={(a) => `${a.brand ?? '*'}/${a.agentNumber}`}
      size="small"
      dataSource={agents}
      pagination={false}
      data-testid="wall-agents"
      onRow={(a) =>
        ({
          'data-agent': a.agentNumber,
          'data-state': a.state,
          'data-over': over(a) ? 'true' : 'false',
          style: over(a) ? { background: '#fff1f0' } : undefined,
        }) as React.HTMLAttributes<HTMLElement>
      }
      columns={[
        { title: t('dash.agent'), key: 'agent', render: (_, a) => `${a.agentNumber} ${a.name}` },
        { title: t('dash.team'), dataIndex: 'team', render: (v: string | null) => v ?? '—' },
        {
          title: t('wall.agents'),
          key: 'state',
          render: (_, a) => (
            <Space size={4}>
              {a.call && a.state === 'offline' ? (
                // A call rings to (or is with) an agent whose console is closed, or who never
                // signed in: the phone's state is the agent's, not 离线 beside 振铃.
                <Tag color="gold" data-testid="wall-agent-state" title={t('wall.agent.noConsole')}>
                  {tx('wall.status', a.call.status)}
                </Tag>
              ) : (
                <Tag color={over(a) ? 'red' : STATE_COLOURS[a.state]} data-testid="wall-agent-state">
                  {t(`agent.state.${a.state}`)}
                  {a.state === 'not-ready' ? ` · ${reasonLabel(a.reason)}` : ''}
                </Tag>
              )}
              {a.call && a.state !== 'talking' && a.state !== 'offline' ? (
                <Tag color="gold">{tx('wall.status', a.call.status)}</Tag>
              ) : null}
              {a.call?.status === 'on-hold' && a.state !== 'offline' ? (
                <Tag color="orange">{tx('wall.status', 'on-hold')}</Tag>
              ) : null}
            </Space>
          ),
        },
        {
          title: t('wall.agent.timeInState'),
          key: 'since',
          render: (_, a) => {
            const s = inState(a);
            return (
              <span
                style={over(a) ? { color: RED, fontWeight: 600 } : undefined}
                data-testid="wall-agent-time"
                title={over(a) ? t('wall.agent.overLimit') : undefined}
              >
                {s === null ? '—' : clockOf(s)}
                {a.state === 'not-ready' && a.limitSeconds !== null ? ` / ${clockOf(a.limitSeconds)}` : ''}
              </span>
            );
          },
        },
      ]}
    />
  );
}
