import { describe, expect, it } from 'vitest';
import { isTimeZone, localDate, nextDate, startOfLocalDay, wallTime } from './time-zone.ts';

describe('time zones', () => {
  it('knows IANA names and their aliases, and refuses made-up or blank ones', () => {
    for (const zone of ['Asia/Shanghai', 'Asia/Chongqing', 'Europe/Berlin', 'UTC'])
      expect(isTimeZone(zone)).toBe(true);
    for (const zone of ['Asia/Beijing', '', '  ', 'UTC+8', 'Mars/Olympus'])
      expect(isTimeZone(zone)).toBe(false);
  });

  it('gives the wall time of an instant, to whole seconds', () => {
    const at = Date.parse('2026-11-20T01:00:05.750Z');
    expect(new Date(wallTime(at, 'Asia/Shanghai')).toISOString()).toBe('2026-11-20T09:00:05.000Z');
    expect(new Date(wallTime(at, 'Europe/Berlin')).toISOString()).toBe('2026-11-20T02:00:05.000Z');
    expect(() => wallTime(at, 'Asia/Beijing')).toThrow(RangeError);
  });

  it('says which local day an instant falls on', () => {
    // 16:30 UTC is half past midnight the next day in Shanghai.
    expect(localDate(new Date('2026-03-02T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-03-03');
    expect(localDate(new Date('2026-03-02T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-03-02');
    expect(localDate(new Date('2026-03-02T16:30:00Z'), 'Europe/Berlin')).toBe('2026-03-02');
  });

  it('finds when a local day begins, DST change days included', () => {
    expect(startOfLocalDay('2026-11-20', 'Asia/Shanghai').toISOString()).toBe('2026-11-19T16:00:00.000Z');
    // Berlin springs forward on 29 March 2026: that day begins in winter time (+01:00) and
    // lasts 23 hours; the next begins in summer time (+02:00).
    const change = startOfLocalDay('2026-03-29', 'Europe/Berlin');
    const after = startOfLocalDay('2026-03-30', 'Europe/Berlin');
    expect(change.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(after.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(after.getTime() - change.getTime()).toBe(23 * 3_600_000);
    // Falls back on 25 October 2026: a 25-hour day.
    const autumn = startOfLocalDay('2026-10-25', 'Europe/Berlin');
    expect(startOfLocalDay('2026-10-26', 'Europe/Berlin').getTime() - autumn.getTime()).toBe(25 * 3_600_000);
  });

  it('counts dates across month, year and leap-day ends', () => {
    expect(nextDate('2026-11-30')).toBe('2026-12-01');
    expect(nextDate('2026-12-31')).toBe('2027-01-01');
    expect(nextDate('2028-02-28')).toBe('2028-02-29');
    expect(nextDate('2026-02-28')).toBe('2026-03-01');
  });
});
