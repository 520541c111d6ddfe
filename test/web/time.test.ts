// Dates in the UI are the brand's: shown in its zone, and a picked wall time read in its zone.
import { describe, expect, it } from 'vitest';
import { formatDateTime, instantInZone } from '../../web/src/lib/time.ts';

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
});
