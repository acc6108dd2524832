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
