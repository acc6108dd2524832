/**
 * Exponential backoff: the ceiling doubles from `baseMs` with each consecutive failure, up to
 * `maxMs`. With `full` jitter the wait is uniformly random below the ceiling ("full jitter", AWS
 * Architecture Blog, "Exponential Backoff And Jitter"): many clients that failed together (every
 * partition of a projector, every gateway replica when PostgreSQL restarts) spread their retries
 * instead of returning in one wave.
 */
export interface BackoffPolicy {
  /** Ceiling of the first wait, in ms. */
  baseMs: number;
  /** Greatest wait, in ms. */
  maxMs: number;
  /** `full`: a random wait in [0, ceiling); `none`: the ceiling itself (deterministic, for tests and logs). */
  jitter: 'full' | 'none';
}

/** Random numbers in [0, 1), as Math.random; injected by tests. */
export type RandomSource = () => number;

/** The wait before retry number `attempt` (1 for the first retry, after the first failure). */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: RandomSource = Math.random): number {
  assertPolicy(policy);
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`backoffDelay: attempt must be a whole number of at least 1, received ${attempt}.`);
  // 2 ** 1024 is Infinity: cap the exponent so a long outage's attempt count cannot overflow.
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 52));
  switch (policy.jitter) {
    case 'full':
      return Math.floor(random() * ceiling);
    case 'none':
      return ceiling;
  }
}

export function assertPolicy(policy: BackoffPolicy): void {
  const { baseMs, maxMs } = policy;
  if (!Number.isFinite(baseMs) || baseMs < 0 || !Number.isFinite(maxMs) || maxMs < baseMs) {
    throw new RangeError(`Backoff policy ${JSON.stringify(policy)} is invalid: baseMs must be a number of at least 0 and maxMs at least baseMs.`);
  }
}
