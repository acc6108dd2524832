import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../platform/eventLog/index.js';
import { createPrng } from '../../../platform/simulator/index.js';
import { renderPaymentEvents } from '../simulator/renderPaymentEvents.js';
import { authorized, authorizedData, captured, declined, failed, fraudChecked, HOLDER_NAME, paymentEvent, PSP_REFERENCE, refunded, voided } from '../testing/paymentEvents.js';
import { decodePaymentRecord } from './decodePaymentRecord.js';
import { PAYMENT_EVENT_TYPES, PAYMENTS_EVENTS_TOPIC } from './PaymentEvent.js';

const record = (key: string | null, value: string | null): LogRecord => ({ topic: PAYMENTS_EVENTS_TOPIC, partition: 0, offset: 0, key: key === null ? null : Buffer.from(key), value: value === null ? null : Buffer.from(value), headers: {}, timestamp: 0 });
const reasonOf = (key: string | null, value: string | null) => {
  const result = decodePaymentRecord(record(key, value));
  return result.kind === 'rejected' ? `${result.rejection.code}: ${result.rejection.reason}` : result.kind;
};
const decoded = (r: { key: string; value: string }) => {
  const result = decodePaymentRecord(record(r.key, r.value));
  if (result.kind !== 'events') throw new Error(JSON.stringify(result));
  return result.events[0]!;
};
const authorizedWith = (data: Partial<Record<string, unknown>>) => authorized('pay-1', data).value;

describe('decoding payments.events.v1', () => {
  it('given every event type in the producer format, then each decodes to its event', () => {
    const events = [authorized('pay-1'), fraudChecked('pay-1', 2), captured('pay-1', 3, 'cap-1', '40.00'), refunded('pay-1', 4, 'ref-1', '10.00'), voided('pay-2', 2), failed('pay-3', 2), declined('pay-4')].map(decoded);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(PAYMENT_EVENT_TYPES));
    expect(events[0]).toMatchObject({ aggregateId: 'pay-1', sequence: 1, data: { amount: '100.00', method: 'card', card: { last4: '4242', holderName: HOLDER_NAME } } });
    expect(events.at(-1)).toMatchObject({ type: 'PaymentFailed', data: { failureCode: 'declined', orderId: 'ord-1', amount: '100.00', currency: 'EUR' } });
    expect(decoded(paymentEvent('pay-5', 1, 'PaymentAuthorized', authorizedData({ method: 'gift_card', card: null })))).toMatchObject({ data: { method: 'gift_card', card: null } });
  });

  it('given what the simulator renders, then every record decodes', () => {
    const history = {
      paymentId: 'pay-000001-1', orderId: 'ord-000001', currency: 'GBP', method: 'card' as const, card: { brand: 'mastercard', last4: '0005', holderName: HOLDER_NAME }, pspReference: PSP_REFERENCE,
      authorizationExpiresAt: Date.UTC(2026, 0, 8),
      steps: [
        { kind: 'authorize' as const, at: Date.UTC(2026, 0, 1), amount: '80.00' },
        { kind: 'fraudCheck' as const, at: Date.UTC(2026, 0, 1, 0, 1), outcome: 'passed' as const, score: 3 },
        { kind: 'capture' as const, at: Date.UTC(2026, 0, 2), captureId: 'cap-1', amount: '80.00' },
        { kind: 'refund' as const, at: Date.UTC(2026, 0, 3), refundId: 'ref-1', amount: '5.00', reason: 'goodwill' as const },
        { kind: 'fail' as const, at: Date.UTC(2026, 0, 4), failureCode: 'processor_error' as const },
      ],
    };
    const records = renderPaymentEvents(history, createPrng(1));
    expect(records.map((r) => decodePaymentRecord({ ...record(r.key, r.value), topic: r.topic }).kind)).toEqual(['events', 'events', 'events', 'events', 'events']);
  });

  it('given a record off the envelope contract, then it is rejected with the rule and what was received', () => {
    const envelope = JSON.parse(authorized('pay-1').value) as Record<string, unknown>;
    expect(reasonOf('pay-1', null)).toMatch(/^MALFORMED_JSON: tombstone/);
    expect(reasonOf('pay-1', JSON.stringify({ ...envelope, sequence: 0 }))).toMatch(/^INVALID_ENVELOPE: envelope does not match the producer contract: sequence: .*\(received 0\)$/);
    expect(reasonOf('pay-1', JSON.stringify({ ...envelope, eventId: undefined }))).toMatch(/^INVALID_ENVELOPE: .*eventId: Invalid input: expected string, received undefined/);
    expect(reasonOf('pay-1', JSON.stringify({ ...envelope, occurredAt: 'yesterday' }))).toMatch(/occurredAt: .*\(received "yesterday"\)/);
    expect(reasonOf('pay-2', authorized('pay-1').value)).toBe('KEY_MISMATCH: message key "pay-2" must equal aggregateId "pay-1"');
    expect(reasonOf(null, authorized('pay-1').value)).toBe('KEY_MISMATCH: message key null must equal aggregateId "pay-1"');
    expect(reasonOf('pay-1', paymentEvent('pay-1', 2, 'PaymentTeleported', {}).value)).toBe(`UNKNOWN_EVENT_TYPE: unknown event type "PaymentTeleported"; payments.events.v1 carries ${PAYMENT_EVENT_TYPES.join(', ')}`);
    expect(reasonOf('pay-1', voided('pay-1', 2).value.replace('"schemaVersion":1', '"schemaVersion":2'))).toBe('UNKNOWN_EVENT_TYPE: PaymentVoided schemaVersion 2 is not supported (known: 1)');
  });

  it('given bytes that are not JSON, then the reason shows the envelope head but never data nor the parser snippet', () => {
    const truncated = authorized('pay-1').value.slice(0, -30);
    const reason = reasonOf('pay-1', truncated);
    expect(reason).toMatch(/^MALFORMED_JSON: value is not JSON \(.+\); expected a JSON event envelope, received \d+ bytes beginning "\{\\"eventId\\":\\"evt-pay-1-1-/);
    expect(reason).not.toContain('data');
    expect(reason).not.toContain(HOLDER_NAME.slice(0, 6));
    const prose = reasonOf('pay-1', `holder=${HOLDER_NAME}; psp=${PSP_REFERENCE}`);
    expect(prose).toMatch(/^MALFORMED_JSON: value is not JSON \(Unexpected token 'h'\); expected a JSON event envelope, received \d+ bytes$/);
    // A broken value deep in data: V8 quotes the text around it; the reason must not.
    const broken = authorized('pay-1').value.replace(`"${HOLDER_NAME}"`, `"${HOLDER_NAME}" x`);
    expect(reasonOf('pay-1', broken)).not.toContain(HOLDER_NAME.slice(0, 6));
  });

  it('given a bad payload, then INVALID_PAYLOAD names the field and quotes what was received, except personal or provider data', () => {
    expect(reasonOf('pay-1', captured('pay-1', 2, 'cap-1', 12.3 as unknown as string).value)).toBe('INVALID_PAYLOAD: PaymentCaptured v1 data is invalid: data.amount: Invalid input: expected string, received number (received 12.3)');
    expect(reasonOf('pay-1', captured('pay-1', 2, 'cap-1', '12.345').value)).toMatch(/data\.amount: money must be a decimal string with up to 2 fractional digits, e\.g\. "12\.30" \(received "12\.345"\)/);
    expect(reasonOf('pay-1', captured('pay-1', 2, 'cap-1', '0.00').value)).toMatch(/data\.amount: amount must be above 0\.00 \(received "0\.00"\)/);
    expect(reasonOf('pay-1', refunded('pay-1', 2, 'ref-1', '-5.00').value)).toMatch(/data\.amount: amount must be above 0\.00 \(received "-5\.00"\)/);
    expect(reasonOf('pay-1', authorizedWith({ method: 'crypto' }))).toMatch(/^INVALID_PAYLOAD: PaymentAuthorized v1 data is invalid: data\.method: Invalid option: expected one of "card"\|"wallet"\|"bank_transfer"\|"gift_card" \(received "crypto"\)$/);
    expect(reasonOf('pay-1', authorizedWith({ currency: 'euro' }))).toMatch(/data\.currency: currency must be an ISO 4217 code, e\.g\. "EUR" \(received "euro"\)/);
    expect(reasonOf('pay-1', refunded('pay-1', 2, 'ref-1', '5.00', 'bored').value)).toMatch(/data\.reason: Invalid option: .* \(received "bored"\)/);
    expect(reasonOf('pay-1', fraudChecked('pay-1', 2, 'passed', 101).value)).toMatch(/data\.score: .* \(received 101\)/);
    expect(reasonOf('pay-1', failed('pay-1', 2, 'bored').value)).toMatch(/data\.failureCode: Invalid option: .* \(received "bored"\)/);
    expect(reasonOf('pay-1', voided('pay-1', 2).value.replace('"data":{}', '"data":{"reason":"x"}'))).toMatch(/^INVALID_PAYLOAD: PaymentVoided v1 data is invalid: data: Unrecognized key: "reason"/);
  });

  it('given a card that does not match the method, then the reason says so without showing the card', () => {
    expect(reasonOf('pay-1', authorizedWith({ card: null }))).toMatch(/data\.card: a card payment carries card \{ brand, last4, holderName \}, received null/);
    expect(reasonOf('pay-1', authorizedWith({ method: 'wallet' }))).toMatch(/data\.card: card must be null unless method is card \(method is wallet\)/);
    const badLast4 = reasonOf('pay-1', authorizedWith({ card: { brand: 'visa', last4: '42', holderName: HOLDER_NAME } }));
    expect(badLast4).toBe('INVALID_PAYLOAD: PaymentAuthorized v1 data is invalid: data.card.last4: last4 must be the last four digits of the card number');
    const badHolder = reasonOf('pay-1', authorizedWith({ card: { brand: 'visa', last4: '4242', holderName: '' }, pspReference: '' }));
    expect(badHolder).toMatch(/data\.pspReference: Too small.*; data\.card\.holderName: Too small/);
    expect(badHolder).not.toMatch(/received ""/);
  });

  it('given a PaymentFailed at sequence 1, then it must name order, amount and currency, all three or none', () => {
    expect(reasonOf('pay-1', failed('pay-1', 1, 'declined').value)).toBe('INVALID_PAYLOAD: PaymentFailed v1 data is invalid: as a payment\'s first event (sequence 1, declined at once) it carries orderId, amount and currency; received only failureCode "declined"');
    expect(reasonOf('pay-1', failed('pay-1', 2, 'declined', { orderId: 'ord-1' }).value)).toMatch(/data: orderId, amount and currency come together \(a payment declined at once\) or not at all/);
    expect(reasonOf('pay-1', declined('pay-1').value)).toBe('events');
  });
});
