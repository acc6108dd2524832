// Orders-specific outcomes. The engine guarantees every context shares (a crash at four points, batch
// boundaries, group members, rebuild parity) are checked once for all contexts in subgraphs/contextGuarantees.int.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector, listQuarantine, readWatermarks, rebuildProjection, redriveQuarantine } from '../../platform/projection/index.js';
import { createOrdersSimulator } from './index.js';
import { orderEvent, placed } from '../../test/support/orderEvents.js';
import { produceAll, snapshotOrders, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { bothDatabases } from '../../test/support/databases.js';
import { uniqueName } from '../../test/support/services.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext } from './index.js';

const TOPICS = [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC];

describe.each(bothDatabases)('orders ingestion on %s', (_name, openDb) => {
  let db: Database;
  const projectors: Projector[] = [];
  beforeAll(async () => {
    db = await openDb();
  });
  afterAll(async () => {
    await Promise.all(projectors.map((p) => p.stop()));
    await db.close();
  });
  const start = async (log: EventLog, schema: string, options: Parameters<typeof createProjector>[2] = {}) => {
    const projector = createProjector({ log, db }, ordersContext, { schema, batchSize: 40, gapBound: 100, onError: () => undefined, ...options });
    projectors.push(projector);
    await projector.start();
    return projector;
  };

  it('given duplicates, reordering, late and malformed input, then each has its documented outcome and counts', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    const schema = uniqueName('orders_faults');
    const o1 = placed('ord-1');
    const confirm1 = orderEvent('ord-1', 2, 'OrderConfirmed', {});
    const amend2 = orderEvent('ord-2', 2, 'OrderLineAmended', { lineId: '1', quantity: 5, unitPrice: '10.00' });
    await log.produce(ORDERS_EVENTS_TOPIC, [
      o1,
      o1, // duplicate delivery (same eventId)
      amend2, // reordered: arrives before its OrderPlaced
      placed('ord-2'),
      confirm1,
      { key: 'ord-3', value: '{"eventId": "x", "type": ' }, // malformed JSON
      orderEvent('ord-3', 1, 'OrderLineAmended', { lineId: '1', quantity: 2, unitPrice: 12.3 }), // float money
      orderEvent('ord-3', 1, 'OrderTeleported', {}),
      { key: 'ord-other', value: placed('ord-3').value }, // key differs from aggregateId
      orderEvent('ord-1', 3, 'OrderLineAmended', { lineId: '9', quantity: 1, unitPrice: '1.00' }), // unknown line
      orderEvent('ord-1', 4, 'OrderConfirmed', {}), // confirmed twice, different eventId
      orderEvent('ord-1', 5, 'OrderCancelled', { reason: 'fraud' }),
      orderEvent('ord-1', 6, 'OrderConfirmed', {}), // after cancellation
      placed('ord-4'), // still applied: nothing above blocked the partition
    ]);
    await start(log, schema, { partitions: 1 });
    await waitUntilCaughtUp(db, log, schema, TOPICS);

    const rows = await snapshotOrders(db, schema);
    expect(rows.orders!.map((o) => [(o as { order_id: string }).order_id, (o as { order_lifecycle_state: string }).order_lifecycle_state])).toEqual([
      ['ord-1', 'cancelled'],
      ['ord-2', 'placed'],
      ['ord-4', 'placed'],
    ]);
    expect(rows.order_lines!.find((l) => (l as { order_id: string }).order_id === 'ord-2')).toMatchObject({ quantity: 5, line_amount: '50.00' });

    const quarantine = await listQuarantine(db, schema, { payload: 'original' });
    expect(quarantine.map((q) => q.reasonCode)).toEqual(['MALFORMED_JSON', 'INVALID_PAYLOAD', 'UNKNOWN_EVENT_TYPE', 'KEY_MISMATCH', 'IMPOSSIBLE_TRANSITION', 'IMPOSSIBLE_TRANSITION', 'IMPOSSIBLE_TRANSITION']);
    expect(quarantine[1]!.reason).toMatch(/unitPrice: .*expected string, received number/);
    expect(quarantine[4]!.reason).toMatch(/unknown lineId "9"/);
    expect(quarantine[5]!.reason).toMatch(/already confirmed/);
    expect(quarantine[6]!.reason).toMatch(/after OrderCancelled/);
    expect(quarantine[0]!.value).toBe('{"eventId": "x", "type": ');

    const [mark] = (await readWatermarks(db, schema)).filter((w) => w.topic === ORDERS_EVENTS_TOPIC);
    expect(mark).toMatchObject({ nextOffset: 14, duplicateCount: 1, parkedCount: 1, parkedNow: 0, quarantinedCount: 7, appliedCount: 6 });
    // Event time and processing time are both kept, and neither is the other.
    expect(mark!.maxEventTime!.toISOString()).toBe('2026-01-01T12:00:05.000Z');
    expect(Date.now() - mark!.lastAppliedAt!.getTime()).toBeLessThan(60_000);
  });

  it.each([1, 1000])('given an event id a producer reused for another order while the first waited parked, then both apply and no batch fails (batch size %i)', async (batchSize) => {
    // The write-back inserts applied event ids plainly (no `on conflict`): it must know which are
    // stored, parked events' ids included, and write each once.
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    const schema = uniqueName('orders_reused_id');
    const placedData = JSON.parse(placed('ord-y').value).data as object;
    await log.produce(ORDERS_EVENTS_TOPIC, [
      placed('ord-x'),
      orderEvent('ord-x', 3, 'OrderConfirmed', {}, { eventId: 'evt-reused' }), // waits for #2
      orderEvent('ord-y', 1, 'OrderPlaced', placedData, { eventId: 'evt-reused' }), // applies: the id is not applied yet
      orderEvent('ord-x', 2, 'OrderLineAmended', { lineId: '1', quantity: 3, unitPrice: '10.00' }), // fills the gap: #3 applies after it
    ]);
    const errors: unknown[] = [];
    await start(log, schema, { partitions: 1, batchSize, onError: (error) => errors.push(error) });
    await waitUntilCaughtUp(db, log, schema, TOPICS, 20_000);

    expect(errors).toEqual([]);
    const rows = await snapshotOrders(db, schema);
    expect(rows.orders!.map((o) => [(o as { order_id: string }).order_id, (o as { order_lifecycle_state: string }).order_lifecycle_state])).toEqual([
      ['ord-x', 'confirmed'],
      ['ord-y', 'placed'],
    ]);
    const [mark] = (await readWatermarks(db, schema)).filter((w) => w.topic === ORDERS_EVENTS_TOPIC);
    expect(mark).toMatchObject({ nextOffset: 4, appliedCount: 4, duplicateCount: 0, quarantinedCount: 0 });
    const { rows: ids } = await db.query<{ event_id: string }>(`select event_id from "${schema}".order_timeline__event_ids where event_id = 'evt-reused'`);
    expect(ids).toHaveLength(1);
  });

  it('given a gap past the bound, then the waiting event is quarantined, applies by itself once the gap fills, and a re-drive of it by hand is refused', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    const schema = uniqueName('orders_gap');
    await start(log, schema, { gapBound: 5, partitions: 1 });
    await log.produce(ORDERS_EVENTS_TOPIC, [placed('ord-g'), orderEvent('ord-g', 3, 'OrderCancelled', { reason: 'fraud' })]);
    await log.produce(ORDERS_EVENTS_TOPIC, Array.from({ length: 6 }, (_, i) => placed(`ord-filler-${i}`)));
    await waitUntilCaughtUp(db, log, schema, TOPICS);

    const [entry] = await listQuarantine(db, schema, { reasonCode: 'SEQUENCE_GAP_EXPIRED', payload: 'original' });
    expect(entry!.reason).toMatch(/OrderCancelled #3 of ord-g waited 5 records for sequence 2 \(last applied: 1\)/);
    expect(entry).toMatchObject({ state: 'open', redriveOutcome: null });
    expect((await readWatermarks(db, schema)).find((w) => w.topic === ORDERS_EVENTS_TOPIC)).toMatchObject({ parkedNow: 0, quarantinedCount: 1, appliedCount: 7 });

    // The missing event arrives: the quarantined one follows it, with no operator.
    await log.produce(ORDERS_EVENTS_TOPIC, [orderEvent('ord-g', 2, 'OrderConfirmed', {})]);
    await waitUntilCaughtUp(db, log, schema, TOPICS);
    const { rows } = await db.query(`select order_lifecycle_state, cancellation_reason from "${schema}".orders where order_id = 'ord-g'`);
    expect(rows).toEqual([{ order_lifecycle_state: 'cancelled', cancellation_reason: 'fraud' }]);
    expect(await listQuarantine(db, schema, { payload: 'original' })).toEqual([expect.objectContaining({ quarantineId: entry!.quarantineId, state: 'redriven', redriveOutcome: 'applied-automatically' })]);
    // Counted once as quarantined (a history), and applied when it applied.
    expect((await readWatermarks(db, schema)).find((w) => w.topic === ORDERS_EVENTS_TOPIC)).toMatchObject({ parkedNow: 0, quarantinedCount: 1, appliedCount: 9 });
    await expect(redriveQuarantine(db, ordersContext, schema, [entry!.quarantineId])).rejects.toThrow(/already re-driven automatically .*\(outcome applied-automatically\)/);

    // A rebuild from the log reaches the same state by itself, and does not apply the event twice.
    const report = await rebuildProjection({ log, db }, ordersContext, 'order_timeline', { schema, gapBound: 5 });
    expect(report.parity.filter((p) => p.missingInShadow + p.extraInShadow > 0)).toEqual([]);
    expect(report).toMatchObject({ swapped: true, quarantinedDuringReplay: 1 });
  });

  it('given the same business histories via domain events and via legacy CDC, then the order rows are identical and only the recorded entry path differs', async () => {
    const histories = createOrdersSimulator({ seed: 11 }).nextOrders(150).histories;
    const render = async (legacyShare: number) => {
      // Same seed → same histories; only the publishing path differs.
      const sim = createOrdersSimulator({ seed: 11, faults: { legacyShare } });
      const { records, histories: again } = sim.nextOrders(150);
      expect(again).toEqual(histories);
      expect(new Set(records.map((r) => r.topic))).toEqual(new Set([legacyShare === 1 ? LEGACY_OMS_CDC_TOPIC : ORDERS_EVENTS_TOPIC]));
      const log = createEmbeddedEventLog();
      await produceAll(log, records);
      const schema = uniqueName(legacyShare === 1 ? 'orders_cdc' : 'orders_domain');
      await start(log, schema);
      await waitUntilCaughtUp(db, log, schema, TOPICS);
      expect(await listQuarantine(db, schema, { payload: 'original' })).toEqual([]);
      const { rows: sources } = await db.query<{ order_id: string; source_system: string }>(`select order_id, source_system from "${schema}".order_sources order by order_id`);
      return { rows: await snapshotOrders(db, schema), sources };
    };
    const { rows: viaDomain, sources: domainSources } = await render(0);
    const { rows: viaCdc, sources: cdcSources } = await render(1);
    expect(viaCdc).toEqual(viaDomain);
    // Provenance, kept apart from the order's rows: which producer entered each order.
    const producerOf = { web: 'web-checkout', store: 'store-pos', marketplace: 'marketplace-bridge' } as const;
    expect(domainSources).toEqual(histories.map((h) => ({ order_id: h.orderId, source_system: producerOf[h.channel] })).sort((a, b) => (a.order_id < b.order_id ? -1 : 1)));
    expect(cdcSources).toEqual(domainSources.map((s) => ({ ...s, source_system: 'legacy-oms' })));
    const states = new Set(viaDomain.orders!.map((o) => (o as { order_lifecycle_state: string }).order_lifecycle_state));
    expect(states).toEqual(new Set(['placed', 'confirmed', 'cancelled']));
    expect(viaDomain.orders).toHaveLength(150);
  });
});
