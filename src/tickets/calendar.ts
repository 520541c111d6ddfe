// A brand's working hours as arithmetic on instants. Local wall time comes from
// Intl.DateTimeFormat (the runtime's tz database), so DST days are handled without a
// timezone library: each local day's opening hours are converted to instants on their own,
// which makes a DST change day 23 or 25 hours long and the hours around it exact.
import { WEEKDAYS } from '../playbook/schema.ts';
import { isTimeZone, wallTime } from '../shared/time-zone.ts';
import { type DefinitionProblem, TicketDefinitionError } from './errors.ts';

export type Weekday = (typeof WEEKDAYS)[number];

/**
 * The brand setting `workingHours` plus the dates that break the weekly pattern. Chinese
 * public holidays move every year and come with make-up working days (调休) on weekends,
 * so both are explicit lists of local dates.
 */
export interface CalendarDefinition {
  /** IANA name, e.g. `Asia/Shanghai`. */
  timezone: string;
  days: readonly Weekday[];
  /** Local opening time `HH:MM`. */
  open: string;
  /** Local closing time `HH:MM`, after `open`; `24:00` = midnight at the end of the day. */
  close: string;
  /** Local dates `YYYY-MM-DD` that are closed although their weekday is open. */
  holidays?: readonly string[];
  /** Local dates `YYYY-MM-DD` that are open although their weekday is not (make-up days). */
  workdays?: readonly string[];
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const HHMM = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A search for working time gives up after this many days (a calendar that is never open). */
const MAX_DAYS = 3660;

function minutesOf(hhmm: string): number | undefined {
  const m = HHMM.exec(hhmm);
  if (!m) return undefined;
  return Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]);
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or undefined if it is not a real date. */
function dayNumberOf(date: string): number | undefined {
  const m = ISO_DATE.exec(date);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === date ? ms / DAY_MS : undefined;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Why the runtime cannot count time in a zone (shared/time-zone.ts isTimeZone), or undefined when it can. */
export function timeZoneProblem(timezone: string): string | undefined {
  if (isTimeZone(timezone)) return undefined;
  return `unknown time zone ${JSON.stringify(timezone)}; expected an IANA name such as "Asia/Shanghai" (China's zone)`;
}

/** Every problem of a calendar definition, with the field it is about; empty when it is usable. */
export function calendarProblems(definition: CalendarDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const zone = timeZoneProblem(definition.timezone);
  if (zone) problems.push({ path: 'timezone', message: zone });
  if (definition.days.length === 0)
    problems.push({ path: 'days', message: 'list at least one open weekday' });
  const seen = new Set<string>();
  definition.days.forEach((d, i) => {
    if (!(WEEKDAYS as readonly string[]).includes(d))
      problems.push({
        path: `days[${i}]`,
        message: `unknown weekday "${d}"; expected one of ${WEEKDAYS.join(', ')}`,
      });
    else if (seen.has(d)) problems.push({ path: `days[${i}]`, message: `"${d}" is listed twice` });
    seen.add(d);
  });
  const openMin = minutesOf(definition.open);
  const closeMin = minutesOf(definition.close);
  if (openMin === undefined || openMin === 1440)
    problems.push({
      path: 'open',
      message: `expected a time HH:MM such as "08:00", got "${definition.open}"`,
    });
  if (closeMin === undefined)
    problems.push({
      path: 'close',
      message: `expected a time HH:MM or "24:00", got "${definition.close}"`,
    });
  if (openMin !== undefined && closeMin !== undefined && closeMin <= openMin)
    problems.push({
      path: 'close',
      message: `closing time ${definition.close} must be after opening time ${definition.open} (hours past midnight are not supported; use 00:00–24:00 for round the clock)`,
    });
  const dates = (key: 'holidays' | 'workdays'): Set<number> => {
    const out = new Set<number>();
    (definition[key] ?? []).forEach((date, i) => {
      const day = dayNumberOf(date);
      if (day === undefined)
        problems.push({
          path: `${key}[${i}]`,
          message: `expected a date YYYY-MM-DD such as "2025-10-01", got "${date}"`,
        });
      else out.add(day);
    });
    return out;
  };
  const holidays = dates('holidays');
  const workdays = dates('workdays');
  for (const day of holidays)
    if (workdays.has(day))
      problems.push({
        path: 'workdays',
        message: `${dateOf(day)} is both a holiday and a make-up working day`,
      });
  return problems;
}

/** Minutes of opening time in a week, for checking that a deadline can ever be reached. */
export function weeklyOpenMinutes(definition: Pick<CalendarDefinition, 'days' | 'open' | 'close'>): number {
  const open = minutesOf(definition.open) ?? 0;
  const close = minutesOf(definition.close) ?? 0;
  return new Set(definition.days).size * Math.max(0, close - open);
}

export class WorkingCalendar {
  readonly definition: Readonly<CalendarDefinition>;
  private readonly days: ReadonlySet<Weekday>;
  private readonly openMin: number;
  private readonly closeMin: number;
  private readonly holidays: ReadonlySet<number>;
  private readonly workdays: ReadonlySet<number>;
  /** Local day number → its opening hours as instants (ms), or null when closed. */
  private readonly hours = new Map<number, readonly [number, number] | null>();
  /** UTC hour number → the zone's offset (ms) through that hour, or NaN when it changes in it. */
  private readonly offsets = new Map<number, number>();

  /** @throws TicketDefinitionError listing every problem of the definition. */
  constructor(definition: CalendarDefinition) {
    const problems = calendarProblems(definition);
    if (problems.length > 0) throw new TicketDefinitionError('calendar', problems);
    const holidays = new Set((definition.holidays ?? []).map((d) => dayNumberOf(d) as number));
    const workdays = new Set((definition.workdays ?? []).map((d) => dayNumberOf(d) as number));

    this.definition = definition;
    this.days = new Set(definition.days);
    this.openMin = minutesOf(definition.open) as number;
    this.closeMin = minutesOf(definition.close) as number;
    this.holidays = holidays;
    this.workdays = workdays;
  }

  get timezone(): string {
    return this.definition.timezone;
  }

  /** The local date `YYYY-MM-DD` of an instant. */
  localDate(at: Date): string {
    return dateOf(this.localDay(at.getTime()));
  }

  /** Whether the brand is open on a local date (weekday pattern, holidays, make-up days). */
  isWorkingDay(date: string): boolean {
    const day = dayNumberOf(date);
    if (day === undefined) throw new RangeError(`expected a date YYYY-MM-DD, got "${date}"`);
    return this.isOpenDay(day);
  }

  /** Whether an instant falls in opening hours (opening time included, closing time not). */
  isWorkingTime(at: Date): boolean {
    const t = at.getTime();
    const h = this.hoursOf(this.localDay(t));
    return h !== null && t >= h[0] && t < h[1];
  }

  /**
   * The earliest instant at which `ms` of working time has passed since `start`. A budget
   * that runs out exactly at closing time ends there (20:00), not at the next opening.
   */
  addWorkingTime(start: Date, ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`working time must be a finite number ≥ 0, got ${ms}`);
    let cursor = start.getTime();
    if (ms === 0) return new Date(cursor);
    let remaining = ms;
    const first = this.localDay(cursor);
    for (let day = first; day < first + MAX_DAYS; day++) {
      const h = this.hoursOf(day);
      if (h === null || h[1] <= cursor) continue;
      cursor = Math.max(cursor, h[0]);
      if (remaining <= h[1] - cursor) return new Date(cursor + remaining);
      remaining -= h[1] - cursor;
    }
    throw new RangeError(
      `the calendar has no working time in the ${MAX_DAYS} days after ${start.toISOString()}`,
    );
  }

  /** Working time from `a` to `b` in ms; negative when `b` is before `a`. */
  workingTimeBetween(a: Date, b: Date): number {
    const from = a.getTime();
    const to = b.getTime();
    if (to < from) return -this.workingTimeBetween(b, a);
    let total = 0;
    const last = this.localDay(to);
    for (let day = this.localDay(from); day <= last; day++) {
      const h = this.hoursOf(day);
      if (h !== null) total += Math.max(0, Math.min(h[1], to) - Math.max(h[0], from));
    }
    return total;
  }

  private isOpenDay(day: number): boolean {
    if (this.workdays.has(day)) return true;
    if (this.holidays.has(day)) return false;
    // Day 0 (1970-01-01) was a Thursday, index 3 of mon..sun.
    const weekday = WEEKDAYS[((day % 7) + 10) % 7];
    return weekday !== undefined && this.days.has(weekday);
  }

  private hoursOf(day: number): readonly [number, number] | null {
    let h = this.hours.get(day);
    if (h === undefined) {
      h = this.isOpenDay(day)
        ? [this.toInstant(day, this.openMin), this.toInstant(day, this.closeMin)]
        : null;
      if (this.hours.size > 4096) this.hours.clear(); // bounded memory for a long-lived service
      this.hours.set(day, h);
    }
    return h;
  }

  /**
   * Local wall time of an instant, as if it were UTC (ms, whole seconds). Zone offsets are
   * whole seconds and change a few times a year at most, so the offset of each UTC hour is
   * asked of Intl once (formatToParts is slow) and kept when it is the same at both ends of
   * the hour; an hour with a change in it is computed exactly every time.
   */
  private wallOf(t: number): number {
    const hour = Math.floor(t / HOUR_MS);
    let offset = this.offsets.get(hour);
    if (offset === undefined) {
      const start = hour * HOUR_MS;
      const first = this.exactWallOf(start) - start;
      const last = this.exactWallOf(start + HOUR_MS - 1000) - (start + HOUR_MS - 1000);
      offset = first === last ? first : Number.NaN;
      if (this.offsets.size > 4096) this.offsets.clear(); // bounded memory for a long-lived service
      this.offsets.set(hour, offset);
    }
    return Number.isNaN(offset) ? this.exactWallOf(t) : Math.floor(t / 1000) * 1000 + offset;
  }

  /** wallOf, asked of Intl. */
  private exactWallOf(t: number): number {
    return wallTime(t, this.definition.timezone);
  }

  private offsetAt(t: number): number {
    return this.wallOf(t) - Math.floor(t / 1000) * 1000;
  }

  private localDay(t: number): number {
    return Math.floor(this.wallOf(t) / DAY_MS);
  }

  /**
   * The instant of a local wall time (`minutes` after local midnight of `day`; 1440 is the
   * next midnight). Like Temporal's "compatible" disambiguation: a time that occurs twice
   * (autumn) is the earlier one, a time skipped by the clock (spring) moves forward by the gap.
   */
  private toInstant(day: number, minutes: number): number {
    const wall = day * DAY_MS + minutes * 60_000;
    const before = wall - this.offsetAt(wall - DAY_MS);
    const after = wall - this.offsetAt(wall + DAY_MS);
    const valid = [before, after].filter((t) => this.wallOf(t) === wall);
    return valid.length > 0 ? Math.min(...valid) : before;
  }
}
