// Input checks every route gets, whatever its schema says:
// - the validator compiler: zod, with querystring objects strict (an unknown parameter is a
//   400 naming it and listing the accepted ones, so a misspelt filter never silently widens a
//   search), and messages in Chinese and English;
// - a preValidation hook that refuses text PostgreSQL cannot store or that would be changed
//   on the way (NUL, lone surrogates) in the body, the query string and the route parameters,
//   and any query parameter on a route that takes none.
import type { FastifyRequest } from 'fastify';
import type { FastifySchemaCompiler } from 'fastify/types/schema.js';
import { z } from 'zod';
import { AppError, type ErrorDetail } from '../shared/errors.ts';
import { chineseIssue, translate } from './language.ts';

type Part = 'body' | 'querystring' | 'params' | 'headers';

const PART_ZH: Record<Part, string> = {
  body: '请求内容有误',
  querystring: '查询参数有误',
  params: '路径参数有误',
  headers: '请求头有误',
};

/** The API's validation error: every problem with its field path, in both languages. */
export function validationError(part: string, details: ErrorDetail[]): AppError {
  const zhPart = PART_ZH[part as Part] ?? '请求有误';
  return new AppError(
    'validation',
    {
      en: `invalid ${part}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      zh: `${zhPart}：${details.map((d) => `${d.path}：${d.zh ?? d.message}`).join('；')}`,
    },
    details,
  );
}

// ---- the validator compiler ----

type AnySchema = z.ZodType;

function def(schema: AnySchema): Record<string, unknown> {
  return (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
}

/** An object schema without a catchall becomes strict (querystrings: unknown parameters are refused). */
function strict(schema: AnySchema): AnySchema {
  if (schema instanceof z.ZodObject && def(schema).catchall === undefined) return schema.strict();
  return schema;
}

/** The object schema at a path (through optional, nullable, default, pipes, arrays), if one. */
function objectAt(schema: AnySchema, path: readonly PropertyKey[]): z.ZodObject | undefined {
  let s: AnySchema | undefined = schema;
  let i = 0;
  for (let guard = 0; s && guard < 100; guard++) {
    const d = def(s);
    if (d.type === 'optional' || d.type === 'nullable' || d.type === 'default' || d.type === 'prefault')
      s = d.innerType as AnySchema;
    else if (d.type === 'pipe') s = d.in as AnySchema;
    else if (i === path.length) return s instanceof z.ZodObject ? s : undefined;
    else if (s instanceof z.ZodObject) s = s.shape[String(path[i++])] as AnySchema | undefined;
    else if (d.type === 'array') {
      s = d.element as AnySchema;
      i++;
    } else return undefined;
  }
  return undefined;
}

const dotted = (part: string, path: readonly PropertyKey[]) => [part, ...path.map(String)].join('.');

function detailsOf(part: string, schema: AnySchema, en: z.core.$ZodIssue[], zh: z.core.$ZodIssue[]) {
  const details: ErrorDetail[] = [];
  en.forEach((issue, n) => {
    // An unknown query parameter is named in its path, with the accepted ones (a body's unknown
    // fields keep zod's path and message: the object, naming the keys).
    if (issue.code === 'unrecognized_keys' && part === 'querystring') {
      const accepted = Object.keys(objectAt(schema, issue.path)?.shape ?? {});
      const what =
        part === 'querystring' ? { en: 'query parameter', zh: '查询参数' } : { en: 'field', zh: '字段' };
      for (const key of issue.keys) {
        details.push({
          path: dotted(part, [...issue.path, key]),
          message: accepted.length
            ? `unknown ${what.en}; accepted: ${accepted.join(', ')}`
            : `unknown ${what.en}; none is accepted here`,
          zh: accepted.length
            ? `未知${what.zh}；可用的有：${accepted.join(', ')}`
            : `未知${what.zh}；此处不接受任何${what.zh}`,
        });
      }
      return;
    }
    const message = issue.message ?? 'invalid';
    const other = zh[n]?.message;
    // A custom issue carries its Chinese in params.zh; a schema's own message is the same in
    // both parses, and its Chinese is registered with bilingual().
    const given = (issue as { params?: { zh?: unknown } }).params?.zh;
    const chinese =
      typeof given === 'string' ? given : other && other !== message ? other : translate(message, 'zh');
    details.push({
      path: dotted(part, issue.path),
      message,
      ...(chinese !== message ? { zh: chinese } : {}),
    });
  });
  return details;
}

/** zod validation for every route, with strict querystrings and messages in both languages. */
export const validatorCompiler: FastifySchemaCompiler<AnySchema> = ({ schema, httpPart }) => {
  const part = httpPart ?? 'request';
  const s = part === 'querystring' ? strict(schema) : schema;
  return (data: unknown) => {
    const r = s.safeParse(data);
    if (r.success) return { value: r.data };
    // Errors are rare: parse again to get zod's own messages in Chinese.
    const zh = s.safeParse(data, { error: (issue) => chineseIssue(issue as never) });
    return { error: validationError(part, detailsOf(part, s, r.error.issues, zh.error?.issues ?? [])) };
  };
};

// ---- text that cannot be stored as sent ----

// NUL (PostgreSQL text refuses it) and a surrogate without its pair (stored as U+FFFD: the
// text would silently change).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function badTextProblem(s: string): { en: string; zh: string } | null {
  if (s.includes('\u0000'))
    return { en: 'text may not contain the NUL character (U+0000)', zh: '文本中不能含有空字符 (U+0000)' };
  const m = LONE_SURROGATE.exec(s);
  if (!m) return null;
  const code = (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase();
  return {
    en: `text contains a lone surrogate (U+${code}); send valid Unicode text`,
    zh: `文本中含有不成对的代理字符 (U+${code})，请发送有效的 Unicode 文本`,
  };
}

const MAX_REPORTED = 20;

/** Every string (values and keys) with NUL or a lone surrogate, with its path; bounded by the input's size. */
export function findBadText(part: string, value: unknown): ErrorDetail[] {
  const found: ErrorDetail[] = [];
  const stack: { path: string; value: unknown }[] = [{ path: part, value }];
  while (stack.length > 0 && found.length < MAX_REPORTED) {
    const { path, value: v } = stack.pop() as { path: string; value: unknown };
    if (typeof v === 'string') {
      const p = badTextProblem(v);
      if (p) found.push({ path, message: p.en, zh: p.zh });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ path: `${path}.${i}`, value: v[i] });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        const p = badTextProblem(key);
        if (p) {
          found.push({
            path: `${path}.${JSON.stringify(key)}`,
            message: `a field name: ${p.en}`,
            zh: `字段名：${p.zh}`,
          });
          continue;
        }
        stack.push({ path: `${path}.${key}`, value: child });
      }
    }
  }
  return found;
}

/**
 * preValidation, for every route: no NUL or lone surrogate in the body, query string or route
 * parameters (headers cannot carry them: the HTTP parser refuses NUL, and they are Latin-1);
 * no query parameter on a route that declares none.
 */
export async function refuseUnstorableInput(request: FastifyRequest): Promise<void> {
  if (request.is404) return;
  for (const [part, value] of [
    ['params', request.params],
    ['querystring', request.query],
    ['body', request.body],
  ] as const) {
    const bad = findBadText(part, value);
    if (bad.length > 0) throw validationError(part, bad);
  }
  const url = request.routeOptions.url ?? '';
  const query = request.query as Record<string, unknown> | null;
  if (!request.routeOptions.schema?.querystring && query && !url.startsWith('/api/docs')) {
    const keys = Object.keys(query);
    if (keys.length > 0)
      throw validationError(
        'querystring',
        keys.map((k) => ({
          path: `querystring.${k}`,
          message: 'unknown query parameter; this route takes none',
          zh: '未知查询参数；此接口不接受查询参数',
        })),
      );
  }
}
