import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from './Cache.js';

/** The cache port's contract, run unchanged against every adapter. Keys are unique per run. */
export function describeCacheConformance(name: string, open: () => Promise<Cache>): void {
  describe(`Cache port conformance: ${name}`, () => {
    let cache: Cache;
    const k = (key: string) => `conformance:${process.pid}:${Math.random().toString(16).slice(2)}:${key}`;
    beforeAll(async () => {
      cache = await open();
    });
    afterAll(async () => {
      await cache.close();
    });

    it('returns what was set, and null for a missing or deleted key', async () => {
      const key = k('a');
      expect(await cache.get(key)).toBeNull();
      await cache.set(key, 'value');
      expect(await cache.get(key)).toBe('value');
      await cache.delete(key);
      expect(await cache.get(key)).toBeNull();
    });

    it('expires a value after its TTL', async () => {
      const key = k('ttl');
      await cache.set(key, 'short', 50);
      expect(await cache.get(key)).toBe('short');
      await sleep(120);
      expect(await cache.get(key)).toBeNull();
    });

    it('counts increments in a fixed window that starts at the first increment', async () => {
      const key = k('counter');
      expect(await cache.increment(key, 150)).toBe(1);
      expect(await cache.increment(key, 150)).toBe(2);
      expect(await cache.increment(key, 150)).toBe(3);
      await sleep(250);
      expect(await cache.increment(key, 150)).toBe(1);
    });
  });
}
