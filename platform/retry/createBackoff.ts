import type { BackoffPolicy, RandomSource } from './backoffDelay.js';
import { assertPolicy, backoffDelay } from './backoffDelay.js';
import { isRetriable as isRetriableDefault } from './isRetriable.js';

/** What a retry loop tells whoever watches it about one failure (logs, metrics, tests). */
export interface RetryNotice {
  /** Consecutive failures so far, this one included (1 after the first). */
  attempt: number;
  /** How long the loop waits before trying again. */
  delayMs: number;
  /** Whether the error said trying again can help; see `isRetriable`. */
  retriable: boolean;
}

export interface BackoffOptions extends BackoffPolicy {
  /** Classifies errors. Default `isRetriable` (the error's `retriable` flag). */
  isRetriable?: (error: unknown) => boolean;
  random?: RandomSource;
}

/** Consecutive failures of one stream of work (a partition, a connection), and the wait each one earns. */
export interface Backoff {
  /** Counts a failure; says how long to wait before the next try. */
  fail(error: unknown): RetryNotice;
  /** After a success: the next failure waits `baseMs` again. */
  reset(): void;
}

/**
 * For loops that must not give up (a projector cannot skip a batch: that would lose it).
 * A retriable failure backs off exponentially with jitter. A failure that says retrying cannot
 * help is still retried, but at the slowest pace, `maxMs`, from the first time: stopping would
 * need a restart even when the classification was wrong, while a quick loop would only flood the
 * log; the notice says `retriable: false` so whoever reads it knows that a fix is needed.
 */
export function createBackoff(options: BackoffOptions): Backoff {
  assertPolicy(options);
  const classify = options.isRetriable ?? isRetriableDefault;
  let failures = 0;
  return {
    fail(error) {
      failures++;
      const retriable = classify(error);
      const delayMs = retriable ? backoffDelay(options, failures, options.random) : options.maxMs;
      return { attempt: failures, delayMs, retriable };
    },
    reset() {
      failures = 0;
    },
  };
}
