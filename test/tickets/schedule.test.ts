// The instants the store indexes (tickets/schedule.ts) agree with the domain: "overdue" with
// deadlineViews, "may have breached" with checkBreaches. And the export writers' cell rules.
import { describe, expect, it } from 'vitest';
import { contentDisposition, formatLocal, wallClock } from '../../src/exports/columns.ts';
import { csvCell, neutralizeFormula } from '../../src/exports/csv.ts';
import { checkBreaches, deadlineViews } from '../../src/tickets/deadlines.ts';
import { ticketSchedule } from '../../src/tickets/schedule.ts';
import {
  complaint,
  cst,
  HOUR,
  MIN,
  MONDAY_10,
  open,
  people,
  policy,
} from '../../src/tickets/test-fixtures.ts';
import type { Ticket } from '../../src/tickets/types.ts';
import {
  accept,
  close,
  recordReply,
  resolve,
  startWork,
  waitForCustomer,
} from '../../src/tickets/workflow.ts';

const by = 'agent-1024';
const at = (ms: number) => new Date(MONDAY_10.getTime() + ms);

/** For many instants: overdue ⇔ nextDueAt < now, and checkBreaches finds something ⇔ breachCheckAt < now. */
function agrees(ticket: Ticket): void {
  const { nextDueAt, breachCheckAt } = ticketSchedule(ticket);
  for (let h = 0; h <= 80; h += 0.5) {
    const now = at(h * HOUR);
    const overdue = deadlineViews(ticket, now).some((v) => v.state === 'overdue') && !ticket.closedAt;
    expect(nextDueAt !== null && nextDueAt < now, `overdue at +${h}h`).toBe(overdue);
    const breaches = checkBreaches(ticket, now).events.length > 0;
    expect(breachCheckAt !== null && breachCheckAt < now, `breach at +${h}h`).toBe(breaches);
  }
}

describe('ticketSchedule', () => {
  it('agrees with the domain for a ticket in each situation', () => {
    const c = complaint('product-quality', { priority: 'urgent' });
    agrees(c);
    const accepted = accept(c, { at: at(10 * MIN), by }, policy, people).ticket;
    agrees(accepted);
    const late = accept(c, { at: at(HOUR), by }, policy, people).ticket; // met late, not yet recorded
    expect(ticketSchedule(late).breachCheckAt).toEqual(cst('2026-03-02', '10:30'));
    agrees(late);
    agrees(checkBreaches(late, at(HOUR)).ticket);
    const started = startWork(accepted, { at: at(20 * MIN), by }, policy).ticket;
    const waiting = waitForCustomer(started, { at: at(30 * MIN), by }, policy).ticket;
    expect(ticketSchedule(waiting)).toEqual({ nextDueAt: null, breachCheckAt: null });
    agrees(waiting);
    const replied = recordReply(
      started,
      { at: at(40 * MIN), by, text: '好', channel: 'phone' },
      policy,
    ).ticket;
    expect(ticketSchedule(replied)).toEqual({ nextDueAt: null, breachCheckAt: null });
    agrees(replied);
  });

  it('keeps an overdue ticket overdue after its breach is recorded, and stops at closing', () => {
    const msg = open({ type: 'message', colleague: 'u-2' }); // resolution due 12:00
    const recorded = checkBreaches(msg, at(3 * HOUR)).ticket;
    expect(ticketSchedule(recorded)).toEqual({ nextDueAt: cst('2026-03-02', '12:00'), breachCheckAt: null });
    agrees(recorded);
    const accepted = accept(msg, { at: at(MIN), by: 'u-2' }, policy, people).ticket; // the colleague
    const wip = startWork(accepted, { at: at(2 * MIN), by }, policy).ticket;
    const done = resolve(wip, { at: at(3 * MIN), by }, policy).ticket;
    const closed = close(done, { at: at(4 * MIN), by }, policy).ticket;
    expect(ticketSchedule(closed)).toEqual({ nextDueAt: null, breachCheckAt: null });
    agrees(closed);
  });
});

describe('export cells', () => {
  it('shows instants as the local wall time', () => {
    const t = new Date('2026-11-20T01:00:00Z');
    expect(formatLocal(t)).toBe('2026-11-20 09:00:00');
    expect(formatLocal(t, 'Europe/Berlin')).toBe('2026-11-20 02:00:00');
    expect(wallClock(t)).toEqual(new Date('2026-11-20T09:00:00Z'));
    expect(csvCell(t)).toBe('2026-11-20 09:00:00');
    expect([csvCell(null), csvCell(undefined), csvCell(3.5), csvCell(Number.NaN)]).toEqual([
      '',
      '',
      '3.5',
      '',
    ]);
  });

  it('neutralizes formulas but leaves numbers and phone numbers alone', () => {
    expect(neutralizeFormula('=1+1')).toBe("'=1+1");
    expect(neutralizeFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralizeFormula('-2+3')).toBe("'-2+3");
    expect(neutralizeFormula('+8613800138000')).toBe('+8613800138000');
    expect(neutralizeFormula('-5')).toBe('-5');
    expect(neutralizeFormula('投诉')).toBe('投诉');
  });

  it('names a download in ASCII and UTF-8', () => {
    expect(contentDisposition('工单 "1".csv')).toBe(
      `attachment; filename="__ _1_.csv"; filename*=UTF-8''%E5%B7%A5%E5%8D%95%20%221%22.csv`,
    );
  });
});
