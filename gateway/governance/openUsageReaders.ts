import type { Cache } from '../../platform/cache/index.js';
import { openCache } from '../../platform/cache/index.js';
import type { Config } from '../../platform/config/index.js';
import type { Database } from '../../platform/database/index.js';
import { createPostgresDatabase, isMissingRelation } from '../../platform/database/index.js';
import { UnreachableCaseError } from '../../platform/errors/index.js';
import { auditLogTable } from '../audit/index.js';
import type { UsageSources } from './checkContracts.js';
import { createAuditUsageReader } from './createAuditUsageReader.js';
import { createCounterUsageReader } from './createCounterUsageReader.js';
import type { FieldUsageReader } from './FieldUsageReader.js';

export interface UsageReadersOptions {
  /** Postgres schema of the gateway's audit log. Default `gateway`. */
  auditSchema?: string;
}

/**
 * The usage sources the configuration reaches: the audit log when DATABASE_URL is set (and a
 * gateway has written one there), the shared usage counters when REDIS_URL is set. What is not
 * configured or cannot be opened is said in one sentence each, never silently read as "unused":
 * in CI (no production database) both are unavailable, and the check says so.
 */
export async function openUsageReaders(config: Pick<Config, 'database' | 'cache'>, options: UsageReadersOptions = {}): Promise<UsageSources & { close(): Promise<void> }> {
  const readers: FieldUsageReader[] = [];
  const unavailable: string[] = [];
  const opened: Array<Database | Cache> = [];
  const schema = options.auditSchema ?? 'gateway';

  switch (config.database.kind) {
    case 'postgres':
      try {
        const db = await createPostgresDatabase(config.database.url);
        opened.push(db);
        await db.query(`select 1 from ${auditLogTable(schema)} limit 1`);
        readers.push(createAuditUsageReader(db, { schema }));
      } catch (error) {
        unavailable.push(
          isMissingRelation(error)
            ? `DATABASE_URL is set, but it has no audit log ${auditLogTable(schema)} (pass --access-schema with the gateway's schema).`
            : `DATABASE_URL is set, but the audit log could not be read: ${(error as Error).message}.`,
        );
      }
      break;
    case 'pglite':
      unavailable.push('DATABASE_URL is not set, so the audit log (who selected which field) cannot be read.');
      break;
    default:
      throw new UnreachableCaseError(config.database);
  }

  switch (config.cache.kind) {
    case 'redis':
      try {
        const cache = await openCache(config.cache);
        opened.push(cache);
        readers.push(createCounterUsageReader(cache));
      } catch (error) {
        unavailable.push(`REDIS_URL is set, but the usage counters could not be read: ${(error as Error).message}`);
      }
      break;
    case 'memory':
      unavailable.push("REDIS_URL is not set, so the gateways' usage counters cannot be read.");
      break;
    default:
      throw new UnreachableCaseError(config.cache);
  }

  return {
    readers,
    unavailable,
    async close() {
      await Promise.allSettled(opened.map((o) => o.close()));
    },
  };
}
