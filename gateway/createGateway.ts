import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServer } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Cache } from '../platform/cache/index.js';
import type { Database } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import type { SubgraphVersion } from '../platform/subgraph/index.js';
import { ordersV1Subgraph, ordersV2Subgraph } from '../subgraphs/orders/index.js';
import { contractPath, createCatalogSchema, renderCatalogPage } from './catalog/index.js';
import type { CompiledContract, ContractRequestContext } from './contracts/index.js';
import { loadContracts } from './contracts/index.js';
import { createAdminRoutes } from './createAdminRoutes.js';
import { createCompiledExecutor } from './http/createCompiledExecutor.js';
import { handleApolloRequest } from './http/handleApolloRequest.js';
import { sendJson } from './http/sendJson.js';
import type { FreshnessReaderOptions } from './metadata/index.js';
import { createFreshnessReader, useDeprecationNotices, useFreshness, useLineageRefs, useSubgraphDeprecation } from './metadata/index.js';

/** Error codes a client may see in `extensions.code`, besides Apollo's own (parse, validation, bad input). */
export const GatewayErrorCode = {
  UnknownContract: 'UNKNOWN_CONTRACT',
  NotFound: 'NOT_FOUND',
  InternalServerError: 'INTERNAL_SERVER_ERROR',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

export interface GatewayOptions {
  /** Where contract SDL lives. Default: the repository's `contracts/`. */
  contractsDirectory?: string;
  /** Subgraph versions contracts may resolve over. Default: orders v1 and v2. */
  subgraphs?: SubgraphVersion[];
  /** Postgres schema per bounded context. Default: the context's name (as the projector uses). */
  projectionSchemas?: Record<string, string>;
  freshness?: FreshnessReaderOptions;
}

export interface Gateway {
  readonly contracts: readonly CompiledContract[];
  readonly subgraphs: readonly SubgraphVersion[];
  /** Handles a request; false when no route matches. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Paths served, for the start banner. */
  readonly paths: string[];
  stop(): Promise<void>;
}

/** Unexpected errors never reach a client: logged in full here, masked there. */
function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const unwrapped = unwrapResolverError(error);
  // A compiled executor wraps a resolver's exception in a GraphQLError: judge by the root cause.
  const original = unwrapped instanceof GraphQLError && unwrapped.originalError ? unwrapped.originalError : unwrapped;
  const code = formatted.extensions?.code;
  if (original instanceof GraphQLError || (typeof code === 'string' && code !== GatewayErrorCode.InternalServerError)) return formatted;
  console.error('[gateway] unexpected error', original);
  return { message: 'Internal server error', path: formatted.path, extensions: { code: GatewayErrorCode.InternalServerError } };
}

/** The gateway: contract views, subgraphs, catalog and admin routes on one HTTP handler. */
export async function createGateway(deps: { db: Database; log: EventLog; cache: Cache }, options: GatewayOptions = {}): Promise<Gateway> {
  const subgraphs = options.subgraphs ?? [ordersV1Subgraph, ordersV2Subgraph];
  const schemaOf = (context: string) => options.projectionSchemas?.[context] ?? context;
  const contracts = await loadContracts(options.contractsDirectory ?? fileURLToPath(new URL('../contracts', import.meta.url)), subgraphs);
  // Freshness is read from one schema's watermarks: the orders context's, the only one so far.
  const freshness = createFreshnessReader(deps, schemaOf('orders'), options.freshness);

  const started: Array<ApolloServer<BaseContext>> = [];
  const start = async (server: ApolloServer<BaseContext>) => {
    await server.start();
    started.push(server);
    return server;
  };
  const common = {
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError,
    // Compact JSON: Apollo pretty-prints by default, which costs ~20% of a large response's CPU.
    stringifyResult: (value: unknown) => JSON.stringify(value),
  } as const;
  // The gateway sets no cache hints; the default cache-control plugin would still hook every field.
  const basePlugins = (): Array<ApolloServerPlugin<BaseContext>> => [ApolloServerPluginCacheControlDisabled()];

  const contractServers = new Map<string, { contract: CompiledContract; server: ApolloServer<BaseContext> }>();
  for (const contract of contracts) {
    const plugins: Array<ApolloServerPlugin<BaseContext>> = [...basePlugins(), useFreshness(contract, freshness), useDeprecationNotices(contract, deps.cache), useLineageRefs(contract)];
    contractServers.set(contractPath(contract), { contract, server: await start(new ApolloServer<BaseContext>({ gateway: createCompiledExecutor(contract.schema), plugins, ...common })) });
  }
  const subgraphServers = new Map<string, { subgraph: SubgraphVersion; server: ApolloServer<BaseContext> }>();
  for (const subgraph of subgraphs) {
    subgraphServers.set(`/subgraphs/${subgraph.id}`, { subgraph, server: await start(new ApolloServer<BaseContext>({ schema: subgraph.schema, plugins: [...basePlugins(), useSubgraphDeprecation(subgraph)], ...common })) });
  }
  const catalog = await start(new ApolloServer<BaseContext>({ schema: createCatalogSchema({ contracts, subgraphs, freshness, cache: deps.cache }), plugins: basePlugins(), ...common }));
  const admin = createAdminRoutes(deps, schemaOf('orders'));

  /** One subgraph context per bounded context per request: versions share loaders, so batching spans them. */
  const contractContext = async (): Promise<ContractRequestContext & BaseContext> => {
    const perContext = new Map<string, unknown>();
    return {
      subgraphContext(subgraph) {
        if (!perContext.has(subgraph.context)) perContext.set(subgraph.context, subgraph.createContext(deps.db, schemaOf(subgraph.context)));
        return perContext.get(subgraph.context);
      },
    };
  };

  return {
    contracts,
    subgraphs,
    paths: [...contractServers.keys(), ...subgraphServers.keys(), '/catalog'],
    async handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
      const contract = contractServers.get(path);
      if (contract) {
        await handleApolloRequest(contract.server, req, res, contractContext);
        return true;
      }
      const sdl = /^(\/contracts\/[^/]+\/v\d+)\/schema\.graphql$/.exec(path);
      if (sdl && contractServers.has(sdl[1]!)) {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(contractServers.get(sdl[1]!)!.contract.sdl);
        return true;
      }
      const subgraph = subgraphServers.get(path);
      if (subgraph) {
        await handleApolloRequest(subgraph.server, req, res, async () => subgraph.subgraph.createContext(deps.db, schemaOf(subgraph.subgraph.context)) as BaseContext);
        return true;
      }
      if (path === '/catalog') {
        // A browser gets the steward's page; GraphQL clients get the metadata API.
        if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html') && !new URL(req.url ?? '/', 'http://localhost').searchParams.has('query')) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(await renderCatalogPage(contracts, subgraphs, freshness));
          return true;
        }
        await handleApolloRequest(catalog, req, res, async () => ({}));
        return true;
      }
      if (path.startsWith('/contracts/')) {
        sendJson(res, 404, {
          errors: [{ message: `No contract version at ${path}. Served: ${[...contractServers.keys()].join(', ')}.`, extensions: { code: GatewayErrorCode.UnknownContract } }],
        });
        return true;
      }
      if (path === '/') {
        sendJson(res, 200, { contracts: [...contractServers.keys()], subgraphs: [...subgraphServers.keys()], catalog: '/catalog', admin: ['/health', '/admin/watermarks', '/admin/quarantine'] });
        return true;
      }
      return admin(req, res);
    },
    async stop() {
      await Promise.all(started.map((s) => s.stop()));
    },
  };
}
