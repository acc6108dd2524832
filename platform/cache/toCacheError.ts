import { isPlatformError, PlatformError, PlatformErrorCode } from '../errors/index.js';

// ioredis' own words for "no connection now" (it has no error codes for them).
const CONNECTION_MESSAGES = /^(Connection is closed|Stream isn't writeable|Command timed out|Reached the max retries per request limit)|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|Socket closed unexpectedly/;

/**
 * Classifies an ioredis error: no connection (refused, closed, reconnecting, a command timed out)
 * becomes CACHE_UNAVAILABLE, retriable; a reply error of Redis itself (WRONGTYPE, OOM, ...) is
 * returned as it was: retrying the same command cannot help.
 */
export function toCacheError(error: unknown): unknown {
  if (isPlatformError(error) || !(error instanceof Error)) return error;
  if (error.name === 'MaxRetriesPerRequestError' || CONNECTION_MESSAGES.test(error.message)) {
    return new PlatformError(PlatformErrorCode.CacheUnavailable, `Redis is unavailable: ${error.message}`, { retriable: true, cause: error });
  }
  return error;
}
