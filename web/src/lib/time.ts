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
