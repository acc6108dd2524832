import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Queryable } from '../../platform/database/index.js';
import type { ChangeFeedRowsRequest, RowReadRequest, SubgraphContextOptions, SubgraphStatus, SubgraphVersion } from '../../platform/subgraph/index.js';
import { validateRowScope } from '../../platform/subgraph/index.js';
import type { OrderTimelineLoaders } from './projections/createOrderTimelineLoaders.js';
import { createOrderTimelineLoaders } from './projections/createOrderTimelineLoaders.js';
import { ordersLoaderOptions, ordersRowScopes } from './ordersRowScopes.js';
import { planOrderChangeRows } from './projections/planOrderChangeRows.js';
import { ORDER_ROW_READ_FIELDS, planOrderRowReads } from './projections/planOrderRowReads.js';
import { ordersTopicLineage } from './ordersTopicLineage.js';
import { ordersV1Resolvers } from './v1/resolvers.js';
import { ordersV2Resolvers } from './v2/resolvers.js';

const sdlOf = (version: string) => readFileSync(new URL(`./${version}/schema.graphql`, import.meta.url), 'utf8');

function subgraph(version: number, resolvers: Parameters<typeof makeExecutableSchema>[0]['resolvers'], status: SubgraphStatus, withChangeFeedRows = false): SubgraphVersion<OrderTimelineLoaders> {
  const sdl = sdlOf(`v${version}`);
  const id = `orders/v${version}`;
  return {
    id,
    context: 'orders',
    version,
    status,
    sdl,
    schema: makeExecutableSchema({ typeDefs: sdl, resolvers }),
    topics: ordersTopicLineage,
    rowScopes: ordersRowScopes,
    createContext: (db: Queryable, schemaName: string, options?: SubgraphContextOptions) =>
      createOrderTimelineLoaders(db, schemaName, ordersLoaderOptions(validateRowScope(id, ordersRowScopes, options?.rowScope))),
    ...(withChangeFeedRows
      ? {
          changeFeedRows: {
            rootField: 'Query.orderChanges',
            nodesField: 'OrderChangePage.orders',
            plan: (request: Omit<ChangeFeedRowsRequest, 'since' | 'first'>) => planOrderChangeRows(request, ordersLoaderOptions(validateRowScope(id, ordersRowScopes, request.rowScope)).salesChannels ?? null),
          },
          // The root reads, planned over v2's fields (and v1's where a contract mixes them, one record).
          rowReads: {
            rootFields: ORDER_ROW_READ_FIELDS,
            plan: (request: RowReadRequest) => planOrderRowReads(request, (rowScope) => ordersLoaderOptions(validateRowScope(id, ordersRowScopes, rowScope)).salesChannels ?? null),
          },
        }
      : {}),
  };
}

/** Both versions read the same projection: v1's meaning is unchanged where it overlaps v2. */
export const ordersV1Subgraph = subgraph(1, ordersV1Resolvers, {
  kind: 'deprecated',
  reason: 'v1 overloads the lifecycle into a status string and reports money as floats.',
  sunset: '2027-06-30',
  replacement: 'orders/v2',
});
export const ordersV2Subgraph = subgraph(2, ordersV2Resolvers, { kind: 'active' }, true);
