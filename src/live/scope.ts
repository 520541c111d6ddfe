// Which live calls a console (the live-assist socket) or a supervisor's list (GET /api/cti/live)
// shows: the one rule, for both. Pure: the team's members are looked up by the caller
// (Application.liveScopeOf) once per subscription or request, never per event.
//
// - An agent: the calls ringing to their own 工号 (at their brand).
// - A team lead with a team: the calls of the team's agents — a call whose 工号 is held by an
//   account of the team at the call's brand (or at every brand) — within the lead's brand.
// - A team lead without a team, room directors, the complaint desk, QA inspectors, admins:
//   every call of their brand (every brand when their account has none).
import type { Principal } from '../accounts/principal.ts';
import type { TeamMember } from '../accounts/team.ts';

export type LiveScope =
  | { kind: 'agent'; agentNumber: string | null; brand: string | null }
  | {
      kind: 'team';
      brand: string | null;
      team: string;
      /** 工号 → the brands it is the team's at (null: every brand). */
      members: ReadonlyMap<string, ReadonlyArray<string | null>>;
    }
  | { kind: 'brand'; brand: string | null };

/** Whose view: the principal's role, 工号, brand and team. */
export type ScopeHolder = Pick<Principal, 'role' | 'agentNumber' | 'brand' | 'team'>;

/** Whether the holder's scope depends on a team's members (then look them up first). */
export const needsTeam = (p: ScopeHolder): p is ScopeHolder & { team: string } =>
  p.role === 'team-lead' && p.team !== null;

/**
 * The scope of a principal; `members` are their team's (needed when `needsTeam`: a team
 * lead with a team and no members given sees no call, never more than their team).
 */
export function liveScopeOf(p: ScopeHolder, members: readonly TeamMember[] = []): LiveScope {
  if (p.role === 'agent') return { kind: 'agent', agentNumber: p.agentNumber, brand: p.brand };
  if (needsTeam(p)) {
    const byNumber = new Map<string, Array<string | null>>();
    for (const m of members) byNumber.set(m.agentNumber, [...(byNumber.get(m.agentNumber) ?? []), m.brand]);
    return { kind: 'team', brand: p.brand, team: p.team, members: byNumber };
  }
  return { kind: 'brand', brand: p.brand };
}

/** Whether a call (its brand and the 工号 it rang to) is in the scope. */
export function sees(scope: LiveScope, call: { brand: string; agentNumber: string | null }): boolean {
  if (scope.brand !== null && scope.brand !== call.brand) return false;
  switch (scope.kind) {
    case 'brand':
      return true;
    case 'agent':
      return scope.agentNumber !== null && call.agentNumber === scope.agentNumber;
    default: {
      if (call.agentNumber === null) return false;
      const brands = scope.members.get(call.agentNumber);
      return brands?.some((b) => b === null || b === call.brand) === true;
    }
  }
}

/**
 * Whether an agent's state (their 工号 at their account's brand, null: every brand) is in the
 * scope: the same rule as their calls, an agent of every brand being in every brand's view.
 */
export function seesAgent(scope: LiveScope, agent: { brand: string | null; agentNumber: string }): boolean {
  if (scope.brand !== null && agent.brand !== null && scope.brand !== agent.brand) return false;
  switch (scope.kind) {
    case 'brand':
      return true;
    case 'agent':
      return scope.agentNumber === agent.agentNumber && (scope.brand === agent.brand || scope.brand === null);
    default: {
      const brands = scope.members.get(agent.agentNumber);
      return brands?.some((b) => b === null || b === agent.brand) === true;
    }
  }
}
