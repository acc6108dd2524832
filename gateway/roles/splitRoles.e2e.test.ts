import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../platform/cache/index.js';
import type { Database } from '../../platform/database/index.js';
import { createPostgresDatabase, quoteIdent } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { createEmbeddedEventLog, createKafkaEventLog } from '../../platform/eventLog/index.js';
import { createProjector } from '../../platform/projection/index.js';
import { contexts, createJourneySimulator } from '../../subgraphs/index.js';
import { produceAll, snapshotContext, snapshotQuarantine, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { postgresUrl } from '../../test/support/services.js';
import { startMockKafkaBroker } from '../../test/support/startMockKafkaBroker.js';
import type { RoleProcess } from '../../test/support/startRoleProcess.js';
import { startRoleProcess } from '../../test/support/startRoleProcess.js';
import { createGateway } from '../createGateway.js';
import { openAccess } from '../openAccess.js';
import { registryTopics } from './index.js';

// The scaled topology of docker-compose.yml, as processes: two ROLE=projector processes sharing
// the consumer groups and one ROLE=gateway process, on PostgreSQL and a Kafka-protocol broker of
// this file's own (the registry's real topic and group names, so no other file may share it).
// The projection must be the one a single process writes, and the gateway must serve it.

const PARTITIONS = 4;
const TOKENIZATION_SECRET = 'split-roles-test-secret-0123456789abcdef';
const JOURNEY_DOCUMENT = /* GraphQL */ `{ orderJourneys(first: 150) { orderId journeyStage stageSince payments { paymentId paymentLifecycleState capturedAmount { amount currency } } shipments { warehouseId shipmentStatus lines { sku quantity } } } }`;
const EXCEPTIONS_DOCUMENT = /* GraphQL */ `{ watermark { watermark } exceptionCounts { rule owner severity state count } }`;

describe('split roles: two projector processes and a gateway process (ROLE), against PostgreSQL and a Kafka broker', () => {
  const database = `dpg_roles_${randomBytes(4).toString('hex')}`;
  const databaseUrl = (() => {
    const url = new URL(postgresUrl());
    url.pathname = `/${database}`;
    return url.toString();
  })();
  let admin: Database;
  let db: Database;
  let broker: { bootstrap: string; stop: () => Promise<void> };
  let kafka: EventLog;
  const processes: RoleProcess[] = [];

  beforeAll(async () => {
    admin = await createPostgresDatabase(postgresUrl());
    await admin.query(`create database ${quoteIdent(database)}`);
    db = await createPostgresDatabase(databaseUrl);
    broker = await startMockKafkaBroker(registryTopics().map((t) => `${t}:${PARTITIONS}`));
    kafka = await createKafkaEventLog({ brokers: [broker.bootstrap], sessionTimeoutMs: 6000 });
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await kafka?.close();
    await db?.close();
    await broker?.stop();
    await admin?.query(`drop database if exists ${quoteIdent(database)} with (force)`);
    await admin?.close();
  });

  it('given journeys produced to the broker, then the projection equals a single-process run and the gateway process serves it', async () => {
    const settings = { KAFKA_BROKERS: broker.bootstrap, DATABASE_URL: databaseUrl, TOPIC_PARTITIONS: String(PARTITIONS), PROJECTION_BATCH_SIZE: '50' };
    const started = await Promise.all([
      startRoleProcess('tsx', { ...settings, ROLE: 'projector' }),
      startRoleProcess('tsx', { ...settings, ROLE: 'projector' }),
      startRoleProcess('tsx', { ...settings, ROLE: 'gateway', TOKENIZATION_SECRET }),
    ]);
    processes.push(...started);
    const [projectorA, projectorB, gateway] = started as [RoleProcess, RoleProcess, RoleProcess];
    for (const worker of [projectorA, projectorB]) {
      const health = await fetch(`${worker.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', role: 'projector', committedBatches: 0, appliedEvents: 0 });
      // A projector serves nothing but its probe.
      expect((await fetch(`${worker.url}/catalog`)).status).toBe(404);
    }
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);

    // Given: journeys with duplicates, reorders, legacy CDC and poison records, produced while both projectors run.
    const records = createJourneySimulator({ seed: 31, faults: { legacyShare: 0.3, duplicateRate: 0.02, reorderRate: 0.02, malformedRate: 0.01 } }).next(80).records;
    await produceAll(kafka, records);
    for (const context of contexts) await waitUntilCaughtUp(db, kafka, context.name, context.ingestion.decoders.map((d) => d.topic), 60_000);

    // Both processes shared the work: each committed batches of its own partitions.
    const progress = await Promise.all([projectorA, projectorB].map(async (p) => (await (await fetch(`${p.url}/health`)).json()) as { committedBatches: number; appliedEvents: number }));
    expect(progress.map((p) => p.appliedEvents > 0 && p.committedBatches > 0)).toEqual([true, true]);
    // Each worker's own /metrics (open, like /health: no business figures) times the batches it committed, and shows its pool.
    for (const [i, worker] of [projectorA, projectorB].entries()) {
      const text = await (await fetch(`${worker.url}/metrics`)).text();
      const batches = [...text.matchAll(/^dpg_projector_batch_duration_seconds_count\{[^}]*\} (\S+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
      const committed = ((await (await fetch(`${worker.url}/health`)).json()) as { committedBatches: number }).committedBatches;
      expect(batches, `projector ${i}`).toBe(committed);
      expect(text).toMatch(/^dpg_database_pool_max_connections 10$/m);
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
      expect(text).not.toMatch(/^dpg_projection_records/m);
    }

    // The reference: the same records through one in-process projector per context, on the embedded log.
    const single = createEmbeddedEventLog({ defaultPartitions: PARTITIONS });
    await produceAll(single, records);
    const referenceSchema = (name: string) => `single_${name}`;
    for (const context of contexts) {
      const projector = createProjector({ log: single, db }, context.ingestion, { schema: referenceSchema(context.name), partitions: PARTITIONS });
      await projector.start();
      await waitUntilCaughtUp(db, single, referenceSchema(context.name), context.ingestion.decoders.map((d) => d.topic));
      await projector.stop();
    }
    for (const context of contexts) {
      expect(await snapshotContext(db, context.name, context.ingestion), context.name).toEqual(await snapshotContext(db, referenceSchema(context.name), context.ingestion));
      expect(await snapshotQuarantine(db, context.name), context.name).toEqual(await snapshotQuarantine(db, referenceSchema(context.name)));
    }
    const raw = await db.query<{ n: number }>(`select count(*)::int as n from ${quoteIdent(contexts[0]!.name)}.raw_events`);
    expect(raw.rows[0]!.n).toBeGreaterThan(0);

    // The gateway process answers as a gateway over the single-process projection does.
    const access = await openAccess({ db, cache: createMemoryCache() }, { tokenizationSecret: TOKENIZATION_SECRET });
    const reader = await access.principals.create({ name: 'roles-reader', audience: 'INTERNAL', contracts: ['*'], rights: ['operate'] });
    const reference = await createGateway({ db, log: single, cache: createMemoryCache() }, access, { projectionSchemas: Object.fromEntries(contexts.map((c) => [c.name, referenceSchema(c.name)])) });
    try {
      for (const [path, name, document] of [
        ['/contracts/order_journey/v1', 'order_journey', JOURNEY_DOCUMENT],
        ['/contracts/reconciliation_exceptions/v1', 'reconciliation_exceptions', EXCEPTIONS_DOCUMENT],
      ] as const) {
        const response = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${reader.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: document }) });
        const body = (await response.json()) as { data?: unknown; errors?: unknown };
        expect(response.status, `${path}: ${JSON.stringify(body.errors)}`).toBe(200);
        expect(body.errors, path).toBeUndefined();
        const contract = reference.contracts.find((c) => c.meta.name === name)!;
        const expected = await reference.executeContractOperation({ contract, principal: reader.principal, document });
        expect(expected.errors, path).toBeUndefined();
        expect(body.data, path).toEqual(JSON.parse(JSON.stringify(expected.data)));
      }
      const journeys = await fetch(`${gateway.url}/contracts/order_journey/v1`, { method: 'POST', headers: { authorization: `Bearer ${reader.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ orderJourneys(first: 1) { orderId } }' }) });
      expect(((await journeys.json()) as { data: { orderJourneys: unknown[] } }).data.orderJourneys).toHaveLength(1);
    } finally {
      await reference.stop();
      await access.close();
    }

    // The gateway process reads the projectors' progress from PostgreSQL and the broker: nothing left to apply.
    const metrics = await (await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${reader.apiKey}` } })).text();
    const lag = [...metrics.matchAll(/^dpg_projection_lag_records\{[^}]*\} (\S+)$/gm)].map((m) => Number(m[1]));
    expect(lag).toHaveLength(contexts.flatMap((c) => c.ingestion.projections).length);
    expect(lag.every((n) => n === 0)).toBe(true);

    // SIGTERM stops every role cleanly.
    expect(await Promise.all(started.map((p) => p.stop()))).toEqual([0, 0, 0]);
  }, 120_000);
});

describe('the simulator role', () => {
  it('given ROLE=simulator, then it produces journeys on every topic of the registry, serves /health (and /metrics) only and stops on SIGTERM', async () => {
    const broker = await startMockKafkaBroker(registryTopics().map((t) => `${t}:${PARTITIONS}`));
    const log = await createKafkaEventLog({ brokers: [broker.bootstrap] });
    let simulator: RoleProcess | undefined;
    try {
      simulator = await startRoleProcess('tsx', { ROLE: 'simulator', KAFKA_BROKERS: broker.bootstrap, TOPIC_PARTITIONS: String(PARTITIONS), SIMULATOR_EVENTS_PER_SECOND: '200' });
      expect(await (await fetch(`${simulator.url}/health`)).json()).toEqual({ status: 'ok', role: 'simulator' });
      const produced = async () => Object.fromEntries(await Promise.all(registryTopics().map(async (t) => [t, (await log.endOffsets(t)).reduce((a, b) => a + b, 0)] as const)));
      const deadline = Date.now() + 20_000;
      let counts = await produced();
      while (Object.values(counts).some((n) => n === 0) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        counts = await produced();
      }
      expect(Object.entries(counts).filter(([, n]) => n === 0)).toEqual([]);
      expect(await simulator.stop()).toBe(0);
    } finally {
      await simulator?.stop();
      await log.close();
      await broker.stop();
    }
  }, 60_000);
});
