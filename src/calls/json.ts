// The JSON form of a call: a zod schema strict about types, enums and field names, then
// the checks the schema cannot express (event order, hold/unhold pairing, turn timings).
import { z } from 'zod';
import { type CallInputError, describeFound, failure, type ImportResult } from './errors.ts';
import {
  CALL_EVENT_TYPES,
  type Call,
  type CallEvent,
  CHANNELS,
  HANGUP_CAUSES,
  type Speaker,
  TURN_SOURCES,
  type Turn,
} from './model.ts';

type PathKey = PropertyKey;

export function pathToString(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  }
  return out;
}

const nonBlank = (s: string) => s.trim().length > 0;

/** A non-blank string; CTI systems often emit ids and phone numbers as JSON numbers, so a
 *  whole number ≥ 0 is accepted too and converted to its decimal string. */
const idLike = (what: string) =>
  z
    .union([z.string().refine(nonBlank), z.number().int().nonnegative()], {
      error: `expected ${what} as a non-blank string (or a whole number ≥ 0, converted to a string)`,
    })
    .transform((v) => String(v));

const text = (what: string) =>
  z
    .string({ error: `expected ${what} as a string` })
    .refine(nonBlank, { error: `expected ${what} as a non-blank string` });

const ms = (what: string) =>
  z
    .number({ error: `expected ${what} in milliseconds, a number ≥ 0` })
    .nonnegative({ error: `expected ${what} in milliseconds, a number ≥ 0` });

const speaker = z.enum(['agent', 'customer'], { error: 'expected one of: agent, customer' });

export const fieldSchemas = {
  id: idLike('the call id'),
  brand: text('the brand id'),
  direction: z.enum(['inbound', 'outbound'], { error: 'expected one of: inbound, outbound' }),
  channel: z.enum(CHANNELS, {
    error: `expected one of: ${CHANNELS.join(', ')} (where the conversation took place; phone when absent)`,
  }),
  agentId: idLike('the agent id'),
  agentName: text('the agent name'),
  phone: idLike('the phone number'),
  startedAt: z.iso.datetime({
    offset: true,
    error: 'expected an ISO 8601 date-time with a UTC offset, e.g. 2026-11-20T09:12:03+08:00',
  }),
};

const eventSchema = z.strictObject(
  {
    type: z.enum(CALL_EVENT_TYPES, { error: `expected one of: ${CALL_EVENT_TYPES.join(', ')}` }),
    at: ms('the event time'),
    to: text('the transfer target').optional(),
    by: speaker.optional(),
    cause: z.enum(HANGUP_CAUSES, { error: `expected one of: ${HANGUP_CAUSES.join(', ')}` }).optional(),
  },
  { error: 'expected an event object like {"type": "answer", "at": 8200}' },
);

const turnSchema = z.strictObject(
  {
    speaker,
    text: text('the words spoken'),
    start: ms('the start').optional(),
    end: ms('the end').optional(),
    // Who gave the words, as GET /api/calls/{id} gives them: a stored call is checked again.
    source: z.enum(TURN_SOURCES, { error: `expected one of: ${TURN_SOURCES.join(', ')}` }).optional(),
  },
  { error: 'expected a turn object like {"speaker": "agent", "text": "您好"}' },
);

export const callSchema = z.strictObject(
  {
    id: fieldSchemas.id,
    brand: fieldSchemas.brand.optional(),
    direction: fieldSchemas.direction.default('inbound'),
    channel: fieldSchemas.channel.optional(),
    agent: z
      .strictObject(
        { id: fieldSchemas.agentId.optional(), name: fieldSchemas.agentName.optional() },
        { error: 'expected an object like {"id": "1024", "name": "李娜"}' },
      )
      .optional(),
    customer: z
      .strictObject(
        {
          phone: fieldSchemas.phone.optional(),
          surname: text('the surname').optional(),
          title: text('the title (先生/女士)').optional(),
        },
        { error: 'expected an object like {"phone": "13800138000"}' },
      )
      .optional(),
    startedAt: fieldSchemas.startedAt.optional(),
    events: z.array(eventSchema, { error: 'expected an array of events' }).default([]),
    turns: z.array(turnSchema, { error: 'expected an array of turns' }),
    meta: z.record(z.string(), z.unknown(), { error: 'expected an object of free-form extras' }).optional(),
  },
  { error: 'expected one call as a JSON object (a file of many calls is .jsonl, one call per line)' },
);

type ParsedCall = z.output<typeof callSchema>;

const KNOWN_KEYS: Record<string, readonly string[]> = {
  call: Object.keys(callSchema.shape),
  agent: ['id', 'name'],
  customer: ['phone', 'surname', 'title'],
  events: Object.keys(eventSchema.shape),
  turns: Object.keys(turnSchema.shape),
};

function knownKeysAt(path: readonly PathKey[]): readonly string[] {
  if (path.length === 0) return KNOWN_KEYS.call ?? [];
  const last = path[path.length - 1];
  if (typeof last === 'number') return KNOWN_KEYS[String(path[path.length - 2])] ?? [];
  return KNOWN_KEYS[String(last)] ?? [];
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j] ?? 0;
      row[j] = Math.min(up + 1, (row[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length] ?? 0;
}

function unknownFieldMessage(key: string, path: readonly PathKey[]): string {
  const known = knownKeysAt(path);
  const near = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  const hint = near ? ` (did you mean "${near}"?)` : '';
  const extras = path.length === 0 ? '; put free-form extras under "meta"' : '';
  return `unknown field${hint}; expected one of: ${known.join(', ')}${extras}`;
}

function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Turns zod's issues into located messages that say what was found and what is expected. */
export function schemaErrors(
  issues: readonly z.core.$ZodIssue[],
  root: unknown,
  file: string,
  line?: number,
): CallInputError[] {
  const out: CallInputError[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          file,
          line,
          path: pathToString([...issue.path, key]),
          message: unknownFieldMessage(key, issue.path),
        });
      }
      continue;
    }
    const found = valueAt(root, issue.path);
    const message =
      found === undefined && issue.path.length > 0
        ? `required field is missing; ${issue.message}`
        : `found ${describeFound(found)}; ${issue.message}`;
    out.push({ file, line, path: pathToString(issue.path) || undefined, message });
  }
  return out;
}

/** The checks across fields: event order and pairing, turn timings. */
function semanticErrors(
  call: { events: readonly CallEvent[]; turns: readonly Turn[] },
  file: string,
  line?: number,
): CallInputError[] {
  const out: CallInputError[] = [];
  const err = (path: string, message: string) => out.push({ file, line, path, message });

  let onHold = false;
  // The transfer a transfer-failed event undoes: the last one, not failed already.
  let transfer: { index: number; failed: number | null } | null = null;
  call.events.forEach((event, i) => {
    const prev = call.events[i - 1];
    if (prev && event.at < prev.at) {
      err(
        `events[${i}].at`,
        `found ${event.at}, earlier than events[${i - 1}].at ${prev.at}; expected events in time order (times never decreasing)`,
      );
    }
    if (event.to !== undefined && event.type !== 'transfer' && event.type !== 'transfer-failed') {
      err(
        `events[${i}].to`,
        `found "to" on a ${event.type} event; expected "to" only on a transfer or transfer-failed event`,
      );
    }
    if (event.by !== undefined && event.type !== 'hangup') {
      err(`events[${i}].by`, `found "by" on a ${event.type} event; expected "by" only on a hangup event`);
    }
    if (event.cause !== undefined && event.type !== 'hangup') {
      err(
        `events[${i}].cause`,
        `found "cause" on a ${event.type} event; expected "cause" only on a hangup event`,
      );
    }
    if (event.type === 'hold') {
      if (onHold) err(`events[${i}].type`, 'found hold while already on hold; expected an unhold first');
      onHold = true;
    } else if (event.type === 'unhold') {
      if (!onHold) err(`events[${i}].type`, 'found unhold without a preceding hold; expected a hold first');
      onHold = false;
    } else if (event.type === 'transfer') transfer = { index: i, failed: null };
    else if (event.type === 'transfer-failed') {
      const hungUp = call.events.findIndex((e, j) => j < i && e.type === 'hangup');
      if (hungUp >= 0)
        err(
          `events[${i}].type`,
          `found transfer-failed after the hangup at events[${hungUp}]; expected it before the hangup (a failure the telephone system logs once the agent left is not the agent's to answer for)`,
        );
      else if (transfer === null)
        err(
          `events[${i}].type`,
          'found transfer-failed without a transfer before it; expected the transfer event first (transfer-failed says that transfer did not go through)',
        );
      else if (transfer.failed !== null)
        err(
          `events[${i}].type`,
          `found a second transfer-failed for the transfer at events[${transfer.index}] (already failed at events[${transfer.failed}]); expected one per transfer`,
        );
      else transfer.failed = i;
    }
  });

  let lastStart: { at: number; index: number } | undefined;
  call.turns.forEach((turn, i) => {
    if (turn.start !== undefined && turn.end !== undefined && turn.end < turn.start) {
      err(`turns[${i}].end`, `found ${turn.end}, before the start ${turn.start}; expected end ≥ start`);
    }
    if (turn.start !== undefined) {
      if (lastStart && turn.start < lastStart.at) {
        err(
          `turns[${i}].start`,
          `found ${turn.start}, earlier than turns[${lastStart.index}].start ${lastStart.at}; expected turns in the order spoken (start times never decreasing)`,
        );
      }
      lastStart = { at: turn.start, index: i };
    }
  });
  return out;
}

function toCall(p: ParsedCall): Call {
  const call: Call = { id: p.id, direction: p.direction, events: [], turns: [] };
  if (p.channel !== undefined) call.channel = p.channel;
  if (p.brand !== undefined) call.brand = p.brand;
  if (p.agent) {
    call.agent = {};
    if (p.agent.id !== undefined) call.agent.id = p.agent.id;
    if (p.agent.name !== undefined) call.agent.name = p.agent.name;
  }
  if (p.customer) {
    call.customer = {};
    if (p.customer.phone !== undefined) call.customer.phone = p.customer.phone;
    if (p.customer.surname !== undefined) call.customer.surname = p.customer.surname;
    if (p.customer.title !== undefined) call.customer.title = p.customer.title;
  }
  if (p.startedAt !== undefined) call.startedAt = p.startedAt;
  call.events = p.events.map((e) => {
    const event: CallEvent = { type: e.type, at: e.at };
    if (e.to !== undefined) event.to = e.to;
    if (e.by !== undefined) event.by = e.by;
    if (e.cause !== undefined) event.cause = e.cause;
    return event;
  });
  call.turns = p.turns.map((t) => {
    const turn: Turn = { speaker: t.speaker, text: t.text };
    if (t.start !== undefined) turn.start = t.start;
    if (t.end !== undefined) turn.end = t.end;
    if (t.source !== undefined) turn.source = t.source;
    return turn;
  });
  return call;
}

// ---- The common case without zod -------------------------------------------------------
// A batch of calls from a telephone system is nearly all valid calls of the common shape:
// checking those field by field here is a fraction of what the schema's general machinery
// costs per turn. `quickCall` accepts only what `callSchema` surely accepts, and builds what
// `toCall` would; anything else (a number for an id, `customer`, `meta`, a wrong value…) is
// left to the schema, so every error message is the schema's.

const CALL_KEYS = new Set(Object.keys(callSchema.shape));
const EVENT_KEYS = new Set(Object.keys(eventSchema.shape));
const TURN_KEYS = new Set(Object.keys(turnSchema.shape));
const AGENT_KEYS = new Set(['id', 'name']);
/** The event types of the file format. */
export const EVENT_TYPES = eventSchema.shape.type.options;
const EVENT_TYPE_SET: ReadonlySet<unknown> = new Set(EVENT_TYPES);
const HANGUP_CAUSE_SET: ReadonlySet<unknown> = new Set(HANGUP_CAUSES);
const CHANNEL_SET: ReadonlySet<unknown> = new Set(CHANNELS);
const TURN_SOURCE_SET: ReadonlySet<unknown> = new Set(TURN_SOURCES);

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isSpeaker = (v: unknown): v is Speaker => v === 'agent' || v === 'customer';

/** Whether `v` is a date-time the file format accepts for `startedAt`. */
export function isStartedAt(v: unknown): v is string {
  return fieldSchemas.startedAt.safeParse(v).success;
}

function onlyKeys(o: Record<string, unknown>, keys: ReadonlySet<string>): boolean {
  for (const k in o) if (!keys.has(k)) return false;
  return true;
}

function quickEvent(e: unknown): CallEvent | undefined {
  if (!isPlain(e) || !onlyKeys(e, EVENT_KEYS)) return undefined;
  const { type, at, to, by, cause } = e;
  if (!EVENT_TYPE_SET.has(type) || !isMs(at)) return undefined;
  const event: CallEvent = { type: type as CallEvent['type'], at };
  if (to !== undefined) {
    if (!isText(to)) return undefined;
    event.to = to;
  }
  if (by !== undefined) {
    if (!isSpeaker(by)) return undefined;
    event.by = by;
  }
  if (cause !== undefined) {
    if (!HANGUP_CAUSE_SET.has(cause)) return undefined;
    event.cause = cause as CallEvent['cause'];
  }
  return event;
}

function quickTurn(t: unknown): Turn | undefined {
  if (!isPlain(t) || !onlyKeys(t, TURN_KEYS)) return undefined;
  const { speaker, text, start, end, source } = t;
  if (!isSpeaker(speaker) || !isText(text)) return undefined;
  const turn: Turn = { speaker, text };
  if (start !== undefined) {
    if (!isMs(start)) return undefined;
    turn.start = start;
  }
  if (end !== undefined) {
    if (!isMs(end)) return undefined;
    turn.end = end;
  }
  if (source !== undefined) {
    if (!TURN_SOURCE_SET.has(source)) return undefined;
    turn.source = source as Turn['source'];
  }
  return turn;
}

/** The call `toCall(callSchema.parse(value))` gives, when `value` is surely valid and of the common shape; else undefined. */
function quickCall(value: unknown): Call | undefined {
  if (!isPlain(value) || !onlyKeys(value, CALL_KEYS)) return undefined;
  const v = value;
  if (v.customer !== undefined || v.meta !== undefined || !isText(v.id)) return undefined;
  const direction = v.direction === undefined ? 'inbound' : v.direction;
  if (direction !== 'inbound' && direction !== 'outbound') return undefined;
  const call: Call = { id: v.id, direction, events: [], turns: [] };
  if (v.channel !== undefined) {
    if (!CHANNEL_SET.has(v.channel)) return undefined;
    call.channel = v.channel as Call['channel'];
  }
  if (v.brand !== undefined) {
    if (!isText(v.brand)) return undefined;
    call.brand = v.brand;
  }
  if (v.agent !== undefined) {
    const a = v.agent;
    if (!isPlain(a) || !onlyKeys(a, AGENT_KEYS)) return undefined;
    call.agent = {};
    if (a.id !== undefined) {
      if (!isText(a.id)) return undefined;
      call.agent.id = a.id;
    }
    if (a.name !== undefined) {
      if (!isText(a.name)) return undefined;
      call.agent.name = a.name;
    }
  }
  if (v.startedAt !== undefined) {
    if (!isStartedAt(v.startedAt)) return undefined;
    call.startedAt = v.startedAt as string;
  }
  if (v.events !== undefined) {
    if (!Array.isArray(v.events)) return undefined;
    const events: CallEvent[] = [];
    for (const x of v.events) {
      const e = quickEvent(x);
      if (e === undefined) return undefined;
      events.push(e);
    }
    call.events = events;
  }
  if (!Array.isArray(v.turns)) return undefined;
  const turns: Turn[] = [];
  for (const x of v.turns) {
    const t = quickTurn(x);
    if (t === undefined) return undefined;
    turns.push(t);
  }
  call.turns = turns;
  return call;
}

/** Validates one call already parsed from JSON. `line` is the line of a .jsonl record. */
export function parseCallJson(value: unknown, file: string, line?: number): ImportResult {
  const quick = quickCall(value);
  return (
    (quick !== undefined && acceptQuickCall(quick, file, line)) || parseCallJsonBySchema(value, file, line)
  );
}

/**
 * The result of a call the quick checks built, when the checks across fields find nothing;
 * else undefined (the schema's path then says what is wrong).
 */
export function acceptQuickCall(call: Call, file: string, line?: number): ImportResult | undefined {
  if (semanticErrors(call, file, line).length > 0) return undefined;
  return line === undefined ? { ok: true, call, file } : { ok: true, call, file, line };
}

/** `parseCallJson` through the schema alone (what the quick path must always agree with). */
export function parseCallJsonBySchema(value: unknown, file: string, line?: number): ImportResult {
  const parsed = callSchema.safeParse(value);
  if (!parsed.success) return failure(schemaErrors(parsed.error.issues, value, file, line));
  const errors = semanticErrors(parsed.data, file, line);
  if (errors.length > 0) return failure(errors);
  return line === undefined
    ? { ok: true, call: toCall(parsed.data), file }
    : { ok: true, call: toCall(parsed.data), file, line };
}

/** Checks one value against a field schema; the message says what was found and what is expected. */
export function checkField<T>(
  schema: z.ZodType<T, unknown>,
  value: unknown,
): { ok: true; value: T } | { ok: false; message: string } {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, message: `found ${describeFound(value)}; ${r.error.issues[0]?.message ?? 'invalid'}` };
}

// ---- JSON syntax errors located by line and column -------------------------------------

/** The offset of the first JSON syntax error, for parser messages that lack a position. */
function jsonErrorOffset(s: string): number | undefined {
  let i = 0;
  const fail = (at = i): never => {
    throw new SyntaxError(String(at));
  };
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (s[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= s.length) fail();
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        const e = s[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) fail(i + 1);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(i + 1);
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(s.slice(i, i + 400));
    if (!m) fail();
    i += m?.[0].length ?? 0;
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') fail();
        string();
        ws();
        if (s[i] !== ':') fail();
        i++;
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '"') string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else fail();
  };
  try {
    value();
    ws();
    if (i < s.length) fail();
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxError) return Number(e.message);
    return undefined; // too deeply nested to scan (RangeError)
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Parses JSON text; on a syntax error returns the parser's message without its echo of the
 * input, and the 1-based line and column of the error within `text`.
 */
export function parseJsonText(
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const at = /at position (\d+)/.exec(raw);
    const offset = at ? Number(at[1]) : /end of JSON input/.test(raw) ? text.length : jsonErrorOffset(text);
    const message = raw
      .replace(/^(Unexpected token '.+?'), .* is not valid JSON$/s, '$1')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/ \(line \d+ column \d+\)$/, '');
    const { line, column } = lineAndColumn(text, offset ?? 0);
    return { ok: false, message, line, column };
  }
}
