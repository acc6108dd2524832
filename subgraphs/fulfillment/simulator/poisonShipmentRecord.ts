import type { Prng, SimulatedRecord } from '../../../platform/simulator/index.js';
import { FULFILLMENT_EVENTS_TOPIC } from '../events/FulfillmentEvent.js';

/**
 * An extra record near `near` (a `fulfillment.events.v1` record: its key is a shipment id) that
 * breaks the producer contract the way real warehouse producers do: truncated JSON, an unknown
 * type, a key that is not the aggregate id, a missing eventId, a value outside an enum.
 */
export function poisonShipmentRecord(near: SimulatedRecord, prng: Prng): SimulatedRecord {
  const at = new Date(near.at).toISOString();
  const base = { eventId: prng.uuid(), schemaVersion: 1, aggregateId: near.key, sequence: 999_999, occurredAt: at, producedAt: at, correlationId: 'poison', causationId: null, source: 'wms-lyon' };
  const poisoned = (value: string, key = near.key): SimulatedRecord => ({ topic: FULFILLMENT_EVENTS_TOPIC, key, value, at: near.at });
  switch (prng.int(0, 4)) {
    case 0:
      return poisoned(`{"eventId": "${base.eventId}", "type": "ShipmentPicked", `);
    case 1:
      return poisoned(JSON.stringify({ ...base, type: 'ShipmentTeleported', data: {} }));
    case 2:
      return poisoned(JSON.stringify({ ...base, type: 'ShipmentPicked', data: {} }), `${near.key}-other`);
    case 3:
      return poisoned(JSON.stringify({ ...base, eventId: undefined, type: 'ShipmentPicked', data: {} }));
    default:
      return poisoned(JSON.stringify({ ...base, type: 'ShipmentDispatched', data: { carrier: 'fedex', trackingNumber: 'FX123456789' } }));
  }
}
