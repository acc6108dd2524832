import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlatformError, PlatformErrorCode } from '../errors/index.js';
import type { MockKafkaBroker } from '../../test/support/startMockKafkaBroker.js';
import { startMockKafkaBroker } from '../../test/support/startMockKafkaBroker.js';
import { createKafkaEventLog } from './createKafkaEventLog.js';
import type { EventLog } from './EventLog.js';
import { murmur2Partition } from './murmur2Partition.js';

const PARTITIONS = 4;

/**
 * Sizes of the record batches a partition holds, read with a bare kafkajs consumer: the test
 * broker (librdkafka's mock) answers a fetch with one stored record batch per partition, so
 * eachBatch sees exactly the batches the producer's requests carried.
 */
async function storedBatchSizes(brokers: string[], topic: string, partition: number, records: number): Promise<number[]> {
  const consumer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: `sizes-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  const sizes: number[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      let seen = 0;
      void consumer.run({
        eachBatch: async ({ batch }) => {
          if (batch.partition !== partition || batch.messages.length === 0) return;
          sizes.push(batch.messages.length);
          seen += batch.messages.length;
          if (seen >= records) resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return sizes;
}

describe('Kafka event log: producer batching (test broker)', () => {
  let broker: MockKafkaBroker;
  const topic = `batching.${randomBytes(4).toString('hex')}.v1`;
  beforeAll(async () => {
    broker = await startMockKafkaBroker([`${topic}:${PARTITIONS}`]);
  });
  afterAll(async () => {
    await broker.stop();
  });
  const open = (lingerMs: number): Promise<EventLog> => createKafkaEventLog({ brokers: [broker.bootstrap], produce: { lingerMs } });

  it('sends produce calls made within the linger in one request, one record batch per partition, each call acknowledged', async () => {
    const log = await open(20);
    try {
      const key = 'one-key';
      const p = murmur2Partition(key, PARTITIONS);
      const before = (await log.endOffsets(topic))[p]!;
      // 50 calls of one record each, as a service producing as events happen; then 10 more, each
      // awaited before the next, which no linger can put together.
      await Promise.all(Array.from({ length: 50 }, (_, i) => log.produce(topic, [{ key, value: `burst-${i}` }])));
      for (let i = 0; i < 10; i++) await log.produce(topic, [{ key, value: `alone-${i}` }]);
      expect((await log.endOffsets(topic))[p]! - before).toBe(60);
      expect(await storedBatchSizes([broker.bootstrap], topic, p, before + 60)).toEqual([50, ...Array<number>(10).fill(1)]);
    } finally {
      await log.close();
    }
  });

  it('rejects every call a failed request carried with a coded error, and goes on with the next request', async () => {
    const log = await open(20);
    try {
      const ends = await log.endOffsets(topic);
      // The next Produce request is refused with MESSAGE_TOO_LARGE (10), which no client retries.
      await broker.fail(0, 10, 1);
      const calls = ['a', 'b', 'c'].map((key) => log.produce(topic, [{ key, value: key }]));
      const outcomes = await Promise.allSettled(calls);
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        const reason = (outcome as PromiseRejectedResult).reason as unknown;
        expect(isPlatformError(reason, PlatformErrorCode.EventLogProduceFailed)).toBe(true);
        expect((reason as Error).message).toMatch(/Kafka refused a produce request/);
      }
      await log.produce(topic, [{ key: 'd', value: 'd' }]);
      const after = await log.endOffsets(topic);
      expect(after.reduce((a, b) => a + b, 0) - ends.reduce((a, b) => a + b, 0)).toBe(1);
    } finally {
      await log.close();
    }
  });
});
