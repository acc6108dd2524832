import { GraphQLError } from 'graphql';
import type { ContractFlowMetrics, DerivedFieldContext, DerivedFieldResolvers } from '../../gateway/contracts/index.js';

/** The stages in precedence order, lowest first: JourneyStage in v1.graphql, whose description is the rule. */
export const JOURNEY_STAGES = ['PLACED', 'CONFIRMED', 'PAYMENT_AUTHORIZED', 'RELEASED_TO_WAREHOUSE', 'PARTIALLY_SHIPPED', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type JourneyStage = (typeof JOURNEY_STAGES)[number];

/** Epoch ms, or null: what the stage rule reads of an order's journey. */
export interface JourneyFacts {
  placedAt: number;
  confirmedAt: number | null;
  cancelledAt: number | null;
  /** The order's current lines (after every amendment). */
  lines: ReadonlyArray<{ lineId: string; quantity: number }>;
  payments: ReadonlyArray<{ authorizedAt: number | null; voidedAt: number | null; failedAt: number | null }>;
  releasedAt: number | null;
  shipments: ReadonlyArray<{ createdAt: number; dispatchedAt: number | null; deliveredAt: number | null; cancelledAt: number | null; lines: ReadonlyArray<{ lineId: string; quantity: number }> }>;
}

const by = (at: number | null, t: number) => at !== null && at <= t;

/** The journey stage at event time `t`: the first rule of JourneyStage (v1.graphql) that holds, checked from the final stages down. */
export function journeyStageAt(facts: JourneyFacts, t: number): JourneyStage {
  if (by(facts.cancelledAt, t)) return 'CANCELLED';
  const dispatched = facts.shipments.filter((s) => by(s.dispatchedAt, t));
  const shippedQuantity = new Map<string, number>();
  for (const shipment of dispatched) for (const line of shipment.lines) shippedQuantity.set(line.lineId, (shippedQuantity.get(line.lineId) ?? 0) + line.quantity);
  const fullyShipped = dispatched.length > 0 && facts.lines.every((l) => l.quantity <= 0 || (shippedQuantity.get(l.lineId) ?? 0) >= l.quantity);
  if (fullyShipped && dispatched.every((s) => by(s.deliveredAt, t))) return 'DELIVERED';
  if (fullyShipped) return 'SHIPPED';
  if (dispatched.length > 0) return 'PARTIALLY_SHIPPED';
  if (by(facts.releasedAt, t) || facts.shipments.some((s) => by(s.createdAt, t) && !by(s.cancelledAt, t))) return 'RELEASED_TO_WAREHOUSE';
  const confirmed = by(facts.confirmedAt, t);
  if (confirmed && facts.payments.some((p) => by(p.authorizedAt, t) && !by(p.voidedAt, t) && !by(p.failedAt, t))) return 'PAYMENT_AUTHORIZED';
  if (confirmed) return 'CONFIRMED';
  return 'PLACED';
}

/**
 * The current stage and since when: the stage is evaluated after every event of the journey, in
 * event-time order; `since` is the time of the event from which on it has not changed.
 */
export function journeyStageOf(facts: JourneyFacts): { stage: JourneyStage; since: number } {
  const times = [
    facts.placedAt,
    facts.confirmedAt,
    facts.cancelledAt,
    facts.releasedAt,
    ...facts.payments.flatMap((p) => [p.authorizedAt, p.voidedAt, p.failedAt]),
    ...facts.shipments.flatMap((s) => [s.createdAt, s.dispatchedAt, s.deliveredAt, s.cancelledAt]),
  ].filter((t): t is number => t !== null);
  const ordered = [...new Set(times)].sort((a, b) => a - b);
  const stages = ordered.map((t) => journeyStageAt(facts, t));
  const stage = stages[stages.length - 1] ?? 'PLACED';
  let first = stages.length - 1;
  while (first > 0 && stages[first - 1] === stage) first--;
  return { stage, since: ordered[first] ?? facts.placedAt };
}

const millis = (value: unknown): number | null => (value === null || value === undefined ? null : new Date(value as string | Date).getTime());
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Reads an order's journey facts through the field's declared sources (batched by the request's loaders). */
async function readFacts(order: unknown, { resolve }: Pick<DerivedFieldContext, 'resolve'>): Promise<JourneyFacts> {
  const orderId = await resolve('orders/v2:Order.orderId', order);
  const reference = { orderId };
  const [placedAt, confirmedAt, cancelledAt, orderLines, payments, releasedAt, shipments] = await Promise.all([
    resolve('orders/v2:Order.placedAt', order),
    resolve('orders/v2:Order.confirmedAt', order),
    resolve('orders/v2:Order.cancelledAt', order),
    resolve('orders/v2:Order.lines', order),
    resolve('payments/v1:OrderPayments.payments', reference),
    resolve('fulfillment/v1:OrderFulfillment.releasedToWarehouseAt', reference),
    resolve('fulfillment/v1:OrderFulfillment.shipments', reference),
  ]);
  const lineOf = (prefix: string) => async (line: unknown) => ({ lineId: String(await resolve(`${prefix}.lineId`, line)), quantity: Number(await resolve(`${prefix}.quantity`, line)) });
  return {
    placedAt: millis(placedAt) ?? 0,
    confirmedAt: millis(confirmedAt),
    cancelledAt: millis(cancelledAt),
    lines: await Promise.all(list(orderLines).map(lineOf('orders/v2:OrderLine'))),
    payments: await Promise.all(
      list(payments).map(async (p) => ({
        authorizedAt: millis(await resolve('payments/v1:Payment.authorizedAt', p)),
        voidedAt: millis(await resolve('payments/v1:Payment.voidedAt', p)),
        failedAt: millis(await resolve('payments/v1:Payment.failedAt', p)),
      })),
    ),
    releasedAt: millis(releasedAt),
    shipments: await Promise.all(
      list(shipments).map(async (s) => ({
        createdAt: millis(await resolve('fulfillment/v1:Shipment.createdAt', s)) ?? 0,
        dispatchedAt: millis(await resolve('fulfillment/v1:Shipment.dispatchedAt', s)),
        deliveredAt: millis(await resolve('fulfillment/v1:Shipment.deliveredAt', s)),
        cancelledAt: millis(await resolve('fulfillment/v1:Shipment.cancelledAt', s)),
        lines: await Promise.all(list(await resolve('fulfillment/v1:Shipment.lines', s)).map(lineOf('fulfillment/v1:ShipmentLine'))),
      })),
    ),
  };
}

// One computation per order record per request, shared by journeyStage and stageSince.
const journeys = new WeakMap<object, Promise<{ stage: JourneyStage; since: number }>>();
function journeyOf(order: unknown, context: Pick<DerivedFieldContext, 'resolve'>) {
  const key = order as object;
  let journey = journeys.get(key);
  if (!journey) {
    journey = readFacts(order, context).then(journeyStageOf);
    journeys.set(key, journey);
  }
  return journey;
}

const FINAL: ReadonlySet<JourneyStage> = new Set(['DELIVERED', 'CANCELLED']);
const MAX_RECENT_ORDERS = 2000;
const MAX_STUCK_LISTED = 500;

interface JourneyFlow {
  asOf: Date;
  ordersConsidered: number;
  stages: Array<{ stage: JourneyStage; orders: number; stuck: number }>;
  stuckOrders: unknown[];
  stuckCount: number;
}

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
const flowOf = (parent: unknown) => parent as JourneyFlow;
const countOf = (parent: unknown) => parent as JourneyFlow['stages'][number];

/** Resolvers for the @derived fields of order_journey v1. */
export const derivedFields: DerivedFieldResolvers = {
  OrderJourney: {
    journeyStage: async (_values, context) => (await journeyOf(context.parent, context)).stage,
    stageSince: async (_values, context) => new Date((await journeyOf(context.parent, context)).since),
  },
  Query: {
    journeyFlow: async (_values, context): Promise<JourneyFlow> => {
      const { recentOrders, stuckLongerThanSeconds, stuckIn, asOf, first } = context.args as { recentOrders: number; stuckLongerThanSeconds: number; stuckIn?: JourneyStage[] | null; asOf?: Date | null; first: number };
      if (!Number.isInteger(recentOrders) || recentOrders < 1 || recentOrders > MAX_RECENT_ORDERS) throw badInput(`recentOrders must be from 1 to ${MAX_RECENT_ORDERS}; received ${recentOrders}.`);
      if (!Number.isInteger(stuckLongerThanSeconds) || stuckLongerThanSeconds < 0) throw badInput(`stuckLongerThanSeconds must be 0 or more; received ${stuckLongerThanSeconds}.`);
      if (!Number.isInteger(first) || first < 0 || first > MAX_STUCK_LISTED) throw badInput(`first must be from 0 to ${MAX_STUCK_LISTED}; received ${first}.`);
      const at = asOf ? new Date(asOf).getTime() : Date.now();
      if (Number.isNaN(at)) throw badInput('asOf must be an RFC 3339 timestamp.');
      const orders = list(await context.resolve('orders/v2:Query.orders', undefined, { first: recentOrders, after: null }));
      const journeysNow = await Promise.all(orders.map(async (order) => ({ order, ...(await journeyOf(order, context)) })));
      const narrowed = stuckIn && stuckIn.length > 0 ? new Set(stuckIn) : null;
      // Per-stage counts are of every stuck order; stuckIn narrows only the list and its count.
      const stuck = journeysNow.filter((j) => !FINAL.has(j.stage) && at - j.since > stuckLongerThanSeconds * 1000).sort((a, b) => a.since - b.since);
      const listed = narrowed === null ? stuck : stuck.filter((j) => narrowed.has(j.stage));
      return {
        asOf: new Date(at),
        ordersConsidered: orders.length,
        stages: JOURNEY_STAGES.map((stage) => ({ stage, orders: journeysNow.filter((j) => j.stage === stage).length, stuck: stuck.filter((j) => j.stage === stage).length })),
        stuckOrders: listed.slice(0, first).map((j) => j.order),
        stuckCount: listed.length,
      };
    },
  },
  JourneyFlow: {
    asOf: (_values, { parent }) => flowOf(parent).asOf,
    ordersConsidered: (_values, { parent }) => flowOf(parent).ordersConsidered,
    stages: (_values, { parent }) => flowOf(parent).stages,
    stuckOrders: (_values, { parent }) => flowOf(parent).stuckOrders,
    stuckCount: (_values, { parent }) => flowOf(parent).stuckCount,
  },
  JourneyStageCount: {
    stage: (_values, { parent }) => countOf(parent).stage,
    orders: (_values, { parent }) => countOf(parent).orders,
    stuck: (_values, { parent }) => countOf(parent).stuck,
  },
};

/** The window the flow metrics cover: the newest orders, as journeyFlow counts them (bounded work per scrape). */
const METRICS_RECENT_ORDERS = 500;
const METRICS_STUCK_AFTER_SECONDS = 3600;

/**
 * Orders per journey stage at `/metrics`, from journeyFlow itself: the gauge and the contract's
 * answer are one computation. A scrape reads the newest 500 orders with their payments and
 * shipments (three batched lookups), the same work as one consumer request for journeyFlow.
 */
export const flowMetrics: ContractFlowMetrics = {
  metrics: [
    { name: 'dpg_order_journey_orders', help: `Orders per journey stage (order_journey v1 JourneyStage) among the newest ${METRICS_RECENT_ORDERS} orders.`, labelNames: ['stage'] },
    { name: 'dpg_order_journey_stuck_orders', help: `Of those, orders in a stage that is not final (DELIVERED, CANCELLED) for more than ${METRICS_STUCK_AFTER_SECONDS} s at scrape time.`, labelNames: ['stage'] },
    { name: 'dpg_order_journey_orders_considered', help: `Orders the stage counts cover: the newest, at most ${METRICS_RECENT_ORDERS}.`, labelNames: [] },
  ],
  operation: /* GraphQL */ `query JourneyFlowMetrics { journeyFlow(recentOrders: ${METRICS_RECENT_ORDERS}, stuckLongerThanSeconds: ${METRICS_STUCK_AFTER_SECONDS}, first: 0) { ordersConsidered stages { stage orders stuck } } }`,
  samples(data) {
    const flow = data.journeyFlow as { ordersConsidered: number; stages: Array<{ stage: JourneyStage; orders: number; stuck: number }> };
    return [
      ...flow.stages.flatMap(({ stage, orders, stuck }) => [
        { name: 'dpg_order_journey_orders', labels: { stage }, value: orders },
        { name: 'dpg_order_journey_stuck_orders', labels: { stage }, value: stuck },
      ]),
      { name: 'dpg_order_journey_orders_considered', labels: {}, value: flow.ordersConsidered },
    ];
  },
};
