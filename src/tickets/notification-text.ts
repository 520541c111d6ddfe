// Notifications' texts in English, for the English UI. The ticket service (`texts.ts`) and the
// review service (`../review/service.ts`) store each notification's text in Chinese: that stays
// what is stored and sent. This module reads a stored text back through the finite set of
// templates they write and says it in English; a text it does not know is given back as stored.
//
// Pure (no I/O), imported by the web UI too (`web/src/lib/notes.ts`). What a text quotes — a
// ticket's subject (a default one is translated), an escalation's note, a calibration's title, a
// rule's title (the caller may give its English) — stays as written, in “…”.
// `notification-text.test.ts` renders every reason of `notificationMessage` and scans both
// services' notification literals: one added without an entry here fails it.
import { USER_ROLES } from '../accounts/roles.ts';
import { ROLES, TICKET_TYPES } from '../playbook/vocabulary.ts';
import type { CallbackReason, DeadlineKind } from './types.ts';

/** A deadline as a notification names it. */
export const DEADLINE_NAMES: Record<DeadlineKind, { zh: string; en: string }> = {
  'first-response': { zh: '首次响应', en: 'first response' },
  reply: { zh: '答复', en: 'reply' },
  resolution: { zh: '办结', en: 'resolution' },
  'follow-up': { zh: '回访', en: 'follow-up' },
};

/** The subject of a callback ticket opened without one. */
export const CALLBACK_SUBJECTS: Record<CallbackReason, { zh: string; en: string }> = {
  promised: { zh: '回拨:已承诺回电', en: 'Callback: call back as promised' },
  'dropped-line': { zh: '回拨:通话断线', en: 'Callback: the line dropped' },
  'missed-call': { zh: '回拨:未接来电', en: 'Callback: missed call' },
  'hold-over-limit': { zh: '回拨:等待超时', en: 'Callback: held too long' },
};

type Named = Record<string, { zh: string; en: string }>;
const byZh = (...tables: Named[]) => {
  const map = new Map<string, string>();
  for (const t of tables) for (const v of Object.values(t)) if (!map.has(v.zh)) map.set(v.zh, v.en);
  return map;
};
const LEVELS = byZh(ROLES, USER_ROLES);
const TYPES = byZh(TICKET_TYPES);
const SUBJECTS = byZh(CALLBACK_SUBJECTS, TICKET_TYPES);
const DEADLINES = byZh(DEADLINE_NAMES);

const quote = (words: string) => `“${words}”`;
/** `1 call`, `2 calls`. */
const count = (n: string, one: string) => `${n} ${n === '1' ? one : `${one}s`}`;
const level = (zh: string) => LEVELS.get(zh) ?? zh;
const subject = (zh: string) => {
  const en = SUBJECTS.get(zh);
  return en === undefined ? quote(zh) : quote(en[0]?.toUpperCase() + en.slice(1));
};

export interface NotificationTextOptions {
  /** A rule's Chinese title (the scorecard's) in English; the title is quoted as stored without. */
  ruleTitle?: (zh: string) => string | undefined;
}

type Template = {
  re: RegExp;
  en: (m: RegExpExecArray, o: NotificationTextOptions) => string | undefined;
};

// `工单 T-0001 「subject」` (the number only when the ticket has one).
const TICKET = '工单(?: (\\S+) )?「(.*)」';
const ticket = (m: RegExpExecArray) => `Ticket${m[1] ? ` ${m[1]}` : ''} ${subject(m[2] as string)}`;
const re = (source: string) => new RegExp(`^${source}$`, 'su');

const TEMPLATES: readonly Template[] = [
  // tickets/texts.ts notificationMessage
  {
    re: re(`${TICKET}:有客户留言请您回电`),
    en: (m) => `${ticket(m)}: a customer left a message asking you to call back`,
  },
  {
    re: re(`${TICKET}\\((.+?)\\)已转至(.+)处理`),
    en: (m) =>
      `${ticket(m)} (${TYPES.get(m[3] as string) ?? m[3]}) was routed to the ${level(m[4] as string)}`,
  },
  { re: re(`${TICKET}已分派给您`), en: (m) => `${ticket(m)} was assigned to you` },
  {
    re: re(`${TICKET}(.+)时限已超时,现由(.+)跟进`),
    en: (m) => {
      const kinds = (m[3] as string).split('、').map((k) => DEADLINES.get(k));
      if (kinds.some((k) => k === undefined)) return undefined;
      // 首次响应、答复 → "the first response and reply deadlines passed"
      const named =
        kinds.length > 1
          ? `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)} deadlines`
          : `${kinds[0]} deadline`;
      return `${ticket(m)}: the ${named} passed; the ${level(m[4] as string)} follows it up now`;
    },
  },
  {
    re: re(`${TICKET}已升级至(.+?)(?::(.*))?`),
    en: (m) => `${ticket(m)} was escalated to the ${level(m[3] as string)}${m[4] ? `: ${quote(m[4])}` : ''}`,
  },
  {
    re: re(`${TICKET}仍已超时未处理\\(第(\\d+)次提醒\\),现由(.+)跟进`),
    en: (m) =>
      `${ticket(m)} is still overdue (reminder ${m[3]}); the ${level(m[4] as string)} follows it up now`,
  },
  {
    re: re(`${TICKET}回访不满意\\(满意度 (.+)/5\\),已重新打开,请投诉处理岗跟进`),
    en: (m) =>
      `${ticket(m)}: the customer was dissatisfied at the follow-up (satisfaction ${m[3]}/5); reopened for the complaint desk to follow up`,
  },
  { re: re(`${TICKET}有更新`), en: (m) => `${ticket(m)} was updated` },
  // review/service.ts notify
  {
    re: re('您有 (\\d+) 条新的复核任务（(.+)，(\\S+) 当周），请于 (\\S+) 前完成'),
    en: (m) =>
      `You have ${count(m[1] as string, 'new review')} (${m[2]}, week of ${m[3]}): please finish ${m[1] === '1' ? 'it' : 'them'} by ${m[4]}`,
  },
  {
    re: re('通话 (\\S+) 已人工复核：得分 (\\S+)（机器 (\\S+)），如有异议请在 (\\d+) 天内申诉'),
    en: (m) =>
      `Call ${m[1]} was reviewed: score ${m[2]} (machine ${m[3]}); appeal within ${count(m[4] as string, 'day')} if you disagree`,
  },
  {
    re: re('通话 (\\S+) 的复核已改派给您，请于 (\\S+) 前完成'),
    en: (m) => `The review of call ${m[1]} was reassigned to you: please finish it by ${m[2]}`,
  },
  {
    re: re('坐席对通话 (\\S+) 的命中“(.*)”提出申诉，待终审'),
    en: (m, o) =>
      `The agent appealed the finding ${quote(o.ruleTitle?.(m[2] as string) ?? (m[2] as string))} on call ${m[1]}: awaiting the final judgement`,
  },
  {
    re: re('通话 (\\S+) 的申诉（(.*)）已终审：(维持原判|改判（撤销该命中）)'),
    en: (m, o) =>
      `The appeal on call ${m[1]} (${quote(o.ruleTitle?.(m[2] as string) ?? (m[2] as string))}) was judged: ${
        m[3] === '维持原判' ? 'the finding stands' : 'overturned (the finding is withdrawn)'
      }`,
  },
  {
    re: re('校准会“(.*)”：请独立复核 (\\d+) 通电话（互不可见）'),
    en: (m) =>
      `Calibration ${quote(m[1] as string)}: review ${count(m[2] as string, 'call')} on your own (nobody sees another's)`,
  },
];

/**
 * Every literal of the notification texts these templates account for, each `${…}` written
 * `{}` (`notification-text.test.ts` scans `texts.ts` and the review service's `notify` calls).
 */
export const NOTIFICATION_SOURCES: readonly string[] = [
  // tickets/texts.ts
  '工单{}「{}」',
  '{}:有客户留言请您回电',
  '{}({})已转至{}处理',
  '{}已分派给您',
  '{}{}时限已超时,现由{}跟进',
  '{}已升级至{}{}',
  '{}仍已超时未处理(第{}次提醒),现由{}跟进',
  '{}回访不满意(满意度 {}/5),已重新打开,请投诉处理岗跟进',
  '{}有更新',
  // review/service.ts
  '您有 {} 条新的复核任务（{}，{} 当周），请于 {} 前完成',
  '通话 {} 已人工复核：得分 {}（机器 {}），如有异议请在 {} 天内申诉',
  '通话 {} 的复核已改派给您，请于 {} 前完成',
  '坐席对通话 {} 的命中“{}”提出申诉，待终审',
  '通话 {} 的申诉（{}）已终审：{}',
  '维持原判',
  '改判（撤销该命中）',
  '校准会“{}”：请独立复核 {} 通电话（互不可见）',
];

/** A stored notification text in English; undefined when it is none the services write. */
export function notificationInEnglish(
  message: string,
  options: NotificationTextOptions = {},
): string | undefined {
  for (const t of TEMPLATES) {
    const m = t.re.exec(message);
    if (!m) continue;
    const en = t.en(m, options);
    if (en !== undefined) return en;
  }
  return undefined;
}
