// A .jsonl line of the common shape read straight from its bytes: UTF-8 decoding, JSON
// parsing and the quick field checks in one pass, without the line's whole text as a string.
// It answers only what the general path (decode, JSON.parse, `parseCallJson`) surely answers
// the same way, and otherwise says nothing (undefined), so that every error, every unusual
// value and every message stays the general path's (a test holds the two equal).
import { EVENT_TYPES, isStartedAt } from './json.ts';
import { type Call, type CallEvent, CHANNELS, HANGUP_CAUSES, TURN_SOURCES, type Turn } from './model.ts';

// Buffer's own string makers (what `toString('latin1' | 'utf16le', …)` calls after checking its
// arguments): a call with ~70 strings makes them ~30% faster.
interface Slices {
  latin1Slice(start: number, end: number): string;
  ucs2Slice(start: number, end: number): string;
}
const SLICES =
  typeof (Buffer.prototype as unknown as Partial<Slices>).latin1Slice === 'function' &&
  typeof (Buffer.prototype as unknown as Partial<Slices>).ucs2Slice === 'function';

// Code units of the string being decoded (grown as strings need), and the same memory as bytes.
let units = new Uint16Array(1 << 12);
let unitBytes = Buffer.from(units.buffer);
// The units are handed to Buffer as UTF-16LE: only where the machine stores them so.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Thrown (and caught below) for anything this reader leaves to the general path. */
const GIVE_UP = { giveUp: true };

// Byte codes.
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

// The line being read (module state: one line at a time, never re-entered).
const NO_BYTES = Buffer.alloc(0);
let b: Uint8Array = NO_BYTES;
let buf: Buffer = NO_BYTES;
let n = 0;
let i = 0;

// The functions below read the line through locals (`bytes`, `end`, `p`) and store `i` back
// once: the module's `let`s are context slots, which the optimizing compiler loads (with a
// check for an uninitialised binding) and stores again on every step of a loop. Reading them
// into locals cut the reader's instructions per call (steady, callgrind) 564 k → 466 k.

function skipSpace(): void {
  // Space and tab only: \r would split the line (readline) and \n cannot occur in it.
  const bytes = b;
  const end = n;
  let p = i;
  while (p < end) {
    const c = bytes[p] as number;
    if (c !== 0x20 && c !== 0x09) break;
    p++;
  }
  i = p;
}

function expect(c: number): void {
  skipSpace();
  if (b[i] !== c) throw GIVE_UP;
  i++;
}

/** After a member or element: true for a comma (another follows), false for the closer. */
function more(close: number): boolean {
  skipSpace();
  const c = b[i];
  i++;
  if (c === COMMA) return true;
  if (c === close) return false;
  throw GIVE_UP;
}

/**
 * The string starting at the quote at `i`, decoded. No escapes (a backslash gives up), only
 * well-formed UTF-8 of 1 to 3 bytes, and no U+FFFD (the general path reports that character as
 * a sign of bytes that were not UTF-8).
 */
function string(): string {
  skipSpace();
  const bytes = b;
  const end = n;
  let p = i;
  if (bytes[p] !== QUOTE) throw GIVE_UP;
  const from = ++p;
  // ASCII first: most short strings (ids, brands, speakers) are made from the bytes directly.
  for (;;) {
    if (p >= end) throw GIVE_UP;
    const c = bytes[p] as number;
    if (c === QUOTE) {
      i = p + 1;
      return SLICES ? (buf as unknown as Slices).latin1Slice(from, p) : buf.toString('latin1', from, p);
    }
    if (c < 0x20 || c === 0x5c) throw GIVE_UP;
    if (c >= 0x80) break;
    p++;
  }
  // Not ASCII: decode to UTF-16 units, from the start of the string.
  if (units.length < end) {
    units = new Uint16Array(Math.max(end, units.length * 2));
    unitBytes = Buffer.from(units.buffer);
  }
  const u = units;
  let j = 0;
  for (let k = from; k < p; k++) u[j++] = bytes[k] as number;
  const last3 = end - 2; // a 3-byte sequence may start before this index
  for (;;) {
    if (p >= end) throw GIVE_UP;
    let c = bytes[p] as number;
    // A run of Chinese characters (E1–EC lead bytes: no overlong, surrogate or U+FFFD among them).
    while (c >= 0xe1 && c <= 0xec && p < last3) {
      const c1 = bytes[p + 1] as number;
      const c2 = bytes[p + 2] as number;
      if (((c1 ^ 0x80) | (c2 ^ 0x80)) > 0x3f) throw GIVE_UP; // not both 80–BF
      u[j++] = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
      p += 3;
      c = bytes[p] as number;
    }
    if (p >= end) throw GIVE_UP;
    if (c < 0x80) {
      if (c === QUOTE) {
        i = p + 1;
        return SLICES
          ? (unitBytes as unknown as Slices).ucs2Slice(0, 2 * j)
          : unitBytes.toString('utf16le', 0, 2 * j);
      }
      if (c < 0x20 || c === 0x5c) throw GIVE_UP;
      u[j++] = c;
      p++;
    } else if (c < 0xe0) {
      // 2 bytes: C2–DF, then a continuation byte (C0 and C1 would be overlong).
      if (c < 0xc2 || p + 1 >= end) throw GIVE_UP;
      const c1 = bytes[p + 1] as number;
      if ((c1 & 0xc0) !== 0x80) throw GIVE_UP;
      u[j++] = ((c & 0x1f) << 6) | (c1 & 0x3f);
      p += 2;
    } else if (c < 0xf0) {
      // 3 bytes: E0 needs A0–BF next (else overlong), ED needs 80–9F (else a surrogate).
      if (p >= last3) throw GIVE_UP;
      const c1 = bytes[p + 1] as number;
      const c2 = bytes[p + 2] as number;
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) throw GIVE_UP;
      if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f)) throw GIVE_UP;
      const unit = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
      if (unit === 0xfffd) throw GIVE_UP;
      u[j++] = unit;
      p += 3;
    } else throw GIVE_UP; // 4 bytes (a surrogate pair) or not UTF-8
  }
}

/** A non-blank string, as `isText` in json.ts. */
function text(): string {
  const s = string();
  if (s.trim().length === 0) throw GIVE_UP;
  return s;
}

/**
 * A whole number ≥ 0 written as digits only (no sign, fraction or exponent), short enough to be
 * exact: what JSON.parse gives for it. A time of the file format.
 */
function ms(): number {
  skipSpace();
  const bytes = b;
  const end = n;
  const from = i;
  let p = from;
  let v = 0;
  while (p < end) {
    const c = (bytes[p] as number) - 0x30;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    p++;
  }
  const digits = p - from;
  if (digits === 0 || digits > 15 || (digits > 1 && bytes[from] === 0x30)) throw GIVE_UP;
  const c = bytes[p];
  if (c === 0x2e || c === 0x65 || c === 0x45) throw GIVE_UP; // a fraction or an exponent
  i = p;
  return v;
}

/** Whether the bytes from `from` to `to` are the ASCII `word`. */
function keyIs(from: number, to: number, word: string): boolean {
  if (to - from !== word.length) return false;
  const bytes = b;
  for (let k = 0; k < word.length; k++) if (bytes[from + k] !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * The next key of an object, as its index in `keys`; any other key or an escape gives up.
 * Leaves `i` after the colon. The caller gives up on a repeated key: JSON.parse keeps the last
 * one, which is left to the general path.
 */
function key(keys: readonly string[]): number {
  skipSpace();
  const bytes = b;
  const end = n;
  if (bytes[i] !== QUOTE) throw GIVE_UP;
  const from = i + 1;
  let to = from;
  while (to < end) {
    const c = bytes[to] as number;
    if (c === QUOTE) break;
    if (c < 0x20 || c === 0x5c || c >= 0x80) throw GIVE_UP;
    to++;
  }
  if (to >= end) throw GIVE_UP;
  for (let k = 0; k < keys.length; k++) {
    if (keyIs(from, to, keys[k] as string)) {
      i = to + 1;
      expect(COLON);
      return k;
    }
  }
  throw GIVE_UP;
}

/** One of `words` (ASCII), as the same string constant: no string is made for it. */
function oneOf<T extends string>(words: readonly T[]): T {
  skipSpace();
  const bytes = b;
  const end = n;
  if (bytes[i] !== QUOTE) throw GIVE_UP;
  const from = i + 1;
  let to = from;
  while (to < end && bytes[to] !== QUOTE) to++;
  if (to >= end) throw GIVE_UP;
  for (let k = 0; k < words.length; k++) {
    const w = words[k] as T;
    if (keyIs(from, to, w)) {
      i = to + 1;
      return w;
    }
  }
  throw GIVE_UP;
}

const SPEAKERS = ['agent', 'customer'] as const;
const DIRECTIONS = ['inbound', 'outbound'] as const;

const TURN_KEYS = ['speaker', 'text', 'start', 'end', 'source'];
const EVENT_KEYS = ['type', 'at', 'to', 'by', 'cause'];
const AGENT_KEYS = ['id', 'name'];
// `customer` and `meta` are left to the general path, as `quickCall` leaves them.
const CALL_KEYS = ['id', 'brand', 'direction', 'channel', 'agent', 'startedAt', 'events', 'turns'];

function turn(): Turn {
  expect(OPEN_BRACE);
  let seen = 0;
  let speaker: Turn['speaker'] | undefined;
  let words: string | undefined;
  let start: number | undefined;
  let end: number | undefined;
  let source: Turn['source'];
  skipSpace();
  if (b[i] === CLOSE_BRACE) throw GIVE_UP; // {}: no speaker
  do {
    const k = key(TURN_KEYS);
    if (seen & (1 << k)) throw GIVE_UP;
    seen |= 1 << k;
    if (k === 0) speaker = oneOf(SPEAKERS);
    else if (k === 1) words = text();
    else if (k === 2) start = ms();
    else if (k === 3) end = ms();
    else source = oneOf(TURN_SOURCES);
  } while (more(CLOSE_BRACE));
  if (speaker === undefined || words === undefined) throw GIVE_UP;
  // The order `quickTurn` gives the fields, whatever the line's order. The common turn is made
  // by one literal: its fields stay inside the object, where fields added after it would need
  // a second allocation (and a slower load in the engine).
  if (start !== undefined && end !== undefined && source === undefined)
    return { speaker, text: words, start, end };
  const t: Turn = { speaker, text: words };
  if (start !== undefined) t.start = start;
  if (end !== undefined) t.end = end;
  if (source !== undefined) t.source = source;
  return t;
}

function event(): CallEvent {
  expect(OPEN_BRACE);
  let seen = 0;
  let type: CallEvent['type'] | undefined;
  let at: number | undefined;
  let to: string | undefined;
  let by: CallEvent['by'];
  let cause: CallEvent['cause'];
  skipSpace();
  if (b[i] === CLOSE_BRACE) throw GIVE_UP;
  do {
    const k = key(EVENT_KEYS);
    if (seen & (1 << k)) throw GIVE_UP;
    seen |= 1 << k;
    if (k === 0) type = oneOf(EVENT_TYPES);
    else if (k === 1) at = ms();
    else if (k === 2) to = text();
    else if (k === 3) by = oneOf(SPEAKERS);
    else cause = oneOf(HANGUP_CAUSES);
  } while (more(CLOSE_BRACE));
  if (type === undefined || at === undefined) throw GIVE_UP;
  const e: CallEvent = { type, at };
  if (to !== undefined) e.to = to;
  if (by !== undefined) e.by = by;
  if (cause !== undefined) e.cause = cause;
  return e;
}

function list<T>(item: () => T): T[] {
  expect(OPEN_BRACKET);
  const out: T[] = [];
  skipSpace();
  if (b[i] === CLOSE_BRACKET) {
    i++;
    return out;
  }
  do out.push(item());
  while (more(CLOSE_BRACKET));
  return out;
}

function agent(): { id?: string; name?: string } {
  expect(OPEN_BRACE);
  let seen = 0;
  let id: string | undefined;
  let name: string | undefined;
  skipSpace();
  if (b[i] === CLOSE_BRACE) i++;
  else
    do {
      const k = key(AGENT_KEYS);
      if (seen & (1 << k)) throw GIVE_UP;
      seen |= 1 << k;
      if (k === 0) id = text();
      else name = text();
    } while (more(CLOSE_BRACE));
  const a: { id?: string; name?: string } = {};
  if (id !== undefined) a.id = id;
  if (name !== undefined) a.name = name;
  return a;
}

function call(): Call {
  skipSpace();
  if (b[i] !== OPEN_BRACE) throw GIVE_UP; // also a BOM or a blank line: the general path's
  i++;
  let seen = 0;
  let id: string | undefined;
  let brand: string | undefined;
  let direction: Call['direction'] | undefined;
  let channel: Call['channel'];
  let agentOf: Call['agent'];
  let startedAt: string | undefined;
  let events: CallEvent[] | undefined;
  let turns: Turn[] | undefined;
  skipSpace();
  if (b[i] === CLOSE_BRACE) throw GIVE_UP; // {}: no id
  do {
    const k = key(CALL_KEYS);
    if (seen & (1 << k)) throw GIVE_UP;
    seen |= 1 << k;
    if (k === 0) id = text();
    else if (k === 1) brand = text();
    else if (k === 2) direction = oneOf(DIRECTIONS);
    else if (k === 3) channel = oneOf(CHANNELS);
    else if (k === 4) agentOf = agent();
    else if (k === 5) startedAt = string();
    else if (k === 6) events = list(event);
    else turns = list(turn);
  } while (more(CLOSE_BRACE));
  skipSpace();
  if (i !== n || id === undefined || turns === undefined) throw GIVE_UP;
  if (startedAt !== undefined && !isStartedAt(startedAt)) throw GIVE_UP;
  // The order `quickCall` gives the fields.
  const c: Call = { id, direction: direction ?? 'inbound', events: [], turns: [] };
  if (channel !== undefined) c.channel = channel;
  if (brand !== undefined) c.brand = brand;
  if (agentOf !== undefined) c.agent = agentOf;
  if (startedAt !== undefined) c.startedAt = startedAt;
  if (events !== undefined) c.events = events;
  c.turns = turns;
  return c;
}

/**
 * The call `parseCallJson(JSON.parse(line))` gives before its checks across fields, for the
 * bytes of one .jsonl line (without its \n) of the common shape, well-formed UTF-8 without
 * escapes; else undefined (the general path then reads the line as before).
 */
export function quickCallFromLine(bytes: Uint8Array): Call | undefined {
  if (!LITTLE_ENDIAN) return undefined;
  b = bytes;
  buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  n = bytes.length;
  i = 0;
  try {
    return call();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  } finally {
    b = NO_BYTES; // the line's memory is not held until the next
    buf = NO_BYTES;
  }
}
