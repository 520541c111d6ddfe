// Local time in an IANA time zone, from the runtime's tz database (Intl.DateTimeFormat): no
// time-zone library. Pure. Used by the ticket calendar, the call search (local days), the
// exports (local times in a spreadsheet) and the checks of zone names.

/** China Standard Time: the zone of a brand without its own, of exports and of day filters by default. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

// One formatter per known zone (a few hundred at most): making one costs about a millisecond.
// Unknown names are not kept, so that requests naming zones cannot grow the map.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat | undefined {
  let format = formats.get(timeZone);
  if (format) return format;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  formats.set(timeZone, format);
  return format;
}

/**
 * Whether the runtime can count time in the zone: any name Intl accepts, the canonical ones
 * (`Intl.supportedValuesOf('timeZone')`) and their aliases (`Asia/Chongqing`, `UTC`).
 * `Asia/Beijing` is not a zone.
 */
export function isTimeZone(timeZone: string): boolean {
  return timeZone.trim() !== '' && formatOf(timeZone) !== undefined;
}

/**
 * The wall time of the instant `at` (ms) in the zone, as the ms of a UTC date with the same
 * fields, to whole seconds: 2026-11-20T01:00:00Z in Asia/Shanghai → Date.UTC(2026, 10, 20, 9).
 * @throws RangeError for an unknown zone (check it with isTimeZone first).
 */
export function wallTime(at: number, timeZone: string): number {
  const format = formatOf(timeZone);
  if (!format) throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
  const p: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(at)))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
}

/**
 * `YYYY-MM-DD HH:mm:ss` of an instant in the zone: a time as the screens' pickers show it, in a
 * message (to the second: a time picked 15:36:00 and sent at 15:36:20 is said to have passed).
 */
export function localTime(at: Date, timeZone: string): string {
  return new Date(wallTime(at.getTime(), timeZone)).toISOString().slice(0, 19).replace('T', ' ');
}

/** The local date `YYYY-MM-DD` of an instant in the zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Date(wallTime(at.getTime(), timeZone)).toISOString().slice(0, 10);
}

/** The instant a local date `YYYY-MM-DD` begins in the zone (DST-safe: the offset is found twice). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const guess = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  let t = guess - (wallTime(guess, timeZone) - Math.floor(guess / 1000) * 1000);
  t = guess - (wallTime(t, timeZone) - Math.floor(t / 1000) * 1000);
  return new Date(t);
}

/** The date after a date `YYYY-MM-DD`. */
export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + 1)).toISOString().slice(0, 10);
}
