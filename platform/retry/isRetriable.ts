/**
 * Whether trying again can help, read from the error's own `retriable` flag: PlatformError,
 * KafkaJS errors and the gateway's AccessError carry one. Errors without the flag are not
 * retriable: a retry loop must not repeat what nobody said was transient (a bug, bad input, a
 * refused password). Adapters classify their drivers' errors into flagged PlatformErrors, so a
 * dropped PostgreSQL connection arrives here as DATABASE_UNAVAILABLE with `retriable: true`.
 */
export function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}
