import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/** Real PostgreSQL for integration tests (trust auth on this machine). */
export const postgresUrl = (): string => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Real Redis for integration tests. */
export const redisUrl = (): string => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The Kafka-protocol broker started by globalSetup (or TEST_KAFKA_BROKERS). */
export const kafkaBrokers = (): string[] => inject('kafkaBrokers').split(',');

/** A schema (or topic, or key prefix) name no other test file uses: fresh state per file. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}
