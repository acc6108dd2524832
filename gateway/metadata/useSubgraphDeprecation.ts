import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { SubgraphVersion } from '../../platform/subgraph/index.js';

const epochSeconds = (day: string) => Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000);

/**
 * A deprecated subgraph version deprecates every field it serves, so every response says so:
 * `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and `Link` to the successor version.
 * The deprecation date is unknown for a whole version, so `Deprecation` is `?1` (deprecated, no date).
 */
export function useSubgraphDeprecation(subgraph: SubgraphVersion): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (subgraph.status.kind !== 'deprecated') return;
          response.http.headers.set('deprecation', '?1');
          response.http.headers.set('sunset', new Date(epochSeconds(subgraph.status.sunset) * 1000).toUTCString());
          response.http.headers.set('link', `</subgraphs/${subgraph.status.replacement}>; rel="successor-version"`);
        },
      };
    },
  };
}
