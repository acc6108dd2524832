import type { ContextModule } from '../../platform/context/index.js';
import { fulfillmentV1Subgraph } from './createFulfillmentSubgraph.js';
import { fulfillmentContext } from './fulfillmentContext.js';

/** The fulfillment context as the composition root sees it. */
export const fulfillmentContextModule: ContextModule = {
  name: 'fulfillment',
  owner: 'warehouse-operations',
  description: 'Shipments as the warehouses created, picked, dispatched, delivered and cancelled them, and orders released to the warehouse by the legacy OMS.',
  ingestion: fulfillmentContext,
  subgraphs: [fulfillmentV1Subgraph],
};
