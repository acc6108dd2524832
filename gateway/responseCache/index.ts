export { createResponseCache } from './createResponseCache.js';
export type { ResponseCache, ResponseCacheDeps, ResponseCacheExtension, ResponseCacheOptions, ResponseCacheStatus } from './createResponseCache.js';
export type { ResponseCacheBypassReason } from './projectionsRead.js';
export { canonicalJson, responseCacheKey } from './responseCacheKey.js';
export type { ResponseCacheKeyParts } from './responseCacheKey.js';
