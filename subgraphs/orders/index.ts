export { ordersContext } from './ordersContext.js';
export { ORDERS_EVENTS_TOPIC } from './events/OrderEvent.js';
export type { CancellationReason, OrderCancelled, OrderConfirmed, OrderEvent, OrderLineAmended, OrderPlaced, SalesChannel } from './events/OrderEvent.js';
export { decodeOrderRecord } from './events/decodeOrderEvent.js';
export { LEGACY_OMS_CDC_TOPIC, legacyOmsCdcTranslator } from './translators/legacyOmsCdcTranslator.js';
export { evolveOrderTimeline, orderTimelineProjection } from './projections/orderTimelineProjection.js';
export type { OrderLifecycleState, OrderTimelineState } from './projections/orderTimelineProjection.js';
