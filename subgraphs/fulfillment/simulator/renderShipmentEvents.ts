import type { Prng, SimulatedRecord } from '../../../platform/simulator/index.js';
import { FULFILLMENT_EVENTS_TOPIC, WAREHOUSE_SOURCE_SYSTEMS } from '../events/FulfillmentEvent.js';
import type { ShipmentEventType } from '../events/FulfillmentEvent.js';
import type { ShipmentHistory } from './ShipmentHistory.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The producing system of a warehouse, as the envelope's `source` names it. */
export const warehouseSourceSystem = (warehouseId: string): string => (WAREHOUSE_SOURCE_SYSTEMS as Record<string, string>)[warehouseId] ?? 'warehouse-management';

/**
 * The history as the warehouse publishes it on `fulfillment.events.v1`: one envelope per step, in
 * the order given, keyed by the shipment id; `sequence` from 1, `correlationId` the order id,
 * each event caused by the one before. Deterministic for a seed (ids come from `prng`).
 */
export function renderShipmentEvents(history: ShipmentHistory, prng: Prng): SimulatedRecord[] {
  const records: SimulatedRecord[] = [];
  let sequence = 0;
  let causationId: string | null = null;
  const emit = (type: ShipmentEventType, at: number, data: object) => {
    const eventId = prng.uuid();
    const envelope = {
      eventId,
      type,
      schemaVersion: 1,
      aggregateId: history.shipmentId,
      sequence: ++sequence,
      occurredAt: iso(at),
      producedAt: iso(at + prng.int(5, 250)),
      correlationId: history.orderId,
      causationId,
      source: warehouseSourceSystem(history.warehouseId),
      data,
    };
    causationId = eventId;
    records.push({ topic: FULFILLMENT_EVENTS_TOPIC, key: history.shipmentId, value: JSON.stringify(envelope), at });
  };
  for (const step of history.steps) {
    switch (step.kind) {
      case 'create':
        emit('ShipmentCreated', step.at, { orderId: history.orderId, warehouseId: history.warehouseId, wave: history.wave, lines: history.lines, shipTo: history.shipTo });
        break;
      case 'pick':
        emit('ShipmentPicked', step.at, {});
        break;
      case 'dispatch':
        emit('ShipmentDispatched', step.at, { carrier: step.carrier, trackingNumber: step.trackingNumber });
        break;
      case 'deliver':
        emit('ShipmentDelivered', step.at, { signedBy: step.signedBy });
        break;
      case 'cancel':
        emit('ShipmentCancelled', step.at, { reason: step.reason });
        break;
    }
  }
  return records;
}
