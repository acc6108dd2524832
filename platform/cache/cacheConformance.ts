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

    it('adds to hash fields, and drops the hash a TTL after the call that created it', async () => {
      const key = k('hash');
      expect(await cache.hashGetAll(key)).toEqual({});
      await cache.hashIncrement(key, { a: 1, b: 2 }, 200);
      await sleep(100);
      // A later increment does not push the expiry back: a daily bucket ends with its day.
      await cache.hashIncrement(key, { a: 1, c: 5 }, 200);
      expect(await cache.hashGetAll(key)).toEqual({ a: '2', b: '2', c: '5' });
      await sleep(150);
      expect(await cache.hashGetAll(key)).toEqual({});
    });

    it('keeps the greatest value per hash field, and refreshes the TTL on every call', async () => {
      const key = k('max');
      await cache.hashMax(key, { a: 10, b: 5 }, 200);
      await cache.hashMax(key, { a: 7, b: 9 }, 200); // an out-of-order write never goes back
      expect(await cache.hashGetAll(key)).toEqual({ a: '10', b: '9' });
      await sleep(120);
      await cache.hashMax(key, { c: 1 }, 200);
      await sleep(120);
      expect(await cache.hashGetAll(key)).toEqual({ a: '10', b: '9', c: '1' });
      await sleep(150);
      expect(await cache.hashGetAll(key)).toEqual({});
    });

    it('admits at most `capacity` members to a bounded set, refreshing members and evicting idle ones only when full', async () => {
      const key = k('bounded');
      const admit = (member: string, now: number, evictBefore = 0) => cache.admitToBoundedSet(key, member, { capacity: 3, now, evictBefore, ttlMs: 60_000 });
      expect(await Promise.all(['a', 'b', 'c'].map((m, i) => admit(m, 100 + i)))).toEqual([true, true, true]);
      expect(await admit('d', 200)).toBe(false);
      expect(await admit('a', 300)).toBe(true); // a member is always re-admitted, and refreshed
      expect(await cache.hashGetAll(key)).toEqual({ a: '300', b: '101', c: '102' });
      // Full: members last admitted before 102 make room (b), c and a stay.
      expect(await admit('d', 400, 102)).toBe(true);
      expect(Object.keys(await cache.hashGetAll(key)).sort()).toEqual(['a', 'c', 'd']);
      expect(await admit('e', 500, 102)).toBe(false);
    });

    it('never admits more than `capacity` when many admissions race', async () => {
      const key = k('race');
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => cache.admitToBoundedSet(key, `m${i}`, { capacity: 10, now: 1, evictBefore: 0, ttlMs: 60_000 })));
      expect(results.filter(Boolean)).toHaveLength(10);
      expect(Object.keys(await cache.hashGetAll(key))).toHaveLength(10);
    });
  });
}
