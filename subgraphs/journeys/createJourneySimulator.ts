import type { Prng, SimulatedRecord, SimulatorFaults, SimulatorStats } from '../../platform/simulator/index.js';
import { createSimulator } from '../../platform/simulator/index.js';
import { FULFILLMENT_EVENTS_TOPIC, poisonShipmentRecord } from '../fulfillment/index.js';
import { createOrderWriter, ORDERS_EVENTS_TOPIC, poisonOrderRecord } from '../orders/index.js';
import { PAYMENTS_EVENTS_TOPIC, poisonPaymentRecord } from '../payments/index.js';
import type { OrderJourney } from './OrderJourney.js';
import type { JourneyRates } from './writeOrderJourney.js';
import { DEFAULT_JOURNEY_RATES, writeOrderJourney } from './writeOrderJourney.js';

export interface JourneySimulatorOptions {
  /** Default 42. */
  seed?: number;
  /** Delivery faults on every envelope topic, plus `legacyShare`: orders entered through the legacy OMS (default 0.2). */
  faults?: Partial<SimulatorFaults & { legacyShare: number }>;
  /** Races and business variety per journey; see JourneyRates. */
  rates?: Partial<JourneyRates>;
  /** Event time of the first order, epoch ms. Default 2026-01-01T00:00:00Z. */
  startTime?: number;
  /** Event-time spacing between orders. Default 1000 ms. */
  orderIntervalMs?: number;
  /** Typical event-time spacing between the steps of one order, payment or shipment. Default 60 s. */
  stepIntervalMs?: number;
  /** Maximum records a late record is held back. Default 50 (keep it below the gap bound). */
  lateBy?: number;
  /** Number of the first order (default 1: `ord-000001`); a second simulator on the same topics starts elsewhere. */
  firstOrderNumber?: number;
}

export interface JourneySimulator {
  /** The next `count` journeys' records on all three topics, interleaved by delivery time, with faults applied. */
  next(count: number): { records: SimulatedRecord[]; histories: OrderJourney[] };
  readonly stats: SimulatorStats;
  /** Event time at which the latest journey's order was placed, epoch ms. */
  readonly clock: number;
}

const POISON: Record<string, (near: SimulatedRecord, prng: Prng) => SimulatedRecord> = {
  [PAYMENTS_EVENTS_TOPIC]: poisonPaymentRecord,
  [FULFILLMENT_EVENTS_TOPIC]: poisonShipmentRecord,
};

/**
 * Deterministic order-to-cash traffic: each story is an order's journey across
 * `orders.events.v1` (or the legacy OMS's CDC), `payments.events.v1` and `fulfillment.events.v1`,
 * in exactly the producer formats of ../shared/events/README.md. Feeds `npm start`, the CLI's
 * `simulate`, tests and benchmarks.
 */
export function createJourneySimulator(options: JourneySimulatorOptions = {}): JourneySimulator {
  const { legacyShare, ...faults } = options.faults ?? {};
  const stepIntervalMs = options.stepIntervalMs ?? 60_000;
  const orders = createOrderWriter({ legacyShare, stepIntervalMs });
  const rates: JourneyRates = { ...DEFAULT_JOURNEY_RATES, ...options.rates };
  return createSimulator<OrderJourney>(
    {
      envelopeTopics: [ORDERS_EVENTS_TOPIC, PAYMENTS_EVENTS_TOPIC, FULFILLMENT_EVENTS_TOPIC],
      poison: (near, prng) => (POISON[near.topic] ?? poisonOrderRecord)(near, prng),
      write(index, at, prngs) {
        const { journey, records } = writeOrderJourney(orders.write(index, at, prngs), rates, stepIntervalMs, prngs);
        return { history: journey, records };
      },
    },
    { seed: options.seed, faults, startTime: options.startTime, storyIntervalMs: options.orderIntervalMs, lateBy: options.lateBy, firstStory: options.firstOrderNumber },
  );
}
