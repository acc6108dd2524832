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
