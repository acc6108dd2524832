import type { Carrier, ShipmentCancellationReason, ShipmentLine, ShipTo } from '../events/FulfillmentEvent.js';

/** A business history of one shipment, independent of how it is published. Times are epoch ms (event time). */
export interface ShipmentHistory {
  shipmentId: string;
  orderId: string;
  /** e.g. `wh-lyon`; its source system is the warehouse's (WAREHOUSE_SOURCE_SYSTEMS), else `warehouse-management`. */
  warehouseId: string;
  wave: string;
  lines: ShipmentLine[];
  /** Personal data. */
  shipTo: ShipTo;
  /** Published in this order, as given: a history may break the lifecycle on purpose (tests of the impossible). */
  steps: ShipmentStep[];
}

export type ShipmentStep =
  | { kind: 'create'; at: number }
  | { kind: 'pick'; at: number }
  | { kind: 'dispatch'; at: number; carrier: Carrier; trackingNumber: string }
  /** `signedBy` is personal data; null when nobody signed. */
  | { kind: 'deliver'; at: number; signedBy: string | null }
  | { kind: 'cancel'; at: number; reason: ShipmentCancellationReason };
