import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { CompiledContract } from '../contracts/index.js';
import { collectSelectedFields } from './collectSelectedFields.js';

/**
 * A response plugin that runs `handle` with the coordinates the executed operation selected.
 * Requests that never reached execution (parse or validation errors) are left alone.
 */
export function onSelectedFields(contract: CompiledContract, handle: (coordinates: string[], requestContext: GraphQLRequestContextWillSendResponse<BaseContext>) => Promise<void> | void): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(requestContext) {
          const { document, operation } = requestContext;
          if (!document || !operation) return;
          await handle(collectSelectedFields(contract.schema, document, operation), requestContext);
        },
      };
    },
  };
}
