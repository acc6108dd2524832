import { centsToMoney, moneyToCents } from '../../../platform/events/index.js';
import type { Prng, SimulatedRecord } from '../../../platform/simulator/index.js';
import { ORDERS_EVENTS_TOPIC } from '../events/OrderEvent.js';
import { LEGACY_OMS_CDC_TOPIC } from '../translators/legacyOmsCdcTranslator.js';
import type { OrderHistory } from './OrderHistory.js';

const SOURCES = { web: 'web-checkout', store: 'store-pos', marketplace: 'marketplace-bridge' } as const;
const iso = (ms: number) => new Date(ms).toISOString();

/** The history as the orders producer publishes it on `orders.events.v1`. */
export function renderDomainEvents(history: OrderHistory, prng: Prng): SimulatedRecord[] {
  const records: SimulatedRecord[] = [];
  let sequence = 0;
  let causationId: string | null = null;
  const emit = (type: string, at: number, data: object) => {
    const eventId = prng.uuid();
    const envelope = {
      eventId,
      type,
      schemaVersion: 1,
      aggregateId: history.orderId,
      sequence: ++sequence,
      occurredAt: iso(at),
      producedAt: iso(at + prng.int(5, 250)),
      correlationId: `journey-${history.orderId}`,
      causationId,
      source: SOURCES[history.channel],
      data,
    };
    causationId = eventId;
    records.push({ topic: ORDERS_EVENTS_TOPIC, key: history.orderId, value: JSON.stringify(envelope), at });
  };
  emit('OrderPlaced', history.placedAt, {
    customerId: history.customerId,
    channel: history.channel,
    currency: history.currency,
    lines: history.lines,
    customerEmail: history.customerEmail,
    shippingAddress: history.shippingAddress,
  });
  for (const step of history.steps) {
    switch (step.kind) {
      case 'amend':
        emit('OrderLineAmended', step.at, { lineId: step.lineId, quantity: step.quantity, unitPrice: step.unitPrice });
        break;
      case 'confirm':
        emit('OrderConfirmed', step.at, {});
        break;
      case 'cancel':
        emit('OrderCancelled', step.at, { reason: step.reason });
        break;
      case 'hold':
      case 'release':
        break; // not orders facts: the domain producer never publishes them
    }
  }
  return records;
}

export interface CdcCounters {
  lsn: number;
  txId: number;
}

const CHANNEL_CD = { web: 'W', store: 'S', marketplace: 'M' } as const;
const CANCEL_RSN = { customer_request: 'CUST', fraud: 'FRD', out_of_stock: 'OOS', payment_failed: 'PAY' } as const;

/** The same history as the legacy OMS's change stream on `legacy.oms.cdc` (Debezium-style). */
export function renderLegacyCdc(history: OrderHistory, prng: Prng, counters: CdcCounters): SimulatedRecord[] {
  const records: SimulatedRecord[] = [];
  const key = JSON.stringify({ ORDER_ID: history.orderId });
  const lines = new Map(history.lines.map((l) => [l.lineId, { ORDER_ID: history.orderId, LINE_NO: Number(l.lineId), SKU: l.sku, QTY: l.quantity, UNIT_PRICE: l.unitPrice }]));
  const totalOf = () => centsToMoney([...lines.values()].reduce((s, l) => s + l.QTY * moneyToCents(l.UNIT_PRICE), 0));
  let header = {
    ORDER_ID: history.orderId,
    CUST_ID: history.customerId,
    STATUS_CD: 1,
    CHANNEL_CD: CHANNEL_CD[history.channel],
    CURRENCY: history.currency,
    TOTAL_AMT: totalOf(),
    EMAIL: history.customerEmail,
    SHIP_LINE1: history.shippingAddress.line1,
    SHIP_CITY: history.shippingAddress.city,
    SHIP_ZIP: history.shippingAddress.postalCode,
    SHIP_CTRY: history.shippingAddress.country,
    CANCEL_RSN: null as string | null,
    UPD_TS: history.placedAt,
  };
  const change = (table: 'ORDERS' | 'ORDER_LINES', op: 'c' | 'u' | 'd', before: object | null, after: object | null, at: number, txId: number) =>
    records.push({ topic: LEGACY_OMS_CDC_TOPIC, key, at, value: JSON.stringify({ before, after, op, ts_ms: at, source: { db: 'oms', table, lsn: ++counters.lsn, txId } }) });

  // Entry: header and lines in one transaction, in either order.
  let txId = ++counters.txId;
  const lineInserts = () => [...lines.values()].forEach((l) => change('ORDER_LINES', 'c', null, l, history.placedAt, txId));
  if (prng.chance(0.5)) {
    change('ORDERS', 'c', null, header, history.placedAt, txId);
    lineInserts();
  } else {
    lineInserts();
    change('ORDERS', 'c', null, header, history.placedAt, txId);
  }
  const setStatus = (status: number, at: number, cancelReason: string | null = null) => {
    const next = { ...header, STATUS_CD: status, UPD_TS: at, CANCEL_RSN: cancelReason };
    change('ORDERS', 'u', header, next, at, ++counters.txId);
    header = next;
  };
  for (const step of history.steps) {
    switch (step.kind) {
      case 'amend': {
        txId = ++counters.txId;
        const before = lines.get(step.lineId)!;
        if (step.quantity === 0) {
          lines.delete(step.lineId);
          change('ORDER_LINES', 'd', before, null, step.at, txId);
          records.push({ topic: LEGACY_OMS_CDC_TOPIC, key, value: null, at: step.at });
        } else {
          const after = { ...before, QTY: step.quantity, UNIT_PRICE: step.unitPrice };
          lines.set(step.lineId, after);
          change('ORDER_LINES', 'u', before, after, step.at, txId);
        }
        const next = { ...header, TOTAL_AMT: totalOf(), UPD_TS: step.at };
        change('ORDERS', 'u', header, next, step.at, txId);
        header = next;
        break;
      }
      case 'hold':
        setStatus(7, step.at);
        break;
      case 'confirm':
        setStatus(2, step.at);
        break;
      case 'release':
        setStatus(4, step.at);
        break;
      case 'cancel':
        setStatus(9, step.at, CANCEL_RSN[step.reason]);
        break;
    }
  }
  return records;
}
