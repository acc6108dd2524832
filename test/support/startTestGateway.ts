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
import type { JourneySimulatorOptions } from '../../subgraphs/index.js';
import { contexts, createJourneySimulator } from '../../subgraphs/index.js';
import type { OrdersSimulatorOptions } from '../../subgraphs/orders/index.js';
import { createOrdersSimulator, ordersContextModule } from '../../subgraphs/orders/index.js';
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
  /** Simulated order journeys (orders, payments, shipments) applied by every context's projector before the gateway starts. */
  journeys?: { count: number; seed: number } & Pick<JourneySimulatorOptions, 'faults' | 'rates' | 'stepIntervalMs' | 'orderIntervalMs' | 'startTime'>;
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
  /** Every context's schema (registered ones and `gateway.contexts`): `schema` for orders, `${schema}_<context>` for the others. */
  schemas: Record<string, string>;
  gateway: Gateway;
  url: string;
  /** Stops the projectors, so records produced from then on stay unapplied (lag). */
  stopProjectors(): Promise<void>;
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
  const schemas = Object.fromEntries([...new Set([...contexts, ...(options.gateway?.contexts ?? [])])].map((c) => [c.name, c === ordersContextModule ? schema : `${schema}_${c.name}`]));
  const projectors: Projector[] = [];
  const project = async (records: Parameters<typeof produceAll>[1], which: typeof contexts) => {
    await produceAll(log, records);
    for (const context of which) {
      const projector = createProjector({ log, db }, context.ingestion, { schema: schemas[context.name], batchSize: 500 });
      projectors.push(projector);
      await projector.start();
      await waitUntilCaughtUp(db, log, schemas[context.name]!, context.ingestion.decoders.map((d) => d.topic));
      // Deadlines decided at the event-time watermark are part of "caught up" for a test.
      await projector.settle();
    }
  };
  if (options.orders) {
    const { count, seed, faults } = options.orders;
    await project(createOrdersSimulator({ seed, startTime: Date.now() - 3_600_000, ...(faults ? { faults } : {}) }).nextOrders(count).records, [ordersContextModule]);
  }
  if (options.journeys) {
    const { count, seed, ...simulation } = options.journeys;
    await project(createJourneySimulator({ seed, startTime: Date.now() - 3_600_000, ...simulation }).next(count).records, contexts);
  }
  const { access, keys, bearer } = await openTestAccess({ db, cache }, `${schema}_access`);
  // A freshness history asked for lives beside the file's access schema, not in the shared `gateway` schema.
  const freshnessHistory = options.gateway?.freshnessHistory ? { schema: `${schema}_access`, ...options.gateway.freshnessHistory } : null;
  const gateway = await createGateway({ db, log, cache }, access, { ...options.gateway, projectionSchemas: schemas, freshnessHistory });
  const { server, url }: { server: Server; url: string } = await listen(gateway.handle, '127.0.0.1', 0);
  return {
    db,
    cache,
    log,
    access,
    keys,
    bearer,
    schema,
    schemas,
    gateway,
    url,
    async stopProjectors() {
      for (const projector of projectors.splice(0)) await projector.stop();
    },
    async stop() {
      server.close();
      await gateway.stop();
      await access.close();
      for (const projector of projectors) await projector.stop();
      await cache.close();
      await db.close();
    },
  };
}
