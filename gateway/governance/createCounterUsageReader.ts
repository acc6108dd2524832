import type { Cache } from '../../platform/cache/index.js';
import type { FieldUseCount } from './CheckReport.js';
import type { FieldUsageReader } from './FieldUsageReader.js';

export interface CounterUsageReaderOptions {
  /**
   * Client names (`apollographql-client-name`) read one by one besides the total. Default none:
   * a cache cannot list its keys, so only named clients can be reported by name; the total
   * (`all clients`) is always read and is what decides.
   */
  knownClients?: readonly string[];
}

/**
 * Reads the counters `useDeprecationNotices` keeps per deprecated field and client
 * (`usage:<contract>:v<N>:<coordinate>:<client>`, and `*` for the total), as the catalog's
 * `usage` does. Meaningful only on the cache the gateways share (Redis): an in-memory cache
 * belongs to one process, so the CLI's own would always say zero; openUsageReaders does not use it.
 *
 * The counters keep a fixed 30-day window from their first increment, so a use late in a window
 * that has since expired is no longer counted: they can only under-count. The audit log reader
 * (exact 30-day window) covers that when DATABASE_URL is set.
 */
export function createCounterUsageReader(cache: Cache, options: CounterUsageReaderOptions = {}): FieldUsageReader {
  return {
    source: `usage counters in the ${cache.kind === 'redis' ? 'Redis' : 'in-memory'} cache`,
    async read(contract, version, coordinate) {
      const clients = ['*', 'unknown', ...(options.knownClients ?? [])];
      const counts: FieldUseCount[] = await Promise.all(
        clients.map(async (client) => ({ client: client === '*' ? 'all clients' : client, count: Number((await cache.get(`usage:${contract}:v${version}:${coordinate}:${client}`)) ?? 0) })),
      );
      return counts.filter((c) => c.count > 0);
    },
  };
}
