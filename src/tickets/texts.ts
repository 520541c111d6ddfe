// The Chinese texts the ticket service writes for people (the UI speaks Chinese): the
// notification messages and the default subjects of new tickets (their English for the English
// UI: notification-text.ts, which holds the deadlines' and callbacks' names in both).
import { USER_ROLES } from '../accounts/roles.ts';
import { ROLES, TICKET_TYPES } from '../playbook/vocabulary.ts';
import { CALLBACK_SUBJECTS, DEADLINE_NAMES } from './notification-text.ts';
import type { Ticket, TicketDetailsDraft, TicketEvent } from './types.ts';

const roleZh = (role: string): string =>
  (ROLES as Record<string, { zh: string }>)[role]?.zh ??
  (USER_ROLES as Record<string, { zh: string }>)[role]?.zh ??
  role;

/** The subject of a ticket opened without one: from its type (回拨:未接来电, 打错电话记录…). */
export function defaultSubject(d: TicketDetailsDraft): string {
  if (d.type === 'callback') return CALLBACK_SUBJECTS[d.reason]?.zh ?? TICKET_TYPES.callback.zh;
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
        ...new Set(events.flatMap((e) => (e.type === 'breached' ? [DEADLINE_NAMES[e.deadline].zh] : []))),
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
