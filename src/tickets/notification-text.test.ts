// Notifications' texts in English (notification-text.ts): every text the ticket and review
// services write renders with no Chinese left but what it quotes, and every Chinese literal of
// their notification texts is a template the renderer knows.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chineseLiterals } from '../../test/support/chinese-literals.ts';
import { NOTIFICATION_SOURCES, notificationInEnglish } from './notification-text.ts';
import { complaint, MONDAY_10, open } from './test-fixtures.ts';
import { defaultSubject, notificationMessage } from './texts.ts';
import type { Ticket, TicketEvent } from './types.ts';

const HAN = /\p{Script=Han}/u;
const unquoted = (en: string) => en.replace(/“[^”]*”/gu, '“…”');

/** The literals of the review service's notification texts: its `notify` calls and the verdict. */
function reviewLiterals(): string[] {
  const source = readFileSync(resolve(import.meta.dirname, '../review/service.ts'), 'utf8');
  const parts: string[] = [];
  for (let i = source.indexOf('this.notify('); i >= 0; i = source.indexOf('this.notify(', i + 1))
    parts.push(source.slice(i, source.indexOf(');\n', i)));
  const verdict = source.indexOf('const verdict =');
  if (verdict >= 0) parts.push(source.slice(verdict, source.indexOf(';\n', verdict)));
  return parts.flatMap(chineseLiterals);
}

describe('the notification texts of the source', () => {
  const found = [
    ...chineseLiterals(readFileSync(resolve(import.meta.dirname, 'texts.ts'), 'utf8')),
    ...reviewLiterals(),
  ];

  it('holds the literals it is to check', () => {
    expect(found).toContain('{}已分派给您');
    expect(found).toContain('通话 {} 的复核已改派给您，请于 {} 前完成');
    expect(found).toContain('维持原判');
  });

  it('are each a template the English renderer knows', () => {
    const known = new Set(NOTIFICATION_SOURCES);
    expect(found.filter((l) => !known.has(l))).toEqual([]);
  });

  it('has no stale entry in the renderer', () => {
    const texts = new Set(found);
    expect(NOTIFICATION_SOURCES.filter((s) => !texts.has(s))).toEqual([]);
  });
});

describe('each ticket notification in English', () => {
  const t: Ticket = { ...complaint('service-attitude'), subject: '态度差', number: 'T2026-0042' };
  const breaches: TicketEvent[] = [
    { type: 'breached', deadline: 'first-response', at: MONDAY_10, detectedAt: MONDAY_10 },
    { type: 'breached', deadline: 'reply', at: MONDAY_10, detectedAt: MONDAY_10 },
  ];
  const manual: TicketEvent[] = [
    {
      type: 'escalated',
      from: 'team-lead',
      to: 'room-director',
      at: MONDAY_10,
      reason: 'manual',
      note: '客户再次来电',
    },
  ];
  const reminded: TicketEvent[] = [{ type: 'reminded', at: MONDAY_10, overdueSince: MONDAY_10, count: 2 }];
  const followUp: TicketEvent[] = [
    { type: 'follow-up-recorded', at: MONDAY_10, by: 'u-1', reached: true, satisfaction: 2, attempt: 1 },
  ];
  const missed = open(
    { type: 'callback', reason: 'missed-call' },
    {
      subject: defaultSubject({ type: 'callback', reason: 'missed-call' }),
    },
  );
  const cases: [string, Ticket, string, TicketEvent[], string][] = [
    [
      'routed',
      { ...t, level: 'room-director' },
      'routed',
      [],
      'Ticket T2026-0042 “态度差” (complaint) was routed to the room director',
    ],
    [
      'routed message',
      open({ type: 'message', colleague: 'agent-2048' }, { subject: '留言' }),
      'routed',
      [],
      'Ticket “Message”: a customer left a message asking you to call back',
    ],
    ['assigned', t, 'assigned', [], 'Ticket T2026-0042 “态度差” was assigned to you'],
    [
      'breach',
      { ...t, level: 'team-lead' },
      'breach',
      breaches,
      'Ticket T2026-0042 “态度差”: the first response and reply deadlines passed; the team lead / coordinator follows it up now',
    ],
    [
      'breach of one deadline',
      { ...t, level: 'team-lead' },
      'breach',
      breaches.slice(1),
      'Ticket T2026-0042 “态度差”: the reply deadline passed; the team lead / coordinator follows it up now',
    ],
    [
      'manual',
      { ...t, level: 'room-director' },
      'manual',
      manual,
      'Ticket T2026-0042 “态度差” was escalated to the room director: “客户再次来电”',
    ],
    [
      'reminder',
      { ...t, level: 'room-director' },
      'reminder',
      reminded,
      'Ticket T2026-0042 “态度差” is still overdue (reminder 2); the room director follows it up now',
    ],
    [
      'dissatisfied',
      t,
      'dissatisfied',
      followUp,
      'Ticket T2026-0042 “态度差”: the customer was dissatisfied at the follow-up (satisfaction 2/5); reopened for the complaint desk to follow up',
    ],
    ['other', missed, 'something-else', [], 'Ticket “Callback: missed call” was updated'],
  ];

  it.each(cases)('%s', (_, ticket, reason, events, en) => {
    const zh = notificationMessage(ticket, reason, events);
    expect(notificationInEnglish(zh)).toBe(en);
    expect(unquoted(en)).not.toMatch(HAN);
  });
});

describe('each review notification in English', () => {
  const cases: [string, string][] = [
    [
      '您有 3 条新的复核任务（acme，2026-11-30 当周），请于 2026-12-04 前完成',
      'You have 3 new reviews (acme, week of 2026-11-30): please finish them by 2026-12-04',
    ],
    [
      '通话 c-17 已人工复核：得分 85（机器 80），如有异议请在 7 天内申诉',
      'Call c-17 was reviewed: score 85 (machine 80); appeal within 7 days if you disagree',
    ],
    [
      '通话 c-17 已人工复核：得分 85（机器 —），如有异议请在 7 天内申诉',
      'Call c-17 was reviewed: score 85 (machine —); appeal within 7 days if you disagree',
    ],
    [
      '通话 c-17 的复核已改派给您，请于 2026-12-04 前完成',
      'The review of call c-17 was reassigned to you: please finish it by 2026-12-04',
    ],
    [
      '坐席对通话 c-17 的命中“开头语”提出申诉，待终审',
      'The agent appealed the finding “开头语” on call c-17: awaiting the final judgement',
    ],
    [
      '通话 c-17 的申诉（开头语）已终审：维持原判',
      'The appeal on call c-17 (“开头语”) was judged: the finding stands',
    ],
    [
      '通话 c-17 的申诉（开头语）已终审：改判（撤销该命中）',
      'The appeal on call c-17 (“开头语”) was judged: overturned (the finding is withdrawn)',
    ],
    [
      '校准会“十二月校准”：请独立复核 5 通电话（互不可见）',
      "Calibration “十二月校准”: review 5 calls on your own (nobody sees another's)",
    ],
    [
      '您有 1 条新的复核任务（acme，2026-11-30 当周），请于 2026-12-04 前完成',
      'You have 1 new review (acme, week of 2026-11-30): please finish it by 2026-12-04',
    ],
    [
      '校准会“保持”：请独立复核 1 通电话（互不可见）',
      "Calibration “保持”: review 1 call on your own (nobody sees another's)",
    ],
  ];

  it.each(cases)('%s', (zh, en) => {
    expect(notificationInEnglish(zh)).toBe(en);
    expect(unquoted(en)).not.toMatch(HAN);
  });

  it('names a rule by the English title it is given', () => {
    const ruleTitle = (zh: string) => (zh === '开头语' ? 'Opening greeting' : undefined);
    expect(notificationInEnglish('通话 c-17 的申诉（开头语）已终审：维持原判', { ruleTitle })).toBe(
      'The appeal on call c-17 (“Opening greeting”) was judged: the finding stands',
    );
  });

  it('gives a text it does not know as stored', () => {
    expect(notificationInEnglish('系统维护通知')).toBeUndefined();
  });
});
