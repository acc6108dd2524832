import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import type { Carrier, Resolvers, ShipmentCancellationReason, ShipmentStatus } from './generated/resolvers.js';

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'RFC 3339 timestamp, UTC, milliseconds.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: (value) => new Date(String(value)),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? new Date(ast.value) : null),
});

/** Upper bound of the ids of one batch lookup: each is one statement per table, and its memory. */
export const MAX_IDS_PER_LOOKUP = 1000;

function checkedIds(field: string, ids: readonly string[]): readonly string[] {
  if (ids.length > MAX_IDS_PER_LOOKUP) throw new GraphQLError(`${field} takes at most ${MAX_IDS_PER_LOOKUP} ids per request, received ${ids.length}; split the batch.`, { extensions: { code: 'BAD_USER_INPUT' } });
  return ids;
}

/** Longest window of event time one `...Between` lookup may span: a month of business dates. */
const MAX_WINDOW_DAYS = 31;
const DAY_MS = 86_400_000;

/** The [from, until) window of a lookup by event time, or a precise refusal. */
function checkedWindow(field: string, from: Date | string, until: Date | string): { from: Date; until: Date } {
  const window = { from: new Date(from), until: new Date(until) };
  for (const [name, value] of Object.entries(window)) {
    if (Number.isNaN(value.getTime())) throw new GraphQLError(`${field}(${name}) must be an RFC 3339 timestamp such as 2026-11-02T00:00:00.000Z.`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const span = window.until.getTime() - window.from.getTime();
  if (span < 0) throw new GraphQLError(`${field} takes a window [from, until) with until not before from, received from ${window.from.toISOString()} and until ${window.until.toISOString()}.`, { extensions: { code: 'BAD_USER_INPUT' } });
  if (span > MAX_WINDOW_DAYS * DAY_MS) throw new GraphQLError(`${field} spans at most ${MAX_WINDOW_DAYS} days, received ${window.from.toISOString()} to ${window.until.toISOString()}; split the window.`, { extensions: { code: 'BAD_USER_INPUT' } });
  return window;
}

const upper = <T extends string>(value: string) => value.toUpperCase() as T;

/** fulfillment/v1. Enum values are returned as their names; times as event times. */
export const fulfillmentV1Resolvers: Resolvers = {
  DateTime,
  Query: {
    shipment: (_root, { shipmentId }, loaders) => loaders.shipmentById.load(shipmentId),
    shipmentsByIds: async (_root, { shipmentIds }, loaders) =>
      (await loaders.shipmentById.loadMany(checkedIds('shipmentsByIds(shipmentIds)', shipmentIds))).map((s) => {
        if (s instanceof Error) throw s;
        return s;
      }),
    fulfillmentByOrderIds: (_root, { orderIds }) => checkedIds('fulfillmentByOrderIds(orderIds)', orderIds).map((orderId) => ({ orderId })),
    orderIdsDispatchedBetween: (_root, args, loaders) => {
      const { from, until } = checkedWindow('orderIdsDispatchedBetween', args.from, args.until);
      return loaders.orderIdsDispatchedBetween(from, until);
    },
  },
  OrderFulfillment: {
    releasedToWarehouseAt: async (order, _args, loaders) => (await loaders.releaseByOrderId.load(order.orderId))?.releasedAt ?? null,
    shipments: (order, _args, loaders) => loaders.shipmentsByOrderId.load(order.orderId),
  },
  Shipment: {
    shipmentStatus: (shipment) => upper<ShipmentStatus>(shipment.shipmentStatus),
    carrier: (shipment) => (shipment.carrier ? upper<Carrier>(shipment.carrier) : null),
    cancellationReason: (shipment) => (shipment.cancellationReason ? upper<ShipmentCancellationReason>(shipment.cancellationReason) : null),
    shipTo: (shipment) => ({ name: shipment.shipToName, line1: shipment.shipToLine1, city: shipment.shipToCity, postalCode: shipment.shipToPostalCode, country: shipment.shipToCountry }),
    lines: (shipment, _args, loaders) => loaders.linesByShipmentId.load(shipment.shipmentId),
    statusHistory: (shipment, _args, loaders) => loaders.statusHistoryByShipmentId.load(shipment.shipmentId),
  },
  ShipmentStatusChange: {
    shipmentStatus: (change) => upper<ShipmentStatus>(change.shipmentStatus),
  },
};
