import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../platform/database/index.js';
import { createPostgresDatabase } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { createEmbeddedEventLog, createKafkaEventLog } from '../platform/eventLog/index.js';
import type { BoundedContext } from '../platform/projection/index.js';
import { createProjector } from '../platform/projection/index.js';
import type { EventEnvelope } from '../platform/events/index.js';
import { produceAll, snapshotContext, waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import { kafkaBrokers, postgresUrl, uniqueName } from '../test/support/services.js';
import { contexts, createJourneySimulator } from './index.js';

// Every context of the registry over the Kafka adapter (kafkajs, against the test broker): the same
// rows as over the embedded log, across a crash after commit (before the offset reached Kafka).
describe.each(contexts.map((c) => [c.name, c] as const))('%s ingestion over Kafka (kafkajs) into PostgreSQL', (_name, module) => {
  let db: Database;
  let kafka: EventLog;
  beforeAll(async () => {
    db = await createPostgresDatabase(postgresUrl());
    kafka = await createKafkaEventLog({ brokers: kafkaBrokers(), sessionTimeoutMs: 6000 });
  });
  afterAll(async () => {
    await kafka.close();
    await db.close();
  });

  it('reaches the same rows as the embedded log, across a crash after commit and a restart', async () => {
    // Topics of their own on the shared broker: rename the context's topics for this test.
    const suffix = randomBytes(3).toString('hex');
    const rename = (topic: string) => `${topic}.${suffix}`;
    const context: BoundedContext<EventEnvelope> = { ...module.ingestion, decoders: module.ingestion.decoders.map((d) => ({ ...d, topic: rename(d.topic) })) };
    const topics = context.decoders.map((d) => d.topic);
    const own = new Set(module.ingestion.decoders.map((d) => d.topic));
    const records = createJourneySimulator({ seed: 5, faults: { legacyShare: 0.3, duplicateRate: 0.02, reorderRate: 0.02, malformedRate: 0.01 } })
      .next(60)
      .records.filter((r) => own.has(r.topic))
      .map((r) => ({ ...r, topic: rename(r.topic) }));

    const embedded = createEmbeddedEventLog();
    await produceAll(embedded, records);
    const reference = uniqueName(`${module.name}_kref`);
    const refProjector = createProjector({ log: embedded, db }, context, { schema: reference, batchSize: 25 });
    await refProjector.start();
    await waitUntilCaughtUp(db, embedded, reference, topics);
    await refProjector.stop();

    const schema = uniqueName(`${module.name}_kafka`);
    let crashes = 0;
    let crashed!: () => void;
    const crash = new Promise<void>((r) => (crashed = r));
    const first = createProjector({ log: kafka, db }, context, {
      schema,
      batchSize: 25,
      onError: () => undefined,
      fault: (point) => {
        if (point === 'after-commit' && crashes++ === 1) {
          crashed();
          throw new Error('injected crash after commit, before the offset reached Kafka');
        }
      },
    });
    await first.start();
    await produceAll(kafka, records);
    await crash;
    await first.stop();
    const second = createProjector({ log: kafka, db }, context, { schema, batchSize: 25 });
    await second.start();
    try {
      await waitUntilCaughtUp(db, kafka, schema, topics, 90_000);
    } finally {
      await second.stop();
    }
    expect(await snapshotContext(db, schema, context)).toEqual(await snapshotContext(db, reference, context));
    const raw = await db.query<{ n: number }>(`select count(*)::int as n from "${schema}".raw_events`);
    expect(raw.rows[0]!.n).toBe(records.length);
    expect([...new Set(records.map((r) => r.topic))].sort()).toEqual([...topics].sort());
  });
});
