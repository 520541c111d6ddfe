// Speaker labels accepted in plain-text transcripts (`坐席: …`) and WebVTT voice tags
// (`<v 坐席>`): the glossary's words for agent and customer, Simplified and Traditional.
import type { Speaker } from './model.ts';

export const AGENT_LABELS = ['坐席', '座席', '客服', '话务员', '話務員', 'agent'] as const;
export const CUSTOMER_LABELS = ['客户', '用户', '来电人', '客戶', '用戶', '來電人', 'customer'] as const;

const BY_LABEL = new Map<string, Speaker>([
  ...AGENT_LABELS.map((l) => [l, 'agent'] as const),
  ...CUSTOMER_LABELS.map((l) => [l, 'customer'] as const),
]);

/** The speaker a label names (English labels in any case), or undefined. */
export function speakerOf(label: string): Speaker | undefined {
  const trimmed = label.trim();
  return BY_LABEL.get(trimmed) ?? BY_LABEL.get(trimmed.toLowerCase());
}

export const ACCEPTED_LABELS = `agent: ${AGENT_LABELS.join(', ')}; customer: ${CUSTOMER_LABELS.join(', ')}`;

// Words that name some other party (or an unmapped diarization speaker). In a text transcript
// a line `主管: …` is then reported as an unknown label, where `地址：北京…` continues a turn.
const OTHER_ROLES = new Set([
  '主管',
  '组长',
  '組長',
  '班长',
  '班長',
  '值班长',
  '值班長',
  '协调员',
  '協調員',
  '室主任',
  '经理',
  '經理',
  '领导',
  '領導',
  '质检',
  '質檢',
  '质检员',
  '質檢員',
  '技术',
  '技術',
  '技术员',
  '技術員',
  '专家',
  '專家',
  '第三方',
  '系统',
  '系統',
  '机器人',
  '機器人',
  '语音',
  '語音',
  'ivr',
  '未知',
  'unknown',
]);
const NUMBERED_SPEAKER = /^(?:说话人|說話人|发言人|發言人|讲话人|講話人|角色|speaker|spk|role)[ _-]?\d*$/i;

/** Whether a word before a colon looks like a speaker label, though not one we accept. */
export function looksLikeOtherSpeaker(label: string): boolean {
  const t = label.trim().toLowerCase();
  return OTHER_ROLES.has(t) || NUMBERED_SPEAKER.test(t);
}
