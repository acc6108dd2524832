import { Counter, Histogram, Registry } from 'prom-client';
import type { CacheObserver } from '../../platform/cache/index.js';

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
  return {
    registry,
    observeCache: (operation, outcome) => cacheOperations.inc({ operation, outcome }),
    observeBatch: (context, projection, durationMs) => batchDuration.observe({ context, projection }, durationMs / 1000),
  };
}
