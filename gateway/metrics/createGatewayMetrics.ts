import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { ContextModule, FlowMetric } from '../../platform/context/index.js';
import { checkFlowMetrics } from '../../platform/context/index.js';
import type { Database } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { PlatformError, PlatformErrorCode } from '../../platform/errors/index.js';
import type { Logger } from '../../platform/logging/index.js';
import type { CompiledContract } from '../contracts/index.js';
import type { RequestOutcome } from '../errors/index.js';
import { createContextFlowSource } from './createContextFlowSource.js';
import type { ContractOperationRunner } from './createContractFlowSource.js';
import { createContractFlowSource } from './createContractFlowSource.js';
import type { FlowSource } from './createFlowCollector.js';
import { createFlowCollector } from './createFlowCollector.js';
import { createHttpMetrics } from './createHttpMetrics.js';
import { createProjectionFlowSource, PROJECTION_FLOW_METRICS } from './createProjectionFlowSource.js';
import { registerDatabaseMetrics } from './registerDatabaseMetrics.js';

/** Who may read `/metrics`: principals with the `operate` right, or anyone who reaches it (scraping inside a private network). */
export type MetricsAccess = 'operate' | 'public';

export interface GatewayMetricsOptions {
  /** Default `operate`: flow metrics tell order volumes and failure rates, which are not public. `METRICS_PUBLIC=true` sets `public`. */
  access?: MetricsAccess;
  /**
   * The longest a scrape waits for the flow gauges, and the PostgreSQL statement timeout of every
   * collector query. Sources not done by then are left out of that scrape and counted as
   * timeouts. Default 5000 ms: half of Prometheus' default 10 s scrape timeout.
   */
  collectTimeoutMs?: number;
  /** Flow samples younger than this are served again without querying. Default 5000 ms: two Prometheus replicas scraping together cost one collection. */
  reuseSamplesMs?: number;
  /** Flow sources collected at once. Default 2: a scrape holds at most two of the pool's connections for its own queries. */
  concurrency?: number;
  /** Node.js process metrics (CPU, memory, event loop lag, GC, handles) under their standard names. Default true. */
  processMetrics?: boolean;
  /** Where a flow source turning unavailable is warned about. Default: warnings and errors on stderr. */
  logger?: Logger;
  /**
   * The registry to add the gateway's metrics to. Default: one of its own. `npm start` passes
   * the one its ServiceMetrics (cache operations, projector batches) were created on, so one
   * scrape shows the whole process.
   */
  registry?: Registry;
}

/** What the flow gauges are computed from. */
export interface FlowMetricsSources {
  /** The contexts served, each with its Postgres schema. */
  contexts: ReadonlyArray<{ context: Pick<ContextModule, 'name' | 'ingestion' | 'flowMetrics'>; schema: string }>;
  /** Contract versions; those with `flowMetrics` are run through `runContractOperation`. */
  contracts: readonly CompiledContract[];
  runContractOperation: ContractOperationRunner;
}

export interface GatewayMetrics {
  /** `text/plain; version=0.0.4; charset=utf-8`: the Prometheus text format. */
  readonly contentType: string;
  /** The exposition text, flow gauges brought up to date first (time-boxed; a failing source never fails the scrape). */
  scrape(): Promise<string>;
  observeRequest(res: ServerResponse, route: string, outcome: RequestOutcome): void;
  /** Counts a contract answer by response cache status (`dpg_response_cache_answers_total`). */
  countResponseCache(contract: string, status: 'HIT' | 'MISS' | 'BYPASS'): void;
}

/**
 * The metrics of one gateway instance, on a registry of its own (never prom-client's global one,
 * so two gateways in one process keep separate counts): process metrics, HTTP requests and
 * errors, and flow gauges computed at scrape time from the engine's tables, from each context's
 * `flowMetrics` and from each contract's. Throws a CONFIG_INVALID PlatformError listing every
 * badly declared flow metric.
 */
export function createGatewayMetrics(deps: { db: Database; log: Pick<EventLog, 'endOffsets'> }, sources: FlowMetricsSources, options: GatewayMetricsOptions = {}): GatewayMetrics {
  const timeoutMs = options.collectTimeoutMs ?? 5000;
  const registry = options.registry ?? new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  registerDatabaseMetrics(registry, deps.db);

  const metrics: FlowMetric[] = [...PROJECTION_FLOW_METRICS];
  const flowSources: FlowSource[] = [];
  const problems: string[] = [];
  for (const { context, schema } of sources.contexts) {
    // A context without projections has no engine tables to read.
    if (context.ingestion.projections.length > 0) flowSources.push(createProjectionFlowSource(deps, context, schema, timeoutMs));
    const own = context.flowMetrics;
    if (!own) continue;
    problems.push(...checkFlowMetrics(own.metrics, `dpg_${context.name}_`).map((p) => `context "${context.name}": ${p}`));
    metrics.push(...own.metrics);
    flowSources.push(createContextFlowSource(deps.db, { name: context.name, flowMetrics: own }, schema, timeoutMs));
  }
  for (const contract of sources.contracts) {
    const own = contract.flowMetrics;
    if (!own) continue;
    metrics.push(...own.metrics);
    flowSources.push(createContractFlowSource({ ...contract, flowMetrics: own }, sources.runContractOperation));
  }
  const counts = new Map<string, number>();
  for (const m of metrics) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  for (const [name, n] of counts) if (n > 1) problems.push(`flow metric "${name}" is declared ${n} times (contexts, contracts and the gateway's own). Fix: rename one; names live in dpg_<context or contract>_.`);
  if (problems.length > 0) throw new PlatformError(PlatformErrorCode.ConfigInvalid, `Invalid flow metrics:\n  - ${problems.join('\n  - ')}`);

  const flow = createFlowCollector(registry, metrics, flowSources, { timeoutMs, reuseMs: options.reuseSamplesMs ?? 5000, concurrency: options.concurrency ?? 2, logger: options.logger });
  const http = createHttpMetrics(registry);
  const responseCache = new Counter({ name: 'dpg_response_cache_answers_total', help: 'Contract answers by response cache status: HIT (served from the cache), MISS (read from the projections, then stored), BYPASS (not cacheable, or the cache did not answer).', labelNames: ['contract', 'status'] as const, registers: [registry] });
  return {
    contentType: registry.contentType,
    async scrape() {
      await flow.refresh();
      return registry.metrics();
    },
    observeRequest: http.observe,
    countResponseCache: (contract, status) => responseCache.inc({ contract, status }),
  };
}
