/**
 * `npm run bench:query`: one contract query (100 orders with lines and lifecycle history,
 * variables changing per request, no response cache) against the same PostgreSQL data through:
 *   gateway      the contract gateway, metadata on (freshness, deprecations, lineage), as a
 *                real principal: API key, query limits, rate limit and audit log on; contract
 *                reads compiled to SQL (CONTRACT_SQL_PLANNING=on, the default)
 *                (answered below Apollo's request pipeline by the direct path, same plugins and bytes)
 *   gateway_via_apollo  the same gateway with the direct path off: every request through Apollo
 *                Server's pipeline (the path before the direct one)
 *   gateway_resolvers  the same gateway with CONTRACT_SQL_PLANNING=off: every field through
 *                resolvers and loaders (the path before reads were compiled to SQL)
 *   gateway_access_off  the same gateway with a fixed principal, no rate limit and no audit
 *                (what the gateway cost before access control), to show what access costs
 *   raw          Node http + pg, one hand-written SQL returning the JSON (physical limit)
 *   postgraphile PostGraphile v5 over the same tables
 *   naive        Apollo Server with per-row SQL (the N+1 baseline)
 *   gateway_cached  the gateway with its response cache on (in-process store), the same query
 *                with variables cycling over 8 cursors so answers repeat; reported apart, with
 *                its hit rate (from the gateway's own counter)
 * and, across three contexts, a page of 100 order journeys (orders with their payments and their
 * shipments with lines, from three context schemas) through:
 *   journey_gateway             order_journey v1, metadata on, as a real principal
 *   journey_gateway_with_stage  the same page with the derived journeyStage and stageSince
 *   journey_raw                 Node http + pg, one hand-written SQL joining the three schemas
 * Writes bench/results/query.json and query.md. Env: BENCH_ORDERS (100000), BENCH_JOURNEYS
 * (20000), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2, unmeasured load before each target),
 * BENCH_CONNECTIONS (16), BENCH_DATABASE_URL. BENCH_TARGETS (a comma
 * list of target names) runs only those, prints them and writes no results: for iterating.
 * Beside req/s each target reports this process's CPU per request (the servers all run here, the
 * load generator does not), which a busy machine disturbs far less than req/s.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { ApolloServer } from '@apollo/server';
import pg from 'pg';
import { createMemoryCache } from '../platform/cache/index.js';
import { createPostgresDatabase } from '../platform/database/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import { createProjector } from '../platform/projection/index.js';
import { contexts, createJourneySimulator } from '../subgraphs/index.js';
import { createOrdersSimulator } from '../subgraphs/orders/index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext } from '../subgraphs/orders/index.js';
import { produceAll, waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import { createGateway } from '../gateway/createGateway.js';
import { handleApolloRequest } from '../gateway/http/handleApolloRequest.js';
import { listen } from '../gateway/http/listen.js';
import { createRateLimiter } from '../gateway/limits/index.js';
import { openAccess } from '../gateway/openAccess.js';
import { writeBenchResults } from './writeBenchResults.js';

// PostGraphile v5 needs Promise.withResolvers (Node 22); this machine runs Node 20.
const promiseStatics = Promise as unknown as { withResolvers?: () => unknown };
promiseStatics.withResolvers ??= () => {
  let resolve!: (value: unknown) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'bench_query';
const PAGE = 100;
const JOURNEYS = Number(process.env.BENCH_JOURNEYS ?? 20_000);
const ONLY = process.env.BENCH_TARGETS ? new Set(process.env.BENCH_TARGETS.split(',').map((t) => t.trim())) : null;
/** One schema per context for the journey targets. */
const JOURNEY_SCHEMAS: Record<string, string> = Object.fromEntries(contexts.map((c) => [c.name, `bench_journey_${c.name}`]));
const [J_ORDERS, J_PAYMENTS, J_FULFILLMENT] = [JOURNEY_SCHEMAS.orders!, JOURNEY_SCHEMAS.payments!, JOURNEY_SCHEMAS.fulfillment!];

const journeySelection = `orderId orderLifecycleState orderPlacedAt orderTotal { amount currency }
  payments { paymentId method paymentLifecycleState authorizedAmount { amount } capturedAmount { amount } refundedAmount { amount } }
  shipments { shipmentId warehouseId wave shipmentStatus carrier trackingNumber lines { sku quantity } }`;
const journeyQuery = /* GraphQL */ `query Page($after: ID) { orderJourneys(first: ${PAGE}, after: $after) { ${journeySelection} } }`;
const journeyStageQuery = /* GraphQL */ `query Page($after: ID) { orderJourneys(first: ${PAGE}, after: $after) { ${journeySelection} journeyStage stageSince } }`;

/** Simulated journeys projected by every context into its own bench schema (reused when already there). */
async function ensureJourneyData(): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const existing = await client.query(`select count(*)::int as n from information_schema.tables where table_schema = $1 and table_name = 'shipments'`, [J_FULFILLMENT]);
  const count = existing.rows[0].n > 0 ? (await client.query(`select count(*)::int as n from "${J_ORDERS}".orders`)).rows[0].n : 0;
  await client.end();
  if (count >= JOURNEYS * 0.95) return console.log(`reusing ${count} order journeys in ${Object.values(JOURNEY_SCHEMAS).join(', ')}`);
  const db = await createPostgresDatabase(url);
  for (const schema of Object.values(JOURNEY_SCHEMAS)) await db.query(`drop schema if exists "${schema}" cascade`);
  const log = createEmbeddedEventLog();
  const simulator = createJourneySimulator({ seed: 9, startTime: Date.now() - 30 * 86_400_000, faults: { legacyShare: 0.2 } });
  for (let made = 0; made < JOURNEYS; made += 2000) await produceAll(log, simulator.next(2000).records);
  for (const context of contexts) {
    const projector = createProjector({ log, db }, context.ingestion, { schema: JOURNEY_SCHEMAS[context.name], batchSize: 5000 });
    await projector.start();
    await waitUntilCaughtUp(db, log, JOURNEY_SCHEMAS[context.name]!, context.ingestion.decoders.map((d) => d.topic), 30 * 60_000);
    await projector.stop();
  }
  await db.query(`analyze "${J_ORDERS}".orders; analyze "${J_PAYMENTS}".payments; analyze "${J_FULFILLMENT}".shipments; analyze "${J_FULFILLMENT}".shipment_lines`);
  await db.close();
  console.log(`loaded ${JOURNEYS} order journeys into ${Object.values(JOURNEY_SCHEMAS).join(', ')}`);
}

const contractQuery = /* GraphQL */ `query Page($after: ID) { recentCustomerOrders(first: ${PAGE}, after: $after) {
  orderId orderLifecycleState orderPlacedAt orderTotal { amount currency }
  orderLines { sku quantity unitPrice { amount } lineAmount { amount } }
  lifecycleHistory { orderLifecycleState occurredAt } } }`;

async function ensureData(): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // A schema from before projection_changes (the response cache's version) is loaded again.
  const existing = await client.query(`select count(*)::int as n from information_schema.tables where table_schema = $1 and table_name in ('orders', 'projection_changes') having count(*) = 2`, [SCHEMA]);
  const count = existing.rows.length > 0 ? (await client.query(`select count(*)::int as n from "${SCHEMA}".orders`)).rows[0].n : 0;
  await client.end();
  if (count >= ORDERS) return console.log(`reusing ${count} orders in schema ${SCHEMA}`);
  const db = await createPostgresDatabase(url);
  await db.query(`drop schema if exists "${SCHEMA}" cascade`);
  const log = createEmbeddedEventLog();
  const simulator = createOrdersSimulator({ seed: 9, startTime: Date.now() - 30 * 86_400_000, faults: { legacyShare: 0.2 } });
  for (let made = 0; made < ORDERS; made += 5000) await produceAll(log, simulator.nextOrders(5000).records);
  const projector = createProjector({ log, db }, ordersContext, { schema: SCHEMA, batchSize: 5000 });
  await projector.start();
  await waitUntilCaughtUp(db, log, SCHEMA, [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC], 30 * 60_000);
  await projector.stop();
  // PostGraphile infers relations from foreign keys; the projection does not need them itself.
  await db.query(`alter table "${SCHEMA}".order_lines add foreign key (order_id) references "${SCHEMA}".orders (order_id)`);
  await db.query(`alter table "${SCHEMA}".order_status_history add foreign key (order_id) references "${SCHEMA}".orders (order_id)`);
  await db.query(`analyze "${SCHEMA}".orders; analyze "${SCHEMA}".order_lines; analyze "${SCHEMA}".order_status_history`);
  await db.close();
  console.log(`loaded ${ORDERS} orders into ${SCHEMA}`);
}

/** Counts statements sent by any pg client in this process while `work` runs. */
async function countStatements(work: () => Promise<unknown>): Promise<number> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let count = 0;
  proto.query = function (this: unknown, ...args: unknown[]) {
    count++;
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    proto.query = original;
  }
  return count;
}

/** Node http + pg: one SQL (parameter: the `after` variable) whose single text column is the whole `data.<rootField>`. */
async function serveOneSql(pool: pg.Pool, sql: string, rootField: string) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      const { variables } = JSON.parse(body) as { variables?: { after?: string } };
      pool.query(sql, [variables?.after ?? null]).then(
        (r) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(`{"data":{"${rootField}":${r.rows[0].page}}}`);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
}

async function startRaw(pool: pg.Pool) {
  // The physical limit: one SQL that builds the whole response as JSON inside PostgreSQL.
  const sql = `select coalesce(json_agg(json_build_object(
      'orderId', o.order_id, 'orderLifecycleState', upper(o.order_lifecycle_state), 'orderPlacedAt', o.placed_at,
      'orderTotal', json_build_object('amount', o.order_total_amount::text, 'currency', o.currency),
      'orderLines', (select coalesce(json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity, 'unitPrice', json_build_object('amount', l.unit_price::text), 'lineAmount', json_build_object('amount', l.line_amount::text)) order by l.line_id), '[]') from "${SCHEMA}".order_lines l where l.order_id = o.order_id),
      'lifecycleHistory', (select coalesce(json_agg(json_build_object('orderLifecycleState', upper(h.order_lifecycle_state), 'occurredAt', h.occurred_at) order by h.sequence), '[]') from "${SCHEMA}".order_status_history h where h.order_id = o.order_id)
    ) order by o.placed_at desc, o.order_id desc), '[]')::text as page
    from (select * from "${SCHEMA}".orders where $1::text is null or (placed_at, order_id) < (select placed_at, order_id from "${SCHEMA}".orders where order_id = $1) order by placed_at desc, order_id desc limit ${PAGE}) o`;
  return serveOneSql(pool, sql, 'recentCustomerOrders');
}

async function startJourneyRaw(pool: pg.Pool) {
  // The physical limit for a cross-context page: one SQL over the three context schemas building the JSON.
  const sql = `select coalesce(json_agg(json_build_object(
      'orderId', o.order_id, 'orderLifecycleState', upper(o.order_lifecycle_state), 'orderPlacedAt', o.placed_at,
      'orderTotal', json_build_object('amount', o.order_total_amount::text, 'currency', o.currency),
      'payments', (select coalesce(json_agg(json_build_object('paymentId', p.payment_id, 'method', upper(p.method), 'paymentLifecycleState', upper(p.payment_lifecycle_state),
          'authorizedAmount', case when p.authorized_amount is null then null else json_build_object('amount', p.authorized_amount::text) end,
          'capturedAmount', json_build_object('amount', p.captured_amount::text), 'refundedAmount', json_build_object('amount', p.refunded_amount::text)) order by p.attempted_at, p.payment_id), '[]')
        from "${J_PAYMENTS}".payments p where p.order_id = o.order_id),
      'shipments', (select coalesce(json_agg(json_build_object('shipmentId', s.shipment_id, 'warehouseId', s.warehouse_id, 'wave', s.wave, 'shipmentStatus', upper(s.shipment_status),
          'carrier', upper(s.carrier), 'trackingNumber', s.tracking_number,
          'lines', (select coalesce(json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity) order by l.line_id), '[]') from "${J_FULFILLMENT}".shipment_lines l where l.shipment_id = s.shipment_id)) order by s.created_at, s.shipment_id), '[]')
        from "${J_FULFILLMENT}".shipments s where s.order_id = o.order_id)
    ) order by o.placed_at desc, o.order_id desc), '[]')::text as page
    from (select * from "${J_ORDERS}".orders where $1::text is null or (placed_at, order_id) < (select placed_at, order_id from "${J_ORDERS}".orders where order_id = $1) order by placed_at desc, order_id desc limit ${PAGE}) o`;
  return serveOneSql(pool, sql, 'orderJourneys');
}

async function startNaive(pool: pg.Pool) {
  const typeDefs = /* GraphQL */ `
    type Query { recentCustomerOrders(first: Int!, after: ID): [Order!]! }
    type Money { amount: String! currency: String }
    type Order { orderId: ID! orderLifecycleState: String! orderPlacedAt: String! orderTotal: Money! orderLines: [Line!]! lifecycleHistory: [Change!]! }
    type Line { sku: String! quantity: Int! unitPrice: Money! lineAmount: Money! }
    type Change { orderLifecycleState: String! occurredAt: String! }`;
  type Row = Record<string, unknown>;
  const resolvers = {
    Query: {
      recentCustomerOrders: async (_: unknown, { first, after }: { first: number; after?: string }) =>
        (await pool.query(`select * from "${SCHEMA}".orders where $2::text is null or (placed_at, order_id) < (select placed_at, order_id from "${SCHEMA}".orders where order_id = $2) order by placed_at desc, order_id desc limit $1`, [first, after ?? null])).rows,
    },
    Order: {
      orderId: (o: Row) => o.order_id,
      orderLifecycleState: (o: Row) => String(o.order_lifecycle_state).toUpperCase(),
      orderPlacedAt: (o: Row) => (o.placed_at as Date).toISOString(),
      orderTotal: (o: Row) => ({ amount: o.order_total_amount, currency: o.currency }),
      // One statement per order, per relation: the N+1 the gateway's loaders avoid.
      orderLines: async (o: Row) => (await pool.query(`select * from "${SCHEMA}".order_lines where order_id = $1 order by line_id`, [o.order_id])).rows,
      lifecycleHistory: async (o: Row) => (await pool.query(`select * from "${SCHEMA}".order_status_history where order_id = $1 order by sequence`, [o.order_id])).rows,
    },
    Line: { unitPrice: (l: Row) => ({ amount: l.unit_price }), lineAmount: (l: Row) => ({ amount: l.line_amount }) },
    Change: { orderLifecycleState: (h: Row) => String(h.order_lifecycle_state).toUpperCase(), occurredAt: (h: Row) => (h.occurred_at as Date).toISOString() },
  };
  const apollo = new ApolloServer({ typeDefs, resolvers });
  await apollo.start();
  const { server, url: base } = await listen(async (req: IncomingMessage, res: ServerResponse) => {
    await handleApolloRequest(apollo, req, res, async () => ({}));
    return true;
  }, '127.0.0.1', 0);
  return { server, url: `${base}/`, stop: () => apollo.stop() };
}

async function startPostGraphile() {
  const { postgraphile } = await import('postgraphile');
  const { PostGraphileAmberPreset } = await import('postgraphile/presets/amber');
  const { makePgService } = await import('postgraphile/adaptors/pg');
  const { grafserv } = await import('postgraphile/grafserv/node');
  const pgl = postgraphile({ extends: [PostGraphileAmberPreset], pgServices: [makePgService({ connectionString: url, schemas: [SCHEMA] })], grafserv: { graphqlPath: '/graphql' } });
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  await serv.addTo(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`, stop: () => pgl.release() };
}

const postGraphileQuery = /* GraphQL */ `query Page($after: Cursor) { allOrders(first: ${PAGE}, after: $after, orderBy: [PLACED_AT_DESC, ORDER_ID_DESC]) { nodes {
  orderId orderLifecycleState placedAt orderTotalAmount currency
  orderLinesByOrderId(orderBy: LINE_ID_ASC) { nodes { sku quantity unitPrice lineAmount } }
  orderStatusHistoriesByOrderId(orderBy: SEQUENCE_ASC) { nodes { orderLifecycleState occurredAt } } } } }`;

async function post(target: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await response.json()) as { data?: unknown; errors?: unknown };
  if (json.errors || response.status !== 200) throw new Error(`${target} answered ${response.status}: ${JSON.stringify(json.errors ?? json).slice(0, 400)}`);
  return json;
}

/** Runs the load generator in a child process; asynchronously, since the servers share this event loop. */
function load(target: string, bodies: string[], headers: Record<string, string> = {}, seconds = SECONDS): Promise<{ requestsPerSecond: number; p50: number; p99: number; non2xx: number; errors: number; total: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./loadGenerator.ts', import.meta.url).pathname, JSON.stringify({ url: target, bodies, headers, connections: CONNECTIONS, durationSeconds: seconds })]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`load generator failed (${code}): ${stderr}`)))),
  );
}

async function main() {
  const loadBefore = os.loadavg().map((l) => Number(l.toFixed(2)));
  await ensureData();
  if (!ONLY || [...ONLY].some((t) => t.startsWith('journey'))) await ensureJourneyData();
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const db = await createPostgresDatabase(url);
  const cache = createMemoryCache();
  const access = await openAccess({ db, cache }, { schema: 'bench_access', tokenizationSecret: 'bench-tokenization-secret-0123456789abcdef' });
  const consumer = await access.principals.create({ name: `bench-consumer-${Date.now()}`, audience: 'INTERNAL', contracts: ['*'] });
  // A budget the benchmark never reaches: the limiter's cost (one counter increment per request) is measured, not its refusals.
  const rateLimiter = createRateLimiter(cache, { limitFor: () => ({ requests: 1_000_000_000, windowSeconds: 60 }) });
  const gateway = await createGateway({ db, log: createEmbeddedEventLog(), cache }, access, { projectionSchemas: { orders: SCHEMA }, rateLimiter });
  const gatewayServer = await listen(gateway.handle, '127.0.0.1', 0);
  const viaApolloGateway = await createGateway({ db, log: createEmbeddedEventLog(), cache }, access, { projectionSchemas: { orders: SCHEMA }, rateLimiter, contractDirectPath: 'off' });
  const viaApolloServer = await listen(viaApolloGateway.handle, '127.0.0.1', 0);
  const resolversGateway = await createGateway({ db, log: createEmbeddedEventLog(), cache }, access, { projectionSchemas: { orders: SCHEMA }, rateLimiter, contractSqlPlanning: 'off' });
  const resolversServer = await listen(resolversGateway.handle, '127.0.0.1', 0);
  const accessOff = await createGateway({ db, log: createEmbeddedEventLog(), cache }, { ...access, authenticator: { authenticate: async () => consumer.principal }, audit: { ...access.audit, record: () => undefined } }, { projectionSchemas: { orders: SCHEMA } });
  const accessOffServer = await listen(accessOff.handle, '127.0.0.1', 0);
  const auth = { authorization: `Bearer ${consumer.apiKey}` };
  // Metrics public on this one: the hit rate is read from its counter at the end.
  const cachedGateway = await createGateway({ db, log: createEmbeddedEventLog(), cache }, access, { projectionSchemas: { orders: SCHEMA }, rateLimiter, responseCache: {}, metrics: { access: 'public' } });
  const cachedGatewayServer = await listen(cachedGateway.handle, '127.0.0.1', 0);
  const journeyGateway = await createGateway({ db, log: createEmbeddedEventLog(), cache }, access, { projectionSchemas: JOURNEY_SCHEMAS, rateLimiter });
  const journeyGatewayServer = await listen(journeyGateway.handle, '127.0.0.1', 0);
  const journeyRaw = await startJourneyRaw(pool);
  const raw = await startRaw(pool);
  const naive = await startNaive(pool);
  const postgraphile = await startPostGraphile();

  // The same 64 pages for every target: cursors at random positions among the newest 50k orders.
  const positions = Array.from({ length: 64 }, (_, i) => (i * 7919) % 50_000);
  const { rows } = await pool.query(`select order_id, row_number() over (order by placed_at desc, order_id desc) - 1 as position from "${SCHEMA}".orders order by placed_at desc, order_id desc limit 50000`);
  const idAt = new Map(rows.map((r: { order_id: string; position: string }) => [Number(r.position), r.order_id]));
  const ids = positions.map((p) => idAt.get(p)!);
  const pgCursors: string[] = [];
  for (const p of positions) {
    const page = (await post(postgraphile.url, JSON.stringify({ query: `{ allOrders(first: 1, offset: ${p}, orderBy: [PLACED_AT_DESC, ORDER_ID_DESC]) { edges { cursor node { orderId } } } }` }))) as { data: { allOrders: { edges: Array<{ cursor: string; node: { orderId: string } }> } } };
    const edge = page.data.allOrders.edges[0]!;
    if (edge.node.orderId !== idAt.get(p)) throw new Error('PostGraphile and PostgreSQL disagree on the page order');
    pgCursors.push(edge.cursor);
  }
  const contractBodies = ids.map((after) => JSON.stringify({ query: contractQuery, variables: { after } }));
  type Target = { name: string; url: string; bodies: string[]; headers?: Record<string, string> };
  const gatewayOn: Target = { name: 'gateway', url: `${gatewayServer.url}/contracts/customer_order_timeline/v2`, bodies: contractBodies, headers: auth };
  const gatewayOff: Target = { name: 'gateway_access_off', url: `${accessOffServer.url}/contracts/customer_order_timeline/v2`, bodies: contractBodies };
  const gatewayCached: Target = { name: 'gateway_cached', url: `${cachedGatewayServer.url}/contracts/customer_order_timeline/v2`, bodies: contractBodies.slice(0, 8), headers: auth };
  // Access on and off are compared by a few percent: each runs twice, alternating, best run kept,
  // so neither gains from going second (warm JIT, warm PostgreSQL buffers).
  const targets: Target[] = [
    gatewayOff,
    gatewayOn,
    gatewayCached,
    gatewayOff,
    gatewayOn,
    { name: 'gateway_via_apollo', url: `${viaApolloServer.url}/contracts/customer_order_timeline/v2`, bodies: contractBodies, headers: auth },
    { name: 'gateway_resolvers', url: `${resolversServer.url}/contracts/customer_order_timeline/v2`, bodies: contractBodies, headers: auth },
    gatewayCached,
    { name: 'raw', url: raw.url, bodies: contractBodies },
    { name: 'postgraphile', url: postgraphile.url, bodies: pgCursors.map((after) => JSON.stringify({ query: postGraphileQuery, variables: { after } })) },
    { name: 'naive', url: naive.url, bodies: contractBodies },
  ];
  const journeysWanted = !ONLY || [...ONLY].some((t) => t.startsWith('journey'));
  const { rows: journeyRows } = journeysWanted ? await pool.query(`select order_id from "${J_ORDERS}".orders order by placed_at desc, order_id desc limit ${Math.floor(JOURNEYS / 2)}`) : { rows: [{ order_id: 'none' }] };
  const journeyBodies = (query: string) => positions.map((p) => JSON.stringify({ query, variables: { after: (journeyRows[p % journeyRows.length] as { order_id: string }).order_id } }));
  targets.push(
    { name: 'journey_raw', url: journeyRaw.url, bodies: journeyBodies(journeyQuery) },
    { name: 'journey_gateway', url: `${journeyGatewayServer.url}/contracts/order_journey/v1`, bodies: journeyBodies(journeyQuery), headers: auth },
    { name: 'journey_gateway_with_stage', url: `${journeyGatewayServer.url}/contracts/order_journey/v1`, bodies: journeyBodies(journeyStageQuery), headers: auth },
  );

  const results: Record<string, { requests_per_second: number; p50_ms: number; p99_ms: number; sql_per_request: number; cpu_us_per_request: number; non2xx: number; errors: number }> = {};
  for (const target of targets) {
    if (ONLY && !ONLY.has(target.name)) continue;
    const headers = target.headers ?? {};
    const sample = (await post(target.url, target.bodies[1]!, headers)) as { data: Record<string, unknown> };
    const rowsReturned = JSON.stringify(sample.data).match(/"orderId"/g)?.length ?? 0;
    if (rowsReturned !== PAGE) throw new Error(`${target.name} returned ${rowsReturned} orders, expected ${PAGE}`);
    await post(target.url, target.bodies[2]!, headers); // warm caches and connections
    const sql = await countStatements(() => post(target.url, target.bodies[3]!, headers));
    // Unmeasured: every target runs warm (JIT, plans, caches, pools), not only those that run twice.
    await load(target.url, target.bodies, headers, WARMUP_SECONDS);
    const cpuBefore = process.cpuUsage();
    const run = await load(target.url, target.bodies, headers);
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPerRequest = Math.round((cpu.user + cpu.system) / Math.max(1, run.total));
    if (ONLY) console.log(target.name, 'cpu µs per request: user', Math.round(cpu.user / Math.max(1, run.total)), 'system', Math.round(cpu.system / Math.max(1, run.total)));
    const measured = { requests_per_second: Math.round(run.requestsPerSecond), p50_ms: run.p50, p99_ms: run.p99, sql_per_request: sql, cpu_us_per_request: cpuPerRequest, non2xx: run.non2xx, errors: run.errors };
    if ((results[target.name]?.requests_per_second ?? -1) < measured.requests_per_second) results[target.name] = measured;
    console.log(target.name, results[target.name]);
  }
  if (ONLY) {
    console.log(JSON.stringify(results, null, 2));
    process.exit(0);
  }
  const ratio = (a: string, b: string) => Number((results[a]!.requests_per_second / results[b]!.requests_per_second).toFixed(3));
  const scraped = await (await fetch(`${cachedGatewayServer.url}/metrics`)).text();
  const cacheCounts = Object.fromEntries(
    ['HIT', 'MISS', 'BYPASS'].map((status) => [status, Number(new RegExp(`dpg_response_cache_answers_total\\{contract="customer_order_timeline/v2",status="${status}"\\} (\\d+)`).exec(scraped)?.[1] ?? 0)]),
  ) as Record<'HIT' | 'MISS' | 'BYPASS', number>;
  const output = {
    orders: ORDERS,
    page_size: PAGE,
    connections: CONNECTIONS,
    seconds_per_target: SECONDS,
    node: process.version,
    results,
    ratio_gateway_vs_raw: ratio('gateway', 'raw'),
    ratio_gateway_vs_postgraphile: ratio('gateway', 'postgraphile'),
    ratio_gateway_vs_naive: ratio('gateway', 'naive'),
    ratio_gateway_vs_gateway_resolvers: ratio('gateway', 'gateway_resolvers'),
    ratio_gateway_vs_gateway_via_apollo: ratio('gateway', 'gateway_via_apollo'),
    ratio_gateway_via_apollo_vs_raw: ratio('gateway_via_apollo', 'raw'),
    cpu_us_per_request_gateway_minus_raw: results.gateway!.cpu_us_per_request - results.raw!.cpu_us_per_request,
    cpu_us_per_request_gateway_via_apollo_minus_raw: results.gateway_via_apollo!.cpu_us_per_request - results.raw!.cpu_us_per_request,
    load_average_before: loadBefore,
    load_average_after: os.loadavg().map((l) => Number(l.toFixed(2))),
    ratio_gateway_resolvers_vs_postgraphile: ratio('gateway_resolvers', 'postgraphile'),
    ratio_gateway_resolvers_vs_raw: ratio('gateway_resolvers', 'raw'),
    ratio_gateway_access_on_vs_off: ratio('gateway', 'gateway_access_off'),
    ratio_gateway_access_off_vs_postgraphile: ratio('gateway_access_off', 'postgraphile'),
    ratio_gateway_access_off_vs_raw: ratio('gateway_access_off', 'raw'),
    ratio_gateway_cached_vs_gateway: ratio('gateway_cached', 'gateway'),
    ratio_gateway_cached_vs_postgraphile: ratio('gateway_cached', 'postgraphile'),
    ratio_gateway_cached_vs_raw: ratio('gateway_cached', 'raw'),
    gateway_cached_answers: cacheCounts,
    gateway_cached_hit_rate: Number((cacheCounts.HIT / Math.max(1, cacheCounts.HIT + cacheCounts.MISS + cacheCounts.BYPASS)).toFixed(4)),
    journeys: JOURNEYS,
    ratio_journey_gateway_vs_raw: ratio('journey_gateway', 'journey_raw'),
    ratio_journey_gateway_with_stage_vs_raw: ratio('journey_gateway_with_stage', 'journey_raw'),
    measured_at: new Date().toISOString(),
  };
  await writeBenchResults(
    'query',
    output,
    [
      '# Query benchmark',
      '',
      `${ORDERS.toLocaleString('en')} orders in PostgreSQL; each request lists ${PAGE} orders with lines and lifecycle history, from a cursor that changes per request; no response cache. ${CONNECTIONS} connections, ${SECONDS} s per target, load from autocannon in a separate process, all in one run on one machine (${process.version}).`,
      '',
      `Load average (1, 5, 15 min) before: ${output.load_average_before.join(', ')}; after: ${output.load_average_after.join(', ')}. CPU per request is this process's (all servers run in it, the load generator does not; PostgreSQL's backends not included), over the run kept.`,
      '',
      '| target | req/s | p50 ms | p99 ms | SQL per request | CPU µs per request |',
      '|---|---:|---:|---:|---:|---:|',
      ...[...new Set(targets.map((t) => t.name))].map((name) => ({ name })).map((t) => `| ${t.name} | ${results[t.name]!.requests_per_second} | ${results[t.name]!.p50_ms} | ${results[t.name]!.p99_ms} | ${results[t.name]!.sql_per_request} | ${results[t.name]!.cpu_us_per_request} |`),
      '',
      `gateway ÷ raw: ${output.ratio_gateway_vs_raw} (target ≥ 0.8); gateway ÷ PostGraphile: ${output.ratio_gateway_vs_postgraphile} (target ≥ 1.5); gateway ÷ naive: ${output.ratio_gateway_vs_naive}.`,
      '',
      `Direct path below Apollo (gateway) ÷ the same gateway through Apollo Server's pipeline (gateway_via_apollo): ${output.ratio_gateway_vs_gateway_via_apollo}; through Apollo it is ${output.ratio_gateway_via_apollo_vs_raw} × raw. Node CPU per request above raw: ${output.cpu_us_per_request_gateway_minus_raw} µs direct, ${output.cpu_us_per_request_gateway_via_apollo_minus_raw} µs through Apollo.`,
      '',
      `Contract reads compiled to SQL (gateway) ÷ the same gateway on resolvers (CONTRACT_SQL_PLANNING=off): ${output.ratio_gateway_vs_gateway_resolvers}; on resolvers it is ${output.ratio_gateway_resolvers_vs_postgraphile} × PostGraphile and ${output.ratio_gateway_resolvers_vs_raw} × raw. SQL per request: ${results.gateway!.sql_per_request} compiled, ${results.gateway_resolvers!.sql_per_request} on resolvers.`,
      '',
      `Access control (API key, limits, rate limit, audit) on ÷ off: ${output.ratio_gateway_access_on_vs_off}. Without it the gateway is ${output.ratio_gateway_access_off_vs_postgraphile} × PostGraphile and ${output.ratio_gateway_access_off_vs_raw} × raw in this run.`,
      '',
      `Response cache (gateway_cached: the same query, variables cycling over 8 cursors, no writes meanwhile, in-process store): hit rate ${output.gateway_cached_hit_rate} (${cacheCounts.HIT} HIT, ${cacheCounts.MISS} MISS, ${cacheCounts.BYPASS} BYPASS over both runs); cached ÷ uncached gateway: ${output.ratio_gateway_cached_vs_gateway}; cached ÷ PostGraphile: ${output.ratio_gateway_cached_vs_postgraphile}; cached ÷ raw: ${output.ratio_gateway_cached_vs_raw}. Reported apart: the other targets' figures are without the cache.`,
      '',
      `Order journeys (${JOURNEYS.toLocaleString('en')} journeys across the orders, payments and fulfillment schemas; a page of ${PAGE} orders with payments and shipments with lines): order_journey ÷ one hand-written SQL join: ${output.ratio_journey_gateway_vs_raw}; with the derived journeyStage and stageSince: ${output.ratio_journey_gateway_with_stage_vs_raw}. SQL per request: ${results.journey_gateway!.sql_per_request} (gateway), ${results.journey_gateway_with_stage!.sql_per_request} (with stage), ${results.journey_raw!.sql_per_request} (raw).`,
      '',
    ].join('\n'),
  );
  console.log(JSON.stringify(output, null, 2));
  gatewayServer.server.close();
  resolversServer.server.close();
  viaApolloServer.server.close();
  cachedGatewayServer.server.close();
  journeyGatewayServer.server.close();
  journeyRaw.server.close();
  accessOffServer.server.close();
  raw.server.close();
  naive.server.close();
  postgraphile.server.close();
  await Promise.allSettled([gateway.stop(), viaApolloGateway.stop(), resolversGateway.stop(), cachedGateway.stop(), journeyGateway.stop(), accessOff.stop(), access.close(), naive.stop(), postgraphile.stop(), pool.end(), db.close()]);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
