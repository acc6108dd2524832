import type { FulfillmentEvent, ShipmentEvent } from '../../fulfillment/index.js';
import type { OrderEvent } from '../../orders/index.js';
import type { PaymentEvent } from '../../payments/index.js';

/**
 * What reconciliation consumes: the domain events of the three order-to-cash contexts, decoded
 * and translated by the owning contexts' own public decoders (legacy CDC orders included), so it
 * sees each fact with its owner's meaning. Personal data is blanked before anything is stored
 * (see withoutPersonalData): reconciliation needs amounts, quantities and times, never people.
 */
export type ReconciliationEvent = OrderEvent | PaymentEvent | ShipmentEvent;

/** The context that owns an event's truth, from its type. */
export type SourceContext = 'orders' | 'payments' | 'fulfillment';

const ORDER_TYPES = new Set<string>(['OrderPlaced', 'OrderLineAmended', 'OrderConfirmed', 'OrderCancelled']);
const PAYMENT_TYPES = new Set<string>(['PaymentAuthorized', 'FraudCheckCompleted', 'PaymentCaptured', 'PaymentRefunded', 'PaymentVoided', 'PaymentFailed']);

export function sourceOf(event: ReconciliationEvent): SourceContext {
  if (ORDER_TYPES.has(event.type)) return 'orders';
  if (PAYMENT_TYPES.has(event.type)) return 'payments';
  return 'fulfillment';
}

export const isOrderEvent = (event: ReconciliationEvent): event is OrderEvent => sourceOf(event) === 'orders';
export const isPaymentEvent = (event: ReconciliationEvent): event is PaymentEvent => sourceOf(event) === 'payments';
export const isShipmentEvent = (event: ReconciliationEvent | FulfillmentEvent): event is ShipmentEvent => event.type.startsWith('Shipment');
