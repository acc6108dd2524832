import { describe, expect, it } from 'vitest';
import { decodePaymentRecord } from '../events/decodePaymentRecord.js';
import type { PaymentEvent } from '../events/PaymentEvent.js';
import { authorized, captured, declined, eventTime, failed, fraudChecked, HOLDER_NAME, paymentEvent, PSP_REFERENCE, refunded, voided } from '../testing/paymentEvents.js';
import type { PaymentAttemptState } from './paymentAttemptsProjection.js';
import { evolvePaymentAttempt } from './paymentAttemptsProjection.js';

const decode = (r: { key: string; value: string }) => {
  const result = decodePaymentRecord({ topic: 'payments.events.v1', partition: 0, offset: 0, key: Buffer.from(r.key), value: Buffer.from(r.value), headers: {}, timestamp: 0 });
  if (result.kind !== 'events') throw new Error(JSON.stringify(result));
  return result.events[0] as PaymentEvent;
};
/** Given these events, when evolved in order, then this state. */
const given = (...records: Array<{ key: string; value: string }>): PaymentAttemptState =>
  records.map(decode).reduce<PaymentAttemptState | undefined>((state, event) => {
    const next = evolvePaymentAttempt(state, event);
    if ('rejection' in next) throw new Error(`unexpected rejection of ${event.type} #${event.sequence}: ${next.rejection.reason}`);
    return next.state;
  }, undefined)!;
/** Given these events applied, when `last` is evolved, then this rejection (code and reason). */
const rejectionOf = (history: Array<{ key: string; value: string }>, last: { key: string; value: string }) => {
  const next = evolvePaymentAttempt(history.length > 0 ? given(...history) : undefined, decode(last));
  return 'rejection' in next ? `${next.rejection.code}: ${next.rejection.reason}` : 'applied';
};
const history = (state: PaymentAttemptState) => state.newHistory.map((h) => [h.sequence, h.eventType, h.lifecycleState, h.occurredAt]);

describe('payment attempts: evolve, normal flows', () => {
  it('given a card authorization, then the payment is authorized with its card, exact amounts and event times', () => {
    const state = given(authorized('pay-1', { amount: '99.9' }));
    expect(state.payment).toEqual({
      paymentId: 'pay-1', orderId: 'ord-1', currency: 'EUR', method: 'card', pspReference: PSP_REFERENCE, cardBrand: 'visa', cardLast4: '4242', cardHolderName: HOLDER_NAME,
      requestedAmount: '99.90', authorizedAmount: '99.90', capturedAmount: '0.00', refundedAmount: '0.00', lifecycleState: 'authorized',
      attemptedAt: eventTime(1), authorizedAt: eventTime(1), authorizationExpiresAt: '2026-01-08T12:00:00.000Z',
      fraudOutcome: null, fraudScore: null, fraudCheckedAt: null, voidedAt: null, failedAt: null, failureCode: null,
      lastSequence: 1, lastEventOccurredAt: eventTime(1),
    });
    expect(history(state)).toEqual([[1, 'PaymentAuthorized', 'authorized', eventTime(1)]]);
  });

  it('given partial captures over split shipments, then each capture is kept with its event time and the sums stay exact in cents', () => {
    const state = given(authorized('pay-1', { amount: '0.30', method: 'wallet', card: null }), fraudChecked('pay-1', 2), captured('pay-1', 3, 'cap-a', '0.10'), captured('pay-1', 4, 'cap-b', '0.20'));
    expect(state.payment).toMatchObject({ method: 'wallet', cardBrand: null, cardHolderName: null, capturedAmount: '0.30', lifecycleState: 'captured', fraudOutcome: 'passed', fraudScore: 12, fraudCheckedAt: eventTime(2), lastSequence: 4 });
    expect(state.newCaptures).toEqual([
      { paymentId: 'pay-1', captureId: 'cap-a', amount: '0.10', capturedAt: eventTime(3), sequence: 3 },
      { paymentId: 'pay-1', captureId: 'cap-b', amount: '0.20', capturedAt: eventTime(4), sequence: 4 },
    ]);
    expect(history(state).map((h) => h[2])).toEqual(['authorized', 'authorized', 'partially_captured', 'captured']);
  });

  it('given refunds of what was captured, then the refunded sum follows, each refund with its reason and event time', () => {
    const state = given(authorized('pay-1'), captured('pay-1', 2, 'cap-1', '60.00'), refunded('pay-1', 3, 'ref-1', '20.00', 'returned'), captured('pay-1', 4, 'cap-2', '40.00'), refunded('pay-1', 5, 'ref-2', '80.00', 'order_cancelled'));
    expect(state.payment).toMatchObject({ capturedAmount: '100.00', refundedAmount: '100.00', lifecycleState: 'refunded' });
    expect(state.newRefunds).toEqual([
      { paymentId: 'pay-1', refundId: 'ref-1', amount: '20.00', reason: 'returned', refundedAt: eventTime(3), sequence: 3 },
      { paymentId: 'pay-1', refundId: 'ref-2', amount: '80.00', reason: 'order_cancelled', refundedAt: eventTime(5), sequence: 5 },
    ]);
    expect(history(state).map((h) => h[2])).toEqual(['authorized', 'partially_captured', 'partially_refunded', 'partially_refunded', 'refunded']);
  });

  it('given a void before any capture, then the payment is voided at its event time, and a late fraud verdict is still kept', () => {
    const state = given(authorized('pay-1'), voided('pay-1', 2), fraudChecked('pay-1', 3, 'rejected', 97));
    expect(state.payment).toMatchObject({ lifecycleState: 'voided', voidedAt: eventTime(2), fraudOutcome: 'rejected', fraudScore: 97, capturedAmount: '0.00' });
  });

  it('given a payment declined at once, then it is failed, with the order, the amount attempted and no method', () => {
    const state = given(declined('pay-1', 'ord-9', '25.50', 'GBP'));
    expect(state.payment).toMatchObject({ orderId: 'ord-9', currency: 'GBP', method: null, pspReference: null, cardHolderName: null, requestedAmount: '25.50', authorizedAmount: null, lifecycleState: 'failed', attemptedAt: eventTime(1), authorizedAt: null, failedAt: eventTime(1), failureCode: 'declined' });
  });

  it('given a failure after partial captures, then it is failed and keeps what was captured; a later PaymentFailed may repeat order and currency', () => {
    const state = given(authorized('pay-1'), captured('pay-1', 2, 'cap-1', '30.00'), failed('pay-1', 3, 'authorization_expired', { orderId: 'ord-1', amount: '100.00', currency: 'EUR' }));
    expect(state.payment).toMatchObject({ lifecycleState: 'failed', capturedAmount: '30.00', failedAt: eventTime(3), failureCode: 'authorization_expired' });
  });

  it('given a re-authorization as a second payment of the same order, then both attempts stand on their own', () => {
    const first = given(authorized('pay-1-1', { orderId: 'ord-7' }), failed('pay-1-1', 2, 'authorization_expired'));
    const second = given(authorized('pay-1-2', { orderId: 'ord-7', amount: '100.00' }), captured('pay-1-2', 2, 'cap-1', '100.00'));
    expect([first.payment.orderId, first.payment.lifecycleState]).toEqual(['ord-7', 'failed']);
    expect([second.payment.orderId, second.payment.lifecycleState]).toEqual(['ord-7', 'captured']);
  });

  it('given a capture exactly at the authorization expiry, then it is applied', () => {
    const state = given(authorized('pay-1', { authorizationExpiresAt: eventTime(2) }), captured('pay-1', 2, 'cap-1', '1.00'));
    expect(state.payment.capturedAmount).toBe('1.00');
  });
});

describe('payment attempts: evolve, the impossible is rejected with its reason', () => {
  const authorizedThenCaptured = [authorized('pay-1'), captured('pay-1', 2, 'cap-1', '70.00')];

  it('a capture that takes the captured sum above the authorized amount', () => {
    expect(rejectionOf(authorizedThenCaptured, captured('pay-1', 3, 'cap-2', '30.01'))).toBe('IMPOSSIBLE_TRANSITION: PaymentCaptured #3 for pay-1 (capture cap-2 of 30.01 EUR) would take the captured sum to 100.01 EUR, above the authorized 100.00 EUR');
  });

  it('a refund above the captured sum', () => {
    expect(rejectionOf([...authorizedThenCaptured, refunded('pay-1', 3, 'ref-1', '50.00')], refunded('pay-1', 4, 'ref-2', '20.01'))).toBe('IMPOSSIBLE_TRANSITION: PaymentRefunded #4 for pay-1 (refund ref-2 of 20.01 EUR) would take the refunded sum to 70.01 EUR, above the captured 70.00 EUR');
    expect(rejectionOf([authorized('pay-1')], refunded('pay-1', 2, 'ref-1', '0.01'))).toMatch(/above the captured 0\.00 EUR$/);
  });

  it('a capture or refund after PaymentVoided', () => {
    expect(rejectionOf([authorized('pay-1'), voided('pay-1', 2)], captured('pay-1', 3, 'cap-1', '1.00'))).toBe(`IMPOSSIBLE_TRANSITION: PaymentCaptured #3 for pay-1 (capture cap-1) after PaymentVoided at ${eventTime(2)}: the authorization was released`);
    expect(rejectionOf([authorized('pay-1'), voided('pay-1', 2)], refunded('pay-1', 3, 'ref-1', '1.00'))).toBe(`IMPOSSIBLE_TRANSITION: PaymentRefunded #3 for pay-1 (refund ref-1) after PaymentVoided at ${eventTime(2)}: nothing was captured to refund`);
  });

  it('a capture or refund, or anything else, after PaymentFailed: it is terminal', () => {
    const failedPayment = [...authorizedThenCaptured, failed('pay-1', 3, 'processor_error')];
    const terminal = `after PaymentFailed (processor_error at ${eventTime(3)}): a failed payment is terminal`;
    expect(rejectionOf(failedPayment, captured('pay-1', 4, 'cap-2', '1.00'))).toBe(`IMPOSSIBLE_TRANSITION: PaymentCaptured #4 for pay-1 ${terminal}`);
    expect(rejectionOf(failedPayment, refunded('pay-1', 4, 'ref-1', '1.00'))).toBe(`IMPOSSIBLE_TRANSITION: PaymentRefunded #4 for pay-1 ${terminal}`);
    for (const next of [fraudChecked('pay-1', 4), voided('pay-1', 4), failed('pay-1', 4, 'declined'), paymentEvent('pay-1', 4, 'PaymentAuthorized', JSON.parse(authorized('pay-1').value).data)]) {
      expect(rejectionOf(failedPayment, next)).toMatch(/after PaymentFailed \(processor_error at .*\): a failed payment is terminal$/);
    }
    expect(rejectionOf([declined('pay-1')], captured('pay-1', 2, 'cap-1', '1.00'))).toBe(`IMPOSSIBLE_TRANSITION: PaymentCaptured #2 for pay-1 after PaymentFailed (declined at ${eventTime(1)}): a failed payment is terminal`);
  });

  it('PaymentVoided after a capture, or twice', () => {
    expect(rejectionOf(authorizedThenCaptured, voided('pay-1', 3))).toBe('IMPOSSIBLE_TRANSITION: PaymentVoided #3 for pay-1 after a capture (70.00 EUR captured): only an authorization with nothing captured can be voided');
    expect(rejectionOf([authorized('pay-1'), voided('pay-1', 2)], voided('pay-1', 3))).toBe(`IMPOSSIBLE_TRANSITION: PaymentVoided #3 for pay-1, already voided at ${eventTime(2)}`);
  });

  it('a first event other than PaymentAuthorized or PaymentFailed', () => {
    for (const first of [fraudChecked('pay-1', 1), captured('pay-1', 1, 'cap-1', '1.00'), refunded('pay-1', 1, 'ref-1', '1.00'), voided('pay-1', 1)]) {
      expect(rejectionOf([], first)).toMatch(/^IMPOSSIBLE_TRANSITION: \w+ #1 for pay-1 before its PaymentAuthorized or PaymentFailed: a payment attempt starts by being authorized or declined$/);
    }
    // Its first event quarantined, a later PaymentFailed is the first applied: it must say what was declined.
    expect(rejectionOf([], failed('pay-1', 2, 'declined'))).toBe('IMPOSSIBLE_TRANSITION: PaymentFailed #2 for pay-1 is its first event applied, so the payment was declined at once and must name orderId, amount and currency; received only failureCode "declined"');
  });

  it('a capture dated after authorizationExpiresAt', () => {
    expect(rejectionOf([authorized('pay-1', { authorizationExpiresAt: '2026-01-01T12:00:01.500Z' })], captured('pay-1', 2, 'cap-1', '1.00'))).toBe(
      `IMPOSSIBLE_TRANSITION: PaymentCaptured #2 for pay-1 (capture cap-1) dated ${eventTime(2)}, after the authorization expired at 2026-01-01T12:00:01.500Z`,
    );
  });

  it('a second authorization of one attempt, a repeated capture or refund id, a PaymentFailed after a void or in another currency or order', () => {
    expect(rejectionOf([authorized('pay-1')], paymentEvent('pay-1', 2, 'PaymentAuthorized', JSON.parse(authorized('pay-1').value).data))).toBe(`IMPOSSIBLE_TRANSITION: PaymentAuthorized #2 for pay-1, which was already authorized at ${eventTime(1)}: a re-authorization is a new payment attempt with its own id`);
    expect(rejectionOf(authorizedThenCaptured, captured('pay-1', 3, 'cap-1', '1.00'))).toBe('IMPOSSIBLE_TRANSITION: PaymentCaptured #3 for pay-1 repeats captureId "cap-1", already captured on this payment');
    expect(rejectionOf([...authorizedThenCaptured, refunded('pay-1', 3, 'ref-1', '1.00')], refunded('pay-1', 4, 'ref-1', '1.00'))).toBe('IMPOSSIBLE_TRANSITION: PaymentRefunded #4 for pay-1 repeats refundId "ref-1", already refunded on this payment');
    expect(rejectionOf([authorized('pay-1'), voided('pay-1', 2)], failed('pay-1', 3, 'authorization_expired'))).toBe(`IMPOSSIBLE_TRANSITION: PaymentFailed #3 for pay-1 (authorization_expired) after PaymentVoided at ${eventTime(2)}: the authorization was already released`);
    expect(rejectionOf([authorized('pay-1')], failed('pay-1', 2, 'declined', { orderId: 'ord-1', amount: '1.00', currency: 'USD' }))).toBe("IMPOSSIBLE_TRANSITION: PaymentFailed #2 for pay-1 is in USD, but the payment's currency is EUR, fixed by its first event");
    expect(rejectionOf([authorized('pay-1')], failed('pay-1', 2, 'declined', { orderId: 'ord-2', amount: '1.00', currency: 'EUR' }))).toBe('IMPOSSIBLE_TRANSITION: PaymentFailed #2 for pay-1 names orderId "ord-2", but the payment belongs to "ord-1" since its first event');
  });

  it('never quotes the card holder or the PSP reference', () => {
    const reasons = [
      rejectionOf(authorizedThenCaptured, captured('pay-1', 3, 'cap-2', '99.00')),
      rejectionOf([authorized('pay-1')], paymentEvent('pay-1', 2, 'PaymentAuthorized', JSON.parse(authorized('pay-1').value).data)),
      rejectionOf([authorized('pay-1', { authorizationExpiresAt: eventTime(1) })], captured('pay-1', 2, 'cap-1', '1.00')),
    ];
    for (const reason of reasons) expect(reason).not.toMatch(new RegExp(`${HOLDER_NAME}|${PSP_REFERENCE}`));
  });
});
