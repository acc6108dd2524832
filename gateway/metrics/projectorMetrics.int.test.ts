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
import { waitFor } from '../../test/support/outageHarness.js';
import { findSamples, parseExposition } from '../../test/support/prometheusExposition.js';
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
    const scrape = async () => parseExposition(await metrics.registry.metrics());
    /** The value of the one sample of `name` with exactly these labels' values (undefined when absent). */
    const value = async (name: string, labels: Record<string, string>) => findSamples(await scrape(), name, labels).map((s) => s.value)[0];
    const orders = { context: 'orders', projection: 'order_timeline' };

    let running = await startProjectors({ log, db }, config, logger, metrics);
    try {
      await log.produce(ORDERS_EVENTS_TOPIC, [placed('ord-1')]);
      await waitUntilCaughtUp(db, log, 'orders', [ORDERS_EVENTS_TOPIC]);
      expect(await value('dpg_projector_consumer_state', { ...orders, state: 'assigned' })).toBe(1);
      expect(await value('dpg_projector_consumer_state', { ...orders, state: 'halted' })).toBe(0);
      expect(findSamples(await scrape(), 'dpg_projector_retention_gaps_total')).toEqual([]);

      // The process restarts after retention deleted records it had not applied yet.
      await running.stop();
      await log.produce(ORDERS_EVENTS_TOPIC, [orderEvent('ord-1', 2, 'OrderConfirmed', {}), placed('ord-1b')]);
      const partition = (await log.endOffsets(ORDERS_EVENTS_TOPIC)).findIndex((end) => end >= 2);
      log.deleteRecords(ORDERS_EVENTS_TOPIC, partition, 2);
      running = await startProjectors({ log, db }, config, logger, metrics);

      await waitFor('the orders consumer to report halted', async () => (await value('dpg_projector_consumer_state', { ...orders, state: 'halted' })) === 1, 20_000);
      expect(await value('dpg_projector_consumer_state', { ...orders, state: 'assigned' })).toBe(0);
      // Other contexts' consumers are unaffected.
      expect(await value('dpg_projector_consumer_state', { context: 'payments', projection: 'payment_attempts', state: 'assigned' })).toBe(1);
      expect(findSamples(await scrape(), 'dpg_projector_retention_gaps_total')).toEqual([
        { name: 'dpg_projector_retention_gaps_total', labels: { ...orders, topic: ORDERS_EVENTS_TOPIC, partition: String(partition), outcome: 'halted' }, value: 1 },
      ]);
    } finally {
      await running.stop();
    }
  });
});
