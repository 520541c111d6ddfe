// What the importer hands back: a call, or one located problem (plus any further problems
// found in the same call), so that a batch reports a malformed file and goes on.
import type { Call } from './model.ts';

/** One problem in a call file, located precisely enough to fix it. */
export interface CallInputError {
  file: string;
  /** 1-based line in the file: the line of a .jsonl record, or where a text/VTT/JSON problem is. */
  line?: number;
  /** Field path such as `turns[3].speaker` (JSON input only). */
  path?: string;
  /** What was found and what is expected. */
  message: string;
}

export type ImportResult =
  | { ok: true; call: Call; file: string; line?: number }
  | {
      ok: false;
      /** The first problem. */
      error: CallInputError;
      /** Further problems found in the same call (a call with any problem is not imported). */
      more?: CallInputError[];
    };

/** `file:line path: message`, the form the CLI prints. */
export function formatCallInputError(error: CallInputError): string {
  const where = error.line !== undefined ? `${error.file}:${error.line}` : error.file;
  return error.path ? `${where} ${error.path}: ${error.message}` : `${where}: ${error.message}`;
}

/** Turns a list of problems (at least one) into a failed result. */
export function failure(errors: readonly CallInputError[]): ImportResult {
  const [first, ...rest] = errors;
  if (!first) throw new Error('failure() needs at least one error');
  return rest.length > 0 ? { ok: false, error: first, more: rest } : { ok: false, error: first };
}

/** A short, readable rendering of a found value for error messages. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return value.trim() === '' ? `${JSON.stringify(value)} (blank)` : JSON.stringify(shown);
  }
  return `${typeof value} ${String(value)}`;
}
