import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { LogRecord } from '../../../platform/eventLog/index.js';
import { describeIssues, epochMsSchema } from '../../../platform/events/index.js';
import type { DecodeResult, StatefulDecoder } from '../../../platform/projection/index.js';
import { QuarantineReasonCode } from '../../../platform/projection/index.js';
import type { FulfillmentEvent, OrderReleasedToWarehouse } from '../events/FulfillmentEvent.js';

/** The old order-management system's change stream (Debezium-style). See LEGACY_OMS_STATUS_4.md beside this file. */
export const LEGACY_OMS_CDC_TOPIC = 'legacy.oms.cdc';
export const LEGACY_OMS_SOURCE = 'legacy-oms';
/** `ORDERS.STATUS_CD` 4: released to warehouse. The only legacy code that is a fulfillment fact. */
export const LEGACY_STATUS_RELEASED_TO_WAREHOUSE = 4;

// Only what the translation reads: the change's shape and, of an ORDERS row, its id, status and
// time. Personal columns (EMAIL, SHIP_*, CUST_ID) are never parsed, so never copied anywhere.
const changeSchema = z.object({
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  op: z.enum(['c', 'u', 'd', 'r']),
  ts_ms: epochMsSchema,
  source: z.object({ db: z.string(), table: z.enum(['ORDERS', 'ORDER_LINES']), lsn: z.number().int(), txId: z.number().int() }),
});
const ordersRowSchema = z.object({ ORDER_ID: z.string().min(1), STATUS_CD: z.number().int(), UPD_TS: epochMsSchema });
const keySchema = z.object({ ORDER_ID: z.string().min(1) });

/** What the translator remembers of a released order (nothing of one not released), stored by the engine with the projection. */
export interface LegacyOrderRelease {
  /** Event time of the release (the row's `UPD_TS`), ISO. */
  releasedAt: string;
  /** The change that released it. */
  lsn: number;
  txId: number;
}

type Decoded = { result: DecodeResult<FulfillmentEvent>; state: LegacyOrderRelease | undefined };

const INVALID_KEY = 'invalid-key:';

function orderIdOfKey(record: LogRecord): string | null {
  try {
    const parsed = keySchema.safeParse(JSON.parse(record.key?.toString('utf8') ?? ''));
    return parsed.success ? parsed.data.ORDER_ID : null;
  } catch {
    return null;
  }
}

/**
 * Derived from the change's position in the legacy database (LSN and transaction) and the order,
 * not from the log offset: a replay, a rebuild or a redelivery of the change at another offset
 * yields the same id, so the engine recognises it as the same event.
 */
export function releaseEventId(orderId: string, lsn: number, txId: number): string {
  const h = createHash('sha1').update(`${LEGACY_OMS_CDC_TOPIC}/OrderReleasedToWarehouse/${orderId}/${lsn}/${txId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/**
 * The fulfillment context's anti-corruption translation of the legacy OMS: the first time an
 * order's ORDERS row reaches `STATUS_CD` 4 it becomes `OrderReleasedToWarehouse` (event time
 * `UPD_TS`); everything else on the topic is the orders context's concern, or nobody's, and is
 * ignored with its reason. State per ORDER_ID: whether (and when) the order was released.
 */
export const legacyOmsReleaseTranslator: StatefulDecoder<FulfillmentEvent, LegacyOrderRelease> = {
  kind: 'stateful',
  topic: LEGACY_OMS_CDC_TOPIC,
  stateKey(record) {
    // An unparseable key still needs a state slot; decode() rejects the record.
    return orderIdOfKey(record) ?? `${INVALID_KEY}${record.key?.toString('utf8') ?? ''}`;
  },
  decode(record, state): Decoded {
    const ignored = (reason: string): Decoded => ({ result: { kind: 'ignored', reason }, state });
    const rejected = (code: QuarantineReasonCode, reason: string): Decoded => ({ result: { kind: 'rejected', rejection: { code, reason } }, state });
    if (record.value === null) return ignored('tombstone after a legacy delete: not a fulfillment fact');

    let body: unknown;
    try {
      body = JSON.parse(record.value.toString('utf8'));
    } catch {
      // Not even the parser's message: V8 quotes the input, and legacy rows carry EMAIL and SHIP_*.
      return rejected(QuarantineReasonCode.MalformedJson, `CDC value is not valid JSON (${record.value.length} bytes); expected a Debezium-style change {before, after, op, ts_ms, source}`);
    }
    const parsed = changeSchema.safeParse(body);
    if (!parsed.success) return rejected(QuarantineReasonCode.InvalidEnvelope, `CDC record does not match the Debezium-style contract: ${describeIssues(parsed.error)}`);
    const change = parsed.data;
    const orderId = orderIdOfKey(record);
    if (orderId === null) return rejected(QuarantineReasonCode.KeyMismatch, `CDC key must be {"ORDER_ID": "<id>"}; received ${JSON.stringify(record.key?.toString('utf8') ?? null)}`);

    if (change.source.table !== 'ORDERS') return ignored(`${change.source.table} change: order lines are not a fulfillment fact (a shipment states its own lines)`);
    if (change.op === 'd') return ignored('legacy delete of an ORDERS row: not a fulfillment fact');
    if (change.after === null) return rejected(QuarantineReasonCode.InvalidEnvelope, `CDC op "${change.op}" on ORDERS must carry an after row; received after: null`);
    const row = ordersRowSchema.safeParse(change.after);
    if (!row.success) return rejected(QuarantineReasonCode.InvalidPayload, `ORDERS after row is invalid: ${describeIssues(row.error)}`);
    const { ORDER_ID, STATUS_CD, UPD_TS } = row.data;
    if (ORDER_ID !== orderId) return rejected(QuarantineReasonCode.KeyMismatch, `row ORDER_ID ${JSON.stringify(ORDER_ID)} differs from the message key's ${JSON.stringify(orderId)}`);

    if (STATUS_CD !== LEGACY_STATUS_RELEASED_TO_WAREHOUSE) return ignored(`STATUS_CD ${STATUS_CD} is not a fulfillment fact (only 4, released to warehouse, is)`);
    if (state) return ignored(`${orderId} was already released to the warehouse at ${state.releasedAt} (LSN ${state.lsn}); STATUS_CD 4 again is not a new fact`);

    const releasedAt = new Date(UPD_TS).toISOString();
    const event: OrderReleasedToWarehouse = {
      eventId: releaseEventId(orderId, change.source.lsn, change.source.txId),
      type: 'OrderReleasedToWarehouse',
      schemaVersion: 1,
      aggregateId: orderId,
      // The order's release is an aggregate of its own, with this one event.
      sequence: 1,
      occurredAt: releasedAt,
      producedAt: new Date(change.ts_ms).toISOString(),
      correlationId: orderId,
      causationId: null,
      source: LEGACY_OMS_SOURCE,
      data: { orderId },
    };
    return { result: { kind: 'events', events: [event] }, state: { releasedAt, lsn: change.source.lsn, txId: change.source.txId } };
  },
};
