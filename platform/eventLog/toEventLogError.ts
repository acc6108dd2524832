import { isPlatformError, PlatformError, PlatformErrorCode } from '../errors/index.js';
import { isRetriable } from '../retry/index.js';

// kafkajs errors that mean "no broker now", whatever their own flag says: NumberOfRetriesExceeded
// is kafkajs giving up on a retriable error, and carries `retriable: false`.
const UNAVAILABLE_ERRORS = new Set(['KafkaJSNumberOfRetriesExceeded', 'KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSNoBrokerAvailableError', 'KafkaJSBrokerNotFound', 'KafkaJSLockTimeout', 'KafkaJSStaleTopicMetadataAssignment']);
const NETWORK_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * Classifies a kafkajs error: brokers unreachable, a connection dropped, a request timed out, or
 * kafkajs' own retries exhausted on such an error become EVENT_LOG_UNAVAILABLE, retriable.
 * Errors kafkajs itself flags retriable (a leader moving, a rebalance) keep their flag; others
 * (an unknown topic, refused authorization) are returned as they were.
 */
export function toEventLogError(error: unknown): unknown {
  if (isPlatformError(error) || !(error instanceof Error)) return error;
  // kafkajs wraps the error that made it give up (KafkaJSNonRetriableError around a connection
  // error, for instance): judge by the whole chain of causes.
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const errno = (cause as { code?: unknown }).code;
    if (UNAVAILABLE_ERRORS.has(cause.name) || (typeof errno === 'string' && NETWORK_ERRNOS.has(errno)) || (cause.name.startsWith('KafkaJS') && isRetriable(cause))) {
      return new PlatformError(PlatformErrorCode.EventLogUnavailable, `Kafka is unavailable: ${error.message}`, { retriable: true, cause: error });
    }
  }
  return error;
}
