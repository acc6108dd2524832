import type { FraudOutcome, PaymentCard, PaymentFailureCode, PaymentMethod, RefundReason } from '../events/PaymentEvent.js';

/**
 * A business history of one payment attempt, independent of how it is published. Times are epoch
 * ms (event times). Steps are rendered in the order given, one event each, sequence from 1.
 */
export interface PaymentHistory {
  paymentId: string;
  orderId: string;
  /** The order's currency: a payment is always in it. */
  currency: string;
  method: PaymentMethod;
  /** When `method` is `card`; null otherwise. */
  card: PaymentCard | null;
  pspReference: string;
  authorizationExpiresAt: number;
  steps: PaymentStep[];
}

/**
 * `decline` is a PaymentFailed that is the attempt's first event (declined at once): it names the
 * order, the amount attempted and the currency. `fail` is a later PaymentFailed.
 */
export type PaymentStep =
  | { kind: 'authorize'; at: number; amount: string }
  | { kind: 'decline'; at: number; amount: string; failureCode: PaymentFailureCode }
  | { kind: 'fraudCheck'; at: number; outcome: FraudOutcome; score: number }
  | { kind: 'capture'; at: number; captureId: string; amount: string }
  | { kind: 'refund'; at: number; refundId: string; amount: string; reason: RefundReason }
  | { kind: 'void'; at: number }
  | { kind: 'fail'; at: number; failureCode: PaymentFailureCode };
