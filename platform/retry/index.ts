export { backoffDelay } from './backoffDelay.js';
export type { BackoffPolicy, RandomSource } from './backoffDelay.js';
export { createBackoff } from './createBackoff.js';
export type { Backoff, BackoffOptions, RetryNotice } from './createBackoff.js';
export { isRetriable } from './isRetriable.js';
export { abortableSleep } from './abortableSleep.js';
export { DEFAULT_RETRY_BACKOFF, retry } from './retry.js';
export type { RetryLimit, RetryOptions } from './retry.js';
export { untilAborted } from './untilAborted.js';
