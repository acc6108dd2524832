// A partition halted at a retention gap applies nothing while the process stays up and healthy:
// the metrics must show it (an alert on dpg_projector_consumer_state{state="halted"}), not only
// the error log and /ready. Driven through startProjectors, the wiring `main` and the worker use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config/index.js';
import type { Database } from '../../platform/database/index.js';
import { createPgliteDatabase } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import { ORDERS_EVENTS_TOPIC } from '../../subgraphs/orders/index.js';
import { captureLogger } from '../../test/support/captureLogger.js';
import { orderEvent, placed } from '../../test/support/orderEvents.js';
import { waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { startProjectors } from '../roles/startProjectors.js';
import { createServiceMetrics } from './createServiceMetrics.js';

describe('projector metrics', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createPgliteDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  it('report each consumer state at scrape time, and count a retention gap with its partition and outcome', async () => {
    const log = createEmbeddedEventLog();
    const config = loadConfig({});
    const metrics = createServiceMetrics();
    const { logger } = captureLogger('fatal');
    const sample = async (name: string) => (await metrics.registry.getSingleMetricAsString(name)).split('\n').filter((line) => line !== '' && !line.startsWith('#'));

    let running = await startProjectors({ log, db }, config, logger, metrics);
    try {
      await log.produce(ORDERS_EVENTS_TOPIC, [placed('ord-1')]);
      await waitUntilCaughtUp(db, log, 'orders', [ORDERS_EVENTS_TOPIC]);
      expect(await sample('dpg_projector_consumer_state')).toContain('dpg_projector_consumer_state{context="orders",projection="order_timeline",state="assigned"} 1');
      expect(await sample('dpg_projector_consumer_state')).toContain('dpg_projector_consumer_state{context="orders",projection="order_timeline",state="halted"} 0');
      expect(await sample('dpg_projector_retention_gaps_total')).toEqual([]);

      // The process restarts after retention deleted records it had not applied yet.
      await running.stop();
      await log.produce(ORDERS_EVENTS_TOPIC, [orderEvent('ord-1', 2, 'OrderConfirmed', {}), placed('ord-1b')]);
      const partition = (await log.endOffsets(ORDERS_EVENTS_TOPIC)).findIndex((end) => end >= 2);
      log.deleteRecords(ORDERS_EVENTS_TOPIC, partition, 2);
      running = await startProjectors({ log, db }, config, logger, metrics);

      const halted = 'dpg_projector_consumer_state{context="orders",projection="order_timeline",state="halted"} 1';
      const deadline = Date.now() + 20_000;
      while (!(await sample('dpg_projector_consumer_state')).includes(halted) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const states = await sample('dpg_projector_consumer_state');
      expect(states).toContain(halted);
      expect(states).toContain('dpg_projector_consumer_state{context="orders",projection="order_timeline",state="assigned"} 0');
      // Other contexts' consumers are unaffected.
      expect(states).toContain('dpg_projector_consumer_state{context="payments",projection="payment_attempts",state="assigned"} 1');
      expect(await sample('dpg_projector_retention_gaps_total')).toContain(`dpg_projector_retention_gaps_total{context="orders",projection="order_timeline",topic="${ORDERS_EVENTS_TOPIC}",partition="${partition}",outcome="halted"} 1`);
    } finally {
      await running.stop();
    }
  });
});
