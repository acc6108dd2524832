import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { ExecutionResult } from 'graphql';
import { GraphQLError, parse } from 'graphql';
import type { ContractSqlPlanning } from '../platform/config/index.js';
import type { CompiledQuery } from 'graphql-jit';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { Cache } from '../platform/cache/index.js';
import type { Database } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import type { ChangeFeedRowsPage, SubgraphVersion } from '../platform/subgraph/index.js';
import type { ContextModule } from '../platform/context/index.js';
import type { Logger } from '../platform/logging/index.js';
import { defaultLogger } from '../platform/logging/index.js';
import { contexts as registeredContexts } from '../subgraphs/index.js';
import type { Authenticator, Principal, PrincipalStore, SessionStore } from './access/index.js';
import { forbidden, hasRight, isAccessError, mayUseContract } from './access/index.js';
import type { AuditLog } from './audit/index.js';
import { useAuditTrail } from './audit/index.js';
import type { CatalogAppOptions, CatalogContext } from './catalog/index.js';
import { CATALOG_ASSETS_PATH, contractPath, createCatalogApp, createCatalogSchema, createCatalogSignIn, createContextFlowReader, renderCatalogPage, visibleContracts, withSelfContainedSdl } from './catalog/index.js';
import type { CompiledContract, ContractAudience, ContractChangeFeedPlan, ContractRequestContext } from './contracts/index.js';
import { createContractSqlReads, loadContracts, NOT_YOUR_CURSOR, planContractChangeFeed } from './contracts/index.js';
import { createAdminRoutes } from './createAdminRoutes.js';
import type { RequestOutcome } from './errors/index.js';
import { correlationIdOf, describeDependencyOutage, formatGatewayError, GatewayErrorCode, logUnexpected, noteContract, notePrincipal, runInRequestScope, sendGatewayError, useDependencyOutages } from './errors/index.js';
import { createCompiledExecutor } from './http/createCompiledExecutor.js';
import type { DirectExecution } from './http/createDirectExecution.js';
import { createDirectExecution } from './http/createDirectExecution.js';
import { stringifyWithRawJson } from './http/RawJson.js';
import { handleApolloRequest } from './http/handleApolloRequest.js';
import { useOperationGuards } from './http/useOperationGuards.js';
import { requestTarget } from './http/requestTarget.js';
import { sendJson } from './http/sendJson.js';
import type { QueryLimits, RateLimiter } from './limits/index.js';
import { createRequestDeadline, DEFAULT_QUERY_LIMITS, MAX_DOCUMENT_TOKENS, rateLimitHeaders, useQueryLimits } from './limits/index.js';
import type { ExportJobs, ExportJobsOptions } from './exports/index.js';
import { createExportJobs } from './exports/index.js';
import type { FreshnessHistory, FreshnessHistoryOptions, FreshnessReaderOptions, FreshnessSampler } from './metadata/index.js';
import { createFreshnessHistory, createFreshnessReader, startFreshnessSampler, useDeprecationNotices, useFreshness, useLineageRefs, useRedactionNotices, useSubgraphDeprecation } from './metadata/index.js';
import { CONTRACT_DOCUMENTS, isContractDocument, renderContractDocument } from './metadataExports/index.js';
import type { GatewayMetricsOptions } from './metrics/index.js';
import { createGatewayMetrics, createRouteLabeler, useOperationKind } from './metrics/index.js';
import { deferChild, logRequest, useDocumentIdentity } from './logging/index.js';
import type { ReadinessOptions } from './readiness/index.js';
import { createReadiness } from './readiness/index.js';
import type { ResponseCacheOptions } from './responseCache/index.js';
import { createResponseCache } from './responseCache/index.js';
import type { CursorSealer, Tokenizer } from './redaction/index.js';
import { applyRedaction } from './redaction/index.js';
import type { UsageCountersOptions } from './usage/index.js';
import { createUsageCounters, useUsageCounting } from './usage/index.js';

export { GatewayErrorCode } from './errors/index.js';

export interface GatewayOptions {
  /** Where contract SDL lives. Default: the repository's `contracts/`. */
  contractsDirectory?: string;
  /** The bounded contexts served: their subgraph versions, projections and quarantines. Default: the registry (`subgraphs/index.ts`). */
  contexts?: readonly ContextModule[];
  /** Postgres schema per bounded context. Default: the context's name (as the projector uses). */
  projectionSchemas?: Record<string, string>;
  freshness?: FreshnessReaderOptions;
  /**
   * Freshness history for the catalog: every projection sampled once a minute into a table kept
   * for 24 h. Give the gateway's own schema (where its audit log is); several gateways may share
   * it (one sample per minute is kept). Default null: no history (the catalog's is empty), so a
   * gateway built in a test writes no table nobody asked for; `npm start` turns it on.
   */
  freshnessHistory?: (FreshnessHistoryOptions & { intervalMs?: number }) | null;
  /** Usage counters (per client, field and UTC date, in the cache). Default: createUsageCounters's defaults (100 named principals per contract version). */
  usage?: UsageCountersOptions;
  /** Query limits per audience, checked before execution. Default: DEFAULT_QUERY_LIMITS. */
  queryLimits?: Readonly<Record<ContractAudience, QueryLimits>>;
  /** Per-principal rate limits (shared through the cache port). Default: none. */
  rateLimiter?: RateLimiter | null;
  /**
   * A request that has not finished by then is answered REQUEST_TIMEOUT (504). Default 10 s:
   * far above a normal page (milliseconds), low enough that a stuck request frees its caller.
   */
  requestDeadlineMs?: number;
  /** Bulk exports for partners (`/exports`); null serves none. Default null. */
  exports?: ExportJobsOptions | null;
  /** `GET /metrics` (Prometheus): who may scrape, and how flow gauges are collected. Default: operators only; see GatewayMetricsOptions. */
  metrics?: GatewayMetricsOptions;
  /** The catalog web app at `GET /catalog` in a browser. Default: the built app, or bundled from source when running from source; see CatalogAppOptions. */
  catalogApp?: CatalogAppOptions;
  /**
   * Where the gateway logs: a line per request (info; probes and scrapes at debug), warnings and
   * errors, each with the request's correlation id. Default: warnings and errors on stderr
   * (tests and library use); `npm start` passes the process logger.
   */
  logger?: Logger;
  /** What `GET /ready` checks besides the database: the projectors this process runs. Default: the database only. */
  readiness?: ReadinessOptions;
  /**
   * CONTRACT_SQL_PLANNING: `on` answers a contract read whose fields its context can plan with
   * one SQL statement per root field that builds the JSON in PostgreSQL (same data, errors and
   * extensions as the resolvers, which answer everything else); `off` runs resolvers only.
   * Default `on`: it is the fast path; `off` is there to compare, or to rule it out.
   */
  contractSqlPlanning?: ContractSqlPlanning;
  /**
   * `on` answers a contract read planned whole in SQL below Apollo's request pipeline, with the
   * same plugins, response and headers (see createDirectExecution); `off` hands every request to
   * Apollo. Default `on`; off with `contractSqlPlanning` off.
   */
  contractDirectPath?: 'on' | 'off';
  /**
   * The response cache for contract queries (in `deps.cache`: Redis, or an LRU in this process on
   * the memory adapter), valid while the projections a query reads have not changed; see
   * createResponseCache. Default null: off, every answer read from the projections; `npm start`
   * turns it on with RESPONSE_CACHE=on.
   */
  responseCache?: ResponseCacheOptions | null;
}

/** What the gateway needs to know who is asking, and to record and redact for them. */
export interface GatewayAccess {
  authenticator: Authenticator;
  tokenizer: Tokenizer;
  /** Seals feed cursors per principal before they leave (see createCursorSealer). */
  cursors: CursorSealer;
  audit: AuditLog;
  /** Browser sign-in for the catalog (API key → HttpOnly session cookie). */
  signIn: { sessions: SessionStore; principals: Pick<PrincipalStore, 'authenticateApiKey'> };
}

/** An operation run in-process for a principal, e.g. by an export job: same schema, resolvers, redaction and row scope as over HTTP. */
export interface ContractOperation {
  contract: CompiledContract;
  principal: Principal;
  document: string;
  variables?: Record<string, unknown>;
}

export interface ChangeFeedPageRequest {
  contract: CompiledContract;
  principal: Principal;
  feedField: string;
  since: string | null;
  first: number;
  /** Only where the page ends (`lines` empty): an index walk, for a reader that reads pages ahead. */
  endOnly?: boolean;
}

export interface ChangeFeedPage {
  lines: string[];
  endCursor: string | null;
  hasMore: boolean;
}

export interface Gateway {
  readonly contracts: readonly CompiledContract[];
  readonly subgraphs: readonly SubgraphVersion[];
  /**
   * Runs an operation against the principal's view of a contract without HTTP (exports page
   * through `changes` this way). Access is checked as for a request; an AccessError is thrown
   * when the principal may not use the contract. Query limits are not applied: the document is
   * the caller's own code (an export's page query), never a client's text.
   */
  executeContractOperation(operation: ContractOperation): Promise<ExecutionResult>;
  /**
   * One page of a contract's change feed (`feedField`) for a principal, built by the subgraph in
   * SQL: each row as JSON text, redacted here with the same rules and functions as the
   * resolvers. Null when the feed cannot be planned; then use executeContractOperation.
   */
  executeChangeFeedPage(page: ChangeFeedPageRequest): Promise<ChangeFeedPage | null>;
  /**
   * The same feed, rows, scope and redaction from `since` to its end in one statement and one
   * snapshot (each row once), as pages of what arrived; the last page is empty and carries the
   * sealed end cursor. Null where it cannot stream (PGlite, a selection not planned in SQL):
   * read `executeChangeFeedPage` pages instead.
   */
  streamChangeFeed(request: Omit<ChangeFeedPageRequest, 'first' | 'endOnly'>): AsyncIterable<ChangeFeedPage> | null;
  /** Handles a request; false when no route matches. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Paths served, for the start banner. */
  readonly paths: string[];
  stop(): Promise<void>;
}

type ContractContext = ContractRequestContext & BaseContext;

/** Runs contracts' flow metrics queries: the gateway itself, internal and unscoped, holding no credential. */
const METRICS_PRINCIPAL: Principal = { id: 'gateway:metrics', name: 'gateway metrics', audience: 'INTERNAL', contracts: ['*'], rights: [], rowScope: null, credential: { kind: 'apiKey', prefix: 'none' } };

/** The gateway: contract views, subgraphs, catalog, admin routes and metrics on one HTTP handler, every route but /health (and /metrics with access `public`) behind a principal. */
export async function createGateway(deps: { db: Database; log: EventLog; cache: Cache }, access: GatewayAccess, options: GatewayOptions = {}): Promise<Gateway> {
  const contexts = options.contexts ?? registeredContexts;
  const subgraphs = contexts.flatMap((c) => c.subgraphs);
  const schemaOf = (context: string) => options.projectionSchemas?.[context] ?? context;
  // Every SDL the gateway publishes (route, catalog, export manifests' schema hash) carries the
  // definitions of the directives it uses, so it builds on its own.
  const contracts = (await loadContracts(options.contractsDirectory ?? fileURLToPath(new URL('../contracts', import.meta.url)), subgraphs)).map(withSelfContainedSdl);
  // Each projection's freshness comes from the watermarks in its own context's schema.
  const logger = options.logger ?? defaultLogger();
  const freshness = createFreshnessReader(deps, new Map(contexts.flatMap((c) => c.ingestion.projections.map((p) => [p.name, schemaOf(c.name)] as const))), { logger, ...options.freshness });
  let history: FreshnessHistory | null = null;
  let sampler: FreshnessSampler | null = null;
  if (options.freshnessHistory) {
    const { intervalMs, ...historyOptions } = options.freshnessHistory;
    history = createFreshnessHistory(deps.db, historyOptions);
    await history.migrate();
    sampler = startFreshnessSampler({ reader: freshness, history }, contexts.flatMap((c) => c.ingestion.projections.map((p) => p.name)), { intervalMs });
  }
  const usage = createUsageCounters(deps.cache, options.usage);
  // Before any server starts: a badly declared flow metric refuses the start, leaving nothing running.
  const metrics = createGatewayMetrics(
    deps,
    {
      contexts: contexts.map((context) => ({ context, schema: schemaOf(context.name) })),
      contracts,
      runContractOperation: (contract, document) => executeContractOperation({ contract, principal: METRICS_PRINCIPAL, document }),
    },
    { logger, ...options.metrics },
  );
  const readiness = createReadiness(deps, options.readiness, logger.child({ component: 'readiness' }));
  const responseCache = options.responseCache ? createResponseCache({ cache: deps.cache, freshness, logger, count: metrics.countResponseCache }, options.responseCache) : null;
  const queryLimits = options.queryLimits ?? DEFAULT_QUERY_LIMITS;
  const deadlineMs = options.requestDeadlineMs ?? 10_000;

  const started: Array<ApolloServer<BaseContext>> = [];
  const start = async <T extends BaseContext>(server: ApolloServer<T>) => {
    await server.start();
    started.push(server as unknown as ApolloServer<BaseContext>);
    return server;
  };
  const common = {
    introspection: true,
    // No automatic persisted queries: clients send the query text; a hash-only request is a 400.
    persistedQueries: false as const,
    includeStacktraceInErrorResponses: false,
    formatError: formatGatewayError,
    // The parser stops after this many tokens: a 10,000-alias document never reaches validation,
    // compilation or execution (per-audience limits are checked after parsing, by useQueryLimits).
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    // The process owns shutdown (gateway/shutdown: drain HTTP, stop projectors, the gateway, pools): one Apollo
    // server per contract, audience and subgraph must not each install SIGINT/SIGTERM handlers.
    stopOnTerminationSignals: false,
    // Compact JSON: Apollo pretty-prints by default, which costs ~20% of a large response's CPU.
    // A root field read as JSON text from PostgreSQL is written as that text (RawJson).
    stringifyResult: (value: unknown) => stringifyWithRawJson(value),
  } as const;
  // The gateway sets no cache hints; the default cache-control plugin would still hook every field.
  const basePlugins = (): Array<ApolloServerPlugin<BaseContext>> => [ApolloServerPluginCacheControlDisabled(), useOperationGuards(), useOperationKind(), useDocumentIdentity(), useDependencyOutages()];

  /** One Apollo server per contract and audience that may use it: each audience has its own schema. */
  const contractServers = new Map<string, { contract: CompiledContract; servers: Partial<Record<ContractAudience, ApolloServer<ContractContext>>>; directs: Partial<Record<ContractAudience, DirectExecution<ContractContext>>> }>();
  for (const contract of contracts) {
    const servers: Partial<Record<ContractAudience, ApolloServer<ContractContext>>> = {};
    const directs: Partial<Record<ContractAudience, DirectExecution<ContractContext>>> = {};
    const audiences: ContractAudience[] = contract.meta.audience === 'PARTNER' ? ['INTERNAL', 'PARTNER'] : ['INTERNAL'];
    for (const audience of audiences) {
      const plugins = [
        ...basePlugins(),
        useQueryLimits((context: ContractContext) => queryLimits[context.principal.audience]),
        useFreshness(contract, freshness),
        useDeprecationNotices(contract),
        useUsageCounting(contract, usage),
        useLineageRefs(contract),
        useRedactionNotices(contract),
        useAuditTrail(contract, access.audit),
        // Last: its extension follows the others, which it leaves exactly as a fresh answer has them.
        ...(responseCache ? [responseCache.useResponseCache(contract)] : []),
      ] as Array<ApolloServerPlugin<ContractContext>>;
      const sqlReads =
        (options.contractSqlPlanning ?? 'on') === 'on'
          ? createContractSqlReads({ contract, audience, subgraphs, db: deps.db, schemaOf, rowScopeFor: (subgraph, principal) => rowScopeFor(contract, subgraph, principal), tokenizer: access.tokenizer })
          : null;
      const shortcut = sqlReads
        ? (request: GatewayGraphQLRequestContext, variables: Readonly<Record<string, unknown>>) =>
            sqlReads.read({ document: request.document, operation: request.operation, queryHash: request.queryHash, operationName: request.operationName, variables, context: request.context as ContractContext })
        : undefined;
      if (sqlReads && (options.contractDirectPath ?? 'on') === 'on') {
        const direct = createDirectExecution<ContractContext>({
          schema: contract.views[audience].schema,
          plugins,
          answer: (request) => sqlReads.read({ document: request.document, operation: request.operation, queryHash: request.queryHash, operationName: request.operationName, variables: request.variables, context: request.context }),
          answers: (request) => sqlReads.plans(request),
          stringifyResult: common.stringifyResult,
        });
        plugins.push(direct.plugin);
        directs[audience] = direct;
      }
      servers[audience] = await start(new ApolloServer<ContractContext>({ gateway: createCompiledExecutor(contract.views[audience].schema, { shortcut }), plugins, ...common }));
    }
    contractServers.set(contractPath(contract), { contract, servers, directs });
  }
  const subgraphServers = new Map<string, { subgraph: SubgraphVersion; server: ApolloServer<BaseContext> }>();
  for (const subgraph of subgraphs) {
    const plugins = [...basePlugins(), useSubgraphDeprecation(subgraph), useQueryLimits(() => queryLimits.INTERNAL)] as Array<ApolloServerPlugin<BaseContext>>;
    subgraphServers.set(`/subgraphs/${subgraph.id}`, { subgraph, server: await start(new ApolloServer<BaseContext>({ schema: subgraph.schema, plugins, ...common })) });
  }
  // Each context's flow now (quarantine counts, its own summaries): the catalog API and its static page read the same.
  const contextFlows = createContextFlowReader(deps, contexts.map((context) => ({ context, schema: schemaOf(context.name) })));
  const catalog = await start(
    new ApolloServer<CatalogContext>({
      schema: createCatalogSchema({ contracts, subgraphs, freshness, cache: deps.cache, usage, history, contextFlows }),
      plugins: [...basePlugins(), useQueryLimits((context: CatalogContext) => queryLimits[context.principal.audience])] as Array<ApolloServerPlugin<CatalogContext>>,
      ...common,
    }),
  );
  const admin = createAdminRoutes(deps, contexts.map((context) => ({ context, schema: schemaOf(context.name) })), access.audit);
  const signIn = createCatalogSignIn(access.signIn);
  const catalogApp = await createCatalogApp(options.catalogApp);
  const metricsAccess = options.metrics?.access ?? 'operate';
  // Paths (and path patterns) the gateway serves: the `route` label of the request metrics.
  const routeOf = createRouteLabeler(
    ['/', '/health', '/ready', '/metrics', '/catalog', '/catalog/static', '/catalog/sign-in', '/catalog/sign-out', `${CATALOG_ASSETS_PATH}app.js`, `${CATALOG_ASSETS_PATH}app.css`, '/admin/watermarks', '/admin/quarantine', '/exports', ...contractServers.keys(), ...[...contractServers.keys()].flatMap((p) => CONTRACT_DOCUMENTS.map((d) => `${p}/${d}`)), ...subgraphServers.keys()],
    [
      [/^\/exports\/[^/]+$/, '/exports/:id'],
      [/^\/exports\/[^/]+\/file$/, '/exports/:id/file'],
    ],
  );
  const serveMetrics = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET') {
      sendGatewayError(res, GatewayErrorCode.MethodNotAllowed, `${req.method} /metrics is not served; use GET.`, { headers: { allow: 'GET' } });
      return;
    }
    const body = await metrics.scrape();
    res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
    res.end(body);
  };

  /**
   * The row scope a contract binds for a subgraph: the principal's values for each dimension the
   * contract declares. Checked before the request runs (a partner without one is refused), so
   * here a missing dimension means an unscoped internal principal.
   */
  const rowScopeFor = (contract: CompiledContract, subgraph: SubgraphVersion, principal: Principal) => {
    const dimensions = contract.rowScopes.filter((s) => subgraphs.find((g) => g.id === s.subgraph)?.context === subgraph.context).map((s) => s.dimension);
    const scope: Record<string, readonly string[]> = {};
    for (const dimension of dimensions) {
      const values = principal.rowScope?.[dimension];
      if (values) scope[dimension] = values;
    }
    return Object.keys(scope).length > 0 ? scope : null;
  };
  const missingRowScope = (contract: CompiledContract, principal: Principal): string | null => {
    if (principal.audience !== 'PARTNER') return null;
    return contract.rowScopes.find((s) => !principal.rowScope?.[s.dimension]?.length)?.dimension ?? null;
  };

  /** One subgraph context per bounded context per request: versions share loaders, so batching spans them. */
  const contractContext = (contract: CompiledContract, principal: Principal) => async (): Promise<ContractContext> => {
    const perContext = new Map<string, unknown>();
    return {
      principal,
      tokenizer: access.tokenizer,
      cursors: access.cursors,
      subgraphContext(subgraph) {
        if (!perContext.has(subgraph.context)) perContext.set(subgraph.context, subgraph.createContext(deps.db, schemaOf(subgraph.context), { rowScope: rowScopeFor(contract, subgraph, principal), actor: { id: principal.id, name: principal.name } }));
        return perContext.get(subgraph.context);
      },
    };
  };

  const deny = (res: ServerResponse, principal: Principal | null, path: string, code: GatewayErrorCode, message: string, headers: Record<string, string> = {}, extensions?: Record<string, unknown>) => {
    access.audit.record({ action: 'access.denied', principalId: principal?.id ?? null, principalName: principal?.name ?? null, audience: principal?.audience ?? null, outcome: 'denied', errorCode: code, correlationId: currentCorrelation(res), detail: path });
    sendGatewayError(res, code, message, { headers, extensions });
  };

  const route = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    if (path === '/health') return admin(req, res, null);
    if (path === '/ready') {
      // Open like /health: it says whether this process can serve, in words that reveal nothing.
      const report = await readiness.check();
      res.setHeader('cache-control', 'no-store');
      sendJson(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', checks: report.checks });
      return true;
    }
    if (path === '/metrics' && metricsAccess === 'public') {
      await serveMetrics(req, res);
      return true;
    }
    if (path.startsWith('/catalog/sign-')) return signIn.handle(req, res, path);
    // The app's script and stylesheet hold no data: served before (and without) a credential, like the sign-in page.
    if (path.startsWith(CATALOG_ASSETS_PATH) && catalogApp.serveAsset(req, res, path)) return true;

    // Session cookies are for the catalog in a browser only: an API call carries its credential.
    const catalogPage = path === '/catalog' || path === '/catalog/static';
    const headers = catalogPage ? req.headers : { ...req.headers, cookie: undefined };
    let principal: Principal;
    try {
      principal = await access.authenticator.authenticate(headers);
    } catch (error) {
      if (!isAccessError(error)) throw error;
      if (catalogPage && wantsHtml(req)) {
        signIn.sendPage(res, 401, null);
        return true;
      }
      deny(res, null, path, GatewayErrorCode.Unauthenticated, error.message, { 'www-authenticate': 'Bearer realm="data-product-gateway"' });
      return true;
    }
    notePrincipal(principal);

    // One budget per principal for everything it asks of this gateway (queries, catalog, SDL,
    // exports), counted before any work; the headers go on every answer.
    if (options.rateLimiter) {
      const decision = await options.rateLimiter.consume(principal);
      const limitHeaders = rateLimitHeaders(decision);
      if (!decision.allowed && decision.degraded) {
        // Refused because the counters could not be read (onCacheError 'deny'): not the caller's doing.
        deny(res, principal, path, GatewayErrorCode.DependencyUnavailable, `The cache is unavailable right now, and this gateway refuses requests it cannot count against the rate limit of ${decision.limit} requests per ${decision.windowSeconds} s. Retry in a few seconds.`, { ...limitHeaders, 'retry-after': '1' }, { dependency: 'cache', retriable: true });
        return true;
      }
      if (!decision.allowed) {
        deny(res, principal, path, GatewayErrorCode.RateLimited, `Rate limit of ${decision.limit} requests per ${decision.windowSeconds} s used up; retry in ${decision.retryAfterSeconds} s.`, limitHeaders);
        return true;
      }
      for (const [name, value] of Object.entries(limitHeaders)) res.setHeader(name, value);
    }

    const contractRoute = contractServers.get(path);
    if (contractRoute) {
      const { contract } = contractRoute;
      noteContract(contract.meta);
      const server = contractRoute.servers[principal.audience];
      if (!mayUseContract(principal, contract.meta) || !server) {
        deny(res, principal, path, GatewayErrorCode.Forbidden, `Principal "${principal.name}" may not use ${contract.meta.name} v${contract.meta.version}. Ask the contract owner (${contract.meta.owner}) for access.`);
        return true;
      }
      const missing = missingRowScope(contract, principal);
      if (missing) {
        deny(res, principal, path, GatewayErrorCode.Forbidden, `Principal "${principal.name}" has no row scope for "${missing}", which ${contract.meta.name} v${contract.meta.version} requires of partners. An operator must grant one (principals create ... --scope ${missing}=...).`);
        return true;
      }
      const deadline = createRequestDeadline(deadlineMs);
      try {
        await handleApolloRequest(server, req, res, contractContext(contract, principal), { around: (work) => deadline.race(work, `${contract.meta.name} v${contract.meta.version} request`), direct: contractRoute.directs[principal.audience] });
      } catch (error) {
        if (!(error instanceof GraphQLError) || error.extensions.code !== GatewayErrorCode.RequestTimeout || res.headersSent) throw error;
        sendGatewayError(res, GatewayErrorCode.RequestTimeout, (error as Error).message);
      } finally {
        deadline.clear();
      }
      return true;
    }

    // The published documents of a version (SDL, ODCS, OpenLineage), each the principal's view of it.
    const document = /^(\/contracts\/[^/]+\/v\d+)\/([^/]+)$/.exec(path);
    if (document && contractServers.has(document[1]!) && isContractDocument(document[2]!)) {
      const { contract } = contractServers.get(document[1]!)!;
      if (!mayUseContract(principal, contract.meta) || !contractServers.get(document[1]!)!.servers[principal.audience]) {
        deny(res, principal, path, GatewayErrorCode.Forbidden, `Principal "${principal.name}" may not use ${contract.meta.name} v${contract.meta.version}.`);
        return true;
      }
      const { contentType, body } = renderContractDocument(visibleContracts(principal, [contract])[0]!, principal.audience, document[2], { projectionSchemas: options.projectionSchemas });
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
      return true;
    }

    if (path === '/metrics') {
      if (!hasRight(principal, 'operate')) {
        deny(res, principal, path, GatewayErrorCode.Forbidden, `/metrics is for operators; principal "${principal.name}" has no "operate" right. Scrape with an operator's key, or set METRICS_PUBLIC=true where only the private network reaches the gateway.`);
        return true;
      }
      await serveMetrics(req, res);
      return true;
    }

    if (path.startsWith('/subgraphs/') || path.startsWith('/admin/')) {
      if (!hasRight(principal, 'operate')) {
        deny(res, principal, path, GatewayErrorCode.Forbidden, `${path} is for operators; principal "${principal.name}" has no "operate" right.`);
        return true;
      }
      const subgraph = subgraphServers.get(path);
      if (subgraph) {
        await handleApolloRequest(subgraph.server, req, res, async () => subgraph.subgraph.createContext(deps.db, schemaOf(subgraph.subgraph.context)) as BaseContext);
        return true;
      }
      return admin(req, res, principal);
    }

    if (path === '/exports' || path.startsWith('/exports/')) {
      if (exportJobs && (await exportJobs.handle(req, res, principal))) return true;
      if (!exportJobs) {
        sendGatewayError(res, GatewayErrorCode.NotFound, 'This gateway serves no exports (no export directory is configured).');
        return true;
      }
      return false;
    }
    if (path === '/catalog') {
      // A browser gets the stewards' web app, which reads this same API; GraphQL clients get the metadata API. Both filtered by principal.
      if (req.method === 'GET' && wantsHtml(req) && !new URL(req.url ?? '/', 'http://localhost').searchParams.has('query')) {
        catalogApp.sendShell(res);
        return true;
      }
      await handleApolloRequest(catalog, req, res, async () => ({ principal }));
      return true;
    }
    if (path === '/catalog/static' && req.method === 'GET') {
      // The catalog as one server-rendered page with no script: for browsers without JavaScript, printing, and saving.
      const flows = principal.audience === 'INTERNAL' ? (await contextFlows()).flatMap((flow) => flow.summaries) : [];
      const page = await renderCatalogPage(visibleContracts(principal, contracts), principal.audience === 'INTERNAL' ? subgraphs : [], freshness, { signedInAs: principal.name, flows });
      // Its one inline stylesheet is the only thing it may use: no script, nothing from elsewhere.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'" });
      res.end(page);
      return true;
    }
    if (path.startsWith('/contracts/')) {
      sendGatewayError(res, GatewayErrorCode.UnknownContract, `No contract version at ${path}. Yours: ${[...contractServers.values()].filter((c) => mayUseContract(principal, c.contract.meta) && c.servers[principal.audience]).map((c) => contractPath(c.contract)).join(', ') || 'none'}.`);
      return true;
    }
    if (path === '/') {
      const mine = [...contractServers.values()].filter((c) => mayUseContract(principal, c.contract.meta) && c.servers[principal.audience]).map((c) => contractPath(c.contract));
      const operator = hasRight(principal, 'operate');
      sendJson(res, 200, { principal: principal.name, contracts: mine, catalog: '/catalog', ...(operator ? { subgraphs: [...subgraphServers.keys()], admin: ['/admin/watermarks', '/admin/quarantine'], metrics: '/metrics' } : {}) });
      return true;
    }
    return false;
  };

  let exportJobs: ExportJobs | null = null;
  /** The checks an HTTP request gets, for work done in-process on a principal's behalf (exports). */
  const assertMayUse = (contract: CompiledContract, principal: Principal) => {
    if (!mayUseContract(principal, contract.meta) || !contractServers.get(contractPath(contract))?.servers[principal.audience]) {
      throw forbidden(`Principal "${principal.name}" may not use ${contract.meta.name} v${contract.meta.version}.`);
    }
    const missing = missingRowScope(contract, principal);
    if (missing) throw forbidden(`Principal "${principal.name}" has no row scope for "${missing}".`);
  };
  const compiledOperations = new Map<string, CompiledQuery>();
  const executeContractOperation = async ({ contract, principal, document, variables }: ContractOperation): Promise<ExecutionResult> => {
    assertMayUse(contract, principal);
    const key = `${contractPath(contract)}:${principal.audience}:${document}`;
    let compiled = compiledOperations.get(key);
    if (!compiled) {
      const result = compileQuery(contract.views[principal.audience].schema, parse(document));
      if (!isCompiledQuery(result)) return result;
      compiled = result;
      if (compiledOperations.size > 100) compiledOperations.clear();
      compiledOperations.set(key, compiled);
    }
    return compiled.query(undefined, await contractContext(contract, principal)(), variables ?? {});
  };

  /**
   * Splices the redacted values into each object PostgreSQL built: same rule, same function
   * (applyRedaction) as the resolver path, so both paths emit the same value. One pass per row,
   * the `"key":` texts printed once per page (this runs for every row of an export); tokens come
   * from the tokenizer's bulk side, which leaves the request path's token cache alone.
   */
  const spliceRedacted = (rows: ReadonlyArray<{ json: string; raw: ReadonlyArray<string | null> }>, redacted: ContractChangeFeedPlan['redacted'], principalId: string): string[] => {
    if (redacted.length === 0) return rows.map((row) => row.json);
    const keys = redacted.map(({ key }, i) => `${i === 0 ? '' : ','}${JSON.stringify(key)}:`);
    const lines = new Array<string>(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const { json, raw } = rows[r]!;
      let extra = '';
      for (let i = 0; i < redacted.length; i++) extra += keys[i]! + JSON.stringify(applyRedaction(redacted[i]!.rule, raw[i], principalId, access.tokenizer.bulk) ?? null);
      lines[r] = json.length > 2 ? `${json.slice(0, -1)},${extra}}` : `{${extra}}`;
    }
    return lines;
  };

  const feedPlans = new Map<string, ContractChangeFeedPlan | { unplannable: string }>();
  /** The principal's planned feed and where it starts, or null when it is not planned in SQL. */
  const feedPlanFor = ({ contract, principal, feedField, since, endOnly = false }: Omit<ChangeFeedPageRequest, 'first'>) => {
    assertMayUse(contract, principal);
    const feedSubgraph = subgraphs.find((s) => s.id === contract.fields.get(`Query.${feedField}`)?.lineage[0]?.subgraph);
    if (!feedSubgraph) return null;
    const rowScope = rowScopeFor(contract, feedSubgraph, principal);
    const key = `${contractPath(contract)}:${principal.audience}:${feedField}:${endOnly}:${JSON.stringify(rowScope)}`;
    let plan = feedPlans.get(key);
    if (!plan) {
      plan = planContractChangeFeed(contract, principal.audience, feedField, subgraphs, rowScope, { endOnly });
      feedPlans.set(key, plan);
    }
    if ('unplannable' in plan) return null;
    if (feedPlans.size > 200) feedPlans.clear();
    const position = since === null ? null : access.cursors.unseal(principal.id, since);
    if (since !== null && position === null) throw new GraphQLError(NOT_YOUR_CURSOR, { extensions: { code: 'BAD_USER_INPUT' } });
    return { plan, position };
  };
  const asGraphQLError = (error: unknown) => ((error as { code?: unknown }).code === 'BAD_USER_INPUT' ? new GraphQLError((error as Error).message, { extensions: { code: 'BAD_USER_INPUT' } }) : error);
  const executeChangeFeedPage = async (request: ChangeFeedPageRequest): Promise<ChangeFeedPage | null> => {
    const planned = feedPlanFor(request);
    if (!planned) return null;
    const { plan, position } = planned;
    let page;
    try {
      page = await plan.run(deps.db, schemaOf(plan.subgraph.context), { since: position, first: request.first });
    } catch (error) {
      throw asGraphQLError(error);
    }
    return { lines: spliceRedacted(page.rows, plan.redacted, request.principal.id), endCursor: page.endCursor === null ? null : access.cursors.seal(request.principal.id, page.endCursor), hasMore: page.hasMore };
  };
  const streamChangeFeed = (request: Omit<ChangeFeedPageRequest, 'first' | 'endOnly'>): AsyncIterable<ChangeFeedPage> | null => {
    const planned = feedPlanFor(request);
    if (!planned?.plan.stream) return null;
    const { plan, position } = planned;
    let pages: AsyncIterable<ChangeFeedRowsPage> | null;
    try {
      pages = plan.stream!(deps.db, schemaOf(plan.subgraph.context), position);
    } catch (error) {
      throw asGraphQLError(error);
    }
    if (!pages) return null;
    const principalId = request.principal.id;
    return (async function* () {
      for await (const page of pages) {
        yield { lines: spliceRedacted(page.rows, plan.redacted, principalId), endCursor: page.endCursor === null ? null : access.cursors.seal(principalId, page.endCursor), hasMore: page.hasMore };
      }
    })();
  };

  if (options.exports) {
    exportJobs = createExportJobs({ db: deps.db, gateway: { contracts, executeContractOperation, executeChangeFeedPage, streamChangeFeed }, audit: access.audit, freshness, logger }, options.exports);
    await exportJobs.migrate();
  }

  return {
    contracts,
    subgraphs,
    executeContractOperation,
    executeChangeFeedPage,
    streamChangeFeed,
    paths: [...contractServers.keys(), ...subgraphServers.keys(), '/catalog', '/metrics', ...(options.exports ? ['/exports'] : [])],
    async handle(req, res) {
      const correlationId = correlationIdOf(req);
      res.setHeader('x-correlation-id', correlationId);
      const path = requestTarget(req.url).pathname.replace(/\/+$/, '') || '/';
      const outcome: RequestOutcome = { operation: null, errorCodes: [] };
      const routeLabel = routeOf(path);
      const requestLogger = deferChild(logger, { correlationId });
      metrics.observeRequest(res, routeLabel, outcome);
      logRequest(requestLogger, req, res, routeLabel, outcome);
      return runInRequestScope({ correlationId, outcome, logger: requestLogger }, async () => {
        try {
          if (!(await route(req, res, path))) sendGatewayError(res, GatewayErrorCode.NotFound, `No route ${req.method} ${path}. GET / lists what you may use.`);
        } catch (error) {
          // A dependency down (the principal store's PostgreSQL, the session store's Redis): 503,
          // retriable, before anything was answered. Not logged per request: the adapters warn.
          const outage = describeDependencyOutage(error);
          if (outage && !res.headersSent) {
            sendGatewayError(res, GatewayErrorCode.DependencyUnavailable, outage.message, { headers: { 'retry-after': String(outage.retryAfterSeconds) }, extensions: { dependency: outage.dependency, retriable: true } });
            return true;
          }
          // Anything else that escaped a route: logged once with the correlation id the client gets.
          const logged = logUnexpected(`${req.method} ${path}`, error);
          if (res.headersSent) res.end();
          else sendGatewayError(res, GatewayErrorCode.InternalServerError, `Internal server error. Quote correlation id ${logged} when reporting it.`);
        }
        return true;
      });
    },
    async stop() {
      await sampler?.stop();
      await exportJobs?.close();
      await Promise.all(started.map((s) => s.stop()));
      await access.audit.flush();
    },
  };
}

function wantsHtml(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

function currentCorrelation(res: ServerResponse): string {
  return String(res.getHeader('x-correlation-id') ?? 'none');
}
