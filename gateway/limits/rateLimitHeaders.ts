import type { RateLimitDecision } from './createRateLimiter.js';

/** The policy name in the headers: one quota per principal, so one policy. */
const POLICY = '"default"';

/**
 * Response headers for a decision, per the IETF httpapi-ratelimit-headers draft:
 * `RateLimit-Policy: "default";q=100;w=60` (quota q per window of w seconds) and
 * `RateLimit: "default";r=42;t=17` (r requests remaining, t seconds until the quota resets),
 * plus `Retry-After` (seconds, RFC 9110) when refused. A degraded decision does not know what
 * remains, so it sends the policy but no `RateLimit`.
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = { 'RateLimit-Policy': `${POLICY};q=${decision.limit};w=${decision.windowSeconds}` };
  if (!decision.degraded) headers.RateLimit = `${POLICY};r=${decision.remaining};t=${decision.resetSeconds}`;
  if (!decision.allowed) headers['Retry-After'] = String(decision.retryAfterSeconds);
  return headers;
}
