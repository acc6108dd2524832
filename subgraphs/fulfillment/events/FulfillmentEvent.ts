import type { EventEnvelope } from '../../../platform/events/index.js';

/** Topic of the warehouses' shipment events (producer format, ../shared/events/README.md). */
export const FULFILLMENT_EVENTS_TOPIC = 'fulfillment.events.v1';

/**
 * The warehouse management systems publishing on `fulfillment.events.v1`, by warehouse: the
 * envelope's `source`. The one list the topic lineage and the simulated producers read.
 */
export const WAREHOUSE_SOURCE_SYSTEMS = { 'wh-lyon': 'wms-lyon', 'wh-leeds': 'wms-leeds' } as const;
export type WarehouseId = keyof typeof WAREHOUSE_SOURCE_SYSTEMS;

export const CARRIERS = ['dhl', 'ups', 'colissimo', 'royal_mail'] as const;
export type Carrier = (typeof CARRIERS)[number];
export const SHIPMENT_CANCELLATION_REASONS = ['order_cancelled', 'out_of_stock', 'address_invalid'] as const;
export type ShipmentCancellationReason = (typeof SHIPMENT_CANCELLATION_REASONS)[number];

/** Some of an order's lines: a shipment covers part of an order (split shipments). */
export interface ShipmentLine {
  /** The order's line id. Fulfillment cannot know the order's lines: an unknown one is shipped against an ordered 0. */
  lineId: string;
  sku: string;
  quantity: number;
}

/** Where the parcel goes. Personal data: never in a reason, a log or the quarantine listing. */
export interface ShipTo {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

/** The warehouse accepted a fulfillment task for some of an order's lines; no parcel has moved yet. */
export type ShipmentCreated = EventEnvelope<'ShipmentCreated', { orderId: string; warehouseId: string; wave: string; lines: ShipmentLine[]; shipTo: ShipTo }>;
export type ShipmentPicked = EventEnvelope<'ShipmentPicked', Record<string, never>>;
export type ShipmentDispatched = EventEnvelope<'ShipmentDispatched', { carrier: Carrier; trackingNumber: string }>;
/** `signedBy` is personal data. */
export type ShipmentDelivered = EventEnvelope<'ShipmentDelivered', { signedBy: string | null }>;
/** Only before dispatch. */
export type ShipmentCancelled = EventEnvelope<'ShipmentCancelled', { reason: ShipmentCancellationReason }>;

/** What the warehouses publish, one aggregate per shipment (id like `shp-000123-1`). */
export type ShipmentEvent = ShipmentCreated | ShipmentPicked | ShipmentDispatched | ShipmentDelivered | ShipmentCancelled;
export type ShipmentEventType = ShipmentEvent['type'];

/**
 * The fulfillment context's own fact: the order was released to the warehouse and awaits a
 * shipment wave. One aggregate per order (`aggregateId` = the order id), one event (sequence 1).
 * No producer publishes it: the legacy OMS's `STATUS_CD` 4 is translated into it.
 */
export type OrderReleasedToWarehouse = EventEnvelope<'OrderReleasedToWarehouse', { orderId: string }>;

/** Every event the fulfillment context projects. */
export type FulfillmentEvent = ShipmentEvent | OrderReleasedToWarehouse;
export type FulfillmentEventType = FulfillmentEvent['type'];
