import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { Backoff } from '../retry/index.js';
import { createBackoff, isRetriable } from '../retry/index.js';
import type { BatchRetryPolicy, ConsumeOptions, EventLog, LogRecord, PartitionRange, RetentionGapPolicy, Subscription, TopicSpec } from './EventLog.js';
import { DEFAULT_BATCH_RETRY } from './EventLog.js';
import { murmur2Partition } from './murmur2Partition.js';
import { retentionGapEvent } from './retentionGapEvent.js';

export interface EmbeddedEventLogOptions {
  /** Partitions of a topic first produced to without `ensureTopics`. Default 4. */
  defaultPartitions?: number;
  /** Backoff between retries of a failed batch when the subscriber gives none (`ConsumeOptions.retry`). Default DEFAULT_BATCH_RETRY. */
  retry?: BatchRetryPolicy;
  /** What a subscriber's partition does when the records it needs were deleted. Default `halt`. See RetentionGapEvent. */
  retentionGap?: RetentionGapPolicy;
}

export interface EmbeddedEventLog extends EventLog {
  /**
   * Deletes a partition's records before `beforeOffset` (Kafka's DeleteRecords, what retention
   * does): offsets are kept, the log then begins at `beforeOffset`.
   */
  deleteRecords(topic: string, partition: number, beforeOffset: number): void;
}

/** One partition: `records[i]` has offset `start + i`; records before `start` were deleted. */
interface PartitionLog {
  start: number;
  records: LogRecord[];
}

const endOf = (log: PartitionLog) => log.start + log.records.length;

interface Member {
  readonly options: ConsumeOptions;
  wake: () => void;
}

/**
 * An in-process partitioned log with Kafka's semantics (keys → partitions by murmur2, offsets,
 * order per partition, replay from earliest, consumer groups sharing partitions). It keeps
 * records in memory: it is the embedded default for `npm start` and tests, not a durable store.
 */
export function createEmbeddedEventLog(options: EmbeddedEventLogOptions = {}): EmbeddedEventLog {
  const defaultPartitions = options.defaultPartitions ?? 4;
  const retentionGap = options.retentionGap ?? 'halt';
  const topics = new Map<string, PartitionLog[]>();
  const groups = new Map<string, Member[]>();
  // Bumped on every join and leave: each member of the group then re-reads its assignment.
  const generations = new Map<string, number>();
  const generationOf = (groupId: string) => generations.get(groupId) ?? 0;
  let closed = false;

  const newPartitions = (count: number): PartitionLog[] => Array.from({ length: count }, () => ({ start: 0, records: [] }));
  const partitionsOf = (topic: string): PartitionLog[] => {
    let partitions = topics.get(topic);
    if (!partitions) {
      partitions = newPartitions(defaultPartitions);
      topics.set(topic, partitions);
    }
    return partitions;
  };
  const wakeAll = () => {
    for (const members of groups.values()) for (const member of members) member.wake();
  };

  const assignmentOf = (member: Member): Array<{ topic: string; partition: number }> => {
    const members = groups.get(member.options.groupId) ?? [];
    const index = members.indexOf(member);
    const all = [...new Set(members.flatMap((m) => m.options.topics))]
      .sort()
      .flatMap((topic) => partitionsOf(topic).map((_, partition) => ({ topic, partition })));
    return all.filter((_, i) => i % members.length === index && member.options.topics.includes(all[i]!.topic));
  };

  return {
    kind: 'embedded',
    async ensureTopics(specs: TopicSpec[]) {
      for (const spec of specs) {
        const existing = topics.get(spec.name);
        if (existing && existing.length !== spec.partitions) {
          throw new PlatformError(
            PlatformErrorCode.TopicMisconfigured,
            `Topic ${spec.name} has ${existing.length} partitions, expected ${spec.partitions}. Fix: set TOPIC_PARTITIONS=${existing.length}.`,
          );
        }
        if (!existing) topics.set(spec.name, newPartitions(spec.partitions));
      }
    },
    async produce(topic, records) {
      const partitions = partitionsOf(topic);
      const timestamp = Date.now();
      for (const record of records) {
        const partition = murmur2Partition(record.key, partitions.length);
        const log = partitions[partition]!;
        log.records.push({
          topic,
          partition,
          offset: endOf(log),
          key: ownCopy(record.key),
          value: record.value === null ? null : ownCopy(record.value),
          headers: { ...record.headers },
          timestamp,
        });
      }
      wakeAll();
    },
    async endOffsets(topic) {
      return partitionsOf(topic).map(endOf);
    },
    deleteRecords(topic, partition, beforeOffset) {
      const log = partitionsOf(topic)[partition];
      if (!log) throw new PlatformError(PlatformErrorCode.TopicMisconfigured, `Topic ${topic} has no partition ${partition}.`);
      const before = Math.min(beforeOffset, endOf(log));
      if (before <= log.start) return;
      log.records = log.records.slice(before - log.start);
      log.start = before;
    },
    async readRanges(topic: string, ranges: PartitionRange[], handle) {
      const partitions = partitionsOf(topic);
      for (const range of ranges) {
        const log = partitions[range.partition] ?? { start: 0, records: [] };
        for (let from = Math.max(range.from, log.start); from < Math.min(range.until, endOf(log)); from += 1000) {
          await handle(log.records.slice(from - log.start, Math.min(from + 1000, range.until) - log.start));
        }
      }
    },
    async subscribe(consume: ConsumeOptions): Promise<Subscription> {
      const maxBatchSize = consume.maxBatchSize ?? 500;
      let wakeUp: (() => void) | undefined;
      let running = true;
      const member: Member = {
        options: consume,
        wake: () => {
          wakeUp?.();
        },
      };
      const members = groups.get(consume.groupId) ?? [];
      groups.set(consume.groupId, [...members, member]);
      // A join or leave rebalances every member of the group: each re-asks its start offsets.
      const rebalance = () => {
        generations.set(consume.groupId, generationOf(consume.groupId) + 1);
        wakeAll();
      };
      rebalance();

      const policy = { ...DEFAULT_BATCH_RETRY, ...options.retry, ...consume.retry };
      const loop = async () => {
        let seen = -1;
        let positions = new Map<string, number>();
        let assignment: Array<{ topic: string; partition: number }> = [];
        // Partitions stopped at a retention gap: not polled again until the next assignment.
        let halted = new Set<string>();
        // A failed partition waits out its backoff (monotonic ms) while the others go on.
        const backoffs = new Map<string, Backoff>();
        const retryAt = new Map<string, number>();
        while (running && !closed) {
          if (seen !== generationOf(consume.groupId)) {
            seen = generationOf(consume.groupId);
            assignment = assignmentOf(member);
            positions = new Map();
            halted = new Set();
            retryAt.clear();
            consume.onMembership?.({ kind: 'assigned', partitions: assignment });
          }
          let progressed = false;
          const concurrency = Math.max(1, consume.partitionConcurrency ?? 1);
          const pollOne = async ({ topic, partition }: { topic: string; partition: number }) => {
            if (!running || seen !== generationOf(consume.groupId)) return;
            const key = `${topic}\u0000${partition}`;
            if (halted.has(key)) return;
            const waitUntil = retryAt.get(key);
            if (waitUntil !== undefined) {
              if (waitUntil > performance.now()) return;
              retryAt.delete(key);
            }
            try {
              let position = positions.get(key);
              if (position === undefined) {
                position = await consume.startOffset(topic, partition);
                positions.set(key, position);
              }
              const log = partitionsOf(topic)[partition]!;
              if (position < log.start) {
                // The records this subscriber needs next were deleted: never skip them silently.
                const gap = retentionGapEvent({ topic, partition, neededOffset: position, earliestOffset: log.start }, retentionGap);
                consume.onMembership?.(gap);
                if (!gap.accepted) {
                  halted.add(key);
                  return;
                }
                position = log.start;
                positions.set(key, position);
              }
              if (position >= endOf(log)) return;
              const records = log.records.slice(position - log.start, position - log.start + maxBatchSize);
              await consume.handleBatch({ topic, partition, records, logEndOffset: endOf(log) });
              positions.set(key, position + records.length);
              backoffs.get(key)?.reset();
              progressed = true;
            } catch (error) {
              positions.delete(key);
              let backoff = backoffs.get(key);
              if (!backoff) backoffs.set(key, (backoff = createBackoff({ ...policy, isRetriable: policy.isRetriable ?? isRetriable })));
              const notice = backoff.fail(error);
              retryAt.set(key, performance.now() + notice.delayMs);
              consume.onError?.(error, notice);
            }
          };
          for (let i = 0; i < assignment.length; i += concurrency) await Promise.all(assignment.slice(i, i + concurrency).map(pollOne));
          if (!progressed && running) {
            // Idle: until a record arrives, a backoff ends, or a second passes (a new assignment).
            const nextRetry = Math.min(...retryAt.values()) - performance.now();
            await new Promise<void>((resolve) => {
              wakeUp = resolve;
              setTimeout(resolve, Math.max(0, Math.min(1000, nextRetry))).unref();
            });
            wakeUp = undefined;
          }
        }
      };
      const done = loop();
      return {
        async stop() {
          running = false;
          member.wake();
          await done;
          groups.set(consume.groupId, (groups.get(consume.groupId) ?? []).filter((m) => m !== member));
          rebalance();
          consume.onMembership?.({ kind: 'left' });
        },
      };
    },
    async close() {
      closed = true;
      wakeAll();
    },
  };
}

/**
 * The bytes in memory of their own, exactly their size. `Buffer.from` of a short string is a
 * slice of Node's shared 8 KB pool, and a slice kept for ever keeps its whole slab alive, with
 * everything else that was cut from it meanwhile (request bodies, JSON): measured with other
 * allocations interleaved, a record of ~0.5 KB held ~4.9 KB; copied, ~0.5 KB. The log keeps every record, so it copies (a caller's Buffer too:
 * it may be such a slice, and the log must not change when the caller reuses it).
 */
function ownCopy(bytes: string | Buffer): Buffer {
  const source = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const own = Buffer.allocUnsafeSlow(source.length);
  source.copy(own);
  return own;
}
