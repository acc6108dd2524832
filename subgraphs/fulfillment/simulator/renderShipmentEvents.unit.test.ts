import { describe, expect, it } from 'vitest';
import { envelopeSchema } from '../../../platform/events/index.js';
import { createPrng } from '../../../platform/simulator/index.js';
import { FULFILLMENT_EVENTS_TOPIC } from '../events/FulfillmentEvent.js';
import { SHIP_TO } from '../testing/shipmentEvents.js';
import { poisonShipmentRecord } from './poisonShipmentRecord.js';
import { renderShipmentEvents } from './renderShipmentEvents.js';
import type { ShipmentHistory } from './ShipmentHistory.js';

const T0 = Date.UTC(2026, 1, 3, 8);
const history: ShipmentHistory = {
  shipmentId: 'shp-000012-2',
  orderId: 'ord-000012',
  warehouseId: 'wh-leeds',
  wave: '2026-02-03-W1',
  lines: [{ lineId: '2', sku: 'SKU-MUG-02', quantity: 3 }],
  shipTo: SHIP_TO,
  steps: [
    { kind: 'create', at: T0 },
    { kind: 'pick', at: T0 + 60_000 },
    { kind: 'dispatch', at: T0 + 120_000, carrier: 'royal_mail', trackingNumber: 'RM123' },
    { kind: 'deliver', at: T0 + 86_400_000, signedBy: null },
  ],
};

describe('simulated warehouse producer', () => {
  it('renders one envelope per step in the producer format: key = shipment id, sequence from 1, at = event time, correlated by order', () => {
    const records = renderShipmentEvents(history, createPrng(9));
    expect(records.map((r) => [r.topic, r.key, r.at])).toEqual(history.steps.map((s) => [FULFILLMENT_EVENTS_TOPIC, 'shp-000012-2', s.at]));
    const envelopes = records.map((r) => envelopeSchema.parse(JSON.parse(r.value!)));
    expect(envelopes.map((e) => [e.type, e.sequence, e.occurredAt])).toEqual([
      ['ShipmentCreated', 1, new Date(T0).toISOString()],
      ['ShipmentPicked', 2, new Date(T0 + 60_000).toISOString()],
      ['ShipmentDispatched', 3, new Date(T0 + 120_000).toISOString()],
      ['ShipmentDelivered', 4, new Date(T0 + 86_400_000).toISOString()],
    ]);
    expect(new Set(envelopes.map((e) => e.correlationId))).toEqual(new Set(['ord-000012']));
    expect(new Set(envelopes.map((e) => e.source))).toEqual(new Set(['wms-leeds']));
    expect(envelopes.map((e) => e.causationId)).toEqual([null, ...envelopes.slice(0, -1).map((e) => e.eventId)]);
    expect(envelopes[0]!.data).toEqual({ orderId: 'ord-000012', warehouseId: 'wh-leeds', wave: '2026-02-03-W1', lines: history.lines, shipTo: SHIP_TO });
    expect(envelopes[2]!.data).toEqual({ carrier: 'royal_mail', trackingNumber: 'RM123' });
    expect(envelopes[3]!.data).toEqual({ signedBy: null });
  });

  it('is deterministic for a seed, poison included', () => {
    const run = (seed: number) => {
      const prng = createPrng(seed);
      const records = renderShipmentEvents(history, prng);
      return [...records, ...records.map((r) => poisonShipmentRecord(r, prng))];
    };
    expect(run(17)).toEqual(run(17));
    expect(run(17)).not.toEqual(run(18));
  });
});
