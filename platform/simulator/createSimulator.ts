import type { Prng } from './createPrng.js';
import { createPrng } from './createPrng.js';
import { generateOrderHistory } from './generateOrderHistory.js';
import type { OrderHistory, SimulatedRecord } from './OrderHistory.js';
import { SIMULATED_TOPICS } from './OrderHistory.js';
import type { CdcCounters } from './renderOrderHistory.js';
import { renderDomainEvents, renderLegacyCdc } from './renderOrderHistory.js';

/** Probabilities per record (or per order for `legacyShare`). All default to 0 except `legacyShare` (0.2). */
export interface SimulatorFaults {
  /** Share of orders entered through the legacy OMS (published as CDC). */
  legacyShare: number;
  /** A record is delivered again a few records later (at-least-once producers). */
  duplicateRate: number;
  /** A domain event swaps places with the next event of its order. */
  reorderRate: number;
  /** A domain event arrives late: held back behind up to `lateBy` later records, published late. */
  lateRate: number;
  /** An extra poison record (bad JSON, float money, unknown type, wrong key, unknown status code) is injected. */
  malformedRate: number;
  /** A domain event (never an OrderPlaced) is lost for good: the gap never fills. */
  gapRate: number;
}

export interface SimulatorOptions {
  /** Default 42. */
  seed?: number;
  faults?: Partial<SimulatorFaults>;
  /** Event time of the first order, epoch ms. Default 2026-01-01T00:00:00Z. */
  startTime?: number;
  /** Event-time spacing between orders. Default 1000 ms. */
  orderIntervalMs?: number;
  /** Typical event-time spacing between steps of one order. Default 60 s. */
  stepIntervalMs?: number;
  /** Maximum records a late record is held back. Default 50 (keep it below the gap bound). */
  lateBy?: number;
}

export interface SimulatorStats {
  orders: number;
  legacyOrders: number;
  records: number;
  duplicates: number;
  reordered: number;
  late: number;
  malformed: number;
  /** Domain events dropped, and how many later events of the same orders they strand. */
  dropped: number;
  stranded: number;
}

export interface Simulator {
  /** The next `count` orders' records, interleaved by event time, with faults applied. */
  nextOrders(count: number): { records: SimulatedRecord[]; histories: OrderHistory[] };
  readonly stats: SimulatorStats;
}

/**
 * Deterministic producer traffic for the orders context, in exactly the producer formats of
 * ../shared/events/README.md. It feeds `npm start`, tests and benchmarks.
 */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  // Separate streams: the business histories depend on the seed only, never on how they are
  // published or which faults are on, so two paths can be compared order for order.
  const historyPrng = createPrng(options.seed ?? 42);
  const prng = createPrng(((options.seed ?? 42) ^ 0x5eed5eed) >>> 0);
  const faults: SimulatorFaults = { legacyShare: 0.2, duplicateRate: 0, reorderRate: 0, lateRate: 0, malformedRate: 0, gapRate: 0, ...options.faults };
  const orderIntervalMs = options.orderIntervalMs ?? 1000;
  const stepIntervalMs = options.stepIntervalMs ?? 60_000;
  const lateBy = options.lateBy ?? 50;
  const counters: CdcCounters = { lsn: 0, txId: 0 };
  const stats: SimulatorStats = { orders: 0, legacyOrders: 0, records: 0, duplicates: 0, reordered: 0, late: 0, malformed: 0, dropped: 0, stranded: 0 };
  let clock = options.startTime ?? Date.UTC(2026, 0, 1);

  return {
    stats,
    nextOrders(count) {
      const histories: OrderHistory[] = [];
      let records: SimulatedRecord[] = [];
      for (let i = 0; i < count; i++) {
        clock += historyPrng.int(Math.ceil(orderIntervalMs / 2), Math.ceil(orderIntervalMs * 1.5));
        const history = generateOrderHistory(historyPrng, ++stats.orders, clock, stepIntervalMs);
        histories.push(history);
        const legacy = prng.chance(faults.legacyShare);
        if (legacy) stats.legacyOrders++;
        let rendered = legacy ? renderLegacyCdc(history, prng, counters) : renderDomainEvents(history, prng);
        if (!legacy && faults.gapRate > 0 && rendered.length > 1 && prng.chance(faults.gapRate * rendered.length)) {
          const lost = prng.int(1, rendered.length - 1);
          stats.dropped++;
          stats.stranded += rendered.length - 1 - lost;
          rendered = rendered.filter((_, index) => index !== lost);
        }
        records.push(...rendered);
      }
      // Interleave orders by event time; a stable sort keeps each order's records in order.
      records.sort((a, b) => a.at - b.at);
      records = applyDeliveryFaults(records, faults, prng, lateBy, stats);
      stats.records += records.length;
      return { records, histories };
    },
  };
}

function applyDeliveryFaults(input: SimulatedRecord[], faults: SimulatorFaults, prng: Prng, lateBy: number, stats: SimulatorStats): SimulatedRecord[] {
  const records = [...input];
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.topic !== SIMULATED_TOPICS.ordersEvents) continue;
    if (prng.chance(faults.reorderRate)) {
      const next = records.findIndex((r, j) => j > i && r.key === record.key && r.topic === record.topic);
      if (next > 0) {
        // Swap the payloads, keep the delivery times: `at` stays non-decreasing in delivery order.
        records[i] = { ...records[next]!, at: record.at };
        records[next] = { ...record, at: records[next]!.at };
        stats.reordered++;
      }
    } else if (prng.chance(faults.lateRate)) {
      const target = Math.min(records.length - 1, i + prng.int(1, lateBy));
      const parsed = JSON.parse(record.value!) as { occurredAt: string; producedAt: string };
      parsed.producedAt = new Date(Date.parse(parsed.occurredAt) + 15 * 60_000).toISOString();
      records.splice(i, 1);
      records.splice(target, 0, { ...record, value: JSON.stringify(parsed), at: records[target - 1]?.at ?? record.at });
      stats.late++;
    }
  }
  const out: SimulatedRecord[] = [];
  const pendingDuplicates: Array<{ at: number; record: SimulatedRecord }> = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    out.push(record);
    if (prng.chance(faults.duplicateRate)) {
      pendingDuplicates.push({ at: i + prng.int(1, 20), record });
      stats.duplicates++;
    }
    for (const d of pendingDuplicates.filter((p) => p.at === i)) out.push({ ...d.record, at: record.at });
    if (prng.chance(faults.malformedRate)) {
      out.push(poison(record, prng));
      stats.malformed++;
    }
  }
  for (const d of pendingDuplicates.filter((p) => p.at >= records.length)) out.push({ ...d.record, at: records[records.length - 1]?.at ?? d.record.at });
  return out;
}

/** Extra records that break the producer contract in the ways real producers do. */
function poison(near: SimulatedRecord, prng: Prng): SimulatedRecord {
  if (near.topic === SIMULATED_TOPICS.legacyOmsCdc) {
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
