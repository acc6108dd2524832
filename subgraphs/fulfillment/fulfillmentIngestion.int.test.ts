import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector, listQuarantine, readWatermarks } from '../../platform/projection/index.js';
import type { SimulatedRecord } from '../../platform/simulator/index.js';
import { createPrng } from '../../platform/simulator/index.js';
import type { OrderHistory } from '../orders/index.js';
import { renderLegacyCdc } from '../orders/index.js';
import { bothDatabases } from '../../test/support/databases.js';
import { produceAll, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { uniqueName } from '../../test/support/services.js';
import type { ShipmentHistory, ShipmentStep } from './index.js';
import { FULFILLMENT_EVENTS_TOPIC, fulfillmentContextModule, LEGACY_OMS_CDC_TOPIC, poisonShipmentRecord, renderShipmentEvents } from './index.js';
import { SHIP_TO } from './testing/shipmentEvents.js';

const TOPICS = [FULFILLMENT_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC];
const T0 = Date.UTC(2026, 2, 1, 8);
const at = (minutes: number) => T0 + minutes * 60_000;
const iso = (minutes: number) => new Date(at(minutes)).toISOString();

const create: ShipmentStep = { kind: 'create', at: at(10) };
const pick: ShipmentStep = { kind: 'pick', at: at(20) };
const dispatch: Extract<ShipmentStep, { kind: 'dispatch' }> = { kind: 'dispatch', at: at(30), carrier: 'dhl', trackingNumber: 'DHL-1' };
const deliver: ShipmentStep = { kind: 'deliver', at: at(40), signedBy: 'Grace Hopper' };
const cancel: ShipmentStep = { kind: 'cancel', at: at(50), reason: 'out_of_stock' };

const shipment = (shipmentId: string, orderId: string, steps: ShipmentStep[], overrides: Partial<ShipmentHistory> = {}): ShipmentHistory => ({
  shipmentId, orderId, warehouseId: 'wh-lyon', wave: '2026-03-01-W1', lines: [{ lineId: '1', sku: 'SKU-KETTLE-01', quantity: 1 }], shipTo: SHIP_TO, steps, ...overrides,
});

const legacyOrder = (orderId: string, released: boolean): OrderHistory => ({
  orderId, customerId: 'cus-00001', channel: 'web', currency: 'EUR', customerEmail: 'customer1@example.com',
  shippingAddress: { line1: '1 Market Street', city: 'Lyon', postalCode: '69002', country: 'FR' },
  lines: [{ lineId: '1', sku: 'SKU-KETTLE-01', quantity: 1, unitPrice: '49.90' }, { lineId: '2', sku: 'SKU-MUG-02', quantity: 2, unitPrice: '8.00' }],
  placedAt: at(0),
  steps: [{ kind: 'confirm', at: at(2) }, ...(released ? [{ kind: 'release' as const, at: at(5) }] : [])],
});

/** Normal journeys, every impossible case of the README, duplicates, poison, and legacy releases: what one run consumes. */
function producerTraffic(): SimulatedRecord[] {
  const prng = createPrng(2026);
  const histories = [
    // Split shipments of one order from two warehouses: one delivered, one on its way.
    shipment('shp-000001-1', 'ord-000001', [create, pick, dispatch, deliver]),
    shipment('shp-000001-2', 'ord-000001', [create, pick, { ...dispatch, carrier: 'royal_mail', trackingNumber: 'RM-2' }], { warehouseId: 'wh-leeds', lines: [{ lineId: '2', sku: 'SKU-MUG-02', quantity: 2 }] }),
    // Cancelled before dispatch.
    shipment('shp-000002-1', 'ord-000002', [create, pick, cancel]),
    // Of an order no context knows, with a line no order has: normal for fulfillment.
    shipment('shp-000003-1', 'ord-000003', [create], { lines: [{ lineId: '99', sku: 'SKU-GHOST', quantity: 1 }] }),
    // The impossible, each with one event quarantined.
    shipment('shp-bad-1', 'ord-000004', [create, dispatch]),
    shipment('shp-bad-2', 'ord-000004', [create, pick, dispatch, cancel]),
    shipment('shp-bad-3', 'ord-000004', [create, cancel, pick]),
    shipment('shp-bad-4', 'ord-000004', [pick]),
    shipment('shp-bad-5', 'ord-000004', [create, pick, deliver]),
    shipment('shp-bad-6', 'ord-000004', [create, pick, dispatch, deliver, cancel]),
  ];
  const shipments = histories.flatMap((h) => renderShipmentEvents(h, prng));
  const redelivered = shipments[1]!;
  const poison = [0, 1, 2, 3, 4].map(() => poisonShipmentRecord(shipments[0]!, prng));
  const counters = { lsn: 0, txId: 0 };
  const legacy = [...renderLegacyCdc(legacyOrder('ord-000001', true), prng, counters), ...renderLegacyCdc(legacyOrder('ord-000005', false), prng, counters), ...renderLegacyCdc(legacyOrder('ord-000006', true), prng, counters)];
  const truncatedCdc: SimulatedRecord = { ...legacy[0]!, value: '{"before": null, "after": {"ORDER_ID": ' };
  return [...shipments, redelivered, ...poison, ...legacy, truncatedCdc];
}

describe.each(bothDatabases)('fulfillment ingestion on %s', (_name, openDb) => {
  let db: Database;
  let projector: Projector;
  const schema = uniqueName('fulfillment_ingest');
  const records = producerTraffic();

  beforeAll(async () => {
    db = await openDb();
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    projector = createProjector({ log, db }, fulfillmentContextModule.ingestion, { schema, partitions: 1, batchSize: 7, onError: () => undefined });
    await projector.start();
    await produceAll(log, records);
    await waitUntilCaughtUp(db, log, schema, TOPICS);
  });
  afterAll(async () => {
    await projector.stop();
    await db.close();
  });

  const rows = async (sql: string) => (await db.query(sql.replaceAll('$schema', `"${schema}"`))).rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));

  it('keeps every record consumed as raw evidence: nothing lost', async () => {
    expect(await rows('select count(*)::int as n from $schema.raw_events')).toEqual([{ n: records.length }]);
  });

  it('projects split shipments, a delivery, a cancellation before dispatch, and a shipment of an unknown order, with event times', async () => {
    expect(await rows(`select shipment_id, order_id, warehouse_id, shipment_status, carrier, tracking_number, signed_by, created_at, picked_at, dispatched_at, delivered_at, cancelled_at, cancellation_reason, last_sequence from $schema.shipments where shipment_id like 'shp-00000%' order by shipment_id`)).toEqual([
      { shipment_id: 'shp-000001-1', order_id: 'ord-000001', warehouse_id: 'wh-lyon', shipment_status: 'delivered', carrier: 'dhl', tracking_number: 'DHL-1', signed_by: 'Grace Hopper', created_at: iso(10), picked_at: iso(20), dispatched_at: iso(30), delivered_at: iso(40), cancelled_at: null, cancellation_reason: null, last_sequence: 4 },
      { shipment_id: 'shp-000001-2', order_id: 'ord-000001', warehouse_id: 'wh-leeds', shipment_status: 'dispatched', carrier: 'royal_mail', tracking_number: 'RM-2', signed_by: null, created_at: iso(10), picked_at: iso(20), dispatched_at: iso(30), delivered_at: null, cancelled_at: null, cancellation_reason: null, last_sequence: 3 },
      { shipment_id: 'shp-000002-1', order_id: 'ord-000002', warehouse_id: 'wh-lyon', shipment_status: 'cancelled', carrier: null, tracking_number: null, signed_by: null, created_at: iso(10), picked_at: iso(20), dispatched_at: null, delivered_at: null, cancelled_at: iso(50), cancellation_reason: 'out_of_stock', last_sequence: 3 },
      { shipment_id: 'shp-000003-1', order_id: 'ord-000003', warehouse_id: 'wh-lyon', shipment_status: 'created', carrier: null, tracking_number: null, signed_by: null, created_at: iso(10), picked_at: null, dispatched_at: null, delivered_at: null, cancelled_at: null, cancellation_reason: null, last_sequence: 1 },
    ]);
    expect(await rows(`select * from $schema.shipment_lines where shipment_id in ('shp-000001-2', 'shp-000003-1') order by shipment_id`)).toEqual([
      { shipment_id: 'shp-000001-2', line_id: '2', sku: 'SKU-MUG-02', quantity: 2 },
      { shipment_id: 'shp-000003-1', line_id: '99', sku: 'SKU-GHOST', quantity: 1 },
    ]);
    expect(await rows(`select sequence, shipment_status, occurred_at from $schema.shipment_status_history where shipment_id = 'shp-000002-1' order by sequence`)).toEqual([
      { sequence: 1, shipment_status: 'created', occurred_at: iso(10) },
      { sequence: 2, shipment_status: 'picked', occurred_at: iso(20) },
      { sequence: 3, shipment_status: 'cancelled', occurred_at: iso(50) },
    ]);
  });

  it('projects each legacy release once, at its event time, and nothing for an order never released', async () => {
    expect(await rows('select * from $schema.orders_released_to_warehouse order by order_id')).toEqual([
      { order_id: 'ord-000001', released_at: iso(5), source: 'legacy-oms' },
      { order_id: 'ord-000006', released_at: iso(5), source: 'legacy-oms' },
    ]);
  });

  it('quarantines every impossible input with its reason, and keeps what came before it', async () => {
    const impossible = await listQuarantine(db, schema, { reasonCode: 'IMPOSSIBLE_TRANSITION', payload: 'original' });
    expect(impossible.map((q) => `${q.key}: ${q.reason}`).sort()).toEqual([
      `shp-bad-1: ShipmentDispatched #2 for shp-bad-1 before ShipmentPicked: a shipment is picked before it is dispatched (created at ${iso(10)})`,
      `shp-bad-2: ShipmentCancelled #4 for shp-bad-2 after ShipmentDispatched at ${iso(30)}: a shipment can be cancelled only before dispatch`,
      `shp-bad-3: ShipmentPicked #3 for shp-bad-3 after ShipmentCancelled at ${iso(50)}: a cancelled shipment takes no further events`,
      "shp-bad-4: ShipmentPicked #1 for shp-bad-4 before its ShipmentCreated: a shipment's first event is ShipmentCreated",
      `shp-bad-5: ShipmentDelivered #3 for shp-bad-5 before ShipmentDispatched: a shipment is dispatched before it is delivered (status picked, ShipmentPicked at ${iso(20)})`,
      `shp-bad-6: ShipmentCancelled #5 for shp-bad-6 after ShipmentDelivered at ${iso(40)}: a delivered shipment takes no further events`,
    ]);
    expect(await rows(`select shipment_id, shipment_status from $schema.shipments where shipment_id like 'shp-bad-%' order by shipment_id`)).toEqual([
      { shipment_id: 'shp-bad-1', shipment_status: 'created' },
      { shipment_id: 'shp-bad-2', shipment_status: 'dispatched' },
      { shipment_id: 'shp-bad-3', shipment_status: 'cancelled' },
      { shipment_id: 'shp-bad-5', shipment_status: 'picked' },
      { shipment_id: 'shp-bad-6', shipment_status: 'delivered' },
    ]);
    const all = await listQuarantine(db, schema, { payload: 'original' });
    expect(all.filter((q) => q.topic === FULFILLMENT_EVENTS_TOPIC && q.reasonCode !== 'IMPOSSIBLE_TRANSITION')).toHaveLength(5);
    expect(all.filter((q) => q.topic === LEGACY_OMS_CDC_TOPIC).map((q) => q.reasonCode)).toEqual(['MALFORMED_JSON']);
  });

  it('counts the duplicate and the ignored legacy changes, and applies event times, not processing times', async () => {
    const marks = await readWatermarks(db, schema);
    const shipments = marks.find((m) => m.topic === FULFILLMENT_EVENTS_TOPIC)!;
    expect(shipments).toMatchObject({ duplicateCount: 1, quarantinedCount: 11, parkedNow: 0 });
    expect(shipments.maxEventTime!.toISOString()).toBe(iso(50));
    const legacy = marks.find((m) => m.topic === LEGACY_OMS_CDC_TOPIC)!;
    expect(legacy).toMatchObject({ appliedCount: 2, quarantinedCount: 1 });
    expect(legacy.ignoredCount).toBe(records.filter((r) => r.topic === LEGACY_OMS_CDC_TOPIC).length - 3);
  });

  it('shows operators no personal data of a quarantined input', async () => {
    const redacted = await listQuarantine(db, schema, { context: fulfillmentContextModule.ingestion });
    const listing = JSON.stringify(redacted);
    expect(listing).not.toMatch(/Grace|Ada|Lovelace|République|customer1@|Market Street/);
    const dispatchedTooSoon = redacted.find((q) => q.key === 'shp-bad-1')!;
    expect(JSON.parse(dispatchedTooSoon.value!)).toMatchObject({ type: 'ShipmentDispatched', aggregateId: 'shp-bad-1', sequence: 2, data: { carrier: 'dhl', trackingNumber: 'DHL-1' } });
  });
});
