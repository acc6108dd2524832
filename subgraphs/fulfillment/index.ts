export { fulfillmentContextModule } from './fulfillmentContextModule.js';
export { fulfillmentContext } from './fulfillmentContext.js';
export { CARRIERS, FULFILLMENT_EVENTS_TOPIC, SHIPMENT_CANCELLATION_REASONS, WAREHOUSE_SOURCE_SYSTEMS } from './events/FulfillmentEvent.js';
export type {
  Carrier,
  FulfillmentEvent,
  FulfillmentEventType,
  OrderReleasedToWarehouse,
  ShipmentCancellationReason,
  ShipmentCancelled,
  ShipmentCreated,
  ShipmentDelivered,
  ShipmentDispatched,
  ShipmentEvent,
  ShipmentEventType,
  ShipmentLine,
  ShipmentPicked,
  ShipTo,
  WarehouseId,
} from './events/FulfillmentEvent.js';
export { decodeShipmentRecord, shipmentEventsDecoder } from './events/decodeShipmentRecord.js';
export { LEGACY_OMS_CDC_TOPIC, LEGACY_OMS_SOURCE, LEGACY_STATUS_RELEASED_TO_WAREHOUSE, legacyOmsReleaseTranslator, releaseEventId } from './translators/legacyOmsReleaseTranslator.js';
export type { LegacyOrderRelease } from './translators/legacyOmsReleaseTranslator.js';
export { evolveShipmentTracking, SHIPMENT_TRACKING, shipmentTrackingProjection } from './projections/shipmentTrackingProjection.js';
export type { ShipmentStatus, ShipmentTrackingState } from './projections/shipmentTrackingProjection.js';
export { createShipmentTrackingLoaders } from './projections/createShipmentTrackingLoaders.js';
export type { OrderFulfillmentRecord, OrderReleaseRecord, ShipmentLineRecord, ShipmentRecord, ShipmentStatusChangeRecord, ShipmentTrackingLoaders } from './projections/createShipmentTrackingLoaders.js';
export { fulfillmentV1Subgraph } from './createFulfillmentSubgraph.js';
export { fulfillmentTopicLineage } from './fulfillmentTopicLineage.js';
export { renderShipmentEvents, warehouseSourceSystem } from './simulator/renderShipmentEvents.js';
export { poisonShipmentRecord } from './simulator/poisonShipmentRecord.js';
export type { ShipmentHistory, ShipmentStep } from './simulator/ShipmentHistory.js';
