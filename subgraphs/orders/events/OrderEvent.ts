import type { EventEnvelope } from '../../../platform/events/index.js';

/** Topic of the orders context's own domain events (producer format, ../shared/events/README.md). */
export const ORDERS_EVENTS_TOPIC = 'orders.events.v1';

export type SalesChannel = 'web' | 'store' | 'marketplace';
export type CancellationReason = 'customer_request' | 'fraud' | 'out_of_stock' | 'payment_failed';

export interface OrderLinePlaced {
  lineId: string;
  sku: string;
  quantity: number;
  unitPrice: string;
}

export interface ShippingAddress {
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

export type OrderPlaced = EventEnvelope<
  'OrderPlaced',
  { customerId: string; channel: SalesChannel; currency: string; lines: OrderLinePlaced[]; customerEmail: string; shippingAddress: ShippingAddress }
>;
/** `quantity` 0 removes the line. */
export type OrderLineAmended = EventEnvelope<'OrderLineAmended', { lineId: string; quantity: number; unitPrice: string }>;
/** The commercial commitment is binding from `occurredAt`. */
export type OrderConfirmed = EventEnvelope<'OrderConfirmed', Record<string, never>>;
export type OrderCancelled = EventEnvelope<'OrderCancelled', { reason: CancellationReason }>;

export type OrderEvent = OrderPlaced | OrderLineAmended | OrderConfirmed | OrderCancelled;
export type OrderEventType = OrderEvent['type'];
