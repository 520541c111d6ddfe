// Refusals of the ticket service as the errors the API answers: a domain rule broken (422,
// with the rule and the allowed actions), a stale version (409).

import { ROLES } from '../playbook/vocabulary.ts';
import { AppError } from '../shared/errors.ts';
import { TicketRuleError } from './errors.ts';

/** The actions (the buttons' names) a refusal lists, as the Chinese message names them. */
const ACTIONS_ZH: Record<string, string> = {
  accept: '受理',
  start: '开始处理',
  wait: '等待客户',
  resolve: '解决',
  'follow-up': '回访',
  close: '关闭',
  reopen: '重新打开',
  reply: '答复客户',
};

/**
 * What the Chinese message adds to a refusal: the actions allowed now, or who may own the
 * ticket, in the UI's words. The codes (accept, room-director…) stay in `details` for programs;
 * the message is read by staff, who saw "可执行的操作：adopted、not-adopted" (not actions, and
 * English) under a suggestion resolved without its outcome.
 */
function allowedZh(e: TicketRuleError): string {
  if (e.code === 'outcome-required') return ''; // the message names 采纳 / 不采纳 already
  if (e.code === 'not-eligible' || e.code === 'subject-of-complaint')
    return `；可处理的角色：${e.allowed.map((r) => ROLES[r as keyof typeof ROLES]?.zh ?? r).join('、')}`;
  return `；可执行的操作：${e.allowed.map((a) => ACTIONS_ZH[a] ?? a).join('、')}`;
}

const roleName = (r: string, lang: 'zh' | 'en') => ROLES[r as keyof typeof ROLES]?.[lang] ?? r;

/**
 * Someone who may not own the ticket at its level, said as the screens say it: the level, who
 * may take it on, and what to do (leave it to them, or have a supervisor assign it). The codes
 * and roles stay in `details` for programs.
 */
function notEligible(
  e: TicketRuleError,
  owner: { level: string; role: string | null },
): {
  zh: string;
  en: string;
} {
  const mayZh = e.allowed.map((r) => roleName(r, 'zh')).join('、');
  const mayEn = e.allowed.map((r) => roleName(r, 'en')).join(' or ');
  const levelZh = roleName(owner.level, 'zh');
  const levelEn = roleName(owner.level, 'en');
  if (owner.role === null)
    return {
      zh: `没有这位在职人员，不能由其处理；请从在职人员中选择${mayZh}`,
      en: `there is no such active user to take it on; choose an active ${mayEn}`,
    };
  if (owner.role === 'qa-inspector' || owner.role === 'admin')
    return owner.role === 'admin'
      ? {
          zh: `管理员账号只管理用户和设置，不处理工单；请交给${mayZh}处理`,
          en: `an admin account manages users and settings and works no ticket; give it to a ${mayEn}`,
        }
      : {
          zh: `质检员不处理工单（质检须独立于所检查的工作）；请交给${mayZh}处理`,
          en: `a QA inspector works no ticket (QA stays independent of the work it inspects); give it to a ${mayEn}`,
        };
  const role = roleName(owner.role, 'en');
  return {
    zh: `此工单已到${levelZh}一级，${roleName(owner.role, 'zh')}不能受理或承办；请由${mayZh}受理，或请主管分派给其中一位`,
    en: `this ticket is at the ${levelEn} level, and ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role} may not take it on: leave it to a ${mayEn} to accept, or ask a supervisor to assign it to one`,
  };
}

/** A refused domain operation as the error the API answers (422, the rule and allowed actions in details). */
export function ruleViolation(e: TicketRuleError): AppError {
  const details = [
    { path: 'rule', message: e.code },
    ...e.allowed.map((a) => ({ path: 'allowed', message: a })),
  ];
  if (e.code === 'not-eligible' && e.owner)
    return new AppError('rule-violation', notEligible(e, e.owner), details);
  if (e.code === 'other-brand' && e.brands) {
    const b = e.brands;
    return new AppError(
      'rule-violation',
      {
        zh: `用户“${b.userId}”的账号只处理品牌“${b.user}”的工单，这张工单属于品牌“${b.ticket}”；请交给品牌“${b.ticket}”或不限品牌的人员`,
        en: e.message,
      },
      [
        ...details,
        {
          path: 'body.assignee',
          message: `works only on brand '${b.user}'; the ticket is of '${b.ticket}'`,
          zh: `只处理品牌“${b.user}”；工单属于“${b.ticket}”`,
        },
      ],
    );
  }
  if (e.code === 'reply-required' && e.replyWith) {
    // An older client resolving a suggestion without its reply: what to send, and where.
    const id = e.replyWith.ticketId;
    return new AppError(
      'rule-violation',
      {
        zh: `建议须先告知客户处理结果（件件有回音），此工单尚无答复：请在解决时一并发送答复，POST /api/tickets/${id}/resolve {"version", "outcome", "reply": {"text": "…", "channel": "phone"}}；或先用 POST /api/tickets/${id}/replies 记录答复`,
        en: e.message,
      },
      [
        ...details,
        {
          path: 'body.reply',
          message:
            'required: {text, channel}, the reply telling the customer the outcome (this suggestion has none yet)',
          zh: '必填：{text, channel}，告知客户处理结果的答复（此建议尚无答复）',
        },
      ],
    );
  }
  const zh = {
    'transition-not-allowed': '工单当前状态下不能这样操作',
    'reply-required': '须先记录对客户的答复（件件有回音）',
    'follow-up-required': '投诉须在最近一次处理完毕后回访，才能关闭',
    'outcome-required': '建议须注明处理结果（采纳或不采纳）',
    'not-allowed-in-status': '工单当前状态下不能这样操作',
    'escalation-at-top': '工单已在投诉处理岗，无法再升级',
    'invalid-input': '输入有误',
    'not-eligible': '此人不能处理这一级别的工单（质检员、管理员账号不做处理人）',
    'subject-of-complaint': '被投诉的坐席不能处理针对自己的投诉',
    'other-brand': '此人的账号只处理另一品牌的工单',
  }[e.code];
  const allowed = e.allowed.length > 0 ? allowedZh(e) : '';
  return new AppError(
    'rule-violation',
    { zh: `${zh}${e.code === 'invalid-input' ? `：${e.message}` : allowed}`, en: e.message },
    details,
  );
}

/** Runs a domain operation, turning its refusal into the API's error. */
export function domain<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TicketRuleError) throw ruleViolation(e);
    throw e;
  }
}

/** The ticket changed since the client read it (optimistic locking). */
export function staleVersion(current: number, sent: number): AppError {
  return new AppError(
    'conflict',
    {
      zh: `工单已被他人修改：现在是版本 ${current}，您的修改基于版本 ${sent}；请刷新后重试`,
      en: `the ticket was changed by someone else: it is at version ${current}, your change was made on version ${sent}; reload it and try again`,
    },
    [{ path: 'body.version', message: `the current version is ${current}`, zh: `当前版本为 ${current}` }],
  );
}
