import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector } from '../../platform/projection/index.js';
import type { RowScope, SubgraphVersion } from '../../platform/subgraph/index.js';
import { isSubgraphError, SubgraphErrorCode } from '../../platform/subgraph/index.js';
import { countingDatabase } from '../../test/support/countingDatabase.js';
import { bothDatabases } from '../../test/support/databases.js';
import { orderEvent } from '../../test/support/orderEvents.js';
import { waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { uniqueName } from '../../test/support/services.js';
import type { OrderTimelineLoaders, SalesChannel } from './index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext, ordersV1Subgraph, ordersV2Subgraph } from './index.js';

const placedThrough = (id: string, channel: SalesChannel) =>
  orderEvent(id, 1, 'OrderPlaced', {
    customerId: `cus-${id}`,
    channel,
    currency: 'EUR',
    lines: [{ lineId: '1', sku: 'SKU-1', quantity: 2, unitPrice: '10.00' }, { lineId: '2', sku: 'SKU-2', quantity: 1, unitPrice: '5.50' }],
    customerEmail: `${id}@example.test`,
    shippingAddress: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
  });

const MARKETPLACE: RowScope = { salesChannel: ['MARKETPLACE'] };

describe.each(bothDatabases)('orders row scope on %s', (_name, openDb) => {
  let db: Database;
  let projector: Projector;
  const schema = uniqueName('orders_scope');

  beforeAll(async () => {
    db = await openDb();
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    await log.produce(ORDERS_EVENTS_TOPIC, [
      placedThrough('ord-web', 'web'),
      orderEvent('ord-web', 2, 'OrderConfirmed', {}),
      orderEvent('ord-web', 3, 'OrderLineAmended', { lineId: '1', quantity: 3, unitPrice: '10.00' }),
      placedThrough('ord-mkt', 'marketplace'),
      orderEvent('ord-mkt', 2, 'OrderCancelled', { reason: 'fraud' }),
      placedThrough('ord-store', 'store'),
      placedThrough('ord-mkt-2', 'marketplace'),
    ]);
    projector = createProjector({ log, db }, ordersContext, { schema, partitions: 1 });
    await projector.start();
    await waitUntilCaughtUp(db, log, schema, [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC]);
    // The change feed also waits for older transactions of the shared server to end.
    const readable = `select bool_and(change_xid < pg_snapshot_xmin(pg_current_snapshot())) as readable from "${schema}".order_changes`;
    const deadline = Date.now() + 60_000;
    while (!(await db.query<{ readable: boolean }>(readable)).rows[0]!.readable && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(async () => {
    await projector.stop();
    await db.close();
  });

  const run = async (subgraph: SubgraphVersion, source: string, rowScope: RowScope | null, variableValues: Record<string, unknown> = {}, on: Database = db) => {
    const result = await graphql({ schema: subgraph.schema, source, variableValues, contextValue: subgraph.createContext(on, schema, { rowScope }) });
    expect(result.errors).toBeUndefined();
    return result.data as Record<string, unknown>;
  };
  const ids = (orders: unknown) => (orders as Array<{ orderId: string } | null>).map((o) => o?.orderId ?? null);

  it('given a marketplace scope, when an order of another channel is asked for by id, in a batch or as a page position, then it does not exist for the caller', async () => {
    const data = await run(
      ordersV2Subgraph,
      /* GraphQL */ `{
        web: order(orderId: "ord-web") { orderId }
        mkt: order(orderId: "ord-mkt") { orderId salesChannel }
        batch: ordersByIds(orderIds: ["ord-web", "ord-mkt", "ord-store"]) { orderId }
        page: orders(first: 10) { orderId }
        afterWeb: orders(first: 10, after: "ord-web") { orderId }
        changes: orderChanges { orders { orderId salesChannel } hasMore }
      }`,
      MARKETPLACE,
    );
    expect(data.web).toBeNull();
    expect(data.mkt).toEqual({ orderId: 'ord-mkt', salesChannel: 'MARKETPLACE' });
    expect(ids(data.batch)).toEqual([null, 'ord-mkt', null]);
    expect(ids(data.page)).toEqual(['ord-mkt-2', 'ord-mkt']);
    // An id out of scope positions nothing (unscoped, the same `after` yields the orders below it).
    expect(data.afterWeb).toEqual([]);
    const changes = data.changes as { orders: Array<{ orderId: string; salesChannel: string }>; hasMore: boolean };
    expect(changes.orders.map((o) => o.orderId).sort()).toEqual(['ord-mkt', 'ord-mkt-2']);
    expect(changes.hasMore).toBe(false);

    const v1 = await run(ordersV1Subgraph, /* GraphQL */ `{ web: order(orderId: "ord-web") { orderId } page: orders(first: 10) { orderId } }`, MARKETPLACE);
    expect(v1.web).toBeNull();
    expect(ids(v1.page)).toEqual(['ord-mkt-2', 'ord-mkt']);
  });

  it('given a marketplace scope, when lines and status history of another channel are loaded by a guessed order id, then they are empty', async () => {
    const scoped = ordersV2Subgraph.createContext(db, schema, { rowScope: MARKETPLACE }) as OrderTimelineLoaders;
    expect(await scoped.linesByOrderId.loadMany(['ord-web', 'ord-store', 'ord-mkt'])).toEqual([[], [], expect.arrayContaining([expect.objectContaining({ orderId: 'ord-mkt' })])]);
    expect((await scoped.statusHistoryByOrderId.loadMany(['ord-web', 'ord-mkt'])).map((h) => (h as unknown[]).length)).toEqual([0, 2]);

    const everything = ordersV2Subgraph.createContext(db, schema) as OrderTimelineLoaders;
    expect((await everything.linesByOrderId.load('ord-web')).map((l) => [l.lineId, l.quantity, l.lineAmount])).toEqual([['1', 3, '30.00'], ['2', 1, '5.50']]);
    expect((await everything.statusHistoryByOrderId.load('ord-web')).map((h) => h.lifecycleState)).toEqual(['placed', 'confirmed']);
  });

  it('given no scope, then every channel is read; given an empty list of channels, then none is', async () => {
    const query = /* GraphQL */ `{ orders(first: 10) { orderId } orderChanges { orders { orderId } } }`;
    for (const rowScope of [null, undefined]) {
      const data = await run(ordersV2Subgraph, query, rowScope ?? null);
      expect(ids(data.orders)).toEqual(['ord-web', 'ord-store', 'ord-mkt-2', 'ord-mkt']);
      expect(ids((data.orderChanges as { orders: unknown }).orders).sort()).toEqual(['ord-mkt', 'ord-mkt-2', 'ord-store', 'ord-web']);
    }
    expect(ids((await run(ordersV2Subgraph, /* GraphQL */ `{ orders(first: 10) { orderId } }`, { salesChannel: [] })).orders)).toEqual([]);
    const several = await run(ordersV2Subgraph, /* GraphQL */ `{ orders(first: 10) { orderId } }`, { salesChannel: ['WEB', 'STORE'] });
    expect(ids(several.orders)).toEqual(['ord-web', 'ord-store']);
  });

  it('given a scope with an unknown dimension or value, then creating the context fails with ROW_SCOPE_INVALID', () => {
    const attempt = (rowScope: RowScope) => {
      try {
        ordersV2Subgraph.createContext(db, schema, { rowScope });
      } catch (error) {
        return error;
      }
      return null;
    };
    const wrongValue = attempt({ salesChannel: ['marketplace'] });
    expect(isSubgraphError(wrongValue, SubgraphErrorCode.RowScopeInvalid)).toBe(true);
    expect((wrongValue as Error).message).toMatch(/"salesChannel" has no value "marketplace" \(allowed: WEB, STORE, MARKETPLACE\)/);
    const wrongDimension = attempt({ country: ['DE'] });
    expect(isSubgraphError(wrongDimension, SubgraphErrorCode.RowScopeInvalid)).toBe(true);
    expect((wrongDimension as Error).message).toMatch(/unknown dimension "country" \(orders\/v2 can be restricted by "salesChannel"\)/);
    expect(ordersV1Subgraph.rowScopes).toEqual(ordersV2Subgraph.rowScopes);
    expect(ordersV2Subgraph.rowScopes.salesChannel!.values).toEqual(['WEB', 'STORE', 'MARKETPLACE']);
  });

  it('given a scope, then a request runs as many SQL statements as without one', async () => {
    const counted = countingDatabase(db);
    const query = /* GraphQL */ `{
      orders(first: 10) { orderId lines { sku } statusHistory { sequence } }
      orderChanges(first: 10) { orders { orderId lines { sku } statusHistory { sequence } } }
    }`;
    const statementsWith = async (rowScope: RowScope | null) => {
      const before = counted.statements;
      await run(ordersV2Subgraph, query, rowScope, {}, counted);
      return counted.statements - before;
    };
    const unscoped = await statementsWith(null);
    // One list, one feed page, then lines and history batched across both: four statements.
    expect(unscoped).toBe(4);
    expect(await statementsWith(MARKETPLACE)).toBe(unscoped);
  });
});
