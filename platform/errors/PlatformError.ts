/**
 * Error codes that leave a platform module. Callers switch on `code`, never on message text;
 * `retriable` tells a retry loop whether trying again can help (as KafkaJS errors do).
 */
export const PlatformErrorCode = {
  ConfigInvalid: 'CONFIG_INVALID',
  /** PostgreSQL cannot be reached, or dropped the connection (restart, failover, network): retriable. */
  DatabaseUnavailable: 'DATABASE_UNAVAILABLE',
  /** A transaction lost a serialization conflict or a deadlock and was rolled back: retriable as a whole. */
  TransactionConflict: 'TRANSACTION_CONFLICT',
  /** The brokers cannot be reached or did not answer in time: retriable. */
  EventLogUnavailable: 'EVENT_LOG_UNAVAILABLE',
  /** The brokers answered a produce request with an error (a record too large, authorization): the records may not be in the log. */
  EventLogProduceFailed: 'EVENT_LOG_PRODUCE_FAILED',
  TopicMisconfigured: 'TOPIC_MISCONFIGURED',
  /**
   * A partition's log no longer holds the offset a consumer must resume from (retention or deleted
   * records): consuming on would skip records, so the partition stops. Not retriable.
   */
  LogRetentionGap: 'LOG_RETENTION_GAP',
  /** Redis cannot be reached or did not answer in time: retriable; callers degrade. */
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

/** The codes that say a dependency is down (not that the request or the data is wrong). */
export const DEPENDENCY_UNAVAILABLE_CODES: ReadonlySet<PlatformErrorCode> = new Set([PlatformErrorCode.DatabaseUnavailable, PlatformErrorCode.EventLogUnavailable, PlatformErrorCode.CacheUnavailable]);

/** True for a PlatformError saying that PostgreSQL, the brokers or Redis cannot be reached now. */
export function isDependencyUnavailable(error: unknown): error is PlatformError {
  return error instanceof PlatformError && DEPENDENCY_UNAVAILABLE_CODES.has(error.code);
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
