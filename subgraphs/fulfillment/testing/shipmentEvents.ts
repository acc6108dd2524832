import type { LogRecord } from '../../../platform/eventLog/index.js';
import type { ShipmentEventType } from '../events/FulfillmentEvent.js';

// Hand-written inputs for this context's specs, in the producers' formats. Not part of the
// context's public surface.

let counter = 0;
/** Event time of a spec's event: 2026-01-02 10:00 plus `sequence` minutes, so transitions are apart. */
export const eventTime = (sequence: number): string => new Date(Date.UTC(2026, 0, 2, 10, sequence)).toISOString();

/** A `fulfillment.events.v1` record as the warehouse publishes it. */
export function shipmentEvent(shipmentId: string, sequence: number, type: ShipmentEventType | 'ShipmentTeleported', data: object, overrides: Partial<Record<string, unknown>> = {}): { key: string; value: string } {
  const at = eventTime(sequence);
  return {
    key: shipmentId,
    value: JSON.stringify({ eventId: `evt-${shipmentId}-${sequence}-${++counter}`, type, schemaVersion: 1, aggregateId: shipmentId, sequence, occurredAt: at, producedAt: at, correlationId: 'ord-1', causationId: null, source: 'wms-lyon', data, ...overrides }),
  };
}

export const SHIP_TO = { name: 'Ada Lovelace', line1: '12 Rue de la République', city: 'Lyon', postalCode: '69002', country: 'FR' };

export const created = (shipmentId: string, orderId = 'ord-1', data: Partial<Record<string, unknown>> = {}) =>
  shipmentEvent(shipmentId, 1, 'ShipmentCreated', { orderId, warehouseId: 'wh-lyon', wave: '2026-01-02-W1', lines: [{ lineId: '1', sku: 'SKU-KETTLE-01', quantity: 2 }], shipTo: SHIP_TO, ...data }, { correlationId: orderId });
export const picked = (shipmentId: string, sequence: number) => shipmentEvent(shipmentId, sequence, 'ShipmentPicked', {});
export const dispatched = (shipmentId: string, sequence: number, carrier = 'dhl') => shipmentEvent(shipmentId, sequence, 'ShipmentDispatched', { carrier, trackingNumber: `TRK-${shipmentId}` });
export const delivered = (shipmentId: string, sequence: number, signedBy: string | null = 'Grace Hopper') => shipmentEvent(shipmentId, sequence, 'ShipmentDelivered', { signedBy });
export const cancelled = (shipmentId: string, sequence: number, reason = 'out_of_stock') => shipmentEvent(shipmentId, sequence, 'ShipmentCancelled', { reason });

/** A log record of `topic`, as the engine hands it to a decoder. */
export function logRecord(topic: string, key: string | null, value: string | null, offset = 0): LogRecord {
  return { topic, partition: 0, offset, key: key === null ? null : Buffer.from(key), value: value === null ? null : Buffer.from(value), headers: {}, timestamp: 0 };
}
