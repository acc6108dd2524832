import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../platform/database/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import { createProjector } from '../platform/projection/index.js';
import type { Projector } from '../platform/projection/index.js';
import type { SimulatedRecord } from '../platform/simulator/index.js';
import { contexts, createJourneySimulator } from '../subgraphs/index.js';
import type { JourneySimulatorOptions, OrderJourney } from '../subgraphs/index.js';
import { FULFILLMENT_EVENTS_TOPIC } from '../subgraphs/fulfillment/index.js';
import { PAYMENTS_EVENTS_TOPIC } from '../subgraphs/payments/index.js';
import { countingDatabase } from '../test/support/countingDatabase.js';
import { bothDatabases } from '../test/support/databases.js';
import { openTestAccess } from '../test/support/gatewayAccess.js';
import { postGraphQL } from '../test/support/graphqlClient.js';
import { produceAll, waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import { uniqueName } from '../test/support/services.js';
import type { TestGateway } from '../test/support/startTestGateway.js';
import { startTestGateway } from '../test/support/startTestGateway.js';
import { createGateway } from './createGateway.js';

const CONTRACT = '/contracts/order_journey/v1';
// Races far above production rates, so every one of them happens in a few hundred journeys.
const SIMULATION: Pick<JourneySimulatorOptions, 'rates' | 'faults' | 'stepIntervalMs'> = {
  rates: { 'order-consumed-late': 0.1, 'refund-before-capture': 0.5, 'dispatch-after-cancel': 0.5, 'authorization-expired': 0.1, 'never-captured': 0.05, 'order-never-appears': 0.03, splitShipment: 0.4 },
  // Duplicates and reordering the engine absorbs; nothing lost or malformed, so the truth is the generated history.
  faults: { legacyShare: 0.3, duplicateRate: 0.02, reorderRate: 0.02 },
  stepIntervalMs: 60_000,
};
const JOURNEY_FIELDS = 'orderId journeyStage stageSince orderLifecycleState releasedToWarehouseAt payments { paymentId paymentLifecycleState capturedAmount { amount currency } refundedAmount { amount } authorizedAt voidedAt failedAt } shipments { shipmentId warehouseId shipmentStatus dispatchedAt deliveredAt lines { lineId quantity } }';

// ---------------------------------------------------------------------------------------------
// The oracle: the expected stage of each journey, replayed from the generated business history
// (what the producers published), never from the projections.
type Stage = 'PLACED' | 'CONFIRMED' | 'PAYMENT_AUTHORIZED' | 'RELEASED_TO_WAREHOUSE' | 'PARTIALLY_SHIPPED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';
type Fact =
  | { at: number; kind: 'confirm' | 'cancel' | 'release' | 'placed' }
  | { at: number; kind: 'authorize' | 'endAuthorization'; paymentId: string }
  | { at: number; kind: 'create' | 'dispatch' | 'deliver' | 'cancelShipment'; shipmentId: string };

/** The journey's stage as of event time `cutoff` (default: its whole history). */
function expectedJourney(journey: OrderJourney, cutoff = Infinity): { stage: Stage; since: string } {
  const { order } = journey;
  const ordered = new Map(order.lines.map((l) => [l.lineId, l.quantity]));
  for (const step of order.steps) if (step.kind === 'amend') ordered.set(step.lineId, step.quantity);
  const facts: Fact[] = [{ at: order.placedAt, kind: 'placed' }];
  for (const step of order.steps) {
    if (step.kind === 'confirm' || step.kind === 'cancel') facts.push({ at: step.at, kind: step.kind });
    // The legacy OMS publishes its release; the domain producers never do (it is not an orders fact).
    if (step.kind === 'release' && journey.legacy) facts.push({ at: step.at, kind: 'release' });
  }
  for (const payment of journey.payments) {
    for (const step of payment.steps) {
      if (step.kind === 'authorize') facts.push({ at: step.at, kind: 'authorize', paymentId: payment.paymentId });
      if (step.kind === 'void' || step.kind === 'fail') facts.push({ at: step.at, kind: 'endAuthorization', paymentId: payment.paymentId });
    }
  }
  const linesOf = new Map(journey.shipments.map((s) => [s.shipmentId, s.lines]));
  for (const shipment of journey.shipments) {
    for (const step of shipment.steps) {
      if (step.kind === 'create' || step.kind === 'dispatch' || step.kind === 'deliver') facts.push({ at: step.at, kind: step.kind, shipmentId: shipment.shipmentId });
      if (step.kind === 'cancel') facts.push({ at: step.at, kind: 'cancelShipment', shipmentId: shipment.shipmentId });
    }
  }
  const state = { confirmed: false, cancelled: false, released: false, authorized: new Set<string>(), ended: new Set<string>(), open: new Set<string>(), dispatched: new Set<string>(), delivered: new Set<string>() };
  const stage = (): Stage => {
    if (state.cancelled) return 'CANCELLED';
    const shipped = new Map<string, number>();
    for (const id of state.dispatched) for (const l of linesOf.get(id) ?? []) shipped.set(l.lineId, (shipped.get(l.lineId) ?? 0) + l.quantity);
    const full = state.dispatched.size > 0 && [...ordered].every(([lineId, quantity]) => quantity <= 0 || (shipped.get(lineId) ?? 0) >= quantity);
    if (full && [...state.dispatched].every((id) => state.delivered.has(id))) return 'DELIVERED';
    if (full) return 'SHIPPED';
    if (state.dispatched.size > 0) return 'PARTIALLY_SHIPPED';
    if (state.released || state.open.size > 0) return 'RELEASED_TO_WAREHOUSE';
    if (state.confirmed && [...state.authorized].some((id) => !state.ended.has(id))) return 'PAYMENT_AUTHORIZED';
    return state.confirmed ? 'CONFIRMED' : 'PLACED';
  };
  facts.sort((a, b) => a.at - b.at);
  facts.splice(facts.findIndex((f) => f.at > cutoff) >>> 0);
  let current: Stage = 'PLACED';
  let since = order.placedAt;
  for (let i = 0; i < facts.length; i++) {
    const fact = facts[i]!;
    switch (fact.kind) {
      case 'placed':
        break;
      case 'confirm':
        state.confirmed = true;
        break;
      case 'cancel':
        state.cancelled = true;
        break;
      case 'release':
        state.released = true;
        break;
      case 'authorize':
        state.authorized.add(fact.paymentId);
        break;
      case 'endAuthorization':
        state.ended.add(fact.paymentId);
        break;
      case 'create':
        state.open.add(fact.shipmentId);
        break;
      case 'cancelShipment':
        state.open.delete(fact.shipmentId);
        break;
      case 'dispatch':
        state.dispatched.add(fact.shipmentId);
        break;
      case 'deliver':
        state.delivered.add(fact.shipmentId);
        break;
    }
    if (facts[i + 1]?.at === fact.at) continue; // judged once every fact of that instant is in
    const now = stage();
    if (now !== current || i === 0) since = fact.at;
    current = now;
  }
  return { stage: current, since: new Date(since).toISOString() };
}

interface JourneyAnswer {
  orderId: string;
  journeyStage: Stage;
  stageSince: string;
  payments: unknown[];
  shipments: unknown[];
}

// ---------------------------------------------------------------------------------------------

describe('order_journey over real HTTP, PostgreSQL and Redis', () => {
  let t: TestGateway;
  let journeys: OrderJourney[];
  beforeAll(async () => {
    const seed = 41;
    const startTime = Date.now() - 3_600_000;
    journeys = createJourneySimulator({ seed, startTime, ...SIMULATION }).next(520).histories;
    t = await startTestGateway({ prefix: 'journey', services: 'postgres', journeys: { count: 520, seed, startTime, ...SIMULATION } });
  }, 120_000);
  afterAll(async () => {
    await t.stop();
  });
  const query = (document: string, variables?: Record<string, unknown>) => postGraphQL(`${t.url}${CONTRACT}`, document, { variables, headers: t.bearer('internal') });

  it('answers every journey exactly as an independent replay of the generated history says', async () => {
    const answers: JourneyAnswer[] = [];
    for (let after: string | null = null; ; ) {
      const { status, body } = await query(`query($after: ID) { orderJourneys(first: 100, after: $after) { ${JOURNEY_FIELDS} } }`, { after });
      expect(status, JSON.stringify(body.errors)).toBe(200);
      const page = (body.data as { orderJourneys: JourneyAnswer[] }).orderJourneys;
      answers.push(...page);
      if (page.length < 100) break;
      after = page[page.length - 1]!.orderId;
    }
    const published = journeys.filter((j) => j.orderPublished);
    expect(answers).toHaveLength(published.length);
    const byId = new Map(answers.map((a) => [a.orderId, a]));
    for (const journey of published) {
      const answer = byId.get(journey.orderId)!;
      expect({ orderId: journey.orderId, stage: answer.journeyStage, since: answer.stageSince }, journey.races.join(',')).toEqual({ orderId: journey.orderId, ...expectedJourney(journey) });
      expect(answer.payments).toHaveLength(journey.payments.length);
      expect(answer.shipments).toHaveLength(journey.shipments.length);
    }
    // Every race is exercised, so the equality above means something (every stage: see the in-flight test below).
    expect(new Set(journeys.flatMap((j) => j.races))).toEqual(new Set(['order-consumed-late', 'refund-before-capture', 'dispatch-after-cancel', 'authorization-expired', 'never-captured', 'order-never-appears']));
  });

  it('keeps nothing in quarantine for arriving early: payments and shipments before their order join it when it comes', async () => {
    for (const context of contexts) {
      const { rows } = await t.db.query<{ n: number }>(`select count(*)::int as n from "${t.schemas[context.name]}".quarantine`);
      expect(rows[0]!.n, context.name).toBe(0);
    }
    const late = journeys.find((j) => j.races.includes('order-consumed-late') && j.shipments.length > 0)!;
    const { body } = await query(`query($id: ID!) { orderJourney(orderId: $id) { ${JOURNEY_FIELDS} } }`, { id: late.orderId });
    expect((body.data as { orderJourney: JourneyAnswer }).orderJourney.shipments).toHaveLength(late.shipments.length);
  });

  it('reports freshness per projection read, each with the fields it backs, and the worst status for the response', async () => {
    const { body } = await query('{ orderJourneys(first: 5) { orderId payments { paymentId } shipments { shipmentId } journeyStage } }');
    const freshness = body.extensions!.freshness as Array<{ projection: string; status: string; fields: string[]; lagEvents: number; dataAgeMs: number; binds: string; maxSourceSilenceSeconds: number; staleBecause: string[] }>;
    expect(freshness.map((f) => f.projection).sort()).toEqual(['order_timeline', 'payment_attempts', 'shipment_tracking']);
    expect(freshness.find((f) => f.projection === 'payment_attempts')!.fields).toEqual(expect.arrayContaining(['OrderJourney.payments', 'JourneyPayment.paymentId', 'OrderJourney.journeyStage']));
    expect(freshness.find((f) => f.projection === 'shipment_tracking')!.fields).toEqual(expect.arrayContaining(['OrderJourney.shipments', 'OrderJourney.journeyStage']));
    // order_journey binds its SLA to the data's age: caught up with every log, each projection is
    // STALE exactly when its newest fact is older than the 300 s its sources may be silent (this
    // generated history ends some minutes before the test runs).
    for (const f of freshness) {
      expect(f).toMatchObject({ lagEvents: 0, binds: 'DATA_AGE', maxSourceSilenceSeconds: 300 });
      expect(f.status, f.projection).toBe(f.dataAgeMs > 300_000 ? 'STALE' : 'FRESH');
      expect(f.staleBecause).toEqual(f.dataAgeMs > 300_000 ? ['DATA_AGE'] : []);
    }
    expect(body.extensions!.freshnessStatus).toBe(freshness.some((f) => f.status === 'STALE') ? 'STALE' : 'FRESH');
    // An orders-only selection reads one projection.
    const ordersOnly = await query('{ orderJourneys(first: 5) { orderId orderLifecycleState } }');
    expect((ordersOnly.body.extensions!.freshness as Array<{ projection: string }>).map((f) => f.projection)).toEqual(['order_timeline']);
  });

  it('counts journeys per stage and lists the stuck ones, as the replay does', async () => {
    const published = journeys.filter((j) => j.orderPublished);
    const asOf = Math.max(...published.map((j) => Date.parse(expectedJourney(j).since))) + 600_000;
    const stuckAfter = 1800;
    const { status, body } = await query(
      `query($asOf: DateTime) { journeyFlow(recentOrders: 2000, stuckLongerThanSeconds: ${stuckAfter}, asOf: $asOf, first: 500) { asOf ordersConsidered stuckCount stages { stage orders stuck } stuckOrders { orderId journeyStage stageSince } } }`,
      { asOf: new Date(asOf).toISOString() },
    );
    expect(status, JSON.stringify(body.errors)).toBe(200);
    const flow = (body.data as { journeyFlow: { ordersConsidered: number; stuckCount: number; stages: Array<{ stage: string; orders: number; stuck: number }>; stuckOrders: Array<{ orderId: string; stageSince: string }> } }).journeyFlow;
    expect(flow.ordersConsidered).toBe(published.length);
    const expected = published.map((j) => ({ orderId: j.orderId, ...expectedJourney(j) }));
    const isStuck = (e: (typeof expected)[number]) => e.stage !== 'DELIVERED' && e.stage !== 'CANCELLED' && asOf - Date.parse(e.since) > stuckAfter * 1000;
    for (const { stage, orders, stuck } of flow.stages) {
      expect({ stage, orders, stuck }).toEqual({ stage, orders: expected.filter((e) => e.stage === stage).length, stuck: expected.filter((e) => e.stage === stage && isStuck(e)).length });
    }
    expect(flow.stuckCount).toBe(expected.filter(isStuck).length);
    expect(flow.stuckCount).toBeGreaterThan(0);
    expect(new Set(flow.stuckOrders.map((o) => o.orderId))).toEqual(new Set(expected.filter(isStuck).map((e) => e.orderId)));
    // Longest stuck first.
    const sinces = flow.stuckOrders.map((o) => Date.parse(o.stageSince));
    expect([...sinces].sort((a, b) => a - b)).toEqual(sinces);

    // stuckIn narrows the list and its count, never the per-stage counts.
    const narrowed = await query(
      `query($asOf: DateTime) { journeyFlow(recentOrders: 2000, stuckLongerThanSeconds: ${stuckAfter}, asOf: $asOf, first: 500, stuckIn: [RELEASED_TO_WAREHOUSE, SHIPPED]) { stuckCount stages { stage orders stuck } stuckOrders { journeyStage } } }`,
      { asOf: new Date(asOf).toISOString() },
    );
    const narrowedFlow = (narrowed.body.data as { journeyFlow: { stuckCount: number; stages: unknown[]; stuckOrders: Array<{ journeyStage: string }> } }).journeyFlow;
    expect(narrowedFlow.stages).toEqual(flow.stages);
    expect(narrowedFlow.stuckCount).toBe(expected.filter((e) => isStuck(e) && (e.stage === 'RELEASED_TO_WAREHOUSE' || e.stage === 'SHIPPED')).length);
    for (const o of narrowedFlow.stuckOrders) expect(['RELEASED_TO_WAREHOUSE', 'SHIPPED']).toContain(o.journeyStage);
  });

  it('refuses out-of-range flow arguments with a precise error', async () => {
    for (const [args, message] of [
      ['recentOrders: 2001', /recentOrders must be from 1 to 2000; received 2001/],
      ['recentOrders: -5', /recentOrders must be from 1 to 2000; received -5/],
      ['stuckLongerThanSeconds: -1', /stuckLongerThanSeconds must be 0 or more/],
      ['first: 100000', /Argument "first" of Query.journeyFlow at "journeyFlow" is 100000; allowed: 0 to 500/],
    ] as const) {
      const { body } = await query(`{ journeyFlow(${args}) { stuckCount } }`);
      expect(body.errors?.[0]?.message, args).toMatch(message);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    // Each journeyFlow examines recentOrders orders, 10 units each (@workSize): aliases of it add up in the cost, refused before any work.
    const aliases = Array.from({ length: 3 }, (_, i) => `f${i}: journeyFlow(recentOrders: 2000) { stuckCount }`).join(' ');
    const costly = await query(`{ ${aliases} }`);
    expect(costly.status).toBe(400);
    expect(costly.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost', measured: 3 * (1 + 2000 * 10 + 1) });
    expect((await query('{ journeyFlow(recentOrders: 2000) { stuckCount } }')).status).toBe(200);
  });

  it('keeps SQL statements per request constant from 10 to 500 journeys', async () => {
    const counted = countingDatabase(t.db);
    const gateway = await createGateway({ db: counted, log: t.log, cache: t.cache }, t.access, { projectionSchemas: t.schemas, freshness: { ttlMs: 60_000 } });
    try {
      const principal = (await t.access.principals.authenticateApiKey(t.keys.internal))!;
      const contract = gateway.contracts.find((c) => c.meta.name === 'order_journey')!;
      const statementsFor = async (n: number) => {
        const document = `{ orderJourneys(first: ${n}) { ${JOURNEY_FIELDS} } }`;
        await gateway.executeContractOperation({ contract, principal, document }); // warm: compiled query, freshness cache
        const before = counted.statements;
        const result = await gateway.executeContractOperation({ contract, principal, document });
        expect(result.errors).toBeUndefined();
        expect((result.data as { orderJourneys: unknown[] }).orderJourneys.length).toBe(n);
        return counted.statements - before;
      };
      const small = await statementsFor(10);
      const large = await statementsFor(500);
      expect(large).toBe(small);
      expect(small).toBeLessThanOrEqual(12);
    } finally {
      await gateway.stop();
    }
  });
});

describe.each(bothDatabases)('order_journey whatever the cross-topic arrival order, on %s', (_name, openDb) => {
  let db: Database;
  const projectors: Projector[] = [];
  beforeAll(async () => {
    db = await openDb();
  });
  afterAll(async () => {
    await Promise.all(projectors.map((p) => p.stop()));
    await db.close();
  });

  /** Projects one delivery order of the records into fresh schemas and answers the contract over them. */
  const answerFor = async (records: readonly SimulatedRecord[]) => {
    const log = createEmbeddedEventLog();
    await produceAll(log, records);
    const prefix = uniqueName('jrn');
    const schemas = Object.fromEntries(contexts.map((c) => [c.name, `${prefix}_${c.name}`]));
    for (const context of contexts) {
      const projector = createProjector({ log, db }, context.ingestion, { schema: schemas[context.name], batchSize: 100 });
      projectors.push(projector);
      await projector.start();
      await waitUntilCaughtUp(db, log, schemas[context.name]!, context.ingestion.decoders.map((d) => d.topic));
    }
    const { access, keys } = await openTestAccess({ db, cache: (await import('../platform/cache/index.js')).createMemoryCache() }, `${prefix}_access`);
    const gateway = await createGateway({ db, log, cache: (await import('../platform/cache/index.js')).createMemoryCache() }, access, { projectionSchemas: schemas });
    try {
      const principal = (await access.principals.authenticateApiKey(keys.internal))!;
      const contract = gateway.contracts.find((c) => c.meta.name === 'order_journey')!;
      const result = await gateway.executeContractOperation({ contract, principal, document: `{ orderJourneys(first: 500) { ${JOURNEY_FIELDS} } }` });
      expect(result.errors).toBeUndefined();
      return (result.data as { orderJourneys: JourneyAnswer[] }).orderJourneys;
    } finally {
      await gateway.stop();
      await access.close();
    }
  };

  it('gives identical answers for three interleavings, including every payment and shipment before any order', async () => {
    const { records, histories } = createJourneySimulator({ seed: 77, startTime: Date.now() - 3_600_000, ...SIMULATION }).next(150);
    const isOrders = (r: SimulatedRecord) => r.topic !== PAYMENTS_EVENTS_TOPIC && r.topic !== FULFILLMENT_EVENTS_TOPIC;
    const byTopic = (topics: string[]) => topics.flatMap((topic) => records.filter((r) => (topic === 'orders' ? isOrders(r) : r.topic === topic)));
    const asPublished = await answerFor(records);
    const ordersLast = await answerFor([...records.filter((r) => !isOrders(r)), ...records.filter(isOrders)]);
    const topicByTopic = await answerFor(byTopic([FULFILLMENT_EVENTS_TOPIC, 'orders', PAYMENTS_EVENTS_TOPIC]));
    expect(ordersLast).toEqual(asPublished);
    expect(topicByTopic).toEqual(asPublished);
    const expected = new Map(histories.filter((j) => j.orderPublished).map((j) => [j.orderId, expectedJourney(j)]));
    expect(asPublished.map((a) => ({ orderId: a.orderId, stage: a.journeyStage, since: a.stageSince }))).toEqual(asPublished.map((a) => ({ orderId: a.orderId, ...expected.get(a.orderId)! })));
  });

  it('answers journeys still in flight, in every stage, as a replay of the history up to the same instant says', async () => {
    // No delivery faults and no delivery races: each record is delivered at its event time, so a
    // cut of the stream at T is the history up to T.
    const startTime = Date.UTC(2026, 10, 2, 8);
    // Orders every 5 s for 33 minutes, cut after 25: the orders of the last quarter of an hour are at every stage.
    const { records, histories } = createJourneySimulator({ seed: 5, startTime, orderIntervalMs: 5_000, rates: { ...SIMULATION.rates, 'order-consumed-late': 0, 'refund-before-capture': 0, declinedFirst: 0.3 }, faults: { legacyShare: 0.3 }, stepIntervalMs: 60_000 }).next(400);
    const cutoff = startTime + 25 * 60_000;
    const answers = await answerFor(records.filter((r) => r.at <= cutoff));
    const expected = histories.filter((j) => j.orderPublished && j.order.placedAt <= cutoff).map((j) => ({ orderId: j.orderId, ...expectedJourney(j, cutoff) }));
    expect(answers.map((a) => ({ orderId: a.orderId, stage: a.journeyStage, since: a.stageSince })).sort((a, b) => a.orderId.localeCompare(b.orderId))).toEqual(expected);
    expect(new Set(answers.map((a) => a.journeyStage))).toEqual(new Set(['PLACED', 'CONFIRMED', 'PAYMENT_AUTHORIZED', 'RELEASED_TO_WAREHOUSE', 'PARTIALLY_SHIPPED', 'SHIPPED', 'DELIVERED', 'CANCELLED']));
  });
});
