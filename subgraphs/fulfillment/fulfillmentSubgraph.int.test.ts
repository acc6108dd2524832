import { graphql, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector } from '../../platform/projection/index.js';
import { createPrng } from '../../platform/simulator/index.js';
import { fieldLineage, isSubgraphError, SubgraphErrorCode, typeModel } from '../../platform/subgraph/index.js';
import type { OrderHistory } from '../orders/index.js';
import { renderLegacyCdc } from '../orders/index.js';
import { countingDatabase } from '../../test/support/countingDatabase.js';
import { bothDatabases } from '../../test/support/databases.js';
import { produceAll, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { uniqueName } from '../../test/support/services.js';
import type { ShipmentHistory } from './index.js';
import { FULFILLMENT_EVENTS_TOPIC, fulfillmentContextModule, fulfillmentV1Subgraph, LEGACY_OMS_CDC_TOPIC, renderShipmentEvents, SHIPMENT_TRACKING } from './index.js';
import { SHIP_TO } from './testing/shipmentEvents.js';

const ORDERS = 200;
const T0 = Date.UTC(2026, 3, 1, 8);
const at = (i: number, minutes: number) => T0 + i * 1000 + minutes * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const orderId = (i: number) => `ord-${String(i).padStart(6, '0')}`;

/** Order i ships from Lyon (dispatched, or delivered when i is odd); an even order also from Leeds (created only); every third was released through the legacy OMS. */
function traffic() {
  const prng = createPrng(7);
  const shipments: ShipmentHistory[] = [];
  const legacy: OrderHistory[] = [];
  for (let i = 1; i <= ORDERS; i++) {
    const base = { orderId: orderId(i), wave: '2026-04-01-W1', shipTo: SHIP_TO };
    shipments.push({
      ...base, shipmentId: `shp-${String(i).padStart(6, '0')}-1`, warehouseId: 'wh-lyon',
      lines: [{ lineId: '1', sku: 'SKU-KETTLE-01', quantity: 1 }, { lineId: '2', sku: 'SKU-MUG-02', quantity: 2 }],
      steps: [
        { kind: 'create', at: at(i, 10) }, { kind: 'pick', at: at(i, 20) }, { kind: 'dispatch', at: at(i, 30), carrier: 'ups', trackingNumber: `1Z${i}` },
        ...(i % 2 === 1 ? [{ kind: 'deliver' as const, at: at(i, 40), signedBy: null }] : []),
      ],
    });
    if (i % 2 === 0) shipments.push({ ...base, shipmentId: `shp-${String(i).padStart(6, '0')}-2`, warehouseId: 'wh-leeds', lines: [{ lineId: '3', sku: 'SKU-TEA-03', quantity: 5 }], steps: [{ kind: 'create', at: at(i, 15) }] });
    if (i % 3 === 0) {
      legacy.push({
        orderId: orderId(i), customerId: 'cus-00001', channel: 'web', currency: 'EUR', customerEmail: 'customer1@example.com', shippingAddress: { line1: '1 Market Street', city: 'Lyon', postalCode: '69002', country: 'FR' },
        lines: [{ lineId: '1', sku: 'SKU-KETTLE-01', quantity: 1, unitPrice: '49.90' }], placedAt: at(i, 0), steps: [{ kind: 'confirm', at: at(i, 2) }, { kind: 'release', at: at(i, 5) }],
      });
    }
  }
  const counters = { lsn: 0, txId: 0 };
  return [...shipments.flatMap((h) => renderShipmentEvents(h, prng)), ...legacy.flatMap((h) => renderLegacyCdc(h, prng, counters))];
}

const SHIPMENT_FIELDS = /* GraphQL */ `
  shipmentId orderId warehouseId wave shipmentStatus carrier trackingNumber signedBy
  shipTo { name line1 city postalCode country }
  lines { lineId sku quantity }
  createdAt pickedAt dispatchedAt deliveredAt cancelledAt cancellationReason
  statusHistory { sequence shipmentStatus occurredAt }
`;
const BY_SHIPMENT_IDS = /* GraphQL */ `query ($ids: [ID!]!) { shipmentsByIds(shipmentIds: $ids) { ${SHIPMENT_FIELDS} } }`;
const BY_ORDER_IDS = /* GraphQL */ `query ($ids: [ID!]!) { fulfillmentByOrderIds(orderIds: $ids) { orderId releasedToWarehouseAt shipments { ${SHIPMENT_FIELDS} } } }`;

describe.each(bothDatabases)('fulfillment/v1 subgraph on %s', (_name, openDb) => {
  let db: Database;
  let projector: Projector;
  const schema = uniqueName('fulfillment_subgraph');

  beforeAll(async () => {
    db = await openDb();
    const log = createEmbeddedEventLog();
    await produceAll(log, traffic());
    projector = createProjector({ log, db }, fulfillmentContextModule.ingestion, { schema, onError: () => undefined });
    await projector.start();
    await waitUntilCaughtUp(db, log, schema, [FULFILLMENT_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC]);
  });
  afterAll(async () => {
    await projector.stop();
    await db.close();
  });

  const run = async (source: string, variableValues: Record<string, unknown> = {}, on: Database = db) => {
    const result = await graphql({ schema: fulfillmentV1Subgraph.schema, source, variableValues, contextValue: fulfillmentV1Subgraph.createContext(on, schema) });
    expect(result.errors).toBeUndefined();
    return result.data as Record<string, unknown>;
  };

  it('looks a shipment up by id, with its lines, its address and every transition at its event time', async () => {
    const data = await run(/* GraphQL */ `{ shipment(shipmentId: "shp-000001-1") { ${SHIPMENT_FIELDS} } unknown: shipment(shipmentId: "shp-nope") { shipmentId } }`);
    expect(data.unknown).toBeNull();
    expect(data.shipment).toEqual({
      shipmentId: 'shp-000001-1', orderId: 'ord-000001', warehouseId: 'wh-lyon', wave: '2026-04-01-W1', shipmentStatus: 'DELIVERED', carrier: 'UPS', trackingNumber: '1Z1', signedBy: null,
      shipTo: SHIP_TO,
      lines: [{ lineId: '1', sku: 'SKU-KETTLE-01', quantity: 1 }, { lineId: '2', sku: 'SKU-MUG-02', quantity: 2 }],
      createdAt: iso(at(1, 10)), pickedAt: iso(at(1, 20)), dispatchedAt: iso(at(1, 30)), deliveredAt: iso(at(1, 40)), cancelledAt: null, cancellationReason: null,
      statusHistory: [
        { sequence: 1, shipmentStatus: 'CREATED', occurredAt: iso(at(1, 10)) },
        { sequence: 2, shipmentStatus: 'PICKED', occurredAt: iso(at(1, 20)) },
        { sequence: 3, shipmentStatus: 'DISPATCHED', occurredAt: iso(at(1, 30)) },
        { sequence: 4, shipmentStatus: 'DELIVERED', occurredAt: iso(at(1, 40)) },
      ],
    });
  });

  it('answers a batch of shipment ids in the order given, null where unknown', async () => {
    const data = await run(/* GraphQL */ `{ shipmentsByIds(shipmentIds: ["shp-000002-2", "shp-nope", "shp-000002-1", "shp-000002-2"]) { shipmentId warehouseId shipmentStatus } }`);
    expect(data.shipmentsByIds).toEqual([
      { shipmentId: 'shp-000002-2', warehouseId: 'wh-leeds', shipmentStatus: 'CREATED' },
      null,
      { shipmentId: 'shp-000002-1', warehouseId: 'wh-lyon', shipmentStatus: 'DISPATCHED' },
      { shipmentId: 'shp-000002-2', warehouseId: 'wh-leeds', shipmentStatus: 'CREATED' },
    ]);
  });

  it('answers one entry per order id given: its release (or null) and its shipments (split, or none)', async () => {
    const data = await run(/* GraphQL */ `{ fulfillmentByOrderIds(orderIds: ["ord-000006", "ord-000001", "ord-unknown"]) { orderId releasedToWarehouseAt shipments { shipmentId warehouseId dispatchedAt } } }`);
    expect(data.fulfillmentByOrderIds).toEqual([
      { orderId: 'ord-000006', releasedToWarehouseAt: iso(at(6, 5)), shipments: [{ shipmentId: 'shp-000006-1', warehouseId: 'wh-lyon', dispatchedAt: iso(at(6, 30)) }, { shipmentId: 'shp-000006-2', warehouseId: 'wh-leeds', dispatchedAt: null }] },
      { orderId: 'ord-000001', releasedToWarehouseAt: null, shipments: [{ shipmentId: 'shp-000001-1', warehouseId: 'wh-lyon', dispatchedAt: iso(at(1, 30)) }] },
      { orderId: 'ord-unknown', releasedToWarehouseAt: null, shipments: [] },
    ]);
  });

  it('runs as many statements for 200 ids as for 10, nested lines and history included', async () => {
    const statementsFor = async (query: string, ids: string[]) => {
      const counted = countingDatabase(db);
      const data = await run(query, { ids }, counted);
      return { statements: counted.statements, data };
    };
    const shipmentIds = (n: number) => Array.from({ length: n }, (_, i) => `shp-${String(i + 1).padStart(6, '0')}-1`);
    const orderIds = (n: number) => Array.from({ length: n }, (_, i) => orderId(i + 1));

    const fewShipments = await statementsFor(BY_SHIPMENT_IDS, shipmentIds(10));
    const manyShipments = await statementsFor(BY_SHIPMENT_IDS, shipmentIds(200));
    expect((manyShipments.data.shipmentsByIds as unknown[]).filter(Boolean)).toHaveLength(200);
    expect(fewShipments.statements).toBe(3);
    expect(manyShipments.statements).toBe(fewShipments.statements);

    const fewOrders = await statementsFor(BY_ORDER_IDS, orderIds(10));
    const manyOrders = await statementsFor(BY_ORDER_IDS, orderIds(200));
    const fulfillment = manyOrders.data.fulfillmentByOrderIds as Array<{ releasedToWarehouseAt: string | null; shipments: Array<{ lines: unknown[]; statusHistory: unknown[] }> }>;
    expect(fulfillment.flatMap((f) => f.shipments)).toHaveLength(300);
    expect(fulfillment.filter((f) => f.releasedToWarehouseAt !== null)).toHaveLength(66);
    expect(fulfillment.every((f) => f.shipments.every((s) => s.lines.length > 0 && s.statusHistory.length > 0))).toBe(true);
    expect(fewOrders.statements).toBe(4);
    expect(manyOrders.statements).toBe(fewOrders.statements);
  });

  it('refuses a batch above its bound, and any row scope (it declares none)', async () => {
    const result = await graphql({ schema: fulfillmentV1Subgraph.schema, source: BY_SHIPMENT_IDS, variableValues: { ids: Array.from({ length: 1001 }, (_, i) => `shp-${i}`) }, contextValue: fulfillmentV1Subgraph.createContext(db, schema) });
    expect(result.errors?.[0]).toMatchObject({ message: 'shipmentsByIds(shipmentIds) takes at most 1000 ids per request, received 1001; split the batch.', extensions: { code: 'BAD_USER_INPUT' } });
    let refused: unknown;
    try {
      fulfillmentV1Subgraph.createContext(db, schema, { rowScope: { salesChannel: ['WEB'] } });
    } catch (error) {
      refused = error;
    }
    expect(isSubgraphError(refused) && refused.code).toBe(SubgraphErrorCode.RowScopeInvalid);
  });

  it('declares @model on every type and @lineage on every field, to columns that exist and events its topics yield', async () => {
    const { rows } = await db.query<{ table_name: string; column_name: string }>(`select table_name, column_name from information_schema.columns where table_schema = $1`, [schema]);
    const columns = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    const events = new Set(fulfillmentV1Subgraph.topics.flatMap((t) => t.events));
    const problems: string[] = [];
    for (const type of Object.values(fulfillmentV1Subgraph.schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || type.name === 'Query') continue;
      if (!typeModel(fulfillmentV1Subgraph, type)) problems.push(`${type.name} has no @model`);
      for (const field of Object.values(type.getFields())) {
        const lineage = fieldLineage(fulfillmentV1Subgraph, field);
        if (!lineage) problems.push(`${type.name}.${field.name} has no @lineage`);
        else {
          if (lineage.projection !== SHIPMENT_TRACKING.projection) problems.push(`${type.name}.${field.name} names projection ${lineage.projection}`);
          problems.push(...lineage.columns.filter((c) => !columns.has(c)).map((c) => `${type.name}.${field.name}: no column ${c}`));
          problems.push(...lineage.events.filter((e) => !events.has(e.split('.')[0]!)).map((e) => `${type.name}.${field.name}: no topic yields ${e}`));
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
