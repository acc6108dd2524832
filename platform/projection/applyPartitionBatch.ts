import type { Database } from '../database/index.js';
import type { PartitionBatch } from '../eventLog/index.js';
import type { EventEnvelope } from '../events/index.js';
import type { ApplyCounts, ApplyPlan } from './applyInputs.js';
import { applyInputs } from './applyInputs.js';
import { appendEvidence } from './rawEvidence.js';

/** Points inside a batch where a test can inject a crash (the transaction then rolls back). */
export type FaultPoint = 'after-raw' | 'after-projection' | 'before-commit' | 'after-commit';

export interface BatchOptions {
  gapBound: number;
  /** Test hook: throw from here to simulate a crash at that point. */
  fault?: (point: FaultPoint) => void;
}

/**
 * Applies one partition batch with the exactly-once effect of DESIGN §6: raw evidence,
 * projection rows, engine state and the checkpoint are written in ONE transaction. The
 * checkpoint row is locked first, which also fences a second consumer after a rebalance.
 * Returns null when every record was already applied (a redelivery).
 */
export async function applyPartitionBatch<E extends EventEnvelope, S>(db: Database, plan: ApplyPlan<E, S>, batch: PartitionBatch, options: BatchOptions): Promise<ApplyCounts | null> {
  const { storage, projection } = plan;
  const { topic, partition } = batch;
  return db.transaction(async (tx) => {
    // One statement creates the row if missing and locks it either way (an upsert's update
    // takes the row lock, as `for update` would), returning where the partition stands.
    const { rows } = await tx.query<{ next_offset: string }>(
      `insert into ${storage.checkpoints} as c (projection, topic, partition) values ($1, $2, $3)
       on conflict (projection, topic, partition) do update set next_offset = c.next_offset returning next_offset`,
      [projection.name, topic, partition],
    );
    const nextOffset = Number(rows[0]!.next_offset);
    const records = batch.records.filter((r) => r.offset >= nextOffset);
    if (records.length === 0) return null;

    // One evidence row for the batch: the checkpoint lock above guarantees these offsets are
    // not in the evidence yet (a redelivery below the checkpoint was filtered out).
    if (plan.keepsEvidence) await appendEvidence(tx, storage.rawBatches, topic, partition, records);
    options.fault?.('after-raw');

    const lastOffset = records[records.length - 1]!.offset;
    const counts = await applyInputs(tx, plan, records.map((record) => ({ kind: 'record' as const, record })), {
      mode: 'live',
      expiry: { topic, partition, lastOffset, gapBound: options.gapBound },
    });
    options.fault?.('after-projection');

    await tx.query(
      `update ${storage.checkpoints} set next_offset = $4, log_end_offset = greatest(log_end_offset, $5),
         max_event_time = greatest(max_event_time, $6::timestamptz), last_applied_at = now(),
         applied_count = applied_count + $7, duplicate_count = duplicate_count + $8, parked_count = parked_count + $9,
         quarantined_count = quarantined_count + $10, ignored_count = ignored_count + $11
       where projection = $1 and topic = $2 and partition = $3`,
      [projection.name, topic, partition, lastOffset + 1, batch.logEndOffset, counts.maxEventTime, counts.applied, counts.duplicates, counts.parked, counts.quarantined.length, counts.ignored],
    );
    options.fault?.('before-commit');
    return counts;
  });
}
