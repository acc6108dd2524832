import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Queryable } from '../../platform/database/index.js';
import type { SubgraphVersion } from '../../platform/subgraph/index.js';
import { validateRowScope } from '../../platform/subgraph/index.js';
import { fulfillmentTopicLineage } from './fulfillmentTopicLineage.js';
import type { ShipmentTrackingLoaders } from './projections/createShipmentTrackingLoaders.js';
import { createShipmentTrackingLoaders } from './projections/createShipmentTrackingLoaders.js';
import { fulfillmentV1Resolvers } from './v1/resolvers.js';

const ID = 'fulfillment/v1';
const sdl = readFileSync(new URL('./v1/schema.graphql', import.meta.url), 'utf8');

/**
 * fulfillment/v1 over the shipment tracking projection. It declares no row scope: a partner
 * contract cannot use it (yet), and `createContext` refuses any scope it is given.
 */
export const fulfillmentV1Subgraph: SubgraphVersion<ShipmentTrackingLoaders> = {
  id: ID,
  context: 'fulfillment',
  version: 1,
  status: { kind: 'active' },
  sdl,
  schema: makeExecutableSchema({ typeDefs: sdl, resolvers: fulfillmentV1Resolvers }),
  topics: fulfillmentTopicLineage,
  rowScopes: {},
  createContext: (db: Queryable, schemaName: string, options) => {
    validateRowScope(ID, {}, options?.rowScope);
    return createShipmentTrackingLoaders(db, schemaName);
  },
};
