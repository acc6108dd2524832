import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCache } from '../../platform/cache/index.js';
import type { Cache } from '../../platform/cache/index.js';
import type { Database } from '../../platform/database/index.js';
import { createPostgresDatabase } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector, rebuildProjection } from '../../platform/projection/index.js';
import { createOrdersSimulator, ORDERS_EVENTS_TOPIC, ordersContext } from '../../subgraphs/orders/index.js';
import { captureLogger } from '../../test/support/captureLogger.js';
import { postGraphQL } from '../../test/support/graphqlClient.js';
import { placed } from '../../test/support/orderEvents.js';
import type { OutageGateway } from '../../test/support/outageHarness.js';
import { startOutageGateway, waitFor } from '../../test/support/outageHarness.js';
import { produceAll, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { postgresUrl, uniqueName } from '../../test/support/services.js';
import type { ScratchRedis } from '../../test/support/startScratchRedis.js';
import { startScratchRedis } from '../../test/support/startScratchRedis.js';
import type { TestGateway } from '../../test/support/startTestGateway.js';
import { startTestGateway } from '../../test/support/startTestGateway.js';
import type { TestPrincipalName } from '../../test/support/gatewayAccess.js';

// The response cache over real HTTP: real PostgreSQL and Redis, and the embedded defaults
// (PGlite, the in-process store). Freshness is read on every request (ttlMs 0) at a fixed clock,
// so a fresh answer and a cached one at the same watermarks must carry identical metadata.

const TIMELINE = '/contracts/customer_order_timeline/v1';
const PARTNER = '/contracts/partner_order_status/v1';
const JOURNEY = '/contracts/order_journey/v1';
const RECENT = /* GraphQL */ `query Recent { recentCustomerOrders(first: 3) { orderId orderLifecycleState orderStatus orderTotal { amount currency } } }`;
const ONE = /* GraphQL */ `query One($id: ID!) { customerOrderTimeline(orderId: $id) { orderId orderLifecycleState } }`;
const PARTNER_PAGE = /* GraphQL */ `{ partnerOrders(first: 3) { orderId customerToken } }`;
const FIXED_NOW = Date.now();
/** Moved by the last test, as time passing would move it. */
const clock = { offsetMs: 0 };

type Body = Awaited<ReturnType<typeof postGraphQL>>['body'];
const cacheStatus = (body: Body) => (body.extensions?.responseCache as { status?: string } | undefined)?.status;
const withoutCache = (body: Body) => {
  const { responseCache: _responseCache, ...rest } = body.extensions ?? {};
  return rest;
};
const asOf = (body: Body) => (body.extensions!.freshness as Array<{ projection: string; asOfEventTime: string }>).find((f) => f.projection === 'order_timeline')!.asOfEventTime;

describe.each([['PostgreSQL and Redis', 'postgres'] as const, ['PGlite and the in-process store', 'embedded'] as const])('response cache on %s', (_name, services) => {
  let t: TestGateway;
  const ask = (who: TestPrincipalName, path: string, query: string, variables?: Record<string, unknown>) => postGraphQL(`${t.url}${path}`, query, { variables, headers: t.bearer(who) });

  beforeAll(async () => {
    t = await startTestGateway({
      prefix: `response_cache_${services}`,
      services,
      orders: { count: 60, seed: 11 },
      gateway: { responseCache: { ttlMs: 60_000 }, freshness: { ttlMs: 0, now: () => FIXED_NOW + clock.offsetMs } },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('serves the second identical request from the cache: same data, same headers, same metadata', async () => {
    const first = await ask('internal', TIMELINE, RECENT);
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.extensions!.responseCache).toEqual({ status: 'MISS', stored: true });
    expect((first.body.data!.recentCustomerOrders as unknown[]).length).toBe(3);

    const second = await ask('internal', TIMELINE, RECENT);
    expect(second.body.extensions!.responseCache).toEqual({ status: 'HIT', storedAt: expect.any(String) });
    expect(second.body.data).toEqual(first.body.data);
    // Freshness, lineage, deprecations, redactions: computed for the HIT as for a fresh answer.
    expect(withoutCache(second.body)).toEqual(withoutCache(first.body));
    expect(Object.keys(withoutCache(second.body))).toEqual(expect.arrayContaining(['freshness', 'freshnessStatus', 'lineage', 'deprecations']));
    expect(second.headers.get('deprecation')).toBe(first.headers.get('deprecation'));
    expect(second.headers.get('deprecation')).not.toBeNull();
  });

  it('one event applied to a read projection invalidates it, even a late one that moves no event-time watermark', async () => {
    const before = await ask('internal', TIMELINE, ONE, { id: 'ord-rc-late' });
    expect(before.body.data).toEqual({ customerOrderTimeline: null });
    expect(cacheStatus(before.body)).toBe('MISS');
    expect(cacheStatus((await ask('internal', TIMELINE, ONE, { id: 'ord-rc-late' })).body)).toBe('HIT');

    // When an order placed on 2026-01-01 arrives now: older than everything applied (the simulated orders are of the last hour).
    await t.log.produce(ORDERS_EVENTS_TOPIC, [placed('ord-rc-late')]);
    await waitUntilCaughtUp(t.db, t.log, t.schema, [ORDERS_EVENTS_TOPIC]);

    const after = await ask('internal', TIMELINE, ONE, { id: 'ord-rc-late' });
    expect(cacheStatus(after.body)).toBe('MISS');
    expect(after.body.data).toEqual({ customerOrderTimeline: { orderId: 'ord-rc-late', orderLifecycleState: 'PLACED' } });
    // The event-time watermark did not move: it could not have told the cache.
    expect(asOf(after.body)).toBe(asOf(before.body));
    const again = await ask('internal', TIMELINE, ONE, { id: 'ord-rc-late' });
    expect(cacheStatus(again.body)).toBe('HIT');
    expect(again.body.data).toEqual(after.body.data);
    // The page cached before reads the same projection: not served again, though its rows are the same.
    expect(cacheStatus((await ask('internal', TIMELINE, RECENT)).body)).toBe('MISS');
  });

  it('two principals never share an entry: each partner gets its own tokens', async () => {
    const internal = await ask('internal', TIMELINE, RECENT);
    const operator = await ask('operator', TIMELINE, RECENT);
    expect(cacheStatus(internal.body)).toBe('HIT');
    expect(cacheStatus(operator.body)).toBe('MISS');
    expect(operator.body.data).toEqual(internal.body.data);

    const a = await ask('partner', PARTNER, PARTNER_PAGE);
    const b = await ask('partnerB', PARTNER, PARTNER_PAGE);
    expect([cacheStatus(a.body), cacheStatus(b.body)]).toEqual(['MISS', 'MISS']);
    const rowsA = a.body.data!.partnerOrders as Array<{ orderId: string; customerToken: string }>;
    const rowsB = b.body.data!.partnerOrders as Array<{ orderId: string; customerToken: string }>;
    expect(rowsA.length).toBeGreaterThan(0);
    expect(rowsB.map((r) => r.orderId)).toEqual(rowsA.map((r) => r.orderId));
    // Tokens are per principal: had B been served A's entry, these would be equal.
    expect(rowsB.map((r) => r.customerToken)).not.toEqual(rowsA.map((r) => r.customerToken));
    const a2 = await ask('partner', PARTNER, PARTNER_PAGE);
    const b2 = await ask('partnerB', PARTNER, PARTNER_PAGE);
    expect([cacheStatus(a2.body), cacheStatus(b2.body)]).toEqual(['HIT', 'HIT']);
    expect(a2.body.data).toEqual(a.body.data);
    expect(b2.body.data).toEqual(b.body.data);
  });

  it('a rebuild swap invalidates it: the live tables change while no checkpoint moves', async () => {
    expect(cacheStatus((await ask('internal', TIMELINE, ONE, { id: 'ord-rc-late' })).body)).toBe('HIT');
    const report = await rebuildProjection({ log: t.log, db: t.db }, ordersContext, 'order_timeline', { schema: t.schema });
    expect(report.swapped).toBe(true);
    const after = await ask('internal', TIMELINE, ONE, { id: 'ord-rc-late' });
    expect(cacheStatus(after.body)).toBe('MISS');
    expect(after.body.data).toEqual({ customerOrderTimeline: { orderId: 'ord-rc-late', orderLifecycleState: 'PLACED' } });
  });

  it('bypasses what it cannot vouch for (derived fields may read the clock) and never stores an error', async () => {
    const derived = await ask('internal', JOURNEY, '{ orderJourneys(first: 1) { orderId journeyStage } }');
    expect(derived.body.extensions!.responseCache).toEqual({ status: 'BYPASS', reason: 'DERIVED_FIELD', field: 'OrderJourney.journeyStage' });
    for (let i = 0; i < 2; i++) {
      const failed = await ask('partner', PARTNER, '{ changes(since: "not-a-cursor-we-issued", first: 3) { endCursor } }');
      expect(failed.body.errors?.length).toBeGreaterThan(0);
      expect(failed.body.extensions!.responseCache).toEqual({ status: 'MISS', stored: false });
    }
  });

  it('counts answers per contract and status on /metrics', async () => {
    const response = await fetch(`${t.url}/metrics`, { headers: t.bearer('operator') });
    const text = await response.text();
    const count = (status: string) => Number(new RegExp(`dpg_response_cache_answers_total\\{contract="customer_order_timeline/v1",status="${status}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    expect(count('HIT')).toBeGreaterThanOrEqual(4);
    expect(count('MISS')).toBeGreaterThanOrEqual(6);
  });

  it('measures freshness anew for a HIT: a DATA_AGE contract turns STALE with time while the cached data, still current, stays', async () => {
    const query = '{ orderJourneys(first: 2) { orderId orderLifecycleState } }';
    type Entry = { projection: string; binds: string; dataAgeMs: number; status: string; staleBecause: string[] };
    const timeline = (body: Body) => (body.extensions!.freshness as Entry[]).find((f) => f.projection === 'order_timeline')!;
    const first = await ask('internal', JOURNEY, query);
    expect(cacheStatus(first.body)).toBe('MISS');
    expect(timeline(first.body).binds).toBe('DATA_AGE');

    clock.offsetMs += 86_400_000;
    const dayLater = await ask('internal', JOURNEY, query);
    expect(cacheStatus(dayLater.body)).toBe('HIT');
    expect(dayLater.body.data).toEqual(first.body.data);
    expect(timeline(dayLater.body).dataAgeMs).toBe(timeline(first.body).dataAgeMs + 86_400_000);
    expect(timeline(dayLater.body)).toMatchObject({ status: 'STALE', staleBecause: ['DATA_AGE'] });
    expect(dayLater.body.extensions!.freshnessStatus).toBe('STALE');
  });
});

describe('response cache with Redis stopped', () => {
  let redis: ScratchRedis | undefined;
  let db: Database | undefined;
  let cache: Cache | undefined;
  let gateway: OutageGateway | undefined;
  let projector: Projector | undefined;
  const captured = captureLogger('info');

  beforeAll(async () => {
    redis = await startScratchRedis();
    db = await createPostgresDatabase(postgresUrl());
    cache = await createRedisCache(redis.url, { keyPrefix: `${uniqueName('response_cache_outage')}:`, onAvailabilityChange: () => undefined });
  });
  afterAll(async () => {
    await gateway?.stop().catch(() => undefined);
    await projector?.stop().catch(() => undefined);
    await cache?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await redis?.destroy();
  });

  it('answers every query from the projections meanwhile (BYPASS), warns once, and caches again when Redis is back', async () => {
    const deps = { db: db!, log: createEmbeddedEventLog(), cache: cache! };
    const schema = uniqueName('response_cache_outage');
    await produceAll(deps.log, createOrdersSimulator({ seed: 5, startTime: Date.now() - 3_600_000 }).nextOrders(20).records);
    projector = createProjector(deps, ordersContext, { schema });
    await projector.start();
    await waitUntilCaughtUp(deps.db, deps.log, schema, [ORDERS_EVENTS_TOPIC]);
    gateway = await startOutageGateway(deps, { orders: schema }, { responseCache: {}, freshness: { ttlMs: 0 }, logger: captured.logger });
    const ask = () => postGraphQL(`${gateway!.url}${TIMELINE}`, RECENT, { headers: gateway!.bearer('internal') });

    const first = await ask();
    expect(cacheStatus(first.body)).toBe('MISS');
    expect(cacheStatus((await ask()).body)).toBe('HIT');

    await redis!.stop();
    for (let i = 0; i < 3; i++) {
      const during = await ask();
      expect(during.status).toBe(200);
      expect(during.body.extensions!.responseCache).toEqual({ status: 'BYPASS', reason: 'CACHE_UNAVAILABLE' });
      expect(during.body.data).toEqual(first.body.data);
    }
    const warnings = captured.lines.filter((l) => l.component === 'responseCache' && l.level === 'warn');
    expect(warnings.map((l) => l.msg)).toEqual(['response cache unavailable: queries are answered from the projections (BYPASS) until it answers again']);

    await redis!.start();
    // Reconnected (with backoff), empty: stored again, then served.
    await waitFor('a MISS stored after the restart', async () => cacheStatus((await ask()).body) === 'MISS', 15_000);
    const back = await ask();
    expect(cacheStatus(back.body)).toBe('HIT');
    expect(back.body.data).toEqual(first.body.data);
    expect(captured.lines.filter((l) => l.component === 'responseCache' && l.level === 'info').map((l) => l.msg)).toEqual(['response cache available again']);
  });
});
