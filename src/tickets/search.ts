// Finding a ticket by words (the complaint desk: "the refund complaint", a name, part of a
// number). Pure: what a ticket is searched by, and how a typed query becomes terms. The store
// keeps `ticketSearchText` in `tickets.search_text`, written with the ticket on every insert and
// update (repository.ts toColumns), so no write can leave it behind.
import { halfWidth, normalizePhone } from '../customers/phone.ts';
import { searchKey } from '../text/index.ts';

/** The longest query taken, in characters as typed (a phrase or two, not a paragraph). */
export const MAX_SEARCH_LENGTH = 100;
/** The most words one query may hold; every word must be found. */
export const MAX_SEARCH_TERMS = 6;

/** What of a ticket is searched: subject, description, replies, follow-up comments, the customer's and contact numbers. */
export interface SearchableTicket {
  subject: string;
  description?: string | null;
  customerPhone: string | null;
  /** The number to call back on, when the customer gave another. */
  contactPhone?: string | null;
  replies?: readonly { text?: string | null }[];
  followUps?: readonly { comment?: string | null }[];
}

/**
 * The ticket as searched: each field read by `searchKey` (Simplified, lower case), one field a
 * line, so a word never matches across two fields. Takes the domain ticket or its stored JSON
 * (the migration that back-fills the column reads old tickets, some without every field).
 */
export function ticketSearchText(t: SearchableTicket): string {
  const fields = [
    t.subject,
    t.description ?? '',
    ...(t.replies ?? []).map((r) => r.text ?? ''),
    ...(t.followUps ?? []).map((f) => f.comment ?? ''),
  ];
  const contact = t.contactPhone && t.contactPhone !== t.customerPhone ? t.contactPhone : '';
  return [...fields.map(searchKey), t.customerPhone ?? '', contact].filter((s) => s !== '').join('\n');
}

/** The titles a typed name may end with, as the customer card stores them (小姐 is 女士). */
const TITLE_SUFFIXES: readonly [string, '先生' | '女士'][] = [
  ['先生', '先生'],
  ['女士', '女士'],
  ['小姐', '女士'],
];

/** One word of a query: found in the ticket's text, or the name of the ticket's customer. */
export interface SearchTerm {
  /** As stored in `search_text` (searchKey; a number's digits). */
  text: string;
  /**
   * A number also as typed (searchKey): the customer's number is stored as digits, but a date,
   * an order or a second number in the text keeps its dashes and spaces (2024-12-01).
   */
  asTyped?: string;
  /** The customer names the word may be (surname key, and title when typed: 王先生). */
  names: { surnameKey: string; title: '先生' | '女士' | null }[];
}

export type SearchParse = { ok: true; terms: SearchTerm[] } | { ok: false; en: string; zh: string };

/** Only digits and what people put between them when they read a number out. */
const NUMBER_LIKE = /^[+\d\s\-().（）]+$/;

/**
 * The terms of a typed query. A number (digits with spaces, dashes; +86 too) is one term in the
 * canonical form when it is a whole number, else its digits (尾号 8000, 0013 8000); anything
 * else is split at spaces into words, each read by `searchKey` (陳 finds 陈, Smith finds smith).
 * Refused, with what is expected: empty, longer than MAX_SEARCH_LENGTH, more than
 * MAX_SEARCH_TERMS words.
 */
export function parseTicketSearch(query: string): SearchParse {
  const typed = query.trim();
  if (typed.length > MAX_SEARCH_LENGTH)
    return {
      ok: false,
      en: `found ${typed.length} characters; a search holds at most ${MAX_SEARCH_LENGTH}: a few words of the subject or description, a customer's name, or part of their number`,
      zh: `收到 ${typed.length} 个字符；搜索内容最多 ${MAX_SEARCH_LENGTH} 个字符：主题或描述中的几个词、客户姓名或号码的一部分`,
    };
  const half = halfWidth(typed);
  if (NUMBER_LIKE.test(half) && /\d/.test(half)) {
    const whole = normalizePhone(half);
    const digits = whole.ok ? whole.phone : half.replace(/\D/g, '');
    const asTyped = searchKey(typed);
    return {
      ok: true,
      terms: [{ text: digits, names: [], ...(asTyped !== digits ? { asTyped } : {}) }],
    };
  }
  // Split as typed: the text engine drops a space between two Han characters (退费 两周 would
  // become one word), and each word is then read on its own.
  const words = [
    ...new Set(
      typed
        .split(/[\s\u3000]+/)
        .map(searchKey)
        .flatMap((w) => w.split(/\s+/))
        .filter(Boolean),
    ),
  ];
  if (words.length === 0)
    return {
      ok: false,
      en: 'found an empty search; type a few words of the subject or description, a customer’s name, or part of their number (or leave the search out)',
      zh: '搜索内容为空；请输入主题或描述中的词、客户姓名或号码的一部分（或不填搜索）',
    };
  if (words.length > MAX_SEARCH_TERMS)
    return {
      ok: false,
      en: `found ${words.length} words; a search holds at most ${MAX_SEARCH_TERMS}, and every one must be found: keep the few that matter`,
      zh: `收到 ${words.length} 个词；搜索最多 ${MAX_SEARCH_TERMS} 个词，且每个词都须匹配：请只保留关键的几个`,
    };
  return { ok: true, terms: words.map((w) => ({ text: w, names: namesOf(w) })) };
}

function namesOf(word: string): SearchTerm['names'] {
  const names: SearchTerm['names'] = [{ surnameKey: word, title: null }];
  for (const [suffix, title] of TITLE_SUFFIXES)
    if (word.length > suffix.length && word.endsWith(suffix))
      names.push({ surnameKey: word.slice(0, -suffix.length), title });
  return names;
}
