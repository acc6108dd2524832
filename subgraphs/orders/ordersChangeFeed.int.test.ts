import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector, rebuildProjection } from '../../platform/projection/index.js';
import { createOrdersSimulator } from './index.js';
import type { RowScope } from '../../platform/subgraph/index.js';
import { bothDatabases } from '../../test/support/databases.js';
import { orderEvent, placed } from '../../test/support/orderEvents.js';
import { produceAll, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { uniqueName } from '../../test/support/services.js';
import type { OrderTimelineLoaders } from './index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext, ordersV2Subgraph } from './index.js';

const TOPICS = [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC];

/** Every field the feed serves of an order, as a partner would ask for it. */
const CHANGES = /* GraphQL */ `
  query Changes($since: Cursor, $first: Int!) {
    orderChanges(since: $since, first: $first) {
      endCursor
      hasMore
      orders {
        orderId customerId customerEmail salesChannel shippingCountry shippingCity shippingPostalCode
        lifecycleState placedAt confirmedAt cancelledAt cancellationReason orderTotal { amount currency }
        lines { lineId sku quantity unitPrice { amount currency } lineAmount { amount currency } }
        statusHistory { sequence lifecycleState occurredAt cancellationReason }
      }
    }
  }`;

interface OrderView {
  orderId: string;
  salesChannel: string;
  [field: string]: unknown;
}
interface ChangePage {
  orders: OrderView[];
  endCursor: string | null;
  hasMore: boolean;
}
/** One order as delivered: the cursor right after it (the feed's position of this version), and what was sent. */
interface Delivery {
  orderId: string;
  cursor: string;
  order: OrderView;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const iso = (value: unknown) => (value === null ? null : (value as Date).toISOString());
const upper = (value: unknown) => (value === null ? null : String(value).toUpperCase());

/** The projection's final rows, in the shape the feed sends them. */
async function projectedOrders(db: Database, schema: string): Promise<Map<string, OrderView>> {
  const q = (table: string, order: string) => db.query(`select * from "${schema}".${table} order by ${order}`).then((r) => r.rows);
  const byOrder = (rows: Array<Record<string, unknown>>) => {
    const groups = new Map<string, Array<Record<string, unknown>>>();
    for (const row of rows) groups.set(String(row.order_id), [...(groups.get(String(row.order_id)) ?? []), row]);
    return groups;
  };
  const lines = byOrder(await q('order_lines', 'order_id, line_id'));
  const history = byOrder(await q('order_status_history', 'order_id, sequence'));
  const views = new Map<string, OrderView>();
  for (const o of await q('orders', 'order_id')) {
    const orderId = String(o.order_id);
    const money = (amount: unknown) => ({ amount, currency: o.currency });
    views.set(orderId, {
      orderId,
      customerId: o.customer_id,
      customerEmail: o.customer_email,
      salesChannel: upper(o.sales_channel)!,
      shippingCountry: o.shipping_country,
      shippingCity: o.shipping_city,
      shippingPostalCode: o.shipping_postal_code,
      lifecycleState: upper(o.order_lifecycle_state),
      placedAt: iso(o.placed_at),
      confirmedAt: iso(o.confirmed_at),
      cancelledAt: iso(o.cancelled_at),
      cancellationReason: upper(o.cancellation_reason),
      orderTotal: money(o.order_total_amount),
      lines: (lines.get(orderId) ?? []).map((l) => ({ lineId: l.line_id, sku: l.sku, quantity: l.quantity, unitPrice: money(l.unit_price), lineAmount: money(l.line_amount) })),
      statusHistory: (history.get(orderId) ?? []).map((h) => ({ sequence: h.sequence, lifecycleState: upper(h.order_lifecycle_state), occurredAt: iso(h.occurred_at), cancellationReason: upper(h.cancellation_reason) })),
    });
  }
  return views;
}

describe.each(bothDatabases)('order change feed on %s', (_name, openDb) => {
  let db: Database;
  const projectors: Projector[] = [];
  beforeAll(async () => {
    db = await openDb();
  });
  afterAll(async () => {
    await Promise.all(projectors.map((p) => p.stop()));
    await db.close();
  });
  const start = async (log: EventLog, schema: string, options: Parameters<typeof createProjector>[2] = {}) => {
    const projector = createProjector({ log, db }, ordersContext, { schema, onError: () => undefined, ...options });
    projectors.push(projector);
    await projector.start();
    return projector;
  };

  /** One request to the v2 subgraph (a fresh context, as per request), and the feed rows it read. */
  const requestPage = async (schema: string, rowScope: RowScope | null, variables: { since: string | null; first: number }) => {
    const loaders = ordersV2Subgraph.createContext(db, schema, { rowScope }) as OrderTimelineLoaders;
    const read = loaders.orderChanges;
    const rows: Array<{ orderId: string; changeCursor: string }> = [];
    loaders.orderChanges = async (...args) => {
      const page = await read(...args);
      rows.push(...page.orders);
      return page;
    };
    const result = await graphql({ schema: ordersV2Subgraph.schema, source: CHANGES, variableValues: variables, contextValue: loaders });
    return { result, rows };
  };
  const page = async (schema: string, since: string | null, first: number, rowScope: RowScope | null = null) => {
    const { result, rows } = await requestPage(schema, rowScope, { since, first });
    expect(result.errors).toBeUndefined();
    const changes = (result.data as { orderChanges: ChangePage }).orderChanges;
    expect(changes.orders.map((o) => o.orderId)).toEqual(rows.map((r) => r.orderId));
    if (rows.length > 0) expect(changes.endCursor).toBe(rows.at(-1)!.changeCursor);
    return { ...changes, deliveries: changes.orders.map((order, i): Delivery => ({ orderId: order.orderId, cursor: rows[i]!.changeCursor, order })) };
  };
  /** Whether every change written so far is below the oldest transaction in flight, i.e. readable by the feed. */
  const allChangesReadable = async (schema: string) =>
    (await db.query<{ readable: boolean }>(`select coalesce(bool_and(change_xid < pg_snapshot_xmin(pg_current_snapshot())), true) as readable from "${schema}".order_changes`)).rows[0]!.readable;
  /**
   * The projector has committed; the feed also waits for every older transaction of the server
   * to end (other test files share it), so a deterministic spec waits for that too.
   */
  const settle = async (log: EventLog, schema: string) => {
    await waitUntilCaughtUp(db, log, schema, TOPICS);
    const deadline = Date.now() + 60_000;
    while (!(await allChangesReadable(schema))) {
      if (Date.now() > deadline) throw new Error('changes stayed behind a transaction in flight for 60 s');
      await sleep(20);
    }
  };

  it('given orders, when paged, then each comes once in a stable order, an empty caught-up page keeps the cursor, and a change brings its order again', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    const schema = uniqueName('orders_feed');
    await start(log, schema, { partitions: 1 });
    await settle(log, schema);
    expect(await page(schema, null, 10)).toMatchObject({ orders: [], endCursor: null, hasMore: false });

    await log.produce(ORDERS_EVENTS_TOPIC, [placed('ord-c'), placed('ord-a'), placed('ord-b')]);
    await settle(log, schema);
    const first = await page(schema, null, 2);
    // One transaction wrote all three: within it, the feed goes by order id.
    expect(first.orders.map((o) => o.orderId)).toEqual(['ord-a', 'ord-b']);
    expect(first.hasMore).toBe(true);
    const second = await page(schema, first.endCursor, 2);
    expect(second).toMatchObject({ orders: [{ orderId: 'ord-c', lifecycleState: 'PLACED', shippingCity: 'Berlin', shippingPostalCode: '10115' }], hasMore: false });
    const caughtUp = await page(schema, second.endCursor, 2);
    expect(caughtUp).toMatchObject({ orders: [], endCursor: second.endCursor, hasMore: false });

    await log.produce(ORDERS_EVENTS_TOPIC, [orderEvent('ord-a', 2, 'OrderConfirmed', {})]);
    await settle(log, schema);
    const again = await page(schema, caughtUp.endCursor, 2);
    expect(again.orders.map((o) => [o.orderId, o.lifecycleState])).toEqual([['ord-a', 'CONFIRMED']]);
    expect(again.deliveries[0]!.cursor).not.toBe(first.deliveries[0]!.cursor);
    // Read again from the start: each order once, in its current state, the changed one last.
    expect((await page(schema, null, 10)).orders.map((o) => [o.orderId, o.lifecycleState])).toEqual([['ord-b', 'PLACED'], ['ord-c', 'PLACED'], ['ord-a', 'CONFIRMED']]);
  });

  it('given a cursor the feed did not issue, or a page too large, then the request fails with BAD_USER_INPUT', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    const schema = uniqueName('orders_feed_bad');
    await start(log, schema, { partitions: 1 });
    const valid = Buffer.from('oc1:1:2:ord-1').toString('base64url');
    expect((await requestPage(schema, null, { since: valid, first: 1 })).result.errors).toBeUndefined();
    for (const since of ['not-a-cursor', Buffer.from('1:2').toString('base64url'), `${valid}==`]) {
      const { result } = await requestPage(schema, null, { since, first: 10 });
      expect(result.errors?.[0]?.extensions?.code, since).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(/not a cursor this feed issued/);
    }
    const { result } = await requestPage(schema, null, { since: null, first: 5000 });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/0 to 1000 orders per page, received 5000/);
  });

  it('given the projector applying thousands of records in concurrent partitions, when readers page through the feed meanwhile, then nothing is missed or repeated and the last version seen is the final one', async () => {
    const log = createEmbeddedEventLog();
    const schema = uniqueName('orders_feed_live');
    const { records } = createOrdersSimulator({ seed: 29, faults: { legacyShare: 0.3, duplicateRate: 0.02, reorderRate: 0.02 } }).nextOrders(900);
    expect(records.length).toBeGreaterThan(2500);
    const half = Math.floor(records.length / 2);
    await produceAll(log, records.slice(0, half));
    // Small batches over four partitions, two applied at once: transactions overlap and commit
    // out of the order in which they took their ids.
    await start(log, schema, { partitions: 4, partitionConcurrency: 2, batchSize: 20, gapBound: 200 });

    let projecting = true;
    const follow = async (rowScope: RowScope | null) => {
      const deliveries: Delivery[] = [];
      let since: string | null = null;
      let pagesWhileProjecting = 0;
      const deadline = Date.now() + 120_000;
      for (;;) {
        const settled = !projecting && (await allChangesReadable(schema));
        const next = await page(schema, since, 50, rowScope);
        if (projecting) pagesWhileProjecting++;
        deliveries.push(...next.deliveries);
        since = next.endCursor;
        if (next.hasMore) continue;
        if (settled) return { deliveries, pagesWhileProjecting };
        if (Date.now() > deadline) throw new Error(`feed did not settle: ${deliveries.length} deliveries`);
        await sleep(5);
      }
    };
    const readers = [follow(null), follow({ salesChannel: ['MARKETPLACE'] })];
    await produceAll(log, records.slice(half));
    await waitUntilCaughtUp(db, log, schema, TOPICS, 120_000);
    projecting = false;
    const [everything, marketplace] = await Promise.all(readers);
    const final = await projectedOrders(db, schema);
    expect(final.size).toBe(900);

    for (const { deliveries, pagesWhileProjecting } of [everything!, marketplace!]) {
      expect(pagesWhileProjecting).toBeGreaterThan(0);
      // Nothing repeated: a version of an order (its position in the feed) is delivered once.
      const pairs = deliveries.map((d) => `${d.orderId} ${d.cursor}`);
      expect(new Set(pairs).size).toBe(pairs.length);
      // Nothing missed: the last version seen of each order is the projection's final row.
      const lastSeen = new Map(deliveries.map((d) => [d.orderId, d.order]));
      for (const [orderId, order] of lastSeen) expect(order, orderId).toEqual(final.get(orderId));
    }
    expect([...new Map(everything!.deliveries.map((d) => [d.orderId, d])).keys()].sort()).toEqual([...final.keys()]);
    const marketplaceIds = [...final.values()].filter((o) => o.salesChannel === 'MARKETPLACE').map((o) => o.orderId);
    expect(marketplaceIds.length).toBeGreaterThan(100);
    expect(marketplaceIds.length).toBeLessThan(final.size);
    expect(new Set(marketplace!.deliveries.map((d) => d.order.salesChannel))).toEqual(new Set(['MARKETPLACE']));
    expect([...new Set(marketplace!.deliveries.map((d) => d.orderId))].sort()).toEqual(marketplaceIds);
  });

  it('given a rebuild of the projection, then a cursor from before it delivers every order once more, and parity ignores the change stamps', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 2 });
    const schema = uniqueName('orders_feed_rb');
    const simulator = createOrdersSimulator({ seed: 31 });
    await produceAll(log, simulator.nextOrders(40).records);
    await start(log, schema, { partitions: 2 });
    await settle(log, schema);
    let cursor = (await page(schema, null, 100)).endCursor;

    const report = await rebuildProjection({ log, db }, ordersContext, 'order_timeline', {
      schema,
      // The live projector writes after the replay took its transaction ids, and a reader follows
      // it: its cursor is now beyond every id the replay wrote into the shadow tables.
      beforeSwap: async () => {
        await produceAll(log, simulator.nextOrders(5).records);
        await settle(log, schema);
        for (let next = await page(schema, cursor, 100); next.orders.length > 0; next = await page(schema, cursor, 100)) cursor = next.endCursor;
      },
    });
    expect(report.swapped).toBe(true);
    expect(report.parity.find((p) => p.table === 'order_changes')).toEqual({ table: 'order_changes', liveRows: 45, shadowRows: 45, missingInShadow: 0, extraInShadow: 0 });
    expect(report.parityOk).toBe(true);

    // The feed delivers a row once no transaction older than its stamp is still running anywhere
    // in the cluster (the snapshot's xmin): another test's or benchmark's open transaction can hold
    // the swap's rows back for a moment. They must all come, so read until they do.
    const final = await projectedOrders(db, schema);
    let after = await page(schema, cursor, 100);
    for (const deadline = Date.now() + 20_000; after.orders.length < final.size && Date.now() < deadline; after = await page(schema, cursor, 100)) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(final.size).toBe(45);
    expect(after.orders.map((o) => o.orderId).sort()).toEqual([...final.keys()]);
    expect(after.orders).toEqual(expect.arrayContaining([...final.values()]));
    expect((await page(schema, after.endCursor, 100)).orders).toEqual([]);
  });
});
