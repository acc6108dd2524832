import { checkedIds } from '../../../platform/subgraph/index.js';
import type { Resolvers } from './generated/resolvers.js';

/** v1 keeps its historical shape: one overloaded status string, money as floats. */
export const ordersV1Resolvers: Resolvers = {
  Query: {
    order: (_root, { orderId }, loaders) => loaders.orderById.load(orderId),
    orders: (_root, { first, after }, loaders) => loaders.listOrders(first, after ?? null),
    ordersByIds: (_root, { orderIds }, loaders) => loaders.orderById.loadMany(checkedIds('ordersByIds(orderIds)', orderIds)).then((orders) => orders.map((o) => (o instanceof Error ? null : o))),
  },
  Order: {
    status: (order) => order.lifecycleState.toUpperCase(),
    total: (order) => Number(order.orderTotalAmount),
    placedAt: (order) => order.placedAt.toISOString(),
    lines: (order, _args, loaders) => loaders.linesByOrderId.load(order.orderId),
  },
  OrderLine: {
    unitPrice: (line) => Number(line.unitPrice),
  },
};
