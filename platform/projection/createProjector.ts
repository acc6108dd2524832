import type { Database } from '../database/index.js';
import { migrateExclusively } from '../database/index.js';
import type { BatchRetryPolicy, EventLog, MembershipEvent, RetentionGapEvent, Subscription } from '../eventLog/index.js';
import type { RetryNotice } from '../retry/index.js';
import type { EventEnvelope } from '../events/index.js';
import type { Logger } from '../logging/index.js';
import { defaultLogger } from '../logging/index.js';
import type { ApplyCounts, ApplyPlan } from './applyInputs.js';
import type { FaultPoint } from './applyPartitionBatch.js';
import { applyPartitionBatch } from './applyPartitionBatch.js';
import type { BoundedContext } from './BoundedContext.js';
import { createProjectorLog } from './createProjectorLog.js';
import { createContextTables, createSwapSetTables, projectionStorage } from './projectionStorage.js';
import { createSingleFlight, settleProjection } from './settleProjection.js';

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
  /** Told after each committed batch, with how long it took from start to commit (metrics, tests). */
  onBatch?: (projection: string, counts: ApplyCounts, durationMs: number) => void;
  /**
   * Told when a partition's log no longer holds what the projection needs (halted, or skipped
   * where EVENT_LOG_RETENTION_GAP=accept), besides the error log: metrics count these, because a
   * halted partition stops applying while the process stays up.
   */
  onRetentionGap?: (projection: string, gap: RetentionGapEvent) => void;
  /**
   * Told about a failed batch, with the attempt and the wait before it is retried (`notice`),
   * and about a failed settlement (no notice: the next batch settles again). Default: logged
   * (error with its code and retriable flag; backoff keeps these to one per partition every few seconds).
   */
  onError?: (error: unknown, notice?: RetryNotice) => void;
  /**
   * Backoff between retries of a failed batch (see ConsumeOptions.retry). Default: the event
   * log's (DEFAULT_BATCH_RETRY, 100 ms doubling to 5 s, full jitter).
   */
  retry?: BatchRetryPolicy;
  /**
   * Where batches (debug; info when one quarantined), membership changes and the projector's
   * start and stop (info) and failures (error) are logged. Default: warnings and errors on stderr.
   */
  logger?: Logger;
  /** Test hook for crash injection; see FaultPoint. */
  fault?: (point: FaultPoint) => void;
  /**
   * For projections that settle on event time (deadlines): how far the watermark stays behind
   * the slowest busy input partition, so events up to this late still count on time. Default
   * 5 minutes. See eventTimeWatermark.
   */
  allowedLatenessMs?: number;
}

/** Default allowed lateness of the event-time watermark. */
export const DEFAULT_ALLOWED_LATENESS_MS = 5 * 60_000;

/** Lifecycle as a discriminated union, not flags. */
export type ProjectorPhase = 'created' | 'running' | 'stopped';

/**
 * Where one projection's consumer stands in its group: `joining` until its first assignment,
 * `assigned` after it (a later rebalance does not take it back: rebalances are routine and brief,
 * and every replica would turn unready at once when one joins), `restarting` from a crash of the
 * client (brokers gone, an error it does not retry) until it has joined again (the event log
 * restarts it with backoff), `halted` once a partition has stopped at a retention gap (records it
 * needs are gone from the log; an operator must act, see RetentionGapEvent), `stopped` after stop().
 */
export const CONSUMER_STATES = ['joining', 'assigned', 'restarting', 'halted', 'stopped'] as const;
export type ConsumerState = (typeof CONSUMER_STATES)[number];

export interface ProjectorReadiness {
  /** Running, and every projection's consumer has been assigned and is not restarting after a crash. */
  ready: boolean;
  schema: string;
  phase: ProjectorPhase;
  consumers: Array<{ projection: string; state: ConsumerState }>;
}

export interface Projector {
  readonly phase: ProjectorPhase;
  readonly schema: string;
  /** Creates topics and tables if missing, then consumes from the stored offsets. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Settles the projections that settle on event time (see ProjectionSettlement) now, and
   * resolves once no settling is in flight. The projector also settles after each committed
   * batch and at start; tests and the CLI call this to wait for it.
   */
  settle(): Promise<void>;
  /** For `/ready`: whether this projector consumes. Cheap: no I/O. */
  readiness(): ProjectorReadiness;
}

/** One consumer-group member per projection of the context; scale out by running more processes. */
export function createProjector<E extends EventEnvelope>(deps: { log: EventLog; db: Database }, context: BoundedContext<E>, options: ProjectorOptions = {}): Projector {
  const schema = options.schema ?? context.name;
  const partitions = options.partitions ?? 4;
  const decoders = new Map(context.decoders.map((d) => [d.topic, d]));
  const topics = context.decoders.map((d) => d.topic);
  let subscriptions: Subscription[] = [];
  let phase: ProjectorPhase = 'created';
  const logger = (options.logger ?? defaultLogger()).child({ component: 'projector', schema });
  const log = createProjectorLog(logger);
  const errorHandler = (projection: string, during: 'batch' | 'settle') => options.onError ?? ((error: unknown, notice?: RetryNotice) => log.failed(projection, error, during, notice));
  const consumers = new Map<string, ConsumerState>();
  // A rebalance leaves the state as it was; a crash makes the projector unready until its
  // consumer has joined again (see ConsumerState).
  const onMembership = (projection: string) => (event: MembershipEvent) => {
    log.membership(projection, event);
    if (event.kind === 'assigned') consumers.set(projection, 'assigned');
    else if (event.kind === 'crashed') consumers.set(projection, event.restarting ? 'restarting' : 'stopped');
    else if (event.kind === 'left') consumers.set(projection, 'stopped');
    else if (event.kind === 'retention-gap') {
      if (!event.accepted) consumers.set(projection, 'halted');
      options.onRetentionGap?.(projection, event);
    }
  };
  // One single-flight settler per projection that has a settlement: batches of several
  // partitions commit concurrently, and each asks for a settle after its commit.
  const settlers = context.projections
    .filter((projection) => projection.settlement)
    .map((projection) => {
      const storage = projectionStorage(schema, projection);
      return createSingleFlight(async () => {
        try {
          await settleProjection(deps, projection, storage.tables, { schema, allowedLatenessMs: options.allowedLatenessMs ?? DEFAULT_ALLOWED_LATENESS_MS, log: deps.log });
        } catch (error) {
          errorHandler(projection.name, 'settle')(error);
        }
      }, { minGapMs: 200 });
    });
  const settlerOf = new Map(context.projections.filter((p) => p.settlement).map((p, i) => [p.name, settlers[i]!]));

  return {
    get phase() {
      return phase;
    },
    schema,
    async start() {
      if (phase === 'running') return;
      await deps.log.ensureTopics(topics.map((name) => ({ name, partitions })));
      // Replicas of a projector start together: their table creation takes turns.
      await migrateExclusively(
        deps.db,
        schema,
        async (db) => {
          await createContextTables(db, schema);
          for (const projection of context.projections) await createSwapSetTables(db, projection, projectionStorage(schema, projection));
        },
        // Other members of the group may already be writing these tables.
        { statementByStatement: true },
      );
      for (const projection of context.projections) consumers.set(projection.name, 'joining');
      for (const [index, projection] of context.projections.entries()) {
        const plan: ApplyPlan<E, unknown> = { projection, decoders, storage: projectionStorage(schema, projection), keepsEvidence: index === 0 };
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
              const started = performance.now();
              const counts = await applyPartitionBatch(deps.db, plan, batch, { gapBound: options.gapBound ?? 1000, fault: options.fault });
              options.fault?.('after-commit');
              if (counts) {
                const durationMs = performance.now() - started;
                log.batch(projection.name, batch, counts, durationMs);
                options.onBatch?.(projection.name, counts, durationMs);
                void settlerOf.get(projection.name)?.request();
              }
            },
            onError: errorHandler(projection.name, 'batch'),
            retry: options.retry,
            onMembership: onMembership(projection.name),
          }),
        );
      }
      phase = 'running';
      log.phase('projector started', { projections: context.projections.map((p) => p.name), topics, partitions });
      // Deadlines may have come due while the projector was down (another member moved the watermark).
      for (const settler of settlers) void settler.request();
    },
    async stop() {
      // Each subscription finishes its batch in flight (committed or rolled back) before it
      // resolves; a settle in flight finishes too. Nothing is left half-applied.
      await Promise.all(subscriptions.map((s) => s.stop()));
      subscriptions = [];
      await Promise.all(settlers.map((s) => s.idle()));
      if (phase === 'running') log.phase('projector stopped', {});
      phase = 'stopped';
    },
    async settle() {
      await Promise.all(settlers.map((s) => s.request()));
    },
    readiness() {
      const states = context.projections.map((p) => ({ projection: p.name, state: consumers.get(p.name) ?? 'joining' }));
      return { ready: phase === 'running' && states.every((c) => c.state === 'assigned'), schema, phase, consumers: states };
    },
  };
}

async function endOffsetArrays(log: EventLog, topic: string): Promise<[number[], number[]]> {
  const ends = await log.endOffsets(topic);
  return [ends.map((_, p) => p), ends];
}
