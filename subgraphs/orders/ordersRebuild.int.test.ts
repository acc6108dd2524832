import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { createPostgresDatabase } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector, rebuildProjection } from '../../platform/projection/index.js';
import { createOrdersSimulator } from './index.js';
import { produceAll, snapshotOrders, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { bothDatabases } from '../../test/support/databases.js';
import { postgresUrl, uniqueName } from '../../test/support/services.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext } from './index.js';

const TOPICS = [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC];

describe.each(bothDatabases)('rebuilding the order timeline on %s', (_name, openDb) => {
  let db: Database;
  const projectors: Projector[] = [];
  beforeAll(async () => {
    db = await openDb();
  });
  afterAll(async () => {
    await Promise.all(projectors.map((p) => p.stop()));
    await db.close();
  });

  const setUp = async () => {
    const log = createEmbeddedEventLog();
    const simulator = createOrdersSimulator({ seed: 3, faults: { legacyShare: 0.3, duplicateRate: 0.02, reorderRate: 0.02, malformedRate: 0.01, gapRate: 0.01 } });
    await produceAll(log, simulator.nextOrders(150).records);
    const schema = uniqueName('orders_rb');
    const projector = createProjector({ log, db }, ordersContext, { schema, batchSize: 50, gapBound: 100, onError: () => undefined });
    projectors.push(projector);
    await projector.start();
    await waitUntilCaughtUp(db, log, schema, TOPICS);
    return { log, simulator, schema };
  };

  it('reproduces the live tables exactly and swaps atomically while the projector writes and readers read', async () => {
    const { log, simulator, schema } = await setUp();
    let reads = 0;
    let readError: unknown;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        try {
          const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from "${schema}".orders o join "${schema}".order_lines l using (order_id)`);
          expect(rows[0]!.n).toBeGreaterThan(0);
          reads++;
        } catch (error) {
          readError = error;
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    })();

    const report = await rebuildProjection({ log, db }, ordersContext, 'order_timeline', {
      schema,
      gapBound: 100,
      // The live projector moves on between the replay and the swap: the swap must catch up.
      beforeSwap: async () => {
        await produceAll(log, simulator.nextOrders(20).records);
        await waitUntilCaughtUp(db, log, schema, TOPICS);
      },
    });
    reading = false;
    await reader;

    expect(readError).toBeUndefined();
    expect(reads).toBeGreaterThan(0);
    expect(report.parityOk).toBe(true);
    expect(report.swapped).toBe(true);
    expect(report.events).toBe((await db.query<{ n: number }>(`select count(*)::int as n from "${schema}".raw_events`)).rows[0]!.n);
    expect(report.quarantinedDuringReplay).toBe((await db.query<{ n: number }>(`select count(*)::int as n from "${schema}".quarantine`)).rows[0]!.n);
    expect(report.parity.find((p) => p.table === 'orders')).toMatchObject({ liveRows: 170, shadowRows: 170, missingInShadow: 0, extraInShadow: 0 });
    // No shadow or retired table is left behind, and the live indexes have their names back.
    const { rows: tables } = await db.query<{ tablename: string }>(`select tablename from pg_tables where schemaname = $1 and tablename like '%\\_\\_rb%'`, [schema]);
    expect(tables).toEqual([]);
    const { rows: indexes } = await db.query<{ indexname: string }>(`select indexname from pg_indexes where schemaname = $1 and tablename = 'orders'`, [schema]);
    expect(indexes.map((i) => i.indexname).sort()).toEqual(['orders_pkey', 'orders_placed_idx']);

    // The projector keeps working on the swapped-in tables.
    await produceAll(log, simulator.nextOrders(5).records);
    await waitUntilCaughtUp(db, log, schema, TOPICS);
    expect((await snapshotOrders(db, schema)).orders).toHaveLength(175);
  });

  it('reports differences and keeps the live tables unless told to accept them', async () => {
    const { log, schema } = await setUp();
    await db.query(`update "${schema}".orders set order_total_amount = 0 where order_id = 'ord-000001'`);
    const tampered = await snapshotOrders(db, schema);

    const drill = await rebuildProjection({ log, db }, ordersContext, 'order_timeline', { schema, gapBound: 100 });
    expect(drill.parityOk).toBe(false);
    expect(drill.swapped).toBe(false);
    expect(drill.parity.find((p) => p.table === 'orders')).toMatchObject({ missingInShadow: 1, extraInShadow: 1 });
    expect(await snapshotOrders(db, schema)).toEqual(tampered);

    const repair = await rebuildProjection({ log, db }, ordersContext, 'order_timeline', { schema, gapBound: 100, acceptDifferences: true });
    expect(repair.swapped).toBe(true);
    const { rows } = await db.query<{ order_total_amount: string }>(`select order_total_amount from "${schema}".orders where order_id = 'ord-000001'`);
    expect(rows[0]!.order_total_amount).not.toBe('0.00');
  });

  it('sees values swapped between two rows, which leaves every column holding the same values', async () => {
    const { log, schema } = await setUp();
    // The parity check must compare whole rows: a sum over each column's values cannot see this.
    const { rows: pair } = await db.query<{ a: string; b: string }>(
      `select a.order_id as a, b.order_id as b from "${schema}".orders a join "${schema}".orders b on a.customer_id < b.customer_id limit 1`,
    );
    const { a, b } = pair[0]!;
    await db.query(
      `update "${schema}".orders o set customer_id = other.customer_id from "${schema}".orders other
       where (o.order_id, other.order_id) in (($1, $2), ($2, $1))`,
      [a, b],
    );
    const drill = await rebuildProjection({ log, db }, ordersContext, 'order_timeline', { schema, gapBound: 100 });
    expect(drill.parityOk).toBe(false);
    expect(drill.swapped).toBe(false);
    expect(drill.parity.find((p) => p.table === 'orders')).toMatchObject({ liveRows: 150, shadowRows: 150, missingInShadow: 2, extraInShadow: 2 });
  });

  it('waits for a write to the live tables already in flight when it swaps, and does not swap it away', async () => {
    const { log, schema } = await setUp();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let writer: Promise<void> | undefined;
    const report = await rebuildProjection({ log, db }, ordersContext, 'order_timeline', {
      schema,
      gapBound: 100,
      // A writer outside the projector's batches (a re-drive by hand takes no checkpoint) holds
      // an uncommitted change to a live row as the swap begins, and commits 300 ms later.
      beforeSwap: async () => {
        let holding!: () => void;
        const held = new Promise<void>((resolve) => (holding = resolve));
        writer = db.transaction(async (tx) => {
          await tx.query(`update "${schema}".orders set order_total_amount = 0 where order_id = 'ord-000001'`);
          holding();
          await released;
        });
        await held;
        setTimeout(release, 300);
      },
    });
    await writer;
    // The swap waited for it and compared what it wrote, rather than renaming it away.
    expect(report.swapped).toBe(false);
    expect(report.parity.find((p) => p.table === 'orders')).toMatchObject({ missingInShadow: 1, extraInShadow: 1 });
    const { rows } = await db.query<{ order_total_amount: string }>(`select order_total_amount from "${schema}".orders where order_id = 'ord-000001'`);
    expect(rows[0]!.order_total_amount).toBe('0.00');
  });
});

describe('rebuilding on a pool of one connection', () => {
  it('completes: the parity check sums the live copies in the swap transaction when no other connection is free', async () => {
    // The live projector needs a second connection of its own (it migrates while it holds one);
    // the rebuild gets a pool of one.
    const db = await createPostgresDatabase(postgresUrl());
    const single = await createPostgresDatabase(postgresUrl(), { maxConnections: 1 });
    const log = createEmbeddedEventLog();
    const schema = uniqueName('orders_rb1');
    const live = createProjector({ log, db }, ordersContext, { schema, batchSize: 50, gapBound: 100, onError: () => undefined });
    try {
      await produceAll(log, createOrdersSimulator({ seed: 5 }).nextOrders(40).records);
      await live.start();
      await waitUntilCaughtUp(db, log, schema, TOPICS);
      await live.stop();
      const report = await rebuildProjection({ log, db: single }, ordersContext, 'order_timeline', { schema, gapBound: 100 });
      expect(report).toMatchObject({ parityOk: true, swapped: true });
      expect(report.parity.find((p) => p.table === 'orders')).toMatchObject({ liveRows: 40, shadowRows: 40 });
    } finally {
      await live.stop();
      await Promise.all([db.close(), single.close()]);
    }
  });
});
