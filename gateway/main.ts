import { loadConfig } from '../platform/config/index.js';
import { isPlatformError, PlatformError, PlatformErrorCode } from '../platform/errors/index.js';
import { createPinoLogger, defaultLogger } from '../platform/logging/index.js';
import { createDemoPrincipals } from './access/index.js';
import { ContractLoadError } from './contracts/index.js';
import { createGateway } from './createGateway.js';
import { listen } from './http/listen.js';
import { createRateLimiter, DEFAULT_RATE_LIMITS } from './limits/index.js';
import { announceStart } from './logging/index.js';
import { createServiceMetrics } from './metrics/index.js';
import { openAccess } from './openAccess.js';
import { describeServices, openServices } from './openServices.js';
import { describeRole, roleParts, startProjectors, startSimulatorFeeds, startWorkerRole } from './roles/index.js';
import { createHttpDrain, createShutdown, createStartupGuard, handleTerminationSignals, planShutdown } from './shutdown/index.js';

const EXAMPLE_QUERY = '{ recentCustomerOrders(first: 3) { orderId orderLifecycleState orderTotal { amount currency } orderStatus } }';
const EXCEPTIONS_QUERY = '{ watermark { watermark } exceptionCounts(filter: { states: [OPEN] }) { rule owner severity count } exceptions(first: 3, filter: { states: [OPEN] }) { exceptions { exceptionId rule owner severity openedAt ageSeconds evidence { type topic partition offset } } endCursor } }';
const JOURNEY_QUERY = '{ orderJourneys(first: 3) { orderId journeyStage stageSince payments { paymentLifecycleState capturedAmount { amount currency } } shipments { warehouseId shipmentStatus carrier } } journeyFlow(recentOrders: 200, stuckLongerThanSeconds: 120) { stages { stage orders stuck } stuckCount } }';
const PARTNER_QUERY = '{ changes(first: 3) { nodes { orderId orderLifecycleState customerToken customerEmailMasked orderLines { sku quantity } } endCursor hasMore } }';

/** `npm start`: the composition root. Embedded defaults unless service URLs are set; ROLE picks the parts (gateway/roles/). */
async function main(): Promise<void> {
  const config = loadConfig();
  const parts = roleParts(config);
  // LOG_LEVEL; JSON lines, or pino-pretty when stdout is a terminal (see createPinoLogger).
  const logger = createPinoLogger({ level: config.log.level });
  // From here a SIGTERM or SIGINT stops the process within SHUTDOWN_DEADLINE_SECONDS, even while it
  // is still starting (waiting for a server, migrating): see createStartupGuard.
  const guard = createStartupGuard({ deadlineMs: config.shutdown.deadlineMs, logger });
  if (parts.http === 'health') {
    // A worker role (projector, simulator): no gateway, GET /health and /metrics only.
    const worker = await guard.step('worker (event log, database, projectors or simulator)', () => startWorkerRole(config, parts, logger, { signal: guard.signal }), (w) => w.stop());
    console.log(worker.banner.join('\n'));
    guard.done();
    handleTerminationSignals(createShutdown([[{ name: `ROLE=${parts.role} (stop producing or consuming, close)`, run: () => worker.stop() }]], { deadlineMs: config.shutdown.deadlineMs, logger }), { logger });
    return;
  }
  if (config.database.kind === 'postgres' && !config.access.tokenizationSecret) {
    // Partners join their pulls on tokens: a per-process random key would change every token at each restart.
    throw new PlatformError(PlatformErrorCode.ConfigInvalid, 'Invalid configuration:\n  - TOKENIZATION_SECRET is not set, but DATABASE_URL is: partner tokens must stay stable across restarts and replicas. Fix: set TOKENIZATION_SECRET to a random string of at least 32 characters (e.g. `openssl rand -base64 48`), the same on every replica.');
  }
  // One registry for the whole process, made first: the cache, the projectors and the gateway all report to it.
  const serviceMetrics = createServiceMetrics();
  const services = await guard.step('services (event log, database, cache)', () => openServices(config, { logger, observeCache: serviceMetrics.observeCache, signal: guard.signal }), (s) => s.close());
  const projectors = parts.projectors ? await guard.step('projectors (topics, tables, consumer groups)', () => startProjectors(services, config, logger, serviceMetrics), (p) => p.stop()) : null;
  const feeds = parts.simulator ? startSimulatorFeeds(services.log, config, (err) => logger.error({ component: 'simulator', err }, 'simulated records could not be produced')) : null;
  if (feeds) await guard.step('simulator feeds', async () => feeds, (f) => f.stop());
  const access = await guard.step('access (principals, sessions, audit log)', () => openAccess(services, { jwt: config.access.jwt, tokenizationSecret: config.access.tokenizationSecret, logger }), (a) => a.close());
  // Demo credentials only where nothing is shared: the embedded database lives and dies with this process.
  const demo = config.database.kind === 'pglite' ? await guard.step('demo principals', () => createDemoPrincipals(access.principals)) : null;
  const rateLimiter = createRateLimiter(services.cache, { limitFor: (principal) => DEFAULT_RATE_LIMITS[principal.audience], logger });
  // Freshness history beside the audit log, in the gateway's own schema (openAccess's default).
  const gateway = await guard.step(
    'gateway (contracts, migrations, servers)',
    () =>
      createGateway(services, access, {
        rateLimiter,
        exports: { directory: config.exports.directory },
        metrics: { access: config.metrics.access, registry: serviceMetrics.registry },
        contractSqlPlanning: config.gateway.contractSqlPlanning,
        freshnessHistory: { schema: 'gateway' },
        logger,
        readiness: { projectors: projectors?.projectors ?? [] },
        responseCache: config.responseCache.kind === 'on' ? config.responseCache : null,
      }),
    (g) => g.stop(),
  );
  const drain = createHttpDrain();
  const { server, url } = await guard.step('http listener', () => listen(drain.wrap(gateway.handle), config.http.host, config.http.port, logger), ({ server: s }) => new Promise<void>((resolve) => s.close(() => resolve())));

  const contract = `${url}/contracts/customer_order_timeline/v1`;
  const curl = (key: string, path: string, query: string) => `  curl -si ${url}${path} -H 'authorization: Bearer ${key}' -H 'content-type: application/json' -d '${JSON.stringify({ query })}'`;
  announceStart(
    logger,
    { url, paths: gateway.paths, services: describeServices(config) },
    [
      'Data Product Gateway is running.',
      `  ${describeRole(parts)}`,
      ...describeServices(config).map((l) => `  ${l}`),
      `  response cache: ${config.responseCache.kind === 'on' ? `on, ${config.cache.kind === 'redis' ? 'in Redis' : 'in this process'}, valid while the projections a query reads have not changed` : 'off (RESPONSE_CACHE=on serves repeated queries from a cache)'}`,
      `  simulator: ${feeds ? `~${config.simulator.eventsPerSecond} events/s of demo order journeys on ${feeds.topics.join(', ')} (SIMULATOR=off to stop)` : parts.role === 'gateway' ? 'in a ROLE=simulator process, if any' : 'off'}`,
      '',
      'Endpoints:',
      ...gateway.paths.map((p) => `  ${url}${p}`),
      `  ${url}/admin/watermarks   ${url}/admin/quarantine   ${url}/health   ${url}/ready`,
      `  /metrics is Prometheus text for ${config.metrics.access === 'public' ? 'anyone who reaches this address (METRICS_PUBLIC=true)' : "operators' keys (METRICS_PUBLIC=true opens it to a private network)"}`,
      '',
      ...(demo
        ? [
            'Demo credentials (embedded defaults only; shown once, new ones at every start):',
            `  internal  ${demo.internal.apiKey}`,
            `  partner   ${demo.partner.apiKey}   (marketplace orders only, redacted)`,
            `  operator  ${demo.operator.apiKey}   (/admin/*, /subgraphs/*, exports)`,
            '',
            'Try it as an internal consumer (deprecated orderStatus included, so the response shows Deprecation/Sunset headers):',
            curl(demo.internal.apiKey, contract.slice(url.length), EXAMPLE_QUERY),
            '',
            'An order journey across orders, payments and fulfillment (stage, since when, stuck orders; freshness per projection):',
            curl(demo.internal.apiKey, '/contracts/order_journey/v1', JOURNEY_QUERY),
            '',
            'Reconciliation exceptions (decided by event time at the watermark), counts per rule and owner:',
            curl(demo.internal.apiKey, '/contracts/reconciliation_exceptions/v1', EXCEPTIONS_QUERY),
            'A steward (the operator key) acknowledges one: mutation { acknowledgeException(exceptionId: "<id>", note: "...") { state } }',
            '',
            'As the marketplace partner (its rows only; customer tokenized and masked):',
            curl(demo.partner.apiKey, '/contracts/partner_order_status/v1', PARTNER_QUERY),
            '',
            `Catalog in a browser: ${url}/catalog (sign in with any key above)`,
          ]
        : ['Credentials: create them with `npm run cli -- principals create ...` (see README).']),
    ].join('\n'),
    { demoKeys: demo !== null },
  );

  // SIGTERM/SIGINT: drain, stop ingest, close, within SHUTDOWN_DEADLINE_SECONDS (see planShutdown).
  const shutdown = createShutdown(planShutdown({ http: { server, drain }, feeds: feeds ? [feeds] : [], projectors: projectors?.projectors ?? [], gateway, access, services }), { deadlineMs: config.shutdown.deadlineMs, logger });
  guard.done();
  handleTerminationSignals(shutdown, { logger });
}

main().catch((error: unknown) => {
  // A refused start is the command's answer to the person starting it: plain text, with the fix.
  if (isPlatformError(error) || error instanceof ContractLoadError) process.stderr.write(`${error.code}: ${error.message}\n`);
  else defaultLogger().fatal({ err: error }, 'gateway failed to start');
  process.exit(1);
});
