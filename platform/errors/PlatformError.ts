/**
 * Error codes that leave a platform module. Callers switch on `code`, never on message text;
 * `retriable` tells a retry loop whether trying again can help (as KafkaJS errors do).
 */
export const PlatformErrorCode = {
  ConfigInvalid: 'CONFIG_INVALID',
  DatabaseUnavailable: 'DATABASE_UNAVAILABLE',
  EventLogUnavailable: 'EVENT_LOG_UNAVAILABLE',
  TopicMisconfigured: 'TOPIC_MISCONFIGURED',
  CacheUnavailable: 'CACHE_UNAVAILABLE',
  ProjectionConflict: 'PROJECTION_CONFLICT',
  NotFound: 'NOT_FOUND',
  InjectedFault: 'INJECTED_FAULT',
} as const;
export type PlatformErrorCode = (typeof PlatformErrorCode)[keyof typeof PlatformErrorCode];

export class PlatformError extends Error {
  readonly code: PlatformErrorCode;
  readonly retriable: boolean;

  constructor(code: PlatformErrorCode, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlatformError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

export function isPlatformError(error: unknown, code?: PlatformErrorCode): error is PlatformError {
  return error instanceof PlatformError && (code === undefined || error.code === code);
}

/** For exhaustive switches over discriminated unions: a new case fails to compile here. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
  }
}
