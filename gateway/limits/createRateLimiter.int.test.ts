import type { Server, Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../../platform/cache/index.js';
import { createMemoryCache, createRedisCache } from '../../platform/cache/index.js';
import { redisUrl, uniqueName } from '../../test/support/services.js';
import type { Principal } from '../access/index.js';
import type { RateLimit, RateLimiterOptions } from './createRateLimiter.js';
import { createRateLimiter, DEFAULT_RATE_LIMITS } from './createRateLimiter.js';
import { rateLimitHeaders } from './rateLimitHeaders.js';

const keyPrefix = `${uniqueName('ratelimit')}:`;
let principals = 0;
/** A principal of its own per test, so no two tests share a counter. */
function newPrincipal(audience: Principal['audience'] = 'PARTNER'): Principal {
  principals += 1;
  return { id: `prn_test_${principals}`, name: `test ${principals}`, audience, contracts: ['*'], rights: [], rowScope: audience === 'PARTNER' ? { salesChannel: ['MARKETPLACE'] } : null, credential: { kind: 'apiKey', prefix: 'test' } };
}
/** A clock held 20 s into a 60 s window, so no test straddles a window boundary by chance. */
const STILL = () => 16_667 * 60_000 + 20_000;
const quota = (limit: RateLimit) => ({ limitFor: () => limit, keyPrefix, now: STILL });

/** The same behaviour on every cache adapter. */
function describeRateLimiter(name: string, open: () => Promise<Cache>): void {
  describe(`createRateLimiter on ${name}`, () => {
    let cache: Cache;
    beforeAll(async () => {
      cache = await open();
    });
    afterAll(async () => {
      await cache.close();
    });

    it('allows the quota, then refuses with Retry-After until the window ends', async () => {
      const limiter = createRateLimiter(cache, quota({ requests: 3, windowSeconds: 60 }));
      const principal = newPrincipal();
      const decisions = [];
      for (let i = 0; i < 4; i++) decisions.push(await limiter.consume(principal));
      expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
        [false, 0],
      ]);
      expect(decisions[3]).toEqual({ allowed: false, limit: 3, windowSeconds: 60, remaining: 0, resetSeconds: 40, retryAfterSeconds: 40, degraded: false });
      expect(rateLimitHeaders(decisions[3]!)).toEqual({ 'RateLimit-Policy': '"default";q=3;w=60', RateLimit: '"default";r=0;t=40', 'Retry-After': '40' });
      expect(rateLimitHeaders(decisions[0]!)).toEqual({ 'RateLimit-Policy': '"default";q=3;w=60', RateLimit: '"default";r=2;t=40' });
    });

    it('counts each principal on its own', async () => {
      const limiter = createRateLimiter(cache, quota({ requests: 1, windowSeconds: 60 }));
      const [first, second] = [newPrincipal(), newPrincipal()];
      expect((await limiter.consume(first)).allowed).toBe(true);
      expect((await limiter.consume(first)).allowed).toBe(false);
      expect((await limiter.consume(second)).allowed).toBe(true);
    });

    it('starts a whole quota when the window resets', async () => {
      const limiter = createRateLimiter(cache, { ...quota({ requests: 2, windowSeconds: 1 }), now: Date.now });
      const principal = newPrincipal();
      let decision = await limiter.consume(principal);
      while (decision.allowed) decision = await limiter.consume(principal);
      expect(decision.retryAfterSeconds).toBe(1);
      // Windows are aligned to the clock: the next one starts at the next whole second.
      await sleep(1_000 - (Date.now() % 1_000) + 20);
      expect(await limiter.consume(principal)).toMatchObject({ allowed: true, remaining: 1 });
    });

    it('applies the default quotas per audience', async () => {
      const limiter = createRateLimiter(cache, { limitFor: (p) => DEFAULT_RATE_LIMITS[p.audience], keyPrefix, now: STILL });
      expect(await limiter.consume(newPrincipal('PARTNER'))).toMatchObject({ allowed: true, limit: 120, remaining: 119, windowSeconds: 60 });
      expect(await limiter.consume(newPrincipal('INTERNAL'))).toMatchObject({ allowed: true, limit: 1_200, remaining: 1_199, windowSeconds: 60 });
    });

    it('refuses a quota that is not whole numbers of at least 1', async () => {
      const limiter = createRateLimiter(cache, quota({ requests: 0.5, windowSeconds: 60 }));
      await expect(limiter.consume(newPrincipal())).rejects.toThrow(/returned \{"requests":0.5,"windowSeconds":60\}; requests and windowSeconds must be whole numbers/);
    });
  });
}

describeRateLimiter('Redis', () => createRedisCache(redisUrl(), { keyPrefix: 'dpg-test:' }));
describeRateLimiter('the memory cache', async () => createMemoryCache());

/**
 * A TCP relay in front of the real Redis, standing in for the network between a gateway and
 * Redis: it can stop answering (a hung Redis) or close its port (Redis gone), and open it again.
 */
async function startRelay(target: URL): Promise<{ port: number; stall(): void; close(): Promise<void>; reopen(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let stalled = false;
  let server: Server;
  const listen = async (port: number) => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      }
      client.on('data', (chunk) => void (stalled || upstream.write(chunk)));
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  };
  const port = await listen(0);
  return {
    port,
    stall: () => void (stalled = true),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async reopen() {
      stalled = false;
      await listen(port);
    },
  };
}

describe('createRateLimiter on Redis shared by gateway processes', () => {
  it('shares one budget between two limiters on two Redis connections', async () => {
    const [cacheA, cacheB] = await Promise.all([createRedisCache(redisUrl(), { keyPrefix: 'dpg-test:' }), createRedisCache(redisUrl(), { keyPrefix: 'dpg-test:' })]);
    try {
      const options = quota({ requests: 10, windowSeconds: 60 });
      const [processA, processB] = [createRateLimiter(cacheA, options), createRateLimiter(cacheB, options)];
      const principal = newPrincipal();
      const decisions = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? processA : processB).consume(principal)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
      expect(decisions.filter((d) => !d.allowed)).toHaveLength(6);
      // Every count from 1 to 16 was handed out exactly once across both processes.
      expect(decisions.map((d) => d.remaining).sort((a, b) => b - a)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0]);
    } finally {
      await Promise.all([cacheA.close(), cacheB.close()]);
    }
  });
});

describe('createRateLimiter when Redis fails', () => {
  const failing = async (onCacheError: RateLimiterOptions['onCacheError'], cacheTimeoutMs = 5_000) => {
    const relay = await startRelay(new URL(redisUrl()));
    const cache = await createRedisCache(`redis://127.0.0.1:${relay.port}`, { keyPrefix: 'dpg-test:' });
    const changes: boolean[] = [];
    const limiter = createRateLimiter(cache, { ...quota({ requests: 5, windowSeconds: 60 }), onCacheError, cacheTimeoutMs, onDegradedChange: (degraded) => changes.push(degraded) });
    return { relay, cache, limiter, changes };
  };

  it("onCacheError 'allow' (the default): allowed and marked degraded once the port is closed, counted again once Redis is back", async () => {
    const { relay, cache, limiter, changes } = await failing(undefined);
    try {
      const principal = newPrincipal();
      expect(await limiter.consume(principal)).toMatchObject({ allowed: true, remaining: 4, degraded: false });
      await relay.close(); // nothing listens on that port now
      const decision = await limiter.consume(principal);
      expect(decision).toMatchObject({ allowed: true, limit: 5, remaining: 5, retryAfterSeconds: 0, degraded: true });
      expect(rateLimitHeaders(decision)).toEqual({ 'RateLimit-Policy': '"default";q=5;w=60' });
      expect(changes).toEqual([true]);

      await relay.reopen();
      let recovered = await limiter.consume(principal);
      for (let tries = 0; recovered.degraded && tries < 50; tries++) {
        await sleep(100);
        recovered = await limiter.consume(principal);
      }
      expect(recovered).toMatchObject({ allowed: true, degraded: false });
      expect(changes).toEqual([true, false]);
    } finally {
      await cache.close();
      await relay.close();
    }
  });

  it("onCacheError 'deny': refused, degraded, with Retry-After", async () => {
    const { relay, cache, limiter } = await failing('deny');
    try {
      await relay.close();
      const decision = await limiter.consume(newPrincipal());
      expect(decision).toMatchObject({ allowed: false, remaining: 0, degraded: true });
      expect(decision.retryAfterSeconds).toBe(decision.resetSeconds);
      expect(rateLimitHeaders(decision)).toEqual({ 'RateLimit-Policy': '"default";q=5;w=60', 'Retry-After': String(decision.resetSeconds) });
    } finally {
      await cache.close();
    }
  });

  it('decides after cacheTimeoutMs when Redis stops answering, instead of waiting for it', async () => {
    const { relay, cache, limiter } = await failing('deny', 100);
    try {
      relay.stall();
      const started = performance.now();
      expect(await limiter.consume(newPrincipal())).toMatchObject({ allowed: false, degraded: true });
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(95);
      expect(elapsed).toBeLessThan(2_000);
    } finally {
      await relay.close();
      await cache.close();
    }
  });
});
