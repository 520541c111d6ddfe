import { describe, expect, it } from 'vitest';
import { checkBreaches } from './deadlines.ts';
import { TicketRuleError } from './errors.ts';
import { escalate, escalateOnBreaches, initialLevel, nextLevel } from './escalation.ts';
import { complaint, cst, open, people, policy } from './test-fixtures.ts';
import { accept, assign, close, resolve, startWork } from './workflow.ts';

const mon = (t: string) => cst('2026-03-02', t);
const by = 'lead-7';

describe('the chain', () => {
  it('goes agent → team lead → room director → complaint desk and stops there', () => {
    expect(nextLevel('agent')).toBe('team-lead');
    expect(nextLevel('team-lead')).toBe('room-director');
    expect(nextLevel('room-director')).toBe('complaint-desk');
    expect(nextLevel('complaint-desk')).toBeNull();
  });

  it('starts attitude complaints at the room director and agent errors at the team lead (seed 002)', () => {
    expect(complaint('service-attitude').level).toBe('room-director');
    expect(complaint('agent-error').level).toBe('team-lead');
    expect(complaint('product-quality').level).toBe('agent');
    expect(initialLevel({ type: 'message', colleague: 'agent-2048' })).toBe('team-lead');
    expect(initialLevel({ type: 'technical', technician: null })).toBe('agent');
  });
});

describe('automatic escalation on breach', () => {
  // An urgent product-quality complaint opened Monday 10:00 at agent level, assigned to 2048:
  // first response due 10:30, reply due 12:00.
  const assigned = () =>
    assign(
      complaint('product-quality', { priority: 'urgent' }),
      {
        at: mon('10:00'),
        by,
        assignee: 'agent-2048',
      },
      people,
    ).ticket;

  it('climbs one level per breach and tells the new level and the assignee', () => {
    const t = assigned();
    expect(escalateOnBreaches(t, mon('10:29')).events).toEqual([]);

    const first = escalateOnBreaches(t, mon('10:31'));
    expect(first.ticket.level).toBe('team-lead');
    expect(first.events).toEqual([
      { type: 'breached', deadline: 'first-response', at: mon('10:30'), detectedAt: mon('10:31') },
      {
        type: 'escalated',
        from: 'agent',
        to: 'team-lead',
        at: mon('10:31'),
        reason: 'breach',
        deadline: 'first-response',
      },
    ]);
    expect(first.notifications).toEqual([
      { to: 'role', role: 'team-lead', ticketId: 't-1', reason: 'breach' },
      { to: 'user', userId: 'agent-2048', ticketId: 't-1', reason: 'breach' },
    ]);
    expect(first.ticket.version).toBe(t.version + 1);

    // The same breach is not escalated twice.
    const quiet = escalateOnBreaches(first.ticket, mon('11:00'));
    expect(quiet.events).toEqual([]);
    expect(quiet.ticket).toBe(first.ticket);

    const second = escalateOnBreaches(first.ticket, mon('12:05'));
    expect(second.ticket.level).toBe('room-director');
    expect(second.events.map((e) => e.type)).toEqual(['breached', 'escalated']);
  });

  it('climbs two levels when two deadlines are found missed at once, oldest first', () => {
    const out = escalateOnBreaches(assigned(), mon('13:00'));
    expect(out.ticket.level).toBe('room-director');
    expect(out.events).toMatchObject([
      { type: 'breached', deadline: 'first-response' },
      { type: 'escalated', from: 'agent', to: 'team-lead' },
      { type: 'breached', deadline: 'reply' },
      { type: 'escalated', from: 'team-lead', to: 'room-director' },
    ]);
  });

  it('stops at the complaint desk but still reports the breach there', () => {
    // An attitude complaint starts at the room director: one step to the top, then no further.
    const t = complaint('service-attitude', { priority: 'urgent' });
    const first = escalateOnBreaches(t, mon('10:31'));
    expect(first.ticket.level).toBe('complaint-desk');
    const second = escalateOnBreaches(first.ticket, mon('12:01'));
    expect(second.ticket.level).toBe('complaint-desk');
    expect(second.events).toEqual([
      { type: 'breached', deadline: 'reply', at: mon('12:00'), detectedAt: mon('12:01') },
    ]);
    expect(second.notifications).toEqual([
      { to: 'role', role: 'complaint-desk', ticketId: 't-1', reason: 'breach' },
    ]);
  });

  it('does nothing for deadlines met on time', () => {
    let t = accept(
      complaint('product-quality', { priority: 'urgent' }),
      { at: mon('10:10'), by },
      policy,
      people,
    ).ticket;
    t = startWork(t, { at: mon('10:15'), by }, policy).ticket;
    t = resolve(t, { at: mon('10:20'), by }, policy).ticket;
    // The reply is still owed to the customer (件件有回音): that one escalates.
    const out = escalateOnBreaches(t, mon('12:30'));
    expect(out.events.map((e) => (e.type === 'breached' ? e.deadline : e.type))).toEqual([
      'reply',
      'escalated',
    ]);
    expect(checkBreaches(out.ticket, mon('18:00')).events).toEqual([]);
  });
});

describe('manual escalation', () => {
  it('moves one level up with the reason and tells that level', () => {
    const out = escalate(complaint('agent-error'), {
      at: mon('10:20'),
      by: 'agent-1024',
      reason: '客户不接受道歉',
    });
    expect(out.ticket.level).toBe('room-director');
    expect(out.events).toEqual([
      {
        type: 'escalated',
        from: 'team-lead',
        to: 'room-director',
        at: mon('10:20'),
        reason: 'manual',
        by: 'agent-1024',
        note: '客户不接受道歉',
      },
    ]);
    expect(out.notifications).toEqual([
      { to: 'role', role: 'room-director', ticketId: 't-1', reason: 'manual' },
    ]);
  });

  it('refuses at the top, without a reason, and on a closed ticket', () => {
    const top = escalate(complaint('service-attitude'), {
      at: mon('10:20'),
      by,
      reason: '转投诉处理岗',
    }).ticket;
    expect(() => escalate(top, { at: mon('10:30'), by, reason: '再升级' })).toThrow(
      expect.objectContaining({ code: 'escalation-at-top' }),
    );
    expect(() => escalate(complaint(), { at: mon('10:30'), by, reason: ' ' })).toThrow(TicketRuleError);
    const record = close(open({ type: 'harassment' }), { at: mon('10:05'), by }, policy).ticket;
    expect(() => escalate(record, { at: mon('10:30'), by, reason: '骚扰' })).toThrow(
      expect.objectContaining({ code: 'not-allowed-in-status' }),
    );
  });
});
