import type { Database } from '../database/index.js';
import type { EventLog, Subscription } from '../eventLog/index.js';
import type { EventEnvelope } from '../events/index.js';
import type { ApplyCounts, ApplyPlan } from './applyInputs.js';
import type { FaultPoint } from './applyPartitionBatch.js';
import { applyPartitionBatch } from './applyPartitionBatch.js';
import type { BoundedContext } from './BoundedContext.js';
import { createContextTables, createSwapSetTables, projectionStorage } from './projectionStorage.js';

export interface ProjectorOptions {
  /** Postgres schema of the context. Default: the context name. Tests use a fresh one per file. */
  schema?: string;
  /** Partitions per topic. Default 4. */
  partitions?: number;
  /**
   * Partitions applied concurrently, each in its own transaction. Default 2: with one, the
   * process alternates between JS work and waiting on the database; two overlap them.
   */
  partitionConcurrency?: number;
  /** Records per transaction. Default 500. */
  batchSize?: number;
  /** See Config.projection.gapBound. Default 1000. */
  gapBound?: number;
  /** Consumer-group prefix. Default `dpg`. */
  groupPrefix?: string;
  /** Told after each committed batch (metrics, tests). */
  onBatch?: (projection: string, counts: ApplyCounts) => void;
  /** Told about a failed batch; it is retried. Default: console.error. */
  onError?: (error: unknown) => void;
  /** Test hook for crash injection; see FaultPoint. */
  fault?: (point: FaultPoint) => void;
}

/** Lifecycle as a discriminated union, not flags. */
export type ProjectorPhase = 'created' | 'running' | 'stopped';

export interface Projector {
  readonly phase: ProjectorPhase;
  readonly schema: string;
  /** Creates topics and tables if missing, then consumes from the stored offsets. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** One consumer-group member per projection of the context; scale out by running more processes. */
export function createProjector<E extends EventEnvelope>(deps: { log: EventLog; db: Database }, context: BoundedContext<E>, options: ProjectorOptions = {}): Projector {
  const schema = options.schema ?? context.name;
  const partitions = options.partitions ?? 4;
  const decoders = new Map(context.decoders.map((d) => [d.topic, d]));
  const topics = context.decoders.map((d) => d.topic);
  let subscriptions: Subscription[] = [];
  let phase: ProjectorPhase = 'created';

  return {
    get phase() {
      return phase;
    },
    schema,
    async start() {
      if (phase === 'running') return;
      await deps.log.ensureTopics(topics.map((name) => ({ name, partitions })));
      await createContextTables(deps.db, schema);
      for (const [index, projection] of context.projections.entries()) {
        const plan: ApplyPlan<E, unknown> = { projection, decoders, storage: projectionStorage(schema, projection), keepsEvidence: index === 0 };
        await createSwapSetTables(deps.db, projection, plan.storage);
        // A row per partition from the start, so watermarks report "nothing yet" rather than nothing.
        for (const topic of topics) {
          await deps.db.query(
            `insert into ${plan.storage.checkpoints} (projection, topic, partition, log_end_offset) select $1, $2, p, e from unnest($3::int[], $4::int8[]) x(p, e) on conflict (projection, topic, partition) do update set log_end_offset = greatest(${plan.storage.checkpoints}.log_end_offset, excluded.log_end_offset)`,
            [projection.name, topic, ...(await endOffsetArrays(deps.log, topic))],
          );
        }
        subscriptions.push(
          await deps.log.subscribe({
            groupId: `${options.groupPrefix ?? 'dpg'}.${schema}.${projection.name}`,
            topics,
            maxBatchSize: options.batchSize ?? 500,
            partitionConcurrency: options.partitionConcurrency ?? 2,
            startOffset: async (topic, partition) => {
              const { rows } = await deps.db.query<{ next_offset: string }>(`select next_offset from ${plan.storage.checkpoints} where projection = $1 and topic = $2 and partition = $3`, [projection.name, topic, partition]);
              return Number(rows[0]?.next_offset ?? 0);
            },
            handleBatch: async (batch) => {
              const counts = await applyPartitionBatch(deps.db, plan, batch, { gapBound: options.gapBound ?? 1000, fault: options.fault });
              options.fault?.('after-commit');
              if (counts) options.onBatch?.(projection.name, counts);
            },
            onError: options.onError ?? ((error) => console.error(`[projector ${schema}.${projection.name}]`, error)),
          }),
        );
      }
      phase = 'running';
    },
    async stop() {
      await Promise.all(subscriptions.map((s) => s.stop()));
      subscriptions = [];
      phase = 'stopped';
    },
  };
}

async function endOffsetArrays(log: EventLog, topic: string): Promise<[number[], number[]]> {
  const ends = await log.endOffsets(topic);
  return [ends.map((_, p) => p), ends];
}
