import { describe, expect, it } from 'vitest';
import { expectSoundFastPath, multiMutations, singleMutations } from '../../test/support/fastPathSoundness.js';
import { acceptEnvelope } from './acceptEnvelope.js';
import { envelopeSchema } from './envelopeSchema.js';

const envelope = {
  eventId: 'evt-1',
  type: 'OrderPlaced',
  schemaVersion: 1,
  aggregateId: 'ord-1',
  sequence: 1,
  occurredAt: '2026-01-01T12:00:01.000Z',
  producedAt: '2026-01-01T12:00:01+02:00',
  correlationId: 'journey-1',
  causationId: null,
  source: 'web-checkout',
  data: { customerId: 'cus-1', lines: [{ lineId: '1' }] },
};
const valid = [envelope, { ...envelope, causationId: 'evt-0', data: {} }, { ...envelope, occurredAt: '2024-02-29T23:59:59Z', producedAt: '2026-12-31T23:59:59.123456-05:30' }];

describe('the envelope fast path', () => {
  it('accepts only what envelopeSchema accepts, with an equal value', () => {
    const counts = expectSoundFastPath({ fast: acceptEnvelope, zod: (input) => envelopeSchema.safeParse(input) }, valid, [...valid.flatMap(singleMutations), ...multiMutations(envelope, 3000)]);
    // Each check is exercised: many mutants pass (edge values that are still valid) and more are declined.
    expect(counts.accepted).toBeGreaterThan(100);
    expect(counts.inputs - counts.accepted).toBeGreaterThan(1000);
  });
});
