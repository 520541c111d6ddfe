// Dates in the brand's time zone (its working hours' zone, from GET /api/playbooks), never
// the browser's: a ticket due at 11:00 in Shanghai reads 11:00 wherever the screen is.
import type { Language } from '../i18n/i18n';

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
