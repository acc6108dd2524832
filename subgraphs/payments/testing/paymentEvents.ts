import type { PaymentEventType } from '../events/PaymentEvent.js';

// Hand-written payment events for Given/When/Then specs, in the producer's JSON format. Test
// support of this context only (no production code imports it).

/** A card holder's name planted in the fixtures: no reason or redacted listing may show it. */
export const HOLDER_NAME = 'Jane Q. Holder';
export const PSP_REFERENCE = 'PSP-8812-SECRET-REF';

/** Event time of sequence `n` unless overridden: 2026-01-01T12:00:0n. */
export const eventTime = (sequence: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, sequence)).toISOString();

let counter = 0;
export function paymentEvent(aggregateId: string, sequence: number, type: PaymentEventType | 'PaymentTeleported', data: object, overrides: Partial<Record<string, unknown>> = {}): { key: string; value: string } {
  const at = eventTime(sequence);
  return {
    key: aggregateId,
    value: JSON.stringify({ eventId: `evt-${aggregateId}-${sequence}-${++counter}`, type, schemaVersion: 1, aggregateId, sequence, occurredAt: at, producedAt: at, correlationId: 'ord-1', causationId: null, source: 'psp-adyen-bridge', data, ...overrides }),
  };
}

export const authorizedData = (data: Partial<Record<string, unknown>> = {}) => ({
  orderId: 'ord-1',
  amount: '100.00',
  currency: 'EUR',
  method: 'card',
  pspReference: PSP_REFERENCE,
  card: { brand: 'visa', last4: '4242', holderName: HOLDER_NAME },
  authorizationExpiresAt: '2026-01-08T12:00:00.000Z',
  ...data,
});

export const authorized = (id: string, data: Partial<Record<string, unknown>> = {}, overrides: Partial<Record<string, unknown>> = {}) => paymentEvent(id, 1, 'PaymentAuthorized', authorizedData(data), overrides);
export const fraudChecked = (id: string, sequence: number, outcome = 'passed', score = 12) => paymentEvent(id, sequence, 'FraudCheckCompleted', { outcome, score });
export const captured = (id: string, sequence: number, captureId: string, amount: string, overrides: Partial<Record<string, unknown>> = {}) => paymentEvent(id, sequence, 'PaymentCaptured', { captureId, amount }, overrides);
export const refunded = (id: string, sequence: number, refundId: string, amount: string, reason = 'returned') => paymentEvent(id, sequence, 'PaymentRefunded', { refundId, amount, reason });
export const voided = (id: string, sequence: number) => paymentEvent(id, sequence, 'PaymentVoided', {});
export const failed = (id: string, sequence: number, failureCode = 'processor_error', extra: object = {}) => paymentEvent(id, sequence, 'PaymentFailed', { failureCode, ...extra });
/** PaymentFailed as the first event: declined at once. */
export const declined = (id: string, orderId = 'ord-1', amount = '100.00', currency = 'EUR') => paymentEvent(id, 1, 'PaymentFailed', { failureCode: 'declined', orderId, amount, currency }, { correlationId: orderId });
