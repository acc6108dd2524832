import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../platform/cache/index.js';
import { createMemoryCache } from '../platform/cache/index.js';
import type { Database } from '../platform/database/index.js';
import { createPgliteDatabase, createPostgresDatabase } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import type { Projector } from '../platform/projection/index.js';
import { createProjector } from '../platform/projection/index.js';
import { createOrdersSimulator, LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext } from '../subgraphs/orders/index.js';
import { captureLogger } from '../test/support/captureLogger.js';
import { openTestAccess } from '../test/support/gatewayAccess.js';
import { postGraphQL } from '../test/support/graphqlClient.js';
import { produceAll, waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import { postgresUrl } from '../test/support/services.js';
import type { Gateway } from './createGateway.js';
import { createGateway } from './createGateway.js';
import { listen } from './http/listen.js';
import type { OpenedAccess } from './openAccess.js';
import { createReadiness } from './readiness/index.js';

const SCHEMA = 'orders_ops';
const V2 = '/contracts/customer_order_timeline/v2';

// Operating the gateway: request and projector logs, /ready and /health (DESIGN §12).
describe('logs, readiness and liveness of a gateway with its projector', () => {
  const captured = captureLogger('debug');
  let db: Database;
  let cache: Cache;
  let log: EventLog;
  let projector: Projector;
  let gateway: Gateway;
  let server: Server;
  let url: string;
  let access: OpenedAccess;
  let keys: Record<'internal' | 'operator', string>;

  beforeAll(async () => {
    db = await createPgliteDatabase();
    cache = createMemoryCache();
    log = createEmbeddedEventLog();
    // Malformed records among them: some batches quarantine.
    await produceAll(log, createOrdersSimulator({ seed: 8, startTime: Date.now() - 3_600_000, faults: { malformedRate: 0.05 } }).nextOrders(80).records);
    projector = createProjector({ log, db }, ordersContext, { schema: SCHEMA, batchSize: 50, logger: captured.logger });
    const opened = await openTestAccess({ db, cache }, 'ops_access');
    access = opened.access;
    keys = opened.keys;
    gateway = await createGateway({ db, log, cache }, access, { projectionSchemas: { orders: SCHEMA }, logger: captured.logger, readiness: { projectors: [projector] } });
    ({ server, url } = await listen(gateway.handle, '127.0.0.1', 0));
  });
  afterAll(async () => {
    server.close();
    await gateway.stop();
    await access.close();
    await projector.stop();
    await db.close();
  });

  it('is live without a credential, and ready only once its projector has been assigned its partitions', async () => {
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const before = await fetch(`${url}/ready`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({
      status: 'not ready',
      checks: [
        { name: 'database', ready: true, detail: expect.stringMatching(/^answered select 1 in \d+ ms$/) },
        { name: `projector ${SCHEMA}`, ready: false, detail: 'projector created' },
      ],
    });

    await projector.start();
    await waitUntilCaughtUp(db, log, SCHEMA, [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC]);
    const after = await fetch(`${url}/ready`);
    expect(after.status).toBe(200);
    expect(after.headers.get('cache-control')).toBe('no-store');
    expect(await after.json()).toMatchObject({ status: 'ready', checks: [{ name: 'database', ready: true }, { name: `projector ${SCHEMA}`, ready: true, detail: '1 consumer(s) assigned' }] });
  });

  it('logs the projector: start, assignment, each batch at debug, a quarantining batch at info', () => {
    const mine = captured.lines.filter((l) => l.component === 'projector' && l.schema === SCHEMA);
    expect(mine.find((l) => l.msg === 'projector started')).toMatchObject({ level: 'info', projections: ['order_timeline'], topics: [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC] });
    expect(mine.find((l) => l.msg === 'partitions assigned')).toMatchObject({ level: 'info', projection: 'order_timeline', partitions: expect.arrayContaining([`${ORDERS_EVENTS_TOPIC}/0`]) });
    const batches = mine.filter((l) => l.msg === 'batch committed');
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) {
      expect(batch).toMatchObject({ projection: 'order_timeline', topic: expect.any(String), partition: expect.any(Number), records: expect.any(Number), applied: expect.any(Number), duplicates: expect.any(Number), parked: expect.any(Number), quarantined: expect.any(Number), durationMs: expect.any(Number) });
      expect(batch.level).toBe((batch.quarantined as number) > 0 ? 'info' : 'debug');
    }
    const quarantining = batches.filter((b) => (b.quarantined as number) > 0);
    expect(quarantining.length).toBeGreaterThan(0);
    expect(quarantining[0]!.quarantineReasons).toContain('MALFORMED_JSON');
    // Applied counts add up to what the watermarks say was applied: one line per committed batch.
    expect(batches.reduce((n, b) => n + (b.records as number), 0)).toBeGreaterThan(0);
  });

  it('writes one line per request: who, which contract and operation (name and hash), status, duration, correlation id; never the key, the document or the variables', async () => {
    const secretish = 'ann.customer@example.com';
    const response = await postGraphQL(`${url}${V2}`, 'query Timeline($id: ID!) { customerOrderTimeline(orderId: $id) { orderId } }', { variables: { id: secretish }, operationName: 'Timeline', headers: { authorization: `Bearer ${keys.internal}` } });
    expect(response.status).toBe(200);
    const correlationId = response.headers.get('x-correlation-id');
    const line = captured.lines.find((l) => l.msg === 'request completed' && l.correlationId === correlationId);
    expect(line).toMatchObject({
      level: 'info',
      method: 'POST',
      route: V2,
      status: 200,
      durationMs: expect.any(Number),
      principalId: expect.stringMatching(/^prn_/),
      principalName: 'test-internal',
      contract: 'customer_order_timeline/v2',
      operation: 'query',
      operationName: 'Timeline',
      documentHash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const refused = await postGraphQL(`${url}${V2}`, '{ recentCustomerOrders(first: 1) { orderId } }', { headers: { authorization: 'Bearer dpg_not_a_key_0000000000000000' } });
    expect(refused.status).toBe(401);
    expect(captured.lines.find((l) => l.msg === 'request completed' && l.correlationId === refused.headers.get('x-correlation-id'))).toMatchObject({ status: 401, errorCodes: ['UNAUTHENTICATED'], route: V2 });
    // Same document, same hash; another document, another hash.
    await postGraphQL(`${url}${V2}`, 'query Timeline($id: ID!) { customerOrderTimeline(orderId: $id) { orderId } }', { variables: { id: 'ord-000001' }, headers: { authorization: `Bearer ${keys.internal}` } });
    const hashes = captured.lines.filter((l) => l.operationName === 'Timeline').map((l) => l.documentHash);
    expect(new Set(hashes).size).toBe(1);

    const everything = captured.text();
    expect(everything).not.toContain(keys.internal);
    expect(everything).not.toContain('dpg_not_a_key');
    expect(everything).not.toContain(secretish);
    expect(everything).not.toContain('customerOrderTimeline(orderId');
  });

  it('logs probes at debug, so they do not drown the request lines', async () => {
    const response = await fetch(`${url}/ready`);
    expect(captured.lines.find((l) => l.msg === 'request completed' && l.correlationId === response.headers.get('x-correlation-id'))).toMatchObject({ level: 'debug', route: '/ready', status: 200 });
  });

  it('turns unready when its projector stops, and says so in the log', async () => {
    await projector.stop();
    const response = await fetch(`${url}/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ checks: [{ name: 'database', ready: true }, { name: `projector ${SCHEMA}`, ready: false, detail: 'projector stopped' }] });
    expect(captured.lines.filter((l) => l.component === 'projector').map((l) => l.msg)).toEqual(expect.arrayContaining(['left the consumer group', 'projector stopped']));
    expect(captured.lines.find((l) => l.component === 'readiness' && l.msg === 'not ready')).toBeDefined();
  });
});

describe('readiness of the database', () => {
  it('is not ready while PostgreSQL cannot answer select 1 in time, and ready again once it can', async () => {
    // One connection, held by a slow statement: the probe waits for the pool, as under an outage or an exhausted pool.
    const db = await createPostgresDatabase(postgresUrl(), { maxConnections: 1 });
    try {
      const readiness = createReadiness({ db }, { databaseTimeoutMs: 200 });
      expect(await readiness.check()).toMatchObject({ ready: true });
      const slow = db.query('select pg_sleep(1.5)');
      expect(await readiness.check()).toEqual({ ready: false, checks: [{ name: 'database', ready: false, detail: 'did not answer select 1 within 200 ms' }] });
      await slow;
      expect(await readiness.check()).toMatchObject({ ready: true, checks: [{ name: 'database', ready: true }] });
    } finally {
      await db.close();
    }
  });

  it('says a failed query failed, without the error text (which may name hosts)', async () => {
    const db = await createPostgresDatabase(postgresUrl());
    await db.close();
    const captured = captureLogger('warn');
    const report = await createReadiness({ db }, {}, captured.logger).check();
    expect(report).toEqual({ ready: false, checks: [{ name: 'database', ready: false, detail: 'select 1 failed (see the server log)' }] });
    expect(captured.lines.find((l) => l.msg === 'readiness: the database query failed')).toMatchObject({ level: 'warn', err: { message: expect.any(String) } });
  });
});
