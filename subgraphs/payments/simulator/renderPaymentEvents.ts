import type { Prng, SimulatedRecord } from '../../../platform/simulator/index.js';
import { PAYMENT_SOURCE_SYSTEMS, PAYMENTS_EVENTS_TOPIC } from '../events/PaymentEvent.js';
import type { PaymentEventType } from '../events/PaymentEvent.js';
import type { PaymentHistory, PaymentStep } from './PaymentHistory.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** A step as the producer publishes it: its event type and `data`. */
function eventOf(history: PaymentHistory, step: PaymentStep): { type: PaymentEventType; data: object } {
  switch (step.kind) {
    case 'authorize':
      return {
        type: 'PaymentAuthorized',
        data: { orderId: history.orderId, amount: step.amount, currency: history.currency, method: history.method, pspReference: history.pspReference, card: history.card, authorizationExpiresAt: iso(history.authorizationExpiresAt) },
      };
    case 'decline':
      return { type: 'PaymentFailed', data: { failureCode: step.failureCode, orderId: history.orderId, amount: step.amount, currency: history.currency } };
    case 'fraudCheck':
      return { type: 'FraudCheckCompleted', data: { outcome: step.outcome, score: step.score } };
    case 'capture':
      return { type: 'PaymentCaptured', data: { captureId: step.captureId, amount: step.amount } };
    case 'refund':
      return { type: 'PaymentRefunded', data: { refundId: step.refundId, amount: step.amount, reason: step.reason } };
    case 'void':
      return { type: 'PaymentVoided', data: {} };
    case 'fail':
      return { type: 'PaymentFailed', data: { failureCode: step.failureCode } };
  }
}

/**
 * The history as its payment producer publishes it on `payments.events.v1`: keyed by payment id,
 * one envelope per step, sequence from 1, each caused by the one before, correlated by the order
 * id, delivered (`at`) at its event time. Deterministic for a PRNG state.
 */
export function renderPaymentEvents(history: PaymentHistory, prng: Prng): SimulatedRecord[] {
  let causationId: string | null = null;
  return history.steps.map((step, index) => {
    const { type, data } = eventOf(history, step);
    const eventId = prng.uuid();
    const envelope = {
      eventId,
      type,
      schemaVersion: 1,
      aggregateId: history.paymentId,
      sequence: index + 1,
      occurredAt: iso(step.at),
      producedAt: iso(step.at + prng.int(5, 250)),
      correlationId: history.orderId,
      causationId,
      source: PAYMENT_SOURCE_SYSTEMS[history.method],
      data,
    };
    causationId = eventId;
    return { topic: PAYMENTS_EVENTS_TOPIC, key: history.paymentId, value: JSON.stringify(envelope), at: step.at };
  });
}
