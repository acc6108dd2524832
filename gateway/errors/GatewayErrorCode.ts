/**
 * Error codes a client may see in `extensions.code`, besides Apollo's own
 * (`GRAPHQL_PARSE_FAILED`, `GRAPHQL_VALIDATION_FAILED`, `BAD_USER_INPUT`). One public list, so a
 * client can switch on it; the HTTP status each one goes with is fixed here too.
 */
export const GatewayErrorCode = {
  /** 401: no credential, or one that does not verify. */
  Unauthenticated: 'UNAUTHENTICATED',
  /** 403: a valid principal that may not use this contract, endpoint or export. */
  Forbidden: 'FORBIDDEN',
  /** 404: no contract version at that path. */
  UnknownContract: 'UNKNOWN_CONTRACT',
  /** 404: no such route or resource. */
  NotFound: 'NOT_FOUND',
  /** 405: the route exists, not with that method; see Allow. */
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  /** 400: the HTTP request itself is unusable (empty body, malformed JSON). */
  BadRequest: 'BAD_REQUEST',
  /** 413: body over the size limit. */
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** 415: a POST body that is not JSON. */
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  /** 400: aliases, depth or cost over the caller's limit (refused before execution). */
  QueryLimitExceeded: 'QUERY_LIMIT_EXCEEDED',
  /** 409: an export's file was asked for before the job succeeded. */
  ExportNotReady: 'EXPORT_NOT_READY',
  /** 429: the principal's rate limit is used up; see Retry-After. */
  RateLimited: 'RATE_LIMITED',
  /**
   * 503, retriable: PostgreSQL, the brokers or Redis cannot be reached now, so what they hold
   * could not be read or checked. `extensions.dependency` says which; `Retry-After` when to try.
   */
  DependencyUnavailable: 'DEPENDENCY_UNAVAILABLE',
  /** 504: the request did not finish within its deadline. */
  RequestTimeout: 'REQUEST_TIMEOUT',
  /** 503: this process is shutting down and takes no new request; retry (the load balancer sends it elsewhere). */
  ShuttingDown: 'SHUTTING_DOWN',
  /** 500: anything unexpected; details are in the server log under the correlation id. */
  InternalServerError: 'INTERNAL_SERVER_ERROR',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

export const HTTP_STATUS_OF: Readonly<Record<GatewayErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  UNKNOWN_CONTRACT: 404,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  QUERY_LIMIT_EXCEEDED: 400,
  EXPORT_NOT_READY: 409,
  RATE_LIMITED: 429,
  DEPENDENCY_UNAVAILABLE: 503,
  REQUEST_TIMEOUT: 504,
  SHUTTING_DOWN: 503,
  INTERNAL_SERVER_ERROR: 500,
};
