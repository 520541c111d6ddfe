// Personal numbers never reach the logs whole. A number is recognised however it was typed or
// sent: percent-encoded in a URL (`139%201234%205678`, `%2B86…`), with `+` for a space in a
// query string, with spaces, dashes, dots or brackets inside (`139-1234-5678`,
// `(010) 6552 1234`), with a country prefix (`+86`, `0086`, `86`), in full-width digits
// (`１３９…`). It is then written in one masked form:
//   mobile     139****5678        first 3 and last 4 (the form call centres read back)
//   landline   010-****1234       the area code and the last 4
//   ID (18)    110101********451X region (first 6) and the last 4; the birth date is hidden
//   ID (15)    110101******123    region and the last 3
// What is not a personal number is left alone: ticket ids (UUIDs), ISO timestamps, durations,
// counts, a 4-digit 工号, dates. A number inside a longer run of digits (a 13-digit epoch
// time, a 19-digit card) is not split to find one.

const FULL_WIDTH_DIGIT = /[\uff10-\uff19]/g;
const DIGITS = '0-9\\uff10-\\uff19';
/** What may stand between the digit groups of one number. */
const SEPARATOR = '[\\s\\u3000\\-\\u2010-\\u2015\\uff0d.\\uff0e\\u00b7()\\uff08\\uff09+\\uff0b]';
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** A UUID (kept whole), or a run of digit groups, maybe after a `+` or `(`, maybe ending in X. */
const CANDIDATE = new RegExp(
  `(${UUID})|(?:[+\\uff0b(\\uff08]{1,2}\\s?)?[${DIGITS}]+(?:${SEPARATOR}{1,3}[${DIGITS}]+)*(?:[Xx\\uff38\\uff58](?![A-Za-z0-9]))?`,
  'g',
);
const GROUP = new RegExp(`[${DIGITS}]+`, 'g');

const MOBILE = /^0?(1[3-9]\d)\d{4}(\d{4})$/;
/** An area code (010, 02x, 0xxx) and a local number of 7 or 8 digits not starting 0 or 1. */
const LANDLINE = /^0(?:10|2\d|[3-9]\d{2})[2-9]\d{6,7}$/;
const ID_18 = /^([1-9]\d{5})(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(\d{3}[\dX])$/;
const ID_15 = /^([1-9]\d{5})\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(\d{3})$/;
/** Groups of one number considered together: `+86 (010) 6552 1234` has five. */
const MAX_GROUPS = 6;

export type PersonalNumberKind = 'mobile' | 'landline' | 'id';

function ascii(digits: string): string {
  return digits.replace(FULL_WIDTH_DIGIT, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Mobile or landline digits without the country prefix; a landline gets its area code's 0 back. */
function withoutCountry(d: string): string {
  let s = d;
  if (s.startsWith('0086')) s = s.slice(4);
  else if (s.startsWith('86') && s.length >= 12) s = s.slice(2);
  else return s;
  if (/^1[3-9]\d{9}$/.test(s)) return s;
  return s.startsWith('0') ? s : `0${s}`;
}

/**
 * The masked form of a personal number given as its digits (ASCII, an ID's X last), or null
 * when the digits are not one.
 */
export function maskDigits(digits: string): { kind: PersonalNumberKind; masked: string } | null {
  const d = digits.toUpperCase();
  let m = ID_18.exec(d);
  if (m) return { kind: 'id', masked: `${m[1]}********${m[2]}` };
  m = ID_15.exec(d);
  if (m) return { kind: 'id', masked: `${m[1]}******${m[2]}` };
  if (!/^\d+$/.test(d)) return null;
  const s = withoutCountry(d);
  m = MOBILE.exec(s);
  if (m) return { kind: 'mobile', masked: `${m[1]}****${m[2]}` };
  if (LANDLINE.test(s)) {
    const area = /^0(?:10|2\d)/.test(s) ? 3 : 4;
    return { kind: 'landline', masked: `${s.slice(0, area)}-****${s.slice(-4)}` };
  }
  return null;
}

/** What a percent-encoded piece of a number decodes to: digits, separators, +, X, % (twice encoded). */
const NUMBER_LIKE = new RegExp(`^(?:[${DIGITS}Xx\\uff38\\uff58%]|${SEPARATOR})+$`);

/**
 * Percent-encoded pieces of numbers decoded (`139%205724%206810`, `%2B86`, full-width digits
 * encoded as UTF-8; twice, for a URL encoded twice). Anything else stays as sent, so that the
 * log still shows the URL that came in (`%E5%BC%A0`) and `折扣%50` is not turned into `折扣P`.
 */
function decodePercent(s: string): string {
  let out = s;
  for (let pass = 0; pass < 2 && /%[0-9A-Fa-f]{2}/.test(out); pass++) {
    out = out.replace(/(?:%[0-9A-Fa-f]{2})+/g, (seq) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(seq);
      } catch {
        return seq; // broken UTF-8: not a number
      }
      return NUMBER_LIKE.test(decoded) ? decoded : seq;
    });
  }
  return out;
}

/** Masks every personal number in one candidate run (digit groups and what separates them). */
function maskRun(run: string): string {
  const groups = [...run.matchAll(GROUP)].map((g) => ({
    start: g.index ?? 0,
    end: (g.index ?? 0) + g[0].length,
    digits: ascii(g[0]),
  }));
  const tail = /[Xx\uff38\uff58]$/.test(run) ? 'X' : '';
  let out = '';
  let copied = 0;
  for (let i = 0; i < groups.length; ) {
    let found: { end: number; masked: string; last: number } | null = null;
    let digits = '';
    for (let j = i; j < groups.length && j < i + MAX_GROUPS; j++) {
      digits += groups[j]?.digits ?? '';
      const last = j === groups.length - 1;
      const hit = (last && tail && maskDigits(digits + tail)) || maskDigits(digits);
      if (hit) {
        const end = hit.kind === 'id' && last && tail ? run.length : (groups[j]?.end ?? 0);
        found = { end, masked: hit.masked, last: j };
      }
    }
    if (!found) {
      i++;
      continue;
    }
    // The run's leading + or ( belongs to the number that starts it.
    const start = i === 0 ? 0 : (groups[i]?.start ?? 0);
    out += run.slice(copied, start) + found.masked;
    copied = found.end;
    i = found.last + 1;
  }
  return out + run.slice(copied);
}

/** The text with every phone and ID number masked; percent-encoded numbers are decoded first. */
export function maskText(s: string): string {
  if (typeof s !== 'string') return s;
  const text = s.includes('%') ? decodePercent(s) : s;
  return text.replace(CANDIDATE, (run, uuid: string | undefined) => (uuid ? run : maskRun(run)));
}

/** A number that is a phone or ID number (an integer in a log object) as its masked text. */
function maskNumber(n: number | bigint): number | bigint | string {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) return n;
  const hit = n >= 0 ? maskDigits(String(n)) : null;
  return hit ? hit.masked : n;
}

/** A copy of a log value with every string masked; depth-limited against cycles. */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (typeof value === 'number' || typeof value === 'bigint') return maskNumber(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  if (value instanceof Error)
    return {
      type: value.name,
      message: maskText(value.message),
      stack: value.stack ? maskText(value.stack) : undefined,
    };
  // Only plain objects are copied: class instances (a request, a reply) go to their own
  // serializers, which mask what they print.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  // Keys too: a map keyed by phone number is still a list of phone numbers.
  for (const [k, v] of Object.entries(value)) out[maskText(k)] = maskDeep(v, depth + 1);
  return out;
}
