import { loadConfig } from '../platform/config/index.js';
import { isPlatformError } from '../platform/errors/index.js';
import { createProjector } from '../platform/projection/index.js';
import { createSimulator, feedSimulator } from '../platform/simulator/index.js';
import { ordersContext } from '../subgraphs/orders/index.js';
import { ContractLoadError } from './contracts/index.js';
import { createGateway } from './createGateway.js';
import { listen } from './http/listen.js';
import { describeServices, openServices, projectorOptionsFrom } from './openServices.js';

const EXAMPLE_QUERY = '{ recentCustomerOrders(first: 3) { orderId orderLifecycleState orderTotal { amount currency } orderStatus } }';

/** `npm start`: the composition root. Embedded defaults unless service URLs are set. */
async function main(): Promise<void> {
  const config = loadConfig();
  const services = await openServices(config);
  const projector = createProjector(services, ordersContext, projectorOptionsFrom(config));
  await projector.start();
  const feed = config.simulator.enabled
    ? feedSimulator(
        services.log,
        createSimulator({
          seed: config.simulator.seed,
          startTime: Date.now(),
          orderIntervalMs: Math.max(1, Math.round(3000 / config.simulator.eventsPerSecond)),
          stepIntervalMs: 3000,
          faults: { legacyShare: 0.2, duplicateRate: 0.01, reorderRate: 0.01, malformedRate: 0.002 },
        }),
      )
    : undefined;
  const gateway = await createGateway(services);
  const { server, url } = await listen(gateway.handle, config.http.host, config.http.port);

  const contract = `${url}${gateway.paths.find((p) => p.startsWith('/contracts/')) ?? '/contracts'}`;
  console.log(
    [
      'Data Product Gateway is running.',
      ...describeServices(config).map((l) => `  ${l}`),
      `  simulator: ${feed ? `~${config.simulator.eventsPerSecond} events/s of demo orders (SIMULATOR=off to stop)` : 'off'}`,
      '',
      'Endpoints:',
      ...gateway.paths.map((p) => `  ${url}${p}`),
      `  ${url}/admin/watermarks   ${url}/admin/quarantine   ${url}/health`,
      '',
      'Example query (deprecated orderStatus included, so the response shows Deprecation/Sunset headers):',
      `  ${EXAMPLE_QUERY}`,
      '',
      'Try it:',
      `  curl -si ${contract} -H 'content-type: application/json' -d '${JSON.stringify({ query: EXAMPLE_QUERY })}'`,
    ].join('\n'),
  );

  const shutdown = async () => {
    feed?.stop();
    server.close();
    await gateway.stop();
    await projector.stop();
    await services.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  if (isPlatformError(error)) console.error(`${error.code}: ${error.message}`);
  else if (error instanceof ContractLoadError) console.error(`${error.code}: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
