import type { z } from 'zod';
import type { LogRecord } from '../../../platform/eventLog/index.js';
import { describeIssues, envelopeSchema } from '../../../platform/events/index.js';
import type { DecodeResult, StatelessDecoder } from '../../../platform/projection/index.js';
import { QuarantineReasonCode } from '../../../platform/projection/index.js';
import type { OrderEvent } from './OrderEvent.js';
import { ORDERS_EVENTS_TOPIC } from './OrderEvent.js';
import { orderEventDataSchemas } from './orderEventSchemas.js';

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

export const orderEventsDecoder: StatelessDecoder<OrderEvent> = { kind: 'stateless', topic: ORDERS_EVENTS_TOPIC, decode: decodeOrderRecord };
