// Reads a YAML data file (a playbook, a scorecard) against a zod schema and reports every
// problem with file, line, column and field path. Shared by every file format Huashu loads.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import { cachedData, rememberData, textKey } from './parse-cache.ts';

/** One problem in a data file, located precisely enough to fix it. */
export interface FileIssue {
  file: string;
  /** 1-based line and column; 0 when the problem has no single place (an empty file). */
  line: number;
  column: number;
  /** Field path such as `scenarios[3].lines[0].text`; empty for the document itself. */
  path: string;
  message: string;
  /** The message in Chinese, when it has one (the API's readers get it; the CLI prints English). */
  zh?: string;
}

const message = (d: { en: string; zh?: string }) => ({ message: d.en, ...(d.zh ? { zh: d.zh } : {}) });

export type PathKey = string | number;

export interface CrossFieldIssue {
  path: PathKey[];
  message: string;
}

export function formatIssue(issue: FileIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

export function pathToString(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  }
  return out;
}

/** Base of the typed errors thrown for invalid data files: the file loads whole or not at all. */
export class DataFileError extends Error {
  readonly issues: readonly FileIssue[];

  constructor(what: string, issues: readonly FileIssue[]) {
    const shown = issues.slice(0, 20).map(formatIssue);
    const more = issues.length > 20 ? [`… and ${issues.length - 20} more`] : [];
    super(
      `invalid ${what} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${[...shown, ...more].join('\n')}`,
    );
    this.issues = issues;
  }
}

// The yaml parser takes ~50 ms to load: loaded only when a text is not in the parse cache
// (the shipped files are, in the build) or an issue needs its line and column.
let yamlModule: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yamlModule;
}

/**
 * Locates a field path in the YAML document: the value's node, or the closest parent that exists.
 * `written` is the value as typed when the path leads to a scalar (YAML reads 01012345 as 1012345).
 */
function locate(
  doc: Document,
  lines: LineCounter,
  path: readonly PathKey[],
  atKey?: string,
  text?: string,
): { line: number; column: number; written?: string } {
  const { isMap, isSeq, isScalar } = yaml();
  let node: unknown = doc.contents;
  let found = true;
  for (const key of path) {
    if (isMap(node)) {
      const next = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!next) {
        found = false;
        break;
      }
      node = next.value ?? next.key;
    } else if (isSeq(node) && typeof key === 'number' && node.items[key] !== undefined) {
      node = node.items[key];
    } else {
      found = false;
      break;
    }
  }
  if (atKey !== undefined && isMap(node)) {
    const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === atKey);
    if (pair?.key) node = pair.key;
  }
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return { line: 1, column: 1 };
  const pos = lines.linePos(range[0]);
  const written =
    found && atKey === undefined && text !== undefined && isScalar(node)
      ? text.slice(range[0], range[1])
      : undefined;
  return { line: pos.line, column: pos.col, ...(written !== undefined ? { written } : {}) };
}

/** A problem in both languages; `zh` absent: the English serves both (a schema's own words). */
interface Described {
  en: string;
  zh?: string;
}

const TYPE_ZH: Record<string, string> = {
  number: '数字',
  int: '整数',
  string: '文字',
  array: '列表',
  object: '字段表',
  boolean: '布尔值',
  null: '空值',
};
const typeZh = (t: string) => TYPE_ZH[t] ?? t;

/** What the writer typed at the issue's place, and whether the field takes whole numbers only. */
interface Written {
  /** The value as typed (a YAML number loses a leading 0, trailing zeros and digits past 2^53). */
  text?: string;
  wholeOnly?: boolean;
}

/**
 * How to fix a value of the wrong type that a writer commonly types: a number in full-width
 * digits or quoted (YAML reads text), a hotline number where text is expected (YAML reads a
 * number: 10086 as an alias).
 */
function typeHint(expected: string, input: unknown, written: Written): Described | undefined {
  if ((expected === 'number' || expected === 'int') && typeof input === 'string') {
    const half = input.normalize('NFKC').trim();
    if (half !== '' && Number.isFinite(Number(half)))
      return written.wholeOnly && !Number.isInteger(Number(half))
        ? {
            en: `: write a whole number without quotes in half-width digits (${half} is not one)`,
            zh: `：请写不带引号的半角整数（${half} 不是整数）`,
          }
        : {
            en: `: write the number without quotes in half-width digits: ${half}`,
            zh: `：请写不带引号的半角数字：${half}`,
          };
  }
  if (expected === 'string' && typeof input === 'number') {
    const typed = written.text ?? String(input);
    return { en: `: put it in quotes: "${typed}"`, zh: `：请加引号写成文字："${typed}"` };
  }
  return undefined;
}

/** The Chinese of a docs hint ("see playbooks/README.md for the format" → 参见 playbooks/README.md). */
const docsZh = (hint: string) => {
  const file = /^see (\S+)/.exec(hint)?.[1];
  return file ? `参见 ${file}` : hint;
};

/**
 * Whether the schema would still refuse the field as a number that is not whole (`"3.5"` for
 * ringsToAnswer): the value put in as a number and the data checked again. Only on a refusal.
 */
function wantsWholeNumber(
  schema: z.ZodType,
  data: unknown,
  path: readonly PathKey[],
  value: number,
): boolean {
  if (Number.isInteger(value) || path.length === 0) return false;
  const copy = structuredClone(data) as Record<PathKey, unknown>;
  let parent: Record<PathKey, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<PathKey, unknown>;
  parent[path[path.length - 1] as PathKey] = value;
  const again = schema.safeParse(copy);
  const at = pathToString(path);
  return (
    !again.success &&
    again.error.issues.some(
      (i) =>
        i.code === 'invalid_type' &&
        i.expected === 'int' &&
        pathToString(i.path.filter((k): k is PathKey => typeof k !== 'symbol')) === at,
    )
  );
}

function describeZodIssue(issue: z.core.$ZodIssue, docsHint: string, written: Written = {}): Described {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined)
        return {
          en: `required field is missing (expected ${issue.expected})`,
          zh: `缺少必填字段（应为${typeZh(issue.expected)}）`,
        };
      const got = issue.input === null ? 'null' : Array.isArray(issue.input) ? 'array' : typeof issue.input;
      const hint = typeHint(issue.expected, issue.input, written);
      return {
        en: `expected ${issue.expected}, got ${got}${hint?.en ?? ''}`,
        zh: `应为${typeZh(issue.expected)}，实际是${typeZh(got)}${hint?.zh ?? ''}`,
      };
    }
    case 'unrecognized_keys': {
      const keys = issue.keys.map((k) => `'${k}'`).join(', ');
      return {
        en: `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys} (check the spelling; ${docsHint})`,
        zh: `未知字段 ${keys}（请检查拼写；${docsZh(docsHint)}）`,
      };
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v)).join(', ');
      return {
        en: `got ${JSON.stringify(issue.input)}; expected one of: ${values}`,
        zh: `收到 ${JSON.stringify(issue.input)}；应为以下之一：${values}`,
      };
    }
    case 'invalid_union':
      return issue.message === 'Invalid input'
        ? { en: `not a valid entry here (${docsHint})`, zh: `此处的写法无效（${docsZh(docsHint)}）` }
        : { en: issue.message };
    case 'too_small':
    case 'too_big':
      return { en: issue.message, ...boundZh(issue) };
    default:
      return { en: issue.message };
  }
}

/** zod's own message for a bound (a schema's own words are kept as they are). */
function boundZh(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): { zh?: string } {
  if (issue.message === 'must not be empty') return { zh: '不能为空' };
  if (!/^Too (small|big):/.test(issue.message)) return {};
  const small = issue.code === 'too_small';
  const bound = Number(
    small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum,
  );
  const unit = issue.origin === 'string' ? ' 个字符' : issue.origin === 'array' ? ' 项' : undefined;
  if (unit) return { zh: `${small ? '至少' : '最多'} ${bound}${unit}` };
  if (issue.origin !== 'number' && issue.origin !== 'int') return {};
  const inclusive = issue.inclusive !== false;
  return {
    zh: small
      ? inclusive
        ? `不能小于 ${bound}`
        : `应大于 ${bound}`
      : inclusive
        ? `不能大于 ${bound}`
        : `应小于 ${bound}`,
  };
}

export interface ValidatedYamlOptions<S extends z.ZodType> {
  file: string;
  schema: S;
  /** The typed error to throw, e.g. issues => new PlaybookError(issues). */
  error: (issues: FileIssue[]) => Error;
  /** Where the format is documented, named in unknown-field messages. */
  docsHint: string;
  /** Rules that need the whole, schema-valid document. */
  crossField?: (data: z.output<S>) => CrossFieldIssue[];
}

const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true } as const;

/** Whether a text holds a character beyond ASCII (Chinese text, say). */
function nonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return true;
  return false;
}

/**
 * Plain items of a flow list written with a comma and no space between them: `[您好,请问]` is
 * two items to YAML, but Chinese writers type an ASCII comma inside a phrase, so the list would
 * silently hold other phrases than the writer's. Refused; the writer quotes the phrase (or
 * writes the full-width ，, which the text matching folds to the same comma, or uses a block
 * list) or puts a space after the comma. Only a run with a non-ASCII item (Chinese text) is refused: ASCII
 * runs (`[1,2]`, `[mon,tue]`, `[phone,chat]`, `[2026-10-01,2026-10-02]`) are lists of values the
 * schema checks, and quoting them as one would make them invalid.
 */
export function flowCommaIssues(doc: Document, lines: LineCounter, text: string): Omit<FileIssue, 'file'>[] {
  const { visit, isScalar, isSeq, isPair } = yaml();
  const out: Omit<FileIssue, 'file'>[] = [];
  const plain = (node: unknown) =>
    isScalar(node) && node.type === 'PLAIN' && node.range ? { node, range: node.range } : undefined;
  visit(doc, {
    Seq(_key, seq, ancestors) {
      if (!seq.flow) return;
      let run: NonNullable<ReturnType<typeof plain>>[] = [];
      const flush = () => {
        const first = run[0];
        const last = run[run.length - 1];
        if (
          first &&
          last &&
          run.length > 1 &&
          run.some((r) => typeof r.node.value === 'string' && nonAscii(r.node.value))
        ) {
          const written = text.slice(first.range[0], last.range[1]);
          const items = run.map((r) => JSON.stringify(String(r.node.value)));
          const pos = lines.linePos(first.range[0]);
          out.push({
            line: pos.line,
            column: pos.col,
            path: pathToString([...pathOf(ancestors, seq), seq.items.indexOf(first.node)]),
            message:
              `${written} reads as ${run.length} items (${items.join(', ')}): in a [ ] list a comma with no space after it separates items. ` +
              `If it is one phrase, quote it: "${written}" (or write the full-width comma: ${run.map((r) => text.slice(r.range[0], r.range[1])).join('，')}, which matches the same, or put it on its own line of a - list); ` +
              `if ${run.length} items are meant, put a space after each comma: ${run.map((r) => text.slice(r.range[0], r.range[1])).join(', ')}`,
          });
        }
        run = [];
      };
      for (const item of seq.items) {
        const cur = plain(item);
        const prev = run[run.length - 1];
        if (cur && prev && text[cur.range[0] - 1] === ',') run.push(cur);
        else {
          flush();
          if (cur) run.push(cur);
        }
      }
      flush();
    },
  });
  return out;

  // The field path of a node from the visitor's ancestors (a map's pair gives its key).
  function pathOf(ancestors: readonly unknown[], node: unknown): PathKey[] {
    const path: PathKey[] = [];
    ancestors.forEach((parent, i) => {
      const child = ancestors[i + 1] ?? node;
      if (isSeq(parent)) path.push(parent.items.indexOf(child as never));
      else if (isPair(parent) && parent.value === child) {
        const key = isScalar(parent.key) ? parent.key.value : parent.key;
        path.push(typeof key === 'number' ? key : String(key));
      }
    });
    return path;
  }
}
const TO_JS_OPTIONS = { maxAliasCount: 100 } as const;

/**
 * The data of a YAML text that parses without an error or a warning, else undefined: what the
 * build stores for the shipped files (see parse-cache.ts), read exactly as parseValidatedYaml reads.
 */
export function cleanYamlData(text: string): unknown {
  const doc = yaml().parseDocument(text, YAML_OPTIONS);
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  if (flowCommaIssues(doc, new (yaml().LineCounter)(), text).length > 0) return undefined;
  return doc.toJS(TO_JS_OPTIONS) ?? undefined;
}

/** Parses and validates YAML text; throws the given error listing every problem. */
export function parseValidatedYaml<S extends z.ZodType>(
  text: string,
  opts: ValidatedYamlOptions<S>,
): z.output<S> {
  const { file } = opts;
  const cacheKey = textKey(text);
  let data: unknown = cachedData(cacheKey);
  // The document gives the line and column of an issue; a text whose data came from the cache
  // is parsed again only when there is an issue to place.
  let parsedDoc: { doc: Document; lines: LineCounter } | undefined;
  const parsedText = () => {
    if (!parsedDoc) {
      const lines = new (yaml().LineCounter)();
      parsedDoc = { doc: yaml().parseDocument(text, { ...YAML_OPTIONS, lineCounter: lines }), lines };
    }
    return parsedDoc;
  };
  const issues: FileIssue[] = [];
  if (data === undefined) {
    const { doc, lines } = parsedText();
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
    if (issues.length > 0) throw opts.error(issues);
    for (const issue of flowCommaIssues(doc, lines, text)) issues.push({ file, ...issue });
    if (issues.length > 0) throw opts.error(issues);
    data = doc.toJS(TO_JS_OPTIONS);
    if (data === null || data === undefined) {
      throw opts.error([
        { file, line: 0, column: 0, path: '', message: `the file is empty (${opts.docsHint})` },
      ]);
    }
    rememberData(cacheKey, data);
  }
  const parsed = opts.schema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
      const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      const { written, ...place } = locate(parsedText().doc, parsedText().lines, path, key, text);
      const half =
        typeof issue.input === 'string' ? Number(issue.input.normalize('NFKC').trim()) : Number.NaN;
      const wholeOnly =
        issue.code === 'invalid_type' &&
        Number.isFinite(half) &&
        wantsWholeNumber(opts.schema, data, path, half);
      issues.push({
        file,
        ...place,
        path: pathToString(path),
        ...message(
          describeZodIssue(issue, opts.docsHint, {
            ...(written !== undefined ? { text: written } : {}),
            wholeOnly,
          }),
        ),
      });
    }
    throw opts.error(issues);
  }
  for (const problem of opts.crossField?.(parsed.data) ?? []) {
    const { line, column } = locate(parsedText().doc, parsedText().lines, problem.path);
    issues.push({
      file,
      line,
      column,
      path: pathToString(problem.path),
      message: problem.message,
    });
  }
  if (issues.length > 0) throw opts.error(issues);
  return parsed.data;
}
