import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { createPostgresDatabase } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import { createProjector, rebuildProjection } from '../../platform/projection/index.js';
import { produceAll, snapshotOrders, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { postgresUrl, uniqueName } from '../../test/support/services.js';
import { createOrdersSimulator, LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext } from './index.js';

const TOPICS = [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC];

// A rebuild replays the raw evidence the projector kept, so it does not depend on the log's
// retention; where the evidence falls short of a partition's range, that range comes from the log.
describe('rebuilding the order timeline from its raw evidence', () => {
  let db: Database;
  let log: EventLog;
  let schema: string;
  let records: number;
  let live: Awaited<ReturnType<typeof snapshotOrders>>;
  beforeAll(async () => {
    db = await createPostgresDatabase(postgresUrl());
    log = createEmbeddedEventLog();
    const history = createOrdersSimulator({ seed: 11, faults: { legacyShare: 0.3, duplicateRate: 0.03, reorderRate: 0.03, malformedRate: 0.01 } }).nextOrders(120).records;
    records = history.length;
    await produceAll(log, history);
    schema = uniqueName('orders_rbev');
    const projector = createProjector({ log, db }, ordersContext, { schema, batchSize: 40, gapBound: 100, onError: () => undefined });
    await projector.start();
    await waitUntilCaughtUp(db, log, schema, TOPICS);
    await projector.stop();
    live = await snapshotOrders(db, schema);
  });
  afterAll(async () => {
    await db.query(`drop schema if exists "${schema}" cascade`);
    await db.close();
  });

  it('given a log that no longer holds the records, when rebuilt, then the evidence alone reproduces the live tables', async () => {
    const expired = createEmbeddedEventLog();
    // Replayed in batches before the swap, not all at once inside it (where the live projector waits).
    let shadowOrdersBeforeSwap = -1;
    const beforeSwap = async () => {
      const { rows } = await db.query<{ tablename: string }>(`select tablename from pg_tables where schemaname = $1 and tablename like 'orders\\_\\_rb%'`, [schema]);
      const counted = await db.query<{ n: number }>(`select count(*)::int as n from "${schema}"."${rows[0]!.tablename}"`);
      shadowOrdersBeforeSwap = counted.rows[0]!.n;
    };
    const report = await rebuildProjection({ log: expired, db }, ordersContext, 'order_timeline', { schema, gapBound: 100, replayBatchSize: 17, beforeSwap });
    expect(shadowOrdersBeforeSwap).toBe(live['orders']!.length);
    expect(report.parityOk).toBe(true);
    expect(report.swapped).toBe(true);
    expect(report.events).toBe(records);
    expect(report.eventsFromLog).toBe(0);
    expect(await snapshotOrders(db, schema)).toEqual(live);
  });

  it('given evidence missing for one partition, when rebuilt, then that partition is read from the log and parity holds', async () => {
    const ends = await log.endOffsets(ORDERS_EVENTS_TOPIC);
    const partition = ends.findIndex((end) => end > 3);
    await db.query(`delete from "${schema}".raw_events where topic = $1 and partition = $2 and record_offset = 2`, [ORDERS_EVENTS_TOPIC, partition]);
    const report = await rebuildProjection({ log, db }, ordersContext, 'order_timeline', { schema, gapBound: 100 });
    expect(report.parityOk).toBe(true);
    expect(report.events).toBe(records);
    expect(report.eventsFromLog).toBe(ends[partition]);
    expect(await snapshotOrders(db, schema)).toEqual(live);
  });
});
