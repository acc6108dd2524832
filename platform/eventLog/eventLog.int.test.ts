import { kafkaBrokers } from '../../test/support/services.js';
import { createEmbeddedEventLog } from './createEmbeddedEventLog.js';
import { createKafkaEventLog } from './createKafkaEventLog.js';
import { describeEventLogConformance } from './eventLogConformance.js';

describeEventLogConformance('embedded log', async () => createEmbeddedEventLog());
describeEventLogConformance('Kafka (kafkajs)', () => createKafkaEventLog({ brokers: kafkaBrokers(), sessionTimeoutMs: 6000 }));
