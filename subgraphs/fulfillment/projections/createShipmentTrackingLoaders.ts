import DataLoader from 'dataloader';
import type { Queryable } from '../../../platform/database/index.js';
import { quoteIdent } from '../../../platform/database/index.js';
import type { Carrier, ShipmentCancellationReason } from '../events/FulfillmentEvent.js';
import type { ShipmentStatus } from './shipmentTrackingProjection.js';
import { SHIPMENT_TRACKING } from './shipmentTrackingProjection.js';

/** A shipment as the subgraph reads it from the projection. Times are event times. */
export interface ShipmentRecord {
  shipmentId: string;
  orderId: string;
  warehouseId: string;
  wave: string;
  shipmentStatus: ShipmentStatus;
  carrier: Carrier | null;
  trackingNumber: string | null;
  shipToName: string;
  shipToLine1: string;
  shipToCity: string;
  shipToPostalCode: string;
  shipToCountry: string;
  signedBy: string | null;
  createdAt: Date;
  pickedAt: Date | null;
  dispatchedAt: Date | null;
  deliveredAt: Date | null;
  cancelledAt: Date | null;
  cancellationReason: ShipmentCancellationReason | null;
}

export interface ShipmentLineRecord {
  shipmentId: string;
  lineId: string;
  sku: string;
  quantity: number;
}

export interface ShipmentStatusChangeRecord {
  shipmentId: string;
  sequence: number;
  shipmentStatus: ShipmentStatus;
  occurredAt: Date;
}

export interface OrderReleaseRecord {
  orderId: string;
  releasedAt: Date;
  source: string;
}

/** What fulfillment knows of one order: resolved field by field from the loaders, keyed by the order id. */
export interface OrderFulfillmentRecord {
  orderId: string;
}

/**
 * The queries the shipment tracking projection serves. Each loader batches its keys into one
 * statement per request tick, whatever their number: create them per request, never share.
 */
export interface ShipmentTrackingLoaders {
  shipmentById: DataLoader<string, ShipmentRecord | null>;
  /** An order's shipments, oldest first (by event time of creation); empty when none. */
  shipmentsByOrderId: DataLoader<string, ShipmentRecord[]>;
  linesByShipmentId: DataLoader<string, ShipmentLineRecord[]>;
  /** Oldest first, by sequence. */
  statusHistoryByShipmentId: DataLoader<string, ShipmentStatusChangeRecord[]>;
  /** Null when the order was not released to the warehouse (or no source reported it). */
  releaseByOrderId: DataLoader<string, OrderReleaseRecord | null>;
  /**
   * Ids of the orders with a shipment dispatched (event time) in [from, until), each once, in id
   * order: one statement over the `shipments_dispatched_idx` index, whatever the window holds.
   */
  orderIdsDispatchedBetween(from: Date, until: Date): Promise<string[]>;
}

// Aliased to the record's field names: pg's row object is the record itself.
const SHIPMENT_COLUMNS = `shipment_id as "shipmentId", order_id as "orderId", warehouse_id as "warehouseId", wave,
  shipment_status as "shipmentStatus", carrier, tracking_number as "trackingNumber",
  ship_to_name as "shipToName", ship_to_line1 as "shipToLine1", ship_to_city as "shipToCity",
  ship_to_postal_code as "shipToPostalCode", ship_to_country as "shipToCountry", signed_by as "signedBy",
  created_at as "createdAt", picked_at as "pickedAt", dispatched_at as "dispatchedAt", delivered_at as "deliveredAt",
  cancelled_at as "cancelledAt", cancellation_reason as "cancellationReason"`;

function groupBy<T, K extends keyof T>(keys: readonly string[], rows: T[], by: K): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(String(row[by]))?.push(row);
  return keys.map((k) => groups.get(k) ?? []);
}

export function createShipmentTrackingLoaders(db: Queryable, schema: string): ShipmentTrackingLoaders {
  const t = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const { shipments, shipmentLines, shipmentStatusHistory, ordersReleasedToWarehouse } = SHIPMENT_TRACKING.tables;

  const shipmentById = new DataLoader<string, ShipmentRecord | null>(async (ids) => {
    const { rows } = await db.query<ShipmentRecord & Record<string, unknown>>(`select ${SHIPMENT_COLUMNS} from ${t(shipments)} where shipment_id = any($1::text[])`, [ids]);
    const byId = new Map<string, ShipmentRecord>(rows.map((r) => [r.shipmentId, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  return {
    shipmentById,
    shipmentsByOrderId: new DataLoader(async (orderIds) => {
      const { rows } = await db.query<ShipmentRecord & Record<string, unknown>>(
        `select ${SHIPMENT_COLUMNS} from ${t(shipments)} where order_id = any($1::text[]) order by order_id, created_at, shipment_id`,
        [orderIds],
      );
      for (const shipment of rows) shipmentById.prime(shipment.shipmentId, shipment);
      return groupBy(orderIds, rows, 'orderId');
    }),
    linesByShipmentId: new DataLoader(async (ids) => {
      const { rows } = await db.query<ShipmentLineRecord & Record<string, unknown>>(
        `select shipment_id as "shipmentId", line_id as "lineId", sku, quantity from ${t(shipmentLines)} where shipment_id = any($1::text[]) order by shipment_id, line_id`,
        [ids],
      );
      return groupBy(ids, rows, 'shipmentId');
    }),
    statusHistoryByShipmentId: new DataLoader(async (ids) => {
      const { rows } = await db.query<ShipmentStatusChangeRecord & Record<string, unknown>>(
        `select shipment_id as "shipmentId", sequence, shipment_status as "shipmentStatus", occurred_at as "occurredAt" from ${t(shipmentStatusHistory)} where shipment_id = any($1::text[]) order by shipment_id, sequence`,
        [ids],
      );
      return groupBy(ids, rows, 'shipmentId');
    }),
    releaseByOrderId: new DataLoader(async (orderIds) => {
      const { rows } = await db.query<OrderReleaseRecord & Record<string, unknown>>(
        `select order_id as "orderId", released_at as "releasedAt", source from ${t(ordersReleasedToWarehouse)} where order_id = any($1::text[])`,
        [orderIds],
      );
      const byId = new Map<string, OrderReleaseRecord>(rows.map((r) => [r.orderId, r]));
      return orderIds.map((id) => byId.get(id) ?? null);
    }),
    async orderIdsDispatchedBetween(from, until) {
      const { rows } = await db.query<{ orderId: string }>(
        `select distinct order_id as "orderId" from ${t(shipments)} where dispatched_at >= $1 and dispatched_at < $2 order by order_id`,
        [from.toISOString(), until.toISOString()],
      );
      return rows.map((r) => r.orderId);
    },
  };
}
