import type { Server } from 'node:http';
import type { Gateway, GatewayOptions } from '../../gateway/createGateway.js';
import { createGateway } from '../../gateway/createGateway.js';
import { listen } from '../../gateway/http/listen.js';
import type { OpenedAccess } from '../../gateway/openAccess.js';
import type { Cache } from '../../platform/cache/index.js';
import { createMemoryCache, createRedisCache } from '../../platform/cache/index.js';
import type { Database } from '../../platform/database/index.js';
import { createPgliteDatabase, createPostgresDatabase } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector } from '../../platform/projection/index.js';
import type { OrdersSimulatorOptions } from '../../subgraphs/orders/index.js';
import { createOrdersSimulator } from '../../subgraphs/orders/index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext } from '../../subgraphs/orders/index.js';
import type { TestPrincipalName } from './gatewayAccess.js';
import { openTestAccess } from './gatewayAccess.js';
import { produceAll, waitUntilCaughtUp } from './projectionHarness.js';
import { postgresUrl, redisUrl, uniqueName } from './services.js';

export interface TestGatewayOptions {
  /** Names the file's schemas and cache keys. */
  prefix: string;
  /** `postgres` (with Redis) or the embedded defaults (PGlite, memory cache). */
  services: 'postgres' | 'embedded';
  /** Simulated orders applied before the gateway starts; none when absent. */
  orders?: { count: number; seed: number; faults?: OrdersSimulatorOptions['faults'] };
  gateway?: Omit<GatewayOptions, 'projectionSchemas'>;
}

export interface TestGateway {
  db: Database;
  cache: Cache;
  log: EventLog;
  access: OpenedAccess;
  keys: Record<TestPrincipalName, string>;
  bearer: (who: TestPrincipalName) => Record<string, string>;
  /** The orders projection's schema; the access schema is `${schema}_access`. */
  schema: string;
  gateway: Gateway;
  url: string;
  stop(): Promise<void>;
}

/**
 * A gateway over real HTTP on loopback, as e2e tests need it: real database and cache, the test
 * principals with real keys, and (optionally) simulated orders projected before it starts.
 */
export async function startTestGateway(options: TestGatewayOptions): Promise<TestGateway> {
  const schema = uniqueName(options.prefix);
  const db = options.services === 'postgres' ? await createPostgresDatabase(postgresUrl()) : await createPgliteDatabase();
  const cache = options.services === 'postgres' ? await createRedisCache(redisUrl(), { keyPrefix: `${schema}:` }) : createMemoryCache();
  const log = createEmbeddedEventLog();
  let projector: Projector | null = null;
  if (options.orders) {
    const { count, seed, faults } = options.orders;
    await produceAll(log, createOrdersSimulator({ seed, startTime: Date.now() - 3_600_000, ...(faults ? { faults } : {}) }).nextOrders(count).records);
    projector = createProjector({ log, db }, ordersContext, { schema, batchSize: 500 });
    await projector.start();
    await waitUntilCaughtUp(db, log, schema, [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC]);
  }
  const { access, keys, bearer } = await openTestAccess({ db, cache }, `${schema}_access`);
  const gateway = await createGateway({ db, log, cache }, access, { ...options.gateway, projectionSchemas: { orders: schema } });
  const { server, url }: { server: Server; url: string } = await listen(gateway.handle, '127.0.0.1', 0);
  return {
    db,
    cache,
    log,
    access,
    keys,
    bearer,
    schema,
    gateway,
    url,
    async stop() {
      server.close();
      await gateway.stop();
      await access.close();
      await projector?.stop();
      await cache.close();
      await db.close();
    },
  };
}
