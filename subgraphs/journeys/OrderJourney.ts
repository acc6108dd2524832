import type { ShipmentHistory } from '../fulfillment/index.js';
import type { OrderHistory } from '../orders/index.js';
import type { PaymentHistory } from '../payments/index.js';

/**
 * The races a journey can be written to show (../shared/events/README.md, "Across topics").
 * Business races change what happened; delivery races change only the order records arrive in.
 */
export type JourneyRace =
  /** Delivery: the order's records arrive after all of its payments' and shipments'. */
  | 'order-consumed-late'
  /** Delivery: a refund's record arrives before the capture it refunds (same payment: the engine parks it). */
  | 'refund-before-capture'
  /** Business: a warehouse dispatches a shipment after the order was cancelled. */
  | 'dispatch-after-cancel'
  /** Business: the authorization expires before a delayed shipment; the shop re-authorizes. */
  | 'authorization-expired'
  /** Business: shipments are dispatched and nothing is ever captured. */
  | 'never-captured'
  /** Business and delivery: a payment for an order that never appears. */
  | 'order-never-appears';

/** One order's journey across the orders, payments and fulfillment topics. */
export interface OrderJourney {
  orderId: string;
  /** The order's business history; published unless the journey's race is `order-never-appears`. */
  order: OrderHistory;
  orderPublished: boolean;
  /** True when the legacy OMS published the order (CDC, with its STATUS_CD 4 releases). */
  legacy: boolean;
  /** Payment attempts, first first. */
  payments: PaymentHistory[];
  shipments: ShipmentHistory[];
  races: JourneyRace[];
}
