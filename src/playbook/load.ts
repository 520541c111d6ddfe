// Reads a playbook file: YAML syntax, then the schema, then the cross-field rules. Every
// problem is reported with file, line, column and field path, and a file with any problem
// yields no playbook at all (never half-loaded).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Document, isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { PlaybookError, type PlaybookIssue } from './errors.ts';
import { type PlaybookFile, playbookFileSchema } from './schema.ts';
import { crossFieldIssues } from './validate.ts';

export type Playbook = PlaybookFile & { file: string };
export type Scenario = Playbook['scenarios'][number];

type PathKey = string | number;

/** The folder of playbooks shipped with Huashu. */
export const SHIPPED_PLAYBOOK_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../playbooks');

export function pathToString(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  }
  return out;
}

/** Locates a field path in the YAML document: the value's node, or the closest parent that exists. */
function locate(doc: Document, lines: LineCounter, path: readonly PathKey[], atKey?: string) {
  let node: unknown = doc.contents;
  for (const key of path) {
    if (isMap(node)) {
      const next = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!next) break;
      node = next.value ?? next.key;
    } else if (isSeq(node) && typeof key === 'number' && node.items[key] !== undefined) {
      node = node.items[key];
    } else break;
  }
  if (atKey !== undefined && isMap(node)) {
    const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === atKey);
    if (pair?.key) node = pair.key;
  }
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return { line: 1, column: 1 };
  const pos = lines.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `required field is missing (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${issue.input === null ? 'null' : typeof issue.input}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')} (check the spelling; see playbooks/README.md for the fields)`;
    case 'invalid_value':
      return `got ${JSON.stringify(issue.input)}; expected one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

/** Parses and validates playbook text; throws PlaybookError listing every problem. */
export function parsePlaybook(text: string, file: string): Playbook {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const issues: PlaybookIssue[] = [];
  for (const err of [...doc.errors, ...doc.warnings]) {
    const pos = lines.linePos(err.pos[0]);
    issues.push({
      file,
      line: pos.line,
      column: pos.col,
      path: '',
      message: `YAML syntax: ${err.message.split('\n')[0]}`,
    });
  }
  if (issues.length > 0) throw new PlaybookError(issues);
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) {
    throw new PlaybookError([
      { file, line: 0, column: 0, path: '', message: 'the file is empty; expected a playbook (see playbooks/README.md)' },
    ]);
  }
  const parsed = playbookFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
      const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      const pos = locate(doc, lines, path, key);
      issues.push({ file, ...pos, path: pathToString(path), message: describeZodIssue(issue) });
    }
    throw new PlaybookError(issues);
  }
  for (const problem of crossFieldIssues(parsed.data)) {
    issues.push({ file, ...locate(doc, lines, problem.path), path: pathToString(problem.path), message: problem.message });
  }
  if (issues.length > 0) throw new PlaybookError(issues);
  return { ...parsed.data, file };
}

export function loadPlaybookFile(path: string): Playbook {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new PlaybookError([{ file: path, line: 0, column: 0, path: '', message: `cannot read the file: ${reason}` }]);
  }
  return parsePlaybook(text, path);
}

/** Loads every `*.yaml` playbook of a folder; brand ids must be unique across them. */
export function loadPlaybookDir(dir: string = SHIPPED_PLAYBOOK_DIR): Playbook[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  const playbooks = files.map((f) => loadPlaybookFile(join(dir, f)));
  const seen = new Map<string, string>();
  for (const pb of playbooks) {
    const other = seen.get(pb.brand.id);
    if (other) {
      throw new PlaybookError([
        {
          file: pb.file,
          line: 0,
          column: 0,
          path: 'brand.id',
          message: `brand id '${pb.brand.id}' is already used by ${basename(other)}`,
        },
      ]);
    }
    seen.set(pb.brand.id, pb.file);
  }
  return playbooks;
}
