import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache, MemoryCache } from '../../platform/cache/index.js';
import { createMemoryCache, createRedisCache } from '../../platform/cache/index.js';
import { redisUrl, uniqueName } from '../../test/support/services.js';
import type { UsageContract, UsageCounters } from './createUsageCounters.js';
import { createUsageCounters, UNIDENTIFIED_CLIENT, USAGE_WINDOW_DAYS } from './createUsageCounters.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 2, 9, 30);
const contract: UsageContract = { name: 'shop_timeline', version: 2, consumers: ['customer-service-portal', 'order-status-emails'] };
const COORDINATES = ['Query.orders', 'Order.orderId', 'Order.orderStatus'];

/** An adapter under test: the cache, its clock (a test moves it), and how many keys it holds (SCAN on Redis, size() in memory). */
interface Deployment {
  cache: Cache;
  clock: { now: number };
  keyCount(): Promise<number>;
  /** Milliseconds until a key expires, for the adapter whose expiry cannot follow the test's clock. */
  ttlOf?(key: string): Promise<number>;
  close(): Promise<void>;
}

const deployments: Array<[name: string, open: () => Promise<Deployment>]> = [
  [
    'Redis',
    async () => {
      const prefix = `${uniqueName('usage')}:`;
      const cache = await createRedisCache(redisUrl(), { keyPrefix: prefix });
      const redis = new Redis(redisUrl());
      const keys = async () => {
        const found: string[] = [];
        for (let cursor = '0'; ; ) {
          const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          found.push(...batch);
          if ((cursor = next) === '0') return found;
        }
      };
      return {
        cache,
        clock: { now: START },
        keyCount: async () => (await keys()).length,
        ttlOf: (key) => redis.pttl(`${prefix}${key}`),
        async close() {
          const all = await keys();
          if (all.length > 0) await redis.del(...all);
          await redis.quit();
          await cache.close();
        },
      };
    },
  ],
  [
    'the memory cache',
    async () => {
      const clock = { now: START };
      const cache: MemoryCache = createMemoryCache({ now: () => clock.now });
      return { cache, clock, keyCount: async () => cache.size(), close: () => cache.close() };
    },
  ],
];

/** Runs `count` records, `concurrency` at a time, as concurrent requests would. */
async function recordMany(counters: UsageCounters, count: number, use: (i: number) => { principalName: string; clientName: string | null }, concurrency = 500): Promise<void> {
  for (let from = 0; from < count; from += concurrency) {
    await Promise.all(Array.from({ length: Math.min(concurrency, count - from) }, (_, j) => counters.record({ contract, coordinates: COORDINATES, ...use(from + j) })));
  }
}

describe.each(deployments)('usage counters on %s', (_name, open) => {
  let d: Deployment;
  let counters: UsageCounters;
  beforeAll(async () => {
    d = await open();
  });
  afterAll(async () => {
    await d.close();
  });
  const fresh = (options: { maxNamedPrincipals?: number } = {}) => {
    counters = createUsageCounters(d.cache, { now: () => d.clock.now, ...options });
    return counters;
  };
  const reset = async () => {
    // Each test starts a new contract version, so counts do not mix.
    contract.version++;
    d.clock.now = START;
  };

  it('names the principal and the declared consumers it speaks for, and counts every other name as unidentified', async () => {
    await reset();
    const c = fresh();
    await c.record({ contract, principalName: 'svc-dashboards', clientName: null, coordinates: COORDINATES });
    await c.record({ contract, principalName: 'svc-dashboards', clientName: 'svc-dashboards', coordinates: ['Query.orders', 'Order.orderId'] });
    await c.record({ contract, principalName: 'svc-dashboards', clientName: 'order-status-emails', coordinates: COORDINATES });
    await c.record({ contract, principalName: 'svc-dashboards', clientName: 'not-declared-anywhere', coordinates: COORDINATES });
    await c.record({ contract, principalName: 'svc-dashboards', clientName: '  ', coordinates: ['Query.orders'] });
    const snapshot = await c.read(contract);
    const row = (rows: ReturnType<typeof snapshot.field>, client: string) => rows.find((r) => r.client === client);
    expect(snapshot.field('Order.orderStatus').map((r) => [r.client, r.kind, r.last30Days])).toEqual([
      ['order-status-emails', 'CONSUMER', 1],
      ['svc-dashboards', 'PRINCIPAL', 1],
      [UNIDENTIFIED_CLIENT, 'UNIDENTIFIED', 1],
    ]);
    expect(row(snapshot.field('Order.orderId'), 'svc-dashboards')!.last30Days).toBe(2);
    expect(row(snapshot.requests(), 'svc-dashboards')).toMatchObject({ today: 3, last7Days: 3, last30Days: 3, lastSeenAt: new Date(START).toISOString() });
    expect(snapshot.field('Order.never')).toEqual([]);
  });

  it('keeps 10,000 distinct made-up client names within the bounded cardinality: one unidentified series', async () => {
    await reset();
    const c = fresh();
    const before = await d.keyCount();
    // Long names too: the probe that found this sent 8 KB names.
    await recordMany(c, 10_000, (i) => ({ principalName: 'svc-dashboards', clientName: `made-up-${i}-${'x'.repeat(i < 200 ? 8_192 : 16)}` }));
    // One hash per date, the last-seen hash, the set of named principals: whatever the names.
    expect((await d.keyCount()) - before).toBeLessThanOrEqual(3);
    const snapshot = await c.read(contract);
    expect(snapshot.field('Order.orderStatus')).toEqual([expect.objectContaining({ client: UNIDENTIFIED_CLIENT, kind: 'UNIDENTIFIED', today: 10_000, last30Days: 10_000 })]);
    const day = new Date(START).toISOString().slice(0, 10);
    // (fields selected + requests) × (the one identified client + unidentified) at most.
    expect(Object.keys(await d.cache.hashGetAll(`usage:${contract.name}:v${contract.version}:${day}`)).length).toBeLessThanOrEqual((COORDINATES.length + 1) * 2);
  });

  it('counts at most maxNamedPrincipals principals by name per contract version: 10,000 distinct principals make 20 named series', async () => {
    await reset();
    const c = fresh({ maxNamedPrincipals: 20 });
    const before = await d.keyCount();
    await recordMany(c, 10_000, (i) => ({ principalName: `jwt-subject-${i}`, clientName: null }));
    expect((await d.keyCount()) - before).toBeLessThanOrEqual(3);
    const rows = (await c.read(contract)).field('Order.orderId');
    expect(rows.filter((r) => r.kind === 'PRINCIPAL')).toHaveLength(20);
    expect(rows.find((r) => r.kind === 'UNIDENTIFIED')!.last30Days).toBe(10_000 - 20);
    expect(rows.reduce((n, r) => n + r.last30Days, 0)).toBe(10_000);
    // A named principal stays named; a place frees up only when one has been idle for the whole window.
    d.clock.now += (USAGE_WINDOW_DAYS + 1) * DAY;
    await c.record({ contract, principalName: 'jwt-subject-0', clientName: null, coordinates: ['Order.orderId'] });
    const late = createUsageCounters(d.cache, { now: () => d.clock.now, maxNamedPrincipals: 20 });
    await late.record({ contract, principalName: 'newcomer', clientName: null, coordinates: ['Order.orderId'] });
    expect((await late.read(contract)).field('Order.orderId').map((r) => r.client)).toEqual(expect.arrayContaining(['jwt-subject-0', 'newcomer']));
  });

  it('rolls the 30-day window by UTC date: counts leave it day by day, never all at once', async () => {
    await reset();
    const c = fresh();
    const useOn = async (day: number, n: number) => {
      d.clock.now = START + day * DAY;
      for (let i = 0; i < n; i++) await c.record({ contract, principalName: 'svc-dashboards', clientName: null, coordinates: ['Order.orderStatus'] });
    };
    await useOn(0, 5);
    await useOn(10, 3);
    await useOn(29, 2);
    const at29 = (await c.read(contract)).field('Order.orderStatus')[0]!;
    expect(at29).toMatchObject({ today: 2, last7Days: 2, last30Days: 10, lastSeenAt: new Date(START + 29 * DAY).toISOString() });
    expect(at29.daily).toHaveLength(USAGE_WINDOW_DAYS);
    expect(at29.daily[0]).toEqual({ date: new Date(START).toISOString().slice(0, 10), count: 5 });
    expect(at29.daily.filter((x) => x.count > 0).map((x) => x.count)).toEqual([5, 3, 2]);
    d.clock.now = START + 30 * DAY; // day 0 has left the window; days 10 and 29 stay
    expect((await c.read(contract)).field('Order.orderStatus')[0]).toMatchObject({ today: 0, last7Days: 2, last30Days: 5 });
    d.clock.now = START + 40 * DAY;
    expect((await c.read(contract)).field('Order.orderStatus')[0]).toMatchObject({ last30Days: 2 });
    d.clock.now = START + 60 * DAY;
    // Out of the window but remembered: listed with zeros and when it was last seen.
    expect((await c.read(contract)).field('Order.orderStatus')).toEqual([expect.objectContaining({ client: 'svc-dashboards', last30Days: 0, lastSeenAt: new Date(START + 29 * DAY).toISOString() })]);
  });

  it('drops each daily bucket when its date leaves the window, so keys stay bounded over time', async () => {
    await reset();
    const c = fresh();
    const before = await d.keyCount();
    for (let day = 0; day < 45; day++) {
      d.clock.now = START + day * DAY;
      await c.record({ contract, principalName: 'svc-dashboards', clientName: null, coordinates: COORDINATES });
    }
    if (d.ttlOf) {
      // Redis keeps time by its own clock: check that each bucket is set to expire when its date leaves the window.
      const lastDate = new Date(START + 44 * DAY).toISOString().slice(0, 10);
      const expected = Date.parse(`${lastDate}T00:00:00Z`) + USAGE_WINDOW_DAYS * DAY - d.clock.now;
      expect(Math.abs((await d.ttlOf(`usage:${contract.name}:v${contract.version}:${lastDate}`)) - expected)).toBeLessThan(5_000);
    } else {
      expect((await d.keyCount()) - before).toBeLessThanOrEqual(USAGE_WINDOW_DAYS + 2);
    }
  });
});
