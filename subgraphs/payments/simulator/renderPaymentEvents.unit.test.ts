import { describe, expect, it } from 'vitest';
import { createPrng } from '../../../platform/simulator/index.js';
import { decodePaymentRecord } from '../events/decodePaymentRecord.js';
import type { PaymentEvent } from '../events/PaymentEvent.js';
import { PAYMENTS_EVENTS_TOPIC } from '../events/PaymentEvent.js';
import type { PaymentHistory } from './PaymentHistory.js';
import { poisonPaymentRecord } from './poisonPaymentRecord.js';
import { renderPaymentEvents } from './renderPaymentEvents.js';

const T0 = Date.UTC(2026, 10, 2, 9);
const MINUTE = 60_000;
const splitShipment: PaymentHistory = {
  paymentId: 'pay-000123-1',
  orderId: 'ord-000123',
  currency: 'EUR',
  method: 'card',
  card: { brand: 'visa', last4: '1881', holderName: 'Ada Lovelace' },
  pspReference: 'PSP-0001',
  authorizationExpiresAt: T0 + 7 * 24 * 60 * MINUTE,
  steps: [
    { kind: 'authorize', at: T0, amount: '120.00' },
    { kind: 'fraudCheck', at: T0 + MINUTE, outcome: 'passed', score: 4 },
    { kind: 'capture', at: T0 + 60 * MINUTE, captureId: 'cap-1', amount: '70.00' },
    { kind: 'capture', at: T0 + 120 * MINUTE, captureId: 'cap-2', amount: '50.00' },
    { kind: 'refund', at: T0 + 240 * MINUTE, refundId: 'ref-1', amount: '50.00', reason: 'returned' },
  ],
};
const declinedAtOnce: PaymentHistory = { paymentId: 'pay-000124-1', orderId: 'ord-000124', currency: 'GBP', method: 'gift_card', card: null, pspReference: 'GC-9', authorizationExpiresAt: T0, steps: [{ kind: 'decline', at: T0, amount: '15.00', failureCode: 'declined' }] };

const decode = (r: { topic: string; key: string; value: string | null }) => decodePaymentRecord({ topic: r.topic, partition: 0, offset: 0, key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value), headers: {}, timestamp: 0 });
const events = (records: ReturnType<typeof renderPaymentEvents>) =>
  records.map((r) => {
    const result = decode(r);
    if (result.kind !== 'events') throw new Error(JSON.stringify(result));
    return result.events[0] as PaymentEvent;
  });

describe('payment producer simulation', () => {
  it('given a history, then it renders one envelope per step in the producer format: keyed by payment, sequence from 1, correlated by order, at event time', () => {
    const records = renderPaymentEvents(splitShipment, createPrng(7));
    expect(records.map((r) => [r.topic, r.key, r.at])).toEqual(splitShipment.steps.map((s) => [PAYMENTS_EVENTS_TOPIC, 'pay-000123-1', s.at]));
    const rendered = events(records);
    expect(rendered.map((e) => [e.type, e.sequence, e.occurredAt])).toEqual([
      ['PaymentAuthorized', 1, new Date(T0).toISOString()],
      ['FraudCheckCompleted', 2, new Date(T0 + MINUTE).toISOString()],
      ['PaymentCaptured', 3, new Date(T0 + 60 * MINUTE).toISOString()],
      ['PaymentCaptured', 4, new Date(T0 + 120 * MINUTE).toISOString()],
      ['PaymentRefunded', 5, new Date(T0 + 240 * MINUTE).toISOString()],
    ]);
    expect(rendered[0]).toMatchObject({ correlationId: 'ord-000123', causationId: null, source: 'psp-adyen-bridge', data: { orderId: 'ord-000123', amount: '120.00', currency: 'EUR', method: 'card', card: { last4: '1881' }, authorizationExpiresAt: new Date(splitShipment.authorizationExpiresAt).toISOString() } });
    for (let i = 1; i < rendered.length; i++) expect(rendered[i]!.causationId).toBe(rendered[i - 1]!.eventId);
    expect(new Set(rendered.map((e) => e.eventId)).size).toBe(rendered.length);
    expect(rendered.every((e) => Date.parse(e.producedAt) > Date.parse(e.occurredAt))).toBe(true);
  });

  it('given a payment declined at once, then its PaymentFailed names the order, amount and currency, from the gift card service', () => {
    const [event] = events(renderPaymentEvents(declinedAtOnce, createPrng(7)));
    expect(event).toMatchObject({ type: 'PaymentFailed', sequence: 1, source: 'gift-card-service', data: { failureCode: 'declined', orderId: 'ord-000124', amount: '15.00', currency: 'GBP' } });
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(renderPaymentEvents(splitShipment, createPrng(3))).toEqual(renderPaymentEvents(splitShipment, createPrng(3)));
    expect(renderPaymentEvents(splitShipment, createPrng(4))).not.toEqual(renderPaymentEvents(splitShipment, createPrng(3)));
    const poisons = (seed: number) => {
      const prng = createPrng(seed);
      return renderPaymentEvents(splitShipment, prng).map((r) => poisonPaymentRecord(r, prng));
    };
    expect(poisons(9)).toEqual(poisons(9));
  });

  it('given poison records, then each kind breaks the contract as real producers do and is rejected with its code', () => {
    const prng = createPrng(11);
    const near = renderPaymentEvents(splitShipment, prng)[2]!;
    const codes = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      const poison = poisonPaymentRecord(near, prng);
      expect(poison.topic).toBe(near.topic);
      expect(poison.at).toBe(near.at);
      const result = decode(poison);
      expect(result.kind).toBe('rejected');
      if (result.kind === 'rejected') codes.set(result.rejection.code, (codes.get(result.rejection.code) ?? 0) + 1);
    }
    expect([...codes.keys()].sort()).toEqual(['INVALID_ENVELOPE', 'INVALID_PAYLOAD', 'KEY_MISMATCH', 'MALFORMED_JSON', 'UNKNOWN_EVENT_TYPE']);
  });
});
