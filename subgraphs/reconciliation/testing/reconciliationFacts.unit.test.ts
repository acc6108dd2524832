import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../platform/eventLog/index.js';
import { reconciliationDecoders } from '../events/reconciliationDecoders.js';
import type { StoryRecord } from './reconciliationFacts.js';
import { at, HOUR, line, reconciliationFacts } from './reconciliationFacts.js';

/** One order through every event type the builder writes. */
function everyEventType() {
  const history = reconciliationFacts();
  const order = history.order('ord-000123', { currency: 'GBP', channel: 'store' });
  order.placed(at(0), [line('1', 2, '10.00'), line('2', 1, '5.50')]);
  order.amended(at(1), '2', 3);
  order.confirmed(at(2));
  const card = history.payment('pay-000123-1', order);
  card.authorized(at(0.5), '36.50', at(24 * 7));
  card.fraudChecked(at(0.6));
  card.captured(at(3), '20.00');
  card.refunded(at(4), '5.00', 'goodwill');
  const giftCard = history.payment('pay-000123-2', order, { method: 'gift_card' });
  giftCard.authorized(at(1), '1.00');
  giftCard.voided(at(2));
  history.payment('pay-000123-3', order).declined(at(1), '36.50');
  const wallet = history.payment('pay-000123-4', order, { method: 'wallet' });
  wallet.authorized(at(1), '1.00');
  wallet.failed(at(2));
  const shipment = history.shipment('shp-000123-1', order, { warehouseId: 'wh-leeds' });
  shipment.created(at(2), { 1: 2, 2: 3 });
  shipment.picked(at(3));
  shipment.dispatched(at(4), 'royal_mail');
  shipment.delivered(at(30));
  const second = history.shipment('shp-000123-2', order);
  second.created(at(2), { 1: 1 });
  second.cancelled(at(3));
  order.cancelled(at(40), 'fraud');
  return history;
}

function asLogRecord(record: StoryRecord): LogRecord {
  return { topic: record.topic, partition: record.partition, offset: record.offset, key: Buffer.from(record.key), value: Buffer.from(record.value), headers: {}, timestamp: 0 };
}

describe('reconciliationFacts', () => {
  it('writes producer envelopes the owning contexts decode as they are, personal data blanked as reconciliation stores them', () => {
    const history = everyEventType();
    const stored = history.storedFacts();
    const records = history.records();
    expect(records).toHaveLength(19);
    records.forEach((record, index) => {
      const decoder = reconciliationDecoders.find((d) => d.topic === record.topic);
      if (decoder?.kind !== 'stateless') throw new Error(`no stateless decoder for ${record.topic}`);
      const result = decoder.decode(asLogRecord(record));
      expect(result, `${record.value}`).toEqual({ kind: 'events', events: [stored[index]!.event] });
    });
  });

  it('numbers each aggregate from 1, chains causation within it and correlates by order', () => {
    const facts = everyEventType().facts();
    const shipment = facts.filter((f) => f.event.aggregateId === 'shp-000123-1');
    expect(shipment.map((f) => f.event.sequence)).toEqual([1, 2, 3, 4]);
    expect(shipment.map((f) => f.event.causationId)).toEqual([null, ...shipment.slice(0, -1).map((f) => f.event.eventId)]);
    expect(new Set(facts.map((f) => f.event.correlationId))).toEqual(new Set(['ord-000123']));
    expect(new Set(facts.map((f) => f.event.eventId)).size).toBe(facts.length);
    expect(facts[0]!.event).toMatchObject({ occurredAt: '2026-03-02T09:00:00.000Z', producedAt: '2026-03-02T09:00:01.000Z', source: 'store-pos', schemaVersion: 1 });
  });

  it('gives each fact a log position: one partition per aggregate, offsets increasing per partition', () => {
    const facts = everyEventType().facts();
    const positions = new Map<string, number>();
    for (const { event, origin } of facts) {
      const partitionOf = positions.get(event.aggregateId);
      expect(partitionOf ?? origin.partition).toBe(origin.partition);
      positions.set(event.aggregateId, origin.partition);
      expect(origin.partition).toBeGreaterThanOrEqual(0);
      expect(origin.partition).toBeLessThan(3);
    }
    const bySlot = new Map<string, number[]>();
    for (const { origin } of facts) bySlot.set(`${origin.topic}/${origin.partition}`, [...(bySlot.get(`${origin.topic}/${origin.partition}`) ?? []), origin.offset]);
    for (const offsets of bySlot.values()) expect(offsets).toEqual(offsets.map((_, i) => i));
  });

  it('is the same history every run, and two id spaces never share an event id', () => {
    expect(everyEventType().records()).toEqual(everyEventType().records());
    const a = reconciliationFacts({ idSpace: 'aaaaaaaa' }).order('ord-1').placed(at(0), [line('1', 1, '1.00')]);
    const b = reconciliationFacts({ idSpace: 'bbbbbbbb' }).order('ord-1').placed(at(0), [line('1', 1, '1.00')]);
    expect(a.event.eventId).not.toBe(b.event.eventId);
    expect(a.event.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('takes the order currency for its payments, the line skus for its shipments, and a 7-day authorization by default', () => {
    const history = reconciliationFacts();
    const order = history.order('ord-9', { currency: 'GBP' });
    order.placed(at(0), [line('A', 1, '3.00', 'SKU-KETTLE')]);
    const authorized = history.payment('pay-9-1', order).authorized(at(1), '3.00');
    const created = history.shipment('shp-9-1', order).created(at(2), { A: 1 });
    expect(authorized.event.data).toMatchObject({ currency: 'GBP', authorizationExpiresAt: new Date(at(1) + 168 * HOUR).toISOString() });
    expect(created.event.data.lines).toEqual([{ lineId: 'A', sku: 'SKU-KETTLE', quantity: 1 }]);
    const amended = order.amended(at(3), 'A', 2);
    expect(amended.event.data).toEqual({ lineId: 'A', quantity: 2, unitPrice: '3.00' });
  });
});
