import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../calls/model.ts';
import { type CallInput, callFacts, ticketFacts } from './facts.ts';

const base: CallInput = {
  id: 'c',
  brand: 'zhonghua',
  direction: 'inbound',
  channel: 'phone',
  agent: { id: '1024' },
  customerPhone: '13800138000',
  startedAt: '2026-11-20T01:00:00.000Z',
  endedAt: null,
  answered: null,
  events: [],
  turns: [],
  qa: null,
};
const ctx = { day: '2026-11-20', team: '一组', holdLimitMs: 60_000, answerLimitMs: 15_000, repeat: false };

describe('callFacts', () => {
  it('closes a hold at the hang-up and counts a hold of exactly the limit as over it', () => {
    const f = callFacts(
      {
        ...base,
        events: [
          { type: 'ring', at: 0 },
          { type: 'answer', at: 5000 },
          { type: 'hold', at: 10_000 },
          { type: 'unhold', at: 70_000 },
          { type: 'hold', at: 80_000 },
          { type: 'hangup', at: 100_000 },
        ],
      },
      ctx,
    );
    expect(f).toMatchObject({
      answered: true,
      waitMs: 5000,
      handleMs: 95_000,
      holdMs: 80_000,
      holds: 2,
      holdsOver: 1,
    });
  });

  it('takes the first words as the answer of a call without an answer event', () => {
    const f = callFacts(
      { ...base, turns: [{ speaker: 'agent', text: '您好', start: 7000, end: 9000 }] },
      ctx,
    );
    expect(f).toMatchObject({ answered: true, waitMs: 7000, handleMs: 2000, offered: true });
  });

  it('does not offer a callback or a chat, and counts an unanswered call as abandoned material', () => {
    expect(callFacts({ ...base, direction: 'outbound' }, ctx).offered).toBe(false);
    expect(callFacts({ ...base, channel: 'chat' }, ctx).offered).toBe(false);
    const missed = callFacts(
      {
        ...base,
        events: [
          { type: 'ring', at: 0 },
          { type: 'hangup', at: 30_000 },
        ],
      },
      ctx,
    );
    expect(missed).toMatchObject({ answered: false, waitMs: null, handleMs: null, offered: true });
  });

  it('gives a chat or an email thread no handle time: its span is the customer’s wait between messages', () => {
    // An email answered three hours after it came (the 2026-12-03 admin walk: AHT 823 s, 55 s
    // without it).
    const thread = (channel: string) =>
      callFacts(
        {
          ...base,
          channel,
          turns: [
            { speaker: 'customer', text: '我要投诉', start: 0, end: 0 },
            { speaker: 'agent', text: '您好', start: 10_800_000, end: 10_800_000 },
          ],
        },
        ctx,
      );
    for (const channel of ['email', 'chat'])
      expect(thread(channel)).toMatchObject({ answered: true, handleMs: null });
    expect(thread('phone').handleMs).toBe(10_800_000);
  });

  it('gives a chat with hold and unhold events no hold: the average hold is over phone calls', () => {
    // 10 chats with a 60 s hold each beside one phone call without hold showed 600 s.
    const held = (channel: string) =>
      callFacts(
        {
          ...base,
          channel,
          events: [
            { type: 'ring', at: 0 },
            { type: 'answer', at: 1000 },
            { type: 'hold', at: 2000 },
            { type: 'unhold', at: 62_000 },
            { type: 'hangup', at: 70_000 },
          ],
        },
        ctx,
      );
    expect(held('chat')).toMatchObject({ holdMs: 0, holds: 0, holdsOver: 0 });
    expect(held('phone')).toMatchObject({ holdMs: 60_000, holds: 1 });
  });

  it('does not count a caller who hung up within the answer limit (3 rings): a short abandon', () => {
    const hungUpAt = (at: number) =>
      callFacts(
        {
          ...base,
          events: [
            { type: 'ring', at: 1000 },
            { type: 'hangup', at: 1000 + at, by: 'customer' },
          ],
        },
        ctx,
      );
    // 2 s: a misdial; 15 s: the last moment the standard allows for the answer.
    for (const at of [2000, 15_000])
      expect(hungUpAt(at), String(at)).toMatchObject({ offered: false, shortAbandon: true, answered: false });
    expect(hungUpAt(15_001)).toMatchObject({ offered: true, shortAbandon: false });
    // A call answered fast and hung up is no abandon; a missed call without times stays counted.
    const quick = callFacts(
      {
        ...base,
        events: [
          { type: 'ring', at: 0 },
          { type: 'answer', at: 3000 },
          { type: 'hangup', at: 5000 },
        ],
      },
      ctx,
    );
    expect(quick).toMatchObject({ offered: true, shortAbandon: false });
    expect(callFacts({ ...base, answered: false }, ctx)).toMatchObject({
      offered: true,
      shortAbandon: false,
    });
  });
});

describe('callFacts: only the caller giving up is a short abandon', () => {
  const hangup = (extra: Partial<CallEvent>) =>
    callFacts(
      {
        ...base,
        events: [
          { type: 'ring', at: 0 },
          { type: 'hangup', at: 4000, ...extra },
        ],
      },
      ctx,
    );
  it('an agent pressing 拒接 at 4 s is a call offered and abandoned, not hidden', () => {
    expect(hangup({ by: 'agent', cause: 'rejected' })).toMatchObject({ offered: true, shortAbandon: false });
    expect(hangup({ by: 'agent' })).toMatchObject({ offered: true, shortAbandon: false });
    expect(hangup({ by: 'agent', cause: 'normal' })).toMatchObject({ offered: true, shortAbandon: false });
  });
  it('a switch failure (busy, failed, rejected) within the limit stays offered', () => {
    for (const cause of ['busy', 'failed', 'rejected', 'dropped'] as const)
      expect(hangup({ cause }), cause).toMatchObject({ offered: true, shortAbandon: false });
    for (const cause of ['busy', 'failed', 'rejected'] as const)
      expect(hangup({ by: 'customer', cause }), cause).toMatchObject({ offered: true, shortAbandon: false });
  });
  it('the caller hanging up, or an unattributed normal / no-answer / causeless end, is a short abandon', () => {
    expect(hangup({ by: 'customer' })).toMatchObject({ offered: false, shortAbandon: true });
    // In no call figure, the repeat-caller rate included: no number, never a repeat.
    expect(
      callFacts(
        {
          ...base,
          events: [
            { type: 'ring', at: 0 },
            { type: 'hangup', at: 4000, by: 'customer' },
          ],
        },
        { ...ctx, repeat: true },
      ),
    ).toMatchObject({ phone: null, repeat: false });
    expect(hangup({ by: 'customer', cause: 'normal' })).toMatchObject({ offered: false, shortAbandon: true });
    for (const cause of ['normal', 'no-answer', undefined] as const)
      expect(hangup(cause ? { cause } : {}), String(cause)).toMatchObject({
        offered: false,
        shortAbandon: true,
      });
  });
});

describe('callFacts: a call with no score', () => {
  const na = { outcome: 'n/a' as const };
  it('an inspection where every rule is n/a (unanswered) has no score: not a 100 in the averages', () => {
    const qa = { score: 100, fatal: false, failedRules: [], result: { rules: [na, na, na] } };
    expect(callFacts({ ...base, qa }, ctx)).toMatchObject({ qaScore: null, qaUnscored: true });
  });
  it('one rule that applied gives the call its score; not inspected is neither', () => {
    const qa = {
      score: 100,
      fatal: false,
      failedRules: [],
      result: { rules: [na, { outcome: 'pass' as const }] },
    };
    expect(callFacts({ ...base, qa }, ctx)).toMatchObject({ qaScore: 100, qaUnscored: false });
    expect(callFacts(base, ctx)).toMatchObject({ qaScore: null, qaUnscored: false });
  });
});

describe('ticketFacts', () => {
  it('measures the first reply and the closing from the opening, and keeps the latest visit', () => {
    const f = ticketFacts(
      {
        id: 't',
        brand: 'zhonghua',
        type: 'complaint',
        status: 'closed',
        level: 'team-lead',
        createdAt: '2026-11-20T01:00:00.000Z',
        overdue: false,
        deadlines: [{ breachedAt: null }, { breachedAt: '2026-11-20T03:00:00.000Z' }],
        replies: [{ at: '2026-11-20T04:00:00.000Z' }, { at: '2026-11-20T02:30:00.000Z' }],
        followUps: [
          { at: '2026-11-22T01:00:00.000Z', satisfaction: 2 },
          { at: '2026-11-23T01:00:00.000Z', satisfaction: 5 },
        ],
        closedAt: '2026-11-24T01:00:00.000Z',
      },
      '2026-11-20',
    );
    expect(f).toMatchObject({
      open: false,
      breached: true,
      replyMs: 90 * 60_000,
      closeMs: 4 * 86_400_000,
      satisfaction: 5,
    });
  });
});
