// The one error class the service layer throws for a request it refuses, with a closed set
// of codes; the HTTP layer maps each code to a status and a body {code, message, details}.

export const ERROR_STATUS = {
  'bad-request': 400,
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'rule-violation': 422,
  'too-many-requests': 429,
  internal: 500,
  /** The database cannot be reached or cannot write now (restarting, disk full): retry later. */
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  /** Field path such as "body.customer.phone". */
  path?: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
