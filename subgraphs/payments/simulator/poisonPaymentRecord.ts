import type { Prng, SimulatedRecord } from '../../../platform/simulator/index.js';

/**
 * An extra record near `near` (same topic, key and delivery time) that breaks the producer
 * contract the way real payment producers do: truncated JSON, money as a float, an event type
 * this consumer does not know yet, a key that is not the aggregate id, or no eventId.
 * Deterministic for a PRNG state.
 */
export function poisonPaymentRecord(near: SimulatedRecord, prng: Prng): SimulatedRecord {
  const at = new Date(near.at).toISOString();
  const base = { eventId: prng.uuid(), schemaVersion: 1, aggregateId: near.key, sequence: 999_999, occurredAt: at, producedAt: at, correlationId: 'poison', causationId: null, source: 'psp-adyen-bridge' };
  switch (prng.int(0, 4)) {
    case 0:
      return { ...near, value: `{"eventId": "${base.eventId}", "type": "PaymentCaptured", "data": {"captureId": ` };
    case 1:
      return { ...near, value: JSON.stringify({ ...base, type: 'PaymentCaptured', data: { captureId: `cap-${base.eventId.slice(0, 8)}`, amount: 12.3 } }) };
    case 2:
      return { ...near, value: JSON.stringify({ ...base, type: 'PaymentChargebackOpened', data: { amount: '12.30' } }) };
    case 3:
      return { ...near, key: `${near.key}-other`, value: JSON.stringify({ ...base, type: 'PaymentVoided', data: {} }) };
    default:
      return { ...near, value: JSON.stringify({ ...base, eventId: undefined, type: 'PaymentVoided', data: {} }) };
  }
}
