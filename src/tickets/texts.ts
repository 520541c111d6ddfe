// The Chinese texts the ticket service writes for people (the UI speaks Chinese): the
// notification messages and the default subjects of new tickets.
import { USER_ROLES } from '../accounts/roles.ts';
import { ROLES, TICKET_TYPES } from '../playbook/vocabulary.ts';
import type { CallbackReason, DeadlineKind, Ticket, TicketDetailsDraft, TicketEvent } from './types.ts';

const DEADLINE_ZH: Record<DeadlineKind, string> = {
  'first-response': '首次响应',
  reply: '答复',
  resolution: '办结',
  'follow-up': '回访',
};

const roleZh = (role: string): string =>
  (ROLES as Record<string, { zh: string }>)[role]?.zh ??
  (USER_ROLES as Record<string, { zh: string }>)[role]?.zh ??
  role;

const CALLBACK_SUBJECTS: Record<CallbackReason, string> = {
  promised: '回拨:已承诺回电',
  'dropped-line': '回拨:通话断线',
  'missed-call': '回拨:未接来电',
  'hold-over-limit': '回拨:等待超时',
};

/** The subject of a ticket opened without one: from its type (回拨:未接来电, 打错电话记录…). */
export function defaultSubject(d: TicketDetailsDraft): string {
  if (d.type === 'callback') return CALLBACK_SUBJECTS[d.reason] ?? TICKET_TYPES.callback.zh;
  return TICKET_TYPES[d.type]?.zh ?? d.type;
}

/** The notification text: what happened to which ticket. */
export function notificationMessage(ticket: Ticket, reason: string, events: readonly TicketEvent[]): string {
  const name = `工单${ticket.number ? ` ${ticket.number} ` : ''}「${ticket.subject}」`;
  const level = roleZh(ticket.level);
  switch (reason) {
    case 'routed':
      return ticket.type === 'message'
        ? `${name}:有客户留言请您回电`
        : `${name}(${TICKET_TYPES[ticket.type].zh})已转至${level}处理`;
    case 'assigned':
      return `${name}已分派给您`;
    case 'breach': {
      const kinds = [
        ...new Set(events.flatMap((e) => (e.type === 'breached' ? [DEADLINE_ZH[e.deadline]] : []))),
      ];
      return `${name}${kinds.join('、')}时限已超时,现由${level}跟进`;
    }
    case 'manual': {
      const note = events.find((e) => e.type === 'escalated' && e.reason === 'manual');
      return `${name}已升级至${level}${note && note.type === 'escalated' && note.note ? `:${note.note}` : ''}`;
    }
    case 'reminder': {
      const r = events.find((e) => e.type === 'reminded');
      const count = r && r.type === 'reminded' ? r.count : 1;
      return `${name}仍已超时未处理(第${count}次提醒),现由${level}跟进`;
    }
    case 'dissatisfied': {
      const f = events.find((e) => e.type === 'follow-up-recorded');
      const score = f && f.type === 'follow-up-recorded' && f.satisfaction !== null ? f.satisfaction : '?';
      return `${name}回访不满意(满意度 ${score}/5),已重新打开,请投诉处理岗跟进`;
    }
    default:
      return `${name}有更新`;
  }
}
