import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';
import type { Database } from '../../platform/database/index.js';

/**
 * Connection use of the database adapter, read at each scrape (collect callbacks: no timer, no
 * I/O). PostgreSQL: the pool's open, idle and maximum connections and the queries waiting for
 * one (waiting above 0 for long means the pool is too small or held by slow work). PGlite has no
 * pool: what it reports is its WebAssembly memory.
 */
export function registerDatabaseMetrics(registry: Registry, db: Pick<Database, 'stats'>): void {
  const first = db.stats?.();
  if (!first) return;
  const gauge = (name: string, help: string, read: (stats: NonNullable<ReturnType<NonNullable<Database['stats']>>>) => number | null) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const stats = db.stats?.();
        const value = stats ? read(stats) : null;
        if (value !== null) this.set(value);
      },
    });
  if (first.kind === 'pool') {
    gauge('dpg_database_pool_connections', 'Connections the PostgreSQL pool holds open, busy and idle (pg totalCount).', (s) => (s.kind === 'pool' ? s.openConnections : null));
    gauge('dpg_database_pool_idle_connections', 'Open connections of the pool not running a query (pg idleCount).', (s) => (s.kind === 'pool' ? s.idleConnections : null));
    gauge('dpg_database_pool_waiting_requests', 'Queries and transactions waiting for a connection because all are busy (pg waitingCount).', (s) => (s.kind === 'pool' ? s.waitingRequests : null));
    gauge('dpg_database_pool_max_connections', 'Size of the pool: the most connections it opens.', (s) => (s.kind === 'pool' ? s.maxConnections : null));
  } else {
    gauge('dpg_database_wasm_memory_bytes', 'WebAssembly memory of the embedded PGlite: its working memory, never given back once grown (its database and WAL files are JS ArrayBuffers, in nodejs_external_memory_bytes).', (s) => (s.kind === 'embedded' ? s.wasmMemoryBytes : null));
  }
}
