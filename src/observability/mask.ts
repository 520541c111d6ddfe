// Personal numbers never reach the logs whole: mobile numbers keep their first 3 and last 4
// digits (138****0000, the form call centres read back), resident ID numbers their first 6
// and last 4.
const ID_NUMBER = /(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)/g;
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3}-?)\d{3,4}(\d{4})(?!\d)/g;

export function maskText(s: string): string {
  if (typeof s !== 'string') return s;
  return s.replace(ID_NUMBER, '$1********$2').replace(MOBILE, '$1****$2').replace(LANDLINE, '$1****$2');
}

/** A copy of a log value with every string masked; depth-limited against cycles. */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
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
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}
