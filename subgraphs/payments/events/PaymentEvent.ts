import type { EventEnvelope } from '../../../platform/events/index.js';

/** Topic of the payments context's domain events (producer format, ../shared/events/README.md). */
export const PAYMENTS_EVENTS_TOPIC = 'payments.events.v1';

/** Every event type `payments.events.v1` carries: the one list the decoder, lineage and tests read. */
export const PAYMENT_EVENT_TYPES = ['PaymentAuthorized', 'FraudCheckCompleted', 'PaymentCaptured', 'PaymentRefunded', 'PaymentVoided', 'PaymentFailed'] as const;

export const PAYMENT_METHODS = ['card', 'wallet', 'bank_transfer', 'gift_card'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const FRAUD_OUTCOMES = ['passed', 'rejected'] as const;
export type FraudOutcome = (typeof FRAUD_OUTCOMES)[number];

export const REFUND_REASONS = ['returned', 'order_cancelled', 'goodwill', 'duplicate_charge'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

export const PAYMENT_FAILURE_CODES = ['declined', 'authorization_expired', 'fraud_rejected', 'processor_error'] as const;
export type PaymentFailureCode = (typeof PAYMENT_FAILURE_CODES)[number];

/** The card used, when `method` is `card`. `holderName` is personal data. */
export interface PaymentCard {
  brand: string;
  last4: string;
  holderName: string;
}

/** Funds are reserved, not captured. Fixes the payment's order and currency. */
export type PaymentAuthorized = EventEnvelope<
  'PaymentAuthorized',
  { orderId: string; amount: string; currency: string; method: PaymentMethod; pspReference: string; card: PaymentCard | null; authorizationExpiresAt: string }
>;
export type FraudCheckCompleted = EventEnvelope<'FraudCheckCompleted', { outcome: FraudOutcome; score: number }>;
/** One (possibly partial) capture: split shipments capture part of the authorized amount each. */
export type PaymentCaptured = EventEnvelope<'PaymentCaptured', { captureId: string; amount: string }>;
export type PaymentRefunded = EventEnvelope<'PaymentRefunded', { refundId: string; amount: string; reason: RefundReason }>;
/** The authorization is released; only before any capture. */
export type PaymentVoided = EventEnvelope<'PaymentVoided', Record<string, never>>;
/**
 * Terminal. As a payment's first event (declined at once) it also names the order, the amount
 * attempted and its currency: the decoder requires them at sequence 1, the projection whenever
 * the payment has no state yet.
 */
export type PaymentFailed = EventEnvelope<'PaymentFailed', { failureCode: PaymentFailureCode; orderId?: string; amount?: string; currency?: string }>;

export type PaymentEvent = PaymentAuthorized | FraudCheckCompleted | PaymentCaptured | PaymentRefunded | PaymentVoided | PaymentFailed;
export type PaymentEventType = PaymentEvent['type'];

/**
 * The producing system (`source`) of a payment's events, by method: the card, wallet and bank
 * transfer payments come through the payment provider's bridge, gift cards from their own service.
 */
export const PAYMENT_SOURCE_SYSTEMS = { card: 'psp-adyen-bridge', wallet: 'psp-adyen-bridge', bank_transfer: 'psp-adyen-bridge', gift_card: 'gift-card-service' } as const satisfies Record<PaymentMethod, string>;
