import type { Cache, CacheObserver } from '../platform/cache/index.js';
import { observeCache, openCache } from '../platform/cache/index.js';
import type { Config } from '../platform/config/index.js';
import type { Database } from '../platform/database/index.js';
import { openDatabase } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { openEventLog } from '../platform/eventLog/index.js';
import type { Logger } from '../platform/logging/index.js';
import type { ProjectorOptions } from '../platform/projection/index.js';

export interface Services {
  log: EventLog;
  db: Database;
  cache: Cache;
  close(): Promise<void>;
}

export interface OpenServicesOptions {
  /** Where the adapters log losing their servers and finding them again. Default: each adapter's (warnings on stderr). */
  logger?: Logger;
  /** Told about every cache operation (ServiceMetrics.observeCache). Default: nobody. */
  observeCache?: CacheObserver;
  /** Stops waiting for a server that is not up yet (StartupGuard.signal): a SIGTERM during the start. */
  signal?: AbortSignal;
}

/** Opens the three ports with the adapters the configuration selects; closes what opened if one fails. */
export async function openServices(config: Config, options: OpenServicesOptions = {}): Promise<Services> {
  const opened: Array<{ close(): Promise<void> }> = [];
  const adapterOptions = { ...(options.logger ? { logger: options.logger } : {}), ...(options.signal ? { signal: options.signal } : {}) };
  try {
    const log = await openEventLog(config.eventLog, options.signal ? { signal: options.signal } : {});
    opened.push(log);
    const db = await openDatabase(config.database, adapterOptions);
    opened.push(db);
    const openedCache = await openCache(config.cache, adapterOptions);
    opened.push(openedCache);
    const cache = options.observeCache ? observeCache(openedCache, options.observeCache) : openedCache;
    return {
      log,
      db,
      cache,
      async close() {
        await Promise.allSettled(opened.reverse().map((o) => o.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(opened.reverse().map((o) => o.close()));
    throw error;
  }
}

/** One line per port saying which adapter runs, for the start banner and logs. */
export function describeServices(config: Config): string[] {
  return [
    `event log: ${config.eventLog.kind === 'kafka' ? `Kafka ${config.eventLog.brokers.join(',')}` : 'embedded in-process log (set KAFKA_BROKERS for Kafka)'}`,
    `database:  ${config.database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'PGlite in memory (set DATABASE_URL for PostgreSQL)'}`,
    `cache:     ${config.cache.kind === 'redis' ? 'Redis (REDIS_URL)' : 'in-memory (set REDIS_URL for Redis)'}`,
  ];
}

/** The projector settings the configuration decides (the same for `npm start` and the CLI). */
export function projectorOptionsFrom(config: Config): ProjectorOptions {
  return { batchSize: config.projection.batchSize, gapBound: config.projection.gapBound, partitions: config.eventLog.partitions, allowedLatenessMs: config.projection.allowedLatenessMs };
}
