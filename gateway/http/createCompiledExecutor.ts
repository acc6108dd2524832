import type { GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import { getVariableValues, GraphQLError, printSchema } from 'graphql';
import type { CompiledQuery } from 'graphql-jit';
import { compileQuery, isCompiledQuery } from 'graphql-jit';

export interface CompiledExecutorOptions {
  /** Compiled operations kept (least recently used dropped). Default 500. */
  maxOperations?: number;
  /**
   * Answers an operation without field execution when it can (contract reads compiled to SQL),
   * given the request and its coerced variables; null runs the compiled operation. Called after
   * the variables coerced, so their errors stay graphql-js's. Default: none.
   */
  shortcut?: (requestContext: GatewayGraphQLRequestContext, variables: Readonly<Record<string, unknown>>) => Promise<ExecutionResult | null>;
}

/**
 * Executes operations with graphql-jit instead of graphql-js: each operation is compiled once to
 * a function, which removes most of graphql-js's per-field interpretation cost on large lists
 * (see bench/results/query.md). It plugs into Apollo Server through its documented gateway
 * interface, so parsing, validation, plugins and HTTP handling stay Apollo's.
 */
export function createCompiledExecutor(schema: GraphQLSchema, options: CompiledExecutorOptions = {}): GatewayInterface {
  const maxOperations = options.maxOperations ?? 500;
  const compiled = new Map<string, CompiledQuery>();
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async load() {
      return {
        executor: async (requestContext) => {
          // Apollo hands a gateway executor requests whose operation it could not resolve.
          if (!requestContext.operation) {
            return { errors: [new GraphQLError(`Unknown operation${requestContext.operationName ? ` named "${requestContext.operationName}"` : ''}: send an operationName the document defines.`, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } })] };
          }
          const key = `${requestContext.queryHash}:${requestContext.operationName ?? ''}`;
          let query = compiled.get(key);
          if (!query) {
            const result = compileQuery(schema, requestContext.document, requestContext.operationName ?? undefined);
            if (!isCompiledQuery(result)) return withProperErrors(result);
            query = result;
            if (compiled.size >= maxOperations) compiled.delete(compiled.keys().next().value!);
          } else compiled.delete(key); // re-insert below: most recently used last
          compiled.set(key, query);
          const variables = requestContext.request.variables ?? {};
          // Coerce with graphql-js first: its errors carry the variable's node, which Apollo turns
          // into BAD_USER_INPUT and HTTP 400, exactly as on its own execution path.
          const coerced = getVariableValues(schema, requestContext.operation.variableDefinitions ?? [], variables);
          if (coerced.errors) return { errors: coerced.errors };
          const answered = options.shortcut ? await options.shortcut(requestContext, coerced.coerced) : null;
          if (answered) return answered;
          return withProperErrors(await query.query(undefined, requestContext.context, variables));
        },
      };
    },
    async stop() {
      compiled.clear();
    },
  };
}

/**
 * graphql-jit's errors are GraphQLErrors without `extensions` (undefined, where graphql-js always
 * has an object), which made Apollo's error normaliser fail before `formatError` ran: the client
 * got a bare 500 and nothing was logged. Rebuild them as graphql-js errors, keeping message, path,
 * locations, the original error and its extensions (a resolver's BAD_USER_INPUT keeps its code).
 */
function withProperErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    const original = error.originalError ?? undefined;
    const extensions = error.extensions ?? (original instanceof GraphQLError ? original.extensions : undefined);
    const rebuilt = new GraphQLError(error.message, { path: error.path, originalError: original, extensions: extensions ?? {} });
    if (error.locations) Object.defineProperty(rebuilt, 'locations', { value: error.locations, enumerable: true });
    return rebuilt;
  });
  return { ...result, errors };
}
