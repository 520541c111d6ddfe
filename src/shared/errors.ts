// The one error class the service layer throws for a request it refuses, with a closed set
// of codes; the HTTP layer maps each code to a status and a body {code, message, details}.
// A message is given in Chinese and English ({zh, en}); the HTTP layer answers in the
// caller's language (Accept-Language, Chinese by default). A plain string is English only
// and is shown to Chinese readers too until it is translated.

export const ERROR_STATUS = {
  'bad-request': 400,
  validation: 400,
  unauthenticated: 401,
  /**
   * The browser's session is now another user's (signed in in another tab): the page that sent
   * x-huashu-user for the user it shows is refused rather than served that user's data.
   */
  'session-changed': 401,
  forbidden: 403,
  /** An unsafe request with a CSRF token not its session's (the user signed in again elsewhere). */
  'csrf-mismatch': 403,
  'not-found': 404,
  'request-timeout': 408,
  conflict: 409,
  'payload-too-large': 413,
  'uri-too-long': 414,
  'unsupported-media-type': 415,
  'rule-violation': 422,
  'too-many-requests': 429,
  'headers-too-large': 431,
  internal: 500,
  /** The database cannot be reached or cannot write now (restarting, disk full): retry later. */
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The languages of the API's messages. */
export type Language = 'zh' | 'en';

/** A message in both languages. */
export interface Localized {
  zh: string;
  en: string;
}

export interface ErrorDetail {
  /** Field path such as "body.customer.phone". */
  path?: string;
  message: string;
  /** The message in Chinese, when it differs from `message` (English). */
  zh?: string;
}

export class AppError extends Error {
  /** The message in each language; `zh` is missing while a message is English only. */
  readonly messages: { zh?: string; en: string };

  constructor(
    readonly code: ErrorCode,
    message: string | Localized,
    readonly details: ErrorDetail[] = [],
  ) {
    super(typeof message === 'string' ? message : message.en);
    this.name = 'AppError';
    this.messages = typeof message === 'string' ? { en: message } : message;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** The message in the language asked for; English when it has not been translated yet. */
  messageIn(language: Language): string {
    return language === 'zh' ? (this.messages.zh ?? this.messages.en) : this.messages.en;
  }
}
