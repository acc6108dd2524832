import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { createLimitsVerdicts } from './createLimitsVerdicts.js';
import type { QueryLimits } from './QueryLimits.js';

/**
 * Refuses a request over its caller's limits before it executes. `didResolveOperation` is the
 * first hook with the validated document, the chosen operation and the variables; Apollo 5 turns
 * an error thrown there into the response (`sendErrorResponse` in its request pipeline), with the
 * HTTP status from the error's `extensions.http`, and never starts execution. Apollo answers one
 * thrown error, so the first is thrown: the cheapest limit that refused.
 *
 * Give Apollo `parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS }` as well: this hook runs after
 * validation, so only the parser can stop a huge document before validation walks it.
 *
 * A document and variables that passed are remembered (see createLimitsVerdicts): the same
 * request again is not walked again.
 */
export function useQueryLimits<TContext extends BaseContext>(limitsFor: (contextValue: TContext) => QueryLimits): ApolloServerPlugin<TContext> {
  const checkQueryLimits = createLimitsVerdicts();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          // No operation by that name: execution refuses the request on its own, running nothing.
          if (!operation) return;
          const [first] = checkQueryLimits({ schema, document, operation, variables: request.variables, limits: limitsFor(contextValue) });
          if (first) throw first;
        },
      };
    },
  };
}
