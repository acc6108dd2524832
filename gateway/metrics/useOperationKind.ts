import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { noteOperation } from '../errors/index.js';

/** Notes each GraphQL request's operation type in its request scope, for `dpg_http_requests_total{operation}`. */
export function useOperationKind<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation) noteOperation(operation.operation);
        },
      };
    },
  };
}
