import { describe, expect, it } from 'vitest';
import { splitMonths } from './repository.ts';

describe('splitMonths', () => {
  it('takes whole months from the monthly rollup and the days around them from the daily one', () => {
    expect(splitMonths('2025-12-01', '2026-11-30')).toEqual({ months: ['2025-12', '2026-11'], days: [] });
    expect(splitMonths('2026-10-15', '2026-12-10')).toEqual({
      months: ['2026-11', '2026-11'],
      days: [
        ['2026-10-15', '2026-10-31'],
        ['2026-12-01', '2026-12-10'],
      ],
    });
    expect(splitMonths('2024-02-01', '2024-02-29')).toEqual({ months: ['2024-02', '2024-02'], days: [] });
    expect(splitMonths('2026-11-01', '2026-11-20')).toEqual({
      months: null,
      days: [['2026-11-01', '2026-11-20']],
    });
    expect(splitMonths('2026-10-15', '2026-11-10')).toEqual({
      months: null,
      days: [['2026-10-15', '2026-11-10']],
    });
    expect(splitMonths('2026-12-15', '2027-01-31')).toEqual({
      months: ['2027-01', '2027-01'],
      days: [['2026-12-15', '2026-12-31']],
    });
  });
});
