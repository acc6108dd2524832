import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextModule } from '../../platform/context/index.js';
import { quoteIdent } from '../../platform/database/index.js';
import type { SimulatedRecord } from '../../platform/simulator/index.js';
import { contexts, createJourneySimulator } from '../../subgraphs/index.js';
import { ORDERS_EVENTS_TOPIC } from '../../subgraphs/orders/index.js';
import { postGraphQL } from '../../test/support/graphqlClient.js';
import { produceAll, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import type { TestGateway } from '../../test/support/startTestGateway.js';
import { startTestGateway } from '../../test/support/startTestGateway.js';
import type { Gateway } from '../createGateway.js';
import { createGateway } from '../createGateway.js';
import { listen } from '../http/listen.js';
import type { Sample } from '../../test/support/prometheusExposition.js';
import { findSamples as find, parseExposition } from '../../test/support/prometheusExposition.js';

/** The one value of `name` with exactly these labels' values, 0 when absent (a counter not yet incremented). */
const valueOf = (samples: readonly Sample[], name: string, labels: Record<string, string> = {}) => {
  const found = find(samples, name, labels);
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
};

// ---------------------------------------------------------------------------------------------
// A context that contributes its own gauge through ContextModule.flowMetrics, from a table the
// test writes. `mode` lets a test make its collector misbehave the ways a real one can.
const fixture = { mode: 'count' as 'count' | 'sleep' | 'write' };
const flowFixture: ContextModule = {
  name: 'flowfixture',
  owner: 'metrics-tests',
  description: 'Publishes open items per rule and owner, as reconciliation publishes open exceptions.',
  ingestion: { name: 'flowfixture', decoders: [], projections: [] },
  subgraphs: [],
  flowMetrics: {
    metrics: [{ name: 'dpg_flowfixture_open_items', help: 'Open items per rule and owner.', labelNames: ['rule', 'owner'] }],
    async collect({ db, schema }) {
      const items = `${quoteIdent(schema)}.items`;
      if (fixture.mode === 'sleep') await db.query('select pg_sleep(30)');
      if (fixture.mode === 'write') await db.query(`insert into ${items} (rule, owner, item_state) values ('R9', 'intruder', 'open')`);
      const { rows } = await db.query<{ rule: string; owner: string; items: number }>(`select rule, owner, count(*)::int as items from ${items} where item_state = 'open' group by rule, owner`);
      return rows.map((r) => ({ name: 'dpg_flowfixture_open_items', labels: { rule: r.rule, owner: r.owner }, value: r.items }));
    },
  },
};

const JOURNEYS = { count: 40, seed: 11, faults: { legacyShare: 0 }, startTime: Date.now() - 3 * 86_400_000 };
const JOURNEY_FLOW = '{ journeyFlow(recentOrders: 500, stuckLongerThanSeconds: 3600) { ordersConsidered stages { stage orders stuck } } }';

/** Records no projection could apply: two that are not JSON, one envelope of a type orders does not know. */
function poisonRecords(at: number): SimulatedRecord[] {
  const envelope = { eventId: 'poison-teleported', type: 'OrderTeleported', schemaVersion: 1, aggregateId: 'ord-poison', sequence: 1, occurredAt: new Date(at).toISOString(), producedAt: new Date(at).toISOString(), correlationId: 'poison', causationId: null, source: 'web-checkout', data: {} };
  return [
    { topic: ORDERS_EVENTS_TOPIC, key: 'ord-poison-1', value: '{"eventId": "cut-off', at },
    { topic: ORDERS_EVENTS_TOPIC, key: 'ord-poison-2', value: 'not json at all', at },
    { topic: ORDERS_EVENTS_TOPIC, key: 'ord-poison', value: JSON.stringify(envelope), at },
  ];
}

describe.each(['postgres', 'embedded'] as const)('GET /metrics on %s', (services) => {
  let t: TestGateway;
  const scrape = async (who: 'operator' | null = 'operator', url = t.url) => {
    const response = await fetch(`${url}/metrics`, { headers: who ? t.bearer(who) : {} });
    return { status: response.status, contentType: response.headers.get('content-type'), samples: response.status === 200 ? parseExposition(await response.text()) : [] };
  };

  beforeAll(async () => {
    t = await startTestGateway({ prefix: 'metrics', services, journeys: JOURNEYS, gateway: { contexts: [...contexts, flowFixture], metrics: { collectTimeoutMs: 3000, reuseSamplesMs: 0 } } });
    await produceAll(t.log, poisonRecords(JOURNEYS.startTime));
    await waitUntilCaughtUp(t.db, t.log, t.schemas.orders!, [ORDERS_EVENTS_TOPIC]);
    const items = `${quoteIdent(t.schemas.flowfixture!)}.items`;
    await t.db.query(`create schema ${quoteIdent(t.schemas.flowfixture!)}`);
    await t.db.query(`create table ${items} (rule text not null, owner text not null, item_state text not null)`);
    await t.db.query(`insert into ${items} values ('R1', 'team-a', 'open'), ('R1', 'team-a', 'open'), ('R1', 'team-b', 'open'), ('R2', 'team-a', 'open'), ('R2', 'team-a', 'closed')`);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('is for operators: 401 without a credential or with a bad one, 403 without the operate right', async () => {
    const none = await fetch(`${t.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(((await none.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer dpg_nope_0000000000000000000000000000' } })).status).toBe(401);
    const internal = await fetch(`${t.url}/metrics`, { headers: t.bearer('internal') });
    expect(internal.status).toBe(403);
    expect(((await internal.json()) as { errors: Array<{ message: string; extensions: { code: string } }> }).errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('no "operate" right') });
    const operator = await scrape('operator');
    expect(operator.status).toBe(200);
    expect(operator.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect((await fetch(`${t.url}/metrics`, { method: 'POST', headers: t.bearer('operator') })).status).toBe(405);
  });

  it('reports each projection’s lag and event-time watermark: the greatest occurredAt it applied', async () => {
    const { samples } = await scrape();
    const records = createJourneySimulator({ seed: JOURNEYS.seed, faults: JOURNEYS.faults, startTime: JOURNEYS.startTime }).next(JOURNEYS.count).records;
    for (const context of contexts) {
      const topics = new Set(context.ingestion.decoders.map((d) => d.topic));
      // What the context was sent, less what it quarantined: the events it applied.
      const { rows: quarantined } = await t.db.query<{ record_value: Uint8Array | null }>(`select record_value from ${quoteIdent(t.schemas[context.name]!)}.quarantine`);
      const refused = new Set(quarantined.flatMap((q) => eventIdOf(q.record_value === null ? null : Buffer.from(q.record_value).toString('utf8'))));
      const applied = records.filter((r) => topics.has(r.topic) && r.value !== null && !refused.has(eventIdOf(r.value)[0] ?? ''));
      const maxOccurredAt = Math.max(...applied.map((r) => Date.parse((JSON.parse(r.value!) as { occurredAt: string }).occurredAt)));
      expect(applied.length, context.name).toBeGreaterThan(0);
      for (const projection of context.ingestion.projections) {
        const labels = { context: context.name, projection: projection.name };
        expect(valueOf(samples, 'dpg_projection_event_time_watermark_seconds', labels), `${context.name} watermark`).toBeCloseTo(maxOccurredAt / 1000, 3);
        const age = valueOf(samples, 'dpg_projection_event_time_watermark_age_seconds', labels);
        expect(age).toBeGreaterThan((Date.now() - maxOccurredAt) / 1000 - 30);
        expect(age).toBeLessThanOrEqual((Date.now() - maxOccurredAt) / 1000 + 1);
        expect(find(samples, 'dpg_projection_lag_records', labels)).toEqual([{ name: 'dpg_projection_lag_records', labels, value: 0 }]);
        // Per input partition: the outcomes of its records, exactly as the checkpoints count them.
        const { rows: checkpoints } = await t.db.query<{ topic: string; partition: number; applied_count: string; duplicate_count: string; parked_count: string; quarantined_count: string; ignored_count: string; max_event_time: Date | null }>(
          `select * from ${quoteIdent(t.schemas[context.name]!)}.projection_checkpoints where projection = $1`,
          [projection.name],
        );
        expect(checkpoints.length).toBeGreaterThan(0);
        for (const c of checkpoints) {
          const partition = { ...labels, topic: c.topic, partition: String(c.partition) };
          for (const [outcome, value] of [['applied', c.applied_count], ['duplicate', c.duplicate_count], ['parked', c.parked_count], ['quarantined', c.quarantined_count], ['ignored', c.ignored_count]] as const) {
            expect(valueOf(samples, 'dpg_projection_records', { ...partition, outcome }), `${context.name} ${c.topic}/${c.partition} ${outcome}`).toBe(Number(value));
          }
          expect(valueOf(samples, 'dpg_projection_partition_lag_records', partition)).toBe(0);
          expect(find(samples, 'dpg_projection_partition_event_time_seconds', partition).map((x) => x.value)).toEqual(c.max_event_time ? [c.max_event_time.getTime() / 1000] : []);
        }
      }
    }
  });

  it('counts quarantine entries per context, projection, reason and state exactly as the quarantine tables hold them', async () => {
    const { samples } = await scrape();
    const expected: Sample[] = [];
    for (const context of contexts) {
      const { rows } = await t.db.query<{ projection: string; reason_code: string; quarantine_state: string; entries: number }>(`select projection, reason_code, quarantine_state, count(*)::int as entries from ${quoteIdent(t.schemas[context.name]!)}.quarantine group by 1, 2, 3`);
      expected.push(...rows.map((r) => ({ name: 'dpg_quarantine_entries', labels: { context: context.name, projection: r.projection, reason: r.reason_code, state: r.quarantine_state }, value: r.entries })));
    }
    const key = (s: Sample) => JSON.stringify(Object.entries(s.labels).sort());
    const byLabels = (a: Sample, b: Sample) => key(a).localeCompare(key(b));
    expect(find(samples, 'dpg_quarantine_entries').sort(byLabels)).toEqual(expected.sort(byLabels));
    const orders = { context: 'orders', projection: contexts[0]!.ingestion.projections[0]!.name, state: 'open' };
    expect(valueOf(samples, 'dpg_quarantine_entries', { ...orders, reason: 'MALFORMED_JSON' })).toBe(2);
    expect(valueOf(samples, 'dpg_quarantine_entries', { ...orders, reason: 'UNKNOWN_EVENT_TYPE' })).toBe(1);
  });

  it('publishes orders per journey stage as the order_journey contract answers them', async () => {
    const { samples } = await scrape();
    const { body } = await postGraphQL(`${t.url}/contracts/order_journey/v1`, JOURNEY_FLOW, { headers: t.bearer('internal') });
    const flow = (body.data as { journeyFlow: { ordersConsidered: number; stages: Array<{ stage: string; orders: number; stuck: number }> } }).journeyFlow;
    const { rows } = await t.db.query<{ orders: number }>(`select count(*)::int as orders from ${quoteIdent(t.schema)}.orders`);
    expect(flow.ordersConsidered).toBe(rows[0]!.orders);
    expect(valueOf(samples, 'dpg_order_journey_orders_considered')).toBe(flow.ordersConsidered);
    expect(flow.stages.filter((s) => s.orders > 0).length).toBeGreaterThan(2);
    for (const { stage, orders, stuck } of flow.stages) {
      expect(valueOf(samples, 'dpg_order_journey_orders', { stage }), stage).toBe(orders);
      expect(valueOf(samples, 'dpg_order_journey_stuck_orders', { stage }), stage).toBe(stuck);
    }
    expect(find(samples, 'dpg_order_journey_orders').reduce((sum, s) => sum + s.value, 0)).toBe(flow.ordersConsidered);
  });

  it('counts the requests made, by route, operation type and status, their durations and the error codes answered', async () => {
    const route = '/contracts/order_journey/v1';
    const before = (await scrape()).samples;
    const journeyQuery = '{ orderJourneys(first: 2) { orderId journeyStage } }';
    expect((await postGraphQL(`${t.url}${route}`, journeyQuery, { headers: t.bearer('internal') })).status).toBe(200);
    expect((await postGraphQL(`${t.url}${route}`, journeyQuery, { headers: t.bearer('internal') })).status).toBe(200);
    expect((await postGraphQL(`${t.url}${route}`, '{ orderJourneys(first: 2) { nope } }', { headers: t.bearer('internal') })).status).toBe(400);
    expect((await postGraphQL(`${t.url}${route}`, journeyQuery)).status).toBe(401);
    expect((await fetch(`${t.url}/no/such/${Math.random()}`, { headers: t.bearer('internal') })).status).toBe(404);
    const after = (await scrape()).samples;
    const delta = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);

    expect(delta('dpg_http_requests_total', { route, operation: 'query', status: '200' })).toBe(2);
    expect(delta('dpg_http_requests_total', { route, operation: 'none', status: '400' })).toBe(1);
    expect(delta('dpg_http_requests_total', { route, operation: 'none', status: '401' })).toBe(1);
    expect(delta('dpg_http_requests_total', { route: 'unmatched', operation: 'none', status: '404' })).toBe(1);
    expect(delta('dpg_http_request_duration_seconds_count', { route, operation: 'query' })).toBe(2);
    expect(delta('dpg_http_request_duration_seconds_sum', { route, operation: 'query' })).toBeGreaterThan(0);
    expect(delta('dpg_graphql_errors_total', { route, code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(delta('dpg_graphql_errors_total', { route, code: 'UNAUTHENTICATED' })).toBe(1);
    expect(delta('dpg_graphql_errors_total', { route: 'unmatched', code: 'NOT_FOUND' })).toBe(1);
    // The previous scrape is counted once it has been answered.
    expect(delta('dpg_http_requests_total', { route: '/metrics', operation: 'none', status: '200' })).toBe(1);
    // Process metrics come along, on this gateway's own registry.
    expect(find(after, 'process_cpu_user_seconds_total')).toHaveLength(1);
    expect(find(after, 'nodejs_heap_size_used_bytes')).toHaveLength(1);
  });

  it('serves the gauges a context contributes through flowMetrics', async () => {
    const { samples } = await scrape();
    expect(find(samples, 'dpg_flowfixture_open_items').map((s) => `${s.labels.rule} ${s.labels.owner} ${s.value}`).sort()).toEqual(['R1 team-a 2', 'R1 team-b 1', 'R2 team-a 1']);
    expect(valueOf(samples, 'dpg_metrics_collect_errors_total', { source: 'context:flowfixture' })).toBe(0);
    expect(valueOf(samples, 'dpg_metrics_collect_duration_seconds', { source: 'context:flowfixture' })).toBeGreaterThan(0);
  });

  // PostgreSQL only: PGlite can neither run read-only transactions for collectors nor cancel a
  // running statement (README, Metrics); there the JS time-box alone bounds a scrape.
  if (services === 'postgres') it('runs a context’s collector read-only, and PostgreSQL cancels its statements at the collect timeout', async () => {
    fixture.mode = 'write';
    try {
      const { status, samples } = await scrape();
      expect(status).toBe(200);
      expect(valueOf(samples, 'dpg_metrics_collect_errors_total', { source: 'context:flowfixture', kind: 'failed' })).toBe(1);
      expect(find(samples, 'dpg_flowfixture_open_items')).toEqual([]);
      const { rows } = await t.db.query<{ n: number }>(`select count(*)::int as n from ${quoteIdent(t.schemas.flowfixture!)}.items where owner = 'intruder'`);
      expect(rows[0]!.n).toBe(0);

      fixture.mode = 'sleep';
      const started = Date.now();
      const slow = await scrape();
      expect(slow.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(find(slow.samples, 'dpg_metrics_collect_errors_total', { source: 'context:flowfixture' }).reduce((sum, s) => sum + s.value, 0)).toBe(2);
      // Without the statement timeout pg_sleep(30) would run on for half a minute after the scrape.
      const sleeping = async () => (await t.db.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where state = 'active' and query like '%pg_sleep(30)%' and pid <> pg_backend_pid()`)).rows[0]!.n;
      const deadline = Date.now() + 5000;
      while ((await sleeping()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await sleeping()).toBe(0);
    } finally {
      fixture.mode = 'count';
    }
  });

  it('still answers when a collector fails: the others’ samples and the error counter, never a 500', async () => {
    const before = await scrape();
    const kinds = (samples: Sample[]) => find(samples, 'dpg_metrics_collect_errors_total', { source: 'context:flowfixture', kind: 'missing_tables' });
    await t.db.query(`drop schema ${quoteIdent(t.schemas.flowfixture!)} cascade`);
    const after = await scrape();
    expect(after.status).toBe(200);
    expect(valueOf(after.samples, 'dpg_metrics_collect_errors_total', { source: 'context:flowfixture', kind: 'missing_tables' }) - (kinds(before.samples)[0]?.value ?? 0)).toBe(1);
    expect(find(after.samples, 'dpg_flowfixture_open_items')).toEqual([]);
    // One per projection of every registered context (the fixture context has none).
    expect(find(after.samples, 'dpg_projection_lag_records')).toHaveLength(contexts.reduce((n, c) => n + c.ingestion.projections.length, 0));
    expect(find(after.samples, 'dpg_order_journey_orders')).toHaveLength(8);
    expect(valueOf(after.samples, 'dpg_metrics_collect_errors_total', { source: 'projections:orders' })).toBe(0);
  });

  it('reports the records produced but not yet applied as lag, per projection', async () => {
    await t.stopProjectors();
    const more = createJourneySimulator({ seed: JOURNEYS.seed + 1, faults: JOURNEYS.faults, startTime: Date.now() }).next(5).records;
    await produceAll(t.log, more);
    const { samples } = await scrape();
    for (const context of contexts) {
      const topics = new Set(context.ingestion.decoders.map((d) => d.topic));
      const produced = more.filter((r) => topics.has(r.topic)).length;
      expect(produced, context.name).toBeGreaterThan(0);
      for (const projection of context.ingestion.projections) {
        expect(valueOf(samples, 'dpg_projection_lag_records', { context: context.name, projection: projection.name }), context.name).toBe(produced);
        // The partitions' lags add up to the projection's.
        expect(find(samples, 'dpg_projection_partition_lag_records', { context: context.name, projection: projection.name }).reduce((sum, x) => sum + x.value, 0)).toBe(produced);
      }
    }
  });

  describe('a second gateway in the same process, scraped without credentials (METRICS_PUBLIC=true)', () => {
    let second: { gateway: Gateway; server: Server; url: string };
    let release: () => void = () => undefined;
    const slow = { calls: 0, gate: new Promise<void>((resolve) => (release = resolve)) };
    const slowFixture: ContextModule = {
      name: 'slowfixture',
      owner: 'metrics-tests',
      description: 'A collector that answers only when the test lets it.',
      ingestion: { name: 'slowfixture', decoders: [], projections: [] },
      subgraphs: [],
      flowMetrics: {
        metrics: [{ name: 'dpg_slowfixture_answers', help: 'Answers given.', labelNames: [] }],
        async collect() {
          slow.calls += 1;
          await slow.gate;
          return [{ name: 'dpg_slowfixture_answers', labels: {}, value: 42 }];
        },
      },
    };

    beforeAll(async () => {
      const gateway = await createGateway({ db: t.db, log: t.log, cache: t.cache }, t.access, { contexts: [slowFixture, ...contexts], projectionSchemas: t.schemas, metrics: { access: 'public', collectTimeoutMs: 1500, reuseSamplesMs: 0 } });
      second = { gateway, ...(await listen(gateway.handle, '127.0.0.1', 0)) };
    });
    afterAll(async () => {
      release();
      second?.server.close();
      await second?.gateway.stop();
    });

    it('keeps its own counts, and a late collector costs only its own samples and is never run twice at once', async () => {
      const firstBefore = (await scrape()).samples;
      const started = Date.now();
      const late = await scrape(null, second.url);
      expect(late.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(valueOf(late.samples, 'dpg_metrics_collect_errors_total', { source: 'context:slowfixture', kind: 'timeout' })).toBe(1);
      expect(find(late.samples, 'dpg_slowfixture_answers')).toEqual([]);
      const again = await scrape(null, second.url);
      expect(valueOf(again.samples, 'dpg_metrics_collect_errors_total', { source: 'context:slowfixture', kind: 'timeout' })).toBe(2);
      expect(slow.calls).toBe(1);
      expect(valueOf(again.samples, 'dpg_http_requests_total', { route: '/metrics', operation: 'none', status: '200' })).toBe(1);

      release();
      await new Promise((r) => setTimeout(r, 50));
      const answered = await scrape(null, second.url);
      expect(find(answered.samples, 'dpg_slowfixture_answers')).toEqual([{ name: 'dpg_slowfixture_answers', labels: {}, value: 42 }]);
      expect(valueOf(answered.samples, 'dpg_metrics_collect_errors_total', { source: 'context:slowfixture', kind: 'timeout' })).toBe(2);

      // The first gateway counted none of the second one's requests: only its own scrape between.
      const firstAfter = (await scrape()).samples;
      expect(valueOf(firstAfter, 'dpg_http_requests_total', { route: '/metrics', operation: 'none', status: '200' }) - valueOf(firstBefore, 'dpg_http_requests_total', { route: '/metrics', operation: 'none', status: '200' })).toBe(1);
    });
  });
});

/** The eventId of an envelope record, if it is one (poison records are not). */
function eventIdOf(value: string | null): string[] {
  if (value === null) return [];
  try {
    const parsed = JSON.parse(value) as { eventId?: unknown };
    return typeof parsed.eventId === 'string' ? [parsed.eventId] : [];
  } catch {
    return [];
  }
}
