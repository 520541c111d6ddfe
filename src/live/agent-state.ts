// Agents' states (坐席状态, the ACD's): 示闲 ready, 示忙 not ready with a reason, 通话中 talking,
// 话后处理 wrap-up, 离线 offline. Pure: no I/O, every time given (ms since 1970).
//
// The state is derived, never set: from what the agent chose (`work`: ready, or not ready with
// a reason), whether a console of theirs is connected (`online`), their call (from the CTI's
// events) and the wrap-up after it. A call outranks the choice: an agent who asks for a break
// while talking is talking until the hang-up, then in wrap-up, then on the break (示忙 after the
// call, as an ACD does). `since` moves only when what a wallboard shows changes (the state, or
// the reason of a not-ready), so time in state is time the wallboard showed it.
import type { CallEventType } from '../calls/model.ts';
import type { Localized } from '../shared/errors.ts';

export const AGENT_STATES = ['ready', 'not-ready', 'talking', 'wrap-up', 'offline'] as const;
export type AgentStateName = (typeof AGENT_STATES)[number];
/** The agent's call as the wallboard shows it next to the state (ringing does not change the state). */
export type AgentCallStatus = 'ringing' | 'talking' | 'on-hold';

/** A reason for not being ready (示忙原因), from the brand's playbook (`settings.agentStates`). */
export interface NotReadyReason {
  id: string;
  label: string;
  /** A not-ready for this reason longer than this is highlighted on the wallboard. */
  limitMinutes: number;
}

/** What a brand allows: its reasons, and the limit of a not-ready without one (just signed in). */
export interface AgentStateRules {
  reasons: NotReadyReason[];
  limitMinutes: number;
}

/** The seeds' and every call centre's usual reasons, when a playbook names none. */
export const DEFAULT_AGENT_STATE_RULES: AgentStateRules = {
  reasons: [
    { id: 'break', label: '小休', limitMinutes: 15 },
    { id: 'meal', label: '用餐', limitMinutes: 45 },
    { id: 'training', label: '培训', limitMinutes: 120 },
    { id: 'meeting', label: '会议', limitMinutes: 60 },
  ],
  limitMinutes: 15,
};

/** Whose state: a 工号 at the account's brand (null: every brand), unique as accounts keep it. */
export interface AgentKey {
  agentNumber: string;
  brand: string | null;
}

export const agentKeyOf = (k: AgentKey): string => `${k.brand ?? '*'}/${k.agentNumber}`;

export interface AgentCall {
  callId: string;
  brand: string;
  status: AgentCallStatus;
}

/** One agent's state as kept (memory or Redis) and published. */
export interface AgentRecord extends AgentKey {
  /** The account (for the audit trail); null until the agent signs in. */
  userId: string | null;
  name: string | null;
  team: string | null;
  /** What the agent chose; `reason` null with not-ready: signed in, not yet ready. */
  work: 'ready' | 'not-ready';
  reason: string | null;
  /** A console of theirs is connected. */
  online: boolean;
  call: AgentCall | null;
  /** After an answered call's hang-up, until the agent is ready again or the brand's wrap-up timer ends. */
  wrapUp: { callId: string; until: number } | null;
  state: AgentStateName;
  /** When the state (or the not-ready reason) last changed, ms since 1970. */
  since: number;
  /** Raised on every write; the compare-and-set token (0: never written). */
  revision: number;
}

export type AgentInput =
  | { kind: 'sign-in'; userId: string; name: string | null; team: string | null }
  | { kind: 'sign-out' }
  | { kind: 'ready' }
  | { kind: 'not-ready'; reason: string }
  | {
      kind: 'call';
      callId: string;
      brand: string;
      /** The call's event (a transfer, or a failed one, leaves the agent's state as it was). */
      type: CallEventType;
      /** hangup: the call's wrap-up time (its flow's `limits.wrapUpMs`); 0 or absent: none. */
      wrapUpMs?: number;
    }
  | { kind: 'wrap-up-end'; callId: string };

export type AgentStateErrorCode = 'signed-out' | 'unknown-reason';

export class AgentStateError extends Error {
  constructor(
    readonly code: AgentStateErrorCode,
    readonly messages: Localized,
  ) {
    super(messages.en);
    this.name = 'AgentStateError';
  }
}

/** A record for an agent never seen: offline, not ready, since `now`. */
export function initialRecord(key: AgentKey, now: number): AgentRecord {
  return {
    agentNumber: key.agentNumber,
    brand: key.brand,
    userId: null,
    name: null,
    team: null,
    work: 'not-ready',
    reason: null,
    online: false,
    call: null,
    wrapUp: null,
    state: 'offline',
    since: now,
    revision: 0,
  };
}

function derive(r: Pick<AgentRecord, 'call' | 'wrapUp' | 'online' | 'work'>): AgentStateName {
  if (r.call && r.call.status !== 'ringing') return 'talking';
  if (r.wrapUp) return 'wrap-up';
  if (!r.online) return 'offline';
  return r.work;
}

/** The reason the wallboard shows: a not-ready's only. */
const shownReason = (r: Pick<AgentRecord, 'state' | 'reason'>) => (r.state === 'not-ready' ? r.reason : null);

/** The record with its state derived again; `since` moves to `at` when what is shown changed. */
function settle(before: AgentRecord, next: Omit<AgentRecord, 'state' | 'since'>, at: number): AgentRecord {
  const state = derive(next);
  const moved = state !== before.state || shownReason({ state, reason: next.reason }) !== shownReason(before);
  return { ...next, state, since: moved ? at : before.since };
}

/**
 * The record as of `now`: a wrap-up whose time is up has ended (at its end), even when the
 * timer's event never came (the process holding the call died).
 */
export function current(r: AgentRecord, now: number): AgentRecord {
  if (!r.wrapUp || r.wrapUp.until > now) return r;
  return settle(r, { ...r, wrapUp: null }, r.wrapUp.until);
}

/**
 * The record after `input` at `now`; the same object when nothing changed (a repeated
 * request, another call's hang-up). Throws AgentStateError for what the agent may not do.
 */
export function applyAgentInput(
  record: AgentRecord,
  input: AgentInput,
  now: number,
  rules: AgentStateRules,
): AgentRecord {
  const r = current(record, now);
  switch (input.kind) {
    case 'sign-in': {
      // A console reconnecting (a reload, the network) keeps what the agent chose; a sign-in
      // after being offline starts not ready, as an ACD's login does: ready is the agent's act.
      const fresh = !r.online;
      return settle(
        r,
        {
          ...r,
          userId: input.userId,
          name: input.name,
          team: input.team,
          online: true,
          ...(fresh ? { work: 'not-ready' as const, reason: null } : {}),
        },
        now,
      );
    }
    case 'sign-out':
      return r.online ? settle(r, { ...r, online: false }, now) : r;
    case 'ready':
    case 'not-ready': {
      if (!r.online)
        throw new AgentStateError('signed-out', {
          zh: `工号 ${r.agentNumber} 未签入（没有打开的坐席工作台），不能示闲或示忙`,
          en: `工号 ${r.agentNumber} is not signed in (no console open), so it cannot be made ready or not ready`,
        });
      if (input.kind === 'not-ready' && !rules.reasons.some((x) => x.id === input.reason))
        throw new AgentStateError('unknown-reason', {
          zh: `示忙原因“${input.reason}”不在本品牌的列表中；可用：${rules.reasons.map((x) => `${x.id}（${x.label}）`).join('、')}`,
          en: `not-ready reason '${input.reason}' is not in the brand's list; expected one of: ${rules.reasons.map((x) => x.id).join(', ')}`,
        });
      const work = input.kind;
      const reason = input.kind === 'not-ready' ? input.reason : null;
      // Ready or not ready ends a wrap-up: the agent is done with the call.
      if (work === r.work && reason === r.reason && !r.wrapUp) return r;
      return settle(r, { ...r, work, reason, wrapUp: null }, now);
    }
    case 'call': {
      const mine = r.call?.callId === input.callId;
      switch (input.type) {
        case 'ring':
          // A second call rung to the agent is the one shown (the first's hang-up still ends it).
          return settle(
            r,
            { ...r, call: { callId: input.callId, brand: input.brand, status: 'ringing' } },
            now,
          );
        case 'answer':
        case 'unhold':
        case 'hold': {
          const status = input.type === 'hold' ? 'on-hold' : 'talking';
          // An answer to a call that rang elsewhere (a transfer to this agent) is theirs now.
          if (!mine && input.type !== 'answer') return r;
          if (mine && r.call?.status === status) return r;
          return settle(
            r,
            { ...r, call: { callId: input.callId, brand: input.brand, status }, wrapUp: null },
            now,
          );
        }
        case 'hangup': {
          if (!mine || !r.call) return r;
          const answered = r.call.status !== 'ringing';
          const wrapUpMs = input.wrapUpMs ?? 0;
          return settle(
            r,
            {
              ...r,
              call: null,
              wrapUp: answered && wrapUpMs > 0 ? { callId: input.callId, until: now + wrapUpMs } : r.wrapUp,
            },
            now,
          );
        }
        default:
          return r;
      }
    }
    case 'wrap-up-end':
      return r.wrapUp?.callId === input.callId ? settle(r, { ...r, wrapUp: null }, now) : r;
  }
}

/** The limit of a not-ready with `reason` (null: just signed in), in seconds. */
export function notReadyLimitSeconds(rules: AgentStateRules, reason: string | null): number {
  const found = reason === null ? undefined : rules.reasons.find((x) => x.id === reason);
  return (found?.limitMinutes ?? rules.limitMinutes) * 60;
}

/** An agent's state as a console and the wallboard get it (the socket's `AgentStateView`). */
export interface AgentStateView extends AgentKey {
  name: string | null;
  team: string | null;
  state: AgentStateName;
  /** When the state began, ISO 8601 UTC: time in state counts from here. */
  since: string;
  /** not-ready: why (a reason's id; null: signed in, not yet ready); otherwise null. */
  reason: string | null;
  /** not-ready: how long before the wallboard highlights it, in seconds; otherwise null. */
  limitSeconds: number | null;
  /** talking or wrap-up: what follows (the agent may ask for not ready during a call). */
  next: { work: 'ready' | 'not-ready'; reason: string | null } | null;
  call: AgentCall | null;
  /** wrap-up: when the brand's wrap-up time ends it, ISO 8601 UTC. */
  wrapUpUntil: string | null;
  /** Raised on every change: a client keeps the highest it got. */
  revision: number;
}

export function agentView(r: AgentRecord, rules: AgentStateRules): AgentStateView {
  const notReady = r.state === 'not-ready';
  const busy = r.state === 'talking' || r.state === 'wrap-up';
  return {
    agentNumber: r.agentNumber,
    brand: r.brand,
    name: r.name,
    team: r.team,
    state: r.state,
    since: new Date(r.since).toISOString(),
    reason: notReady ? r.reason : null,
    limitSeconds: notReady ? notReadyLimitSeconds(rules, r.reason) : null,
    next: busy ? { work: r.work, reason: r.work === 'not-ready' ? r.reason : null } : null,
    call: r.call,
    wrapUpUntil: r.state === 'wrap-up' && r.wrapUp ? new Date(r.wrapUp.until).toISOString() : null,
    revision: r.revision,
  };
}
