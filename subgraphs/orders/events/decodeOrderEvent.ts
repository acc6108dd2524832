import type { z } from 'zod';
import type { LogRecord } from '../../../platform/eventLog/index.js';
import { acceptEnvelope, describeIssues, envelopeSchema } from '../../../platform/events/index.js';
import type { DecodeResult, StatelessDecoder } from '../../../platform/projection/index.js';
import { QuarantineReasonCode } from '../../../platform/projection/index.js';
import type { OrderEvent } from './OrderEvent.js';
import { ORDERS_EVENTS_TOPIC } from './OrderEvent.js';
import { orderEventDataAcceptors, orderEventDataSchemas } from './orderEventSchemas.js';

const reject = (code: QuarantineReasonCode, reason: string): DecodeResult<OrderEvent> => ({ kind: 'rejected', rejection: { code, reason } });

/** Parses and validates one `orders.events.v1` record. Anything off the producer contract is rejected with its reason. */
export function decodeOrderRecord(record: LogRecord): DecodeResult<OrderEvent> {
  if (record.value === null) return reject(QuarantineReasonCode.MalformedJson, 'tombstone (null value) on a domain-event topic; expected a JSON event envelope');
  let parsed: unknown;
  const text = record.value.toString('utf8');
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return reject(QuarantineReasonCode.MalformedJson, `value is not JSON (${(error as Error).message}); received: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return acceptOrderEvent(record, parsed) ?? explainOrderEvent(record, parsed);
}

/**
 * The fast path: an event that the zod path below would accept, with the same output, or null.
 * Most records are valid, and zod's generality cost more than JSON.parse did.
 */
export function acceptOrderEvent(record: LogRecord, parsed: unknown): DecodeResult<OrderEvent> | null {
  const envelope = acceptEnvelope(parsed);
  if (!envelope) return null;
  const versions: Readonly<Record<number, (data: unknown) => boolean>> | undefined = Object.hasOwn(orderEventDataAcceptors, envelope.type) ? orderEventDataAcceptors[envelope.type as keyof typeof orderEventDataAcceptors] : undefined;
  if (!versions?.[envelope.schemaVersion]?.(envelope.data)) return null;
  const key = record.key?.toString('utf8') ?? null;
  if (key !== envelope.aggregateId) return null;
  return { kind: 'events', events: [envelope as OrderEvent] };
}

/** The zod path: decides every record the fast path declined, and says what is wrong. */
export function explainOrderEvent(record: LogRecord, parsed: unknown): DecodeResult<OrderEvent> {
  const envelope = envelopeSchema.safeParse(parsed);
  if (!envelope.success) return reject(QuarantineReasonCode.InvalidEnvelope, `envelope does not match the producer contract: ${describeIssues(envelope.error)}`);
  const { type, schemaVersion, aggregateId } = envelope.data;
  const key = record.key?.toString('utf8') ?? null;
  if (key !== aggregateId) return reject(QuarantineReasonCode.KeyMismatch, `message key ${JSON.stringify(key)} must equal aggregateId ${JSON.stringify(aggregateId)}`);
  if (!Object.hasOwn(orderEventDataSchemas, type)) {
    return reject(QuarantineReasonCode.UnknownEventType, `unknown event type ${JSON.stringify(type)}; ${ORDERS_EVENTS_TOPIC} carries ${Object.keys(orderEventDataSchemas).join(', ')}`);
  }
  const versions: Record<number, z.ZodType> = orderEventDataSchemas[type as keyof typeof orderEventDataSchemas];
  const schema = versions[schemaVersion];
  if (!schema) return reject(QuarantineReasonCode.UnknownEventType, `${type} schemaVersion ${schemaVersion} is not supported (known: ${Object.keys(versions).join(', ')})`);
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) return reject(QuarantineReasonCode.InvalidPayload, `${type} v${schemaVersion} data is invalid: ${describeIssues(data.error)}`);
  return { kind: 'events', events: [{ ...envelope.data, data: data.data } as OrderEvent] };
}

/** Events are the record's JSON as parsed, so their text is the record's (`textFromRecord`). */
export const orderEventsDecoder: StatelessDecoder<OrderEvent> = { kind: 'stateless', topic: ORDERS_EVENTS_TOPIC, textFromRecord: true, decode: decodeOrderRecord };
