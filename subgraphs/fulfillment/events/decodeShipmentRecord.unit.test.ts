import { describe, expect, it } from 'vitest';
import { createPrng } from '../../../platform/simulator/index.js';
import { poisonShipmentRecord } from '../simulator/poisonShipmentRecord.js';
import { renderShipmentEvents } from '../simulator/renderShipmentEvents.js';
import { created, delivered, dispatched, logRecord, SHIP_TO, shipmentEvent } from '../testing/shipmentEvents.js';
import { decodeShipmentRecord } from './decodeShipmentRecord.js';
import { FULFILLMENT_EVENTS_TOPIC } from './FulfillmentEvent.js';

const decode = (key: string | null, value: string | null) => decodeShipmentRecord(logRecord(FULFILLMENT_EVENTS_TOPIC, key, value));
const reasonOf = (key: string | null, value: string | null) => {
  const result = decode(key, value);
  return result.kind === 'rejected' ? `${result.rejection.code}: ${result.rejection.reason}` : result.kind;
};
const withData = (record: { value: string }, data: object) => JSON.stringify({ ...JSON.parse(record.value), data });

describe('decoding fulfillment.events.v1', () => {
  it('accepts each event type in the producer format', () => {
    const { key, value } = created('shp-1-1');
    const result = decode(key, value);
    expect(result.kind === 'events' && result.events[0]).toMatchObject({ type: 'ShipmentCreated', aggregateId: 'shp-1-1', sequence: 1, data: { orderId: 'ord-1', warehouseId: 'wh-lyon', shipTo: SHIP_TO } });
    expect(decode('shp-1-1', dispatched('shp-1-1', 3).value).kind).toBe('events');
    const nobodySigned = decode('shp-1-1', delivered('shp-1-1', 4, null).value);
    expect(nobodySigned.kind === 'events' && nobodySigned.events[0]!.data).toEqual({ signedBy: null });
  });

  it('rejects each kind of contract breach with the rule and what was received', () => {
    expect(reasonOf('shp-1', null)).toMatch(/^MALFORMED_JSON: tombstone/);
    expect(reasonOf('shp-1', '{"eventId": "e1", "type": ')).toBe('MALFORMED_JSON: value is not JSON (Unexpected end of JSON input); expected a JSON event envelope; received 26 characters starting "{\\"eventId\\": \\"e1\\", \\"type\\": "');
    expect(reasonOf('shp-1', JSON.stringify({ ...JSON.parse(created('shp-1').value), sequence: 0 }))).toMatch(/^INVALID_ENVELOPE: .*sequence: Too small: .* \(received 0\)/);
    expect(reasonOf('shp-1', JSON.stringify({ ...JSON.parse(created('shp-1').value), eventId: undefined }))).toMatch(/^INVALID_ENVELOPE: .*eventId: /);
    expect(reasonOf('shp-2', created('shp-1').value)).toBe('KEY_MISMATCH: message key "shp-2" must equal aggregateId "shp-1"');
    expect(reasonOf('shp-1', shipmentEvent('shp-1', 2, 'ShipmentTeleported', {}).value)).toBe(
      'UNKNOWN_EVENT_TYPE: unknown event type "ShipmentTeleported"; fulfillment.events.v1 carries ShipmentCreated, ShipmentPicked, ShipmentDispatched, ShipmentDelivered, ShipmentCancelled',
    );
    expect(reasonOf('shp-1', shipmentEvent('shp-1', 2, 'ShipmentPicked', {}, { schemaVersion: 2 }).value)).toBe('UNKNOWN_EVENT_TYPE: ShipmentPicked schemaVersion 2 is not supported (known: 1)');
    expect(reasonOf('shp-1', dispatched('shp-1', 3, 'fedex').value)).toMatch(/^INVALID_PAYLOAD: ShipmentDispatched v1 data is invalid: carrier: Invalid option: expected one of "dhl"\|"ups"\|"colissimo"\|"royal_mail" \(received "fedex"\)$/);
    expect(reasonOf('shp-1', shipmentEvent('shp-1', 2, 'ShipmentCancelled', { reason: 'bored' }).value)).toMatch(/^INVALID_PAYLOAD: ShipmentCancelled v1 data is invalid: reason: .*\(received "bored"\)/);
    expect(reasonOf('shp-1', created('shp-1', 'ord-1', { lines: [] }).value)).toMatch(/lines: a shipment covers at least one line/);
    expect(reasonOf('shp-1', created('shp-1', 'ord-1', { lines: [{ lineId: '1', sku: 's', quantity: 0 }] }).value)).toMatch(/lines.0.quantity: Too small.*\(received 0\)/);
    expect(reasonOf('shp-1', created('shp-1', 'ord-1', { lines: [{ lineId: '1', sku: 's', quantity: 1 }, { lineId: '1', sku: 't', quantity: 1 }] }).value)).toMatch(/lineIds must be unique/);
  });

  it('never quotes personal data (shipTo, signedBy) in a reason', () => {
    const badShipTo = reasonOf('shp-1', created('shp-1', 'ord-1', { shipTo: { ...SHIP_TO, country: 'France', name: 42 } }).value);
    expect(badShipTo).toMatch(/^INVALID_PAYLOAD: .*shipTo.name: Invalid input: expected string, received number.*shipTo.country: country must be ISO 3166-1 alpha-2/);
    expect(badShipTo).not.toMatch(/France|42/);
    const badSignature = reasonOf('shp-1', withData(delivered('shp-1', 4), { signedBy: '' }));
    expect(badSignature).toMatch(/^INVALID_PAYLOAD: ShipmentDelivered v1 data is invalid: signedBy: Too small/);
    expect(badSignature).not.toMatch(/received/);
    // A value that is not JSON is quoted only up to its data, where shipTo lives.
    const truncated = reasonOf('shp-1', created('shp-1').value.slice(0, -20));
    expect(truncated).toMatch(/^MALFORMED_JSON: /);
    expect(truncated).not.toMatch(/Ada|Lovelace|République|Lyon/);
    // Nor a data payload in the wrong place of the envelope.
    expect(reasonOf('shp-1', withData(created('shp-1'), 'Ada Lovelace' as unknown as object))).not.toMatch(/Ada/);
  });

  it('decodes what the simulated warehouse publishes, and rejects each poison it makes with its code', () => {
    const records = renderShipmentEvents(
      { shipmentId: 'shp-000001-1', orderId: 'ord-000001', warehouseId: 'wh-leeds', wave: '2026-01-01-W1', lines: [{ lineId: '1', sku: 'SKU-MUG-02', quantity: 1 }], shipTo: SHIP_TO, steps: [{ kind: 'create', at: 0 }, { kind: 'pick', at: 1 }, { kind: 'dispatch', at: 2, carrier: 'royal_mail', trackingNumber: 'RM1' }] },
      createPrng(1),
    );
    expect(records.map((r) => decode(r.key, r.value).kind)).toEqual(['events', 'events', 'events']);
    const prng = createPrng(5);
    const codes = new Set(Array.from({ length: 40 }, () => poisonShipmentRecord(records[0]!, prng)).map((r) => {
      const result = decode(r.key, r.value);
      return result.kind === 'rejected' ? result.rejection.code : result.kind;
    }));
    expect([...codes].sort()).toEqual(['INVALID_ENVELOPE', 'INVALID_PAYLOAD', 'KEY_MISMATCH', 'MALFORMED_JSON', 'UNKNOWN_EVENT_TYPE']);
  });
});
