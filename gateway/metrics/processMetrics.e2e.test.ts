import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCache } from '../../platform/cache/index.js';
import type { Cache } from '../../platform/cache/index.js';
import type { Database } from '../../platform/database/index.js';
import { createPostgresDatabase, quoteIdent } from '../../platform/database/index.js';
import { openTestAccess } from '../../test/support/gatewayAccess.js';
import { postGraphQL } from '../../test/support/graphqlClient.js';
import { postgresUrl, redisUrl } from '../../test/support/services.js';
import type { RoleProcess } from '../../test/support/startRoleProcess.js';
import { startRoleProcess } from '../../test/support/startRoleProcess.js';
import { SESSION_COOKIE } from '../access/createSessionStore.js';
import { findSamples as find, parseExposition, sumSamples as sum } from '../../test/support/prometheusExposition.js';

// `npm start` itself (the composition root, gateway/main.ts) on PostgreSQL and Redis with the
// simulator feeding its projectors, scraped over HTTP after real traffic: every family an
// operator needs is on the one /metrics of the process, with values that match the traffic.

const TOKENIZATION_SECRET = 'test-tokenization-secret-0123456789abcdef';
const CONTRACT = 'customer_order_timeline/v2';
const QUERY = /* GraphQL */ `{ recentCustomerOrders(first: 3) { orderId orderLifecycleState } }`;


describe('/metrics of `npm start` on PostgreSQL and Redis, after traffic', () => {
  const database = `dpg_procmetrics_${randomBytes(4).toString('hex')}`;
  const databaseUrl = (() => {
    const url = new URL(postgresUrl());
    url.pathname = `/${database}`;
    return url.toString();
  })();
  let admin: Database;
  let db: Database;
  let cache: Cache;
  let gateway: RoleProcess;
  let bearer: (who: 'internal' | 'partner' | 'operator') => Record<string, string>;
  let keys: Record<string, string>;

  beforeAll(async () => {
    admin = await createPostgresDatabase(postgresUrl());
    await admin.query(`create database ${quoteIdent(database)}`);
    gateway = await startRoleProcess('tsx', { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl(), TOKENIZATION_SECRET, SIMULATOR: 'on', SIMULATOR_EVENTS_PER_SECOND: '50', PROJECTION_BATCH_SIZE: '50', NODE_ENV: 'production' }, 120_000);
    // Principals in the process's own access schema (`gateway`), with real keys.
    db = await createPostgresDatabase(databaseUrl);
    cache = await createRedisCache(redisUrl(), { keyPrefix: `${database}:` });
    const access = await openTestAccess({ db, cache }, 'gateway');
    keys = access.keys;
    bearer = access.bearer;
    await access.access.close();
  }, 180_000);
  afterAll(async () => {
    await gateway?.stop();
    await cache?.close();
    await db?.close();
    await admin?.query(`drop database if exists ${quoteIdent(database)} with (force)`);
    await admin?.close();
  });

  const scrape = async () => {
    const response = await fetch(`${gateway.url}/metrics`, { headers: bearer('operator') });
    expect(response.status).toBe(200);
    return parseExposition(await response.text());
  };

  it('has HTTP, GraphQL by contract and outcome, projector batches, records by outcome, lag, watermarks, pool use and cache operations', async () => {
    // Given traffic: queries that succeed, one that fails validation, one refused to a partner.
    const before = await scrape();
    for (let i = 0; i < 3; i++) expect((await postGraphQL(`${gateway.url}/contracts/${CONTRACT}`, QUERY, { headers: bearer('internal') })).status).toBe(200);
    expect((await postGraphQL(`${gateway.url}/contracts/${CONTRACT}`, '{ recentCustomerOrders(first: 1) { nope } }', { headers: bearer('internal') })).status).toBe(400);
    expect((await postGraphQL(`${gateway.url}/contracts/${CONTRACT}`, QUERY, { headers: bearer('partner') })).status).toBe(403);
    // A catalog session: signed in (a session written), read back (a hit), and an unknown one (a miss).
    const signIn = await fetch(`${gateway.url}/catalog/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ apiKey: keys.operator! }).toString() });
    expect(signIn.status).toBe(303);
    const cookie = /dpg_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')![1]!;
    expect((await fetch(`${gateway.url}/catalog/static`, { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } })).status).toBe(200);
    expect((await fetch(`${gateway.url}/catalog/static`, { headers: { cookie: `${SESSION_COOKIE}=${randomBytes(32).toString('base64url')}` } })).status).toBe(401);
    // And the simulator's records applied in batches.
    const deadline = Date.now() + 60_000;
    let samples = await scrape();
    while (sum(samples, 'dpg_projector_batch_duration_seconds_count', { context: 'orders' }) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      samples = await scrape();
    }
    const delta = (name: string, labels: Record<string, string>) => sum(samples, name, labels) - sum(before, name, labels);

    // HTTP by route and status, and GraphQL by contract, operation and outcome.
    expect(delta('dpg_http_requests_total', { route: `/contracts/${CONTRACT}`, operation: 'query', status: '200' })).toBe(3);
    expect(delta('dpg_http_request_duration_seconds_count', { route: `/contracts/${CONTRACT}`, operation: 'query' })).toBe(3);
    expect(delta('dpg_graphql_operations_total', { contract: CONTRACT, operation: 'query', outcome: 'ok' })).toBe(3);
    expect(delta('dpg_graphql_operations_total', { contract: CONTRACT, outcome: 'rejected' })).toBe(2);
    expect(delta('dpg_graphql_errors_total', { route: `/contracts/${CONTRACT}`, code: 'FORBIDDEN' })).toBe(1);

    // Projector batches: a histogram per context and projection, its buckets consistent with its count.
    for (const projection of find(samples, 'dpg_projector_batch_duration_seconds_count', { context: 'orders' })) {
      expect(projection.value).toBeGreaterThan(0);
      const labels = { context: 'orders', projection: projection.labels.projection! };
      expect(sum(samples, 'dpg_projector_batch_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(projection.value);
      expect(sum(samples, 'dpg_projector_batch_duration_seconds_sum', labels)).toBeGreaterThan(0);
      expect(sum(samples, 'dpg_projector_batch_duration_seconds_sum', labels) / projection.value).toBeLessThan(10);
    }
    expect(find(samples, 'dpg_projector_batch_duration_seconds_count').map((s) => s.labels.context)).toEqual(expect.arrayContaining(['orders', 'payments', 'fulfillment']));

    // Records by outcome, lag and event-time watermark, from the checkpoints.
    expect(sum(samples, 'dpg_projection_records', { context: 'orders', outcome: 'applied' })).toBeGreaterThan(0);
    expect(find(samples, 'dpg_projection_records', { context: 'orders', outcome: 'quarantined' }).length).toBeGreaterThan(0);
    expect(find(samples, 'dpg_projection_lag_records', { context: 'orders' }).length).toBeGreaterThan(0);
    for (const lag of find(samples, 'dpg_projection_lag_records')) expect(lag.value).toBeGreaterThanOrEqual(0);
    const watermark = find(samples, 'dpg_projection_event_time_watermark_seconds', { context: 'orders' });
    expect(watermark.length).toBeGreaterThan(0);
    // The simulator runs a week of backfill and live journeys: event times from the last weeks, not 1970 or the future.
    for (const w of watermark) expect(Math.abs(w.value - Date.now() / 1000)).toBeLessThan(30 * 86_400);

    // The PostgreSQL pool, read when scraped.
    const [max, open, idle, waiting] = ['dpg_database_pool_max_connections', 'dpg_database_pool_connections', 'dpg_database_pool_idle_connections', 'dpg_database_pool_waiting_requests'].map((name) => {
      expect(find(samples, name), name).toHaveLength(1);
      return find(samples, name)[0]!.value;
    });
    expect(max).toBe(10);
    expect(open).toBeGreaterThan(0);
    expect(open).toBeLessThanOrEqual(10);
    expect(idle).toBeLessThanOrEqual(open!);
    expect(waiting).toBeGreaterThanOrEqual(0);
    expect(find(samples, 'dpg_database_wasm_memory_bytes')).toEqual([]);

    // Cache operations by operation and outcome: a rate-limit count per request, the session written, read (hit) and missed.
    expect(delta('dpg_cache_operations_total', { operation: 'increment', outcome: 'ok' })).toBeGreaterThanOrEqual(5);
    expect(delta('dpg_cache_operations_total', { operation: 'set', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(delta('dpg_cache_operations_total', { operation: 'get', outcome: 'hit' })).toBeGreaterThanOrEqual(1);
    expect(delta('dpg_cache_operations_total', { operation: 'get', outcome: 'miss' })).toBeGreaterThanOrEqual(1);
    expect(sum(samples, 'dpg_cache_operations_total', { outcome: 'error' })).toBe(0);

    // The process itself.
    expect(find(samples, 'process_resident_memory_bytes')).toHaveLength(1);
  }, 120_000);
});
