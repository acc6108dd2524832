import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { CompiledContract } from '../contracts/index.js';
import type { Selection } from './collectSelection.js';
import { collectSelection } from './collectSelection.js';

/**
 * A response plugin that runs `handle` with what the executed operation selected (coordinates
 * and response paths, `@skip`/`@include` applied with the request's variables). Requests that
 * never reached execution (parse or validation errors) are left alone.
 */
export function onSelectedFields(contract: CompiledContract, handle: (selection: Selection, requestContext: GraphQLRequestContextWillSendResponse<BaseContext>) => Promise<void> | void): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(requestContext) {
          const { document, operation } = requestContext;
          if (!document || !operation) return;
          // A handler that returns nothing is not awaited: no promise on every response for it.
          const handled = handle(collectSelection(contract.schema, document, operation, requestContext.request.variables), requestContext);
          if (handled) await handled;
        },
      };
    },
  };
}
