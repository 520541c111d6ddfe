// The typed API client: openapi-fetch over the generated `paths` (schema.d.ts, `npm run
// gen:api`), same origin, the session cookie sent by the browser. Unsafe methods carry the
// session's CSRF token as `x-csrf-token` (the server refuses them without it: README
// "Security"); every request asks for messages in the UI's language.
//
// The cookie is the browser's, shared by its tabs. Each request names the user the page shows
// (x-huashu-user): when someone else has signed in in another tab the server refuses it
// ('session-changed') instead of answering with the other user's data or filing under them.
// When the same user signed in again elsewhere, an unsafe request is refused for its old CSRF
// token ('csrf-mismatch', before anything is done): the session's current token is taken from
// GET /api/auth/me and the request sent once more, so what was typed is saved.
import createClient, { type Middleware } from 'openapi-fetch';
import { en } from '../i18n/en';
import { zh } from '../i18n/zh';
import type { components, paths } from './schema';

let csrfToken: string | null = null;
let pageUser: string | null = null;
let language = 'zh-CN';

/** The CSRF token of the session (from sign-in or /api/auth/me); null when signed out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The id of the user the page shows (sign-in, /api/auth/me); null when signed out. */
export function setPageUser(id: string | null): void {
  pageUser = id;
}

/** The id of the user the page shows; the streams name it in their URL (`?user=`). */
export function pageUserId(): string | null {
  return pageUser;
}

export function setApiLanguage(lang: 'zh' | 'en'): void {
  language = lang === 'en' ? 'en' : 'zh-CN';
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const headers: Middleware = {
  onRequest({ request }) {
    request.headers.set('accept-language', language);
    if (!SAFE.has(request.method) && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    // /api/auth/me is how the page learns who the cookie is now: never refused for it.
    if (pageUser && !new URL(request.url).pathname.startsWith('/api/auth/')) {
      request.headers.set('x-huashu-user', pageUser);
    }
    return request;
  },
};

/** The session's current CSRF token when it is still the page's user; null otherwise. */
async function currentCsrfToken(): Promise<string | null> {
  try {
    const res = await fetch('/api/auth/me', { headers: { 'accept-language': language } });
    if (!res.ok) return null;
    const me = (await res.json()) as { user: { id: string }; csrfToken: string | null };
    if (me.user.id !== pageUser || !me.csrfToken) return null;
    csrfToken = me.csrfToken;
    return csrfToken;
  } catch {
    return null;
  }
}

/** fetch, sending an unsafe request once more when only its CSRF token was out of date. */
async function fetchRenewingCsrf(input: Request, init?: RequestInit): Promise<Response> {
  const spare = SAFE.has(input.method) ? null : input.clone();
  const res = await fetch(input, init);
  if (res.status !== 403 || !spare) return res;
  const body = (await res
    .clone()
    .json()
    .catch(() => null)) as { code?: string } | null;
  if (body?.code !== 'csrf-mismatch') return res;
  const token = await currentCsrfToken();
  if (!token) return res;
  spare.headers.set('x-csrf-token', token);
  return fetch(spare, init);
}

export const api = createClient<paths>({ baseUrl: '', fetch: fetchRenewingCsrf });
api.use(headers);

export type ErrorDetail = components['schemas']['Error']['details'][number];

/** An answer other than 2xx: the API's {code, message, details} (message in the UI's language). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The network itself failed (server down, offline): no answer at all. Its message is the
 * sentence a user reads, in the UI's language: screens show an error's message as it is.
 */
export class OfflineError extends Error {
  constructor() {
    super((language === 'en' ? en : zh)['error.offline']);
    this.name = 'OfflineError';
  }
}

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a 2xx answer, or an ApiError with the server's code and message. */
export async function ok<T>(call: Promise<Result<T>>): Promise<T> {
  let r: Result<T>;
  try {
    r = await call;
  } catch (err) {
    if (err instanceof TypeError) throw new OfflineError();
    throw err;
  }
  if (r.response.ok) return r.data as T;
  const body = (r.error ?? {}) as { code?: string; message?: string; details?: ErrorDetail[] };
  throw new ApiError(
    r.response.status,
    body.code ?? 'internal',
    body.message ?? r.response.statusText,
    body.details ?? [],
  );
}

/**
 * A file the API sends (an export), fetched rather than followed as a link: a refusal (a period
 * too long, the session ended) is then the ApiError with the server's message, shown on the page,
 * not a download that fails or saves the error as the file. The name is the server's
 * (`filename*` of its Content-Disposition).
 */
export async function download(url: string): Promise<{ blob: Blob; filename: string }> {
  let res: Response;
  try {
    const headers: Record<string, string> = { 'accept-language': language };
    if (pageUser) headers['x-huashu-user'] = pageUser; // not another user's file (see above)
    res = await fetch(url, { headers });
  } catch {
    throw new OfflineError();
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as {
      code?: string;
      message?: string;
      details?: ErrorDetail[];
    };
    throw new ApiError(
      res.status,
      body.code ?? 'internal',
      body.message ?? res.statusText,
      body.details ?? [],
    );
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="([^"]+)"/i.exec(disposition)?.[1];
  const filename = encoded
    ? decodeURIComponent(encoded)
    : (plain ?? url.split('?')[0]?.split('/').pop() ?? 'export');
  return { blob: await res.blob(), filename };
}
