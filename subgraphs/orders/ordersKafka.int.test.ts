import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { createPostgresDatabase } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { createEmbeddedEventLog, createKafkaEventLog } from '../../platform/eventLog/index.js';
import type { BoundedContext } from '../../platform/projection/index.js';
import { createProjector } from '../../platform/projection/index.js';
import { createOrdersSimulator } from './index.js';
import { produceAll, snapshotOrders, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { kafkaBrokers, postgresUrl, uniqueName } from '../../test/support/services.js';
import type { OrderEvent } from './index.js';
import { legacyOmsCdcTranslator, ordersContext } from './index.js';

describe('orders ingestion over Kafka (kafkajs) into PostgreSQL', () => {
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
    const context: BoundedContext<OrderEvent> = {
      ...ordersContext,
      decoders: ordersContext.decoders.map((d) => (d === legacyOmsCdcTranslator ? { ...legacyOmsCdcTranslator, topic: rename(d.topic) } : { ...d, topic: rename(d.topic) })),
    } as BoundedContext<OrderEvent>;
    const topics = context.decoders.map((d) => d.topic);
    const { records } = createOrdersSimulator({ seed: 5, faults: { legacyShare: 0.3, duplicateRate: 0.02, reorderRate: 0.02, malformedRate: 0.01 } }).nextOrders(60);

    const embedded = createEmbeddedEventLog();
    await produceAll(embedded, records.map((r) => ({ ...r, topic: rename(r.topic) })));
    const reference = uniqueName('orders_kref');
    const refProjector = createProjector({ log: embedded, db }, context, { schema: reference, batchSize: 25 });
    await refProjector.start();
    await waitUntilCaughtUp(db, embedded, reference, topics);
    await refProjector.stop();

    const schema = uniqueName('orders_kafka');
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
    await produceAll(kafka, records.map((r) => ({ ...r, topic: rename(r.topic) })));
    await crash;
    await first.stop();
    const second = createProjector({ log: kafka, db }, context, { schema, batchSize: 25 });
    await second.start();
    try {
      await waitUntilCaughtUp(db, kafka, schema, topics, 90_000);
    } finally {
      await second.stop();
    }
    expect(await snapshotOrders(db, schema)).toEqual(await snapshotOrders(db, reference));
    const raw = await db.query<{ n: number }>(`select count(*)::int as n from "${schema}".raw_events`);
    expect(raw.rows[0]!.n).toBe(records.length);
    expect([...new Set(records.map((r) => r.topic))].sort()).toEqual(ordersContext.decoders.map((d) => d.topic).sort());
  });
});
