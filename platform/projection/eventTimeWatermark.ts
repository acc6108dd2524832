/** What the watermark needs to know of one input partition. */
export interface PartitionProgress {
  topic: string;
  partition: number;
  /** First offset not yet applied. */
  nextOffset: number;
  /** The log's end for the partition (live when known, else as last seen). */
  logEndOffset: number;
  /** Greatest event time applied from the partition, or null when none yet. */
  maxEventTime: Date | null;
}

/**
 * A context's event-time watermark (DESIGN §11): the event time up to which it has seen
 * everything it will wait for. The minimum over the input partitions of the greatest event time
 * applied from each, less `allowedLatenessMs`.
 *
 * Idle partitions: a partition is idle when it is caught up with its log end (nothing left to
 * consume), never while it still has records. Idle partitions are left out of the minimum, so a
 * topic without traffic does not hold the watermark back for ever; when every partition is idle
 * (everything consumed), the watermark is the greatest event time seen anywhere, less the lateness.
 * A partition with records to consume and nothing applied yet holds it back entirely (null): it
 * may carry the oldest events of all.
 *
 * The price of not waiting for idle partitions: a record that arrives later on one of them, with
 * an event time the watermark has already passed, is late. Late events still count (at their
 * event time); see the settling projection for what they change.
 */
export function eventTimeWatermark(partitions: readonly PartitionProgress[], allowedLatenessMs: number): Date | null {
  const busy = partitions.filter((p) => p.nextOffset < p.logEndOffset);
  let edge: number | null = null;
  if (busy.length > 0) {
    for (const p of busy) {
      if (p.maxEventTime === null) return null;
      edge = edge === null ? p.maxEventTime.getTime() : Math.min(edge, p.maxEventTime.getTime());
    }
  } else {
    for (const p of partitions) {
      if (p.maxEventTime !== null) edge = edge === null ? p.maxEventTime.getTime() : Math.max(edge, p.maxEventTime.getTime());
    }
  }
  return edge === null ? null : new Date(edge - allowedLatenessMs);
}
