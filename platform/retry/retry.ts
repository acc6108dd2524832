import type { BackoffPolicy, RandomSource } from './backoffDelay.js';
import { abortableSleep } from './abortableSleep.js';
import { assertPolicy, backoffDelay } from './backoffDelay.js';
import type { RetryNotice } from './createBackoff.js';
import { isRetriable as isRetriableDefault } from './isRetriable.js';

/** How many tries, or until when: exactly one of the two. */
export type RetryLimit =
  /** At most this many calls in all (the first included); at least 1. */
  | { attempts: number; deadlineMs?: never }
  /** Keep trying until this many ms after the first call; the last wait is cut to end at the deadline. */
  | { deadlineMs: number; attempts?: never };

export type RetryOptions = RetryLimit &
  Partial<BackoffPolicy> & {
    /** Which errors are worth another try. Default `isRetriable`: the error's own `retriable` flag. */
    isRetriable?: (error: unknown) => boolean;
    /** Told before each wait (logs). */
    onRetry?: (error: unknown, notice: RetryNotice) => void;
    /** Stops waiting: the pending wait rejects with the signal's reason. */
    signal?: AbortSignal;
    /** Injected by tests, with `now` and `sleep`, to make the schedule deterministic. Default Math.random. */
    random?: RandomSource;
    /** Monotonic clock in ms. Default `performance.now`. */
    now?: () => number;
    /** Waits `ms`. Default a timer (aborted by `signal`). */
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  };

/** Defaults of `retry`: 100 ms doubling to 5 s, full jitter. */
export const DEFAULT_RETRY_BACKOFF: Readonly<BackoffPolicy> = { baseMs: 100, maxMs: 5_000, jitter: 'full' };

/**
 * Calls `fn` until it resolves, it throws an error that is not retriable (thrown at once), or
 * the limit is reached (the last error is thrown, as it was: callers switch on its code).
 * Between tries it waits `backoffDelay` (exponential, full jitter by default).
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const policy: BackoffPolicy = { baseMs: options.baseMs ?? DEFAULT_RETRY_BACKOFF.baseMs, maxMs: options.maxMs ?? DEFAULT_RETRY_BACKOFF.maxMs, jitter: options.jitter ?? DEFAULT_RETRY_BACKOFF.jitter };
  assertPolicy(policy);
  if (options.attempts !== undefined && (!Number.isInteger(options.attempts) || options.attempts < 1)) {
    throw new RangeError(`retry: attempts must be a whole number of at least 1, received ${options.attempts}.`);
  }
  if (options.deadlineMs !== undefined && (!Number.isFinite(options.deadlineMs) || options.deadlineMs < 0)) {
    throw new RangeError(`retry: deadlineMs must be a number of at least 0, received ${options.deadlineMs}.`);
  }
  const classify = options.isRetriable ?? isRetriableDefault;
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? abortableSleep;
  const deadline = options.deadlineMs === undefined ? undefined : now() + options.deadlineMs;

  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!classify(error)) throw error;
      if (options.attempts !== undefined && attempt >= options.attempts) throw error;
      let delayMs = backoffDelay(policy, attempt, options.random);
      if (deadline !== undefined) {
        const left = deadline - now();
        if (left <= 0) throw error;
        delayMs = Math.min(delayMs, left);
      }
      options.onRetry?.(error, { attempt, delayMs, retriable: true });
      options.signal?.throwIfAborted();
      await sleep(delayMs, options.signal);
    }
  }
}
