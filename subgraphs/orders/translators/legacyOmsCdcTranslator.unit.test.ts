import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../platform/eventLog/index.js';
import type { DecodeResult } from '../../../platform/projection/index.js';
import type { OrderEvent } from '../events/OrderEvent.js';
import type { LegacyOrderTranslation } from './legacyOmsCdcTranslator.js';
import { legacyOmsCdcTranslator } from './legacyOmsCdcTranslator.js';

const header = { ORDER_ID: 'ord-9', CUST_ID: 'cus-1', STATUS_CD: 1, CHANNEL_CD: 'S', CURRENCY: 'EUR', TOTAL_AMT: '25.00', EMAIL: 'a@example.com', SHIP_LINE1: '1 Main St', SHIP_CITY: 'Lyon', SHIP_ZIP: '69001', SHIP_CTRY: 'FR', CANCEL_RSN: null as string | null, UPD_TS: Date.UTC(2026, 0, 1) };
const line = (no: number, qty: number, price: string) => ({ ORDER_ID: 'ord-9', LINE_NO: no, SKU: `SKU-${no}`, QTY: qty, UNIT_PRICE: price });

let offset = 0;
let lsn = 0;
const change = (table: 'ORDERS' | 'ORDER_LINES', op: string, before: object | null, after: object | null, txId: number, extra: { lsn?: number } = {}): LogRecord => ({
  topic: 'legacy.oms.cdc',
  partition: 0,
  offset: offset++,
  key: Buffer.from(JSON.stringify({ ORDER_ID: 'ord-9' })),
  value: Buffer.from(JSON.stringify({ before, after, op, ts_ms: Date.UTC(2026, 0, 1, 0, txId), source: { db: 'oms', table, lsn: extra.lsn ?? ++lsn, txId } })),
  headers: {},
  timestamp: 0,
});

/** Given records in order, when translated with the carried state, then these results. */
function translate(records: LogRecord[]): Array<DecodeResult<OrderEvent>> {
  let state: LegacyOrderTranslation | undefined;
  return records.map((record) => {
    const decoded = legacyOmsCdcTranslator.decode(record, state);
    state = decoded.state;
    return decoded.result;
  });
}
const events = (results: Array<DecodeResult<OrderEvent>>) => results.flatMap((r) => (r.kind === 'events' ? r.events : []));

describe('legacy OMS CDC → orders domain events', () => {
  it('places an order once its lines add up to TOTAL_AMT, whatever the order of records in the transaction', () => {
    const results = translate([change('ORDER_LINES', 'c', null, line(1, 2, '10.00'), 1), change('ORDERS', 'c', null, header, 1), change('ORDER_LINES', 'c', null, line(2, 1, '5.00'), 1)]);
    expect(results.map((r) => r.kind)).toEqual(['ignored', 'ignored', 'events']);
    const [placed] = events(results);
    expect(placed).toMatchObject({ type: 'OrderPlaced', sequence: 1, aggregateId: 'ord-9', source: 'legacy-oms', occurredAt: '2026-01-01T00:00:00.000Z' });
    // Derived from the log position (legacy.oms.cdc/0/2/0): stored, and compared by rebuilds, so it must never change.
    expect(placed!.eventId).toBe('3b81c41a-175f-5c04-a8d9-881776920a3c');
    expect(placed!.data).toEqual({ customerId: 'cus-1', channel: 'store', currency: 'EUR', lines: [{ lineId: '1', sku: 'SKU-1', quantity: 2, unitPrice: '10.00' }, { lineId: '2', sku: 'SKU-2', quantity: 1, unitPrice: '5.00' }], customerEmail: 'a@example.com', shippingAddress: { line1: '1 Main St', city: 'Lyon', postalCode: '69001', country: 'FR' } });
  });

  it('translates status codes: 7 and 4 are no orders facts, 2 confirms once, 9 cancels with its reason', () => {
    const results = translate([
      change('ORDERS', 'c', null, header, 1),
      change('ORDER_LINES', 'c', null, line(1, 5, '5.00'), 1),
      change('ORDERS', 'u', header, { ...header, STATUS_CD: 7 }, 2),
      change('ORDERS', 'u', { ...header, STATUS_CD: 7 }, { ...header, STATUS_CD: 2 }, 3),
      change('ORDERS', 'u', { ...header, STATUS_CD: 2 }, { ...header, STATUS_CD: 4 }, 4),
      change('ORDERS', 'u', { ...header, STATUS_CD: 4 }, { ...header, STATUS_CD: 2 }, 5),
      change('ORDERS', 'u', { ...header, STATUS_CD: 2 }, { ...header, STATUS_CD: 9, CANCEL_RSN: 'OOS' }, 6),
    ]);
    expect(results[2]).toEqual({ kind: 'ignored', reason: 'STATUS_CD 7 (on hold for review) is not an orders fact' });
    expect(results[4]).toEqual({ kind: 'ignored', reason: 'STATUS_CD 4 (released to warehouse) is a fulfillment concern, not an orders fact' });
    expect(events(results).map((e) => [e.type, e.sequence])).toEqual([['OrderPlaced', 1], ['OrderConfirmed', 2], ['OrderCancelled', 3]]);
    expect(events(results)[2]!.data).toEqual({ reason: 'out_of_stock' });
  });

  it('turns line updates and deletes into amendments, and ignores a redelivered LSN', () => {
    const results = translate([
      change('ORDERS', 'c', null, header, 1),
      change('ORDER_LINES', 'c', null, line(1, 5, '5.00'), 1, { lsn: 100 }),
      change('ORDER_LINES', 'u', line(1, 5, '5.00'), line(1, 3, '5.00'), 2, { lsn: 101 }),
      change('ORDER_LINES', 'u', line(1, 5, '5.00'), line(1, 3, '5.00'), 2, { lsn: 101 }),
      change('ORDER_LINES', 'd', line(1, 3, '5.00'), null, 3, { lsn: 102 }),
      { ...change('ORDER_LINES', 'd', null, null, 3, { lsn: 103 }), value: null },
    ]);
    expect(events(results).map((e) => [e.type, e.data])).toEqual([
      ['OrderPlaced', expect.anything()],
      ['OrderLineAmended', { lineId: '1', quantity: 3, unitPrice: '5.00' }],
      ['OrderLineAmended', { lineId: '1', quantity: 0, unitPrice: '5.00' }],
    ]);
    expect(results[3]).toEqual({ kind: 'ignored', reason: 'change at LSN 101 was already translated (last LSN 101)' });
    expect(results[5]).toEqual({ kind: 'ignored', reason: 'tombstone after a legacy delete: nothing to translate' });
  });

  it('quarantines what it cannot understand, and keeps its state untouched', () => {
    const results = translate([
      change('ORDERS', 'c', null, header, 1),
      change('ORDER_LINES', 'c', null, line(1, 5, '5.00'), 1),
      change('ORDERS', 'u', header, { ...header, STATUS_CD: 5 }, 2),
      change('ORDERS', 'u', header, { ...header, STATUS_CD: 9, CANCEL_RSN: null }, 3),
      { ...change('ORDERS', 'u', header, header, 4), value: Buffer.from('{"before": ') },
      change('ORDERS', 'u', header, { ...header, STATUS_CD: 2 }, 5),
    ]);
    expect(results.slice(2, 5).map((r) => (r.kind === 'rejected' ? r.rejection.code : r.kind))).toEqual(['UNTRANSLATABLE', 'UNTRANSLATABLE', 'MALFORMED_JSON']);
    expect(results[2]).toMatchObject({ rejection: { reason: 'STATUS_CD 5 has no known meaning (known: 1 entered, 2 confirmed, 4 released, 7 on hold, 9 cancelled)' } });
    expect(results[3]).toMatchObject({ rejection: { reason: expect.stringContaining('STATUS_CD 9 (cancelled) with CANCEL_RSN null') } });
    // The sequence continues where it was: rejected records consumed nothing.
    expect(events(results).map((e) => [e.type, e.sequence])).toEqual([['OrderPlaced', 1], ['OrderConfirmed', 2]]);
  });
});
