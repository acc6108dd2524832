import { hash } from 'node:crypto';
import type { LogRecord } from '../../../platform/eventLog/index.js';
import { describeIssues, moneyToCents } from '../../../platform/events/index.js';
import type { DecodeResult, Rejection, StatefulDecoder } from '../../../platform/projection/index.js';
import { QuarantineReasonCode } from '../../../platform/projection/index.js';
import type { CancellationReason, OrderCancelled, OrderConfirmed, OrderEvent, OrderLinePlaced, OrderPlaced, SalesChannel } from '../events/OrderEvent.js';
import type { AcceptedChange, LegacyChange, LinesRow, OrdersRow } from './legacyOmsCdcSchemas.js';
import { acceptLegacyChange, changeSchema, linesRow, ordersRow } from './legacyOmsCdcSchemas.js';

/** The old order-management system's change stream (Debezium-style). See LEGACY_OMS_CODES.md beside this file. */
export const LEGACY_OMS_CDC_TOPIC = 'legacy.oms.cdc';
export const LEGACY_OMS_SOURCE = 'legacy-oms';

/** STATUS_CD → meaning. Only 1, 2 and 9 are orders facts; 4 and 7 belong to other concerns. */
export const LEGACY_STATUS = { ENTERED: 1, CONFIRMED: 2, RELEASED_TO_WAREHOUSE: 4, ON_HOLD_FOR_REVIEW: 7, CANCELLED: 9 } as const;
const KNOWN_STATUS_CODES: ReadonlySet<number> = new Set(Object.values(LEGACY_STATUS));
const CHANNELS: Record<string, SalesChannel> = { W: 'web', S: 'store', M: 'marketplace' };
const CANCEL_REASONS: Record<string, CancellationReason> = { CUST: 'customer_request', FRD: 'fraud', OOS: 'out_of_stock', PAY: 'payment_failed' };


/** What the translator remembers per legacy order, stored by the engine with the projection. */
export interface LegacyOrderTranslation {
  /** Sequence the next emitted event gets: the legacy order's history, numbered like the domain's. */
  nextSequence: number;
  placed: boolean;
  lifecycle: 'entered' | 'confirmed' | 'cancelled';
  /** Highest LSN translated: a redelivered change (same LSN) is recognised and ignored. */
  lastLsn: number;
  /** Before placement: the header and lines seen so far of the entering transaction. */
  pending: { txId: number; header: OrdersRow | null; lines: Record<string, LinesRow> } | null;
}

const rejected = (code: QuarantineReasonCode, reason: string): DecodeResult<OrderEvent> => ({ kind: 'rejected', rejection: { code, reason } satisfies Rejection });
const ignored = (reason: string): DecodeResult<OrderEvent> => ({ kind: 'ignored', reason });

/** Event ids derived from the record's log position: a replay or a rebuild yields the same ids. */
function derivedEventId(record: LogRecord, index: number): string {
  const h = hash('sha1', `${record.topic}/${record.partition}/${record.offset}/${index}`, 'hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/**
 * Anti-corruption layer: translates the legacy OMS change stream into the orders context's own
 * domain events, so that an order entered in the old system ends with the same projection as the
 * same history published as domain events. A header and its lines arrive as several records of
 * one transaction; OrderPlaced is emitted once the lines add up to TOTAL_AMT (or the next
 * transaction of the order begins).
 */
export const legacyOmsCdcTranslator: StatefulDecoder<OrderEvent, LegacyOrderTranslation> = {
  kind: 'stateful',
  topic: LEGACY_OMS_CDC_TOPIC,
  // Its events and state hold the rows' strings whole, the key's ORDER_ID, and ASCII it makes
  // (ids, ISO times, codes, `legacy-oms:` + ORDER_ID): storable whenever the record's bytes are.
  textFromRecord: true,
  stateKey(record) {
    const key = record.key?.toString('utf8') ?? '';
    try {
      const parsed: unknown = JSON.parse(key);
      if (parsed && typeof parsed === 'object' && typeof (parsed as { ORDER_ID?: unknown }).ORDER_ID === 'string') return (parsed as { ORDER_ID: string }).ORDER_ID;
    } catch {
      // fall through: an unparseable key still needs a state slot; decode() rejects the record.
    }
    return `invalid-key:${key}`;
  },
  decode(record, previous, stateKey) {
    const state: LegacyOrderTranslation = previous ? copyTranslation(previous) : { nextSequence: 1, placed: false, lifecycle: 'entered', lastLsn: -1, pending: null };
    const keep = (result: DecodeResult<OrderEvent>) => ({ result, state: previous });
    if (record.value === null) return keep(ignored('tombstone after a legacy delete: nothing to translate'));

    let body: unknown;
    try {
      body = JSON.parse(record.value.toString('utf8'));
    } catch (error) {
      return keep(rejected(QuarantineReasonCode.MalformedJson, `CDC value is not JSON (${(error as Error).message})`));
    }
    // Valid records take the fast path; any other is decided (and explained) by zod, check by check.
    const accepted = acceptLegacyChange(body);
    let c: AcceptedChange['change'];
    if (accepted) c = accepted.change;
    else {
      const parsed = changeSchema.safeParse(body);
      if (!parsed.success) return keep(rejected(QuarantineReasonCode.InvalidEnvelope, `CDC record does not match the Debezium-style contract: ${describeIssues(parsed.error)}`));
      c = parsed.data;
    }
    const orderId = stateKey ?? this.stateKey(record);
    if (orderId.startsWith('invalid-key:')) return keep(rejected(QuarantineReasonCode.KeyMismatch, `CDC key must be {"ORDER_ID": "<id>"}; received ${JSON.stringify(record.key?.toString('utf8') ?? null)}`));
    if (c.source.lsn <= state.lastLsn) return keep(ignored(`change at LSN ${c.source.lsn} was already translated (last LSN ${state.lastLsn})`));
    state.lastLsn = c.source.lsn;

    let afterRow: OrdersRow | LinesRow | undefined;
    let beforeRow: OrdersRow | LinesRow | undefined;
    if (accepted) {
      afterRow = accepted.after ?? undefined;
      beforeRow = accepted.before ?? undefined;
    } else {
      const rowSchema = c.source.table === 'ORDERS' ? ordersRow : linesRow;
      const before = c.before === null ? null : rowSchema.safeParse(c.before);
      const after = c.after === null ? null : rowSchema.safeParse(c.after);
      for (const [name, row] of [['before', before], ['after', after]] as const) {
        if (row && !row.success) return keep(rejected(QuarantineReasonCode.InvalidPayload, `${c.source.table} ${name} row is invalid: ${describeIssues(row.error)}`));
      }
      afterRow = after?.data;
      beforeRow = before?.data;
    }
    if ((afterRow ?? beforeRow)?.ORDER_ID !== orderId) return keep(rejected(QuarantineReasonCode.KeyMismatch, `row ORDER_ID ${JSON.stringify((afterRow ?? beforeRow)?.ORDER_ID)} differs from the message key ${JSON.stringify(orderId)}`));

    const events: OrderEvent[] = [];
    const t: Translation = { record, change: c, orderId, state, events };
    let problem: Rejection | null = null;
    if (!state.placed) {
      // A new transaction while the entering one is still open closes it, if it can be placed.
      if (state.pending && state.pending.txId !== c.source.txId && state.pending.header && Object.keys(state.pending.lines).length > 0) problem = place(t);
    }
    if (!problem && !state.placed) {
      state.pending ??= { txId: c.source.txId, header: null, lines: {} };
      state.pending.txId = c.source.txId;
      if (c.source.table === 'ORDERS') {
        if (c.op === 'd') return keep(ignored('legacy purge of an ORDERS row that never completed entry'));
        state.pending.header = afterRow as OrdersRow;
      } else {
        const row = (afterRow ?? beforeRow) as LinesRow;
        if (c.op === 'd' || row.QTY === 0) delete state.pending.lines[String(row.LINE_NO)];
        else state.pending.lines[String(row.LINE_NO)] = row;
      }
      if (linesAddUp(state)) problem = place(t);
    } else if (!problem && c.source.table === 'ORDERS') {
      if (c.op === 'd') return { result: ignored('legacy purge of an ORDERS row is not an orders fact'), state };
      const a = afterRow as OrdersRow;
      if ((beforeRow as OrdersRow | undefined)?.STATUS_CD !== a.STATUS_CD) problem = statusFacts(t, a);
    } else if (!problem) {
      const a = afterRow as LinesRow | undefined;
      const b = beforeRow as LinesRow | undefined;
      if (c.op === 'c' || c.op === 'r') {
        if (c.op === 'c') problem = { code: QuarantineReasonCode.Untranslatable, reason: `line ${(a ?? b)!.LINE_NO} added to ${orderId} after entry: the orders context has no event for an added line` };
      } else if (c.op === 'd' && b) {
        emit(t, 'OrderLineAmended', c.ts_ms, { lineId: String(b.LINE_NO), quantity: 0, unitPrice: b.UNIT_PRICE });
      } else if (a) {
        // Every line update is an amendment, even one that re-sets the same values: the legacy
        // user amended the line, and the domain producer publishes that too.
        emit(t, 'OrderLineAmended', c.ts_ms, { lineId: String(a.LINE_NO), quantity: a.QTY, unitPrice: a.UNIT_PRICE });
      }
    }
    if (problem) return keep(rejected(problem.code, problem.reason));
    if (events.length === 0) return { result: ignored(describeNoFact(c.source.table, beforeRow, afterRow)), state };
    return { result: { kind: 'events', events }, state };
  },
};

/** One record's translation under way: what the stages below read and add to. */
interface Translation {
  record: LogRecord;
  change: LegacyChange;
  orderId: string;
  /** The copy decode() works on (copyTranslation). */
  state: LegacyOrderTranslation;
  events: OrderEvent[];
}

/** Adds the next event of the order: its id from the log position, its sequence from the state. */
function emit<T extends OrderEvent>(t: Translation, type: T['type'], occurredAtMs: number, data: T['data']): void {
  t.events.push({
    eventId: derivedEventId(t.record, t.events.length),
    type,
    schemaVersion: 1,
    aggregateId: t.orderId,
    sequence: t.state.nextSequence++,
    occurredAt: new Date(occurredAtMs).toISOString(),
    producedAt: new Date(t.change.ts_ms).toISOString(),
    correlationId: `${LEGACY_OMS_SOURCE}:${t.orderId}`,
    causationId: null,
    source: LEGACY_OMS_SOURCE,
    data,
  } as OrderEvent);
}

/** The orders facts of a header's STATUS_CD: confirmed once, cancelled with a known reason. */
function statusFacts(t: Translation, header: OrdersRow): Rejection | null {
  const { state } = t;
  if (header.STATUS_CD === LEGACY_STATUS.CONFIRMED && state.lifecycle === 'entered') {
    emit<OrderConfirmed>(t, 'OrderConfirmed', header.UPD_TS, {});
    state.lifecycle = 'confirmed';
  } else if (header.STATUS_CD === LEGACY_STATUS.CANCELLED && state.lifecycle !== 'cancelled') {
    const reason = header.CANCEL_RSN === null ? undefined : CANCEL_REASONS[header.CANCEL_RSN];
    if (!reason) return { code: QuarantineReasonCode.Untranslatable, reason: `STATUS_CD 9 (cancelled) with CANCEL_RSN ${JSON.stringify(header.CANCEL_RSN)}; known: ${Object.keys(CANCEL_REASONS).join(', ')}` };
    emit<OrderCancelled>(t, 'OrderCancelled', header.UPD_TS, { reason });
    state.lifecycle = 'cancelled';
  } else if (!KNOWN_STATUS_CODES.has(header.STATUS_CD)) {
    return { code: QuarantineReasonCode.Untranslatable, reason: `STATUS_CD ${header.STATUS_CD} has no known meaning (known: 1 entered, 2 confirmed, 4 released, 7 on hold, 9 cancelled)` };
  }
  return null;
}

/** OrderPlaced from the pending header and lines, then the header's status facts. */
function place(t: Translation): Rejection | null {
  const { state } = t;
  const pending = state.pending!;
  const header = pending.header!;
  const channel = CHANNELS[header.CHANNEL_CD];
  if (!channel) return { code: QuarantineReasonCode.Untranslatable, reason: `CHANNEL_CD ${JSON.stringify(header.CHANNEL_CD)} is unknown (W web, S store, M marketplace)` };
  const lines: OrderLinePlaced[] = Object.values(pending.lines)
    .sort((a, b) => a.LINE_NO - b.LINE_NO)
    .map((l) => ({ lineId: String(l.LINE_NO), sku: l.SKU, quantity: l.QTY, unitPrice: l.UNIT_PRICE }));
  emit<OrderPlaced>(t, 'OrderPlaced', header.UPD_TS, {
    customerId: header.CUST_ID,
    channel,
    currency: header.CURRENCY,
    lines,
    customerEmail: header.EMAIL,
    shippingAddress: { line1: header.SHIP_LINE1, city: header.SHIP_CITY, postalCode: header.SHIP_ZIP, country: header.SHIP_CTRY },
  });
  state.placed = true;
  state.pending = null;
  return statusFacts(t, header);
}

/** Whether the pending lines add up to the header's TOTAL_AMT: entry is then complete. */
function linesAddUp(state: LegacyOrderTranslation): boolean {
  const p = state.pending;
  if (!p?.header || Object.keys(p.lines).length === 0) return false;
  return Object.values(p.lines).reduce((s, l) => s + l.QTY * moneyToCents(l.UNIT_PRICE), 0) === moneyToCents(p.header.TOTAL_AMT);
}

/**
 * A copy of the state that decode() may change while `previous` stays as it was (a rejected
 * record returns it). Only the containers are copied: decode() replaces rows, never edits one.
 */
function copyTranslation(previous: LegacyOrderTranslation): LegacyOrderTranslation {
  const { pending } = previous;
  return { ...previous, pending: pending && { ...pending, lines: { ...pending.lines } } };
}

function describeNoFact(table: string, before: unknown, after: unknown): string {
  const status = (after as OrdersRow | undefined)?.STATUS_CD;
  if (table === 'ORDERS' && status === LEGACY_STATUS.RELEASED_TO_WAREHOUSE) return 'STATUS_CD 4 (released to warehouse) is a fulfillment concern, not an orders fact';
  if (table === 'ORDERS' && status === LEGACY_STATUS.ON_HOLD_FOR_REVIEW) return 'STATUS_CD 7 (on hold for review) is not an orders fact';
  if (before === undefined) return `${table} row of an order still being entered`;
  return `${table} change without an orders fact (derived columns only)`;
}
