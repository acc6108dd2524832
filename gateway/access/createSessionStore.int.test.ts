import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../../platform/cache/index.js';
import { createMemoryCache, createRedisCache } from '../../platform/cache/index.js';
import { redisUrl, uniqueName } from '../../test/support/services.js';
import { createSessionStore, sessionDigest } from './createSessionStore.js';

const caches: Array<[name: string, open: () => Promise<Cache>]> = [
  ['Redis', () => createRedisCache(redisUrl(), { keyPrefix: `${uniqueName('dpg-test-sessions')}:` })],
  ['in-memory', async () => createMemoryCache()],
];

describe.each(caches)('session store on the %s cache', (_name, openCache) => {
  let cache: Cache;
  beforeAll(async () => {
    cache = await openCache();
  });
  afterAll(async () => {
    await cache.close();
  });

  it('creates a random 32-byte session that resolves to its principal id until destroyed', async () => {
    const sessions = createSessionStore(cache);
    const id = await sessions.create('prn_alice');
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    expect(await sessions.create('prn_alice')).not.toBe(id);
    expect(await sessions.resolve(id)).toBe('prn_alice');
    await sessions.destroy(id);
    expect(await sessions.resolve(id)).toBeNull();
  });

  it('is shared by every store on the same cache (gateway replicas), keyed by a digest of the id, not the id', async () => {
    const replicaA = createSessionStore(cache);
    const replicaB = createSessionStore(cache);
    const id = await replicaA.create('prn_bob');
    expect(await replicaB.resolve(id)).toBe('prn_bob');
    expect(await cache.get(`session:${sessionDigest(id)}`)).toBe('prn_bob');
    expect(await cache.get(`session:${id}`)).toBeNull();
  });

  it('expires after its TTL, and refuses ids that are not session ids', async () => {
    const sessions = createSessionStore(cache, { ttlMs: 150 });
    const id = await sessions.create('prn_carol');
    expect(await sessions.resolve(id)).toBe('prn_carol');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await sessions.resolve(id)).toBeNull();
    expect(await sessions.resolve('')).toBeNull();
    expect(await sessions.resolve('../../etc/passwd')).toBeNull();
    expect(await sessions.resolve('A'.repeat(43))).toBeNull();
  });
});
