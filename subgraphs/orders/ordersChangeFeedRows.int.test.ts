import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector, projectionStorage } from '../../platform/projection/index.js';
import type { RowSelectionField } from '../../platform/subgraph/index.js';
import { bothDatabases } from '../../test/support/databases.js';
import { orderEvent } from '../../test/support/orderEvents.js';
import { waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { uniqueName } from '../../test/support/services.js';
import type { OrderTimelineLoaders } from './index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, orderTimelineProjection, ordersContext, ordersV2Subgraph } from './index.js';

/** Every field of an order, as GraphQL asks for it and as the SQL planner gets it. */
const ORDER_FIELDS = /* GraphQL */ `
  orderId customerId customerEmail salesChannel shippingCountry shippingCity shippingPostalCode
  lifecycleState placedAt confirmedAt cancelledAt cancellationReason orderTotal { amount currency }
  lines { lineId sku quantity unitPrice { amount currency } lineAmount { amount currency } }
  statusHistory { sequence lifecycleState occurredAt cancellationReason }`;

const field = (name: string, children?: RowSelectionField[]): RowSelectionField => ({ key: name, field: name, ...(children ? { children } : {}) });
const money = (name: string) => field(name, [field('amount'), field('currency')]);
const SELECTION: RowSelectionField[] = [
  ...['orderId', 'customerId', 'customerEmail', 'salesChannel', 'shippingCountry', 'shippingCity', 'shippingPostalCode', 'lifecycleState', 'placedAt', 'confirmedAt', 'cancelledAt', 'cancellationReason'].map((name) => field(name)),
  money('orderTotal'),
  field('lines', [field('lineId'), field('sku'), field('quantity'), money('unitPrice'), money('lineAmount')]),
  field('statusHistory', [field('sequence'), field('lifecycleState'), field('occurredAt'), field('cancellationReason')]),
];

/** Text that JSON must escape, and text it must not touch. */
const AWKWARD = 'quote " backslash \\ tab \t newline \n bell \u0007 del \u007f zoë 例え 😀 U+2028 \u2028';

describe.each(bothDatabases)('order change feed rows planned in SQL on %s', (_name, openDb) => {
  let db: Database;
  let projector: Projector;
  const schema = uniqueName('orders_feed_rows');

  beforeAll(async () => {
    db = await openDb();
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    projector = createProjector({ log, db }, ordersContext, { schema, partitions: 1 });
    await projector.start();
    const address = { line1: '1 Main St', city: `City ${AWKWARD}`, postalCode: '10115', country: 'DE' };
    await log.produce(ORDERS_EVENTS_TOPIC, [
      orderEvent('ord-"awkward"\\1', 1, 'OrderPlaced', {
        customerId: `cus ${AWKWARD}`,
        channel: 'marketplace',
        currency: 'EUR',
        customerEmail: `zoë+"x"@例え.jp`,
        shippingAddress: address,
        lines: [
          { lineId: 'line "2"', sku: `SKU ${AWKWARD}`, quantity: 3, unitPrice: '0.10' },
          { lineId: 'line 1', sku: 'SKU-1', quantity: 1, unitPrice: '12345678901.99' },
        ],
      }),
      orderEvent('ord-"awkward"\\1', 2, 'OrderCancelled', { reason: 'customer_request' }),
      orderEvent('ord-plain', 1, 'OrderPlaced', { customerId: 'cus-1', channel: 'web', currency: 'EUR', customerEmail: 'a@example.com', shippingAddress: { ...address, city: 'Berlin' }, lines: [{ lineId: '1', sku: 'SKU-1', quantity: 2, unitPrice: '10.00' }] }),
    ]);
    await waitUntilCaughtUp(db, log, schema, [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC]);
    // What events cannot carry: microseconds (printed truncated to milliseconds, as a JS Date
    // holds them), and an order without lines or history.
    const t = projectionStorage(schema, orderTimelineProjection).tables;
    await db.query(`update ${t.orders!} set placed_at = timestamptz '2026-03-04 05:06:07.891999+00' where order_id = 'ord-plain'`);
    await db.transaction(async (tx) => {
      await tx.query(
        `insert into ${t.orders!} select 'ord-bare', 'cus-2', 'web', 'USD', 'b@example.com', '2 Side St', 'Paris', '75001', 'FR', 'placed', timestamptz '0999-12-31 23:59:59.999+00', null, null, null, 0, 1, now()`,
      );
      await tx.query(`insert into ${t.order_changes!} (order_id, change_xid) values ('ord-bare', pg_current_xact_id())`);
    });
    for (const deadline = Date.now() + 60_000; ; ) {
      const { rows } = await db.query<{ hidden: number }>(`select count(*)::int as hidden from ${t.order_changes!} where change_xid >= pg_snapshot_xmin(pg_current_snapshot())`);
      if (rows[0]!.hidden === 0) break;
      if (Date.now() > deadline) throw new Error('changes stayed behind a transaction in flight for 60 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  afterAll(async () => {
    await projector?.stop();
    await db?.close();
  });

  const planned = async () => {
    const plan = ordersV2Subgraph.changeFeedRows!.plan({ fields: SELECTION, rawFields: ['customerEmail'], rowScope: null });
    if ('unplannable' in plan) throw new Error(plan.unplannable);
    return plan.run(db, schema, { since: null, first: 10 });
  };

  it('given awkward text, nulls, sub-millisecond times and an order without lines, when planned in SQL, then each row is the JSON the GraphQL field answers', async () => {
    const page = await planned();
    const result = await graphql({
      schema: ordersV2Subgraph.schema,
      source: `{ orderChanges(since: null, first: 10) { orders { ${ORDER_FIELDS} } } }`,
      contextValue: ordersV2Subgraph.createContext(db, schema) as OrderTimelineLoaders,
    });
    expect(result.errors).toBeUndefined();
    const orders = (result.data as { orderChanges: { orders: Array<Record<string, unknown>> } }).orderChanges.orders;
    expect(orders.map((o) => o.orderId)).toEqual(['ord-"awkward"\\1', 'ord-plain', 'ord-bare']);
    expect(page.rows.map((row) => JSON.parse(row.json) as unknown)).toEqual(orders);
    expect(page.rows.map((row) => row.raw)).toEqual([['zoë+"x"@例え.jp'], ['a@example.com'], ['b@example.com']]);
  });

  it('then each row is printed byte for byte as json_build_object printed it (exports written before stay comparable)', async () => {
    const { rows } = await planned();
    expect(rows[2]!.json).toBe(
      '{"orderId" : "ord-bare", "customerId" : "cus-2", "customerEmail" : "b@example.com", "salesChannel" : "WEB", "shippingCountry" : "FR", "shippingCity" : "Paris", "shippingPostalCode" : "75001", ' +
        '"lifecycleState" : "PLACED", "placedAt" : "0999-12-31T23:59:59.999Z", "confirmedAt" : null, "cancelledAt" : null, "cancellationReason" : null, "orderTotal" : {"amount" : "0.00", "currency" : "USD"}, ' +
        '"lines" : [], "statusHistory" : []}',
    );
    expect(rows[1]!.json).toContain('"placedAt" : "2026-03-04T05:06:07.891Z"');
    expect(rows[0]!.json).toContain(
      '"lines" : [{"lineId" : "line \\"2\\"", "sku" : "SKU quote \\" backslash \\\\ tab \\t newline \\n bell \\u0007 del \u007f zoë 例え 😀 U+2028 \u2028", "quantity" : 3, "unitPrice" : {"amount" : "0.10", "currency" : "EUR"}, "lineAmount" : {"amount" : "0.30", "currency" : "EUR"}}, ' +
        '{"lineId" : "line 1", "sku" : "SKU-1", "quantity" : 1, "unitPrice" : {"amount" : "12345678901.99", "currency" : "EUR"}, "lineAmount" : {"amount" : "12345678901.99", "currency" : "EUR"}}]',
    );
    // The reference: the same values through json_build_object and json_agg, which the feed used before.
    const t = projectionStorage(schema, orderTimelineProjection).tables;
    const reference = await db.query<{ json: string }>(
      `select json_build_object('orderId', o.order_id, 'customerEmail', o.customer_email, 'shippingCity', o.shipping_city, 'cancelledAt', to_char(o.cancelled_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'lines', (select coalesce(json_agg(json_build_object('lineId', l.line_id, 'sku', l.sku, 'quantity', l.quantity) order by l.line_id), '[]'::json) from ${t.order_lines!} l where l.order_id = o.order_id))::text as json
       from ${t.orders!} o order by o.order_id`,
    );
    const plan = ordersV2Subgraph.changeFeedRows!.plan({ fields: [field('orderId'), field('customerEmail'), field('shippingCity'), field('cancelledAt'), field('lines', [field('lineId'), field('sku'), field('quantity')])], rawFields: [], rowScope: null });
    if ('unplannable' in plan) throw new Error(plan.unplannable);
    const mine = (await plan.run(db, schema, { since: null, first: 10 })).rows.map((row) => row.json).sort();
    expect(mine).toEqual(reference.rows.map((row) => row.json).sort());
  });

  it('given pages of every size against the three orders, when only where a page ends is asked for, then it is where the page read in full ends', async () => {
    const full = ordersV2Subgraph.changeFeedRows!.plan({ fields: [field('orderId')], rawFields: [], rowScope: null });
    const endOnly = ordersV2Subgraph.changeFeedRows!.plan({ fields: [], rawFields: [], rowScope: null, endOnly: true });
    if ('unplannable' in full || 'unplannable' in endOnly) throw new Error('unplannable');
    for (const first of [0, 1, 2, 3, 4]) {
      for (let since: string | null = null, more = true; more; ) {
        const page = await full.run(db, schema, { since, first });
        const end = await endOnly.run(db, schema, { since, first });
        expect(end, `first ${first} after ${since}`).toEqual({ rows: [], endCursor: page.endCursor, hasMore: page.hasMore });
        more = page.hasMore && first > 0;
        since = page.endCursor;
      }
    }
  });
});
