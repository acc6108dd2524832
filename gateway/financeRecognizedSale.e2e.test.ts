import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../platform/cache/index.js';
import type { Database } from '../platform/database/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { centsToMoney, moneyToCents } from '../platform/events/index.js';
import { createProjector } from '../platform/projection/index.js';
import type { Projector } from '../platform/projection/index.js';
import type { SimulatedRecord } from '../platform/simulator/index.js';
import { createPrng } from '../platform/simulator/index.js';
import { contexts, createJourneySimulator } from '../subgraphs/index.js';
import type { JourneySimulatorOptions, OrderJourney } from '../subgraphs/index.js';
import type { ShipmentHistory } from '../subgraphs/fulfillment/index.js';
import { FULFILLMENT_EVENTS_TOPIC, renderShipmentEvents } from '../subgraphs/fulfillment/index.js';
import type { OrderHistory } from '../subgraphs/orders/index.js';
import { renderDomainEvents } from '../subgraphs/orders/index.js';
import type { PaymentHistory } from '../subgraphs/payments/index.js';
import { PAYMENTS_EVENTS_TOPIC, renderPaymentEvents } from '../subgraphs/payments/index.js';
import { countingDatabase } from '../test/support/countingDatabase.js';
import { bothDatabases } from '../test/support/databases.js';
import { openTestAccess } from '../test/support/gatewayAccess.js';
import { postGraphQL } from '../test/support/graphqlClient.js';
import { produceAll, waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import { uniqueName } from '../test/support/services.js';
import type { TestGateway } from '../test/support/startTestGateway.js';
import { startTestGateway } from '../test/support/startTestGateway.js';
import { createGateway } from './createGateway.js';

const CONTRACT = '/contracts/finance_recognized_sale/v1';
const CONTRACT_NAME = 'finance_recognized_sale';
const DAY = 86_400_000;
const HOUR = 3_600_000;
// Journeys an hour apart with steps of about two hours, so business dates vary (a dispatch is
// about half a day after its order); races far above production rates, so each one happens.
const SIMULATION: Pick<JourneySimulatorOptions, 'rates' | 'faults' | 'orderIntervalMs' | 'stepIntervalMs'> = {
  rates: { 'order-consumed-late': 0.1, 'refund-before-capture': 0.5, 'dispatch-after-cancel': 0.6, 'authorization-expired': 0.15, 'never-captured': 0.1, 'order-never-appears': 0.03, splitShipment: 0.6, goodwillRefund: 0.4, declinedFirst: 0.1 },
  // Duplicates and reordering the engine absorbs; nothing lost or malformed, so the truth is the generated history.
  faults: { legacyShare: 0.3, duplicateRate: 0.02, reorderRate: 0.02 },
  orderIntervalMs: HOUR,
  stepIntervalMs: 2 * HOUR,
};
const LINE_FIELDS = 'orderId businessDate lineKind amount { amount currency } captureIds refundIds occurredAt';
const SALE_FIELDS = `orderId orderConfirmedAt orderCancelledAt firstDispatchedAt recognitionDate recognizedTotal { amount currency } ledgerLines { ${LINE_FIELDS} }`;
const LEDGER_FIELDS = `lines { ${LINE_FIELDS} } totals { businessDate total { amount currency } lineCount }`;

// ---------------------------------------------------------------------------------------------
// The oracle: the rule of the contract written again, over the business histories the producers
// published (never over projections or the contract's code).

type LineKind = 'RECOGNITION' | 'ADJUSTMENT';
interface Money {
  amount: string;
  currency: string;
}
interface Line {
  orderId: string;
  businessDate: string;
  lineKind: LineKind;
  amount: Money;
  captureIds: string[];
  refundIds: string[];
  occurredAt: string;
}
interface Sale {
  orderId: string;
  orderConfirmedAt: string | null;
  orderCancelledAt: string | null;
  firstDispatchedAt: string | null;
  recognitionDate: string | null;
  recognizedTotal: Money[];
  ledgerLines: Line[];
}
interface DateTotal {
  businessDate: string;
  total: Money;
  lineCount: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const dateOf = (ms: number) => iso(ms).slice(0, 10);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The sale of a journey as the rule says, or null when the order was never published (unknown to orders). */
function expectedSale(journey: OrderJourney): Sale | null {
  if (!journey.orderPublished) return null;
  const { order } = journey;
  const confirmedAt = order.steps.find((s) => s.kind === 'confirm')?.at ?? null;
  const cancelledAt = order.steps.find((s) => s.kind === 'cancel')?.at ?? null;
  const dispatches = journey.shipments.flatMap((s) => s.steps.flatMap((step) => (step.kind === 'dispatch' ? [step.at] : [])));
  const firstDispatch = dispatches.length > 0 ? Math.min(...dispatches) : null;
  const facts = { orderId: order.orderId, orderConfirmedAt: confirmedAt === null ? null : iso(confirmedAt), orderCancelledAt: cancelledAt === null ? null : iso(cancelledAt), firstDispatchedAt: firstDispatch === null ? null : iso(firstDispatch) };
  const recognized = confirmedAt !== null && firstDispatch !== null && (cancelledAt === null || cancelledAt > firstDispatch);
  if (!recognized) return { ...facts, recognitionDate: null, recognizedTotal: [], ledgerLines: [] };

  const D = dateOf(firstDispatch);
  const endOfD = Date.parse(`${D}T00:00:00.000Z`) + DAY;
  // Every capture and refund of every attempt, signed.
  const moves = journey.payments.flatMap((p) =>
    p.steps.flatMap((step) => {
      if (step.kind === 'capture') return [{ id: step.captureId, capture: true, cents: moneyToCents(step.amount), at: step.at }];
      if (step.kind === 'refund') return [{ id: step.refundId, capture: false, cents: -moneyToCents(step.amount), at: step.at }];
      return [];
    }),
  );
  const money = (cents: number) => ({ amount: centsToMoney(cents), currency: order.currency });
  const onD = moves.filter((m) => m.at < endOfD);
  const recognition: Line = {
    orderId: order.orderId,
    businessDate: D,
    lineKind: 'RECOGNITION',
    amount: money(onD.reduce((sum, m) => sum + m.cents, 0)),
    captureIds: onD.filter((m) => m.capture).map((m) => m.id).sort(),
    refundIds: onD.filter((m) => !m.capture).map((m) => m.id).sort(),
    occurredAt: iso(firstDispatch),
  };
  const adjustments = moves
    .filter((m) => m.at >= endOfD)
    .sort((a, b) => a.at - b.at || Number(b.capture) - Number(a.capture) || byText(a.id, b.id))
    .map((m): Line => ({ orderId: order.orderId, businessDate: dateOf(m.at), lineKind: 'ADJUSTMENT', amount: money(m.cents), captureIds: m.capture ? [m.id] : [], refundIds: m.capture ? [] : [m.id], occurredAt: iso(m.at) }));
  return { ...facts, recognitionDate: D, recognizedTotal: [money(moves.reduce((sum, m) => sum + m.cents, 0))], ledgerLines: [recognition, ...adjustments] };
}

/** Every line of every sale dated in [from, to], in ledger order, with totals per date and currency. */
function expectedLedger(sales: ReadonlyArray<Sale | null>, from: string, to: string): { lines: Line[]; totals: DateTotal[] } {
  const kindRank = (l: Line) => (l.lineKind === 'RECOGNITION' ? 0 : 1);
  const lines = sales
    .flatMap((s) => s?.ledgerLines ?? [])
    .filter((l) => l.businessDate >= from && l.businessDate <= to)
    .sort((a, b) => byText(a.businessDate, b.businessDate) || byText(a.orderId, b.orderId) || kindRank(a) - kindRank(b) || byText(a.occurredAt, b.occurredAt) || a.refundIds.length - b.refundIds.length || byText([...a.captureIds, ...a.refundIds][0] ?? '', [...b.captureIds, ...b.refundIds][0] ?? ''));
  const totals = new Map<string, { businessDate: string; currency: string; cents: number; lineCount: number }>();
  for (const line of lines) {
    const key = `${line.businessDate}/${line.amount.currency}`;
    const total = totals.get(key) ?? { businessDate: line.businessDate, currency: line.amount.currency, cents: 0, lineCount: 0 };
    total.cents += moneyToCents(line.amount.amount);
    total.lineCount++;
    totals.set(key, total);
  }
  return {
    lines,
    totals: [...totals.values()].sort((a, b) => byText(a.businessDate, b.businessDate) || byText(a.currency, b.currency)).map((t) => ({ businessDate: t.businessDate, total: { amount: centsToMoney(t.cents), currency: t.currency }, lineCount: t.lineCount })),
  };
}

/** The business dates from `from` to `to`, both included. */
const datesBetween = (from: string, to: string) => Array.from({ length: (Date.parse(to) - Date.parse(from)) / DAY + 1 }, (_, i) => dateOf(Date.parse(from) + i * DAY));
const spanOf = (sales: ReadonlyArray<Sale | null>) => {
  const dates = sales.flatMap((s) => s?.ledgerLines.map((l) => l.businessDate) ?? []).sort();
  return { first: dates[0]!, last: dates[dates.length - 1]! };
};
/** One document asking for the sale of every id, aliased. */
const salesDocument = (orderIds: readonly string[]) => `{ ${orderIds.map((id, i) => `o${i}: recognizedSaleByOrder(orderId: "${id}") { ${SALE_FIELDS} }`).join(' ')} }`;
const ledgerDocument = (from: string, to: string) => `{ recognizedSaleLedger(fromDate: "${from}", toDate: "${to}") { ${LEDGER_FIELDS} } }`;

// ---------------------------------------------------------------------------------------------

describe('finance_recognized_sale over real HTTP, PostgreSQL and Redis', () => {
  const seed = 23;
  const startTime = Date.UTC(2026, 9, 28, 15);
  const COUNT = 240;
  let t: TestGateway;
  let journeys: OrderJourney[];
  let sales: Array<Sale | null>;
  beforeAll(async () => {
    journeys = createJourneySimulator({ seed, startTime, ...SIMULATION }).next(COUNT).histories;
    sales = journeys.map(expectedSale);
    t = await startTestGateway({ prefix: 'finance', services: 'postgres', journeys: { count: COUNT, seed, startTime, ...SIMULATION } });
  }, 180_000);
  afterAll(async () => {
    await t.stop();
  });
  const query = (document: string) => postGraphQL(`${t.url}${CONTRACT}`, document, { headers: t.bearer('internal') });

  it('answers every order exactly as an independent replay of the generated histories says', async () => {
    // Nothing quarantined: every step of the histories was applied, so they are the truth.
    for (const context of contexts) {
      const { rows } = await t.db.query<{ n: number }>(`select count(*)::int as n from "${t.schemas[context.name]}".quarantine`);
      expect(rows[0]!.n, context.name).toBe(0);
    }
    const ids = [...journeys.map((j) => j.orderId), 'ord-999999'];
    const answers: Array<Sale | null> = [];
    for (let i = 0; i < ids.length; i += 60) {
      const batch = ids.slice(i, i + 60);
      const { status, body } = await query(salesDocument(batch));
      expect(status, JSON.stringify(body.errors)).toBe(200);
      answers.push(...batch.map((_, k) => (body.data as Record<string, Sale | null>)[`o${k}`]!));
    }
    journeys.forEach((journey, i) => expect(answers[i], `${journey.orderId} ${journey.races.join(',')}`).toEqual(sales[i]));
    expect(answers[answers.length - 1]).toBeNull();

    // The equality above covers every case of the rule, each several times.
    const recognized = sales.filter((s) => s?.recognitionDate);
    const lines = recognized.flatMap((s) => s!.ledgerLines);
    expect(recognized.length).toBeGreaterThan(100);
    expect(lines.filter((l) => l.lineKind === 'RECOGNITION' && l.amount.amount === '0.00').length).toBeGreaterThan(3); // never captured
    expect(lines.filter((l) => l.lineKind === 'ADJUSTMENT' && l.captureIds.length > 0).length).toBeGreaterThan(1); // a later shipment captured a day after D
    expect(lines.filter((l) => l.lineKind === 'ADJUSTMENT' && l.refundIds.length > 0).length).toBeGreaterThan(10); // refunds after D
    expect(sales.filter((s) => s && s.firstDispatchedAt && s.orderConfirmedAt && !s.recognitionDate).length).toBeGreaterThan(1); // cancelled at or before the first dispatch
    expect(sales.filter((s) => s && !s.orderConfirmedAt).length).toBeGreaterThan(10); // not confirmed: no lines
    expect(sales.filter((s) => s === null).length).toBeGreaterThan(1); // payments for an order never published
    expect(new Set(lines.map((l) => l.amount.currency)).size).toBeGreaterThan(1);
    expect(new Set(journeys.flatMap((j) => j.races))).toEqual(new Set(['order-consumed-late', 'refund-before-capture', 'dispatch-after-cancel', 'authorization-expired', 'never-captured', 'order-never-appears']));
  });

  it('answers ranges of business dates, lines and totals per date and currency, as the replay says, reading the three projections', async () => {
    const { first, last } = spanOf(sales);
    expect(datesBetween(first, last).length).toBeGreaterThan(7);
    const ranges: Array<[string, string]> = [[first, last], ...datesBetween(first, last).map((d): [string, string] => [d, d]), [dateOf(Date.parse(first) + 2 * DAY), dateOf(Date.parse(first) + 4 * DAY)], ['2026-01-01', '2026-01-31']];
    for (const [from, to] of ranges) {
      const { status, body } = await query(ledgerDocument(from, to));
      expect(status, JSON.stringify(body.errors)).toBe(200);
      expect((body.data as { recognizedSaleLedger: unknown }).recognizedSaleLedger, `${from}..${to}`).toEqual(expectedLedger(sales, from, to));
    }
    const whole = expectedLedger(sales, first, last);
    expect(whole.totals.some((t) => whole.totals.some((u) => u !== t && u.businessDate === t.businessDate))).toBe(true); // several currencies on a date
    const { body } = await query(ledgerDocument(first, first));
    const freshness = body.extensions!.freshness as Array<{ projection: string }>;
    expect(freshness.map((f) => f.projection).sort()).toEqual(['order_timeline', 'payment_attempts', 'shipment_tracking']);
  });

  it('shows in the catalog the rule, and lineage down to a topic for every field, the candidate lookups included', async () => {
    const { status, body } = await postGraphQL(
      `${t.url}/catalog`,
      `{ contract(name: "${CONTRACT_NAME}", version: 1) { owner tier audience consumers description fields { coordinate derived freshness { projection } lineage { subgraph subgraphField topics { topic } } } } }`,
      { headers: t.bearer('internal') },
    );
    expect(status, JSON.stringify(body.errors)).toBe(200);
    const contract = (body.data as { contract: { owner: string; tier: string; audience: string; consumers: string[]; description: string; fields: Array<{ coordinate: string; derived: boolean; freshness: unknown[]; lineage: Array<{ subgraph: string; subgraphField: string; topics: unknown[] }> }> } }).contract;
    expect(contract).toMatchObject({ owner: 'finance-controlling', tier: 'ENTERPRISE', audience: 'INTERNAL', consumers: ['general-ledger-close', 'revenue-reporting'] });
    expect(contract.description).toContain("An order's sale is recognized on the UTC business date D of its first `ShipmentDispatched` (by event time), once the order is confirmed, even if the confirmation comes after the dispatch;");
    expect(contract.description).toContain('Captures and refunds are summed over all of the order\'s payment attempts. An order that is not (yet) confirmed has no ledger lines yet.');
    for (const field of contract.fields) {
      expect(field.lineage.length, field.coordinate).toBeGreaterThan(0);
      for (const link of field.lineage) expect(link.topics.length, `${field.coordinate} ← ${link.subgraph} ${link.subgraphField}`).toBeGreaterThan(0);
      expect(field.freshness.length, field.coordinate).toBeGreaterThan(0);
    }
    const ledger = contract.fields.find((f) => f.coordinate === 'Query.recognizedSaleLedger')!;
    expect(ledger.lineage.map((l) => `${l.subgraph} ${l.subgraphField}`)).toEqual(expect.arrayContaining(['fulfillment/v1 Query.orderIdsDispatchedBetween', 'payments/v1 Query.orderIdsWithMoneyMovementBetween', 'payments/v1 PaymentRefund.refundedAt', 'orders/v2 Order.confirmedAt']));
  });

  it('keeps SQL statements per request constant from 10 to 200 orders, by order and by range', async () => {
    const counted = countingDatabase(t.db);
    const gateway = await createGateway({ db: counted, log: t.log, cache: t.cache }, t.access, { projectionSchemas: t.schemas, freshness: { ttlMs: 60_000 } });
    try {
      const principal = (await t.access.principals.authenticateApiKey(t.keys.internal))!;
      const contract = gateway.contracts.find((c) => c.meta.name === CONTRACT_NAME)!;
      const statementsFor = async (document: string) => {
        await gateway.executeContractOperation({ contract, principal, document }); // warm: compiled query
        const before = counted.statements;
        const result = await gateway.executeContractOperation({ contract, principal, document });
        expect(result.errors).toBeUndefined();
        return { statements: counted.statements - before, data: result.data as Record<string, unknown> };
      };
      const recognizedIds = sales.filter((s) => s?.recognitionDate).map((s) => s!.orderId);
      const tenOrders = await statementsFor(salesDocument(recognizedIds.slice(0, 10)));
      const manyOrders = await statementsFor(salesDocument(journeys.slice(0, 200).map((j) => j.orderId)));
      expect(manyOrders.statements).toBe(tenOrders.statements);
      // orders, payments, captures, refunds, shipments: one each.
      expect(tenOrders.statements).toBe(5);

      // A range with about ten candidate orders, and the whole span (every order).
      const { first, last } = spanOf(sales);
      const ordersIn = (data: Record<string, unknown>) => new Set((data.recognizedSaleLedger as { lines: Line[] }).lines.map((l) => l.orderId)).size;
      const small = await statementsFor(ledgerDocument(first, first));
      const whole = await statementsFor(ledgerDocument(first, last));
      expect(ordersIn(small.data)).toBeLessThanOrEqual(15);
      expect(ordersIn(whole.data)).toBeGreaterThanOrEqual(150);
      expect(whole.statements).toBe(small.statements);
      // Two candidate lookups, then orders, payments, captures, refunds, shipments: one each.
      expect(small.statements).toBe(7);
    } finally {
      await gateway.stop();
    }
  });

  it('refuses bad ranges with precise BAD_USER_INPUT errors', async () => {
    for (const [args, message] of [
      ['fromDate: "2026-11-02", toDate: "2026-11-01"', 'fromDate (2026-11-02) is after toDate (2026-11-01): the range runs from the earlier date to the later, both included.'],
      ['fromDate: "2026-11-01", toDate: "2026-12-02"', 'recognizedSaleLedger covers at most 31 business dates per request; fromDate 2026-11-01 to toDate 2026-12-02 is 32. Ask for shorter ranges.'],
      ['fromDate: "02.11.2026", toDate: "2026-11-03"', 'fromDate must be a UTC business date written YYYY-MM-DD (e.g. "2026-11-02"), years 1900 to 9998; received "02.11.2026".'],
      ['fromDate: "0000-01-01", toDate: "0000-01-01"', 'fromDate must be a UTC business date written YYYY-MM-DD (e.g. "2026-11-02"), years 1900 to 9998; received "0000-01-01".'],
      ['fromDate: "9999-12-31", toDate: "9999-12-31"', 'fromDate must be a UTC business date written YYYY-MM-DD (e.g. "2026-11-02"), years 1900 to 9998; received "9999-12-31".'],
      ['fromDate: "2026-11-01", toDate: "2026-02-30"', 'toDate must be a UTC business date written YYYY-MM-DD (e.g. "2026-11-02"), years 1900 to 9998; received "2026-02-30".'],
    ] as const) {
      const { status, body } = await query(`{ recognizedSaleLedger(${args}) { totals { businessDate } } }`);
      expect(status, args).toBe(200);
      expect(body.errors?.[0]?.message, args).toBe(message);
      expect(body.errors?.[0]?.extensions?.code, args).toBe('BAD_USER_INPUT');
    }
    // The longest range allowed is answered.
    const { body } = await query(ledgerDocument('2026-11-01', '2026-12-01'));
    expect(body.errors).toBeUndefined();
  });

  it('refuses a range with more candidate orders than its cap, naming the cap, rather than truncate', async () => {
    // Given 5001 orders dispatched on one day, far from the simulated journeys.
    const day = Date.UTC(2027, 0, 15, 9);
    const prng = createPrng(9);
    const shipments: ShipmentHistory[] = Array.from({ length: 5001 }, (_, i) => ({
      shipmentId: `shp-cap-${i}`,
      orderId: `ord-cap-${String(i).padStart(5, '0')}`,
      warehouseId: 'wh-lyon',
      wave: '2027-01-15-W2',
      lines: [{ lineId: '1', sku: 'SKU-MUG-02', quantity: 1 }],
      shipTo: { name: 'Jane Doe', line1: '1 Market Street', city: 'Lyon', postalCode: '69002', country: 'FR' },
      steps: [{ kind: 'create', at: day }, { kind: 'pick', at: day + 1000 }, { kind: 'dispatch', at: day + 2000 + i, carrier: 'dhl', trackingNumber: `DHL${i}` }],
    }));
    await produceAll(t.log, shipments.flatMap((s) => renderShipmentEvents(s, prng)));
    await waitUntilCaughtUp(t.db, t.log, t.schemas.fulfillment!, [FULFILLMENT_EVENTS_TOPIC]);
    const { body } = await query(ledgerDocument('2027-01-15', '2027-01-15'));
    expect(body.errors?.[0]?.message).toBe('recognizedSaleLedger(fromDate: "2027-01-15", toDate: "2027-01-15") has 5001 candidate orders (dispatched, captured or refunded in the range), above the cap of 5000 per request; ask for a shorter range.');
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

// ---------------------------------------------------------------------------------------------

/** A gateway over fresh schemas of one database, fed from a log the test writes to. */
async function openLedgerGateway(db: Database, projectors: Projector[]) {
  const log: EventLog = createEmbeddedEventLog();
  const prefix = uniqueName('frs');
  const schemas = Object.fromEntries(contexts.map((c) => [c.name, `${prefix}_${c.name}`]));
  for (const context of contexts) {
    const projector = createProjector({ log, db }, context.ingestion, { schema: schemas[context.name], batchSize: 100 });
    projectors.push(projector);
    await projector.start();
  }
  const { access, keys } = await openTestAccess({ db, cache: createMemoryCache() }, `${prefix}_access`);
  const gateway = await createGateway({ db, log, cache: createMemoryCache() }, access, { projectionSchemas: schemas });
  const principal = (await access.principals.authenticateApiKey(keys.internal))!;
  const contract = gateway.contracts.find((c) => c.meta.name === CONTRACT_NAME)!;
  const ask = async (document: string) => {
    const result = await gateway.executeContractOperation({ contract, principal, document });
    expect(result.errors).toBeUndefined();
    return result.data as Record<string, unknown>;
  };
  return {
    /** Produces the records in the order given and waits until every context has applied them. */
    async produce(records: readonly SimulatedRecord[]) {
      await produceAll(log, records);
      for (const context of contexts) await waitUntilCaughtUp(db, log, schemas[context.name]!, context.ingestion.decoders.map((d) => d.topic));
    },
    async sales(orderIds: readonly string[]): Promise<Array<Sale | null>> {
      const data = await ask(salesDocument(orderIds));
      return orderIds.map((_, i) => data[`o${i}`] as Sale | null);
    },
    async ledger(from: string, to: string) {
      return (await ask(ledgerDocument(from, to))).recognizedSaleLedger as { lines: Line[]; totals: DateTotal[] };
    },
    async stop() {
      await gateway.stop();
      await access.close();
    },
  };
}

// Hand-written journeys for the rule's edges, each a small story with explicit event times.
const at = (time: string) => Date.parse(time);
function order(orderId: string, currency: string, placedAt: string, steps: OrderHistory['steps']): OrderHistory {
  return { orderId, customerId: 'cus-00001', channel: 'web', currency, customerEmail: 'customer1@example.com', shippingAddress: { line1: '1 Market Street', city: 'Lyon', postalCode: '69002', country: 'FR' }, lines: [{ lineId: '1', sku: 'SKU-KETTLE-01', quantity: 1, unitPrice: '100.00' }], placedAt: at(placedAt), steps };
}
function payment(paymentId: string, orderId: string, currency: string, authorizedAt: string, amount: string, moves: Array<['capture' | 'refund', string, string, string]>): PaymentHistory {
  return {
    paymentId, orderId, currency, method: 'wallet', card: null, pspReference: `psp-${paymentId}`, authorizationExpiresAt: at(authorizedAt) + 7 * DAY,
    steps: [{ kind: 'authorize', at: at(authorizedAt), amount }, ...moves.map(([kind, id, sum, time]) => (kind === 'capture' ? { kind, at: at(time), captureId: id, amount: sum } : { kind, at: at(time), refundId: id, amount: sum, reason: 'returned' as const }))],
  };
}
function shipment(shipmentId: string, orderId: string, dispatchedAt: string): ShipmentHistory {
  const dispatch = at(dispatchedAt);
  return {
    shipmentId, orderId, warehouseId: 'wh-lyon', wave: `${dispatchedAt.slice(0, 10)}-W1`, lines: [{ lineId: '1', sku: 'SKU-KETTLE-01', quantity: 1 }], shipTo: { name: 'Jane Doe', line1: '1 Market Street', city: 'Lyon', postalCode: '69002', country: 'FR' },
    steps: [{ kind: 'create', at: dispatch - 3 * HOUR }, { kind: 'pick', at: dispatch - 2 * HOUR }, { kind: 'dispatch', at: dispatch, carrier: 'dhl', trackingNumber: `DHL-${shipmentId}` }],
  };
}
const journey = (o: OrderHistory, payments: PaymentHistory[], shipments: ShipmentHistory[]): OrderJourney => ({ orderId: o.orderId, order: o, orderPublished: true, legacy: false, payments, shipments, races: [] });

/**
 * The edge stories, complete or as known before their late records arrive (`complete: false`):
 * - ord-900001: recognized on Nov 2; two captures of a second attempt, dated Nov 1 and Nov 2 23:59:59.999, arrive late.
 * - ord-900002: dispatched Nov 3, confirmed only on Nov 5 (that confirmation arrives late).
 * - ord-900003: cancelled at the very instant of its first dispatch, after a capture: never recognized.
 * - ord-900004: cancelled the day after its dispatch and refunded in full: recognized, total zero.
 * - ord-900006: dispatched Nov 4; a shipment dispatched on Nov 2 is reported late and moves D.
 */
function edgeJourneys(complete: boolean): OrderJourney[] {
  return [
    journey(
      order('ord-900001', 'EUR', '2026-11-01T20:00:00.000Z', [{ kind: 'confirm', at: at('2026-11-01T21:00:00.000Z') }]),
      [
        payment('pay-900001-1', 'ord-900001', 'EUR', '2026-11-01T20:01:00.000Z', '100.00', [['capture', 'cap-900001-1', '60.00', '2026-11-02T22:05:00.000Z'], ['capture', 'cap-900001-2', '40.00', '2026-11-04T09:05:00.000Z'], ['refund', 'ref-900001-1', '5.00', '2026-11-06T10:00:00.000Z']]),
        payment('pay-900001-2', 'ord-900001', 'EUR', '2026-11-01T20:02:00.000Z', '30.00', complete ? [['capture', 'cap-900001-3', '10.00', '2026-11-01T23:00:00.000Z'], ['capture', 'cap-900001-4', '20.00', '2026-11-02T23:59:59.999Z']] : []),
      ],
      [shipment('shp-900001-1', 'ord-900001', '2026-11-02T22:00:00.000Z'), shipment('shp-900001-2', 'ord-900001', '2026-11-04T09:00:00.000Z')],
    ),
    journey(
      order('ord-900002', 'GBP', '2026-11-02T06:00:00.000Z', complete ? [{ kind: 'confirm', at: at('2026-11-05T12:00:00.000Z') }] : []),
      [payment('pay-900002-1', 'ord-900002', 'GBP', '2026-11-02T06:01:00.000Z', '50.00', [['capture', 'cap-900002-1', '50.00', '2026-11-03T10:30:00.000Z']])],
      [shipment('shp-900002-1', 'ord-900002', '2026-11-03T10:00:00.000Z')],
    ),
    journey(
      order('ord-900003', 'EUR', '2026-11-02T07:00:00.000Z', [{ kind: 'confirm', at: at('2026-11-02T08:00:00.000Z') }, { kind: 'cancel', at: at('2026-11-03T12:00:00.000Z'), reason: 'customer_request' }]),
      [payment('pay-900003-1', 'ord-900003', 'EUR', '2026-11-02T07:01:00.000Z', '25.00', [['capture', 'cap-900003-1', '25.00', '2026-11-03T11:00:00.000Z'], ['refund', 'ref-900003-1', '25.00', '2026-11-04T09:00:00.000Z']])],
      [shipment('shp-900003-1', 'ord-900003', '2026-11-03T12:00:00.000Z')],
    ),
    journey(
      order('ord-900004', 'USD', '2026-11-03T07:00:00.000Z', [{ kind: 'confirm', at: at('2026-11-03T08:00:00.000Z') }, { kind: 'cancel', at: at('2026-11-04T08:00:00.000Z'), reason: 'customer_request' }]),
      [payment('pay-900004-1', 'ord-900004', 'USD', '2026-11-03T07:01:00.000Z', '80.00', [['capture', 'cap-900004-1', '80.00', '2026-11-03T15:10:00.000Z'], ['refund', 'ref-900004-1', '80.00', '2026-11-04T08:05:00.000Z']])],
      [shipment('shp-900004-1', 'ord-900004', '2026-11-03T15:00:00.000Z')],
    ),
    journey(
      order('ord-900006', 'EUR', '2026-11-01T10:00:00.000Z', [{ kind: 'confirm', at: at('2026-11-01T11:00:00.000Z') }]),
      [payment('pay-900006-1', 'ord-900006', 'EUR', '2026-11-01T10:01:00.000Z', '40.00', [['capture', 'cap-900006-1', '20.00', '2026-11-02T10:05:00.000Z'], ['capture', 'cap-900006-2', '20.00', '2026-11-04T10:05:00.000Z']])],
      [shipment('shp-900006-1', 'ord-900006', '2026-11-04T10:00:00.000Z'), ...(complete ? [shipment('shp-900006-2', 'ord-900006', '2026-11-02T10:00:00.000Z')] : [])],
    ),
  ];
}

/** Each journey as its three producers publish it: order, then payments, then shipments. */
function recordsOf(journeys: readonly OrderJourney[]): SimulatedRecord[] {
  const prng = createPrng(17);
  return journeys.flatMap((j) => [...renderDomainEvents(j.order, prng), ...j.payments.flatMap((p) => renderPaymentEvents(p, prng)), ...j.shipments.flatMap((s) => renderShipmentEvents(s, prng))]);
}
/** The records of the complete stories that the incomplete ones lack: they are delivered late. */
const isLate = (r: SimulatedRecord) => /cap-900001-[34]/.test(r.value ?? '') || (r.key === 'ord-900002' && (r.value ?? '').includes('"OrderConfirmed"')) || r.key === 'shp-900006-2';

describe.each(bothDatabases)('finance_recognized_sale whatever the arrival order, on %s', (_name, openDb) => {
  let db: Database;
  const projectors: Projector[] = [];
  const gateways: Array<{ stop(): Promise<void> }> = [];
  beforeAll(async () => {
    db = await openDb();
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await Promise.all(projectors.map((p) => p.stop()));
    await db.close();
  });

  it('gives identical answers for three cross-topic interleavings, equal to the replay', async () => {
    const { records, histories } = createJourneySimulator({ seed: 77, startTime: Date.UTC(2026, 10, 1, 18), ...SIMULATION }).next(120);
    const ids = histories.map((j) => j.orderId);
    const expectedSales = histories.map(expectedSale);
    const { first, last } = spanOf(expectedSales);
    const answerFor = async (delivered: readonly SimulatedRecord[]) => {
      const gateway = await openLedgerGateway(db, projectors);
      gateways.push(gateway);
      await gateway.produce(delivered);
      return { sales: await gateway.sales(ids), ledger: await gateway.ledger(first, last) };
    };
    const isOrders = (r: SimulatedRecord) => r.topic !== PAYMENTS_EVENTS_TOPIC && r.topic !== FULFILLMENT_EVENTS_TOPIC;
    const byTopic = (topics: string[]) => topics.flatMap((topic) => records.filter((r) => (topic === 'orders' ? isOrders(r) : r.topic === topic)));
    const asPublished = await answerFor(records);
    const ordersLast = await answerFor([...records.filter((r) => !isOrders(r)), ...records.filter(isOrders)]);
    const topicByTopic = await answerFor(byTopic([FULFILLMENT_EVENTS_TOPIC, 'orders', PAYMENTS_EVENTS_TOPIC]));
    expect(ordersLast).toEqual(asPublished);
    expect(topicByTopic).toEqual(asPublished);
    expect(asPublished.sales).toEqual(expectedSales);
    expect(asPublished.ledger).toEqual(expectedLedger(expectedSales, first, last));
    expect(asPublished.ledger.lines.length).toBeGreaterThan(80);
  });

  it('restates past lines when late events arrive: captures dated on or before D, a confirmation after the dispatch, an earlier dispatch', async () => {
    const gateway = await openLedgerGateway(db, projectors);
    gateways.push(gateway);
    const ids = edgeJourneys(true).map((j) => j.orderId);
    const all = recordsOf(edgeJourneys(true));
    const late = all.filter(isLate);
    expect(late).toHaveLength(2 + 1 + 3);

    // Before the late records: the sales as the incomplete stories say.
    await gateway.produce(all.filter((r) => !isLate(r)));
    const before = await gateway.sales(ids);
    expect(before).toEqual(edgeJourneys(false).map(expectedSale));
    expect(await gateway.ledger('2026-11-01', '2026-11-06')).toEqual(expectedLedger(edgeJourneys(false).map(expectedSale), '2026-11-01', '2026-11-06'));
    const [sale1, sale2, sale3, sale4, sale6] = before;
    expect(sale1!.ledgerLines.map((l) => [l.businessDate, l.lineKind, l.amount.amount, [...l.captureIds, ...l.refundIds].join()])).toEqual([
      ['2026-11-02', 'RECOGNITION', '60.00', 'cap-900001-1'],
      ['2026-11-04', 'ADJUSTMENT', '40.00', 'cap-900001-2'],
      ['2026-11-06', 'ADJUSTMENT', '-5.00', 'ref-900001-1'],
    ]);
    expect(sale2).toMatchObject({ orderConfirmedAt: null, firstDispatchedAt: '2026-11-03T10:00:00.000Z', recognitionDate: null, ledgerLines: [], recognizedTotal: [] }); // not yet confirmed
    expect(sale3).toMatchObject({ firstDispatchedAt: '2026-11-03T12:00:00.000Z', orderCancelledAt: '2026-11-03T12:00:00.000Z', recognitionDate: null, ledgerLines: [] }); // cancelled at the dispatch: never
    expect(sale4!.ledgerLines.map((l) => [l.businessDate, l.lineKind, l.amount.amount])).toEqual([['2026-11-03', 'RECOGNITION', '80.00'], ['2026-11-04', 'ADJUSTMENT', '-80.00']]);
    expect(sale4!.recognizedTotal).toEqual([{ amount: '0.00', currency: 'USD' }]);
    expect(sale6!.ledgerLines.map((l) => [l.businessDate, l.lineKind, l.amount.amount])).toEqual([['2026-11-04', 'RECOGNITION', '40.00']]);

    // When the late records arrive: the same lines as the complete stories, dated by event time, never by arrival.
    await gateway.produce(late);
    const after = await gateway.sales(ids);
    expect(after).toEqual(edgeJourneys(true).map(expectedSale));
    const ledger = await gateway.ledger('2026-11-01', '2026-11-06');
    expect(ledger).toEqual(expectedLedger(edgeJourneys(true).map(expectedSale), '2026-11-01', '2026-11-06'));
    expect(after[0]!.ledgerLines.map((l) => [l.businessDate, l.lineKind, l.amount.amount, [...l.captureIds, ...l.refundIds].join()])).toEqual([
      ['2026-11-02', 'RECOGNITION', '90.00', 'cap-900001-1,cap-900001-3,cap-900001-4'], // restated
      ['2026-11-04', 'ADJUSTMENT', '40.00', 'cap-900001-2'],
      ['2026-11-06', 'ADJUSTMENT', '-5.00', 'ref-900001-1'],
    ]);
    expect(after[0]!.recognizedTotal).toEqual([{ amount: '125.00', currency: 'EUR' }]);
    expect(after[1]!.ledgerLines.map((l) => [l.businessDate, l.lineKind, l.amount.amount, l.amount.currency])).toEqual([['2026-11-03', 'RECOGNITION', '50.00', 'GBP']]);
    expect(after[4]!.ledgerLines.map((l) => [l.businessDate, l.lineKind, l.amount.amount])).toEqual([['2026-11-02', 'RECOGNITION', '20.00'], ['2026-11-04', 'ADJUSTMENT', '20.00']]);
    expect(ledger.totals.find((t) => t.businessDate === '2026-11-02' && t.total.currency === 'EUR')).toEqual({ businessDate: '2026-11-02', total: { amount: '110.00', currency: 'EUR' }, lineCount: 2 });
  });
});
