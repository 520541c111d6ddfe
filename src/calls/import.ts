// The importer's front door: read call files of any supported format, one result per call,
// so that a batch reports each malformed file or .jsonl line and goes on with the rest.
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { type CallInputError, failure, type ImportResult } from './errors.ts';
import { acceptQuickCall, parseCallJson, parseJsonText } from './json.ts';
import { quickCallFromLine } from './json-line.ts';
import { parseCallTxt } from './text.ts';
import { parseCallVtt } from './vtt.ts';

export type { CallInputError, ImportResult } from './errors.ts';
export { formatCallInputError } from './errors.ts';
export { parseCallJson } from './json.ts';

export type CallFormat = 'json' | 'jsonl' | 'txt' | 'vtt';
export const CALL_FILE_EXTENSIONS = ['.json', '.jsonl', '.txt', '.vtt'] as const;

/** The format a file name says (extension in any case), or undefined. */
export function formatOf(file: string): CallFormat | undefined {
  const ext = extname(file).toLowerCase();
  return (CALL_FILE_EXTENSIONS as readonly string[]).includes(ext) ? (ext.slice(1) as CallFormat) : undefined;
}

const stripBom = (s: string) => (s.startsWith('\uFEFF') ? s.slice(1) : s);

/** Parses one call from text already in memory, by format. */
export function parseCallText(text: string, format: 'json' | 'txt' | 'vtt', file: string): ImportResult {
  const body = stripBom(text);
  switch (format) {
    case 'json': {
      const parsed = parseJsonText(body);
      if (!parsed.ok) {
        return failure([
          {
            file,
            line: parsed.line,
            message: `invalid JSON: ${parsed.message} (line ${parsed.line}, column ${parsed.column})`,
          },
        ]);
      }
      return parseCallJson(parsed.value, file);
    }
    case 'txt':
      return parseCallTxt(body, file);
    case 'vtt':
      return parseCallVtt(body, file);
  }
}

function ioMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a call file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot read: ${e instanceof Error ? e.message : String(e)}`;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a whole file as UTF-8 (a BOM is dropped), or says why it cannot. */
function decode(bytes: Uint8Array): { ok: true; text: string } | { ok: false; message: string } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, message: 'found UTF-16 text; expected UTF-8 (save the file as UTF-8)' };
  }
  try {
    return { ok: true, text: stripBom(UTF8.decode(bytes)) };
  } catch {
    return {
      ok: false,
      message: 'found bytes that are not UTF-8 (GBK?); expected UTF-8 (save the file as UTF-8)',
    };
  }
}

/** Streams the calls of one file (a .jsonl file is read line by line, never whole into memory). */
export function readCallFile(path: string): AsyncIterable<ImportResult> {
  // A .jsonl file's generator is handed out itself: delegating to it from another async
  // generator (yield*) would cost a second round of promises per call.
  return formatOf(path) === 'jsonl' ? readJsonLines(path) : readWholeFile(path);
}

async function* readWholeFile(path: string): AsyncGenerator<ImportResult> {
  const format = formatOf(path);
  if (!format) {
    yield failure([
      {
        file: path,
        message: `found the file type "${extname(path) || '(none)'}"; expected one of: ${CALL_FILE_EXTENSIONS.join(', ')}`,
      },
    ]);
    return;
  }
  if (format === 'jsonl') {
    yield* readJsonLines(path);
    return;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    yield failure([{ file: path, message: ioMessage(e) }]);
    return;
  }
  const decoded = decode(bytes);
  if (!decoded.ok) {
    yield failure([{ file: path, message: decoded.message }]);
    return;
  }
  yield parseCallText(decoded.text, format, path);
}

// Code units of the line being decoded (grown as lines need), and the same memory as bytes.
let units = new Uint16Array(1 << 15);
let unitBytes = Buffer.from(units.buffer);
// The units are handed to Buffer as UTF-16LE: only where the machine stores them so.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The text of a line's bytes when they are well-formed UTF-8 of characters in the Basic
 * Multilingual Plane (sequences of 1 to 3 bytes) without a carriage return; otherwise
 * undefined, and the caller decodes with TextDecoder (U+FFFD for bad bytes, pairs for
 * 4-byte sequences, lines split at \r). For a line of Chinese text this loop is about twice as
 * fast as TextDecoder's decoding; both give the same string (held equal by a test).
 */
export function quickDecodeLine(b: Uint8Array): string | undefined {
  const n = b.length;
  if (!LITTLE_ENDIAN) return undefined;
  if (units.length < n) {
    units = new Uint16Array(Math.max(n, units.length * 2));
    unitBytes = Buffer.from(units.buffer);
  }
  const u = units;
  const last3 = n - 2; // a 3-byte sequence may start before this index
  let i = 0;
  let j = 0;
  while (i < n) {
    let c = b[i] as number;
    // A run of Chinese characters (E1–EC lead bytes: no overlong or surrogate among them).
    while (c >= 0xe1 && c <= 0xec && i < last3) {
      const c1 = b[i + 1] as number;
      const c2 = b[i + 2] as number;
      if (((c1 ^ 0x80) | (c2 ^ 0x80)) > 0x3f) return undefined; // not both 80–BF
      u[j++] = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
      i += 3;
      c = b[i] as number;
    }
    if (i >= n) break;
    if (c < 0x80) {
      if (c === 0x0d) return undefined;
      u[j++] = c;
      i++;
    } else if (c < 0xe0) {
      // 2 bytes: C2–DF, then a continuation byte (C0 and C1 would be overlong).
      if (c < 0xc2 || i + 1 >= n) return undefined;
      const c1 = b[i + 1] as number;
      if ((c1 & 0xc0) !== 0x80) return undefined;
      u[j++] = ((c & 0x1f) << 6) | (c1 & 0x3f);
      i += 2;
    } else if (c < 0xf0) {
      // 3 bytes: E0 needs A0–BF next (else overlong), ED needs 80–9F (else a surrogate).
      if (i >= last3) return undefined;
      const c1 = b[i + 1] as number;
      const c2 = b[i + 2] as number;
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return undefined;
      if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f)) return undefined;
      u[j++] = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
      i += 3;
    } else return undefined;
  }
  return unitBytes.toString('utf16le', 0, 2 * j);
}

/**
 * The lines of a byte stream as readline gives them (`\n`, `\r\n` and a lone `\r` end a
 * line; a last line without an end is a line), each decoded as UTF-8 with U+FFFD for bytes
 * that are not. Split on the bytes and decoded line by line: about a third of what readline
 * costs per megabyte (its decoder, then a regular expression over every chunk).
 */
export async function* byteLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  // A BOM is a character of the first line here (the caller strips it), as with readline.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  for await (const pieces of linePieces(chunks)) {
    for (const piece of pieces) yield* linesOf(piece, decoder);
  }
}

/**
 * The bytes of each line (up to its \n) of a chunk, together: a step of an async generator
 * costs promises and a turn of the microtask queue, once per chunk here instead of once per
 * line. Views of the chunk, decoded only when the line's turn comes (`linesOf`), so that the
 * lines of a whole chunk are not all held as strings while the first is inspected.
 */
async function* linePieces(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Uint8Array[]> {
  let pending: Uint8Array[] = [];
  for await (const chunk of chunks) {
    const out: Uint8Array[] = [];
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
      const piece = chunk.subarray(from, nl);
      if (pending.length > 0) {
        pending.push(piece);
        out.push(Buffer.concat(pending));
        pending = [];
      } else out.push(piece);
      from = nl + 1;
    }
    // A copy: the chunk's memory is read into again once its lines are taken.
    if (from < chunk.length) pending.push(Buffer.from(chunk.subarray(from)));
    if (out.length > 0) yield out;
  }
  if (pending.length > 0) {
    const rest = Buffer.concat(pending);
    // readline: a lone \r at the very end ends the last line; nothing follows it.
    if (rest.length > 0) yield [rest];
  }
}

/** The line (or lines, split at a lone \r) of one piece of bytes without its \n. */
function linesOf(bytes: Uint8Array, decoder: { decode(b: Uint8Array): string }): readonly string[] {
  const quick = quickDecodeLine(bytes);
  if (quick !== undefined) return [quick];
  let line = decoder.decode(bytes);
  if (line.endsWith('\r')) line = line.slice(0, -1);
  return line.includes('\r') ? line.split('\r') : [line];
}

/** The call of one non-blank .jsonl line, or what is wrong with it. */
function lineResult(line: string, path: string, lineNo: number): ImportResult {
  if (line.includes('\uFFFD')) {
    return failure([
      {
        file: path,
        line: lineNo,
        message: 'found bytes that are not UTF-8 (GBK?); expected UTF-8 (save the file as UTF-8)',
      },
    ]);
  }
  const parsed = parseJsonText(line);
  if (!parsed.ok) {
    return failure([
      {
        file: path,
        line: lineNo,
        message: `invalid JSON: ${parsed.message} (column ${parsed.column})`,
      },
    ]);
  }
  return parseCallJson(parsed.value, path, lineNo);
}

/** Bytes read from a JSON Lines file at a time. */
const CHUNK_BYTES = 256 * 1024;

/**
 * The bytes of an open file, a chunk at a time, read on this thread. A read stream's reads wait
 * for a thread of libuv's pool: on a loaded machine that thread was at times not scheduled while
 * the inspection had nothing left to read (idle for 3.6% of a 20,000-call run, in bursts of a
 * tenth of a second), where a read from the page cache takes tens of microseconds. A read error
 * is thrown, and kept in `failed.error` to tell it from other errors.
 *
 * Every chunk is read into the same memory: the caller is done with a chunk's lines (and has
 * copied its unfinished last line) before it asks for the next. A new buffer per chunk cost
 * the kernel fresh pages to map and zero, and the collector external memory to account for.
 */
function* fileChunks(fd: number, failed: { error?: unknown }): Generator<Uint8Array> {
  const buf = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, CHUNK_BYTES, null);
    } catch (e) {
      failed.error = e;
      throw e;
    }
    if (n === 0) return;
    yield buf.subarray(0, n);
  }
}

async function* readJsonLines(path: string): AsyncGenerator<ImportResult> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    yield failure([{ file: path, message: ioMessage(e) }]);
    return;
  }
  const failed: { error?: unknown } = {};
  let lineNo = 0;
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  try {
    for await (const pieces of linePieces(fileChunks(fd, failed))) {
      for (const piece of pieces) {
        // A line of the common shape, read from its bytes; anything else as below.
        const quick = quickCallFromLine(piece);
        if (quick !== undefined) {
          const accepted = acceptQuickCall(quick, path, ++lineNo);
          yield accepted ?? lineResult(linesOf(piece, decoder)[0] as string, path, lineNo);
          continue;
        }
        for (const raw of linesOf(piece, decoder)) {
          lineNo++;
          const line = lineNo === 1 ? stripBom(raw) : raw;
          if (line.trim() === '') continue;
          yield lineResult(line, path, lineNo);
        }
      }
    }
  } catch (e) {
    // A read error ends the file (reported below); anything else is not the file's fault.
    if (e !== failed.error) throw e;
  } finally {
    closeSync(fd);
  }
  if (failed.error !== undefined) {
    yield failure([
      { file: path, line: lineNo || undefined, message: `${ioMessage(failed.error)} (reading stopped here)` },
    ]);
  }
}

/**
 * Expands files, directories (recursively, only call files, skipping hidden ones) and globs
 * into a sorted, de-duplicated file list. A path or glob that gives no call file is an error.
 * Paths come back as given: relative to the working directory, or absolute when given so.
 */
export async function expandInputs(
  patterns: string[],
): Promise<{ files: string[]; errors: CallInputError[] }> {
  const cwd = process.cwd();
  const found = new Map<string, string>(); // absolute path → path as shown
  const errors: CallInputError[] = [];
  const add = (abs: string, absoluteStyle: boolean) => {
    if (!found.has(abs)) found.set(abs, absoluteStyle ? abs : relative(cwd, abs) || '.');
  };
  const isCallFile = (p: string) => formatOf(p) !== undefined;

  for (const pattern of patterns) {
    const absoluteStyle = isAbsolute(pattern);
    const abs = resolve(cwd, pattern);
    let info: Awaited<ReturnType<typeof stat>> | undefined;
    try {
      info = await stat(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        errors.push({ file: pattern, message: ioMessage(e) });
        continue;
      }
    }
    if (info?.isDirectory()) {
      const inside = await glob('**/*', { cwd: abs, absolute: true, onlyFiles: true, dot: false });
      const calls = inside.filter(isCallFile);
      if (calls.length === 0) {
        errors.push({
          file: pattern,
          message: `found no call files in this directory; expected ${CALL_FILE_EXTENSIONS.join(', ')} files`,
        });
      }
      for (const f of calls) add(resolve(f), absoluteStyle);
    } else if (info) {
      if (isCallFile(abs)) add(abs, absoluteStyle);
      else {
        errors.push({
          file: pattern,
          message: `found the file type "${extname(abs) || '(none)'}"; expected one of: ${CALL_FILE_EXTENSIONS.join(', ')}`,
        });
      }
    } else if (isDynamicPattern(pattern)) {
      const matches = await glob(pattern, { cwd, absolute: true, onlyFiles: true, expandDirectories: false });
      const calls = matches.filter(isCallFile);
      if (calls.length === 0) {
        errors.push({
          file: pattern,
          message: `matches no call file; expected the pattern to match ${CALL_FILE_EXTENSIONS.join(', ')} files`,
        });
      }
      for (const f of calls) add(resolve(f), absoluteStyle);
    } else {
      errors.push({ file: pattern, message: 'no such file or directory' });
    }
  }
  const files = [...found.values()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, errors };
}
