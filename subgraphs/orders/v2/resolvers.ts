import { GraphQLScalarType, Kind } from 'graphql';
import type { CancellationReason, OrderLifecycleState, Resolvers, SalesChannel } from './generated/resolvers.js';

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'RFC 3339 timestamp, UTC, milliseconds.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: (value) => new Date(String(value)),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? new Date(ast.value) : null),
});

const upper = <T extends string>(value: string) => value.toUpperCase() as T;

/** v2: explicit lifecycle, exact money with currency. Enum values are returned as their names. */
export const ordersV2Resolvers: Resolvers = {
  DateTime,
  Query: {
    order: (_root, { orderId }, loaders) => loaders.orderById.load(orderId),
    orders: (_root, { first, after }, loaders) => loaders.listOrders(first, after ?? null),
    ordersByIds: (_root, { orderIds }, loaders) => loaders.orderById.loadMany(orderIds).then((orders) => orders.map((o) => (o instanceof Error ? null : o))),
  },
  Order: {
    salesChannel: (order) => upper<SalesChannel>(order.salesChannel),
    lifecycleState: (order) => upper<OrderLifecycleState>(order.lifecycleState),
    cancellationReason: (order) => (order.cancellationReason ? upper<CancellationReason>(order.cancellationReason) : null),
    orderTotal: (order) => ({ amount: order.orderTotalAmount, currency: order.currency }),
    lines: (order, _args, loaders) => loaders.linesByOrderId.load(order.orderId),
    statusHistory: (order, _args, loaders) => loaders.statusHistoryByOrderId.load(order.orderId),
  },
  OrderLine: {
    unitPrice: (line) => ({ amount: line.unitPrice, currency: line.currency }),
    lineAmount: (line) => ({ amount: line.lineAmount, currency: line.currency }),
  },
  OrderStatusChange: {
    lifecycleState: (change) => upper<OrderLifecycleState>(change.lifecycleState),
    cancellationReason: (change) => (change.cancellationReason ? upper<CancellationReason>(change.cancellationReason) : null),
  },
};
