export type { BatchRetryPolicy, ConsumeOptions, EventLog, LogRecord, MembershipEvent, OutgoingRecord, PartitionBatch, PartitionRange, Subscription, TopicSpec } from './EventLog.js';
export { createEmbeddedEventLog } from './createEmbeddedEventLog.js';
export type { EmbeddedEventLogOptions } from './createEmbeddedEventLog.js';
export { DEFAULT_BATCH_RETRY } from './EventLog.js';
export { createKafkaEventLog, DEFAULT_KAFKA_FETCH } from './createKafkaEventLog.js';
export { toEventLogError } from './toEventLogError.js';
export type { KafkaEventLogOptions, KafkaFetchOptions } from './createKafkaEventLog.js';
export { murmur2Partition } from './murmur2Partition.js';
export { openEventLog } from './openEventLog.js';
