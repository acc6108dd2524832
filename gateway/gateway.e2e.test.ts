import { getNamedType, isObjectType } from 'graphql';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../platform/cache/index.js';
import { createRedisCache } from '../platform/cache/index.js';
import type { Database } from '../platform/database/index.js';
import { createPostgresDatabase } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import type { Projector } from '../platform/projection/index.js';
import { createProjector } from '../platform/projection/index.js';
import type { OrdersSimulator } from '../subgraphs/orders/index.js';
import { createOrdersSimulator } from '../subgraphs/orders/index.js';
import { contexts } from '../subgraphs/index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext } from '../subgraphs/orders/index.js';
import { captureLogger } from '../test/support/captureLogger.js';
import { countingDatabase } from '../test/support/countingDatabase.js';
import { postGraphQL as postAs } from '../test/support/graphqlClient.js';
import { openTestAccess } from '../test/support/gatewayAccess.js';
import type { OpenedAccess } from './openAccess.js';
import { produceAll, waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import { postgresUrl, redisUrl, uniqueName } from '../test/support/services.js';
import type { Gateway } from './createGateway.js';
import { createGateway } from './createGateway.js';
import { listen } from './http/listen.js';

const TOPICS = [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC];
const V1 = '/contracts/customer_order_timeline/v1';
const V2 = '/contracts/customer_order_timeline/v2';
let operatorHeaders: Record<string, string> = {};
/** Every call here is an operator's: this file is about contracts and metadata; access has its own file. */
const postGraphQL = (url: string, query: string, options: Parameters<typeof postAs>[2] = {}) => postAs(url, query, { ...options, headers: { ...operatorHeaders, ...options.headers } });

describe('the contract gateway over real HTTP', () => {
  let db: Database;
  let cache: Cache;
  let log: EventLog;
  let simulator: OrdersSimulator;
  let projector: Projector;
  let gateway: Gateway;
  let server: Server;
  let url: string;
  let clockOffsetMs = 0;
  let access: OpenedAccess;
  const schema = uniqueName('orders_e2e');
  const startProjector = async () => {
    projector = createProjector({ log, db }, ordersContext, { schema, batchSize: 200 });
    await projector.start();
  };

  beforeAll(async () => {
    db = await createPostgresDatabase(postgresUrl());
    cache = await createRedisCache(redisUrl(), { keyPrefix: `${schema}:` });
    log = createEmbeddedEventLog();
    simulator = createOrdersSimulator({ seed: 21, startTime: Date.now() - 3_600_000, faults: { legacyShare: 0.2 } });
    await produceAll(log, simulator.nextOrders(600).records);
    await startProjector();
    await waitUntilCaughtUp(db, log, schema, TOPICS);
    const opened = await openTestAccess({ db, cache }, `${schema}_access`);
    access = opened.access;
    operatorHeaders = opened.bearer('operator');
    gateway = await createGateway({ db, log, cache }, access, { projectionSchemas: { orders: schema }, freshness: { ttlMs: 0, now: () => Date.now() + clockOffsetMs } });
    ({ server, url } = await listen(gateway.handle, '127.0.0.1', 0));
  });
  afterAll(async () => {
    server.close();
    await gateway.stop();
    await access.close();
    await projector.stop();
    await cache.close();
    await db.close();
  });

  it('gives every field of every contract lineage down to a Kafka topic, a freshness entry and a deprecation state', async () => {
    // Every topic some context of the registry ingests (contracts may read across contexts).
    const knownTopics = new Set(contexts.flatMap((c) => c.ingestion.decoders.map((d) => d.topic)));
    let walked = 0;
    for (const contract of gateway.contracts) {
      const { body } = await postGraphQL(`${url}/catalog`, `query($n: String!, $v: Int!) { contract(name: $n, version: $v) { fields { coordinate deprecation { sunset } freshness { status projection } lineage { topics { topic sourceSystems } } } } }`, { variables: { n: contract.meta.name, v: contract.meta.version } });
      const catalogFields = new Map((body.data!.contract as { fields: Array<{ coordinate: string; freshness: unknown[]; lineage: Array<{ topics: Array<{ topic: string; sourceSystems: string[] }> }> }> }).fields.map((f) => [f.coordinate, f]));
      for (const type of Object.values(contract.schema.getTypeMap())) {
        if (!isObjectType(type) || type.name.startsWith('__')) continue;
        for (const field of Object.values(type.getFields())) {
          const coordinate = `${type.name}.${field.name}`;
          const meta = contract.fields.get(coordinate);
          expect(meta, `${contract.file} ${coordinate} has no metadata`).toBeDefined();
          expect(meta!.lineage.length, `${coordinate} has no lineage`).toBeGreaterThan(0);
          for (const link of meta!.lineage) {
            expect(link.topics.length, `${coordinate} lineage stops before a topic`).toBeGreaterThan(0);
            for (const topic of link.topics) {
              expect(knownTopics.has(topic.topic)).toBe(true);
              expect(topic.sourceSystems.length).toBeGreaterThan(0);
            }
          }
          expect(meta!.deprecation === null || (meta!.deprecation.sunset && meta!.deprecation.reason)).toBeTruthy();
          expect(Boolean(getNamedType(field.type))).toBe(true);
          const listed = catalogFields.get(coordinate);
          expect(listed, `catalog misses ${coordinate}`).toBeDefined();
          expect(listed!.freshness.length, `${coordinate} has no freshness entry`).toBeGreaterThan(0);
          walked++;
        }
      }
    }
    expect(walked).toBeGreaterThan(40);
  });

  it('reports freshness that moves with the projector, and STALE when it is held back past the SLA', async () => {
    const query = '{ recentCustomerOrders(first: 1) { orderId orderPlacedAt } }';
    const freshnessOf = async () => {
      const { body } = await postGraphQL(`${url}${V2}`, query);
      return (body.extensions!.freshness as Array<{ projection: string; status: string; asOfEventTime: string; lagEvents: number; slaSeconds: number; fields: string[] }>)[0]!;
    };
    const before = await freshnessOf();
    expect(before).toMatchObject({ projection: 'order_timeline', status: 'FRESH', lagEvents: 0, slaSeconds: 60 });
    expect(before.fields).toContain('CustomerOrderTimeline.orderPlacedAt');

    await produceAll(log, simulator.nextOrders(20).records);
    await waitUntilCaughtUp(db, log, schema, TOPICS);
    const advanced = await freshnessOf();
    expect(Date.parse(advanced.asOfEventTime)).toBeGreaterThan(Date.parse(before.asOfEventTime));

    await projector.stop();
    await produceAll(log, simulator.nextOrders(5).records);
    expect((await freshnessOf()).status).toBe('FRESH'); // lagging, but within the SLA
    clockOffsetMs = 61_000;
    const held = await freshnessOf();
    expect(held.status).toBe('STALE');
    expect(held.lagEvents).toBeGreaterThan(0);

    clockOffsetMs = 0;
    await startProjector();
    await waitUntilCaughtUp(db, log, schema, TOPICS);
    expect(await freshnessOf()).toMatchObject({ status: 'FRESH', lagEvents: 0 });
  });

  describe('deprecation signalling', () => {
    const expectDeprecated = (response: Awaited<ReturnType<typeof postGraphQL>>, coordinates: string[]) => {
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect((response.body.extensions!.deprecations as Array<{ coordinate: string }>).map((d) => d.coordinate).sort()).toEqual(coordinates.sort());
      // RFC 9745: the earliest deprecation date as a structured-field date; RFC 8594: HTTP-date.
      expect(response.headers.get('deprecation')).toBe(`@${Date.parse('2026-10-01T00:00:00Z') / 1000}`);
      expect(response.headers.get('sunset')).toBe(coordinates.includes('CustomerOrderTimeline.orderTotalAsFloat') ? 'Wed, 31 Mar 2027 00:00:00 GMT' : 'Wed, 30 Jun 2027 00:00:00 GMT');
    };
    const expectClean = (response: Awaited<ReturnType<typeof postGraphQL>>) => {
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.extensions!.deprecations).toBeUndefined();
      expect(response.headers.get('deprecation')).toBeNull();
      expect(response.headers.get('sunset')).toBeNull();
    };

    it('stays silent when no deprecated field is selected', async () => {
      expectClean(await postGraphQL(`${url}${V1}`, '{ recentCustomerOrders(first: 2) { orderId orderLifecycleState orderTotal { amount } } }'));
      expectClean(await postGraphQL(`${url}${V2}`, '{ recentCustomerOrders(first: 2) { orderId salesChannel } }'));
    });

    it('signals a deprecated field selected directly, with reason, sunset and replacement', async () => {
      const response = await postGraphQL(`${url}${V1}`, '{ recentCustomerOrders(first: 2) { orderId orderStatus } }');
      expectDeprecated(response, ['CustomerOrderTimeline.orderStatus']);
      expect((response.body.extensions!.deprecations as unknown[])[0]).toEqual({
        coordinate: 'CustomerOrderTimeline.orderStatus',
        reason: 'Overloads the lifecycle into a free string. Use orderLifecycleState, an enum with the same three states.',
        sunset: '2027-06-30',
        deprecatedOn: '2026-10-01',
        replacement: 'CustomerOrderTimeline.orderLifecycleState',
      });
    });

    it('signals it through an alias, a named fragment and an inline fragment', async () => {
      expectDeprecated(await postGraphQL(`${url}${V1}`, '{ recentCustomerOrders(first: 1) { orderId legacy: orderStatus } }'), ['CustomerOrderTimeline.orderStatus']);
      expectDeprecated(
        await postGraphQL(`${url}${V1}`, 'query { recentCustomerOrders(first: 1) { ...Money } } fragment Money on CustomerOrderTimeline { total: orderTotalAsFloat }'),
        ['CustomerOrderTimeline.orderTotalAsFloat'],
      );
      expectDeprecated(await postGraphQL(`${url}${V1}`, '{ recentCustomerOrders(first: 1) { ... on CustomerOrderTimeline { orderStatus orderTotalAsFloat } } }'), ['CustomerOrderTimeline.orderStatus', 'CustomerOrderTimeline.orderTotalAsFloat']);
    });

    it('ignores deprecated fields of an operation that is not executed', async () => {
      const document = 'query Current { recentCustomerOrders(first: 1) { orderId } } query Legacy { recentCustomerOrders(first: 1) { orderStatus } }';
      expectClean(await postGraphQL(`${url}${V1}`, document, { operationName: 'Current' }));
      expectDeprecated(await postGraphQL(`${url}${V1}`, document, { operationName: 'Legacy' }), ['CustomerOrderTimeline.orderStatus']);
    });

    it('counts who still uses a deprecated field, for the catalog', async () => {
      await postGraphQL(`${url}${V1}`, '{ recentCustomerOrders(first: 1) { orderStatus } }', { headers: { 'apollographql-client-name': 'order-status-emails' } });
      const { body } = await postGraphQL(`${url}/catalog`, '{ contract(name: "customer_order_timeline", version: 1) { fields { coordinate usage { client count } } } }');
      const field = (body.data!.contract as { fields: Array<{ coordinate: string; usage: Array<{ client: string; count: number }> }> }).fields.find((f) => f.coordinate === 'CustomerOrderTimeline.orderStatus')!;
      expect(field.usage.find((u) => u.client === 'all clients')!.count).toBeGreaterThanOrEqual(1);
    });
  });

  it('keeps SQL statements per request constant from 10 to 500 orders', async () => {
    const counted = countingDatabase(db);
    const counting = await createGateway({ db: counted, log, cache }, access, { projectionSchemas: { orders: schema }, freshness: { ttlMs: 600_000 } });
    const { server: countingServer, url: countingUrl } = await listen(counting.handle, '127.0.0.1', 0);
    try {
      const query = 'query($n: Int!) { recentCustomerOrders(first: $n) { orderId orderStatus orderLifecycleState minutesToCommitment orderTotal { amount currency } orderLines { sku quantity unitPrice { amount } lineAmount { amount } } lifecycleHistory { orderLifecycleState occurredAt } } }';
      const statementsFor = async (n: number) => {
        await postGraphQL(`${countingUrl}${V1}`, query, { variables: { n } }); // warm the freshness cache
        const before = counted.statements;
        const { body } = await postGraphQL(`${countingUrl}${V1}`, query, { variables: { n } });
        expect((body.data!.recentCustomerOrders as unknown[]).length).toBe(n);
        return counted.statements - before;
      };
      const small = await statementsFor(10);
      const large = await statementsFor(500);
      expect(large).toBe(small);
      expect(small).toBeLessThanOrEqual(3); // orders page, lines, status history
    } finally {
      countingServer.close();
      await counting.stop();
    }
  });

  it('answers bad input with precise GraphQL errors', async () => {
    const parse = await postGraphQL(`${url}${V1}`, '{ recentCustomerOrders(first: 1) { orderId ');
    expect(parse.status).toBe(400);
    expect(parse.body.errors![0]!.extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknownField = await postGraphQL(`${url}${V2}`, '{ recentCustomerOrders(first: 1) { orderStatus } }');
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors![0]!.message).toMatch(/^Cannot query field "orderStatus" on type "CustomerOrderTimeline"\./);
    expect(unknownField.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const badVariable = await postGraphQL(`${url}${V1}`, 'query($n: Int!) { recentCustomerOrders(first: $n) { orderId } }', { variables: { n: 'ten' } });
    expect(badVariable.status).toBe(400);
    expect(badVariable.body.errors![0]).toMatchObject({ message: expect.stringContaining('Variable "$n" got invalid value "ten"'), extensions: { code: 'BAD_USER_INPUT' } });
    const unknownContract = await postGraphQL(`${url}/contracts/customer_order_timeline/v9`, '{ __typename }');
    expect(unknownContract.status).toBe(404);
    expect(unknownContract.body.errors![0]!.extensions!.code).toBe('UNKNOWN_CONTRACT');
    expect(unknownContract.body.errors![0]!.message).toContain('/contracts/customer_order_timeline/v1');
  });

  it('masks an unexpected failure: the client gets a code, the details stay in the server log', async () => {
    const failing: Database = { ...db, query: async () => Promise.reject(new Error('connection to db-primary.internal:5432 reset')), close: async () => undefined };
    const logged = captureLogger();
    const broken = await createGateway({ db: failing, log, cache }, access, { projectionSchemas: { orders: schema }, logger: logged.logger });
    const { server: brokenServer, url: brokenUrl } = await listen(broken.handle, '127.0.0.1', 0);
    try {
      const response = await postGraphQL(`${brokenUrl}${V2}`, '{ customerOrderTimeline(orderId: "ord-000001") { orderId } }');
      expect(response.body.errors![0]).toMatchObject({ message: expect.stringMatching(/^Internal server error\. Quote correlation id \S+/), extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: expect.any(String) } });
      expect(JSON.stringify(response.body)).not.toContain('db-primary');
      expect(response.body.extensions!.freshness).toEqual([expect.objectContaining({ status: 'UNKNOWN', unavailable: 'watermarks could not be read' })]);
      // The details are in the server log, under the correlation id the client got.
      const correlationId = (response.body.errors![0]!.extensions as { correlationId: string }).correlationId;
      expect(logged.lines.find((l) => l.msg.startsWith('unexpected error') && l.correlationId === correlationId)).toMatchObject({ level: 'error', err: { message: expect.stringContaining('db-primary.internal') } });
    } finally {
      brokenServer.close();
      await broken.stop();
    }
  });

  it('serves each subgraph version on its own path, with v1 and v2 meaning the same order differently', async () => {
    const v2 = await postGraphQL(`${url}${V2}`, '{ recentCustomerOrders(first: 1) { orderId orderTotal { amount } orderLifecycleState } }');
    const order = (v2.body.data!.recentCustomerOrders as Array<{ orderId: string; orderTotal: { amount: string }; orderLifecycleState: string }>)[0]!;
    const sub1 = await postGraphQL(`${url}/subgraphs/orders/v1`, 'query($id: ID!) { order(orderId: $id) { status total } }', { variables: { id: order.orderId } });
    expect(sub1.body.data!.order).toEqual({ status: order.orderLifecycleState, total: Number(order.orderTotal.amount) });
    const sub2 = await postGraphQL(`${url}/subgraphs/orders/v2`, 'query($ids: [ID!]!) { ordersByIds(orderIds: $ids) { orderId orderTotal { amount } } }', { variables: { ids: [order.orderId, 'ord-missing'] } });
    expect(sub2.body.data!.ordersByIds).toEqual([{ orderId: order.orderId, orderTotal: { amount: order.orderTotal.amount } }, null]);
    // v1 is a deprecated version: every response says so; v2 never does.
    expect(sub1.headers.get('deprecation')).toBe('?1');
    expect(sub1.headers.get('sunset')).toBe('Wed, 30 Jun 2027 00:00:00 GMT');
    expect(sub1.headers.get('link')).toBe('</subgraphs/orders/v2>; rel="successor-version"');
    expect(sub2.headers.get('deprecation')).toBeNull();
  });

  it('shows stewards a catalog page without JavaScript: promises, freshness, classification, deprecations and lineage to sources', async () => {
    const response = await fetch(`${url}/catalog/static`, { headers: { accept: 'text/html', ...operatorHeaders } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('customer_order_timeline v1');
    expect(page).toContain('orders-domain-team');
    expect(page).toMatch(/<span class="badge fresh">FRESH<\/span> order_timeline/);
    expect(page).toContain('<code>CustomerOrderTimeline.orderStatus</code>');
    expect(page).toContain('sunset 2027-06-30, use <code>CustomerOrderTimeline.orderLifecycleState</code>');
    expect(page).toContain('<code>legacy.oms.cdc</code> (legacy-oms (ORDERS, ORDER_LINES via CDC, translated))');
    expect(page).toContain('PII<br><small>PARTNER: MASK (EMAIL)</small>');
    expect(page).not.toMatch(/<script|https?:\/\//);
  });

  it('serves the SDL with its directives, for stewards and tools', async () => {
    const response = await fetch(`${url}${V1}/schema.graphql`, { headers: operatorHeaders });
    const sdl = await response.text();
    expect(sdl).toContain('@from(subgraph: "orders/v1", field: "Order.status")');
    expect(sdl).toContain('@sunset(date: "2027-06-30"');
  });
});
