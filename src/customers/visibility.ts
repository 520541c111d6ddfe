// What an agent sees of a customer's earlier calls (the history, the same-day repeat caller).
// Agents see their own calls whole, as `/api/calls` shows them (CallScope). Of a colleague's
// call an agent sees only the fact of it: when (startedAt, endedAt), which brand, which
// direction, whether it was answered, and what it was about (subject) — so that they can say
// "you called us this morning about your policy". Never who took it (agent: null), never its
// score or findings (qa: null), and no subject when the call was a harassment call (the number
// was blacklisted from it): that subject is the harasser's own words. Supervisors, QA
// inspectors and admins see every call as before. Pure: the caller finds the harassment calls.
import { type CallScope, type CallSummary, ownsCall, type RepeatCaller } from '../calls/views.ts';

const NOBODY = { id: null, name: null };

/** Whether the viewer sees the call whole (their own, or a viewer who sees every call). */
export function seesWhole(scope: CallScope, agentId: string | null, brand?: string): boolean {
  return ownsCall(scope, { agentId, brand });
}

/** A call of the customer's history as the viewer may see it. */
export function callSeenBy(
  scope: CallScope,
  call: CallSummary,
  harassment: ReadonlySet<string>,
): CallSummary {
  if (seesWhole(scope, call.agent.id, call.brand)) return call;
  return { ...call, agent: NOBODY, qa: null, subject: harassment.has(call.id) ? null : call.subject };
}

/** The repeat-caller notice as the viewer may see it: the prompt goes with the subject. */
export function repeatCallerSeenBy(
  scope: CallScope,
  rc: RepeatCaller,
  harassment: ReadonlySet<string>,
): RepeatCaller {
  const p = rc.previous;
  if (!p || seesWhole(scope, p.agent.id)) return rc;
  const hidden = harassment.has(p.callId);
  return {
    ...rc,
    previous: { ...p, agent: NOBODY, subject: hidden ? null : p.subject },
    prompt: hidden ? null : rc.prompt,
  };
}
