// Dates in the UI are the brand's: shown in its zone, and a picked wall time read in its zone.
import { describe, expect, it } from 'vitest';
import { formatDateTime, instantInZone, pastInZone } from '../../web/src/lib/time.ts';

describe('the UI in the brand’s time zone', () => {
  it('shows an instant as the brand’s wall time, in either language', () => {
    expect(formatDateTime('2026-11-20T01:30:00Z', 'Asia/Shanghai', 'zh')).toBe('2026/11/20 09:30');
    expect(formatDateTime('2026-11-20T01:30:00Z', 'Europe/Berlin', 'en')).toBe('20/11/2026, 02:30');
    expect(formatDateTime(null, 'Asia/Shanghai', 'zh')).toBe('—');
  });

  it('reads a picked wall time in the brand’s zone, across a change of offset', () => {
    const wall = (month: number, day: number, hour: number) => ({
      year: 2026,
      month,
      day,
      hour,
      minute: 0,
      second: 0,
    });
    expect(instantInZone({ ...wall(1, 1, 0), year: 2099 }, 'Asia/Shanghai')).toBe('2098-12-31T16:00:00.000Z');
    expect(instantInZone(wall(7, 1, 12), 'Europe/Berlin')).toBe('2026-07-01T10:00:00.000Z'); // summer, +2
    expect(instantInZone(wall(12, 1, 12), 'Europe/Berlin')).toBe('2026-12-01T11:00:00.000Z'); // winter, +1
    expect(instantInZone(wall(3, 29, 4), 'Europe/Berlin')).toBe('2026-03-29T02:00:00.000Z'); // the morning of the change
  });

  it('greys out a future-time picker’s past by the brand’s today and now, not the browser’s', () => {
    // 2026-12-03 07:30 UTC: still the 3rd in London, 15:30 in Shanghai.
    const past = pastInZone('Asia/Shanghai', () => Date.parse('2026-12-03T07:30:00Z'));
    const picked = (day: number, hour = 0, minute = 0) => ({
      year: () => 2026,
      month: () => 11,
      date: () => day,
      hour: () => hour,
      minute: () => minute,
      second: () => 0,
    });
    expect(past.disabledDate(picked(2))).toBe(true);
    expect(past.disabledDate(picked(3))).toBe(false);
    const today = past.disabledTime(picked(3));
    expect(today.disabledHours?.()).toEqual([...Array(15).keys()]);
    expect(today.disabledMinutes?.(15)).toEqual([...Array(31).keys()]);
    expect(today.disabledMinutes?.(16)).toEqual([]);
    expect(past.disabledTime(picked(4))).toEqual({});
    expect(past.isPast(picked(3, 15, 30))).toBe(true);
    expect(past.isPast(picked(3, 15, 31))).toBe(false);
    // Across midnight: 16:30 UTC is the 4th in Shanghai, the 3rd in London.
    const late = pastInZone('Asia/Shanghai', () => Date.parse('2026-12-03T16:30:00Z'));
    expect(late.disabledDate(picked(3))).toBe(true);
  });
});
