import type { PlatformError } from '../errors/index.js';
import type { BackoffPolicy, RetryNotice } from '../retry/index.js';

/** One record as stored in a partition. `timestamp` is the log's append time (processing time). */
export interface LogRecord {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  /** `null` is a tombstone. */
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: number;
}

export interface OutgoingRecord {
  /** Decides the partition (murmur2, as Kafka's Java client): one key's records stay in order. */
  key: string | Buffer;
  value: string | Buffer | null;
  headers?: Record<string, string>;
}

export interface TopicSpec {
  name: string;
  partitions: number;
}

export interface PartitionBatch {
  topic: string;
  partition: number;
  /** In offset order, gap-free apart from compaction; never empty. */
  records: LogRecord[];
  /** Offset the next produced record will get: `logEndOffset - 1 - lastOffset` is the lag. */
  logEndOffset: number;
}

export interface ConsumeOptions {
  /** Members of one group share the partitions; each partition has one member at a time. */
  groupId: string;
  topics: string[];
  /**
   * Asked each time a partition is assigned (start and every rebalance): the offset of the first
   * record not yet applied. The consumer's own position is ignored; the caller's store is the truth.
   */
  startOffset(topic: string, partition: number): Promise<number>;
  /** Applies a batch. Resolving means durable: the adapter may then commit the offset upstream. */
  handleBatch(batch: PartitionBatch): Promise<void>;
  /**
   * Partitions handled at the same time by this member (order holds within each). Default 1.
   * More lets the caller's work on one partition overlap its database round trips on another.
   */
  partitionConcurrency?: number;
  /** Upper bound on records per `handleBatch` call. Default 500. */
  maxBatchSize?: number;
  /**
   * Waits before a failed batch is tried again, per partition (the other partitions go on):
   * exponential backoff with full jitter while the error is retriable (a dependency down), the
   * longest wait at once when it is not (a bug or a poison batch: retried, since skipping would
   * lose it, but slowly). `isRetriable` classifies; default: the error's `retriable` flag.
   * Default DEFAULT_BATCH_RETRY.
   */
  retry?: BatchRetryPolicy;
  /**
   * Told about each failed batch, and (Kafka) each failure of the consumer itself (brokers
   * unreachable), with the attempt and the wait before the next try.
   */
  onError?(error: unknown, notice: RetryNotice): void;
  /** Told when this member's place in its group changes (logs, readiness). */
  onMembership?(event: MembershipEvent): void;
}

export interface BatchRetryPolicy extends BackoffPolicy {
  isRetriable?(error: unknown): boolean;
}

/**
 * 100 ms doubling to 5 s, full jitter: a restarted PostgreSQL is found again within seconds,
 * while a long outage costs one attempt per partition every few seconds, not a tight loop.
 */
export const DEFAULT_BATCH_RETRY: Readonly<BatchRetryPolicy> = { baseMs: 100, maxMs: 5_000, jitter: 'full' };

/**
 * A change of a member's place in its consumer group. `assigned` comes after every join or
 * rebalance (possibly with no partitions, when the group has more members than partitions);
 * `crashed` is the client losing its place (brokers gone, an error it does not retry), told once
 * per crash; the adapter brings the member back with backoff until `stop()` (`restarting` is false
 * only while stopping), and the next `assigned` says it is back. `left` comes once, when `stop()`
 * has left the group.
 */
export type MembershipEvent =
  | { kind: 'assigned'; partitions: ReadonlyArray<{ topic: string; partition: number }> }
  | { kind: 'rebalancing' }
  | { kind: 'crashed'; error: unknown; restarting: boolean }
  | RetentionGapEvent
  | { kind: 'left' };

/**
 * A partition's log begins past the offset the caller's store needs (`startOffset`, or the record
 * after the last one applied): records `neededOffset` … `earliestOffset - 1` are gone (retention,
 * deleted records). With RetentionGapPolicy `halt` (the default) the partition stops, nothing of it
 * is delivered again until the member is restarted, and `error` (LOG_RETENTION_GAP) says so; the
 * other partitions go on. With `accept` (an operator's explicit choice) delivery goes on from
 * `earliestOffset` and `accepted` is true: the loss is told, never silent.
 */
export interface RetentionGapEvent {
  kind: 'retention-gap';
  topic: string;
  partition: number;
  neededOffset: number;
  earliestOffset: number;
  accepted: boolean;
  error: PlatformError;
}

/** What a log does when a partition no longer holds the offset a subscriber needs. See RetentionGapEvent. */
export type RetentionGapPolicy = 'halt' | 'accept';

export interface Subscription {
  /**
   * Stops after the batch in flight (its `handleBatch` has resolved or thrown, so its transaction
   * has committed or rolled back), then leaves the group; resolves when no batch is running.
   */
  stop(): Promise<void>;
}

export interface PartitionRange {
  partition: number;
  /** First offset to read. */
  from: number;
  /** Offset to stop before. */
  until: number;
}

/**
 * The event-log port (DESIGN §4). Keys map to partitions, offsets grow by one per record,
 * order holds per partition, and any partition can be replayed from its earliest offset.
 */
export interface EventLog {
  readonly kind: 'kafka' | 'embedded';
  /** Creates missing topics; fails if an existing topic has a different partition count. */
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  produce(topic: string, records: OutgoingRecord[]): Promise<void>;
  /** Log-end offset per partition, indexed by partition. */
  endOffsets(topic: string): Promise<number[]>;
  /** Reads the given ranges outside any group (replay, rebuild). `handle` sees records in offset order per partition. */
  readRanges(topic: string, ranges: PartitionRange[], handle: (records: LogRecord[]) => Promise<void>): Promise<void>;
  subscribe(options: ConsumeOptions): Promise<Subscription>;
  close(): Promise<void>;
}
