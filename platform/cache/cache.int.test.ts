import { describe, expect, it } from 'vitest';
import { redisUrl } from '../../test/support/services.js';
import { describeCacheConformance } from './cacheConformance.js';
import { createMemoryCache } from './createMemoryCache.js';
import { createRedisCache } from './createRedisCache.js';

describeCacheConformance('Redis (ioredis)', () => createRedisCache(redisUrl(), { keyPrefix: 'dpg-test:' }));
describeCacheConformance('in-memory', async () => createMemoryCache());

describe('createRedisCache', () => {
  it('fails with a message naming REDIS_URL and the fix when Redis is unreachable', async () => {
    const started = performance.now();
    await expect(createRedisCache('redis://127.0.0.1:1', { startupWaitMs: 300 })).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE', retriable: true, message: expect.stringMatching(/REDIS_URL.*Fix: start Redis or correct REDIS_URL/) });
    // Refused connections are retried until startupWaitMs, then reported.
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });
});

describe('createMemoryCache', () => {
  it('drops expired keys nobody reads again, so a long-running process stays bounded', async () => {
    const clock = { now: 0 };
    const cache = createMemoryCache({ now: () => clock.now, sweepIntervalMs: 1_000 });
    const unswept = createMemoryCache({ now: () => clock.now, sweepIntervalMs: 1_000_000 });
    for (let i = 0; i < 1_000; i++) await unswept.hashIncrement(`bucket:${i}`, { a: 1 }, 500);
    for (let i = 0; i < 1_000; i++) await cache.hashIncrement(`bucket:${i}`, { a: 1 }, 500);
    expect(cache.size()).toBe(1_000);
    clock.now = 2_000;
    await cache.set('one-more', 'x');
    expect(cache.size()).toBe(1);
    // Without a sweep due, expired keys are still held: the sweep is what drops them.
    await unswept.set('one-more', 'x');
    expect(unswept.size()).toBe(1_001);
  });
});
