// Zod schemas for phone numbers in requests: a number in any common spelling becomes the
// canonical form, or the request fails with a message that says what is expected.
import { z } from 'zod';
import { callerNumber, normalizePhone, type Phone } from './phone.ts';

/** A phone number in any common spelling, converted to the canonical form (or a clear error). */
export const phoneSchema = z
  .union([z.string().max(40), z.number().int().nonnegative()], {
    error: 'expected the phone number as a string',
  })
  .transform((value, ctx): Phone => {
    const r = normalizePhone(String(value));
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message, params: { zh: r.zh } });
      return z.NEVER;
    }
    return r.phone;
  })
  .meta({
    description: 'a mainland mobile or landline number; +86, spaces, dashes, full-width digits accepted',
  });

/** A whole number (exact match) or 4–10 digits it ends with (尾号). */
export const phoneFilterSchema = z
  .string()
  .max(40)
  .transform((value, ctx): { exact: Phone } | { suffix: string } => {
    const r = normalizePhone(value);
    if (r.ok) return { exact: r.phone };
    const digits = value.replace(/[\s-]/g, '');
    if (/^\d{4,10}$/.test(digits)) return { suffix: digits };
    ctx.addIssue({
      code: 'custom',
      message: `${r.message}; or give the last 4–10 digits (尾号)`,
      params: { zh: `${r.zh}；或填写号码的后 4–10 位（尾号）` },
    });
    return z.NEVER;
  })
  .meta({ description: 'a whole number, or its last 4–10 digits (尾号)' });

/**
 * The customer's number on a call (CTI caller, call file): canonical when it is a whole
 * mainland number, kept as given when masked or foreign, refused when it is not a number.
 */
export const callerSchema = z
  .union([z.string().max(40), z.number().int().nonnegative()], {
    error: 'expected the phone number as a string',
  })
  .transform((value, ctx): { phone: Phone | null; asGiven: string } => {
    const r = callerNumber(String(value));
    if (r.kind === 'phone') return { phone: r.phone, asGiven: r.phone };
    if (r.kind === 'as-given') return { phone: null, asGiven: r.value };
    ctx.addIssue({ code: 'custom', message: r.message, params: { zh: r.zh } });
    return z.NEVER;
  })
  .meta({
    description:
      'a mainland number (any common spelling); a masked (138****8000) or foreign (+852…) number is kept as given',
  });
