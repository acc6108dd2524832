import type { EventEnvelope } from './EventEnvelope.js';
import { hasKeyCount, isEventTimestamp, isInt4AtLeast, isIntAtLeast, isStringOfLength } from './fastChecks.js';

const ENVELOPE_KEYS = 11;

/**
 * The fast twin of `envelopeSchema` (see fastChecks.ts): the envelope when zod would accept it
 * with this very output, else null, and the caller runs `envelopeSchema` for the reason. Declines
 * unknown keys. `data` is checked as zod's record checks it (a plain object) and returned as it
 * came: zod's copy of it holds the same keys and values, unless a key is `__proto__` (declined).
 */
export function acceptEnvelope(value: unknown): EventEnvelope<string, Record<string, unknown>> | null {
  if (!hasKeyCount(value, ENVELOPE_KEYS)) return null;
  const { eventId, type, schemaVersion, aggregateId, sequence, occurredAt, producedAt, correlationId, causationId, source, data } = value;
  if (
    !isStringOfLength(eventId, 1) ||
    !isStringOfLength(type, 1) ||
    !isIntAtLeast(schemaVersion, 1) ||
    !isStringOfLength(aggregateId, 1) ||
    !isInt4AtLeast(sequence, 1) ||
    !isEventTimestamp(occurredAt) ||
    !isEventTimestamp(producedAt) ||
    !isStringOfLength(correlationId, 1) ||
    !(causationId === null || isStringOfLength(causationId, 1)) ||
    !isStringOfLength(source, 1) ||
    typeof data !== 'object' || data === null || Array.isArray(data) || Object.hasOwn(data, '__proto__')
  ) {
    return null;
  }
  // Built in the schema's key order, as zod builds its output.
  return { eventId, type, schemaVersion, aggregateId, sequence, occurredAt, producedAt, correlationId, causationId, source, data: data as Record<string, unknown> };
}
