import type { z } from 'zod';
import type { LogRecord } from '../../../platform/eventLog/index.js';
import { envelopeSchema } from '../../../platform/events/index.js';
import type { DecodeResult, StatelessDecoder } from '../../../platform/projection/index.js';
import { QuarantineReasonCode } from '../../../platform/projection/index.js';
import type { PaymentEvent } from './PaymentEvent.js';
import { PAYMENT_EVENT_TYPES, PAYMENTS_EVENTS_TOPIC } from './PaymentEvent.js';
import { paymentEventDataSchemas } from './paymentEventSchemas.js';
import { PAYMENT_SAFE_PATHS } from './paymentSafePaths.js';

/** Paths whose received value a reason may quote (see PAYMENT_SAFE_PATHS). */
const QUOTABLE_PATHS: ReadonlySet<string> = new Set(PAYMENT_SAFE_PATHS);
/** How much of a received value a reason quotes. */
const QUOTE_LIMIT = 40;
/** How much of the head of a value that is not JSON a reason quotes (only the envelope's, never `data`). */
const HEAD_LIMIT = 60;

const reject = (code: QuarantineReasonCode, reason: string): DecodeResult<PaymentEvent> => ({ kind: 'rejected', rejection: { code, reason } });

function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let value = document;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** One clause per problem, with its path, and what was received where quoting it is safe. */
function describeIssues(error: z.ZodError, document: unknown, prefix: readonly string[] = []): string {
  return error.issues
    .map((issue) => {
      const path = [...prefix, ...issue.path.map(String)];
      const name = path.join('.') || '(root)';
      const received = QUOTABLE_PATHS.has(name) ? valueAt(document, issue.path) : undefined;
      const quoted = received === undefined ? '' : ` (received ${JSON.stringify(received)?.slice(0, QUOTE_LIMIT)})`;
      return `${name}: ${issue.message}${quoted}`;
    })
    .join('; ');
}

/**
 * What a reason may say about bytes that are not JSON: the parser's complaint without its snippet
 * (V8 quotes the text around the error, which may be a card holder's name), the length, and the
 * head of what looks like an envelope up to its `data`.
 */
function describeNotJson(text: string, error: Error): string {
  const complaint = error.message.split('"')[0]!.replace(/[\s,]+$/, '');
  const dataAt = text.indexOf('"data"');
  const head = text.trimStart().startsWith('{') ? text.slice(0, Math.min(HEAD_LIMIT, dataAt === -1 ? HEAD_LIMIT : dataAt)) : '';
  return `value is not JSON (${complaint}); expected a JSON event envelope, received ${Buffer.byteLength(text)} bytes${head ? ` beginning ${JSON.stringify(head)}` : ''}`;
}

/** Parses and validates one `payments.events.v1` record. Anything off the producer contract is rejected with its reason. */
export function decodePaymentRecord(record: LogRecord): DecodeResult<PaymentEvent> {
  if (record.value === null) return reject(QuarantineReasonCode.MalformedJson, 'tombstone (null value) on a domain-event topic; expected a JSON event envelope');
  const text = record.value.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return reject(QuarantineReasonCode.MalformedJson, describeNotJson(text, error as Error));
  }
  const envelope = envelopeSchema.safeParse(parsed);
  if (!envelope.success) return reject(QuarantineReasonCode.InvalidEnvelope, `envelope does not match the producer contract: ${describeIssues(envelope.error, parsed)}`);
  const { type, schemaVersion, aggregateId, sequence } = envelope.data;
  const key = record.key?.toString('utf8') ?? null;
  if (key !== aggregateId) return reject(QuarantineReasonCode.KeyMismatch, `message key ${JSON.stringify(key)} must equal aggregateId ${JSON.stringify(aggregateId)}`);
  if (!Object.hasOwn(paymentEventDataSchemas, type)) {
    return reject(QuarantineReasonCode.UnknownEventType, `unknown event type ${JSON.stringify(type)}; ${PAYMENTS_EVENTS_TOPIC} carries ${PAYMENT_EVENT_TYPES.join(', ')}`);
  }
  const versions: Record<number, z.ZodType> = paymentEventDataSchemas[type as keyof typeof paymentEventDataSchemas];
  const schema = versions[schemaVersion];
  if (!schema) return reject(QuarantineReasonCode.UnknownEventType, `${type} schemaVersion ${schemaVersion} is not supported (known: ${Object.keys(versions).join(', ')})`);
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) return reject(QuarantineReasonCode.InvalidPayload, `${type} v${schemaVersion} data is invalid: ${describeIssues(data.error, envelope.data.data, ['data'])}`);
  const event = { ...envelope.data, data: data.data } as PaymentEvent;
  if (event.type === 'PaymentFailed' && sequence === 1 && event.data.orderId === undefined) {
    return reject(QuarantineReasonCode.InvalidPayload, `PaymentFailed v${schemaVersion} data is invalid: as a payment's first event (sequence 1, declined at once) it carries orderId, amount and currency; received only failureCode ${JSON.stringify(event.data.failureCode)}`);
  }
  return { kind: 'events', events: [event] };
}

export const paymentEventsDecoder: StatelessDecoder<PaymentEvent> = { kind: 'stateless', topic: PAYMENTS_EVENTS_TOPIC, decode: decodePaymentRecord };
