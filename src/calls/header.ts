// Header lines of text and WebVTT transcripts: `# brand: zhonghua` before the first turn of
// a .txt file, `brand: zhonghua` in the header block of a .vtt file.
import type { CallInputError } from './errors.ts';
import { checkField, fieldSchemas } from './json.ts';
import type { Call } from './model.ts';

export const HEADER_KEYS = [
  'brand',
  'direction',
  'channel',
  'agent',
  'agentName',
  'phone',
  'startedAt',
] as const;
type HeaderKey = (typeof HEADER_KEYS)[number];

const BY_LOWER = new Map<string, HeaderKey>(HEADER_KEYS.map((k) => [k.toLowerCase(), k]));

/** The header key a name stands for (any case), or undefined. */
export function headerKey(name: string): HeaderKey | undefined {
  return BY_LOWER.get(name.trim().toLowerCase());
}

/** Collects header values into the parts of a call they describe, reporting bad values and repeats. */
export class HeaderFields {
  private readonly seen = new Map<HeaderKey, number>();
  readonly call: Pick<Call, 'brand' | 'channel' | 'agent' | 'customer' | 'startedAt'> & {
    direction?: Call['direction'];
  } = {};

  constructor(
    private readonly file: string,
    private readonly errors: CallInputError[],
  ) {}

  set(key: HeaderKey, raw: string, line: number): void {
    const value = raw.trim();
    const first = this.seen.get(key);
    if (first !== undefined) {
      this.errors.push({
        file: this.file,
        line,
        message: `header "${key}" repeats the one on line ${first}`,
      });
      return;
    }
    this.seen.set(key, line);
    const bad = (message: string) =>
      this.errors.push({ file: this.file, line, message: `header "${key}": ${message}` });
    switch (key) {
      case 'brand': {
        const r = checkField(fieldSchemas.brand, value);
        if (r.ok) this.call.brand = r.value;
        else bad(r.message);
        break;
      }
      case 'direction': {
        const r = checkField(fieldSchemas.direction, value);
        if (r.ok) this.call.direction = r.value;
        else bad(r.message);
        break;
      }
      case 'channel': {
        const r = checkField(fieldSchemas.channel, value);
        if (r.ok) this.call.channel = r.value;
        else bad(r.message);
        break;
      }
      case 'agent': {
        const r = checkField(fieldSchemas.agentId, value);
        if (r.ok) this.call.agent = { ...this.call.agent, id: r.value };
        else bad(r.message);
        break;
      }
      case 'agentName': {
        const r = checkField(fieldSchemas.agentName, value);
        if (r.ok) this.call.agent = { ...this.call.agent, name: r.value };
        else bad(r.message);
        break;
      }
      case 'phone': {
        const r = checkField(fieldSchemas.phone, value);
        if (r.ok) this.call.customer = { ...this.call.customer, phone: r.value };
        else bad(r.message);
        break;
      }
      case 'startedAt': {
        const r = checkField(fieldSchemas.startedAt, value);
        if (r.ok) this.call.startedAt = r.value;
        else bad(r.message);
        break;
      }
    }
  }
}
