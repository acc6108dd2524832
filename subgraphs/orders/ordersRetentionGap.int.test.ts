// A projection whose next records are gone from the log (retention, deleted records) must not
// skip them silently: its partition stops, the projector turns unready (`/ready` says `halted`),
// and the log names the topic, partition, the offset needed and the earliest one left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { createPostgresDatabase } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import { createProjector } from '../../platform/projection/index.js';
import { orderEvent, placed } from '../../test/support/orderEvents.js';
import { captureLogger } from '../../test/support/captureLogger.js';
import { waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { postgresUrl, uniqueName } from '../../test/support/services.js';
import { ORDERS_EVENTS_TOPIC, ordersContext } from './index.js';

describe('a projector whose partition lost records to retention', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createPostgresDatabase(postgresUrl());
  });
  afterAll(async () => {
    await db.close();
  });

  it('stops that partition, turns unready with the partition halted, logs the gap, and applies nothing past it', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    const schema = uniqueName('retention_gap');
    const { logger, lines } = captureLogger();
    const projector = createProjector({ log, db }, ordersContext, { schema, partitions: 1, logger, onError: () => undefined });
    await projector.start();
    try {
      await log.produce(ORDERS_EVENTS_TOPIC, [placed('ord-1')]);
      await waitUntilCaughtUp(db, log, schema, [ORDERS_EVENTS_TOPIC]);
      expect(projector.readiness().ready).toBe(true);
      // The projector falls behind (stopped here), and retention deletes what it has not read.
      await projector.stop();
      await log.produce(ORDERS_EVENTS_TOPIC, [orderEvent('ord-1', 2, 'OrderConfirmed', {}), placed('ord-2'), placed('ord-3')]);
      log.deleteRecords(ORDERS_EVENTS_TOPIC, 0, 3);
      await projector.start();
      const deadline = Date.now() + 20_000;
      while (!projector.readiness().consumers.some((c) => c.state === 'halted') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const readiness = projector.readiness();
      expect(readiness.ready).toBe(false);
      expect(readiness.consumers.some((c) => c.state === 'halted')).toBe(true);
      const gap = lines.find((l) => l.msg === 'partition stopped: the log no longer holds the records it needs');
      expect(gap).toMatchObject({ level: 'error', topic: ORDERS_EVENTS_TOPIC, partition: 0, neededOffset: 1, earliestOffset: 3, accepted: false });
      expect(JSON.stringify(gap)).toContain('LOG_RETENTION_GAP');
      // ord-3 is still in the log, past the hole: it must not be applied over the missing records.
      await new Promise((r) => setTimeout(r, 500));
      const { rows } = await db.query<{ order_id: string; order_lifecycle_state: string }>(`select order_id, order_lifecycle_state from "${schema}".orders order by order_id`);
      expect(rows).toEqual([{ order_id: 'ord-1', order_lifecycle_state: 'placed' }]);
    } finally {
      await projector.stop();
      await db.query(`drop schema if exists "${schema}" cascade`);
    }
  });
});
