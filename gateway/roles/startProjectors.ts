import type { Config } from '../../platform/config/index.js';
import type { Database } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import type { Logger } from '../../platform/logging/index.js';
import type { ApplyCounts, Projector } from '../../platform/projection/index.js';
import { createProjector } from '../../platform/projection/index.js';
import { contexts } from '../../subgraphs/index.js';
import type { ServiceMetrics } from '../metrics/index.js';
import { projectorOptionsFrom } from '../openServices.js';

export interface RunningProjectors {
  /** One per context of the registry, in registry order. */
  readonly projectors: readonly Projector[];
  /** Consumer groups joined (`dpg.<context>.<projection>`): every replica joins the same ones. */
  readonly groups: readonly string[];
  /**
   * What this process committed since it started, over all its projectors: a replica that was
   * given no partitions stays at 0, which is how an operator sees whether replicas share the work.
   */
  progress(): { committedBatches: number; appliedEvents: number };
  stop(): Promise<void>;
}

/**
 * Starts a projector for every context of the registry (topics and tables created if missing,
 * then consumption from the stored offsets). Several processes doing this share each topic's
 * partitions through the consumer groups; the checkpoint row lock fences a partition's previous
 * owner after a rebalance, so the projection is the one a single process would write.
 */
export async function startProjectors(deps: { log: EventLog; db: Database }, config: Config, logger?: Logger, metrics?: Pick<ServiceMetrics, 'observeBatch' | 'observeRetentionGap' | 'watchProjectors'>): Promise<RunningProjectors> {
  const progress = { committedBatches: 0, appliedEvents: 0 };
  const onBatchOf = (context: string) => (projection: string, counts: ApplyCounts, durationMs: number) => {
    progress.committedBatches += 1;
    progress.appliedEvents += counts.applied;
    metrics?.observeBatch(context, projection, durationMs);
  };
  const projectors = contexts.map((context) =>
    createProjector(deps, context.ingestion, {
      ...projectorOptionsFrom(config),
      onBatch: onBatchOf(context.name),
      onRetentionGap: (projection, gap) => metrics?.observeRetentionGap(context.name, projection, gap),
      ...(logger ? { logger } : {}),
    }),
  );
  metrics?.watchProjectors(projectors.map((projector, i) => ({ context: contexts[i]!.name, readiness: () => projector.readiness() })));
  const started: Projector[] = [];
  try {
    for (const projector of projectors) {
      await projector.start();
      started.push(projector);
    }
  } catch (error) {
    await Promise.allSettled(started.map((p) => p.stop()));
    throw error;
  }
  return {
    projectors,
    groups: contexts.flatMap((context) => context.ingestion.projections.map((p) => `dpg.${context.name}.${p.name}`)),
    progress: () => ({ ...progress }),
    async stop() {
      for (const projector of projectors) await projector.stop();
    },
  };
}
