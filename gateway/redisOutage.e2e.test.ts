import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../platform/cache/index.js';
import { createRedisCache } from '../platform/cache/index.js';
import type { Database } from '../platform/database/index.js';
import { createPostgresDatabase } from '../platform/database/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import type { Projector } from '../platform/projection/index.js';
import { produceAll } from '../test/support/projectionHarness.js';
import type { Answer, OutageGateway } from '../test/support/outageHarness.js';
import { journeyStream, keepAsking, schemasFor, startOutageGateway, startProjectors, waitFor, waitForAllCaughtUp } from '../test/support/outageHarness.js';
import { postgresUrl, uniqueName } from '../test/support/services.js';
import type { ScratchRedis } from '../test/support/startScratchRedis.js';
import { startScratchRedis } from '../test/support/startScratchRedis.js';
import { createRateLimiter } from './limits/index.js';
import { createUsageCounters } from './usage/index.js';

// Redis stopped under load, a server of the test's own (this machine's is shared with every other
// test run): queries keep answering with data; the rate limit's budget lapses (onCacheError
// 'allow', the default) or refuses with 503 ('deny'); usage counters are skipped; each of these
// is said once per outage in the log, not once per request. Redis back: counted again.

// orderStatus is deprecated: each use is counted in the cache.
const QUERY = /* GraphQL */ `{ recentCustomerOrders(first: 3) { orderId orderStatus } }`;

describe('Redis stopped while the gateway serves queries', () => {
  let redis: ScratchRedis | undefined;
  let db: Database | undefined;
  let cache: Cache | undefined;
  const gateways: OutageGateway[] = [];
  const projectors: Projector[] = [];
  const availability: boolean[] = [];
  const budget: { allow: boolean[]; deny: boolean[] } = { allow: [], deny: [] };

  beforeAll(async () => {
    redis = await startScratchRedis();
    db = await createPostgresDatabase(postgresUrl());
    cache = await createRedisCache(redis.url, { keyPrefix: `${uniqueName('redis_outage')}:`, onAvailabilityChange: (available) => availability.push(available) });
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop().catch(() => undefined);
    for (const projector of projectors) await projector.stop().catch(() => undefined);
    await cache?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await redis?.destroy();
  });

  it('answers every query meanwhile, rate limits as configured, warns once, and uses Redis again when it is back', async () => {
    const deps = { db: db!, log: createEmbeddedEventLog(), cache: cache! };
    await produceAll(deps.log, journeyStream(41, 20));
    const schemas = schemasFor('redis_out');
    const run = await startProjectors(deps, schemas);
    projectors.push(...run.projectors);
    await waitForAllCaughtUp(deps, schemas);

    // Given two gateways on the one Redis: one fails open on its rate limit (the default), one closed.
    const quota = { limitFor: () => ({ requests: 10_000, windowSeconds: 60 }) };
    const open = await startOutageGateway(deps, schemas, { rateLimiter: createRateLimiter(deps.cache, { ...quota, onDegradedChange: (d) => budget.allow.push(d) }) });
    const closed = await startOutageGateway(deps, schemas, { rateLimiter: createRateLimiter(deps.cache, { ...quota, onCacheError: 'deny', onDegradedChange: (d) => budget.deny.push(d) }) });
    gateways.push(open, closed);
    const path = '/contracts/customer_order_timeline/v1';
    const openClient = keepAsking(`${open.url}${path}`, open.bearer('internal'), QUERY, 50);
    const closedClient = keepAsking(`${closed.url}${path}`, closed.bearer('internal'), QUERY, 50);
    // Requests counted today for the contract, all clients, as the catalog reads them.
    const counters = createUsageCounters(deps.cache);
    const usage = async () => (await counters.read({ name: 'customer_order_timeline', version: 1, consumers: [] })).requests().reduce((sum, row) => sum + row.today, 0);
    await waitFor('counted answers from both', () => [openClient, closedClient].every((c) => c.answers.some((a) => a.status === 200 && a.rateLimit !== null)));
    await waitFor('uses counted', async () => (await usage()) > 0);

    // When Redis stops for 3 s, then starts again (empty: it keeps nothing on disk).
    const stoppedAt = performance.now();
    await redis!.stop();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const restartedAt = performance.now();
    await redis!.start();
    const upAt = performance.now();
    const countedAgain = (answers: Answer[]) => answers.some((a) => a.at > upAt && a.status === 200 && a.rateLimit !== null);
    await waitFor('the rate limit counted again after the restart', () => countedAgain(openClient.answers) && countedAgain(closedClient.answers), 15_000);
    await waitFor('usage counted again after the restart', async () => (await usage().catch(() => 0)) > 0, 15_000);
    const recoveredAt = performance.now();
    await Promise.all([openClient.stop(), closedClient.stop()]);

    const duringOutage = (answers: Answer[]) => answers.filter((a) => a.at > stoppedAt + 200 && a.at + a.tookMs < restartedAt);
    // Then, failing open: every query answered with its data, promptly, without a rate-limit count.
    const openDuring = duringOutage(openClient.answers);
    expect(openDuring.length).toBeGreaterThan(20);
    for (const answer of openDuring) {
      expect(answer).toMatchObject({ status: 200, codes: [], rateLimit: null });
      expect(answer.tookMs).toBeLessThan(1_000);
    }
    // Failing closed: refused promptly with 503 DEPENDENCY_UNAVAILABLE (the cache), retriable, not 429.
    const closedDuring = duringOutage(closedClient.answers);
    expect(closedDuring.length).toBeGreaterThan(20);
    for (const answer of closedDuring) {
      expect(answer).toMatchObject({ status: 503, codes: ['DEPENDENCY_UNAVAILABLE'], retriable: [true], dependency: ['cache'], retryAfter: '1' });
      expect(answer.tookMs).toBeLessThan(1_000);
    }
    // Each said once, not per request: the cache when its connection went and came back, each
    // rate limiter when its budget lapsed and when it counted again.
    expect(availability).toEqual([false, true]);
    expect(budget).toEqual({ allow: [true, false], deny: [true, false] });
    // Redis was in use again within seconds, without restarting the gateway.
    expect(recoveredAt - upAt).toBeLessThan(10_000);
    for (const answers of [openClient.answers, closedClient.answers]) expect(answers.filter((a) => a.status === 0)).toEqual([]);
  });
});
