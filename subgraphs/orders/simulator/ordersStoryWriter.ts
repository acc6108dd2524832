import type { Prng, SimulatedRecord, StoryWriter } from '../../../platform/simulator/index.js';
import { ORDERS_EVENTS_TOPIC } from '../events/OrderEvent.js';
import { LEGACY_OMS_CDC_TOPIC } from '../translators/legacyOmsCdcTranslator.js';
import { generateOrderHistory } from './generateOrderHistory.js';
import type { OrderHistory } from './OrderHistory.js';
import type { CdcCounters } from './renderOrderHistory.js';
import { renderDomainEvents, renderLegacyCdc } from './renderOrderHistory.js';

/** An order's history and the path it was published on. */
export interface PublishedOrder {
  history: OrderHistory;
  /** True when the legacy OMS published it (CDC), false for the domain producers. */
  legacy: boolean;
  records: SimulatedRecord[];
}

export interface OrdersStoryOptions {
  /** Share of orders entered through the legacy OMS (published as CDC). Default 0.2. */
  legacyShare?: number;
  /** Typical event-time spacing between steps of one order. Default 60 s. */
  stepIntervalMs?: number;
}

/**
 * Writes orders as the orders context's producers publish them: domain events on
 * `orders.events.v1`, or (a `legacyShare` of them) the legacy OMS change stream. Used on its own
 * by the orders simulator, and by journeys that add payments and shipments around each order.
 */
export function createOrderWriter(options: OrdersStoryOptions = {}) {
  const legacyShare = options.legacyShare ?? 0.2;
  const stepIntervalMs = options.stepIntervalMs ?? 60_000;
  const counters: CdcCounters = { lsn: 0, txId: 0 };
  return {
    write(index: number, at: number, prngs: { history: Prng; publish: Prng }): PublishedOrder {
      const history = generateOrderHistory(prngs.history, index, at, stepIntervalMs);
      const legacy = prngs.publish.chance(legacyShare);
      return { history, legacy, records: legacy ? renderLegacyCdc(history, prngs.publish, counters) : renderDomainEvents(history, prngs.publish) };
    },
  };
}

/** Records that break the orders producers' contracts in the ways real producers do. */
export function poisonOrderRecord(near: SimulatedRecord, prng: Prng): SimulatedRecord {
  if (near.topic === LEGACY_OMS_CDC_TOPIC) {
    const variant = prng.int(0, 1);
    if (variant === 0) return { ...near, value: '{"before": null, "after": {"ORDER_ID": ' };
    const orderId = (JSON.parse(near.key) as { ORDER_ID: string }).ORDER_ID;
    const row = { ORDER_ID: orderId, CUST_ID: 'cus-0', STATUS_CD: 5, CHANNEL_CD: 'W', CURRENCY: 'EUR', TOTAL_AMT: '1.00', EMAIL: 'x@example.com', SHIP_LINE1: 'x', SHIP_CITY: 'x', SHIP_ZIP: '1', SHIP_CTRY: 'DE', CANCEL_RSN: null, UPD_TS: near.at };
    return { ...near, value: JSON.stringify({ before: { ...row, STATUS_CD: 1 }, after: row, op: 'u', ts_ms: near.at, source: { db: 'oms', table: 'ORDERS', lsn: 0, txId: 0 } }) };
  }
  const base = { eventId: prng.uuid(), schemaVersion: 1, aggregateId: near.key, sequence: 999_999, occurredAt: new Date(near.at).toISOString(), producedAt: new Date(near.at).toISOString(), correlationId: 'poison', causationId: null, source: 'web-checkout' };
  switch (prng.int(0, 4)) {
    case 0:
      return { ...near, value: `{"eventId": "${base.eventId}", "type": "OrderPlaced", ` };
    case 1:
      return { ...near, value: JSON.stringify({ ...base, type: 'OrderLineAmended', data: { lineId: '1', quantity: 2, unitPrice: 12.3 } }) };
    case 2:
      return { ...near, value: JSON.stringify({ ...base, type: 'OrderTeleported', data: {} }) };
    case 3:
      return { ...near, key: `${near.key}-other`, value: JSON.stringify({ ...base, type: 'OrderConfirmed', data: {} }) };
    default:
      return { ...near, value: JSON.stringify({ ...base, eventId: undefined, type: 'OrderConfirmed', data: {} }) };
  }
}

/** The orders simulator's stories: one order each. */
export function ordersStoryWriter(options: OrdersStoryOptions & { onLegacy?: () => void } = {}): StoryWriter<OrderHistory> {
  const orders = createOrderWriter(options);
  return {
    envelopeTopics: [ORDERS_EVENTS_TOPIC],
    poison: poisonOrderRecord,
    write(index, at, prngs) {
      const { history, legacy, records } = orders.write(index, at, prngs);
      if (legacy) options.onLegacy?.();
      return { history, records };
    },
  };
}
