import type { RowScope, RowScopeDimension } from '../../platform/subgraph/index.js';
import type { SalesChannel } from './events/OrderEvent.js';
import type { OrderTimelineLoaderOptions } from './projections/createOrderTimelineLoaders.js';

/** Schema value (the v2 `SalesChannel` enum) → the projection's value: the one mapping of the two. */
const SALES_CHANNEL_OF = { WEB: 'web', STORE: 'store', MARKETPLACE: 'marketplace' } as const satisfies Record<string, SalesChannel>;
type SalesChannelName = keyof typeof SALES_CHANNEL_OF;

/** What every read of an orders subgraph version can be restricted by (both versions read one projection). */
export const ordersRowScopes: Readonly<Record<string, RowScopeDimension>> = {
  salesChannel: {
    description: 'The channel the order was placed through (Order.salesChannel in orders/v2). Order lines, status history and the change feed follow their order.',
    values: Object.keys(SALES_CHANNEL_OF),
  },
};

/** The loaders' restriction for a row scope already checked against `ordersRowScopes`. */
export function ordersLoaderOptions(rowScope: RowScope | null): OrderTimelineLoaderOptions {
  const channels = rowScope?.salesChannel;
  return { salesChannels: channels ? channels.map((name) => SALES_CHANNEL_OF[name as SalesChannelName]) : null };
}
