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

/**
 * One partition: its records from `start` (those before were deleted) to `end` (exclusive), in
 * segments, one per produce call, in offset order.
 */
interface PartitionLog {
  start: number;
  end: number;
  segments: Segment[];
}

/**
 * The records of one produce call to one partition, as one byte string of their keys and values
 * back to back and a table of where each lies. The log keeps every record for the life of the
 * process: a million records kept as objects were about six million objects (record, two Buffers
 * each with an ArrayBuffer of its own, headers) that every major garbage collection marked
 * again, in the embedded demo and in the benchmarks alike (a third of the projector's CPU). A
 * segment is five. Readers get records made at read time, with views of the segment's bytes, as
 * a Kafka client makes them from a fetch response.
 */
interface Segment {
  /** Offset of the first record. */
  base: number;
  count: number;
  timestamp: number;
  bytes: Buffer;
  /** Per record: key start, key length, value start, value length (-1: tombstone). Every record has a key (the port asks one to pick the partition). */
  bounds: Int32Array;
  /** Per record, when any record of the segment has headers. */
  headers: ReadonlyArray<Readonly<Record<string, string>>> | null;
}

const NO_BYTES = -1;

function segmentOf(base: number, timestamp: number, records: ReadonlyArray<{ key: Buffer; value: Buffer | null; headers?: Record<string, string> }>): Segment {
  let size = 0;
  for (const r of records) size += r.key.length + (r.value?.length ?? 0);
  // Bytes of its own, exactly their size: a slice of Node's shared 8 KB pool (what `Buffer.from`
  // of a short string is) kept for ever would keep its whole slab alive, with everything else cut
  // from it meanwhile. The caller's Buffers are copied too: the log must not change when they do.
  const bytes = Buffer.allocUnsafeSlow(size);
  const bounds = new Int32Array(records.length * 4);
  let at = 0;
  let anyHeaders = false;
  records.forEach((r, i) => {
    bounds[i * 4] = at;
    bounds[i * 4 + 1] = r.key.length;
    at += r.key.copy(bytes, at);
    bounds[i * 4 + 2] = at;
    bounds[i * 4 + 3] = r.value === null ? NO_BYTES : r.value.length;
    if (r.value !== null) at += r.value.copy(bytes, at);
    if (r.headers && Object.keys(r.headers).length > 0) anyHeaders = true;
  });
  const headers = anyHeaders ? records.map((r) => Object.freeze({ ...r.headers })) : null;
  return { base, count: records.length, timestamp, bytes, bounds, headers };
}

/** The partition's records with `from <= offset < until` (within what it holds), made now. */
function readRecords(topic: string, partition: number, log: PartitionLog, from: number, until: number): LogRecord[] {
  const first = Math.max(from, log.start);
  const last = Math.min(until, log.end);
  const out: LogRecord[] = [];
  if (first >= last) return out;
  // The segment holding `first`: the last one whose base is at or before it.
  let lo = 0;
  let hi = log.segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (log.segments[mid]!.base <= first) lo = mid;
    else hi = mid - 1;
  }
  for (let s = lo, offset = first; s < log.segments.length && offset < last; s++) {
    const segment = log.segments[s]!;
    const { base, bounds, bytes } = segment;
    for (let i = offset - base; i < segment.count && offset < last; i++, offset++) {
      const keyStart = bounds[i * 4]!;
      const valueLength = bounds[i * 4 + 3]!;
      out.push({
        topic,
        partition,
        offset,
        key: bytes.subarray(keyStart, keyStart + bounds[i * 4 + 1]!),
        value: valueLength === NO_BYTES ? null : bytes.subarray(bounds[i * 4 + 2]!, bounds[i * 4 + 2]! + valueLength),
        headers: segment.headers ? { ...segment.headers[i] } : {},
        timestamp: segment.timestamp,
      });
    }
  }
  return out;
}

const endOf = (log: PartitionLog) => log.end;

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

  const newPartitions = (count: number): PartitionLog[] => Array.from({ length: count }, () => ({ start: 0, end: 0, segments: [] }));
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
      const byPartition = new Map<number, Array<{ key: Buffer; value: Buffer | null; headers?: Record<string, string> }>>();
      for (const record of records) {
        const key = typeof record.key === 'string' ? Buffer.from(record.key) : record.key;
        const partition = murmur2Partition(key, partitions.length);
        let list = byPartition.get(partition);
        if (!list) byPartition.set(partition, (list = []));
        list.push({ key, value: typeof record.value === 'string' ? Buffer.from(record.value) : record.value, headers: record.headers });
      }
      for (const [partition, list] of byPartition) {
        const log = partitions[partition]!;
        log.segments.push(segmentOf(log.end, timestamp, list));
        log.end += list.length;
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
      log.segments = log.segments.filter((segment) => segment.base + segment.count > before);
      log.start = before;
    },
    async readRanges(topic: string, ranges: PartitionRange[], handle) {
      const partitions = partitionsOf(topic);
      for (const range of ranges) {
        const log = partitions[range.partition];
        if (!log) continue;
        for (let from = Math.max(range.from, log.start); from < Math.min(range.until, endOf(log)); from += 1000) {
          await handle(readRecords(topic, range.partition, log, from, Math.min(from + 1000, range.until)));
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
              const records = readRecords(topic, partition, log, position, position + maxBatchSize);
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
