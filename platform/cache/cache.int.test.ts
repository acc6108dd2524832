import { describe, expect, it } from 'vitest';
import { redisUrl } from '../../test/support/services.js';
import { describeCacheConformance } from './cacheConformance.js';
import { createMemoryCache } from './createMemoryCache.js';
import { createRedisCache } from './createRedisCache.js';

describeCacheConformance('Redis (ioredis)', () => createRedisCache(redisUrl(), { keyPrefix: 'dpg-test:' }));
describeCacheConformance('in-memory', async () => createMemoryCache());

describe('createRedisCache', () => {
  it('fails with a message naming REDIS_URL and the fix when Redis is unreachable', async () => {
    await expect(createRedisCache('redis://127.0.0.1:1')).rejects.toThrow(/REDIS_URL.*Fix: start Redis or correct REDIS_URL/);
  });
});
