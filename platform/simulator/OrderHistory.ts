/** A business history of one order, independent of how it is published (domain events or legacy CDC). */
export interface OrderHistory {
  orderId: string;
  customerId: string;
  channel: 'web' | 'store' | 'marketplace';
  currency: string;
  customerEmail: string;
  shippingAddress: { line1: string; city: string; postalCode: string; country: string };
  lines: Array<{ lineId: string; sku: string; quantity: number; unitPrice: string }>;
  /** Epoch ms. */
  placedAt: number;
  steps: OrderStep[];
}

/** `hold` and `release` exist only in the legacy system (they are not orders facts). */
export type OrderStep =
  | { kind: 'amend'; at: number; lineId: string; quantity: number; unitPrice: string }
  | { kind: 'hold'; at: number }
  | { kind: 'confirm'; at: number }
  | { kind: 'release'; at: number }
  | { kind: 'cancel'; at: number; reason: 'customer_request' | 'fraud' | 'out_of_stock' | 'payment_failed' };

/** A record as a producer would put it on the log. */
export interface SimulatedRecord {
  topic: string;
  key: string;
  value: string | null;
  /**
   * Delivery time, epoch ms: the event time of what the record carries, except for injected
   * faults (a late or reordered record is delivered at its new position's time). Non-decreasing
   * in delivery order, so a live feed can release records by it.
   */
  at: number;
}

export const SIMULATED_TOPICS = { ordersEvents: 'orders.events.v1', legacyOmsCdc: 'legacy.oms.cdc' } as const;
