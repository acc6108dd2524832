import { Redis } from 'ioredis';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { Cache } from './Cache.js';

export interface RedisCacheOptions {
  /** Prefix for every key, so several deployments can share one Redis. Default `dpg:`. */
  keyPrefix?: string;
}

export async function createRedisCache(url: string, options: RedisCacheOptions = {}): Promise<Cache> {
  const redis = new Redis(url, { keyPrefix: options.keyPrefix ?? 'dpg:', lazyConnect: true, maxRetriesPerRequest: 2 });
  // Connection errors surface on the commands that fail; the event would otherwise crash the process.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (cause) {
    redis.disconnect();
    throw new PlatformError(
      PlatformErrorCode.CacheUnavailable,
      `Cannot connect to Redis at REDIS_URL: ${(cause as Error).message}. Fix: start Redis or correct REDIS_URL; unset it to use the in-memory cache.`,
      { retriable: true, cause },
    );
  }
  return {
    kind: 'redis',
    get: (key) => redis.get(key),
    async set(key, value, ttlMs) {
      if (ttlMs === undefined) await redis.set(key, value);
      else await redis.set(key, value, 'PX', ttlMs);
    },
    async delete(key) {
      await redis.del(key);
    },
    async increment(key, windowMs) {
      // One round trip; NX keeps the window anchored at the first increment.
      const [[incrError, count] = [], [expireError] = []] = (await redis.multi().incr(key).pexpire(key, windowMs, 'NX').exec()) ?? [];
      if (incrError || expireError) throw incrError ?? expireError;
      return Number(count);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
