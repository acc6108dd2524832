import type { Cache } from '../../platform/cache/index.js';
import type { UsageCountersOptions } from '../usage/index.js';
import { createUsageCounters } from '../usage/index.js';
import type { FieldUsageReader } from './FieldUsageReader.js';

/**
 * Reads the usage counters the gateways keep (useUsageCounting; createUsageCounters owns their
 * layout), as the catalog's `usage` does: uses of the field per client over the rolling 30-day
 * window (daily buckets), "unidentified" included. Meaningful only on the cache the gateways
 * share (Redis): an in-memory cache belongs to one process, so the CLI's own would always say
 * zero; openUsageReaders does not use it.
 *
 * The counters can only under-count (a use whose increment failed while Redis was down is not
 * there), so the audit log reader (every request, exact) is read too when DATABASE_URL is set.
 */
export type CounterUsageReaderOptions = Pick<UsageCountersOptions, 'now'>;

export function createCounterUsageReader(cache: Cache, options: CounterUsageReaderOptions = {}): FieldUsageReader {
  const counters = createUsageCounters(cache, options);
  return {
    source: `usage counters in the ${cache.kind === 'redis' ? 'Redis' : 'in-memory'} cache`,
    async read(contract, version, coordinate) {
      const snapshot = await counters.read({ name: contract, version, consumers: [] });
      return snapshot
        .field(coordinate)
        .filter((u) => u.last30Days > 0)
        .map((u) => ({ client: u.client, count: u.last30Days }));
    },
  };
}
