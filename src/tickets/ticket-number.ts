// Short ticket numbers (工单号) an agent can read out to a caller: `ZH-20261129-0042` — the
// brand's prefix, the day the ticket was opened in the brand's time zone, and the brand's
// count of that day (four digits, more past 9,999). Pure: the store hands out the count.
import { localDate } from '../shared/time-zone.ts';

/** A brand's prefix: its playbook's `brand.ticketPrefix`, else the first two letters of its id (zhonghua → ZH). */
export function ticketPrefix(brand: { id: string; ticketPrefix?: string | undefined }): string {
  return (brand.ticketPrefix ?? brand.id.replace(/[^a-z]/g, '').slice(0, 2)).toUpperCase() || 'HS';
}

/** The local day a ticket opened at `at` counts in: `20261129`. */
export function ticketDay(at: Date, timeZone: string): string {
  return localDate(at, timeZone).replaceAll('-', '');
}

export function formatTicketNumber(prefix: string, day: string, seq: number): string {
  return `${prefix}-${day}-${String(seq).padStart(4, '0')}`;
}

const NUMBER = /^\s*([a-z]{2,4})\s*-?\s*(\d{8})\s*-?\s*(\d{1,9})\s*$/i;

/**
 * A ticket number as someone typed or read it (`zh-20261129-42`, `ZH202611290042`), in its
 * stored form; undefined when it is not one.
 */
export function parseTicketNumber(text: string): string | undefined {
  const m = NUMBER.exec(text);
  if (!m) return undefined;
  return formatTicketNumber((m[1] as string).toUpperCase(), m[2] as string, Number(m[3]));
}
