import { describe, expect, it } from 'vitest';
import { decodeShipmentRecord } from '../events/decodeShipmentRecord.js';
import type { FulfillmentEvent, OrderReleasedToWarehouse } from '../events/FulfillmentEvent.js';
import { FULFILLMENT_EVENTS_TOPIC } from '../events/FulfillmentEvent.js';
import { cancelled, created, delivered, dispatched, eventTime, logRecord, picked } from '../testing/shipmentEvents.js';
import type { ShipmentTrackingState } from './shipmentTrackingProjection.js';
import { evolveShipmentTracking } from './shipmentTrackingProjection.js';

type Input = { key: string; value: string } | FulfillmentEvent;
const decode = (input: Input): FulfillmentEvent => {
  if ('type' in input) return input;
  const result = decodeShipmentRecord(logRecord(FULFILLMENT_EVENTS_TOPIC, input.key, input.value));
  if (result.kind !== 'events') throw new Error(JSON.stringify(result));
  return result.events[0]!;
};
const released = (orderId: string, at = eventTime(0)): OrderReleasedToWarehouse => ({
  eventId: `rel-${orderId}`, type: 'OrderReleasedToWarehouse', schemaVersion: 1, aggregateId: orderId, sequence: 1, occurredAt: at, producedAt: at, correlationId: orderId, causationId: null, source: 'legacy-oms', data: { orderId },
});

/** Given these events of one aggregate, when evolved in order, then this state, or the first rejection's reason. */
const given = (...inputs: Input[]) =>
  inputs.map(decode).reduce<ShipmentTrackingState | string | undefined>((state, event) => {
    if (typeof state === 'string') return state;
    const next = evolveShipmentTracking(state, event);
    return 'rejection' in next ? `${next.rejection.code}: ${next.rejection.reason}` : next.state;
  }, undefined);
const shipmentOf = (state: ReturnType<typeof given>) => {
  if (typeof state !== 'object' || state.kind !== 'shipment') throw new Error(`expected a shipment, got ${JSON.stringify(state)}`);
  return state;
};

describe('shipment tracking: evolve', () => {
  it('given a shipment created, picked, dispatched and delivered, then every transition keeps its event time', () => {
    const state = shipmentOf(given(created('shp-1'), picked('shp-1', 2), dispatched('shp-1', 3, 'colissimo'), delivered('shp-1', 4, 'Grace Hopper')));
    expect(state.shipment).toMatchObject({
      shipmentId: 'shp-1', orderId: 'ord-1', warehouseId: 'wh-lyon', wave: '2026-01-02-W1', shipmentStatus: 'delivered',
      carrier: 'colissimo', trackingNumber: 'TRK-shp-1', signedBy: 'Grace Hopper', shipToCity: 'Lyon', shipToCountry: 'FR',
      createdAt: eventTime(1), pickedAt: eventTime(2), dispatchedAt: eventTime(3), deliveredAt: eventTime(4), cancelledAt: null, cancellationReason: null,
      lastSequence: 4, lastEventOccurredAt: eventTime(4),
    });
    expect(state.newLines).toEqual([{ shipmentId: 'shp-1', lineId: '1', sku: 'SKU-KETTLE-01', quantity: 2 }]);
    expect(state.newHistory.map((h) => [h.sequence, h.shipmentStatus, h.occurredAt])).toEqual([[1, 'created', eventTime(1)], [2, 'picked', eventTime(2)], [3, 'dispatched', eventTime(3)], [4, 'delivered', eventTime(4)]]);
  });

  it('given a cancellation before dispatch (from created or from picked), then the shipment is cancelled with its reason and time', () => {
    expect(shipmentOf(given(created('shp-1'), cancelled('shp-1', 2, 'address_invalid'))).shipment).toMatchObject({ shipmentStatus: 'cancelled', cancelledAt: eventTime(2), cancellationReason: 'address_invalid', pickedAt: null });
    expect(shipmentOf(given(created('shp-1'), picked('shp-1', 2), cancelled('shp-1', 3, 'order_cancelled'))).shipment).toMatchObject({ shipmentStatus: 'cancelled', pickedAt: eventTime(2), cancelledAt: eventTime(3), cancellationReason: 'order_cancelled' });
  });

  it('given split shipments of one order from two warehouses, then each is its own aggregate, with its own lines', () => {
    const lyon = shipmentOf(given(created('shp-7-1', 'ord-7', { lines: [{ lineId: '1', sku: 'SKU-KETTLE-01', quantity: 1 }] }), picked('shp-7-1', 2)));
    const leeds = shipmentOf(given(created('shp-7-2', 'ord-7', { warehouseId: 'wh-leeds', lines: [{ lineId: '2', sku: 'SKU-MUG-02', quantity: 4 }, { lineId: '3', sku: 'SKU-TEA-03', quantity: 1 }] })));
    expect([lyon.shipment.orderId, lyon.shipment.warehouseId, lyon.shipment.shipmentStatus]).toEqual(['ord-7', 'wh-lyon', 'picked']);
    expect([leeds.shipment.orderId, leeds.shipment.warehouseId, leeds.shipment.shipmentStatus]).toEqual(['ord-7', 'wh-leeds', 'created']);
    expect(leeds.newLines.map((l) => [l.lineId, l.quantity])).toEqual([['2', 4], ['3', 1]]);
  });

  it('given a line the order may not have, or an order not known anywhere, then the shipment is still created (not impossible)', () => {
    expect(shipmentOf(given(created('shp-9', 'ord-never-seen', { lines: [{ lineId: '99', sku: 'SKU-X', quantity: 1 }] }))).newLines).toEqual([{ shipmentId: 'shp-9', lineId: '99', sku: 'SKU-X', quantity: 1 }]);
  });

  it('given an order released to the warehouse, then its release is kept with its event time and source', () => {
    expect(given(released('ord-1', eventTime(5)))).toEqual({ kind: 'orderRelease', release: { orderId: 'ord-1', releasedAt: eventTime(5), source: 'legacy-oms' } });
  });

  describe('quarantines every impossible case with its reason', () => {
    it('a first event other than ShipmentCreated', () => {
      expect(given(picked('shp-1', 1))).toBe('IMPOSSIBLE_TRANSITION: ShipmentPicked #1 for shp-1 before its ShipmentCreated: a shipment\'s first event is ShipmentCreated');
      expect(given(dispatched('shp-1', 1))).toMatch(/^IMPOSSIBLE_TRANSITION: ShipmentDispatched #1 for shp-1 before its ShipmentCreated/);
    });
    it('ShipmentCreated twice', () => {
      expect(given(created('shp-1'), { ...created('shp-1'), value: JSON.stringify({ ...JSON.parse(created('shp-1').value), sequence: 2 }) })).toBe(
        `IMPOSSIBLE_TRANSITION: ShipmentCreated #2 for shp-1, which was already created at ${eventTime(1)} (status created)`,
      );
    });
    it('ShipmentDispatched before ShipmentPicked', () => {
      expect(given(created('shp-1'), dispatched('shp-1', 2))).toBe(`IMPOSSIBLE_TRANSITION: ShipmentDispatched #2 for shp-1 before ShipmentPicked: a shipment is picked before it is dispatched (created at ${eventTime(1)})`);
    });
    it('ShipmentDelivered before ShipmentDispatched', () => {
      expect(given(created('shp-1'), delivered('shp-1', 2))).toMatch(/^IMPOSSIBLE_TRANSITION: ShipmentDelivered #2 for shp-1 before ShipmentDispatched: a shipment is dispatched before it is delivered \(status created/);
      expect(given(created('shp-1'), picked('shp-1', 2), delivered('shp-1', 3))).toBe(`IMPOSSIBLE_TRANSITION: ShipmentDelivered #3 for shp-1 before ShipmentDispatched: a shipment is dispatched before it is delivered (status picked, ShipmentPicked at ${eventTime(2)})`);
    });
    it('ShipmentCancelled after dispatch', () => {
      expect(given(created('shp-1'), picked('shp-1', 2), dispatched('shp-1', 3), cancelled('shp-1', 4))).toBe(`IMPOSSIBLE_TRANSITION: ShipmentCancelled #4 for shp-1 after ShipmentDispatched at ${eventTime(3)}: a shipment can be cancelled only before dispatch`);
    });
    it('anything after ShipmentDelivered', () => {
      const deliveredShipment = [created('shp-1'), picked('shp-1', 2), dispatched('shp-1', 3), delivered('shp-1', 4)];
      expect(given(...deliveredShipment, cancelled('shp-1', 5))).toBe(`IMPOSSIBLE_TRANSITION: ShipmentCancelled #5 for shp-1 after ShipmentDelivered at ${eventTime(4)}: a delivered shipment takes no further events`);
      expect(given(...deliveredShipment, delivered('shp-1', 5))).toMatch(/^IMPOSSIBLE_TRANSITION: ShipmentDelivered #5 for shp-1 after ShipmentDelivered at .*: a delivered shipment takes no further events$/);
      expect(given(...deliveredShipment, picked('shp-1', 5))).toMatch(/after ShipmentDelivered/);
    });
    it('anything after ShipmentCancelled', () => {
      expect(given(created('shp-1'), cancelled('shp-1', 2), picked('shp-1', 3))).toBe(`IMPOSSIBLE_TRANSITION: ShipmentPicked #3 for shp-1 after ShipmentCancelled at ${eventTime(2)}: a cancelled shipment takes no further events`);
      expect(given(created('shp-1'), cancelled('shp-1', 2), dispatched('shp-1', 3))).toMatch(/after ShipmentCancelled/);
      expect(given(created('shp-1'), cancelled('shp-1', 2), cancelled('shp-1', 3))).toMatch(/after ShipmentCancelled/);
    });
    it('a step taken twice, or backwards', () => {
      expect(given(created('shp-1'), picked('shp-1', 2), picked('shp-1', 3))).toBe(`IMPOSSIBLE_TRANSITION: ShipmentPicked #3 for shp-1, already picked (ShipmentPicked at ${eventTime(2)}): a shipment is picked once, before dispatch`);
      expect(given(created('shp-1'), picked('shp-1', 2), dispatched('shp-1', 3), dispatched('shp-1', 4))).toMatch(/ShipmentDispatched #4 for shp-1, already dispatched/);
      expect(given(created('shp-1'), picked('shp-1', 2), dispatched('shp-1', 3), picked('shp-1', 4))).toMatch(/ShipmentPicked #4 for shp-1, already dispatched/);
    });
    it('a release of an order released already, and ids of one kind used by the other', () => {
      expect(given(released('ord-1'), { ...released('ord-1'), eventId: 'other', sequence: 2 })).toMatch(/^IMPOSSIBLE_TRANSITION: OrderReleasedToWarehouse #2 for ord-1, already released to the warehouse at .*: an order is released once$/);
      expect(given(created('shp-1'), released('shp-1'))).toBe('IMPOSSIBLE_TRANSITION: OrderReleasedToWarehouse #1 for shp-1: shp-1 is a shipment (of order ord-1), not an order');
      expect(given(released('ord-1'), created('ord-1'))).toMatch(/^IMPOSSIBLE_TRANSITION: ShipmentCreated #1 for ord-1: that id is an order released to the warehouse/);
    });
    it('and never quotes personal data', () => {
      const reason = given(created('shp-1'), picked('shp-1', 2), dispatched('shp-1', 3), delivered('shp-1', 4, 'Grace Hopper'), delivered('shp-1', 5, 'Grace Hopper'));
      expect(reason).not.toMatch(/Grace|Ada|Lyon|République/);
    });
  });
});
