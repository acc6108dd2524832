import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type ICustomPartitioner, type KafkaMessage, type Message } from 'kafkajs';
import { isPlatformError, PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { Backoff } from '../retry/index.js';
import { abortableSleep, createBackoff, isRetriable, retry, untilAborted } from '../retry/index.js';
import type { ConsumeOptions, EventLog, LogRecord, PartitionRange, RetentionGapPolicy, Subscription, TopicSpec } from './EventLog.js';
import { DEFAULT_BATCH_RETRY } from './EventLog.js';
import type { PartitionFeed } from './createPartitionFeed.js';
import { createPartitionFeed } from './createPartitionFeed.js';
import { createProduceBatcher } from './createProduceBatcher.js';
import { createSlots } from './createSlots.js';
import { murmur2Partition } from './murmur2Partition.js';
import { retentionGapEvent } from './retentionGapEvent.js';
import { toEventLogError } from './toEventLogError.js';

export interface KafkaEventLogOptions {
  brokers: string[];
  /** Default `data-product-gateway`. */
  clientId?: string;
  /**
   * Consumer session timeout. Default 10 s; tests use less because the first group join waits
   * for it on some brokers.
   */
  sessionTimeoutMs?: number;
  /** How long the first connection is retried while the brokers refuse it, ms. Default 5000. */
  startupWaitMs?: number;
  /** Stops the first connection's retries (a SIGTERM during the start): the wait rejects at once. */
  signal?: AbortSignal;
  /** Fetch settings of the consumers (projector subscriptions and replays). See KafkaFetchOptions. */
  fetch?: KafkaFetchOptions;
  /** How produce calls share produce requests. See KafkaProduceOptions. */
  produce?: KafkaProduceOptions;
  /**
   * What a subscriber's partition does when Kafka no longer holds the offset its store needs
   * (kafkajs then resets to the earliest offset). Default `halt`. See RetentionGapEvent.
   */
  retentionGap?: RetentionGapPolicy;
}

/**
 * How a consumer fetches. The defaults are set for a projector that writes batches of thousands
 * of records: large enough fetches that one fetch fills a transaction, and a short wait when idle.
 */
export interface KafkaFetchOptions {
  /**
   * Longest time a fetch waits at the broker when no partition has records, ms. Default 20.
   * A real broker answers as soon as records arrive, so this costs only idle fetches (fifty a
   * second per idle consumer, each a few hundred bytes). The test broker (librdkafka's mock) does
   * not: it holds an empty fetch for the whole wait, so this is also the worst added latency of a
   * record produced to a caught-up consumer there (with 100 ms, the freshness bench's p99 could
   * not go under ~100 ms), and the delay before a resumed partition is fetched again.
   */
  maxWaitMs?: number;
  /**
   * Most bytes fetched per partition per fetch. Default 8 MiB: a batch of 5,000 records of
   * about 500 bytes (2.5 MB) comes in one fetch, where kafkajs' 1 MiB would need three round
   * trips per transaction.
   */
  maxBytesPerPartition?: number;
  /** Most bytes per fetch, all partitions together. Default 64 MiB (8 partitions × 8 MiB). */
  maxBytes?: number;
  /**
   * Longest time records are held to gather a fuller batch, ms. Default 10. A partition's feed
   * (createPartitionFeed) waits for more only in a catch-up (the broker holds a quarter batch or
   * more of the partition past what has been fetched), up to the subscriber's maxBatchSize, so a catch-up transaction is not one
   * producer batch (the test broker returns one produce batch per partition per fetch). Fetching
   * goes on during transactions, so what arrives meanwhile is the next batch anyway: this only
   * bounds the latency gathering adds under steady production, where the log end keeps moving.
   */
  maxGatherMs?: number;
}

/**
 * Producer-side batching (see createProduceBatcher): produce calls made within `lingerMs` of each
 * other go out in one produce request, one record batch per partition, as librdkafka's
 * `linger.ms` (default 5 ms) and a loaded Java producer do. Each call still resolves only once its
 * records are acknowledged by all in-sync replicas (acks -1).
 */
export interface KafkaProduceOptions {
  /** Longest a produce call waits for others before its request is sent, ms. Default 5. */
  lingerMs?: number;
  /**
   * Bound on one produce request's payload, bytes; more goes in several requests, in order.
   * Default 4 MiB (a broker refuses record batches over its message.max.bytes, 1 MiB by default,
   * per partition: 4 MiB over the usual 4+ partitions of a request stays under it).
   */
  maxRequestBytes?: number;
}

/** See KafkaProduceOptions. */
export const DEFAULT_KAFKA_PRODUCE: Readonly<Required<KafkaProduceOptions>> = { lingerMs: 5, maxRequestBytes: 4 * 1024 * 1024 };

/** See KafkaFetchOptions. */
export const DEFAULT_KAFKA_FETCH: Readonly<Required<KafkaFetchOptions>> = { maxWaitMs: 20, maxBytesPerPartition: 8 * 1024 * 1024, maxBytes: 64 * 1024 * 1024, maxGatherMs: 10 };

// The same partitioner as the embedded log, so a key lands on the same partition number on both.
const partitioner: ICustomPartitioner = () => ({ message, partitionMetadata }) =>
  murmur2Partition(message.key ?? Buffer.alloc(0), partitionMetadata.length);

/**
 * The event-log port over Kafka via kafkajs. kafkajs is in maintenance mode upstream; everything
 * kafkajs-specific stays in this file so another client can replace it without touching a context.
 */
export async function createKafkaEventLog(options: KafkaEventLogOptions): Promise<EventLog> {
  const kafka = new Kafka({
    clientId: options.clientId ?? 'data-product-gateway',
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
    // kafkajs' own retries (exponential, 20% jitter) for each request; capped so that a call made
    // while the brokers are down fails within seconds as EVENT_LOG_UNAVAILABLE instead of hanging.
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2_000 },
  });
  const sessionTimeout = options.sessionTimeoutMs ?? 10_000;
  const fetch = { ...DEFAULT_KAFKA_FETCH, ...options.fetch };
  const fetchSettings = { maxWaitTimeInMs: fetch.maxWaitMs, maxBytesPerPartition: fetch.maxBytesPerPartition, maxBytes: fetch.maxBytes };
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: partitioner });
  try {
    await retry(
      async () => {
        try {
          // kafkajs retries each connect itself for seconds: a signal must not wait for that.
          await untilAborted(admin.connect(), options.signal);
          await untilAborted(producer.connect(), options.signal);
        } catch (error) {
          throw toEventLogError(error);
        }
      },
      { deadlineMs: options.startupWaitMs ?? 5_000, baseMs: 200, maxMs: 1_000, signal: options.signal },
    );
  } catch (error) {
    await Promise.allSettled([admin.disconnect(), producer.disconnect()]);
    const cause = isPlatformError(error) && error.cause instanceof Error ? error.cause : error;
    throw unavailable(`Cannot connect to Kafka at KAFKA_BROKERS=${options.brokers.join(',')}`, cause);
  }
  const consumers = new Set<Consumer>();
  const batcher = createProduceBatcher<Message>(
    async (request) => {
      try {
        await producer.sendBatch({ topicMessages: request, acks: -1 });
      } catch (error) {
        // Retrying is the producer's decision: a send that failed after the broker appended it
        // would be appended twice (the log keeps both; the projection dedupes by event id).
        throw produceFailed(error);
      }
    },
    messageBytes,
    { ...DEFAULT_KAFKA_PRODUCE, ...options.produce },
  );
  const retentionGap = options.retentionGap ?? 'halt';
  /**
   * `admin.fetchTopicOffsets`, around a known kafkajs failure (tulios/kafkajs#461, open since
   * 2019): when a ListOffsets answer comes back without the topic (leaders still settling; seen on
   * the test broker under load), kafkajs fails with a TypeError ("Cannot destructure property
   * 'partitions' of 'low.pop(...)'") rather than an error of its own. That is a moment of
   * unavailability, not a defect of the caller: asked again a few times, then reported as
   * EVENT_LOG_UNAVAILABLE (retriable). Other errors are classified as everywhere else.
   */
  const topicOffsets = (topic: string) =>
    retry(
      async () => {
        try {
          return await admin.fetchTopicOffsets(topic);
        } catch (error) {
          if (error instanceof TypeError) throw new PlatformError(PlatformErrorCode.EventLogUnavailable, `Kafka answered ListOffsets for ${topic} without the topic (kafkajs#461): ${error.message}`, { retriable: true, cause: error });
          throw toEventLogError(error);
        }
      },
      { attempts: 5, baseMs: 100, maxMs: 1000, isRetriable: (error) => error instanceof PlatformError && error.cause instanceof TypeError },
    );
  /** The partition's log-start offset (ListOffsets, earliest): where retention has cut it. */
  const earliestOffset = async (topic: string, partition: number) => {
    const offsets = await topicOffsets(topic);
    return Number(offsets.find((o) => o.partition === partition)?.low ?? 0);
  };

  const endOffsets = async (topic: string) => {
    const offsets = await topicOffsets(topic);
    return offsets.sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
  };

  return {
    kind: 'kafka',
    async ensureTopics(specs: TopicSpec[]) {
      try {
        await admin.createTopics({ topics: specs.map((s) => ({ topic: s.name, numPartitions: s.partitions })), waitForLeaders: true });
      } catch {
        // Some brokers (and the test broker) refuse CreateTopics; the metadata check below decides.
      }
      const metadata = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) }).catch((error: unknown) => {
        throw toEventLogError(error);
      });
      for (const spec of specs) {
        const found = metadata.topics.find((t) => t.name === spec.name);
        if (!found || found.partitions.length !== spec.partitions) {
          throw new PlatformError(
            PlatformErrorCode.TopicMisconfigured,
            `Kafka topic ${spec.name} has ${found ? found.partitions.length : 'no'} partitions, expected ${spec.partitions}. Fix: create it with ${spec.partitions} partitions, or set TOPIC_PARTITIONS=${found?.partitions.length ?? spec.partitions}.`,
          );
        }
      }
    },
    produce(topic, records) {
      return batcher.add(topic, records.map((r) => ({ key: r.key, value: r.value, headers: r.headers ?? {} })));
    },
    endOffsets,
    async readRanges(topic: string, ranges: PartitionRange[], handle) {
      const wanted = new Map(ranges.filter((r) => r.until > r.from).map((r) => [r.partition, r]));
      if (wanted.size === 0) return;
      // kafkajs reads only inside a group: a throwaway group that never commits.
      const consumer = kafka.consumer({ groupId: `dpg-replay-${randomUUID()}`, sessionTimeout, heartbeatInterval: 500, rebalanceTimeout: sessionTimeout, ...fetchSettings });
      await consumer.connect().catch((error: unknown) => {
        throw toEventLogError(error);
      });
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        const remaining = new Set(wanted.keys());
        let failure: unknown;
        await new Promise<void>((resolve) => {
          void consumer.run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const range = wanted.get(batch.partition);
              if (!range || !remaining.has(batch.partition)) return;
              const records = batch.messages.map((m) => toRecord(topic, batch.partition, m)).filter((r) => r.offset >= range.from && r.offset < range.until);
              try {
                if (records.length > 0) await handle(records);
              } catch (error) {
                failure = error;
                resolve();
                return;
              }
              if (Number(batch.lastOffset()) + 1 >= range.until) {
                remaining.delete(batch.partition);
                if (remaining.size === 0) resolve();
              }
            },
          });
        });
        if (failure) throw failure;
      } finally {
        await consumer.disconnect();
      }
    },
    async subscribe(consume: ConsumeOptions): Promise<Subscription> {
      const maxBatchSize = consume.maxBatchSize ?? 500;
      const policy = { ...DEFAULT_BATCH_RETRY, ...consume.retry };
      // Consecutive failures per partition, and of the consumer itself: each backs off on its own.
      const backoffs = new Map<string, Backoff>();
      const backoffOf = (key: string) => {
        let backoff = backoffs.get(key);
        if (!backoff) backoffs.set(key, (backoff = createBackoff({ ...policy, isRetriable: policy.isRetriable ?? isRetriable })));
        return backoff;
      };
      const crashes = createBackoff({ ...policy, isRetriable: (error) => isRetriable(toEventLogError(error)) });
      const resumeTimers = new Set<NodeJS.Timeout>();
      const stopping = new AbortController();
      // Transactions of this subscription running at once, all partitions together.
      const slots = createSlots(Math.max(1, consume.partitionConcurrency ?? 1));
      // Per partition, the records fetched and not yet applied (see createPartitionFeed). Feeds
      // belong to the subscription, not to a member: a restarted member's feed for a partition
      // starts only once the old one's batch in flight has finished.
      const feeds = new Map<string, PartitionFeed>();
      const closing = new Map<string, Promise<void>>();
      const closeFeeds = async () => {
        const closed = [...feeds].map(([key, feed]) => {
          const done = feed.close().finally(() => closing.delete(key));
          closing.set(key, done);
          return done;
        });
        feeds.clear();
        await Promise.all(closed);
      };
      // The member of the group currently running: kafkajs restarts it after a retriable crash;
      // after any other crash (restart: false) it would stay stopped for good, so we start a new
      // one after the crash backoff, and again after each failed attempt, until stop().
      let current: Consumer | null = null;
      let restartTimer: NodeJS.Timeout | undefined;
      let restarting: Promise<void> | null = null;
      const scheduleRestart = (error: unknown) => {
        if (stopping.signal.aborted || restartTimer) return;
        const notice = crashes.fail(error);
        consume.onError?.(toEventLogError(error), notice);
        restartTimer = setTimeout(() => {
          restartTimer = undefined;
          restarting = restartMember().finally(() => (restarting = null));
        }, notice.delayMs);
      };
      const restartMember = async () => {
        const old = current;
        current = null;
        if (old) {
          consumers.delete(old);
          await old.disconnect().catch(() => undefined);
        }
        await closeFeeds();
        if (stopping.signal.aborted) return;
        try {
          current = await startMember();
        } catch (error) {
          scheduleRestart(error);
        }
      };
      const startMember = async (): Promise<Consumer> => {
        const consumer = kafka.consumer({
          groupId: consume.groupId,
          sessionTimeout,
          heartbeatInterval: Math.min(3000, sessionTimeout / 4),
          rebalanceTimeout: sessionTimeout,
          // kafkajs' defaults (5 s wait, 1 MiB per partition) suit neither a projector's large
          // batches nor the test broker's latency: see KafkaFetchOptions.
          ...fetchSettings,
          retry: {
            retries: 5,
            initialRetryTime: 200,
            maxRetryTime: 2_000,
            // kafkajs restarts a consumer that failed on a retriable error (brokers unreachable)
            // after this resolves true: the wait here is the backoff between restarts, with jitter.
            restartOnFailure: async (error) => {
              const notice = crashes.fail(error);
              consume.onError?.(toEventLogError(error), notice);
              await abortableSleep(notice.delayMs, stopping.signal).catch(() => undefined);
              return !stopping.signal.aborted;
            },
          },
        });
        consumers.add(consumer);
        // Partitions sent back to the store's position once since their assignment (see below), and
        // partitions stopped at a retention gap (paused until the next assignment).
        const soughtBack = new Set<string>();
        const halted = new Set<string>();
        const committedAt = new Map<string, number>();
        const pauseOrResume = (topic: string, partition: number, pause: boolean) => {
          try {
            if (pause) consumer.pause([{ topic, partitions: [partition] }]);
            else consumer.resume([{ topic, partitions: [partition] }]);
          } catch {
            // The member stopped or lost the partition meanwhile: nothing to pause or resume.
          }
        };
        consumer.on(consumer.events.REBALANCING, () => {
          // Whoever gets these partitions next starts from the store: drop what is queued (the
          // batch in flight finishes; a new feed waits for it).
          void closeFeeds();
          consume.onMembership?.({ kind: 'rebalancing' });
        });
        consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
          void closeFeeds();
          soughtBack.clear();
          // A new assignment starts from the store again: a partition still short of its records
          // is found (and told) again rather than left paused in silence.
          for (const halt of halted) {
            const [topic, partition] = halt.split('\u0000');
            pauseOrResume(topic!, Number(partition), false);
          }
          halted.clear();
          crashes.reset();
          const partitions = Object.entries(payload.memberAssignment).flatMap(([topic, numbers]) => numbers.map((partition) => ({ topic, partition })));
          consume.onMembership?.({ kind: 'assigned', partitions });
        });
        // kafkajs restarts the consumer itself after a retriable crash (a lost broker, a coordinator
        // change): `restarting` tells whether this member comes back without anyone's help.
        // kafkajs has already disconnected the member when it reports the crash (its DISCONNECT
        // event comes first and says nothing more); `restarting` is false only while stopping.
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          void closeFeeds();
          if (!payload.restart) scheduleRestart(payload.error);
          consume.onMembership?.({ kind: 'crashed', error: payload.error, restarting: !stopping.signal.aborted });
        });
        try {
          await consumer.connect();
          for (const topic of consume.topics) await consumer.subscribe({ topic, fromBeginning: true });
        } catch (error) {
          consumers.delete(consumer);
          await consumer.disconnect().catch(() => undefined);
          throw toEventLogError(error);
        }
        const openFeed = (topic: string, partition: number, key: string, from: number) =>
          createPartitionFeed({
            topic,
            partition,
            from,
            maxBatchSize,
            // Enough for the transaction in flight and a full next one; then the fetch pauses.
            maxQueued: 2 * maxBatchSize,
            maxGatherMs: fetch.maxGatherMs,
            slots,
            backoff: backoffOf(key),
            handleBatch: consume.handleBatch,
            position: () => consume.startOffset(topic, partition),
            onError: (error, notice) => consume.onError?.(error, notice),
            onFull: (full) => pauseOrResume(topic, partition, full),
            onApplied: (next) => {
              // Kafka's committed offset is a hint for tooling (the store is the truth): at most
              // twice a second per partition, off the critical path.
              const now = performance.now();
              if (now - (committedAt.get(key) ?? 0) < 500) return;
              committedAt.set(key, now);
              void consumer.commitOffsets([{ topic, partition, offset: String(next) }]).catch(() => undefined);
            },
          });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          // Only decoding and queueing happen here (the feeds apply): one partition at a time is enough.
          partitionsConsumedConcurrently: 1,
          eachBatch: async ({ batch, isRunning, isStale, resolveOffset }) => {
            const key = `${batch.topic}\u0000${batch.partition}`;
            if (halted.has(key) || !isRunning() || isStale() || stopping.signal.aborted) return;
            // Whether a failure is the caller's (its store: our backoff) or kafkajs' own.
            let inCaller = false;
            try {
              let feed = feeds.get(key);
              if (!feed) {
                // The previous feed of this partition (before a rebalance or restart) finishes first.
                await closing.get(key);
                inCaller = true;
                const from = await consume.startOffset(batch.topic, batch.partition);
                inCaller = false;
                if (!isRunning() || isStale() || stopping.signal.aborted) return;
                feed = openFeed(batch.topic, batch.partition, key, from);
                feeds.set(key, feed);
              }
              const expected = feed.next;
              if (batch.messages.length > 0 && Number(batch.firstOffset()) > expected) {
                // The fetch starts past the record we need next. Either Kafka no longer holds it
                // (retention: kafkajs answered OFFSET_OUT_OF_RANGE by resetting to the earliest
                // offset), or the group's committed offset is ahead of our store, or compaction
                // removed the records in between. Only the log-start offset tells them apart.
                inCaller = true;
                const earliest = await earliestOffset(batch.topic, batch.partition);
                inCaller = false;
                if (earliest > expected) {
                  const gap = retentionGapEvent({ topic: batch.topic, partition: batch.partition, neededOffset: expected, earliestOffset: earliest }, retentionGap);
                  consume.onMembership?.(gap);
                  if (!gap.accepted) {
                    // Paused, not thrown: the other partitions go on, and nothing of this one is
                    // fetched or committed until the member is restarted (or reassigned). What was
                    // fetched before the hole is still applied.
                    halted.add(key);
                    pauseOrResume(batch.topic, batch.partition, true);
                    return;
                  }
                  // Accepted: the feed goes on from the earliest record (its `next` follows the push).
                } else if (!soughtBack.has(key)) {
                  soughtBack.add(key);
                  consumer.seek({ topic: batch.topic, partition: batch.partition, offset: String(expected) });
                  return;
                }
              }
              const records: LogRecord[] = [];
              for (const message of batch.messages) if (Number(message.offset) >= expected) records.push(toRecord(batch.topic, batch.partition, message));
              feed.push(records, Number(batch.highWatermark));
              // Resolved: kafkajs fetches past them. Not applied yet: nothing is committed, and a
              // rebalance or a failure goes back to the store's position.
              if (batch.messages.length > 0) resolveOffset(batch.lastOffset());
              backoffs.get(`fetch\u0000${key}`)?.reset();
            } catch (error) {
              if (!inCaller) throw error;
              // The store could not say where to start: back this partition off and ask again.
              const notice = backoffOf(`fetch\u0000${key}`).fail(error);
              consume.onError?.(error, notice);
              if (!isRunning() || isStale() || stopping.signal.aborted) return;
              const partitions = [{ topic: batch.topic, partitions: [batch.partition] }];
              consumer.pause(partitions);
              consumer.seek({ topic: batch.topic, partition: batch.partition, offset: batch.firstOffset() ?? batch.highWatermark });
              const timer = setTimeout(() => {
                resumeTimers.delete(timer);
                if (stopping.signal.aborted) return;
                pauseOrResume(batch.topic, batch.partition, false);
              }, notice.delayMs);
              resumeTimers.add(timer);
            }
          },
        });
        return consumer;
      };
      current = await startMember();
      return {
        async stop() {
          stopping.abort();
          clearTimeout(restartTimer);
          restartTimer = undefined;
          for (const timer of resumeTimers) clearTimeout(timer);
          resumeTimers.clear();
          // A restart in flight finishes first, so the member it started is the one left below.
          await restarting;
          // The batches in flight finish (committed or rolled back); nothing queued starts.
          await closeFeeds();
          await Promise.all(closing.values());
          const member = current;
          current = null;
          if (member) {
            consumers.delete(member);
            // kafkajs' disconnect stops fetching, waits for the eachBatch in flight (queueing
            // only), then leaves the group.
            await member.disconnect();
          }
          // A feed opened by an eachBatch that was running when stop() began.
          await closeFeeds();
          consume.onMembership?.({ kind: 'left' });
        },
      };
    },
    async close() {
      await batcher.flush();
      await Promise.allSettled([...consumers].map((c) => c.disconnect()));
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    },
  };
}

function toRecord(topic: string, partition: number, message: KafkaMessage): LogRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return { topic, partition, offset: Number(message.offset), key: message.key, value: message.value, headers, timestamp: Number(message.timestamp) };
}

/** Payload bytes of a message, near enough to bound a request (record overhead aside). */
function messageBytes(message: Message): number {
  let bytes = 16 + (message.key?.length ?? 0) + (message.value?.length ?? 0);
  for (const [name, value] of Object.entries(message.headers ?? {})) bytes += name.length + (typeof value === 'string' || Buffer.isBuffer(value) ? value.length : 0);
  return bytes;
}

/** A failed produce request, coded: EVENT_LOG_UNAVAILABLE when no broker answered, else EVENT_LOG_PRODUCE_FAILED. */
function produceFailed(error: unknown): PlatformError {
  const classified = toEventLogError(error);
  if (isPlatformError(classified)) return classified;
  const message = classified instanceof Error ? classified.message : String(classified);
  return new PlatformError(PlatformErrorCode.EventLogProduceFailed, `Kafka refused a produce request: ${message}`, { retriable: isRetriable(classified), cause: classified });
}

function unavailable(message: string, cause: unknown): PlatformError {
  return new PlatformError(PlatformErrorCode.EventLogUnavailable, `${message}: ${(cause as Error).message}. Fix: start the brokers or correct KAFKA_BROKERS; unset it to use the embedded log.`, { retriable: true, cause });
}
