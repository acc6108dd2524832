export type { BoundedSetAdmission, Cache } from './Cache.js';
export { createMemoryCache } from './createMemoryCache.js';
export type { MemoryCache, MemoryCacheOptions } from './createMemoryCache.js';
export { createRedisCache } from './createRedisCache.js';
export type { RedisCacheOptions } from './createRedisCache.js';
export { openCache } from './openCache.js';
export { toCacheError } from './toCacheError.js';
export { observeCache } from './observeCache.js';
export type { CacheObserver, CacheOperation, CacheOutcome } from './observeCache.js';
