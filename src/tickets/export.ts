// The columns of a ticket export (CSV and XLSX alike), headed in Chinese like the UI.
import type { ExportColumn } from '../exports/columns.ts';
import { TICKET_TYPES } from '../playbook/vocabulary.ts';
import type { DeadlineKind, EscalationLevel, Priority, TicketStatus } from './types.ts';
import type { TicketView } from './views.ts';

export const STATUS_ZH: Record<TicketStatus, string> = {
  new: '新建',
  accepted: '已受理',
  'in-progress': '处理中',
  'waiting-for-customer': '等待客户',
  resolved: '已解决',
  'follow-up-done': '已回访',
  closed: '已关闭',
};

export const PRIORITY_ZH: Record<Priority, string> = { urgent: '紧急', standard: '一般' };

export const LEVEL_ZH: Record<EscalationLevel, string> = {
  agent: '坐席',
  'team-lead': '组长/协调员',
  'room-director': '室主任',
  'complaint-desk': '投诉处理岗',
};

export const DEADLINE_ZH: Record<DeadlineKind, string> = {
  'first-response': '首次响应',
  reply: '答复',
  resolution: '办结',
  'follow-up': '回访',
};

const date = (s: string | null): Date | null => (s ? new Date(s) : null);

export const TICKET_EXPORT_COLUMNS: readonly ExportColumn<TicketView>[] = [
  { header: '工单号', value: (t) => t.number ?? t.id, width: 22 },
  { header: '品牌', value: (t) => t.brandName, width: 16 },
  { header: '类型', value: (t) => TICKET_TYPES[t.type].zh, width: 14 },
  { header: '状态', value: (t) => STATUS_ZH[t.status], width: 10 },
  { header: '优先级', value: (t) => PRIORITY_ZH[t.priority], width: 8 },
  { header: '主题', value: (t) => t.subject, width: 40, personal: 'text' },
  // Masked (138****8000) or, for the roles that may, read back as staff say it (138 0013 8000,
  // which also keeps Excel from showing 1.38E+10): src/exports/numbers.ts.
  { header: '客户电话', value: (t) => t.customerPhone, width: 16, personal: 'phone' },
  { header: '联系电话', value: (t) => t.contactPhone, width: 16, personal: 'phone' },
  { header: '来电编号', value: (t) => t.callId, width: 20 },
  { header: '处理人', value: (t) => t.assigneeName ?? t.assignee, width: 14 },
  { header: '升级层级', value: (t) => LEVEL_ZH[t.level], width: 12 },
  { header: '创建时间', value: (t) => date(t.createdAt), width: 20 },
  { header: '下一时限', value: (t) => date(t.nextDeadline?.dueAt ?? null), width: 20 },
  { header: '是否超时', value: (t) => (t.overdue ? '是' : '否'), width: 10 },
  {
    header: '已超时时限',
    value: (t) => t.breached.map((k) => DEADLINE_ZH[k]).join('、'),
    width: 18,
  },
  { header: '解决时间', value: (t) => date(t.resolvedAt), width: 20 },
  { header: '关闭时间', value: (t) => date(t.closedAt), width: 20 },
  { header: '满意度', value: (t) => t.followUps.findLast((f) => f.reached)?.satisfaction ?? null, width: 8 },
  { header: '回访次数', value: (t) => t.followUps.length, width: 8 },
  { header: '工单ID', value: (t) => t.id, width: 38 },
  { header: '版本', value: (t) => t.version, width: 6 },
];
