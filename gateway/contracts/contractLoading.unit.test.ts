import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../platform/cache/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import { contexts } from '../../subgraphs/index.js';
import type { Database } from '../../platform/database/index.js';
import type { GatewayAccess } from '../createGateway.js';
import { createGateway } from '../createGateway.js';
import { ContractLoadError } from './ContractError.js';
import { loadContracts } from './loadContracts.js';

const subgraphs = contexts.flatMap((c) => c.subgraphs);
const header = (name: string, version: number) => /* GraphQL */ `
  schema @contract(name: "${name}", version: ${version}, owner: "t", audience: INTERNAL, consumers: ["c"], tier: EDGE,
    description: "d", changePolicy: "p", deliveryGuarantee: "g", latencyProfile: "l", freshnessSlaSeconds: 30, status: ACTIVE) { query: Query }
`;
const query = /* GraphQL */ `type Query { order(orderId: ID!): Timeline @from(subgraph: "orders/v2", field: "Query.order") }`;

let directory: string;
const write = async (files: Record<string, string>) => {
  directory = await mkdtemp(join(tmpdir(), 'contracts-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(directory, path, '..'), { recursive: true });
    await writeFile(join(directory, path), content);
  }
  return directory;
};
const failureOf = async (files: Record<string, string>): Promise<string> => {
  try {
    await loadContracts(await write(files), subgraphs);
  } catch (error) {
    expect(error).toBeInstanceOf(ContractLoadError);
    expect((error as ContractLoadError).code).toBe('CONTRACT_INVALID');
    return (error as Error).message;
  }
  throw new Error('the contract loaded, but it should not have');
};
afterEach(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('loading contracts', () => {
  it('loads the repository’s contracts', async () => {
    const contracts = await loadContracts(new URL('../../contracts', import.meta.url).pathname, subgraphs);
    expect(contracts.map((c) => `${c.meta.name} v${c.meta.version}`)).toEqual(['customer_order_timeline v1', 'customer_order_timeline v2', 'finance_recognized_sale v1', 'order_journey v1', 'partner_order_status v1', 'reconciliation_exceptions v1']);
  });

  it('refuses a field without lineage, naming the file, the field and the fix', async () => {
    const message = await failureOf({ 'shop/v1.graphql': header('shop', 1) + query + 'type Timeline { orderId: ID! @from(subgraph: "orders/v2", field: "Order.orderId") note: String }' });
    expect(message).toContain('shop/v1.graphql Timeline.note: has no lineage. Fix: add @from(subgraph: "<context>/v<N>", field: "Type.field")');
  });

  it('refuses lineage to a field that does not exist, listing the fields that do', async () => {
    const message = await failureOf({ 'shop/v1.graphql': header('shop', 1) + query + 'type Timeline { total: String @from(subgraph: "orders/v2", field: "Order.totl") }' });
    expect(message).toMatch(/shop\/v1\.graphql Timeline\.total: @from points at orders\/v2 Order\.totl, which does not exist: orders\/v2 Order has no field "totl"\. Fix: use one of orderId, .*orderTotal/);
  });

  it('refuses lineage to an unknown subgraph version', async () => {
    const message = await failureOf({ 'shop/v1.graphql': header('shop', 1) + query + 'type Timeline { orderId: ID! @from(subgraph: "orders/v7", field: "Order.orderId") }' });
    expect(message).toContain('Timeline.orderId: @from points at orders/v7 Order.orderId, which names an unknown subgraph "orders/v7". Fix: use one of "orders/v1", "orders/v2", "payments/v1", "fulfillment/v1", "reconciliation/v1".');
  });

  it('refuses an unknown directive argument', async () => {
    const message = await failureOf({ 'shop/v1.graphql': header('shop', 1) + query + 'type Timeline { orderId: ID! @from(subgraph: "orders/v2", field: "Order.orderId", fallback: "x") }' });
    expect(message).toContain('shop/v1.graphql Timeline.orderId: @from has no argument "fallback". Fix: use only "subgraph", "field", "key".');
  });

  it('refuses a cross-context join whose key is not a field on either side', async () => {
    const message = await failureOf({
      'shop/v1.graphql':
        header('shop', 1) +
        query +
        'type Timeline { orderId: ID! @from(subgraph: "orders/v2", field: "Order.orderId") payments: [Pay!]! @from(subgraph: "payments/v1", field: "OrderPayments.payments", key: "orderNumber") shipments: [Ship!]! @from(subgraph: "fulfillment/v1", field: "OrderFulfillment.shipments", key: "orderId") } type Pay { paymentId: ID! @from(subgraph: "payments/v1", field: "Payment.paymentId") } type Ship { shipmentId: ID! @from(subgraph: "fulfillment/v1", field: "Shipment.shipmentId") }',
    });
    expect(message).toContain('shop/v1.graphql Timeline.payments: @from key "orderNumber" is not a field of Timeline. Fix: name a field of Timeline whose value identifies the OrderPayments (e.g. orderId).');
    expect(message).toContain('shop/v1.graphql Timeline.payments: @from key "orderNumber" is not a field of payments/v1 OrderPayments. Fix: join on a field OrderPayments has (orderId, payments).');
    expect(message).not.toContain('Timeline.shipments');
  });

  it('refuses a @derived field without a resolver in the .ts beside it', async () => {
    const message = await failureOf({
      'shop/v1.graphql': header('shop', 1) + query + 'type Timeline { orderId: ID! @from(subgraph: "orders/v2", field: "Order.orderId") age: Int @derived(from: ["orders/v2:Order.placedAt"], description: "minutes since placement") }',
      'shop/v1.ts': 'export const derivedFields = { Timeline: {} };\n',
    });
    expect(message).toContain('shop/v1.graphql Timeline.age: is @derived but shop/v1.ts has no resolver for it. Fix: export const derivedFields: DerivedFieldResolvers = { Timeline: { age: ([source1]) => ... } }');
  });

  it('loads flow metrics a contract declares beside its SDL', async () => {
    const [contract] = await loadContracts(
      await write({
        'shop/v1.graphql': header('shop', 1) + query + 'type Timeline { orderId: ID! @from(subgraph: "orders/v2", field: "Order.orderId") }',
        'shop/v1.ts': `export const flowMetrics = { metrics: [{ name: 'dpg_shop_orders', help: 'Orders.', labelNames: [] }], operation: '{ order(orderId: "1") { orderId } }', samples: () => [] };\n`,
      }),
      subgraphs,
    );
    expect(contract!.flowMetrics?.metrics.map((m) => m.name)).toEqual(['dpg_shop_orders']);
  });

  it('refuses flow metrics outside the contract’s namespace, or whose query the version cannot run', async () => {
    const message = await failureOf({
      'shop/v1.graphql': header('shop', 1) + query + 'type Timeline { orderId: ID! @from(subgraph: "orders/v2", field: "Order.orderId") }',
      'shop/v1.ts': `export const flowMetrics = { metrics: [{ name: 'dpg_orders_total', help: 'Orders.', labelNames: ['__x'] }], operation: '{ order(orderId: "1") { nope } }', samples: () => [] };\n`,
    });
    expect(message).toContain('shop/v1.ts: flow metric "dpg_orders_total" is outside its namespace "dpg_shop_". Fix: rename it "dpg_shop_orders_total".');
    expect(message).toContain('shop/v1.ts: flow metric "dpg_orders_total" has label "__x", which is not a Prometheus label name.');
    expect(message).toContain('shop/v1.ts: flowMetrics.operation is not valid on shop v1: Cannot query field "nope" on type "Timeline".');
  });

  it('refuses a deprecated field without a sunset, a type mismatch, and a misnamed file, all at once', async () => {
    const message = await failureOf({
      'shop/v1.graphql': header('shop', 1) + query + 'type Timeline { orderId: ID! @from(subgraph: "orders/v2", field: "Order.orderId") @deprecated(reason: "x") total: Int @from(subgraph: "orders/v2", field: "Order.orderTotal") }',
      'other/v2.graphql': header('shop', 2) + query + 'type Timeline { orderId: ID! @from(subgraph: "orders/v2", field: "Order.orderId") }',
    });
    expect(message).toMatch(/^3 contract problems:/);
    expect(message).toContain('Timeline.orderId: is @deprecated without @sunset.');
    expect(message).toContain('Timeline.total: cannot be served from orders/v2 Order.orderTotal: Int and Money are different kinds of type.');
    expect(message).toContain('other/v2.graphql schema: @contract says shop v2 but the file is other/v2.graphql.');
  });

  it('reads what a freshness SLA binds: PROCESSING_LAG by default, DATA_AGE with the silence its sources may keep', async () => {
    const timeline = query + 'type Timeline { orderId: ID! @from(subgraph: "orders/v2", field: "Order.orderId") }';
    const [age, lag] = await loadContracts(
      await write({
        'lag/v1.graphql': header('lag', 1) + timeline,
        'age/v1.graphql': header('age', 1).replace('freshnessSlaSeconds: 30,', 'freshnessSlaSeconds: 30, freshnessBinds: DATA_AGE, maxSourceSilenceSeconds: 120,') + timeline,
      }),
      subgraphs,
    );
    expect(age!.meta).toMatchObject({ name: 'age', freshnessSlaSeconds: 30, freshnessBinds: 'DATA_AGE', maxSourceSilenceSeconds: 120 });
    expect(lag!.meta).toMatchObject({ name: 'lag', freshnessSlaSeconds: 30, freshnessBinds: 'PROCESSING_LAG', maxSourceSilenceSeconds: null });
  });

  it('refuses DATA_AGE without maxSourceSilenceSeconds, a silence nothing reads, and a silence that is not positive', async () => {
    const timeline = query + 'type Timeline { orderId: ID! @from(subgraph: "orders/v2", field: "Order.orderId") }';
    const message = await failureOf({
      'a/v1.graphql': header('a', 1).replace('freshnessSlaSeconds: 30,', 'freshnessSlaSeconds: 30, freshnessBinds: DATA_AGE,') + timeline,
      'b/v1.graphql': header('b', 1).replace('freshnessSlaSeconds: 30,', 'freshnessSlaSeconds: 30, maxSourceSilenceSeconds: 600,') + timeline,
      'c/v1.graphql': header('c', 1).replace('freshnessSlaSeconds: 30,', 'freshnessSlaSeconds: 30, freshnessBinds: DATA_AGE, maxSourceSilenceSeconds: 0,') + timeline,
    });
    expect(message).toContain('a/v1.graphql schema: binds its freshness SLA to DATA_AGE without maxSourceSilenceSeconds. Fix: add maxSourceSilenceSeconds: <seconds> to @contract');
    expect(message).toContain('b/v1.graphql schema: declares maxSourceSilenceSeconds (600) but binds its freshness SLA to PROCESSING_LAG, which never reads it. Fix: add freshnessBinds: DATA_AGE to @contract, or remove maxSourceSilenceSeconds.');
    expect(message).toContain('c/v1.graphql schema: maxSourceSilenceSeconds must be positive (received 0).');
  });

  it('keeps the gateway from starting on a broken contract', async () => {
    const dir = await write({ 'shop/v1.graphql': header('shop', 1) + 'type Query { x: Int }' });
    const deps = { db: {} as Database, log: createEmbeddedEventLog(), cache: createMemoryCache() };
    // Contracts load before access is touched: a broken contract stops the start first.
    await expect(createGateway(deps, {} as GatewayAccess, { contractsDirectory: dir })).rejects.toThrow('shop/v1.graphql Query.x: has no lineage.');
    expect(await readFile(join(dir, 'shop/v1.graphql'), 'utf8')).toContain('@contract');
  });
});
