// Gap recovery: an event quarantined for waiting too long on a missing predecessor applies by
// itself, in log order, when the predecessor arrives (DESIGN §6, "Ordered per aggregate"). Live,
// on a rebuild, and whatever the batch sizes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { ApplyCounts, Projector, ProjectorOptions } from '../../platform/projection/index.js';
import { createProjector, listQuarantine, readWatermarks, rebuildProjection, redriveQuarantine } from '../../platform/projection/index.js';
import { bothDatabases } from '../../test/support/databases.js';
import { orderEvent, placed } from '../../test/support/orderEvents.js';
import { snapshotOrders, snapshotQuarantine, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { uniqueName } from '../../test/support/services.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext } from './index.js';

const TOPICS = [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC];
const GAP_BOUND = 5;

const amended = (orderId: string, sequence: number, quantity: number) => orderEvent(orderId, sequence, 'OrderLineAmended', { lineId: '1', quantity, unitPrice: '10.00' });
const confirmed = (orderId: string, sequence: number) => orderEvent(orderId, sequence, 'OrderConfirmed', {});
/** Orders of no interest: they move the partition on, past the gap bound. */
const fillers = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => placed(`${prefix}-filler-${i}`));

describe.each(bothDatabases)('gap recovery in the orders context on %s', (_name, openDb) => {
  let db: Database;
  const projectors: Projector[] = [];
  beforeAll(async () => {
    db = await openDb();
  });
  afterAll(async () => {
    await Promise.all(projectors.map((p) => p.stop()));
    await db.close();
  });
  const start = async (log: EventLog, schema: string, options: ProjectorOptions = {}) => {
    const projector = createProjector({ log, db }, ordersContext, { schema, partitions: 1, batchSize: 40, gapBound: GAP_BOUND, onError: () => undefined, ...options });
    projectors.push(projector);
    await projector.start();
  };
  const produce = async (log: EventLog, schema: string, records: Array<{ key: string; value: string }>) => {
    await log.produce(ORDERS_EVENTS_TOPIC, records);
    await waitUntilCaughtUp(db, log, schema, TOPICS);
  };
  const order = async (schema: string, orderId: string) =>
    (await db.query(`select order_lifecycle_state, confirmed_at, order_total_amount, last_sequence from "${schema}".orders where order_id = $1`, [orderId])).rows[0];
  const history = async (schema: string, orderId: string) =>
    (await db.query<{ sequence: number; order_lifecycle_state: string }>(`select sequence, order_lifecycle_state from "${schema}".order_status_history where order_id = $1 order by sequence`, [orderId])).rows;
  const watermark = async (schema: string) => (await readWatermarks(db, schema)).find((w) => w.topic === ORDERS_EVENTS_TOPIC)!;
  const everything = async (schema: string) => ({ rows: await snapshotOrders(db, schema), quarantine: await snapshotQuarantine(db, schema) });
  const rebuild = (log: EventLog, schema: string) => rebuildProjection({ log, db }, ordersContext, 'order_timeline', { schema, gapBound: GAP_BOUND });

  it('given OrderConfirmed #4 parked past the bound and #3 arriving later, then the order ends confirmed with no re-drive, live and after a rebuild', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    const schema = uniqueName('orders_gap_issue');
    await start(log, schema);
    await produce(log, schema, [placed('ord-1'), amended('ord-1', 2, 3), confirmed('ord-1', 4), ...fillers('a', GAP_BOUND + 1)]);
    expect(await order(schema, 'ord-1')).toMatchObject({ order_lifecycle_state: 'placed', last_sequence: 2 });
    const [entry] = await listQuarantine(db, schema, { payload: 'original' });
    expect(entry).toMatchObject({ reasonCode: 'SEQUENCE_GAP_EXPIRED', state: 'open', redriveOutcome: null });
    expect(entry!.reason).toMatch(/^OrderConfirmed #4 of ord-1 waited 5 records for sequence 3 \(last applied: 2\); it applies automatically/);

    // When sequence 3 arrives, then sequence 4 follows it from the quarantine: no operator involved.
    await produce(log, schema, [amended('ord-1', 3, 4)]);
    expect(await order(schema, 'ord-1')).toEqual({ order_lifecycle_state: 'confirmed', confirmed_at: new Date('2026-01-01T12:00:04.000Z'), order_total_amount: '40.00', last_sequence: 4 });
    expect(await history(schema, 'ord-1')).toEqual([{ sequence: 1, order_lifecycle_state: 'placed' }, { sequence: 4, order_lifecycle_state: 'confirmed' }]);
    expect(await listQuarantine(db, schema, { state: 'open' })).toEqual([]);
    expect(await listQuarantine(db, schema)).toEqual([expect.objectContaining({ quarantineId: entry!.quarantineId, state: 'redriven', redriveOutcome: 'applied-automatically' })]);
    // quarantinedCount is a history (it stays); the event counts as applied when it applies.
    expect(await watermark(schema)).toMatchObject({ appliedCount: 4 + GAP_BOUND + 1, quarantinedCount: 1, parkedCount: 1, duplicateCount: 0, parkedNow: 0 });
    await expect(redriveQuarantine(db, ordersContext, schema, [entry!.quarantineId])).rejects.toThrow(/already re-driven automatically/);

    // A rebuild replays the same history into shadow tables and reaches the same state by itself.
    const live = await everything(schema);
    const report = await rebuild(log, schema);
    expect(report).toMatchObject({ parityOk: true, swapped: true, quarantinedDuringReplay: 1 });
    expect(await everything(schema)).toEqual(live);
    const { rows: leftovers } = await db.query(`select tablename from pg_tables where schemaname = $1 and tablename like '%\\_\\_rb%'`, [schema]);
    expect(leftovers).toEqual([]);
  });

  it('given a predecessor that never arrives, then the event stays quarantined and open, live and after a rebuild', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    const schema = uniqueName('orders_gap_missing');
    await start(log, schema);
    await produce(log, schema, [placed('ord-2'), confirmed('ord-2', 3), ...fillers('b', GAP_BOUND + 1)]);
    // Later events of other orders, and of this one, do not release it: only sequence 2 would.
    await produce(log, schema, [...fillers('c', 2 * GAP_BOUND), orderEvent('ord-2', 4, 'OrderCancelled', { reason: 'customer_request' }), ...fillers('d', GAP_BOUND + 1)]);

    expect(await order(schema, 'ord-2')).toMatchObject({ order_lifecycle_state: 'placed', last_sequence: 1 });
    const quarantine = await listQuarantine(db, schema, { payload: 'original' });
    expect(quarantine.map((q) => [q.reasonCode, q.state, q.redriveOutcome])).toEqual([
      ['SEQUENCE_GAP_EXPIRED', 'open', null],
      ['SEQUENCE_GAP_EXPIRED', 'open', null],
    ]);
    expect(quarantine[0]!.reason).toMatch(/^OrderConfirmed #3 of ord-2 waited 5 records for sequence 2 \(last applied: 1\)/);
    expect(quarantine[1]!.reason).toMatch(/^OrderCancelled #4 of ord-2 waited 5 records for sequence 2 \(last applied: 1\)/);

    const live = await everything(schema);
    const report = await rebuild(log, schema);
    expect(report).toMatchObject({ parityOk: true, swapped: true, quarantinedDuringReplay: 2 });
    // The rebuild left the live quarantine alone: the same entries, still open.
    expect(await everything(schema)).toEqual(live);
  });

  it('given a redelivery after the automatic application, then it changes nothing but the duplicate count', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    const schema = uniqueName('orders_gap_redelivered');
    await start(log, schema);
    const [three, four] = [amended('ord-3', 3, 4), confirmed('ord-3', 4)];
    await produce(log, schema, [placed('ord-3'), amended('ord-3', 2, 3), four, ...fillers('e', GAP_BOUND + 1)]);
    await produce(log, schema, [three]);
    const before = { state: await everything(schema), mark: await watermark(schema) };
    expect(await order(schema, 'ord-3')).toMatchObject({ order_lifecycle_state: 'confirmed', last_sequence: 4 });

    // The same records again (a producer retry), and #4 once more under a new event id.
    await produce(log, schema, [four, three, confirmed('ord-3', 4)]);
    expect(await everything(schema)).toEqual(before.state);
    const after = await watermark(schema);
    expect(after).toMatchObject({ appliedCount: before.mark.appliedCount, quarantinedCount: 1, parkedCount: before.mark.parkedCount, duplicateCount: before.mark.duplicateCount + 3 });
    expect(await rebuild(log, schema)).toMatchObject({ parityOk: true, swapped: true });
  });

  it('given every way a gap can fill, then each event applies once, in order, and the outcome does not depend on batch sizes', async () => {
    const a4 = confirmed('ord-a', 4);
    const a3 = amended('ord-a', 3, 4);
    const d4 = confirmed('ord-d', 4);
    const e4 = confirmed('ord-e', 4);
    const records = [
      placed('ord-a'), amended('ord-a', 2, 3), a4, // 0-2: a4 will wait too long (the history)
      placed('ord-b'), confirmed('ord-b', 3), // 3-4: b2 never arrives
      placed('ord-c'), amended('ord-c', 3, 5), // 5-6: c3 will wait too long; c4 arrives later, c2 last
      placed('ord-d'), amended('ord-d', 2, 3), d4, // 7-9: d4 will wait too long, and be redelivered
      placed('ord-e'), amended('ord-e', 2, 3), e4, // 10-12: e4 will wait too long, and so will its redelivery
      placed('ord-f'), confirmed('ord-f', 3), // 13-14: f3 will wait too long for a cancellation
      ...fillers('g', 6), // 15-20: every event above gives up waiting
      e4, // 21: parks again
      ...fillers('h', 6), // 22-27: and gives up again
      confirmed('ord-c', 4), // 28: parks behind the quarantined c3
      d4, // 29: parks behind nothing but the missing d3
      a3, // 30: a3 applies, then a4 from the quarantine
      amended('ord-c', 2, 4), // 31: c2, then c3 from the quarantine, then c4 from the parking
      amended('ord-d', 3, 4), // 32: d3, then d4 from the quarantine (first in the log); its parked redelivery is a duplicate
      amended('ord-e', 3, 4), // 33: e3, then e4 from the quarantine; its quarantined redelivery is a duplicate
      orderEvent('ord-f', 2, 'OrderCancelled', { reason: 'fraud' }), // 34: f2, then f3, which is impossible after a cancellation
      a4, a3, // 35-36: redeliveries after the fact: duplicates
    ];
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    await log.produce(ORDERS_EVENTS_TOPIC, records);
    const outcome = async (batchSize: number) => {
      const schema = uniqueName(`orders_gap_b${batchSize}`);
      const batches: ApplyCounts[] = [];
      await start(log, schema, { batchSize, onBatch: (_projection, counts) => batches.push(counts) });
      await waitUntilCaughtUp(db, log, schema, TOPICS);
      const { appliedCount, duplicateCount, parkedCount, quarantinedCount, parkedNow } = await watermark(schema);
      return { schema, batches, state: await everything(schema), counts: { appliedCount, duplicateCount, parkedCount, quarantinedCount, parkedNow } };
    };
    // Batch size 1 finds every entry in the quarantine table; 1000 expires and re-drives inside one batch.
    const whole = await outcome(1000);
    expect(whole.batches.map((b) => b.recovered)).toEqual([5]);
    for (const batchSize of [1, 7]) {
      const other = await outcome(batchSize);
      expect(other.state).toEqual(whole.state);
      expect(other.counts).toEqual(whole.counts);
    }

    const { schema, state } = whole;
    const lifecycle = await db.query(`select order_id, order_lifecycle_state, last_sequence from "${schema}".orders where order_id not like '%filler%' order by order_id`);
    expect(lifecycle.rows).toEqual([
      { order_id: 'ord-a', order_lifecycle_state: 'confirmed', last_sequence: 4 },
      { order_id: 'ord-b', order_lifecycle_state: 'placed', last_sequence: 1 },
      { order_id: 'ord-c', order_lifecycle_state: 'confirmed', last_sequence: 4 },
      { order_id: 'ord-d', order_lifecycle_state: 'confirmed', last_sequence: 4 },
      { order_id: 'ord-e', order_lifecycle_state: 'confirmed', last_sequence: 4 },
      { order_id: 'ord-f', order_lifecycle_state: 'cancelled', last_sequence: 2 },
    ]);
    // In sequence order: c2 (4 × 10.00), then c3 from the quarantine (5 × 10.00), then c4: the total is c3's.
    expect(await order(schema, 'ord-c')).toMatchObject({ order_total_amount: '50.00' });
    expect(state.quarantine.map((q) => [q.record_offset, q.reason_code, q.quarantine_state, q.redrive_outcome])).toEqual([
      [2, 'SEQUENCE_GAP_EXPIRED', 'redriven', 'applied-automatically'],
      [4, 'SEQUENCE_GAP_EXPIRED', 'open', null],
      [6, 'SEQUENCE_GAP_EXPIRED', 'redriven', 'applied-automatically'],
      [9, 'SEQUENCE_GAP_EXPIRED', 'redriven', 'applied-automatically'],
      [12, 'SEQUENCE_GAP_EXPIRED', 'redriven', 'applied-automatically'],
      [14, 'IMPOSSIBLE_TRANSITION', 'open', null],
      [14, 'SEQUENCE_GAP_EXPIRED', 'redriven', 'quarantined-again-automatically'],
      [21, 'SEQUENCE_GAP_EXPIRED', 'redriven', 'duplicate-automatically'],
    ]);
    expect(whole.counts).toEqual({ appliedCount: 31, duplicateCount: 4, parkedCount: 9, quarantinedCount: 8, parkedNow: 0 });

    expect(await rebuild(log, schema)).toMatchObject({ parityOk: true, swapped: true, quarantinedDuringReplay: 8 });
    expect(await everything(schema)).toEqual(state);
  });
});
