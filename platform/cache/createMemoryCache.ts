import type { Cache } from './Cache.js';

export interface MemoryCacheOptions {
  /** Clock, for tests of expiry. Default `Date.now`. */
  now?: () => number;
}

/** The embedded default: one process, so a Map with lazy expiry is enough. */
export function createMemoryCache(options: MemoryCacheOptions = {}): Cache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    kind: 'memory',
    get: async (key) => live(key)?.value ?? null,
    async set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
    async increment(key, windowMs) {
      const entry = live(key);
      const value = String(Number(entry?.value ?? '0') + 1);
      entries.set(key, { value, expiresAt: entry?.expiresAt ?? now() + windowMs });
      return Number(value);
    },
    async close() {
      entries.clear();
    },
  };
}
