/**
 * Codes a client sees when access fails (in `extensions.code` and the HTTP status). Callers
 * switch on `code`, never on message text.
 */
export const AccessErrorCode = {
  /** No credential, or one that does not prove anything (unknown, revoked, expired, malformed): HTTP 401. */
  Unauthenticated: 'UNAUTHENTICATED',
  /** A known principal asking for something it may not have: HTTP 403. */
  Forbidden: 'FORBIDDEN',
  /**
   * The credential could not be checked because a verifier dependency is down (the JWKS
   * endpoint did not answer): HTTP 503 and retriable, because the caller did nothing wrong.
   */
  VerifierUnavailable: 'CREDENTIAL_VERIFIER_UNAVAILABLE',
} as const;
export type AccessErrorCode = (typeof AccessErrorCode)[keyof typeof AccessErrorCode];

const httpStatusOf: Record<AccessErrorCode, 401 | 403 | 503> = {
  [AccessErrorCode.Unauthenticated]: 401,
  [AccessErrorCode.Forbidden]: 403,
  [AccessErrorCode.VerifierUnavailable]: 503,
};

/**
 * Internal: constructed through `unauthenticated` / `forbidden`, recognised with `isAccessError`.
 * Messages say what was wrong and how to fix it, and never echo a secret (key, token, session id).
 */
export class AccessError extends Error {
  readonly code: AccessErrorCode;
  readonly httpStatus: 401 | 403 | 503;
  readonly retriable: boolean;

  constructor(code: AccessErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AccessError';
    this.code = code;
    this.httpStatus = httpStatusOf[code];
    this.retriable = code === AccessErrorCode.VerifierUnavailable;
  }
}

export function isAccessError(error: unknown, code?: AccessErrorCode): error is AccessError {
  return error instanceof AccessError && (code === undefined || error.code === code);
}

/** 401: the request did not prove who is asking. */
export const unauthenticated = (message: string, cause?: unknown): AccessError => new AccessError(AccessErrorCode.Unauthenticated, message, { cause });
/** 403: the principal is known and may not do this. */
export const forbidden = (message: string): AccessError => new AccessError(AccessErrorCode.Forbidden, message);
