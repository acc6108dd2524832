import { describe, expect, it } from 'vitest';
import type { RateLimitDecision } from './createRateLimiter.js';
import { rateLimitHeaders } from './rateLimitHeaders.js';

const decision = (overrides: Partial<RateLimitDecision>): RateLimitDecision => ({
  allowed: true,
  limit: 100,
  windowSeconds: 60,
  remaining: 42,
  resetSeconds: 17,
  retryAfterSeconds: 0,
  degraded: false,
  ...overrides,
});

describe('rateLimitHeaders', () => {
  it('states the policy and what remains, per the httpapi-ratelimit-headers draft', () => {
    expect(rateLimitHeaders(decision({}))).toEqual({ 'RateLimit-Policy': '"default";q=100;w=60', RateLimit: '"default";r=42;t=17' });
  });

  it('adds Retry-After when refused', () => {
    expect(rateLimitHeaders(decision({ allowed: false, remaining: 0, retryAfterSeconds: 17 }))).toEqual({
      'RateLimit-Policy': '"default";q=100;w=60',
      RateLimit: '"default";r=0;t=17',
      'Retry-After': '17',
    });
  });

  it('does not claim a remaining count it could not read from the cache', () => {
    expect(rateLimitHeaders(decision({ degraded: true, remaining: 100 }))).toEqual({ 'RateLimit-Policy': '"default";q=100;w=60' });
    expect(rateLimitHeaders(decision({ degraded: true, allowed: false, remaining: 0, retryAfterSeconds: 17 }))).toEqual({ 'RateLimit-Policy': '"default";q=100;w=60', 'Retry-After': '17' });
  });
});
