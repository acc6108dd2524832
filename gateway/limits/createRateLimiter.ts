import type { Cache } from '../../platform/cache/index.js';
import type { Principal, PrincipalAudience } from '../access/index.js';
import type { Logger } from '../../platform/logging/index.js';
import { defaultLogger } from '../../platform/logging/index.js';

/** A quota: at most `requests` per window of `windowSeconds`. */
export interface RateLimit {
  /** Requests allowed per window; a positive integer. */
  requests: number;
  /** Window length in whole seconds (the unit of the RateLimit headers); at least 1. */
  windowSeconds: number;
}

/**
 * Defaults per audience, per principal (not per process: the counters live in the shared cache).
 * - INTERNAL 1,200 per 60 s (20/s): an internal principal is a service acting for many people
 *   (the customer-service portal); 20/s of reference pages (100 orders, up to 250 ms each) keeps
 *   about five requests in flight, so one runaway service cannot starve the others.
 * - PARTNER 120 per 60 s (2/s): partners pull incrementally, 100 orders a page; 2 pages a second
 *   is 12,000 orders a minute, ample to keep up, and a backfill belongs to a bulk export.
 * Per-principal overrides belong in `limitFor`.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<PrincipalAudience, RateLimit>> = {
  INTERNAL: { requests: 1_200, windowSeconds: 60 },
  PARTNER: { requests: 120, windowSeconds: 60 },
};

/** The answer for one request; `rateLimitHeaders` turns it into response headers. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The quota of the current window. */
  limit: number;
  windowSeconds: number;
  /** Requests left in the current window after this one (the full quota when `degraded`: unknown). */
  remaining: number;
  /** Seconds until the current window ends and the quota is whole again (at least 1). */
  resetSeconds: number;
  /** When refused, seconds to wait before trying again (`Retry-After`); 0 when allowed. */
  retryAfterSeconds: number;
  /**
   * True when the cache could not count this request (down, or slower than `cacheTimeoutMs`) and
   * `onCacheError` decided. A degraded refusal is not the client's fault: answer 503, not 429.
   */
  degraded: boolean;
}

export interface RateLimiterOptions {
  /** The quota of a principal, e.g. `(p) => DEFAULT_RATE_LIMITS[p.audience]`. Called on every request. */
  limitFor(principal: Principal): RateLimit;
  /** Prefix of counter keys (after the cache's own prefix). Default `ratelimit:`. */
  keyPrefix?: string;
  /**
   * What to do when the cache fails. Default `allow`: reads stay available while Redis is down,
   * and what protects the service from one caller still holds, since the per-request limits
   * (tokens, aliases, depth, cost, page size, deadline) need no cache; only the per-principal
   * request budget lapses until Redis is back. `deny` refuses instead, for deployments where the
   * budget is a contractual cap that must never be exceeded.
   */
  onCacheError?: 'allow' | 'deny';
  /**
   * Longest wait for the cache, in ms, before deciding as if it had failed. Default 250: an INCR
   * takes well under a millisecond, while a Redis host that stops answering would otherwise hold
   * each request for the client's connect timeout (ioredis: 10 s).
   */
  cacheTimeoutMs?: number;
  /** Told once when the cache starts failing and once when it works again. Default: a warning, then an info line, on `logger`. */
  onDegradedChange?: (degraded: boolean, error?: unknown) => void;
  /** Where the default onDegradedChange writes. Default: warnings and errors on stderr. */
  logger?: Logger;
  /** Clock in ms. Default `Date.now`; tests pass their own to move across windows. */
  now?: () => number;
}

export interface RateLimiter {
  /** Counts one request of `principal` against its quota and says whether it may proceed. */
  consume(principal: Principal): Promise<RateLimitDecision>;
}

/**
 * `work`, or a rejection once `ms` pass first. One promise and one timer per call: this runs on
 * every request (a race of `work` against a timeout promise made five).
 */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the cache did not answer within ${ms} ms`)), ms);
    // A late failure, after the timeout answered, is handled here too: never unhandled.
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function assertRateLimit(limit: RateLimit, principal: Principal): void {
  if (!Number.isInteger(limit.requests) || limit.requests < 1 || !Number.isInteger(limit.windowSeconds) || limit.windowSeconds < 1) {
    throw new Error(`limitFor(${principal.id}) returned ${JSON.stringify(limit)}; requests and windowSeconds must be whole numbers of at least 1.`);
  }
}

/**
 * Per-principal request quotas in fixed windows, counted with the cache port's atomic
 * `increment` (Redis INCR + PEXPIRE in one MULTI), so every gateway process sharing one Redis
 * draws on the same budget. Windows are aligned to the clock (window n covers
 * [n·w, (n+1)·w) seconds since the epoch), so every process agrees on the window without reading
 * a TTL, and the reset time is exact. Like every fixed window, a client may spend two quotas
 * across a window boundary; the cost and page limits bound what each of those requests can do.
 * A refused request still counts, so hammering does not help.
 */
export function createRateLimiter(cache: Cache, options: RateLimiterOptions): RateLimiter {
  const keyPrefix = options.keyPrefix ?? 'ratelimit:';
  const onCacheError = options.onCacheError ?? 'allow';
  const cacheTimeoutMs = options.cacheTimeoutMs ?? 250;
  const now = options.now ?? Date.now;
  const onDegradedChange =
    options.onDegradedChange ??
    ((degraded: boolean, error?: unknown) => {
      const logger = (options.logger ?? defaultLogger()).child({ component: 'rate-limit' });
      if (degraded) logger.warn({ err: error, onCacheError }, `cache unavailable; requests are ${onCacheError === 'allow' ? 'allowed uncounted' : 'refused'} until it is back`);
      else logger.info('cache available again; requests are counted');
    });
  let degraded = false;

  return {
    async consume(principal) {
      const limit = options.limitFor(principal);
      assertRateLimit(limit, principal);
      const windowMs = limit.windowSeconds * 1000;
      const at = now();
      const window = Math.floor(at / windowMs);
      const resetSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - at) / 1000));
      const base = { limit: limit.requests, windowSeconds: limit.windowSeconds, resetSeconds };

      let count: number;
      try {
        // The window length is part of the key: a changed quota starts a fresh count, not a wrong one.
        count = await withTimeout(cache.increment(`${keyPrefix}${principal.id}:${limit.windowSeconds}s:${window}`, windowMs), cacheTimeoutMs);
      } catch (error) {
        if (!degraded) onDegradedChange(true, error);
        degraded = true;
        return onCacheError === 'allow'
          ? { ...base, allowed: true, remaining: limit.requests, retryAfterSeconds: 0, degraded: true }
          : { ...base, allowed: false, remaining: 0, retryAfterSeconds: resetSeconds, degraded: true };
      }
      if (degraded) onDegradedChange(false);
      degraded = false;
      const allowed = count <= limit.requests;
      return { ...base, allowed, remaining: Math.max(0, limit.requests - count), retryAfterSeconds: allowed ? 0 : resetSeconds, degraded: false };
    },
  };
}
