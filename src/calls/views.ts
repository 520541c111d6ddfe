// A stored call as lists and the console show it, the same-day repeat caller, and which calls a
// viewer sees whole. Apart from service.ts so that the repository and the customers module use
// them without importing the service (an import cycle).
import type { Viewer } from '../accounts/principal.ts';
import type { CallResult } from '../qa/result.ts';
import type { CallEvent, Direction, Turn } from './model.ts';

export interface CallQa {
  score: number;
  fatal: boolean;
  /** Ids of the rules that failed, in scorecard order. */
  failedRules: string[];
}

/** A stored call as lists show it (no events, turns or findings). */
export interface CallSummary {
  id: string;
  brand: string;
  direction: Direction;
  agent: { id: string | null; name: string | null };
  /** Canonical number; a masked number (138****8000) as it came; null when unknown. */
  customerPhone: string | null;
  /** ISO 8601 UTC. */
  startedAt: string;
  endedAt: string | null;
  subject: string | null;
  /** False for a missed call (no answer event and no words); null when not known. */
  answered: boolean | null;
  qa: CallQa | null;
  createdAt: string;
}

export interface StoredCall extends Omit<CallSummary, 'qa'> {
  events: CallEvent[];
  turns: Turn[];
  qa: (CallQa & { result: CallResult }) | null;
}

export interface RepeatCaller {
  /** The number called this brand earlier the same local day (the brand's time zone). */
  repeat: boolean;
  /** How many earlier calls that day. */
  callsToday: number;
  /** The latest of them. */
  previous: {
    callId: string;
    startedAt: string;
    subject: string | null;
    agent: { id: string | null; name: string | null };
    answered: boolean | null;
  } | null;
  /** What the agent can ask, when the earlier call has a subject. */
  prompt: string | null;
}

/**
 * Which calls a viewer sees whole: every call, or an agent's own, derived from a principal by
 * scopeOf. A 工号 is unique per brand (a user without a brand holds it at every brand), so an
 * agent's calls are those with their 工号 at their brand, or at any brand when they have none.
 */
export type CallScope =
  | { kind: 'all' }
  | ({ kind: 'agent' } & Pick<Viewer, 'agentNumber'> & { brand?: Viewer['brand'] | undefined });

/** Whether the call (its brand and agent 工号) is the scope's own. */
export function ownsCall(
  scope: CallScope,
  call: { brand?: string | undefined; agentId: string | null },
): boolean {
  if (scope.kind === 'all') return true;
  if (scope.agentNumber === null || call.agentId !== scope.agentNumber) return false;
  return !scope.brand || call.brand === undefined || call.brand === scope.brand;
}

/** The scope of a signed-in user: agents see their own calls, everyone else every call. */
export function scopeOf(user: Viewer): CallScope {
  return user.role === 'agent'
    ? { kind: 'agent', agentNumber: user.agentNumber, brand: user.brand ?? null }
    : { kind: 'all' };
}
