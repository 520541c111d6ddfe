import { describe, expect, it } from 'vitest';
import { calendarProblems, timeZoneProblem, WorkingCalendar } from './calendar.ts';
import { deadlinePolicyFromSettings } from './deadlines.ts';
import { TicketDefinitionError } from './errors.ts';
import { cst, HOUR, MIN, WORKING_HOURS } from './test-fixtures.ts';

const weekdays = new WorkingCalendar(WORKING_HOURS); // Shanghai, Mon–Fri 09:00–18:00
const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

describe('working time in Asia/Shanghai (no DST)', () => {
  it('adds time within one day', () => {
    expect(weekdays.addWorkingTime(cst('2026-03-02', '10:00'), 3 * HOUR)).toEqual(cst('2026-03-02', '13:00'));
  });

  it('carries over the night to the next morning', () => {
    // Monday 17:00 + 2 h = 1 h on Monday + 1 h on Tuesday
    expect(weekdays.addWorkingTime(cst('2026-03-02', '17:00'), 2 * HOUR)).toEqual(cst('2026-03-03', '10:00'));
  });

  it('skips the weekend', () => {
    // Friday 17:00 + 2 h → Monday 10:00
    expect(weekdays.addWorkingTime(cst('2026-03-06', '17:00'), 2 * HOUR)).toEqual(cst('2026-03-09', '10:00'));
    expect(weekdays.workingTimeBetween(cst('2026-03-06', '17:00'), cst('2026-03-09', '10:00'))).toBe(
      2 * HOUR,
    );
    expect(weekdays.workingTimeBetween(cst('2026-03-07', '00:00'), cst('2026-03-08', '23:59'))).toBe(0);
  });

  it('starts counting at the opening when started outside hours', () => {
    expect(weekdays.addWorkingTime(cst('2026-03-02', '07:00'), HOUR)).toEqual(cst('2026-03-02', '10:00'));
    expect(weekdays.addWorkingTime(cst('2026-03-07', '12:00'), 30 * MIN)).toEqual(cst('2026-03-09', '09:30'));
  });

  it('ends at the closing time when the budget runs out exactly then', () => {
    expect(weekdays.addWorkingTime(cst('2026-03-02', '09:00'), 9 * HOUR)).toEqual(cst('2026-03-02', '18:00'));
    expect(weekdays.addWorkingTime(cst('2026-03-02', '09:00'), 9 * HOUR + 1)).toEqual(
      new Date(cst('2026-03-03', '09:00').getTime() + 1),
    );
  });

  it('counts in the brand’s local day, not UTC’s (Shanghai 08:00 is 00:00 UTC)', () => {
    // Tuesday 01:30 UTC is Tuesday 09:30 in Shanghai: half an hour after opening.
    expect(
      weekdays.workingTimeBetween(new Date('2026-03-03T01:00:00Z'), new Date('2026-03-03T01:30:00Z')),
    ).toBe(30 * MIN);
    expect(weekdays.localDate(new Date('2026-03-02T16:30:00Z'))).toBe('2026-03-03');
    expect(weekdays.isWorkingTime(cst('2026-03-02', '09:00'))).toBe(true);
    expect(weekdays.isWorkingTime(cst('2026-03-02', '18:00'))).toBe(false);
    expect(weekdays.isWorkingTime(cst('2026-03-07', '12:00'))).toBe(false);
  });

  it('is signed and consistent with addWorkingTime', () => {
    const a = cst('2026-03-06', '17:00');
    const b = cst('2026-03-09', '10:00');
    expect(weekdays.workingTimeBetween(b, a)).toBe(-2 * HOUR);
    for (const start of [cst('2026-03-02', '08:59'), cst('2026-03-04', '17:45'), cst('2026-03-08', '03:00')])
      for (const ms of [1, 30 * MIN, 9 * HOUR, 40 * HOUR])
        expect(weekdays.workingTimeBetween(start, weekdays.addWorkingTime(start, ms))).toBe(ms);
  });

  it('closes on holidays and opens on make-up working days', () => {
    // 2025 National Day: Wed 1 Oct is a holiday; Sun 28 Sep is a make-up working day (调休).
    const cal = new WorkingCalendar({ ...WORKING_HOURS, holidays: ['2025-10-01'], workdays: ['2025-09-28'] });
    expect(cal.isWorkingDay('2025-10-01')).toBe(false);
    expect(cal.isWorkingDay('2025-09-28')).toBe(true);
    // Tue 30 Sep 17:00 + 2 h: 1 h on Tuesday, Wednesday is off, 1 h on Thursday.
    expect(cal.addWorkingTime(cst('2025-09-30', '17:00'), 2 * HOUR)).toEqual(cst('2025-10-02', '10:00'));
    // Fri 26 Sep 17:00 + 2 h: Saturday off, Sunday the 28th is worked.
    expect(cal.addWorkingTime(cst('2025-09-26', '17:00'), 2 * HOUR)).toEqual(cst('2025-09-28', '10:00'));
    // Without the lists, the same sums land elsewhere.
    expect(weekdays.addWorkingTime(cst('2025-09-30', '17:00'), 2 * HOUR)).toEqual(cst('2025-10-01', '10:00'));
  });

  it('gives every day 24 hours round the clock', () => {
    const cal = new WorkingCalendar({
      timezone: 'Asia/Shanghai',
      days: [...ALL_DAYS],
      open: '00:00',
      close: '24:00',
    });
    expect(cal.workingTimeBetween(cst('2026-03-28', '00:00'), cst('2026-03-30', '00:00'))).toBe(48 * HOUR);
    expect(cal.addWorkingTime(cst('2026-03-02', '23:30'), HOUR)).toEqual(cst('2026-03-03', '00:30'));
  });
});

describe('working time in Europe/Berlin across the DST change', () => {
  // Sunday 29 March 2026: at 02:00 CET the clocks jump to 03:00 CEST (UTC+1 → UTC+2).
  const daily = new WorkingCalendar({
    timezone: 'Europe/Berlin',
    days: [...ALL_DAYS],
    open: '08:00',
    close: '20:00',
  });

  it('opens at 08:00 local time on both sides of the change', () => {
    // Saturday 19:00 CET (18:00Z) + 2 h: 1 h until 20:00 CET, then Sunday from 08:00 CEST (06:00Z).
    expect(daily.addWorkingTime(new Date('2026-03-28T18:00:00Z'), 2 * HOUR)).toEqual(
      new Date('2026-03-29T07:00:00Z'), // 09:00 CEST; with a fixed UTC+1 it would be 08:00Z
    );
    expect(daily.isWorkingTime(new Date('2026-03-29T06:00:00Z'))).toBe(true); // 08:00 CEST
    expect(daily.isWorkingTime(new Date('2026-03-28T06:30:00Z'))).toBe(false); // 07:30 CET
  });

  it('makes the change day 23 hours long and the autumn one 25', () => {
    const sundays = new WorkingCalendar({
      timezone: 'Europe/Berlin',
      days: ['sun'],
      open: '00:00',
      close: '24:00',
    });
    expect(
      sundays.workingTimeBetween(new Date('2026-03-27T00:00:00Z'), new Date('2026-03-31T00:00:00Z')),
    ).toBe(23 * HOUR);
    expect(
      sundays.workingTimeBetween(new Date('2026-10-23T00:00:00Z'), new Date('2026-10-27T00:00:00Z')),
    ).toBe(25 * HOUR);
    // 01:30 CET (00:30Z) + 1 h of working time is 03:30 CEST (01:30Z): the clock skipped an hour.
    expect(sundays.addWorkingTime(new Date('2026-03-29T00:30:00Z'), HOUR)).toEqual(
      new Date('2026-03-29T01:30:00Z'),
    );
  });

  it('takes a skipped opening time as the moment after the gap', () => {
    // 02:30 does not exist on 29 March; opening hours 02:30–04:00 shrink to 03:30–04:00 CEST.
    const cal = new WorkingCalendar({
      timezone: 'Europe/Berlin',
      days: ['sun'],
      open: '02:30',
      close: '04:00',
    });
    expect(cal.workingTimeBetween(new Date('2026-03-28T00:00:00Z'), new Date('2026-03-30T00:00:00Z'))).toBe(
      30 * MIN,
    );
  });
});

describe('calendar definitions', () => {
  function problems(def: Partial<ConstructorParameters<typeof WorkingCalendar>[0]>): string[] {
    try {
      new WorkingCalendar({ ...WORKING_HOURS, ...def });
    } catch (e) {
      expect(e).toBeInstanceOf(TicketDefinitionError);
      return (e as TicketDefinitionError).problems.map((p) => `${p.path}: ${p.message}`);
    }
    return [];
  }

  it('rejects each kind of mistake with the field it is about', () => {
    expect(problems({ timezone: 'Asia/Beijing' })).toEqual([
      expect.stringMatching(/^timezone: unknown time zone/),
    ]);
    expect(problems({ days: [] })).toEqual(['days: list at least one open weekday']);
    expect(problems({ days: ['mon', 'mon'] })).toEqual(['days[1]: "mon" is listed twice']);
    expect(problems({ days: ['monday' as 'mon'] })).toEqual([
      expect.stringMatching(/^days\[0\]: unknown weekday/),
    ]);
    expect(problems({ open: '8:00' })).toEqual([expect.stringMatching(/^open: expected a time HH:MM/)]);
    expect(problems({ open: '18:00', close: '09:00' })).toEqual([
      expect.stringMatching(/^close: closing time 09:00 must be after opening time 18:00/),
    ]);
    expect(problems({ holidays: ['2025-02-30'] })).toEqual([
      expect.stringMatching(/^holidays\[0\]: expected a date/),
    ]);
    expect(problems({ holidays: ['2025-10-01'], workdays: ['2025-10-01'] })).toEqual([
      'workdays: 2025-10-01 is both a holiday and a make-up working day',
    ]);
  });

  it('reports every problem at once', () => {
    expect(problems({ timezone: 'Nowhere/City', open: '25:00', days: [] })).toHaveLength(3);
  });

  it('accepts the playbook setting as it is', () => {
    expect(problems({})).toEqual([]);
    expect(problems({ close: '24:00' })).toEqual([]);
  });
});

describe('round the clock (close "24:00")', () => {
  const allDay = new WorkingCalendar({
    timezone: 'Asia/Shanghai',
    days: [...ALL_DAYS],
    open: '00:00',
    close: '24:00',
  });
  const weekdaysAllDay = new WorkingCalendar({
    timezone: 'Asia/Shanghai',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    open: '00:00',
    close: '24:00',
  });

  it('is open at every instant of the day, midnight included', () => {
    for (const time of ['00:00', '00:01', '12:00', '23:59'])
      expect(allDay.isWorkingTime(cst('2026-03-03', time))).toBe(true);
    expect(allDay.isWorkingTime(new Date(cst('2026-03-04', '00:00').getTime() - 1))).toBe(true);
  });

  it('runs a deadline through consecutive 24-hour days without a gap at midnight', () => {
    // Monday 22:00 + 50 h = Thursday 00:00; + 51 h = Thursday 01:00.
    expect(allDay.addWorkingTime(cst('2026-03-02', '22:00'), 50 * HOUR)).toEqual(cst('2026-03-05', '00:00'));
    expect(allDay.addWorkingTime(cst('2026-03-02', '22:00'), 51 * HOUR)).toEqual(cst('2026-03-05', '01:00'));
    expect(allDay.workingTimeBetween(cst('2026-03-02', '22:00'), cst('2026-03-05', '01:00'))).toBe(51 * HOUR);
    // A whole week is 168 working hours.
    expect(allDay.addWorkingTime(cst('2026-03-02', '00:00'), 168 * HOUR)).toEqual(cst('2026-03-09', '00:00'));
  });

  it('still skips closed days: Friday 23:00 + 2 h is Monday 01:00', () => {
    expect(weekdaysAllDay.addWorkingTime(cst('2026-03-06', '23:00'), 2 * HOUR)).toEqual(
      cst('2026-03-09', '01:00'),
    );
    expect(weekdaysAllDay.isWorkingTime(cst('2026-03-07', '00:00'))).toBe(false);
  });

  it('has 23 and 25 hour days at a DST change', () => {
    const berlin = new WorkingCalendar({
      timezone: 'Europe/Berlin',
      days: [...ALL_DAYS],
      open: '00:00',
      close: '24:00',
    });
    const at = (iso: string) => new Date(iso);
    // 29 March 2026 (spring) is 23 hours long, 25 October 2026 (autumn) 25 hours.
    expect(berlin.workingTimeBetween(at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(23 * HOUR);
    expect(berlin.workingTimeBetween(at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(25 * HOUR);
    expect(berlin.addWorkingTime(at('2026-03-28T22:30:00Z'), 2 * HOUR)).toEqual(at('2026-03-29T00:30:00Z'));
  });

  it("gives a complaint's 24-hour reply deadline the same time the next day", () => {
    const policy = deadlinePolicyFromSettings({
      complaintReplyHours: { urgent: 2, standard: 24 },
      workingHours: { timezone: 'Asia/Shanghai', days: [...ALL_DAYS], open: '00:00', close: '24:00' },
    });
    expect(policy.calendar.addWorkingTime(cst('2026-03-07', '23:30'), 24 * HOUR)).toEqual(
      cst('2026-03-08', '23:30'),
    );
  });
});

describe('calendar problems without building a calendar (playbook load)', () => {
  it('names the field and a valid zone, accepting the aliases the runtime accepts', () => {
    expect(timeZoneProblem('Asia/Beijing')).toMatch(/unknown time zone "Asia\/Beijing".*"Asia\/Shanghai"/);
    expect(timeZoneProblem('')).toMatch(/unknown time zone/);
    for (const zone of [
      'Asia/Shanghai',
      'Asia/Chongqing',
      'PRC',
      'UTC',
      ...Intl.supportedValuesOf('timeZone').slice(0, 50),
    ])
      expect(timeZoneProblem(zone)).toBeUndefined();
    expect(
      calendarProblems({ ...WORKING_HOURS, timezone: 'Asia/Beijing', days: ['mon', 'mon'] }).map(
        (p) => p.path,
      ),
    ).toEqual(['timezone', 'days[1]']);
    expect(calendarProblems({ ...WORKING_HOURS, open: '00:00', close: '24:00' })).toEqual([]);
  });
});
