import { LRUCache } from 'lru-cache';
import type { Cache } from '../../platform/cache/index.js';

/** Where cached answers live: the two operations the response cache needs. */
export interface ResponseStore {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

export interface ResponseStoreOptions {
  /** The in-process store's bound in bytes (UTF-16 length of the entries, roughly); least recently used go first. */
  maxMemoryBytes: number;
}

/**
 * Redis through the Cache port when the gateway has one (shared by replicas; bounded by Redis's
 * maxmemory and the entries' TTL); otherwise an LRU in this process, bounded in bytes (the
 * port's memory adapter bounds nothing but time, right for counters, not for answers).
 */
export function createResponseStore(cache: Cache, options: ResponseStoreOptions): ResponseStore {
  if (cache.kind === 'redis') return { kind: 'redis', get: (key) => cache.get(key), set: (key, value, ttlMs) => cache.set(key, value, ttlMs) };
  const entries = new LRUCache<string, string>({ maxSize: options.maxMemoryBytes, sizeCalculation: (value, key) => value.length + key.length });
  return {
    kind: 'memory',
    get: async (key) => entries.get(key) ?? null,
    async set(key, value, ttlMs) {
      entries.set(key, value, { ttl: ttlMs });
    },
  };
}
