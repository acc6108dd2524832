import type { TestProject } from 'vitest/node';
import { startMockKafkaBroker } from './startMockKafkaBroker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
  }
}

/**
 * Integration tests talk to a Kafka-protocol broker. KAFKA_BROKERS points at one if set
 * (e.g. the docker-compose Kafka); otherwise librdkafka's mock cluster is started here.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_KAFKA_BROKERS;
  if (external) {
    project.provide('kafkaBrokers', external);
    return async () => undefined;
  }
  const broker = await startMockKafkaBroker();
  project.provide('kafkaBrokers', broker.bootstrap);
  return () => broker.stop();
}
