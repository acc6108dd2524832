import type { SimulatedRecord, SimulatorFaults, SimulatorStats } from '../../../platform/simulator/index.js';
import { createSimulator } from '../../../platform/simulator/index.js';
import type { OrderHistory } from './OrderHistory.js';
import { ordersStoryWriter } from './ordersStoryWriter.js';

export interface OrdersSimulatorOptions {
  /** Default 42. */
  seed?: number;
  /** Delivery faults, plus `legacyShare`: the share of orders entered through the legacy OMS (default 0.2). */
  faults?: Partial<SimulatorFaults & { legacyShare: number }>;
  /** Event time of the first order, epoch ms. Default 2026-01-01T00:00:00Z. */
  startTime?: number;
  /** Event-time spacing between orders. Default 1000 ms. */
  orderIntervalMs?: number;
  /** Typical event-time spacing between steps of one order. Default 60 s. */
  stepIntervalMs?: number;
  /** Maximum records a late record is held back. Default 50 (keep it below the gap bound). */
  lateBy?: number;
}

export interface OrdersSimulator {
  /** The next `count` orders' records, interleaved by event time, with faults applied. */
  nextOrders(count: number): { records: SimulatedRecord[]; histories: OrderHistory[] };
  /** Alias of nextOrders, for the generic feed. */
  next(count: number): { records: SimulatedRecord[]; histories: OrderHistory[] };
  readonly stats: SimulatorStats & { orders: number; legacyOrders: number };
  /** Event time at which the latest order was placed, epoch ms. */
  readonly clock: number;
}

/**
 * Deterministic producer traffic for the orders context alone, in exactly the producer formats
 * of ../shared/events/README.md: the orders context's tests and benchmarks use it.
 */
export function createOrdersSimulator(options: OrdersSimulatorOptions = {}): OrdersSimulator {
  let legacyOrders = 0;
  const { legacyShare, ...faults } = options.faults ?? {};
  const simulator = createSimulator(ordersStoryWriter({ legacyShare, stepIntervalMs: options.stepIntervalMs, onLegacy: () => legacyOrders++ }), {
    seed: options.seed,
    faults,
    startTime: options.startTime,
    storyIntervalMs: options.orderIntervalMs,
    lateBy: options.lateBy,
  });
  const stats = simulator.stats;
  return {
    nextOrders: (count) => simulator.next(count),
    next: (count) => simulator.next(count),
    get clock() {
      return simulator.clock;
    },
    get stats() {
      return { ...stats, orders: stats.stories, legacyOrders };
    },
  };
}
