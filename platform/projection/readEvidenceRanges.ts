import type { Queryable } from '../database/index.js';
import type { LogRecord, PartitionRange } from '../eventLog/index.js';
import { countEvidence, readEvidence } from './rawEvidence.js';

export interface EvidenceReadOptions {
  /** Records per `handle` call. Default 5000. */
  batchSize?: number;
  /**
   * Partitions read and handled at the same time (order holds within each). Default 2, as the
   * live projector's partitionConcurrency: one partition's JavaScript work overlaps another's
   * database round trips.
   */
  concurrency?: number;
}

/** A partition range of a named topic. */
export interface TopicRange extends PartitionRange {
  topic: string;
}

/**
 * Reads the given ranges (of any topics: they share one queue, so no partition waits for
 * another topic to finish) from the raw evidence (the records as received, kept in the
 * transaction of their effects), in offset order per partition, `batchSize` records per call. A
 * range is read from the evidence only if the evidence holds every offset of it (from `from` to
 * `until - 1`, counted from the stored batches' offset lists); the ranges it does not cover are returned untouched, for
 * the caller to read from the log. `handle` may be called for several partitions at once (see
 * `concurrency`), never twice at once for one partition. Offsets a log skips (compaction, transaction markers) make a
 * range "not covered": the log then decides, as it would without evidence.
 */
export async function readEvidenceRanges(db: Queryable, rawBatchesTable: string, ranges: readonly TopicRange[], handle: (records: LogRecord[]) => Promise<void>, options: EvidenceReadOptions = {}): Promise<TopicRange[]> {
  const batchSize = options.batchSize ?? 5000;
  const notCovered: TopicRange[] = [];
  const covered: TopicRange[] = [];
  for (const range of ranges) {
    if (range.until <= range.from) continue;
    const held = await countEvidence(db, rawBatchesTable, range.topic, range.partition, range.from, range.until);
    (held === range.until - range.from ? covered : notCovered).push(range);
  }
  const readRange = async ({ topic, partition, from: start, until }: TopicRange) => {
    const read = (from: number) => readEvidence(db, rawBatchesTable, topic, partition, from, until, batchSize);
    // The next window is read while this one is handled: the read and the caller's writes overlap.
    let pending = read(start);
    // If `handle` throws, the read in flight is abandoned: its failure must not go unobserved.
    const abandon = (p: typeof pending) => void p.catch(() => undefined);
    abandon(pending);
    for (;;) {
      const { records, nextFrom } = await pending;
      const done = nextFrom >= until;
      if (!done) abandon((pending = read(nextFrom)));
      // A window holds about `batchSize` records, more when a stored batch reaches past it.
      for (let i = 0; i < records.length; i += batchSize) await handle(records.slice(i, i + batchSize));
      if (done) break;
    }
  };
  const queue = [...covered];
  const worker = async () => {
    for (let range = queue.shift(); range; range = queue.shift()) await readRange(range);
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  return notCovered;
}
