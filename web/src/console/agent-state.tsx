// The agent's own state in the console's header (坐席状态): what it is and for how long, 示闲
// (key R) and 示忙 with a reason (key N opens the reasons; Tab and Enter pick one). A not-ready
// asked for during a call shows as what follows it. The server decides: talking at the answer,
// wrap-up at the hang-up, and the brand's reasons (src/live/agent-state.ts).
import { Button, Popover, Space, Tag, Typography } from 'antd';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh';
import type { AgentStateRules, AgentStateView } from './protocol';
import type { Action } from './shortcuts';
import { useTick } from './use-live';

const { Text } = Typography;

export const STATE_COLOURS: Record<AgentStateView['state'], string> = {
  offline: 'default',
  ready: 'green',
  'not-ready': 'orange',
  talking: 'blue',
  'wrap-up': 'purple',
};

export function clockOf(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

/** A reason's name: the dictionary's for the usual ones, else the brand's own label. */
export function useReasonLabel(rules: AgentStateRules | null | undefined) {
  const { t, tx } = useI18n();
  return (reason: string | null): string => {
    if (reason === null) return t('agent.reason.none');
    const known = tx('agent.reason', reason);
    return known !== reason ? known : (rules?.reasons.find((r) => r.id === reason)?.label ?? reason);
  };
}

export function AgentStateControl({
  agent,
  rules,
  serverNow,
  reasonsOpen,
  onReasonsOpen,
  onChange,
  keyOf,
}: {
  agent: AgentStateView | null;
  rules: AgentStateRules | null;
  serverNow: () => number;
  reasonsOpen: boolean;
  onReasonsOpen: (open: boolean) => void;
  onChange: (state: 'ready' | 'not-ready', reason?: string) => void;
  keyOf: (a: Action) => string;
}) {
  const { t } = useI18n();
  const reasonLabel = useReasonLabel(rules);
  useTick(1000, agent !== null);
  if (!rules) return null; // not an agent with a 工号 (a supervisor's view)
  const state = agent?.state ?? 'offline';
  const seconds = agent ? (serverNow() - Date.parse(agent.since)) / 1000 : 0;
  const stateText = t(`agent.state.${state}` as MessageKey);
  const label = state === 'not-ready' ? `${stateText} · ${reasonLabel(agent?.reason ?? null)}` : stateText;
  const next =
    agent?.next && (agent.next.work !== 'ready' || state === 'wrap-up')
      ? agent.next.work === 'ready'
        ? t('agent.state.ready')
        : `${t('agent.state.not-ready')} · ${reasonLabel(agent.next.reason)}`
      : null;
  const keyTag = (a: Action) => <Tag style={{ marginLeft: 6, marginRight: 0, fontSize: 11 }}>{keyOf(a)}</Tag>;
  return (
    <Space size={4}>
      <Tag
        color={STATE_COLOURS[state]}
        data-testid="agent-state"
        data-state={state}
        data-reason={agent?.reason ?? ''}
        style={{ fontSize: 14, padding: '2px 8px' }}
      >
        {label} <span data-testid="agent-state-time">{clockOf(seconds)}</span>
      </Tag>
      {next && (
        <Text type="secondary" data-testid="agent-state-next">
          {t('agent.next', { state: next })}
        </Text>
      )}
      <Button
        size="small"
        onClick={() => onChange('ready')}
        disabled={state === 'ready' || (state === 'talking' && agent?.next?.work === 'ready')}
        data-testid="agent-ready"
      >
        {t('console.agent.ready')}
        {keyTag('ready')}
      </Button>
      <Popover
        open={reasonsOpen}
        onOpenChange={onReasonsOpen}
        trigger="click"
        title={t('console.agent.pickReason')}
        content={
          <Space direction="vertical" data-testid="agent-reasons">
            {rules.reasons.map((r, i) => (
              <Button
                key={r.id}
                block
                // The first reason takes the focus: Tab moves on, Enter picks.
                autoFocus={i === 0}
                onClick={() => onChange('not-ready', r.id)}
                data-testid={`agent-reason-${r.id}`}
              >
                {reasonLabel(r.id)}
              </Button>
            ))}
          </Space>
        }
      >
        <Button size="small" data-testid="agent-not-ready">
          {t('console.agent.notReady')}
          {keyTag('not-ready')}
        </Button>
      </Popover>
    </Space>
  );
}
