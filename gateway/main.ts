import { createServer } from 'node:http';
import { loadConfig } from '../platform/config/index.js';
import { isPlatformError } from '../platform/errors/index.js';
import { createProjector } from '../platform/projection/index.js';
import { createSimulator, feedSimulator } from '../platform/simulator/index.js';
import { ordersContext } from '../subgraphs/orders/index.js';
import { createAdminRoutes } from './createAdminRoutes.js';
import { describeServices, openServices } from './openServices.js';

/** `npm start`: the composition root. Embedded defaults unless service URLs are set. */
async function main(): Promise<void> {
  const config = loadConfig();
  const services = await openServices(config);
  const projector = createProjector(services, ordersContext, { batchSize: config.projection.batchSize, gapBound: config.projection.gapBound, partitions: config.eventLog.partitions });
  await projector.start();
  const feed = config.simulator.enabled
    ? feedSimulator(services.log, createSimulator({ seed: config.simulator.seed, startTime: Date.now(), orderIntervalMs: Math.max(1, Math.round(3000 / config.simulator.eventsPerSecond)), stepIntervalMs: 3000, faults: { legacyShare: 0.2, duplicateRate: 0.01, reorderRate: 0.01, malformedRate: 0.002 } }))
    : undefined;

  const admin = createAdminRoutes(services, projector.schema);
  const server = createServer((req, res) => {
    admin(req, res)
      .then((handled) => {
        if (!handled) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'NOT_FOUND', message: `No route ${req.url}. Try /health or /admin/watermarks.` }));
        }
      })
      .catch((error: unknown) => {
        console.error(error);
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'INTERNAL_SERVER_ERROR' }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${config.http.port} is in use. Fix: PORT=4001 npm start`) : error),
    );
    server.listen(config.http.port, config.http.host, resolve);
  });
  const base = `http://${config.http.host}:${config.http.port}`;
  console.log(['Data Product Gateway is running.', ...describeServices(config).map((l) => `  ${l}`), `  simulator: ${feed ? `${config.simulator.eventsPerSecond} events/s (SIMULATOR=off to stop)` : 'off'}`, '', `  health:      ${base}/health`, `  watermarks:  curl -s ${base}/admin/watermarks`, `  quarantine:  curl -s ${base}/admin/quarantine`].join('\n'));

  const shutdown = async () => {
    feed?.stop();
    server.close();
    await projector.stop();
    await services.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(isPlatformError(error) ? `${error.code}: ${error.message}` : error);
  process.exit(1);
});
