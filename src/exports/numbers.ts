// Customers' numbers in exports. A spreadsheet leaves the building (mailed, copied to a USB
// stick, uploaded to a shared drive), so an export shows numbers masked unless the person
// asks for full numbers and their role may see them; that export is then audited.
//
// One spelling per number, whatever the way it was typed or sent, masked or not (the
// canonical number of src/customers/phone.ts, shown as staff read it back):
//   mobile     full 138 0013 8000      masked 138****8000     (first 3 and last 4)
//   landline   full 010-62345678       masked 010-****5678    (the area code and the last 4)
//   foreign    full +85291234567       masked +852****4567    (the first 3 digits and the last 4)
//   a number the call file already masked (138****8000) is shown as it came.
// ID numbers are never a column; in free text (a ticket's subject) every phone or ID number is
// masked by the log masker's rule (ID: the region, first 6, and the last 4) unless the export
// has full numbers.
import { z } from 'zod';
import type { UserRole } from '../accounts/roles.ts';
import { formatPhone, halfWidth, isForeignPhone, isMaskedPhone, normalizePhone } from '../customers/phone.ts';
import { maskDigits, maskText } from '../observability/mask.ts';

/**
 * Who may export full numbers: the roles that call customers back over a complaint and answer
 * for it (室主任, 投诉处理岗) and admins. Team leads and QA inspectors export too, for
 * workload and scores, which need no one's number; agents do not export at all.
 */
export const FULL_NUMBER_ROLES: readonly UserRole[] = ['room-director', 'complaint-desk', 'admin'];

export function mayExportFullNumbers(role: UserRole): boolean {
  return FULL_NUMBER_ROLES.includes(role);
}

/** The query parameter of every export that asks for full numbers. */
export const fullNumbersQuery = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true')
  .describe(
    "true: customers' numbers in full (room director, complaint desk, admin; the export is audited). Default: masked, 138****8000",
  );

/** Full-width forms as ASCII, separators dropped. */
function compact(s: string): string {
  return halfWidth(s).replace(/[\s\u3000\-‐‑‒–—―.·()（）]/g, '');
}

/** A customer's number as an export shows it (see the table above); null stays empty. */
export function exportPhone(value: string | null | undefined, full: boolean): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const r = normalizePhone(value);
  if (r.ok) return full ? formatPhone(r.phone) : (maskDigits(r.phone)?.masked ?? maskText(r.phone));
  if (isMaskedPhone(value)) return compact(value);
  if (isForeignPhone(value)) {
    const digits = compact(value).replace(/^(?:\+|00)/, '');
    return full ? `+${digits}` : `+${digits.slice(0, 3)}****${digits.slice(-4)}`;
  }
  // Not a number we can read: never let its digits out whole.
  return full ? value : value.replace(/\d(?=(?:\D*\d){4})/g, '*');
}

/** Free text (a subject) in an export: phone and ID numbers masked unless the export is full. */
export function exportText(value: string | null | undefined, full: boolean): string | null {
  if (value === null || value === undefined) return null;
  return full ? value : maskText(value);
}
