import { describe, expect, it } from 'vitest';
import { complaint, MONDAY_10, open } from './test-fixtures.ts';
import { defaultSubject, notificationMessage } from './texts.ts';
import type { TicketEvent } from './types.ts';

describe('the Chinese texts of the ticket service', () => {
  it('names the ticket and what happened to it in each notification', () => {
    const t = { ...complaint('service-attitude'), subject: '态度差' };
    expect(notificationMessage({ ...t, level: 'room-director' }, 'routed', [])).toBe(
      '工单「态度差」(投诉)已转至室主任处理',
    );
    const message = open({ type: 'message', colleague: 'agent-2048' }, { subject: '留言' });
    expect(notificationMessage(message, 'routed', [])).toBe('工单「留言」:有客户留言请您回电');
    expect(notificationMessage(t, 'assigned', [])).toBe('工单「态度差」已分派给您');
    const breaches: TicketEvent[] = [
      { type: 'breached', deadline: 'first-response', at: MONDAY_10, detectedAt: MONDAY_10 },
      { type: 'breached', deadline: 'reply', at: MONDAY_10, detectedAt: MONDAY_10 },
      { type: 'breached', deadline: 'reply', at: MONDAY_10, detectedAt: MONDAY_10 },
    ];
    expect(notificationMessage({ ...t, level: 'team-lead' }, 'breach', breaches)).toBe(
      '工单「态度差」首次响应、答复时限已超时,现由组长/协调员跟进',
    );
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
    expect(notificationMessage({ ...t, level: 'room-director' }, 'manual', manual)).toBe(
      '工单「态度差」已升级至室主任:客户再次来电',
    );
    expect(notificationMessage(t, 'something-else', [])).toBe('工单「态度差」有更新');
  });

  it('gives a ticket opened without a subject one from its type', () => {
    expect(defaultSubject({ type: 'callback', reason: 'missed-call' })).toBe('回拨:未接来电');
    expect(defaultSubject({ type: 'callback', reason: 'hold-over-limit' })).toBe('回拨:等待超时');
    expect(defaultSubject({ type: 'complaint', subtype: 'product-quality' })).toBe('投诉');
    expect(defaultSubject({ type: 'wrong-number' })).toBe('打错电话记录');
  });
});
