import type { Logger } from '../logging/index.js';
import type { CacheConfig } from '../config/index.js';
import { UnreachableCaseError } from '../errors/index.js';
import type { Cache } from './Cache.js';
import { createMemoryCache } from './createMemoryCache.js';
import { createRedisCache } from './createRedisCache.js';

/** `logger`: where the adapter logs losing and finding its server again (Redis only); `signal` stops waiting for it at start. */
export function openCache(config: CacheConfig, options: { logger?: Logger; signal?: AbortSignal } = {}): Promise<Cache> {
  switch (config.kind) {
    case 'redis':
      return createRedisCache(config.url, options);
    case 'memory':
      return Promise.resolve(createMemoryCache());
    default:
      throw new UnreachableCaseError(config);
  }
}
