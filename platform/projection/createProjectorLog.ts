import type { RetryNotice } from '../retry/index.js';
import type { MembershipEvent, PartitionBatch } from '../eventLog/index.js';
import { UnreachableCaseError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { ApplyCounts } from './applyInputs.js';

/** What a projector says about itself: one place for its log lines and their levels. */
export interface ProjectorLog {
  batch(projection: string, batch: PartitionBatch, counts: ApplyCounts, durationMs: number): void;
  membership(projection: string, event: MembershipEvent): void;
  failed(projection: string, error: unknown, during: 'batch' | 'settle', notice?: RetryNotice): void;
  phase(message: 'projector started' | 'projector stopped', fields: Record<string, unknown>): void;
}

export function createProjectorLog(logger: Logger): ProjectorLog {
  // Since when each projection's consumer has been down: a long outage crashes the client again at
  // every failed restart, and only the first crash and the return are news (once per transition).
  const downSince = new Map<string, number>();
  return {
    batch(projection, batch, counts, durationMs) {
      // Debug: a line per partition per poll is tens a second under the demo feed and thousands a
      // second in a catch-up; the counters live in the watermarks and /metrics. A batch that
      // quarantined something is worth an operator's look, so it is said at info.
      const quarantined = counts.quarantined.length;
      const level = quarantined > 0 ? 'info' : 'debug';
      if (!logger.isLevelEnabled(level)) return;
      const last = batch.records[batch.records.length - 1]!;
      logger[level](
        {
          projection,
          topic: batch.topic,
          partition: batch.partition,
          fromOffset: batch.records[0]!.offset,
          toOffset: last.offset,
          records: batch.records.length,
          applied: counts.applied,
          duplicates: counts.duplicates,
          parked: counts.parked,
          ignored: counts.ignored,
          quarantined,
          // Reason codes only: a reason restates what was received, which may be a payload's value.
          ...(quarantined > 0 ? { quarantineReasons: [...new Set(counts.quarantined.map((q) => q.rejection.code))] } : {}),
          lagRecords: Math.max(0, batch.logEndOffset - 1 - last.offset),
          durationMs: Math.round(durationMs * 10) / 10,
        },
        'batch committed',
      );
    },
    membership(projection, event) {
      switch (event.kind) {
        case 'assigned': {
          const since = downSince.get(projection);
          downSince.delete(projection);
          const partitions = event.partitions.map((p) => `${p.topic}/${p.partition}`);
          if (since === undefined) logger.info({ projection, partitions }, 'partitions assigned');
          else logger.info({ projection, partitions, downMs: Math.round(performance.now() - since) }, 'consumer back in its group after a crash; partitions assigned');
          return;
        }
        case 'rebalancing':
          logger.info({ projection }, 'consumer group rebalancing');
          return;
        case 'crashed':
          if (!event.restarting) return;
          if (downSince.has(projection)) logger.debug({ projection, err: event.error }, 'consumer crashed again while restarting');
          else {
            downSince.set(projection, performance.now());
            logger.warn({ projection, err: event.error }, 'consumer crashed and left its group; restarting it with backoff (not ready until it is back)');
          }
          return;
        case 'left':
          logger.info({ projection }, 'left the consumer group');
          return;
        case 'retention-gap':
          // Records are missing from the log either way: an operator must act (or has chosen to skip).
          logger.error({ projection, topic: event.topic, partition: event.partition, neededOffset: event.neededOffset, earliestOffset: event.earliestOffset, accepted: event.accepted, err: event.error }, event.accepted ? 'records gone from the log were skipped (EVENT_LOG_RETENTION_GAP=accept)' : 'partition stopped: the log no longer holds the records it needs');
          return;
        default:
          throw new UnreachableCaseError(event);
      }
    },
    failed(projection, error, during, notice) {
      // A dependency that is down resolves itself (warn); anything else needs a fix (error).
      const fields = { projection, err: error, ...(notice ? { attempt: notice.attempt, retriable: notice.retriable, retryInMs: notice.delayMs } : {}) };
      const message = during === 'batch' ? `batch failed and rolled back; it is retried${notice ? ` in ${notice.delayMs} ms` : ''}` : 'settling failed; it is retried after the next batch';
      if (notice?.retriable) logger.warn(fields, message);
      else logger.error(fields, message);
    },
    phase(message, fields) {
      logger.info(fields, message);
    },
  };
}
