import type { ContextModule } from '../../platform/context/index.js';
import { ordersV1Subgraph, ordersV2Subgraph } from './createOrdersSubgraph.js';
import { ordersContext } from './ordersContext.js';

/** The orders context as the composition root sees it. */
export const ordersContextModule: ContextModule = {
  name: 'orders',
  owner: 'order-management',
  description: 'Orders as customers placed, amended, confirmed and cancelled them, from the storefronts and the legacy OMS.',
  ingestion: ordersContext,
  subgraphs: [ordersV1Subgraph, ordersV2Subgraph],
};
