import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../platform/eventLog/index.js';
import type { DecodeResult } from '../../../platform/projection/index.js';
import { createPrng } from '../../../platform/simulator/index.js';
import type { SimulatedRecord } from '../../../platform/simulator/index.js';
import type { OrderHistory } from '../../orders/index.js';
import { poisonOrderRecord, renderLegacyCdc } from '../../orders/index.js';
import type { FulfillmentEvent } from '../events/FulfillmentEvent.js';
import { logRecord } from '../testing/shipmentEvents.js';
import type { LegacyOrderRelease } from './legacyOmsReleaseTranslator.js';
import { LEGACY_OMS_CDC_TOPIC, legacyOmsReleaseTranslator } from './legacyOmsReleaseTranslator.js';

const T0 = Date.UTC(2026, 0, 1, 9);
const minutes = (n: number) => T0 + n * 60_000;

/** An order entered in the legacy OMS, confirmed, put on hold, confirmed again, released, then cancelled. */
const history: OrderHistory = {
  orderId: 'ord-000042',
  customerId: 'cus-00007',
  channel: 'store',
  currency: 'EUR',
  customerEmail: 'customer7@example.com',
  shippingAddress: { line1: '3 Quai Saint-Antoine', city: 'Lyon', postalCode: '69002', country: 'FR' },
  lines: [{ lineId: '1', sku: 'SKU-KETTLE-01', quantity: 1, unitPrice: '49.90' }, { lineId: '2', sku: 'SKU-TEA-03', quantity: 3, unitPrice: '6.50' }],
  placedAt: T0,
  steps: [
    { kind: 'amend', at: minutes(1), lineId: '2', quantity: 0, unitPrice: '6.50' },
    { kind: 'hold', at: minutes(2) },
    { kind: 'confirm', at: minutes(3) },
    { kind: 'release', at: minutes(4) },
    { kind: 'cancel', at: minutes(5), reason: 'customer_request' },
  ],
};

const toLog = (records: readonly SimulatedRecord[]): LogRecord[] => records.map((r, offset) => logRecord(r.topic, r.key, r.value, offset));

/** Given records in order, when translated with the carried state, then these results (and the state left). */
function translate(records: readonly LogRecord[], initial?: LegacyOrderRelease) {
  let state = initial;
  const results = records.map((record) => {
    const decoded = legacyOmsReleaseTranslator.decode(record, state);
    state = decoded.state;
    return decoded.result;
  });
  return { results, state };
}
const eventsOf = (results: Array<DecodeResult<FulfillmentEvent>>) => results.flatMap((r) => (r.kind === 'events' ? r.events : []));

const ordersRow = (status: number, updTs: number) => ({ ORDER_ID: 'ord-9', CUST_ID: 'cus-1', STATUS_CD: status, CHANNEL_CD: 'W', CURRENCY: 'EUR', TOTAL_AMT: '10.00', EMAIL: 'a@example.com', SHIP_LINE1: '1 Main St', SHIP_CITY: 'Lyon', SHIP_ZIP: '69001', SHIP_CTRY: 'FR', CANCEL_RSN: null, UPD_TS: updTs });
let lsn = 100;
const change = (op: string, before: object | null, after: object | null, extra: { table?: string; lsn?: number; txId?: number; key?: string } = {}) =>
  logRecord(LEGACY_OMS_CDC_TOPIC, extra.key ?? JSON.stringify({ ORDER_ID: 'ord-9' }), JSON.stringify({ before, after, op, ts_ms: minutes(30), source: { db: 'oms', table: extra.table ?? 'ORDERS', lsn: extra.lsn ?? ++lsn, txId: extra.txId ?? lsn } }));

describe('legacy OMS CDC → fulfillment: STATUS_CD 4', () => {
  it('given an order rendered by the legacy CDC renderer, when translated, then only its release becomes OrderReleasedToWarehouse, at the row time', () => {
    const records = toLog(renderLegacyCdc(history, createPrng(3), { lsn: 0, txId: 0 }));
    expect(new Set(records.map((r) => r.topic))).toEqual(new Set([LEGACY_OMS_CDC_TOPIC]));
    const { results, state } = translate(records);

    const events = eventsOf(results);
    expect(events).toHaveLength(1);
    const [release] = events;
    expect(release).toMatchObject({ type: 'OrderReleasedToWarehouse', schemaVersion: 1, aggregateId: 'ord-000042', sequence: 1, occurredAt: new Date(minutes(4)).toISOString(), correlationId: 'ord-000042', causationId: null, source: 'legacy-oms', data: { orderId: 'ord-000042' } });
    expect(release!.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(state).toEqual({ releasedAt: new Date(minutes(4)).toISOString(), lsn: expect.any(Number), txId: expect.any(Number) });

    // Everything else is ignored, each with its reason; nothing is quarantined.
    const ignored = results.filter((r) => r.kind === 'ignored').map((r) => (r.kind === 'ignored' ? r.reason : ''));
    expect(results.filter((r) => r.kind === 'rejected')).toEqual([]);
    expect(ignored).toContain('STATUS_CD 7 is not a fulfillment fact (only 4, released to warehouse, is)');
    expect(ignored).toContain('STATUS_CD 9 is not a fulfillment fact (only 4, released to warehouse, is)');
    expect(ignored).toContain('ORDER_LINES change: order lines are not a fulfillment fact (a shipment states its own lines)');
    expect(ignored).toContain('tombstone after a legacy delete: not a fulfillment fact');
    // No personal column reaches the event.
    expect(JSON.stringify(events)).not.toMatch(/customer7|Quai|cus-00007/);
  });

  it('given a replay of the same records, then the same event id (derived from LSN and transaction, not from the offset)', () => {
    const records = renderLegacyCdc(history, createPrng(3), { lsn: 0, txId: 0 });
    const first = eventsOf(translate(toLog(records)).results)[0]!;
    const shifted = records.map((r, offset) => logRecord(r.topic, r.key, r.value, offset + 1000));
    expect(eventsOf(translate(shifted).results)[0]!.eventId).toBe(first.eventId);
  });

  it('given an order never released, then nothing is translated and no state is kept', () => {
    const confirmedOnly: OrderHistory = { ...history, steps: [{ kind: 'confirm', at: minutes(3) }] };
    const { results, state } = translate(toLog(renderLegacyCdc(confirmedOnly, createPrng(4), { lsn: 0, txId: 0 })));
    expect(eventsOf(results)).toEqual([]);
    expect(state).toBeUndefined();
  });

  it('translates the first time the row reaches 4 only: a repeat of 4, another column changing at 4, or a redelivery is ignored', () => {
    const released = change('u', ordersRow(2, minutes(3)), ordersRow(4, minutes(4)));
    const { results, state } = translate([
      change('r', null, ordersRow(2, minutes(3))),
      released,
      change('u', ordersRow(4, minutes(4)), ordersRow(7, minutes(5))),
      change('u', ordersRow(7, minutes(5)), ordersRow(4, minutes(6))),
      change('u', ordersRow(4, minutes(6)), { ...ordersRow(4, minutes(7)), TOTAL_AMT: '12.00' }),
      released,
    ]);
    expect(eventsOf(results).map((e) => e.occurredAt)).toEqual([new Date(minutes(4)).toISOString()]);
    expect(results.slice(3).map((r) => r.kind === 'ignored' && r.reason)).toEqual(Array(3).fill(`ord-9 was already released to the warehouse at ${new Date(minutes(4)).toISOString()} (LSN ${state!.lsn}); STATUS_CD 4 again is not a new fact`));
  });

  it('translates a snapshot or an insert already at 4, and ignores deletes and tombstones', () => {
    expect(eventsOf(translate([change('r', null, ordersRow(4, minutes(9)))]).results)[0]).toMatchObject({ occurredAt: new Date(minutes(9)).toISOString(), sequence: 1 });
    expect(eventsOf(translate([change('c', null, ordersRow(4, minutes(9)))]).results)).toHaveLength(1);
    expect(translate([change('d', ordersRow(4, minutes(9)), null)]).results[0]).toEqual({ kind: 'ignored', reason: 'legacy delete of an ORDERS row: not a fulfillment fact' });
    expect(translate([logRecord(LEGACY_OMS_CDC_TOPIC, JSON.stringify({ ORDER_ID: 'ord-9' }), null)]).results[0]!.kind).toBe('ignored');
  });

  it('quarantines malformed CDC with a reason that quotes no personal column', () => {
    const reasons = translate([
      logRecord(LEGACY_OMS_CDC_TOPIC, JSON.stringify({ ORDER_ID: 'ord-9' }), '{"before": null, "after": {"EMAIL": "a@example.com", '),
      change('x', null, ordersRow(4, minutes(1))),
      change('u', ordersRow(2, minutes(1)), ordersRow(4, minutes(1)), { key: 'ord-9' }),
      change('u', ordersRow(2, minutes(1)), { ...ordersRow(4, minutes(1)), ORDER_ID: 'ord-8' }),
      change('u', ordersRow(2, minutes(1)), { ...ordersRow(4, minutes(1)), STATUS_CD: '4' }),
      change('u', ordersRow(2, minutes(1)), null),
    ]).results.map((r) => (r.kind === 'rejected' ? `${r.rejection.code}: ${r.rejection.reason}` : r.kind));
    expect(reasons).toEqual([
      'MALFORMED_JSON: CDC value is not valid JSON (53 bytes); expected a Debezium-style change {before, after, op, ts_ms, source}',
      expect.stringMatching(/^INVALID_ENVELOPE: CDC record does not match the Debezium-style contract: op: /),
      'KEY_MISMATCH: CDC key must be {"ORDER_ID": "<id>"}; received "ord-9"',
      'KEY_MISMATCH: row ORDER_ID "ord-8" differs from the message key\'s "ord-9"',
      expect.stringMatching(/^INVALID_PAYLOAD: ORDERS after row is invalid: STATUS_CD: /),
      'INVALID_ENVELOPE: CDC op "u" on ORDERS must carry an after row; received after: null',
    ]);
    expect(reasons.join('\n')).not.toMatch(/example\.com|Main St/);
  });

  it('ignores the poison the legacy OMS makes with an unknown status, and quarantines its truncated JSON', () => {
    const near: SimulatedRecord = { topic: LEGACY_OMS_CDC_TOPIC, key: JSON.stringify({ ORDER_ID: 'ord-9' }), value: null, at: minutes(1) };
    const prng = createPrng(11);
    const kinds = new Set(Array.from({ length: 20 }, () => poisonOrderRecord(near, prng)).map((r) => translate(toLog([r])).results[0]!.kind));
    expect([...kinds].sort()).toEqual(['ignored', 'rejected']);
  });
});
