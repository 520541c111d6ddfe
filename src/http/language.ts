// The language of the API's messages: Chinese by default, English when the caller's
// Accept-Language prefers it. Also the Chinese of validation messages: zod's own messages
// through a Chinese error map, and our fixed English messages through `bilingual()`.
import { z } from 'zod';
import type { Language, Localized } from '../shared/errors.ts';

export type { Language, Localized };

export const DEFAULT_LANGUAGE: Language = 'zh';

/**
 * The language Accept-Language prefers among ours (`en`, `en-US;q=0.8`, `zh-CN,zh;q=0.9,en;q=0.5`):
 * the highest q among tags whose primary subtag is zh or en, the earlier on a tie; Chinese
 * when neither is named (or only with q=0), and for `*`.
 */
export function preferredLanguage(header: string | string[] | undefined): Language {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return DEFAULT_LANGUAGE;
  let best: { language: Language; q: number } | null = null;
  for (const part of value.split(',').slice(0, 50)) {
    const [tag = '', ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0];
    const language: Language | null =
      primary === 'en' ? 'en' : primary === 'zh' || primary === '*' ? 'zh' : null;
    if (!language) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m) q = Math.min(1, Number(m[1]));
    }
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { language, q };
  }
  return best?.language ?? DEFAULT_LANGUAGE;
}

/** The text in the language; a plain string is English only and serves both until translated. */
export function pick(text: string | (Partial<Localized> & { en: string }), language: Language): string {
  if (typeof text === 'string') return text;
  return language === 'zh' ? (text.zh ?? text.en) : text.en;
}

// ---- fixed messages of schemas (zod `message`/`error` strings) ----

const chinese = new Map<string, string>();

/**
 * A schema message in both languages: returns the English (what zod stores) and remembers
 * the Chinese, which the error handler shows to Chinese readers.
 */
export function bilingual(text: Localized): string {
  chinese.set(text.en, text.zh);
  return text.en;
}

/** A message in the language: the Chinese registered for it, or the message itself. */
export function translate(message: string, language: Language): string {
  return language === 'zh' ? (chinese.get(message) ?? message) : message;
}

// ---- zod's own messages in Chinese ----

const zhCN = z.locales.zhCN().localeError;

type Issue = Parameters<typeof zhCN>[0];

const SIZE_UNITS: Record<string, string> = { string: '个字符', array: '项', set: '项', file: '字节' };

/** zod's issues in plain Chinese (the common ones in our words; the rest from zod's zh-CN locale). */
export function chineseIssue(issue: Issue): string {
  const i = issue as Issue & Record<string, unknown>;
  switch (issue.code) {
    case 'invalid_type':
      if (i.input === undefined) return '必填';
      break;
    case 'too_small': {
      const unit = SIZE_UNITS[String(i.origin)];
      const min = Number(i.minimum);
      if (i.origin === 'string' && min === 1) return '不能为空';
      if (unit) return `至少 ${min} ${unit}`;
      return i.inclusive ? `不能小于 ${min}` : `应大于 ${min}`;
    }
    case 'too_big': {
      const unit = SIZE_UNITS[String(i.origin)];
      const max = Number(i.maximum);
      if (unit) return `最多 ${max} ${unit}`;
      return i.inclusive ? `不能大于 ${max}` : `应小于 ${max}`;
    }
    case 'invalid_value': {
      const values = (i.values as unknown[]).map((v) => String(v));
      return values.length === 1 ? `应为 ${values[0]}` : `应为以下之一：${values.join('、')}`;
    }
    case 'invalid_format':
      if (i.format === 'datetime') return '应为带时区的日期时间，例如 2026-11-20T09:00:00+08:00';
      break;
  }
  const r = zhCN(issue);
  return typeof r === 'string' ? r : (r?.message ?? '无效输入');
}
