import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { checkedIds, dateTimeScalar } from '../../../platform/subgraph/index.js';
import { decodeOrderChangeCursor } from '../projections/orderChangeCursor.js';
import type { CancellationReason, OrderLifecycleState, Resolvers, SalesChannel } from './generated/resolvers.js';

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

// A string in and out: what a cursor means is checked where it is used (orderChanges), so the
// check holds however the field is reached (this schema, or a contract calling its resolver).
const asCursorString = (value: unknown): string => {
  if (typeof value !== 'string') throw badInput(`A Cursor is a string received as endCursor, not ${JSON.stringify(value)}.`);
  return value;
};
const Cursor = new GraphQLScalarType<string, string>({
  name: 'Cursor',
  description: 'Opaque position in the order change feed: pass back an `endCursor` received, never build one.',
  serialize: asCursorString,
  parseValue: asCursorString,
  parseLiteral: (ast) => asCursorString(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** Upper bound of `orderChanges(first)`: one page is one statement, and its memory. */
const MAX_CHANGES_PAGE = 1000;

const upper = <T extends string>(value: string) => value.toUpperCase() as T;

/** v2: explicit lifecycle, exact money with currency. Enum values are returned as their names. */
export const ordersV2Resolvers: Resolvers = {
  DateTime: dateTimeScalar,
  Cursor,
  Query: {
    order: (_root, { orderId }, loaders) => loaders.orderById.load(orderId),
    orders: (_root, { first, after }, loaders) => loaders.listOrders(first, after ?? null),
    ordersByIds: (_root, { orderIds }, loaders) => loaders.orderById.loadMany(checkedIds('ordersByIds(orderIds)', orderIds)).then((orders) => orders.map((o) => (o instanceof Error ? null : o))),
    orderChanges: async (_root, { since, first }, loaders) => {
      if (!Number.isInteger(first) || first < 0 || first > MAX_CHANGES_PAGE) throw badInput(`orderChanges(first) takes 0 to ${MAX_CHANGES_PAGE} orders per page, received ${first}.`);
      const cursor = since === null || since === undefined ? null : String(since);
      const position = cursor === null ? null : decodeOrderChangeCursor(cursor);
      if (cursor !== null && position === null) throw badInput('orderChanges(since) is not a cursor this feed issued: pass an endCursor received from orderChanges, or null to start from the beginning.');
      const page = await loaders.orderChanges(first, position);
      return { orders: page.orders, endCursor: page.endCursor ?? cursor, hasMore: page.hasMore };
    },
  },
  Order: {
    salesChannel: (order) => upper<SalesChannel>(order.salesChannel),
    lifecycleState: (order) => upper<OrderLifecycleState>(order.lifecycleState),
    cancellationReason: (order) => (order.cancellationReason ? upper<CancellationReason>(order.cancellationReason) : null),
    orderTotal: (order) => ({ amount: order.orderTotalAmount, currency: order.currency }),
    lines: (order, _args, loaders) => loaders.linesByOrderId.load(order.orderId),
    statusHistory: (order, _args, loaders) => loaders.statusHistoryByOrderId.load(order.orderId),
    sourceSystem: (order, _args, loaders) => loaders.sourceSystemByOrderId.load(order.orderId),
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
