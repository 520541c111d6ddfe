// Who may post which CTI event. A call event can score a call against an agent, blacklist a
// number, open a callback ticket or end a live call, so it is taken on the word of the
// telephone system itself, or of the agent whose call it is — never of a colleague.
//
// - The integration (the telephone system's bridge): an API token with the scope `cti` whose
//   owner is an admin (CTI_INTEGRATION_OWNERS). It acts for every 工号: ring, answer, hold,
//   unhold, transfer, hangup, transcripts, the harassment flag. Admins own it because the
//   token speaks for the whole floor, like the admin who provisions the accounts; a cti token
//   of an agent or a supervisor is only that person's (see below).
// - A person (a session, or a token of a non-admin owner): only the events of a live call that
//   rang to their own 工号 (`user.agentNumber`): answer, hold, unhold, transfer and hangup, the
//   buttons of their console. Never a ring (a call starts at the telephone system; a ring from a
//   person would be a forged call, scored against whoever it names and opening callbacks), never
//   another 工号 on the answer, never a transcript (the words a call is scored on come from the
//   telephone system or the ASR, not from the agent scored), and the harassment flag (which
//   blacklists the number) only on a call that was answered. No 工号: no call events at all.
import type { Principal } from '../accounts/principal.ts';
import { CTI_INTEGRATION_OWNERS } from '../accounts/roles.ts';
import { AppError, type Localized } from '../shared/errors.ts';
import type { CtiEvent } from './event.ts';
import type { LiveCall } from './live.ts';

export { CTI_INTEGRATION_OWNERS };

/** Who posts an event: the telephone system's integration, or a person with their 工号. */
export type CtiPoster =
  | { kind: 'integration' }
  | ({ kind: 'person' } & Pick<Principal, 'agentNumber'> & { brand?: Principal['brand'] | undefined });

const forbidden = (message: Localized) => new AppError('forbidden', message);

/** The poster of a request: the integration only for an admin's token that has the scope `cti`. */
export function posterOf(
  principal: Pick<Principal, 'via' | 'scopes' | 'role' | 'agentNumber' | 'brand'>,
): CtiPoster {
  const { via, scopes, role } = principal;
  if (via === 'token' && scopes?.includes('cti') && CTI_INTEGRATION_OWNERS.includes(role))
    return { kind: 'integration' };
  return { kind: 'person', agentNumber: principal.agentNumber, brand: principal.brand };
}

/** Refusals that need no live call: who the poster is and what the event carries. */
export function checkEvent(poster: CtiPoster, e: Pick<CtiEvent, 'type' | 'callId' | 'turns'>): void {
  if (poster.kind === 'integration') return;
  if (poster.agentNumber === null)
    throw forbidden({
      zh: `您没有工号，不能提交通话事件（通话“${e.callId}”的 ${e.type}）；通话事件由电话系统的集成令牌（权限 cti）或接听该通话的坐席提交`,
      en: `you have no 工号 (agent number), so you cannot post call events (${e.type} of call '${e.callId}'); call events come from the telephone system's integration token (scope cti) or from the agent the call rang to`,
    });
  if (e.type === 'ring')
    throw forbidden({
      zh: `通话由电话系统发起：振铃事件（通话“${e.callId}”）只能用集成的 API 令牌（权限 cti，归管理员所有）提交，不能从坐席工作台提交`,
      en: `a call starts at the telephone system: a ring (call '${e.callId}') is posted only with the integration's API token (scope cti, owned by an admin), not from an agent's console`,
    });
  if (e.turns !== undefined)
    throw forbidden({
      zh: `通话“${e.callId}”的转写文本来自电话系统或语音识别（集成令牌，或由质检员 PUT /api/calls/${e.callId}/transcript），不能由被质检的坐席提交；挂机事件请不要带 turns`,
      en: `the transcript of call '${e.callId}' comes from the telephone system or the ASR (integration token, or PUT /api/calls/${e.callId}/transcript by QA), not from the agent whose call is scored; send the hangup without turns`,
    });
}

/** Refusals about the live call itself: it must have rung to the poster's 工号. */
export function checkCall(
  poster: CtiPoster,
  e: Pick<CtiEvent, 'type' | 'agent' | 'harassment'>,
  c: LiveCall,
): void {
  if (poster.kind === 'integration') return;
  const mine = poster.agentNumber;
  if (c.agent.id === null)
    throw forbidden({
      zh: `通话“${c.callId}”还没有振铃到任何工号；只有电话系统的集成可以提交它的 ${e.type}`,
      en: `call '${c.callId}' has not rung to any 工号 yet; only the telephone system's integration may post its ${e.type}`,
    });
  if (poster.brand && c.brand !== poster.brand)
    throw forbidden({
      zh: `通话“${c.callId}”属于品牌 ${c.brand}；您的工号 ${mine} 属于品牌 ${poster.brand}，这不是您的通话`,
      en: `call '${c.callId}' is a call of brand ${c.brand}; your 工号 ${mine} is at brand ${poster.brand}, so it is not your call`,
    });
  if (c.agent.id !== mine)
    throw forbidden({
      zh: `通话“${c.callId}”振铃到工号 ${c.agent.id}，不是您的工号（${mine}）；您只能提交振铃到自己工号的通话事件`,
      en: `call '${c.callId}' rang to 工号 ${c.agent.id}, not to yours (${mine}); you may post events only of calls that rang to your 工号`,
    });
  if (e.type === 'answer' && e.agent?.id !== undefined && e.agent.id !== mine)
    throw forbidden({
      zh: `您不能以工号 ${e.agent.id} 接起通话“${c.callId}”：您的工号是 ${mine}；请不填 agent，或填您自己的工号`,
      en: `you cannot answer call '${c.callId}' as 工号 ${e.agent.id}: you are 工号 ${mine}; leave out agent or send your own number`,
    });
  if (e.type === 'hangup' && e.harassment === true && c.answeredAt === null)
    throw forbidden({
      zh: `通话“${c.callId}”从未接起，不能标记为骚扰电话（这会把号码加入黑名单）；只能标记您自己接起的通话`,
      en: `call '${c.callId}' was never answered, so you cannot flag it as harassment (that blacklists the number); flag only a call you answered yourself`,
    });
}
