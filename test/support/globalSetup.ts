import type { TestProject } from 'vitest/node';
import { provisionTestMachine, ProvisioningError } from './provisioning/index.js';
import { postgresUrl, redisUrl } from './services.js';
import { startMockKafkaBroker } from './startMockKafkaBroker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
  }
}

/**
 * Runs once before any test file, so `npm ci && npm test` passes on a machine of this kind as
 * it comes: provisionTestMachine installs and starts what the tests need (one line per thing it
 * did) or stops the run with the commands to run. Then the Kafka-protocol broker: the one
 * TEST_KAFKA_BROKERS names (e.g. the docker-compose Kafka), or librdkafka's mock cluster,
 * started here and stopped when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_KAFKA_BROKERS;
  try {
    await provisionTestMachine({
      databaseUrl: postgresUrl(),
      databaseUrlFrom: process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : undefined,
      redisUrl: redisUrl(),
      redisUrlFrom: process.env.TEST_REDIS_URL ? 'TEST_REDIS_URL' : undefined,
      mockKafkaBroker: !external,
    });
  } catch (error) {
    if (!(error instanceof ProvisioningError)) throw error;
    // Vitest prints a setup error with its stack, a code frame and its own properties; here the
    // message is the whole story (what is missing, the command to run), so it shows only that.
    const stopped = new Error(error.message);
    stopped.stack = `Error: ${error.message}`;
    throw stopped;
  }
  if (external) {
    project.provide('kafkaBrokers', external);
    return async () => undefined;
  }
  const broker = await startMockKafkaBroker();
  project.provide('kafkaBrokers', broker.bootstrap);
  return () => broker.stop();
}
