import { checkedIds, checkedTimeWindow, dateTimeScalar } from '../../../platform/subgraph/index.js';
import type { Carrier, Resolvers, ShipmentCancellationReason, ShipmentStatus } from './generated/resolvers.js';

const upper = <T extends string>(value: string) => value.toUpperCase() as T;

/** fulfillment/v1. Enum values are returned as their names; times as event times. */
export const fulfillmentV1Resolvers: Resolvers = {
  DateTime: dateTimeScalar,
  Query: {
    shipment: (_root, { shipmentId }, loaders) => loaders.shipmentById.load(shipmentId),
    shipmentsByIds: async (_root, { shipmentIds }, loaders) =>
      (await loaders.shipmentById.loadMany(checkedIds('shipmentsByIds(shipmentIds)', shipmentIds))).map((s) => {
        if (s instanceof Error) throw s;
        return s;
      }),
    fulfillmentByOrderIds: (_root, { orderIds }) => checkedIds('fulfillmentByOrderIds(orderIds)', orderIds).map((orderId) => ({ orderId })),
    orderIdsDispatchedBetween: (_root, args, loaders) => {
      const { from, until } = checkedTimeWindow('orderIdsDispatchedBetween', args.from, args.until);
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
