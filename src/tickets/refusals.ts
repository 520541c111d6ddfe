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

/** A refused domain operation as the error the API answers (422, the rule and allowed actions in details). */
export function ruleViolation(e: TicketRuleError): AppError {
  const zh = {
    'transition-not-allowed': '工单当前状态下不能这样操作',
    'reply-required': '投诉须先记录对客户的答复',
    'follow-up-required': '投诉须在最近一次处理完毕后回访，才能关闭',
    'outcome-required': '建议须注明处理结果（采纳或不采纳）',
    'not-allowed-in-status': '工单当前状态下不能这样操作',
    'escalation-at-top': '工单已在投诉处理岗，无法再升级',
    'invalid-input': '输入有误',
    'not-eligible': '此人不能处理这一级别的工单（质检员、管理员账号不做处理人）',
    'subject-of-complaint': '被投诉的坐席不能处理针对自己的投诉',
  }[e.code];
  const allowed = e.allowed.length > 0 ? allowedZh(e) : '';
  return new AppError(
    'rule-violation',
    { zh: `${zh}${e.code === 'invalid-input' ? `：${e.message}` : allowed}`, en: e.message },
    [{ path: 'rule', message: e.code }, ...e.allowed.map((a) => ({ path: 'allowed', message: a }))],
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
