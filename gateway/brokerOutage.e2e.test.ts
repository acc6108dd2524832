import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../platform/cache/index.js';
import type { Database } from '../platform/database/index.js';
import { createPostgresDatabase } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { createEmbeddedEventLog, createKafkaEventLog } from '../platform/eventLog/index.js';
import type { Projector } from '../platform/projection/index.js';
import { contexts } from '../subgraphs/index.js';
import type { OutageGateway } from '../test/support/outageHarness.js';
import { expectSameAsReference, journeyStream, keepAsking, projectReference, schemasFor, startOutageGateway, startProjectors, topicsOf, waitFor, waitForAllCaughtUp } from '../test/support/outageHarness.js';
import { produceAll } from '../test/support/projectionHarness.js';
import { postgresUrl } from '../test/support/services.js';
import type { MockKafkaBroker } from '../test/support/startMockKafkaBroker.js';
import { startMockKafkaBroker } from '../test/support/startMockKafkaBroker.js';

// The Kafka-protocol broker taken down and brought back mid-stream: a broker of the test's own
// (the run's shared one serves every other Kafka test), taken down in place so it keeps its
// records (see mockKafkaBroker.py). The projectors' consumers fail, back off and rejoin; the
// gateway keeps answering from PostgreSQL, with freshness UNKNOWN while the log's end offsets
// cannot be read; producing fails fast as EVENT_LOG_UNAVAILABLE and works again afterwards.

const QUERY = /* GraphQL */ `{ recentCustomerOrders(first: 5) { orderId orderLifecycleState } }`;
const PROBE_TOPIC = 'outage.probe.v1';

describe('The broker stopped and started again while the projector applies a stream', () => {
  let broker: MockKafkaBroker | undefined;
  let kafka: EventLog | undefined;
  let db: Database | undefined;
  let gateway: OutageGateway | undefined;
  const projectors: Projector[] = [];

  beforeAll(async () => {
    const topics = [...new Set(contexts.flatMap(topicsOf)), PROBE_TOPIC];
    broker = await startMockKafkaBroker(topics.map((t) => `${t}:4`));
    kafka = await createKafkaEventLog({ brokers: [broker.bootstrap], sessionTimeoutMs: 6_000 });
    db = await createPostgresDatabase(postgresUrl());
  });
  afterAll(async () => {
    await broker?.up().catch(() => undefined);
    for (const projector of projectors) await projector.stop().catch(() => undefined);
    await gateway?.stop().catch(() => undefined);
    await kafka?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await broker?.stop();
  });

  it('equals a run without the outage, loses and repeats nothing, and resumes consuming and producing without a restart', async () => {
    const records = journeyStream(53, 100);
    const [early, late] = [records.slice(0, Math.floor(records.length * 0.8)), records.slice(Math.floor(records.length * 0.8))];
    const reference = await projectReference({ db: db!, log: await embeddedWith(records) }, 'kafkaout_ref');

    // Given the projectors consuming over Kafka in small batches while a client keeps asking.
    const deps = { db: db!, log: kafka! };
    await produceAll(deps.log, early);
    const schemas = schemasFor('kafkaout_run');
    gateway = await startOutageGateway({ ...deps, cache: createMemoryCache() }, schemas, { freshness: { ttlMs: 100 } });
    const run = await startProjectors(deps, schemas, { batchSize: 5, partitionConcurrency: 1 });
    projectors.push(...run.projectors);
    const client = keepAsking(`${gateway.url}/contracts/customer_order_timeline/v2`, gateway.bearer('internal'), QUERY);
    await waitFor('a few batches applied', () => run.batches() >= 20, 60_000);

    // When the broker goes down mid-stream for 6 s and comes back.
    const batchesBefore = run.batches();
    const downAt = performance.now();
    await broker!.down();
    // Meanwhile a producer is told promptly, with a retriable code, that the log is unavailable.
    const probeStarted = performance.now();
    const probe = await deps.log.produce(PROBE_TOPIC, [{ key: 'probe', value: 'during the outage' }]).then(
      () => null,
      (error: unknown) => error,
    );
    const probeTookMs = performance.now() - probeStarted;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 6_000 - (performance.now() - downAt))));
    const upAt = performance.now();
    await broker!.up();
    // Producing works again on the same client, and the consumers take the rest of the stream.
    await produceAll(deps.log, late);
    await waitForAllCaughtUp({ db: deps.db, log: await embeddedWith(records) }, schemas, 120_000);
    for (const projector of run.projectors) await projector.settle();
    await waitFor('freshness known again', () => client.answers.some((a) => a.at > upAt && a.freshnessStatus === 'FRESH'), 30_000);
    await client.stop();

    expect(run.batches()).toBeGreaterThan(batchesBefore);
    expect(probe).toMatchObject({ code: 'EVENT_LOG_UNAVAILABLE', retriable: true });
    expect(probeTookMs).toBeLessThan(20_000);

    // While the broker was down the gateway kept answering from PostgreSQL, promptly, and said
    // freshness was UNKNOWN once the log's end offsets could not be read.
    const during = client.answers.filter((a) => a.at > downAt + 1_000 && a.at + a.tookMs < upAt);
    // Each waits for the watermarks' read timeout (500 ms): slower, bounded, and honest.
    expect(during.length).toBeGreaterThan(5);
    for (const answer of during) {
      expect(answer).toMatchObject({ status: 200, codes: [], freshnessStatus: 'UNKNOWN' });
      expect(answer.tookMs).toBeLessThan(2_000);
    }
    expect(client.answers.filter((a) => a.status !== 200)).toEqual([]);

    // The consumers failed with a retriable EVENT_LOG_UNAVAILABLE and backed off (failures
    // without a notice are settlements, which read end offsets too, and run again after the next batch).
    const outage = run.failures.filter((f) => f.code === 'EVENT_LOG_UNAVAILABLE' && f.notice);
    expect(outage.length).toBeGreaterThan(0);
    expect(outage.every((f) => f.notice!.retriable)).toBe(true);

    await expectSameAsReference(deps.db, schemas, reference, records);
  });
});

/** The same records in an embedded log, with the same partitioner: what the reference run reads, and the end offsets to wait for. */
async function embeddedWith(records: Parameters<typeof produceAll>[1]): Promise<EventLog> {
  const log = createEmbeddedEventLog();
  await produceAll(log, records);
  return log;
}
