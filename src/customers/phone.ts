// Phone numbers as the hotline sees them: one canonical form per number, so that a customer,
// their calls, their tickets and a blacklist entry find each other however the number was
// typed or sent by the telephone system.
//
// Canonical form: digits only, mainland China, without the country code.
//   mobile    1[3-9]XXXXXXXXX (11 digits)                       13800138000
//   landline  area code with its 0, then the local number        01062345678, 075523456789
// Accepted on the way in: spaces (also U+3000), dashes, dots, brackets around the area code,
// full-width digits and signs (１３８…, ＋８６), the country code as +86, 0086 or 86, and the
// trunk 0 that switches put before a mobile number from another city (013800138000).

declare const PHONE: unique symbol;
/** A phone number in canonical form; only `normalizePhone` makes one. */
export type Phone = string & { readonly [PHONE]: true };

export type PhoneKind = 'mobile' | 'landline';

/** A refusal says what was found and what is expected, in English (`message`) and Chinese (`zh`). */
export type PhoneResult =
  | { ok: true; phone: Phone; kind: PhoneKind }
  | { ok: false; message: string; zh: string };

const SEPARATORS = /[\s\u3000\-‐‑‒–—―－.·()（）[\]【】]/g;
const MOBILE = /^1[3-9]\d{9}$/;
/** Three-digit area codes: 010 Beijing, 020–029 (Guangzhou, Shanghai, Tianjin, Chongqing, …). */
const LANDLINE_3 = /^0(?:10|2\d)[2-9]\d{6,7}$/;
/** Four-digit area codes 03xx–09xx; local numbers of 7 or 8 digits never start with 0 or 1. */
const LANDLINE_4 = /^0[3-9]\d{2}[2-9]\d{6,7}$/;

const EXPECTED =
  'expected a mainland mobile number (13800138000) or a landline with its area code (010-62345678); +86/0086, spaces and dashes are fine';
const EXPECTED_ZH =
  '应为大陆手机号（13800138000）或带区号的固定电话（010-62345678）；可带 +86/0086、空格和短横线';

/** Full-width digits and signs to ASCII; everything else unchanged. */
export function halfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** A number shown with its middle hidden (138****8000), as call files and logs often carry it. */
export function isMaskedPhone(input: string): boolean {
  const s = halfWidth(input).replace(SEPARATORS, '');
  return /^\+?\d{0,7}\*{3,}\d{2,4}$/.test(s);
}

/** Normalizes a phone number or says, in words a person can act on, why it is not one. */
export function normalizePhone(input: string): PhoneResult {
  const raw = typeof input === 'string' ? input : String(input);
  if (raw.trim() === '')
    return {
      ok: false,
      message: `found an empty phone number; ${EXPECTED}`,
      zh: `电话号码为空；${EXPECTED_ZH}`,
    };
  if (raw.length > 40)
    return {
      ok: false,
      message: `found ${raw.length} characters; ${EXPECTED}`,
      zh: `收到 ${raw.length} 个字符；${EXPECTED_ZH}`,
    };
  let s = halfWidth(raw).replace(SEPARATORS, '');
  const shown = JSON.stringify(raw.trim());
  if (isMaskedPhone(raw)) {
    return {
      ok: false,
      message: `found the masked number ${shown}; expected the whole number`,
      zh: `收到的是隐藏了中间几位的号码 ${shown}；请填写完整号码`,
    };
  }
  let international = false;
  if (s.startsWith('+')) {
    s = s.slice(1);
    if (!s.startsWith('86'))
      return {
        ok: false,
        message: `found ${shown}, a number outside mainland China; expected a mainland number (+86)`,
        zh: `收到 ${shown}，不是中国大陆的号码；应为大陆号码（+86）`,
      };
    s = s.slice(2);
    international = true;
  } else if (s.startsWith('0086')) {
    s = s.slice(4);
    international = true;
  } else if (/^86(?:1[3-9]\d{9}|[1-9]\d{9,10})$/.test(s) && !MOBILE.test(s) && s.length >= 12) {
    // "8613800138000": the country code without its plus sign.
    s = s.slice(2);
    international = true;
  }
  if (!/^\d+$/.test(s))
    return {
      ok: false,
      message: `found ${shown}, which has letters or signs; ${EXPECTED}`,
      zh: `收到 ${shown}，其中有字母或符号；${EXPECTED_ZH}`,
    };
  // After a country code the area code loses its 0 (+86 10 12345678); put it back.
  if (international && !s.startsWith('1') && !s.startsWith('0')) s = `0${s}`;
  if (international && s.startsWith('10') && !MOBILE.test(s)) s = `0${s}`;
  // The trunk 0 a switch puts before a mobile number from another city.
  if (/^01[3-9]\d{9}$/.test(s)) s = s.slice(1);
  if (MOBILE.test(s)) return { ok: true, phone: s as Phone, kind: 'mobile' };
  if (LANDLINE_3.test(s) || LANDLINE_4.test(s)) return { ok: true, phone: s as Phone, kind: 'landline' };
  if (/^[2-9]\d{6,7}$/.test(s))
    return {
      ok: false,
      message: `found ${shown}, a local number without its area code; expected the area code too (010-62345678)`,
      zh: `收到 ${shown}，是没有区号的本地号码；请连区号一起填写（010-62345678）`,
    };
  if (s.startsWith('1'))
    return {
      ok: false,
      message: `found ${shown} (${s.length} digits); expected a mobile number of 11 digits starting 13–19`,
      zh: `收到 ${shown}（${s.length} 位）；手机号应为 13–19 开头的 11 位数字`,
    };
  return { ok: false, message: `found ${shown}; ${EXPECTED}`, zh: `收到 ${shown}；${EXPECTED_ZH}` };
}

/** The canonical number, or throws; for numbers already checked (tests, fixtures). */
export function requirePhone(input: string): Phone {
  const r = normalizePhone(input);
  if (!r.ok) throw new RangeError(r.message);
  return r.phone;
}

/** How staff read a number back: 138 0013 8000, 010-12345678, 0755-12345678. */
export function formatPhone(p: Phone | string): string {
  if (MOBILE.test(p)) return `${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`;
  const area = /^0(?:10|2\d)/.test(p) ? 3 : 4;
  return `${p.slice(0, area)}-${p.slice(area)}`;
}

/** A number from outside mainland China in international form (+852…, 00852…). */
export function isForeignPhone(input: string): boolean {
  const s = halfWidth(input).replace(SEPARATORS, '');
  return /^(?:\+|00)(?!86)[1-9]\d{5,14}$/.test(s);
}

/**
 * A customer's number as a call carries it: canonical when it is a whole mainland number;
 * kept as given when it is masked (138****8000) or foreign (+852…), which a call file or a
 * telephone system may well send; refused otherwise.
 */
export type CallerNumber =
  | { kind: 'phone'; phone: Phone }
  | { kind: 'as-given'; value: string }
  | { kind: 'invalid'; message: string; zh: string };

export function callerNumber(input: string): CallerNumber {
  const r = normalizePhone(input);
  if (r.ok) return { kind: 'phone', phone: r.phone };
  if (isMaskedPhone(input) || isForeignPhone(input))
    return { kind: 'as-given', value: halfWidth(input).replace(SEPARATORS, '') };
  return { kind: 'invalid', message: r.message, zh: r.zh };
}
