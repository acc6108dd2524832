import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from '../../test/support/services.js';
import { createEmbeddedEventLog } from './createEmbeddedEventLog.js';
import { createKafkaEventLog } from './createKafkaEventLog.js';
import { describeEventLogConformance } from './eventLogConformance.js';

describeEventLogConformance('embedded log', {
  open: async (options) => createEmbeddedEventLog(options),
  async dropOldestRecords(log, topic, partition, key) {
    // What Kafka's DeleteRecords (and retention) does, as the Kafka fixture's retention by size
    // does: newer records arrive, and all but the newest one go.
    await log.produce(topic, [{ key, value: 'newer-1' }, { key, value: 'newer-2' }]);
    const end = (await log.endOffsets(topic))[partition]!;
    log.deleteRecords(topic, partition, end - 1);
    return end - 1;
  },
});

describeEventLogConformance('Kafka (kafkajs)', {
  open: (options) => createKafkaEventLog({ brokers: kafkaBrokers(), sessionTimeoutMs: 6000, ...options }),
  async dropOldestRecords(log, topic, partition, key) {
    // Real retention: the test broker (librdkafka's mock) keeps at most 5 MB per partition and
    // deletes the oldest record batches beyond that (it has no DeleteRecords). Six 1 MB records
    // push out everything produced before them.
    const big = Buffer.alloc(1024 * 1024, 1);
    for (let i = 0; i < 6; i++) await log.produce(topic, [{ key, value: big }]);
    const admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return Number(offsets.find((o) => o.partition === partition)!.low);
    } finally {
      await admin.disconnect();
    }
  },
});
