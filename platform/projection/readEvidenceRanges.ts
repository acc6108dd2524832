import type { Queryable } from '../database/index.js';
import type { LogRecord, PartitionRange } from '../eventLog/index.js';

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

/**
 * Reads the given ranges of a topic from the raw evidence (the records as received, kept in the
 * transaction of their effects), in offset order per partition, `batchSize` records per call. A
 * range is read from the evidence only if the evidence holds every offset of it (one row per
 * offset, from `from` to `until - 1`); the ranges it does not cover are returned untouched, for
 * the caller to read from the log. `handle` may be called for several partitions at once (see
 * `concurrency`), never twice at once for one partition. Offsets a log skips (compaction, transaction markers) make a
 * range "not covered": the log then decides, as it would without evidence.
 */
export async function readEvidenceRanges(db: Queryable, rawTable: string, topic: string, ranges: readonly PartitionRange[], handle: (records: LogRecord[]) => Promise<void>, options: EvidenceReadOptions = {}): Promise<PartitionRange[]> {
  const batchSize = options.batchSize ?? 5000;
  const notCovered: PartitionRange[] = [];
  const covered: PartitionRange[] = [];
  for (const range of ranges) {
    if (range.until <= range.from) continue;
    const { rows } = await db.query<{ n: string }>(`select count(*) as n from ${rawTable} where topic = $1 and partition = $2 and record_offset >= $3 and record_offset < $4`, [topic, range.partition, range.from, range.until]);
    (Number(rows[0]!.n) === range.until - range.from ? covered : notCovered).push(range);
  }
  const readRange = async (range: PartitionRange) => {
    const read = (from: number) =>
      db.query<{ record_offset: string; record_key: Uint8Array | null; record_value: Uint8Array | null; headers: Record<string, string>; appended_at: Date }>(
        `select record_offset, record_key, record_value, headers, appended_at from ${rawTable}
         where topic = $1 and partition = $2 and record_offset >= $3 and record_offset < $4 order by record_offset limit $5`,
        [topic, range.partition, from, range.until, batchSize],
      );
    // The next batch is read while this one is handled: the read and the caller's writes overlap.
    let pending = read(range.from);
    // If `handle` throws, the read in flight is abandoned: its failure must not go unobserved.
    const abandon = (p: typeof pending) => void p.catch(() => undefined);
    abandon(pending);
    for (;;) {
      const batch = (await pending).rows;
      const last = batch[batch.length - 1];
      if (!last) break;
      const next = Number(last.record_offset) + 1;
      pending = next < range.until ? read(next) : Promise.resolve({ rows: [] });
      abandon(pending);
      await handle(
        batch.map((r) => ({
          topic,
          partition: range.partition,
          offset: Number(r.record_offset),
          key: r.record_key && Buffer.from(r.record_key),
          value: r.record_value && Buffer.from(r.record_value),
          headers: r.headers,
          timestamp: r.appended_at.getTime(),
        })),
      );
    }
  };
  const queue = [...covered];
  const worker = async () => {
    for (let range = queue.shift(); range; range = queue.shift()) await readRange(range);
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  return notCovered;
}
