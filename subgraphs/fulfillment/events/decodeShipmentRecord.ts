import type { z } from 'zod';
import type { LogRecord } from '../../../platform/eventLog/index.js';
import { envelopeSchema } from '../../../platform/events/index.js';
import type { DecodeResult, StatelessDecoder } from '../../../platform/projection/index.js';
import { QuarantineReasonCode } from '../../../platform/projection/index.js';
import type { FulfillmentEvent, ShipmentEvent } from './FulfillmentEvent.js';
import { FULFILLMENT_EVENTS_TOPIC } from './FulfillmentEvent.js';
import { isPersonalPath, shipmentEventDataSchemas } from './shipmentEventDataSchemas.js';

const reject = (code: QuarantineReasonCode, reason: string): DecodeResult<ShipmentEvent> => ({ kind: 'rejected', rejection: { code, reason } });

/** How much of a value that is not JSON a reason quotes: the start, and never past `"data"` (where personal data lives). */
const QUOTED_PREFIX = 80;

/** One line per problem with its path, and the received value unless `hidden` says the path may hold personal data, or it is long. */
export function describeIssuesSafely(error: z.ZodError, hidden: (path: readonly PropertyKey[]) => boolean): string {
  return error.issues
    .map((issue) => {
      const where = `${issue.path.join('.') || '(root)'}: ${issue.message}`;
      const input: unknown = issue.input;
      const scalar = typeof input === 'number' || typeof input === 'boolean' || (typeof input === 'string' && input.length <= 60);
      return scalar && !hidden(issue.path) ? `${where} (received ${JSON.stringify(input)})` : where;
    })
    .join('; ');
}

/** V8 quotes the input in its JSON error messages; the reason quotes only what is safe to show. */
const jsonError = (error: unknown) => (error instanceof Error ? error.message.replace(/, ".*" is not valid JSON$/s, '') : String(error));

function quotedPrefix(text: string): string {
  const data = text.indexOf('"data"');
  return JSON.stringify(text.slice(0, Math.min(QUOTED_PREFIX, data === -1 ? QUOTED_PREFIX : data)));
}

/**
 * Parses and validates one `fulfillment.events.v1` record. Anything off the producer contract is
 * rejected with the rule it breaks and what was received (personal data excepted: `shipTo`, `signedBy`).
 */
export function decodeShipmentRecord(record: LogRecord): DecodeResult<ShipmentEvent> {
  if (record.value === null) return reject(QuarantineReasonCode.MalformedJson, 'tombstone (null value) on a domain-event topic; expected a JSON event envelope');
  let parsed: unknown;
  const text = record.value.toString('utf8');
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return reject(QuarantineReasonCode.MalformedJson, `value is not JSON (${jsonError(error)}); expected a JSON event envelope; received ${text.length} characters starting ${quotedPrefix(text)}`);
  }
  const envelope = envelopeSchema.safeParse(parsed, { reportInput: true });
  if (!envelope.success) return reject(QuarantineReasonCode.InvalidEnvelope, `envelope does not match the producer contract: ${describeIssuesSafely(envelope.error, (path) => path[0] === 'data')}`);
  const { type, schemaVersion, aggregateId } = envelope.data;
  const key = record.key?.toString('utf8') ?? null;
  if (key !== aggregateId) return reject(QuarantineReasonCode.KeyMismatch, `message key ${JSON.stringify(key)} must equal aggregateId ${JSON.stringify(aggregateId)}`);
  if (!Object.hasOwn(shipmentEventDataSchemas, type)) {
    return reject(QuarantineReasonCode.UnknownEventType, `unknown event type ${JSON.stringify(type)}; ${FULFILLMENT_EVENTS_TOPIC} carries ${Object.keys(shipmentEventDataSchemas).join(', ')}`);
  }
  const versions: Record<number, z.ZodType> = shipmentEventDataSchemas[type as keyof typeof shipmentEventDataSchemas];
  const schema = versions[schemaVersion];
  if (!schema) return reject(QuarantineReasonCode.UnknownEventType, `${type} schemaVersion ${schemaVersion} is not supported (known: ${Object.keys(versions).join(', ')})`);
  const data = schema.safeParse(envelope.data.data, { reportInput: true });
  if (!data.success) return reject(QuarantineReasonCode.InvalidPayload, `${type} v${schemaVersion} data is invalid: ${describeIssuesSafely(data.error, isPersonalPath)}`);
  return { kind: 'events', events: [{ ...envelope.data, data: data.data } as ShipmentEvent] };
}

/** The stateless decoder of the warehouses' topic, as the engine runs it. */
export const shipmentEventsDecoder: StatelessDecoder<FulfillmentEvent> = { kind: 'stateless', topic: FULFILLMENT_EVENTS_TOPIC, decode: decodeShipmentRecord };
