import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { describeDependencyOutage } from './describeDependencyOutage.js';

/**
 * An answer that failed, in whole or in part, because a dependency is down is sent as HTTP 503
 * with `Retry-After`: retrying later helps, and proxies and clients know 503 means exactly that.
 * (The errors themselves are formatted by formatGatewayError as DEPENDENCY_UNAVAILABLE.)
 */
export function useDependencyOutages(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ errors, response }) {
          const outage = errors?.map((error) => describeDependencyOutage(error)).find((o) => o !== null);
          if (!outage) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(outage.retryAfterSeconds));
        },
      };
    },
  };
}
