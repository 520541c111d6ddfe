// Dates in the brand's time zone (its working hours' zone, from GET /api/playbooks), never
// the browser's: a ticket due at 11:00 in Shanghai reads 11:00 wherever the screen is.
import type { Language } from '../i18n/language.ts';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const formats = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(iso: string | null | undefined, timeZone: string, lang: Language): string {
  if (!iso) return '—';
  const key = `${timeZone}|${lang}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(key, f);
  }
  return f.format(new Date(iso));
}

/** The offset of a zone at an instant, in ms (Shanghai: +8 h). */
function offsetAt(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const p: Record<string, number> = {};
  for (const part of parts) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(
    p.year ?? 1970,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  return wall - Math.floor(at / 1000) * 1000;
}

/**
 * The instant of a wall time picked in a date picker, read in the brand's zone (not the
 * browser's): 2099-01-01 00:00 picked for a Shanghai brand is 2098-12-31T16:00:00Z.
 */
export function instantInZone(
  wall: { year: number; month: number; day: number; hour: number; minute: number; second: number },
  timeZone: string,
): string {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  let at = guess - offsetAt(guess, timeZone);
  at = guess - offsetAt(at, timeZone); // once more across a change of offset
  return new Date(at).toISOString();
}

/** A dayjs value of a picker (in the browser's zone) as the same wall time in `timeZone`. */
export function pickedInstant(
  d: { year(): number; month(): number; date(): number; hour(): number; minute(): number; second(): number },
  timeZone: string,
): string {
  return instantInZone(
    {
      year: d.year(),
      month: d.month() + 1,
      day: d.date(),
      hour: d.hour(),
      minute: d.minute(),
      second: d.second(),
    },
    timeZone,
  );
}

/** What a picker's value gives of its wall time (a dayjs in the browser's zone). */
type PickedWall = { year(): number; month(): number; date(): number; hour(): number; minute(): number };

/** The wall time of an instant in `timeZone`: its date as a number (20261203), hour and minute. */
function wallAt(at: number, timeZone: string): { day: number; hour: number; minute: number } {
  const wall = new Date(Math.floor(at / 1000) * 1000 + offsetAt(at, timeZone));
  return {
    day: wall.getUTCFullYear() * 10_000 + (wall.getUTCMonth() + 1) * 100 + wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
  };
}

const upTo = (n: number) => Array.from({ length: Math.max(0, n) }, (_, i) => i);

/**
 * What a picker of a future time (an expiry) disables: the days before today and, on today,
 * the hours and minutes up to now — today and now in the brand's zone, as the picked wall time
 * is read (pickedInstant), not the browser's. `now` is ms (Date.now() by default).
 */
export function pastInZone(timeZone: string, now: () => number = Date.now) {
  const dayOf = (d: PickedWall) => d.year() * 10_000 + (d.month() + 1) * 100 + d.date();
  return {
    disabledDate: (d: PickedWall) => dayOf(d) < wallAt(now(), timeZone).day,
    disabledTime: (d: PickedWall | null) => {
      const w = wallAt(now(), timeZone);
      if (!d || dayOf(d) !== w.day) return {};
      return {
        disabledHours: () => upTo(w.hour),
        disabledMinutes: (hour: number) =>
          hour < w.hour ? upTo(60) : hour === w.hour ? upTo(w.minute + 1) : [],
      };
    },
    /** Whether the wall time picked is already past in the zone (the dialog stayed open). */
    isPast: (d: PickedWall & { second(): number }) => Date.parse(pickedInstant(d, timeZone)) <= now(),
  };
}
