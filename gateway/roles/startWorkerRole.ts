import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { collectDefaultMetrics } from 'prom-client';
import type { Config } from '../../platform/config/index.js';
import type { Database } from '../../platform/database/index.js';
import { openDatabase } from '../../platform/database/index.js';
import { openEventLog } from '../../platform/eventLog/index.js';
import type { Logger } from '../../platform/logging/index.js';
import { listen } from '../http/listen.js';
import { createServiceMetrics, registerDatabaseMetrics } from '../metrics/index.js';
import { sendJson } from '../http/sendJson.js';
import { describeServices } from '../openServices.js';
import type { RoleParts } from './roleParts.js';
import { describeRole } from './roleParts.js';
import type { RunningProjectors } from './startProjectors.js';
import { startProjectors } from './startProjectors.js';
import type { RunningSimulatorFeeds } from './startSimulatorFeeds.js';
import { registryTopics, startSimulatorFeeds } from './startSimulatorFeeds.js';

export interface RunningWorker {
  /** Where `GET /health` is served. */
  readonly url: string;
  /** What the process runs, for the start banner. */
  readonly banner: readonly string[];
  /** Stops producing and consuming, then closes the server and the connections. */
  stop(): Promise<void>;
}

/**
 * A process of a worker role (`projector`, `simulator`): opens only the ports its parts use (a
 * simulator needs no database, a projector no cache), starts them, then serves `GET /health` on
 * HOST:PORT. Listening last means a probe sees the process healthy only once its topics and
 * tables exist, which the compose file uses to start the gateways after the projectors.
 */
export async function startWorkerRole(config: Config, parts: RoleParts, logger?: Logger, options: { signal?: AbortSignal } = {}): Promise<RunningWorker> {
  const metrics = createServiceMetrics();
  collectDefaultMetrics({ register: metrics.registry });
  const log = await openEventLog(config.eventLog, options);
  let db: Database | null = null;
  let projectors: RunningProjectors | null = null;
  let feeds: RunningSimulatorFeeds | null = null;
  const close = async () => {
    await feeds?.stop();
    await projectors?.stop();
    await Promise.allSettled([db?.close(), log.close()]);
  };
  try {
    if (parts.projectors) {
      db = await openDatabase(config.database, { ...options, ...(logger ? { logger } : {}) });
      registerDatabaseMetrics(metrics.registry, db);
      projectors = await startProjectors({ log, db }, config, logger, metrics);
    }
    if (parts.simulator) {
      // The simulator may start before any projector: create the topics with the partitions the projectors expect.
      await log.ensureTopics(registryTopics().map((name) => ({ name, partitions: config.eventLog.partitions })));
      feeds = startSimulatorFeeds(log, config);
    }
    const { server, url } = await listen(workerRoutes(parts, projectors, metrics.registry), config.http.host, config.http.port);
    const banner = [
      `Data Product Gateway is running as ROLE=${parts.role}.`,
      `  ${describeRole(parts)}`,
      // Only the ports this process opened: a worker has no cache, a simulator no database.
      ...describeServices(config)
        .filter((line) => line.startsWith('event log') || (db !== null && line.startsWith('database')))
        .map((line) => `  ${line}`),
      ...(projectors ? [`  consumer groups: ${projectors.groups.join(', ')}`] : []),
      ...(feeds ? [`  simulator: ~${config.simulator.eventsPerSecond} events/s of demo order journeys on ${feeds.topics.join(', ')}, and a week of backfill`] : []),
      `  health: ${url}/health   metrics: ${url}/metrics`,
    ];
    return {
      url,
      banner,
      async stop() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * `GET /health` of a worker: 200 while every projector runs, 503 naming those that do not. A
 * projector's answer also says what this process committed since it started (see
 * RunningProjectors.progress). `GET /metrics`: the process, its database pool and its batch
 * durations, open like /health: it holds no business figures (the flow gauges, which tell
 * volumes, are served by the gateways, to operators).
 */
function workerRoutes(parts: RoleParts, projectors: RunningProjectors | null, registry: Registry) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    if (path === '/metrics' && req.method === 'GET') {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
      res.end(body);
      return true;
    }
    if (path !== '/health') return false;
    const down = projectors?.projectors.filter((p) => p.phase !== 'running').map((p) => p.schema) ?? [];
    const progress = projectors?.progress() ?? {};
    if (down.length > 0) sendJson(res, 503, { status: 'unavailable', role: parts.role, reason: `projectors not running: ${down.join(', ')}`, ...progress });
    else sendJson(res, 200, { status: 'ok', role: parts.role, ...progress });
    return true;
  };
}
