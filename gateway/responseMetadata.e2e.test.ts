import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contexts, createJourneySimulator } from '../subgraphs/index.js';
import { postGraphQL } from '../test/support/graphqlClient.js';
import { produceAll, waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import type { TestGateway } from '../test/support/startTestGateway.js';
import { startTestGateway } from '../test/support/startTestGateway.js';

const V1 = '/contracts/customer_order_timeline/v1';
const V2 = '/contracts/customer_order_timeline/v2';
const JOURNEY = '/contracts/order_journey/v1';
const MINUTE = 60_000;
const START = Date.now() - 3 * 3_600_000;

type Body = Awaited<ReturnType<typeof postGraphQL>>['body'];
interface FreshnessEntry {
  projection: string;
  status: string;
  asOfEventTime: string;
  lagEvents: number;
  dataAgeMs: number;
  binds: string;
  staleBecause: string[];
  fields: string[];
}
const freshnessOf = (body: Body) => body.extensions!.freshness as FreshnessEntry[];

describe.each([['PostgreSQL and Redis', 'postgres'] as const, ['PGlite and the memory cache', 'embedded'] as const])('response metadata, exactly right, on %s', (_name, services) => {
  let t: TestGateway;
  // The clock freshness is judged by, moved by the tests (as a silent producer would move it).
  const clock = { offsetMs: 0 };
  const as = (path: string, query: string, options: { variables?: Record<string, unknown>; client?: string } = {}) =>
    postGraphQL(`${t.url}${path}`, query, { variables: options.variables, headers: { ...t.bearer('internal'), ...(options.client ? { 'apollographql-client-name': options.client } : {}) } });
  const catalog = async (query: string, variables?: Record<string, unknown>) => {
    const { body } = await postGraphQL(`${t.url}/catalog`, query, { variables, headers: t.bearer('operator') });
    expect(body.errors).toBeUndefined();
    return body.data!;
  };
  const fieldUsage = async (version: number, coordinate: string) => {
    const data = await catalog('query($v: Int!) { contract(name: "customer_order_timeline", version: $v) { fields { coordinate usage { client kind count today last7Days last30Days lastSeenAt daily { date count } } } } }', { v: version });
    return (data.contract as { fields: Array<{ coordinate: string; usage: Array<{ client: string; kind: string; count: number; today: number; last7Days: number; last30Days: number; lastSeenAt: string | null; daily: Array<{ date: string; count: number }> }> }> }).fields.find((f) => f.coordinate === coordinate)!.usage;
  };

  beforeAll(async () => {
    t = await startTestGateway({
      prefix: `metadata_${services}`,
      services,
      journeys: { count: 40, seed: 31, startTime: START, stepIntervalMs: 20_000 },
      gateway: { freshness: { ttlMs: 0, now: () => Date.now() + clock.offsetMs }, freshnessHistory: { intervalMs: 50 } },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('@skip and @include are honoured everywhere metadata is computed', () => {
    const query = 'query($legacy: Boolean!) { recentCustomerOrders(first: 2) { orderId orderStatus @include(if: $legacy) ... @skip(if: true) { orderTotalAsFloat } } }';

    it('a skipped deprecated field yields no header, no notice, no lineage, no freshness entry and no usage count', async () => {
      const { status, headers, body } = await as(V1, query, { variables: { legacy: false }, client: 'order-status-emails' });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect((body.data!.recentCustomerOrders as Array<Record<string, unknown>>)[0]).toEqual({ orderId: expect.any(String) });
      expect(headers.get('deprecation')).toBeNull();
      expect(headers.get('sunset')).toBeNull();
      expect(body.extensions!.deprecations).toBeUndefined();
      expect(Object.keys(body.extensions!.lineage as object).sort()).toEqual(['recentCustomerOrders', 'recentCustomerOrders.orderId']);
      expect(freshnessOf(body).flatMap((f) => f.fields).sort()).toEqual(['CustomerOrderTimeline.orderId', 'Query.recentCustomerOrders']);
      expect(await fieldUsage(1, 'CustomerOrderTimeline.orderStatus')).toEqual([]);
      expect(await fieldUsage(1, 'CustomerOrderTimeline.orderTotalAsFloat')).toEqual([]);
      expect((await fieldUsage(1, 'CustomerOrderTimeline.orderId')).find((u) => u.client === 'order-status-emails')).toMatchObject({ kind: 'CONSUMER', count: 1 });
      // Nor does the audit log record it as selected.
      await t.access.audit.flush();
      const [entry] = await t.access.audit.list({ action: 'contract.query', limit: 1 });
      expect(entry!.fieldsSelected).not.toContain('CustomerOrderTimeline.orderStatus');
    });

    it('the same operation with the field included yields all of it', async () => {
      const { headers, body } = await as(V1, query, { variables: { legacy: true }, client: 'order-status-emails' });
      expect(headers.get('deprecation')).toBe(`@${Date.parse('2026-10-01T00:00:00Z') / 1000}`);
      expect((body.extensions!.deprecations as Array<{ coordinate: string }>).map((d) => d.coordinate)).toEqual(['CustomerOrderTimeline.orderStatus']);
      expect(body.extensions!.lineage).toHaveProperty(['recentCustomerOrders.orderStatus']);
      expect(freshnessOf(body)[0]!.fields).toContain('CustomerOrderTimeline.orderStatus');
      expect((await fieldUsage(1, 'CustomerOrderTimeline.orderStatus')).map((u) => [u.client, u.kind, u.count])).toEqual([
        ['all clients', 'ALL', 1],
        ['order-status-emails', 'CONSUMER', 1],
      ]);
    });

    it('a skipped field of another context reads no projection of it', async () => {
      const { body } = await as(JOURNEY, '{ orderJourneys(first: 2) { orderId payments @skip(if: true) { paymentId } shipments @include(if: false) { shipmentId } } }');
      expect(freshnessOf(body).map((f) => f.projection)).toEqual(['order_timeline']);
    });
  });

  it('reports lineage per response path: Money.amount under orderTotal is the order total, under a line’s unitPrice the unit price', async () => {
    const { body } = await as(V2, '{ recentCustomerOrders(first: 1) { orderTotal { amount currency } lines: orderLines { unitPrice { amount } } } }');
    const lineage = body.extensions!.lineage as Record<string, Array<Record<string, unknown>>>;
    expect(lineage['recentCustomerOrders.orderTotal.amount']).toEqual([
      { field: 'Money.amount', source: 'orders/v2:Money.amount', via: ['orders/v2:Order.orderTotal'], projection: 'order_timeline', columns: ['orders.order_total_amount'], topics: expect.arrayContaining(['orders.events.v1', 'legacy.oms.cdc']) },
    ]);
    expect(lineage['recentCustomerOrders.lines.unitPrice.amount']).toEqual([expect.objectContaining({ field: 'Money.amount', via: ['orders/v2:OrderLine.unitPrice'], columns: ['order_lines.unit_price'] })]);
    expect(lineage['recentCustomerOrders.orderTotal.currency']).toEqual([expect.objectContaining({ field: 'Money.currency', via: [], columns: ['orders.currency'] })]);

    // The catalog says the same per parent, beside the union the type declares.
    const data = await catalog('{ contract(name: "customer_order_timeline", version: 2) { fields { coordinate lineage { columns } lineageVia { parent lineage { columns via } } } } }');
    const amount = (data.contract as { fields: Array<{ coordinate: string; lineage: Array<{ columns: string[] }>; lineageVia: Array<{ parent: string; lineage: Array<{ columns: string[]; via: string[] }> }> }> }).fields.find((f) => f.coordinate === 'Money.amount')!;
    expect(amount.lineage[0]!.columns).toEqual(['orders.order_total_amount', 'order_lines.unit_price', 'order_lines.line_amount']);
    expect(Object.fromEntries(amount.lineageVia.map((v) => [v.parent, v.lineage[0]!.columns]))).toEqual({
      'CustomerOrderTimeline.orderTotal': ['orders.order_total_amount'],
      'CustomerOrderLine.unitPrice': ['order_lines.unit_price'],
      'CustomerOrderLine.lineAmount': ['order_lines.line_amount'],
    });
  });

  it('counts usage per named client with rolling windows and last seen; any other name is unidentified', async () => {
    const query = '{ recentCustomerOrders(first: 1) { orderId salesChannel } }';
    await as(V2, query, { client: 'customer-service-portal' });
    await as(V2, query, { client: 'customer-service-portal' });
    await as(V2, query); // no header: the principal itself
    for (let i = 0; i < 25; i++) await as(V2, query, { client: `made-up-client-${i}` });
    const usage = await fieldUsage(2, 'CustomerOrderTimeline.salesChannel');
    expect(usage.map((u) => [u.client, u.kind, u.today, u.last7Days, u.last30Days])).toEqual([
      ['all clients', 'ALL', 28, 28, 28],
      ['unidentified', 'UNIDENTIFIED', 25, 25, 25],
      ['customer-service-portal', 'CONSUMER', 2, 2, 2],
      ['test-internal', 'PRINCIPAL', 1, 1, 1],
    ]);
    const today = new Date().toISOString().slice(0, 10);
    for (const u of usage) {
      expect(u.daily).toHaveLength(30);
      expect(u.daily.at(-1)).toEqual({ date: today, count: u.today });
      expect(Date.now() - Date.parse(u.lastSeenAt!)).toBeLessThan(60_000);
    }
    const data = await catalog('{ contract(name: "customer_order_timeline", version: 2) { usage { client kind today last30Days lastSeenAt } } }');
    expect((data.contract as { usage: Array<{ client: string; kind: string; last30Days: number }> }).usage.slice(0, 2)).toEqual([expect.objectContaining({ client: 'all clients', kind: 'ALL' }), expect.objectContaining({ client: 'unidentified', last30Days: 25 })]);
    // A partner sees nobody's usage.
    const { body } = await postGraphQL(`${t.url}/catalog`, '{ contracts { usage { client } fields { usage { client } } } }', { headers: t.bearer('partner') });
    expect((body.data!.contracts as Array<{ usage: unknown[]; fields: Array<{ usage: unknown[] }> }>).every((c) => c.usage.length === 0 && c.fields.every((f) => f.usage.length === 0))).toBe(true);
  });

  it('turns a contract binding DATA_AGE STALE when its source is silent past the declared silence, and FRESH again when events arrive; history keeps each minute', async () => {
    const ordersOnly = '{ orderJourneys(first: 2) { orderId orderLifecycleState } }';
    const newestOrderEvent = Date.parse(freshnessOf((await as(JOURNEY, ordersOnly)).body)[0]!.asOfEventTime);
    const at = (eventTimeOffsetMs: number) => (clock.offsetMs = newestOrderEvent + eventTimeOffsetMs - Date.now());
    const sampled = async () => sleep(250); // several sampler ticks

    at(200_000); // silent for 200 s of the 300 s order_journey allows
    const quiet = freshnessOf((await as(JOURNEY, ordersOnly)).body)[0]!;
    expect(quiet).toMatchObject({ projection: 'order_timeline', status: 'FRESH', lagEvents: 0, binds: 'DATA_AGE', staleBecause: [] });
    expect(quiet.dataAgeMs).toBeGreaterThanOrEqual(199_000);
    await sampled();
    const quietMinute = Math.floor((Date.now() + clock.offsetMs) / MINUTE) * MINUTE;

    at(400_000); // silent past it
    const silent = await as(JOURNEY, ordersOnly);
    expect(freshnessOf(silent.body)[0]).toMatchObject({ status: 'STALE', lagEvents: 0, staleBecause: ['DATA_AGE'] });
    expect(silent.body.extensions!.freshnessStatus).toBe('STALE');
    // The same projection, caught up, under a contract whose SLA binds the processing lag: FRESH, and it says how old the newest fact is.
    const timeline = freshnessOf((await as(V2, '{ recentCustomerOrders(first: 1) { orderId } }')).body)[0]!;
    expect(timeline).toMatchObject({ status: 'FRESH', binds: 'PROCESSING_LAG', lagEvents: 0 });
    expect(timeline.dataAgeMs).toBeGreaterThanOrEqual(399_000);
    const sources = await catalog('{ contract(name: "order_journey", version: 1) { freshness { projection status staleBecause dataAgeMs sources { topic newestEventTime silentForMs } } } }');
    const orderTimeline = (sources.contract as { freshness: Array<{ projection: string; status: string; sources: Array<{ topic: string; silentForMs: number }> }> }).freshness.find((f) => f.projection === 'order_timeline')!;
    expect(orderTimeline.status).toBe('STALE');
    expect(orderTimeline.sources.map((s) => s.topic).sort()).toEqual(['legacy.oms.cdc', 'orders.events.v1']);
    expect(Math.min(...orderTimeline.sources.map((s) => s.silentForMs))).toBeGreaterThanOrEqual(399_000);
    await sampled();
    const silentMinute = Math.floor((Date.now() + clock.offsetMs) / MINUTE) * MINUTE;

    // The producer speaks again: new journeys, as of the moved clock.
    const now = Date.now() + clock.offsetMs;
    await produceAll(t.log, createJourneySimulator({ seed: 77, firstOrderNumber: 700_001, startTime: now - 10_000, stepIntervalMs: 20_000 }).next(3).records);
    for (const context of contexts) await waitUntilCaughtUp(t.db, t.log, t.schemas[context.name]!, context.ingestion.decoders.map((d) => d.topic));
    const spoke = freshnessOf((await as(JOURNEY, ordersOnly)).body)[0]!;
    expect(spoke).toMatchObject({ status: 'FRESH', lagEvents: 0, staleBecause: [] });
    expect(spoke.dataAgeMs).toBeLessThanOrEqual(15_000);
    clock.offsetMs += MINUTE; // the next minute's sample
    await sampled();
    const spokeMinute = Math.floor((Date.now() + clock.offsetMs) / MINUTE) * MINUTE;

    const data = await catalog('{ contract(name: "order_journey", version: 1) { freshnessBinds maxSourceSilenceSeconds freshnessHistory { projection binds maxSourceSilenceSeconds samples { at status staleBecause dataAgeMs lagEvents } } } }');
    const contract = data.contract as { freshnessBinds: string; maxSourceSilenceSeconds: number; freshnessHistory: Array<{ projection: string; binds: string; samples: Array<{ at: string; status: string; staleBecause: string[] }> }> };
    expect(contract).toMatchObject({ freshnessBinds: 'DATA_AGE', maxSourceSilenceSeconds: 300 });
    const history = contract.freshnessHistory.find((h) => h.projection === 'order_timeline')!;
    expect(history.binds).toBe('DATA_AGE');
    const statusAt = (minute: number) => history.samples.find((s) => s.at === new Date(minute).toISOString())?.status;
    expect([statusAt(quietMinute), statusAt(silentMinute), statusAt(spokeMinute)]).toEqual(['FRESH', 'STALE', 'FRESH']);
    expect(contract.freshnessHistory.map((h) => h.projection).sort()).toEqual(['order_timeline', 'payment_attempts', 'shipment_tracking']);
    clock.offsetMs = 0;
  });
});
