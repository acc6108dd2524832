import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type ICustomPartitioner, type KafkaMessage } from 'kafkajs';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { ConsumeOptions, EventLog, LogRecord, PartitionRange, Subscription, TopicSpec } from './EventLog.js';
import { murmur2Partition } from './murmur2Partition.js';

export interface KafkaEventLogOptions {
  brokers: string[];
  /** Default `data-product-gateway`. */
  clientId?: string;
  /**
   * Consumer session timeout. Default 10 s; tests use less because the first group join waits
   * for it on some brokers.
   */
  sessionTimeoutMs?: number;
}

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
    retry: { retries: 5, initialRetryTime: 200 },
  });
  const sessionTimeout = options.sessionTimeoutMs ?? 10_000;
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: partitioner });
  try {
    await admin.connect();
    await producer.connect();
  } catch (cause) {
    await Promise.allSettled([admin.disconnect(), producer.disconnect()]);
    throw unavailable(`Cannot connect to Kafka at KAFKA_BROKERS=${options.brokers.join(',')}`, cause);
  }
  const consumers = new Set<Consumer>();

  const endOffsets = async (topic: string) => {
    const offsets = await admin.fetchTopicOffsets(topic);
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
      const metadata = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
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
    async produce(topic, records) {
      await producer.send({
        topic,
        acks: -1,
        messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers ?? {} })),
      });
    },
    endOffsets,
    async readRanges(topic: string, ranges: PartitionRange[], handle) {
      const wanted = new Map(ranges.filter((r) => r.until > r.from).map((r) => [r.partition, r]));
      if (wanted.size === 0) return;
      // kafkajs reads only inside a group: a throwaway group that never commits.
      const consumer = kafka.consumer({ groupId: `dpg-replay-${randomUUID()}`, sessionTimeout, heartbeatInterval: 500, rebalanceTimeout: sessionTimeout });
      await consumer.connect();
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
      const consumer = kafka.consumer({ groupId: consume.groupId, sessionTimeout, heartbeatInterval: Math.min(3000, sessionTimeout / 4), rebalanceTimeout: sessionTimeout });
      consumers.add(consumer);
      // Positions come from the caller's store (DESIGN §6); Kafka's committed offsets are only a
      // hint for tooling. They are reset on every rebalance so a new assignment re-reads them.
      const positions = new Map<string, number>();
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        positions.clear();
        const partitions = Object.entries(payload.memberAssignment).flatMap(([topic, numbers]) => numbers.map((partition) => ({ topic, partition })));
        consume.onMembership?.({ kind: 'assigned', partitions });
      });
      consumer.on(consumer.events.REBALANCING, () => consume.onMembership?.({ kind: 'rebalancing' }));
      // kafkajs restarts the consumer itself after a retriable crash (a lost broker, a coordinator
      // change): `restarting` tells whether this member comes back without anyone's help.
      consumer.on(consumer.events.CRASH, ({ payload }) => consume.onMembership?.({ kind: 'crashed', error: payload.error, restarting: payload.restart }));
      await consumer.connect();
      for (const topic of consume.topics) await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: Math.max(1, consume.partitionConcurrency ?? 1),
        eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
          const key = `${batch.topic}\u0000${batch.partition}`;
          try {
            let position = positions.get(key);
            if (position === undefined) {
              position = await consume.startOffset(batch.topic, batch.partition);
              positions.set(key, position);
              if (Number(batch.firstOffset()) > position) {
                // The broker resumed past what our store has applied: go back to our position.
                consumer.seek({ topic: batch.topic, partition: batch.partition, offset: String(position) });
                return;
              }
            }
            const records = batch.messages.map((m) => toRecord(batch.topic, batch.partition, m)).filter((r) => r.offset >= (position ?? 0));
            // Records below our position were applied before: mark them consumed without handling.
            if (records.length === 0 && batch.messages.length > 0) resolveOffset(batch.lastOffset());
            for (let i = 0; i < records.length; i += maxBatchSize) {
              if (!isRunning() || isStale()) return;
              const chunk = records.slice(i, i + maxBatchSize);
              await consume.handleBatch({ topic: batch.topic, partition: batch.partition, records: chunk, logEndOffset: Number(batch.highWatermark) });
              const next = chunk[chunk.length - 1]!.offset + 1;
              positions.set(key, next);
              resolveOffset(String(next - 1));
              await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(next) }]).catch(() => undefined);
              await heartbeat();
            }
          } catch (error) {
            consume.onError?.(error);
            positions.delete(key);
            throw error; // kafkajs retries the batch after its backoff
          }
        },
      });
      return {
        async stop() {
          consumers.delete(consumer);
          // kafkajs' disconnect stops fetching, waits for the eachBatch in flight (so for our
          // handleBatch and its transaction), then leaves the group.
          await consumer.disconnect();
          consume.onMembership?.({ kind: 'left' });
        },
      };
    },
    async close() {
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

function unavailable(message: string, cause: unknown): PlatformError {
  return new PlatformError(PlatformErrorCode.EventLogUnavailable, `${message}: ${(cause as Error).message}. Fix: start the brokers or correct KAFKA_BROKERS; unset it to use the embedded log.`, { retriable: true, cause });
}
