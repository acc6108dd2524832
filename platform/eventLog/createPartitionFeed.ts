import type { Backoff, RetryNotice } from '../retry/index.js';
import { abortableSleep } from '../retry/index.js';
import type { LogRecord, PartitionBatch } from './EventLog.js';
import type { Slots } from './createSlots.js';

/**
 * One partition's records between the fetch and the caller's `handleBatch`, so that fetching never
 * waits for a transaction. kafkajs fetches a broker's partitions together and fetches again only
 * once every batch of the last fetch is handled: applied inside its eachBatch, one partition's
 * transaction would hold every other partition's next fetch, and the test broker (one produce
 * batch per partition per fetch) could then fall behind any steady producer for good.
 *
 * The feed applies what has arrived as soon as a slot is free, up to maxBatchSize records: an idle
 * partition applies a record at once, a busy one applies what gathered during the last transaction.
 * In a catch-up (the log holds a quarter batch or more past what has been fetched), it waits up to
 * maxGatherMs for fuller batches. A failed batch is kept and tried again after its backoff, from the caller's store's
 * position (a batch that committed and then failed is not applied twice).
 */
export interface PartitionFeedOptions {
  topic: string;
  partition: number;
  /** The first offset not applied (the caller's store). */
  from: number;
  maxBatchSize: number;
  /** Records held before the owner is told to stop fetching (`onFull(true)`). */
  maxQueued: number;
  maxGatherMs: number;
  /** Shared by the partitions of one member: how many transactions run at once. */
  slots: Slots;
  backoff: Backoff;
  handleBatch(batch: PartitionBatch): Promise<void>;
  /** After a failure and its backoff: the store's position, read again. */
  position(): Promise<number>;
  onError(error: unknown, notice: RetryNotice): void;
  /** Told when the queue reaches maxQueued (stop fetching) and when it has room again. */
  onFull(full: boolean): void;
  /** After each applied batch, with the next offset to apply. */
  onApplied(next: number): void;
}

export interface PartitionFeed {
  /** The offset the next fetched record should have. */
  readonly next: number;
  /** Fetched records in offset order (those below `next` are ignored), and the log end the fetch saw. */
  push(records: readonly LogRecord[], logEndOffset: number): void;
  /** Drops what is queued; resolves when the batch in flight, if any, has finished. */
  close(): Promise<void>;
}

export function createPartitionFeed(options: PartitionFeedOptions): PartitionFeed {
  const { topic, partition, maxBatchSize, maxQueued, maxGatherMs } = options;
  const gatherBacklog = Math.max(1, Math.floor(maxBatchSize / 4));
  let queue: LogRecord[] = [];
  let queuedSince = 0;
  let next = options.from;
  let logEnd = options.from;
  let full = false;
  const closing = new AbortController();
  let wake: (() => void) | undefined;
  // Resolves on the next push or close (or `ms`): the loop's only wait besides slots and backoff.
  const arrival = (ms?: number) =>
    new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, Math.max(0, ms));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => (wake = undefined));

  const setFull = (now: boolean) => {
    if (now === full) return;
    full = now;
    options.onFull(now);
  };

  const loop = async () => {
    while (!closing.signal.aborted) {
      if (queue.length === 0) {
        await arrival();
        continue;
      }
      // A catch-up (the broker holds a quarter batch or more past what was fetched): the fetch
      // brings more within milliseconds, so gather it, briefly, into one transaction. Under steady
      // production the log end is a few records ahead at every fetch: waiting there would only
      // add latency (measured: p50 281 → 116 ms in bench:freshness without it), and the records
      // arriving during a transaction make the next batch anyway.
      if (queue.length < maxBatchSize && logEnd - next >= gatherBacklog) {
        const left = maxGatherMs - (performance.now() - queuedSince);
        if (left > 0) {
          await arrival(left);
          continue;
        }
      }
      await options.slots.acquire();
      if (closing.signal.aborted) {
        options.slots.release();
        return;
      }
      const chunk = queue.slice(0, maxBatchSize);
      let failure: { error: unknown } | undefined;
      try {
        await options.handleBatch({ topic, partition, records: chunk, logEndOffset: logEnd });
      } catch (error) {
        failure = { error };
      } finally {
        options.slots.release();
      }
      if (!failure) {
        queue = queue.slice(chunk.length);
        queuedSince = performance.now();
        options.backoff.reset();
        options.onApplied(chunk[chunk.length - 1]!.offset + 1);
        if (queue.length <= maxQueued / 2) setFull(false);
        continue;
      }
      for (let error = failure.error; ; ) {
        const notice = options.backoff.fail(error);
        options.onError(error, notice);
        try {
          await abortableSleep(notice.delayMs, closing.signal);
          // The store decides where to go on from (it may have committed before failing).
          const position = await options.position();
          queue = queue.filter((r) => r.offset >= position);
          next = Math.max(next, position);
          if (queue.length <= maxQueued / 2) setFull(false);
          break;
        } catch (caught) {
          if (closing.signal.aborted) return;
          error = caught;
        }
      }
    }
  };
  const running = loop();

  return {
    get next() {
      return next;
    },
    push(records, logEndOffset) {
      logEnd = Math.max(logEnd, logEndOffset);
      let added = false;
      for (const record of records) {
        if (record.offset < next) continue;
        if (queue.length === 0 && !added) queuedSince = performance.now();
        queue.push(record);
        next = record.offset + 1;
        added = true;
      }
      if (queue.length >= maxQueued) setFull(true);
      wake?.();
    },
    async close() {
      closing.abort();
      queue = [];
      wake?.();
      await running;
    },
  };
}
