// Who may do what to a ticket, beyond the life-cycle rules of workflow.ts (README "Who may do
// what"): agents work their own or nobody's tickets and open tickets only for themselves, a
// complaint is closed by the complaint desk or a supervisor, the agent a complaint is about
// changes nothing on it, and a callback is taken by one person.
import type { Kysely, Transaction } from 'kysely';
import { USER_ROLES, type UserRole } from '../accounts/roles.ts';
import type { DB } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import * as repo from './repository.ts';
import type { Ticket } from './types.ts';
import { isAbout } from './workflow.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Who acts, as these rules see it: the system has no role (and may do anything). */
interface Who {
  userId: string | null;
  role?: UserRole;
}

/**
 * The brand an account is limited to: it sees and acts on that brand's tickets only. null: an
 * account without a brand, or the system, sees every brand.
 */
export function brandScopeOf(actor: { brand?: string | null }): string | null {
  return actor.brand ?? null;
}

/**
 * A ticket of another brand does not exist for a brand-limited account: 404, as for an unknown
 * id, so that ids of other brands are not confirmed.
 */
export function noSuchTicket(id: string): AppError {
  return new AppError('not-found', { zh: `没有工单“${id}”`, en: `no ticket '${id}'` });
}

/**
 * A brand-limited account names another brand (a filter, a queue, a new ticket): 403 saying
 * which brand it is limited to. `brandName` is the brand's display name.
 */
export function otherBrandRefused(scope: string, brandName: string, what: 'list' | 'open'): AppError {
  const shown = brandName === scope ? scope : `${brandName}（${scope}）`;
  return new AppError(
    'forbidden',
    what === 'list'
      ? {
          zh: `您的账号只能查看品牌“${shown}”的工单；请去掉品牌条件或选择该品牌`,
          en: `your account sees only the tickets of brand '${scope}'; leave the brand out or choose that brand`,
        }
      : {
          zh: `您的账号只能为品牌“${shown}”开工单`,
          en: `your account opens tickets only for brand '${scope}'`,
        },
    [
      {
        path: what === 'list' ? 'querystring.brand' : 'body.brand',
        message: `not ${scope}`,
        zh: `不是 ${scope}`,
      },
    ],
  );
}

/** Roles that may close a complaint (投诉): the complaint desk and the supervisors above agents. */
export const COMPLAINT_CLOSERS: readonly UserRole[] = [
  'team-lead',
  'room-director',
  'complaint-desk',
  'admin',
];

/** Giving a ticket to someone else is a supervisor's act (as POST /api/tickets/:id/assign). */
export function mayOpenFor(assignee: string | null | undefined, actor: Who): void {
  if (assignee && actor.role === 'agent' && assignee !== actor.userId)
    throw new AppError(
      'forbidden',
      {
        zh: `坐席开工单只能指派给自己或不指派（处理人“${assignee}”不是您）；指派给他人由组长等上级进行`,
        en: `an agent opens a ticket for themselves or for nobody (assignee '${assignee}' is not you); a supervisor assigns it to someone else`,
      },
      [{ path: 'body.assignee', message: 'not you', zh: '不是您' }],
    );
}

/** Agents work the tickets given to them or nobody's; supervisors (and the system) any. */
export function mayWork(t: Ticket, actor: Who, action: string): void {
  if (actor.role !== 'agent' || t.assignee === null || t.assignee === actor.userId) return;
  if (action === 'take') return; // take answers "already taken" itself
  throw new AppError('forbidden', {
    zh: `该工单已分配给 ${t.assignee}；坐席只能处理自己的或未分配的工单（如需接手，请组长重新分配）`,
    en: `this ticket is assigned to ${t.assignee}; an agent works only on their own tickets or unassigned ones (ask a supervisor to reassign it)`,
  });
}

/** A complaint is closed by the complaint desk or a supervisor only; other types by whoever works them. */
export function mayClose(t: Ticket, actor: Who): void {
  if (t.type === 'complaint' && actor.role !== undefined && !COMPLAINT_CLOSERS.includes(actor.role))
    throw new AppError('forbidden', {
      zh: `投诉工单只能由投诉处理岗或组长及以上关闭（${COMPLAINT_CLOSERS.join(', ')}）；您的角色是 ${actor.role}`,
      en: `a complaint is closed by the complaint desk or a supervisor (${COMPLAINT_CLOSERS.join(', ')}); you are ${actor.role}`,
    });
}

/** A callback is taken while open and by one person: one someone else has is a conflict. */
export function mayTake(t: Ticket, me: string): void {
  if (t.type !== 'callback')
    throw new AppError('not-found', { zh: `没有回拨工单“${t.id}”`, en: `no callback ticket '${t.id}'` });
  if (t.assignee !== null && t.assignee !== me)
    throw new AppError(
      'conflict',
      {
        zh: `该回拨已被他人（${t.assignee}）领取；请从队列中另选一个`,
        en: `this callback was already taken by someone else (${t.assignee}); pick another one from the queue`,
      },
      [{ path: 'assignee', message: t.assignee }],
    );
  if (!repo.OPEN_STATUSES.includes(t.status))
    throw new AppError(
      'rule-violation',
      {
        zh: `该回拨工单的状态是 ${t.status}；只能领取未完成的回拨`,
        en: `this callback is ${t.status}; only open callbacks can be taken`,
      },
      [{ path: 'rule', message: 'not-allowed-in-status' }],
    );
}

/** A follow-up visit is taken while the complaint waits for it (resolved), by one person. */
export function mayTakeFollowUp(t: Ticket, me: string): void {
  if (t.type !== 'complaint')
    throw new AppError('not-found', {
      zh: `回访队列中没有工单“${t.id}”(只有投诉需要回访)`,
      en: `no ticket '${t.id}' in the follow-up queue (only complaints have a follow-up visit)`,
    });
  if (t.assignee !== null && t.assignee !== me)
    throw new AppError(
      'conflict',
      {
        zh: `该回访已被他人（${t.assignee}）领取；请从队列中另选一个`,
        en: `this follow-up was already taken by someone else (${t.assignee}); pick another one from the queue`,
      },
      [{ path: 'assignee', message: t.assignee }],
    );
  if (t.status !== 'resolved')
    throw new AppError(
      'rule-violation',
      {
        zh: `该投诉的状态是 ${t.status}；只有已办结、待回访的投诉可以领取回访`,
        en: `this complaint is ${t.status}; only a resolved complaint waiting for its follow-up visit can be taken`,
      },
      [{ path: 'rule', message: 'not-allowed-in-status' }],
    );
}

/** The reader, when the ticket is a complaint about them; else null. */
async function subjectReading(db: Db, t: Ticket, actor: Who) {
  if (t.type !== 'complaint' || actor.userId === null) return null;
  if (t.aboutAgentNumber === null && t.aboutUserId === null) return null;
  const me = await repo.findActiveUser(db, actor.userId);
  return me && isAbout(t, { id: me.id, agentNumber: me.agentNumber }) ? me : null;
}

/** Whether the reader is the agent the complaint is about (they read it without the names of
 * who recorded it or who works it). */
export async function isTheSubject(db: Db, t: Ticket, actor: Who): Promise<boolean> {
  return (await subjectReading(db, t, actor)) !== null;
}

/**
 * The agent a complaint is about changes nothing on it: not accept, work, assign, escalate
 * or take (403). Others see it and may work it; they can never give it to that agent.
 */
export async function notTheSubject(db: Db, t: Ticket, actor: Who): Promise<void> {
  const me = await subjectReading(db, t, actor);
  if (me && t.type === 'complaint')
    throw new AppError('forbidden', {
      zh: `这条投诉针对的是您（工号 ${t.aboutAgentNumber ?? me.agentNumber ?? '—'}）；被投诉的坐席不能处理针对自己的投诉，它由${USER_ROLES[t.level].zh}一级处理`,
      en: `this complaint is about you (工号 ${t.aboutAgentNumber ?? me.agentNumber ?? '—'}); the agent a complaint is about can never own or work it: it is handled at the ${t.level} level`,
    });
}
