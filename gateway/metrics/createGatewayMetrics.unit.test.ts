import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../platform/cache/index.js';
import type { ContextModule } from '../../platform/context/index.js';
import type { Database } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import { contexts } from '../../subgraphs/index.js';
import type { GatewayAccess } from '../createGateway.js';
import { createGateway } from '../createGateway.js';

const contextWith = (name: string, metricNames: string[]): ContextModule => ({
  name,
  owner: 'metrics-tests',
  description: 'Declares flow metrics only.',
  ingestion: { name, decoders: [], projections: [] },
  subgraphs: [],
  flowMetrics: { metrics: metricNames.map((n) => ({ name: n, help: 'Items.', labelNames: [] })), collect: async () => [] },
});

describe('flow metrics declared by contexts', () => {
  it('keep the gateway from starting when one is outside its context’s namespace or taken, naming the context and the fix', async () => {
    const deps = { db: {} as Database, log: createEmbeddedEventLog(), cache: createMemoryCache() };
    // Checked before access or the database is touched: nothing starts.
    const start = createGateway(deps, {} as GatewayAccess, { contexts: [...contexts, contextWith('stock', ['dpg_inventory_items', 'dpg_stock_items']), contextWith('stock_items', ['dpg_stock_items'])] });
    await expect(start).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(start).rejects.toThrow('context "stock": flow metric "dpg_inventory_items" is outside its namespace "dpg_stock_". Fix: rename it "dpg_stock_inventory_items".');
    await expect(start).rejects.toThrow('flow metric "dpg_stock_items" is declared 2 times');
  });
});
