import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CacheObserver } from '../../platform/cache/index.js';
import type { RetentionGapEvent } from '../../platform/eventLog/index.js';
import type { ProjectorReadiness } from '../../platform/projection/index.js';
import { CONSUMER_STATES } from '../../platform/projection/index.js';

/** A running projector as the metrics see it: its context, and where its consumers stand. */
export interface WatchedProjector {
  context: string;
  readiness(): ProjectorReadiness;
}

/**
 * What the process's services report as they work, on one registry shared with the gateway's
 * metrics (`GatewayMetricsOptions.registry`) or a worker's `/metrics`: created before the cache,
 * the projectors and the gateway, because all three are built from it.
 */
export interface ServiceMetrics {
  readonly registry: Registry;
  /** Give to `observeCache` (platform/cache): every cache operation, by operation and outcome. */
  readonly observeCache: CacheObserver;
  /** A committed projector batch and how long its transaction took (ProjectorOptions.onBatch). */
  observeBatch(context: string, projection: string, durationMs: number): void;
  /** A partition whose log lost records the projection needed (ProjectorOptions.onRetentionGap). */
  observeRetentionGap(context: string, projection: string, gap: Pick<RetentionGapEvent, 'topic' | 'partition' | 'accepted'>): void;
  /** Reports these projectors' consumer states at every scrape (`dpg_projector_consumer_state`). */
  watchProjectors(projectors: readonly WatchedProjector[]): void;
}

export function createServiceMetrics(registry: Registry = new Registry()): ServiceMetrics {
  const cacheOperations = new Counter({
    name: 'dpg_cache_operations_total',
    help: 'Cache operations by operation and outcome: hit or miss for reads (get, hashGetAll), ok for other operations that succeeded, error when the cache failed (Redis down).',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const batchDuration = new Histogram({
    name: 'dpg_projector_batch_duration_seconds',
    help: 'Time to apply and commit one projector batch (decode, order, evolve, persist, checkpoint: one transaction), by context and projection.',
    labelNames: ['context', 'projection'],
    // A batch of up to 500 records takes milliseconds on PostgreSQL; seconds mean a slow database
    // or a catch-up with large batches on PGlite.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const retentionGaps = new Counter({
    name: 'dpg_projector_retention_gaps_total',
    help: 'Partitions found with records missing from the log that the projection still needed (retention, deleted records), by outcome: halted (the partition stops applying until an operator acts; EVENT_LOG_RETENTION_GAP=halt) or skipped (EVENT_LOG_RETENTION_GAP=accept).',
    labelNames: ['context', 'projection', 'topic', 'partition', 'outcome'],
    registers: [registry],
  });
  let watched: readonly WatchedProjector[] = [];
  // Read at scrape time from the projectors themselves: a gauge set from events could miss a
  // state the projector reached before the metrics were wired, and this costs no I/O.
  new Gauge({
    name: 'dpg_projector_consumer_state',
    help: 'Where each projection\'s consumer stands: 1 for its current state (joining, assigned, restarting, halted, stopped), 0 for the others. Alert on state="halted": a partition stopped at a retention gap and applies nothing until an operator acts.',
    labelNames: ['context', 'projection', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const projector of watched) {
        for (const { projection, state } of projector.readiness().consumers) {
          for (const candidate of CONSUMER_STATES) this.set({ context: projector.context, projection, state: candidate }, candidate === state ? 1 : 0);
        }
      }
    },
  });
  return {
    registry,
    observeCache: (operation, outcome) => cacheOperations.inc({ operation, outcome }),
    observeBatch: (context, projection, durationMs) => batchDuration.observe({ context, projection }, durationMs / 1000),
    observeRetentionGap: (context, projection, gap) => retentionGaps.inc({ context, projection, topic: gap.topic, partition: String(gap.partition), outcome: gap.accepted ? 'skipped' : 'halted' }),
    watchProjectors: (projectors) => {
      watched = projectors;
    },
  };
}
