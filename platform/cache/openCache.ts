import type { CacheConfig } from '../config/index.js';
import { UnreachableCaseError } from '../errors/index.js';
import type { Cache } from './Cache.js';
import { createMemoryCache } from './createMemoryCache.js';
import { createRedisCache } from './createRedisCache.js';

export function openCache(config: CacheConfig): Promise<Cache> {
  switch (config.kind) {
    case 'redis':
      return createRedisCache(config.url);
    case 'memory':
      return Promise.resolve(createMemoryCache());
    default:
      throw new UnreachableCaseError(config);
  }
}
