import type { ApolloServer, ApolloServerPlugin, BaseContext, GraphQLRequestContext, GraphQLRequestListener, GraphQLResponse, HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { DocumentNode, ExecutionResult, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { getOperationAST, getVariableValues } from 'graphql';
import Negotiator from 'negotiator';
import { LRUCache } from 'lru-cache';

/** An operation Apollo validated, as the direct path hands it to `answer`. */
export interface DirectRequest<TContext> {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  queryHash: string;
  operationName: string | null;
  /** Coerced variable values. */
  variables: Readonly<Record<string, unknown>>;
  context: TContext;
}

export interface DirectExecutionOptions<TContext extends BaseContext> {
  /** The schema the Apollo server validates against (its gateway's API schema). */
  schema: GraphQLSchema;
  /**
   * The plugin array given to the Apollo server, this execution's `plugin` among them. Apollo
   * adds the plugins it installs on its own to this same array when it starts, so the direct
   * path runs exactly the hooks Apollo would, of the same plugin objects, in the same order.
   */
  plugins: Array<ApolloServerPlugin<TContext>>;
  /** The whole result without field execution (contract reads compiled to SQL), or null when it cannot. */
  answer(request: DirectRequest<TContext>): Promise<ExecutionResult | null>;
  /** Whether `answer` can answer the operation at all, asked before any plugin runs; when not, Apollo takes the request. */
  answers(request: Omit<DirectRequest<TContext>, 'context'>): boolean;
  /** The server's `stringifyResult`. */
  stringifyResult(value: unknown): string;
  /** Validated documents remembered (least recently used dropped). Default 500, as compiled operations. */
  maxDocuments?: number;
}

export interface DirectExecution<TContext extends BaseContext> {
  /** Give it to the Apollo server among its plugins: it remembers each document Apollo parsed and validated. */
  readonly plugin: ApolloServerPlugin<TContext>;
  /**
   * The response Apollo would give this request, made without Apollo's HTTP and request pipeline,
   * or null when this request is not one it makes (then hand it to Apollo, which answers it as
   * it always has). It makes only a POST of a known document whose whole result `answer` builds,
   * whose plugins all pass it and add nothing but extensions and headers.
   */
  execute(server: ApolloServer<TContext>, request: HTTPGraphQLRequest, context: () => Promise<TContext>): Promise<HTTPGraphQLResponse | null>;
}

/** The hooks the direct path runs; a listener with any other would need Apollo's pipeline. */
const SUPPORTED_HOOKS = new Set(['didResolveSource', 'parsingDidStart', 'validationDidStart', 'didResolveOperation', 'responseForOperation', 'willSendResponse']);
/** The POST body keys the direct path reads; anything else (extensions, a persisted query) goes to Apollo. */
const BODY_KEYS = new Set(['query', 'operationName', 'variables']);
/** Apollo's types for a single result (its MEDIA_TYPES), in its order of preference. */
const SINGLE_RESULT_TYPES = ['application/json; charset=utf-8', 'application/graphql-response+json; charset=utf-8', 'application/json; callbackSpec=1.0; charset=utf-8'];

/**
 * A direct path below Apollo Server for contract reads planned whole in SQL: the same plugins
 * (auth is done before, by the gateway's route), the same hooks in Apollo's order, the same
 * result object and `stringifyResult`, the same content negotiation, so the same response, bytes
 * and headers; without what a planned read does not need of Apollo's pipeline, a large share
 * of the gateway's CPU per request (bench/results/query.md): the body and header checks
 * done again, a SHA-256 of the query per request, the document store lookup, the request context
 * and HTTP head built through several layers, the gateway executor interface.
 *
 * It serves only what it can serve exactly like Apollo; any other request is left to Apollo
 * before any plugin ran: a GET, a body with other keys, a document Apollo has not validated yet
 * (the first request of a document always goes through Apollo, parse and validation included),
 * variables that do not coerce, an operation `answers` says it cannot answer, an Accept that
 * negotiates no JSON type. After plugins started, it leaves the request to Apollo only when a
 * listener has a hook it does not run (execution hooks), a plugin refused it in
 * `didResolveOperation` (limits, guards), or `answer` declines or has errors to format: until `willSendResponse` the
 * plugins only check, note and read (the response cache's lookup), so Apollo running them again
 * gives the same answer, and nothing was counted, stored or audited yet. A plugin's
 * `responseForOperation` (a response cache hit) is asked first, as Apollo asks it.
 */
export function createDirectExecution<TContext extends BaseContext>(options: DirectExecutionOptions<TContext>): DirectExecution<TContext> {
  const documents = new LRUCache<string, { document: DocumentNode; queryHash: string }>({ max: options.maxDocuments ?? 500 });
  const contentTypes = new LRUCache<string, string | false>({ max: 100 });
  const contentTypeFor = (accept: string | undefined): string | null => {
    // Apollo's chooseContentTypeForSingleResultResponse: no Accept is JSON, else the negotiated type.
    if (!accept) return SINGLE_RESULT_TYPES[0]!;
    let type = contentTypes.get(accept);
    if (type === undefined) contentTypes.set(accept, (type = new Negotiator({ headers: { accept } }).mediaType(SINGLE_RESULT_TYPES) ?? false));
    return type || null;
  };

  const plugin: ApolloServerPlugin<TContext> = {
    async requestDidStart() {
      return {
        // After parsing and validation: the document (Apollo's own, from its store) is valid for this schema.
        async didResolveOperation({ source, queryHash, document }) {
          if (source !== undefined && !documents.has(source)) documents.set(source, { document, queryHash });
        },
      };
    },
  };

  const execute = async (server: ApolloServer<TContext>, http: HTTPGraphQLRequest, context: () => Promise<TContext>): Promise<HTTPGraphQLResponse | null> => {
    if (http.method !== 'POST') return null;
    const body = http.body as Record<string, unknown> | null;
    if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).some((key) => !BODY_KEYS.has(key))) return null;
    const { query, operationName, variables } = body;
    if (typeof query !== 'string' || (operationName !== undefined && operationName !== null && typeof operationName !== 'string')) return null;
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
    const known = documents.get(query);
    if (!known) return null;
    const contentType = contentTypeFor(http.headers.get('accept'));
    if (contentType === null) return null;
    const operation = getOperationAST(known.document, operationName ?? undefined);
    if (!operation || operation.operation !== 'query') return null;

    const coerced = getVariableValues(options.schema, operation.variableDefinitions ?? [], (variables ?? {}) as Record<string, unknown>);
    if (coerced.errors) return null;
    if (!options.answers({ document: known.document, operation, queryHash: known.queryHash, operationName: operation.name?.value ?? null, variables: coerced.coerced })) return null;
    let contextValue: TContext;
    try {
      contextValue = cloneObject(await context());
    } catch {
      return null; // Apollo reports a context that cannot be made
    }
    const requestContext = {
      logger: server.logger,
      cache: server.cache,
      schema: options.schema,
      request: { query, operationName: operationName ?? undefined, variables: (variables ?? undefined) as Record<string, unknown> | undefined, extensions: undefined, http },
      response: { http: { status: undefined as number | undefined, headers: new HeaderMap() } },
      contextValue,
      metrics: { persistedQueryHit: false, persistedQueryRegister: false },
      overallCachePolicy: newCachePolicy(),
      requestIsBatched: false,
    } as unknown as GraphQLRequestContext<TContext> & { queryHash: string; source: string; document: DocumentNode; operation: OperationDefinitionNode; operationName: string | null };

    const listeners = (await all(options.plugins.map((p) => p.requestDidStart?.(requestContext)))).filter((l): l is GraphQLRequestListener<TContext> => l !== undefined && l !== null);
    for (const listener of listeners) {
      for (const hook in listener) if (!SUPPORTED_HOOKS.has(hook)) return null;
    }
    requestContext.queryHash = known.queryHash;
    requestContext.source = query;
    await all(listeners.map((l) => l.didResolveSource?.(requestContext as Parameters<NonNullable<GraphQLRequestListener<TContext>['didResolveSource']>>[0])));
    requestContext.document = known.document;
    requestContext.operation = operation;
    requestContext.operationName = operation.name?.value ?? null;
    try {
      await all(listeners.map((l) => l.didResolveOperation?.(requestContext as Parameters<NonNullable<GraphQLRequestListener<TContext>['didResolveOperation']>>[0])));
    } catch {
      return null;
    }
    // A plugin's answer (the response cache's hit) first, listener by listener, as Apollo asks.
    let fromPlugin: GraphQLResponse | null = null;
    for (const listener of listeners) {
      if (!listener.responseForOperation) continue;
      fromPlugin = (await listener.responseForOperation(requestContext as Parameters<NonNullable<GraphQLRequestListener<TContext>['responseForOperation']>>[0])) ?? null;
      if (fromPlugin) break;
    }
    if (fromPlugin) {
      (requestContext.response as { body?: unknown }).body = fromPlugin.body;
      if (fromPlugin.http?.status) requestContext.response.http.status = fromPlugin.http.status;
      for (const [name, value] of fromPlugin.http?.headers ?? []) requestContext.response.http.headers.set(name, value);
    } else {
      const result = await options.answer({ document: known.document, operation, queryHash: known.queryHash, operationName: requestContext.operationName, variables: coerced.coerced, context: requestContext.contextValue });
      // Declined, or errors to format: Apollo's (its listeners start again; the ones above only read and noted).
      if (!result || result.errors?.length) return null;
      // As Apollo's pipeline builds a result without errors.
      (requestContext.response as { body?: unknown }).body = { kind: 'single', singleResult: { ...result, errors: undefined } };
    }
    try {
      await all(listeners.map((l) => l.willSendResponse?.(requestContext as Parameters<NonNullable<GraphQLRequestListener<TContext>['willSendResponse']>>[0])));
    } catch (thrown) {
      // Too late to leave it to Apollo (listeners may have counted or audited): answer as Apollo
      // does when a hook throws here (its internalExecuteOperation, then errorResponse).
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      await Promise.all(options.plugins.map((p) => p.unexpectedErrorProcessingRequest?.({ requestContext, error })));
      server.logger.error(`Unexpected error processing request: ${error}`);
      return apolloErrorResponse(server, new Error('Internal server error'), http, error);
    }
    const { http: head } = requestContext.response;
    const singleResult = (requestContext.response as { body: { singleResult: { errors?: unknown; data?: unknown; extensions?: unknown } } }).body.singleResult;
    if (!head.headers.get('content-type')) head.headers.set('content-type', contentType);
    return {
      status: head.status,
      headers: head.headers,
      body: { kind: 'complete', string: options.stringifyResult({ errors: singleResult.errors, data: singleResult.data, extensions: singleResult.extensions }) },
    };
  };

  return { plugin, execute };
}

/**
 * Apollo's own error answer (status, headers, formatted errors through the server's formatError
 * and stringifyResult): a method its class keeps to itself, so when an Apollo upgrade moves it,
 * the original error goes up and the gateway answers its own 500 instead of failing here.
 */
async function apolloErrorResponse<TContext extends BaseContext>(server: ApolloServer<TContext>, error: Error, http: HTTPGraphQLRequest, original: Error): Promise<HTTPGraphQLResponse> {
  const internal = server as unknown as { errorResponse?: (error: Error, head: HTTPGraphQLRequest) => Promise<HTTPGraphQLResponse> };
  if (typeof internal.errorResponse !== 'function') throw original;
  return internal.errorResponse(error, http);
}

/**
 * As Promise.all of the hooks' results: all were started, in order, before this awaits any; the
 * first failure (in that order) fails it. Without Promise.all's promise per element, nor one per
 * listener that has no such hook (most of them): this runs several times on every request.
 */
async function all<T>(results: ReadonlyArray<T | Promise<T> | undefined>): Promise<Array<T | undefined>> {
  const values = new Array<T | undefined>(results.length);
  for (let i = 0; i < results.length; i++) {
    const result = results[i];
    if (!(result instanceof Promise)) {
      values[i] = result;
      continue;
    }
    try {
      values[i] = await result;
    } catch (error) {
      // The failure is answered; any later one must not go unhandled.
      for (let j = i + 1; j < results.length; j++) if (results[j] instanceof Promise) (results[j] as Promise<T>).catch(() => undefined);
      throw error;
    }
  }
  return values;
}

/** As Apollo copies the context value for each operation. */
function cloneObject<T extends object>(object: T): T {
  return Object.assign(Object.create(Object.getPrototypeOf(object) as object | null) as T, object);
}

type CachePolicy = GraphQLRequestContext<BaseContext>['overallCachePolicy'];
type CacheHint = Parameters<CachePolicy['restrict']>[0];

/** Apollo's initial cache policy (the cache-control plugin is disabled on the gateway, so nothing narrows it). */
function newCachePolicy(): CachePolicy {
  return {
    maxAge: undefined,
    scope: undefined,
    restrict(hint: CacheHint) {
      if (hint.maxAge !== undefined && (this.maxAge === undefined || hint.maxAge < this.maxAge)) this.maxAge = hint.maxAge;
      if (hint.scope !== undefined && this.scope !== 'PRIVATE') this.scope = hint.scope;
    },
    replace(hint: CacheHint) {
      if (hint.maxAge !== undefined) this.maxAge = hint.maxAge;
      if (hint.scope !== undefined) this.scope = hint.scope;
    },
    policyIfCacheable() {
      if (this.maxAge === undefined || this.maxAge === 0) return null;
      return { maxAge: this.maxAge, scope: this.scope ?? 'PUBLIC' };
    },
  };
}
