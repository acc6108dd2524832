import type { EventLogConfig } from '../config/index.js';
import { UnreachableCaseError } from '../errors/index.js';
import { createEmbeddedEventLog } from './createEmbeddedEventLog.js';
import { createKafkaEventLog } from './createKafkaEventLog.js';
import type { EventLog } from './EventLog.js';

/** `signal`: stops waiting for the brokers at start (Kafka only). */
export function openEventLog(config: EventLogConfig, options: { signal?: AbortSignal } = {}): Promise<EventLog> {
  switch (config.kind) {
    case 'kafka':
      return createKafkaEventLog({ brokers: config.brokers, clientId: config.clientId, retentionGap: config.retentionGap, produce: { lingerMs: config.lingerMs }, ...options });
    case 'embedded':
      return Promise.resolve(createEmbeddedEventLog({ defaultPartitions: config.partitions, retentionGap: config.retentionGap }));
    default:
      throw new UnreachableCaseError(config);
  }
}
