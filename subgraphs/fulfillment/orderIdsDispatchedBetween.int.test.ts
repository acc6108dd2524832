import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projector } from '../../platform/projection/index.js';
import { createProjector } from '../../platform/projection/index.js';
import { createPrng } from '../../platform/simulator/index.js';
import { fieldLineage } from '../../platform/subgraph/index.js';
import { bothDatabases } from '../../test/support/databases.js';
import { produceAll, waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { uniqueName } from '../../test/support/services.js';
import type { ShipmentHistory, ShipmentStep } from './index.js';
import { FULFILLMENT_EVENTS_TOPIC, fulfillmentContextModule, fulfillmentV1Subgraph, LEGACY_OMS_CDC_TOPIC, renderShipmentEvents, SHIPMENT_TRACKING } from './index.js';
import { SHIP_TO } from './testing/shipmentEvents.js';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

/** A shipment of `orderId` created a day before `dispatchAt` and dispatched then (or only created, or cancelled, when null). */
function shipment(shipmentId: string, orderId: string, dispatchAt: string | null, cancelled = false): ShipmentHistory {
  const createdAt = (dispatchAt ? at(dispatchAt) : at('2026-11-03T06:00:00.000Z')) - 24 * HOUR;
  const steps: ShipmentStep[] = [{ kind: 'create', at: createdAt }, { kind: 'pick', at: createdAt + HOUR }];
  if (dispatchAt) steps.push({ kind: 'dispatch', at: at(dispatchAt), carrier: 'dhl', trackingNumber: `TRK-${shipmentId}` });
  if (cancelled) steps.push({ kind: 'cancel', at: createdAt + 2 * HOUR, reason: 'out_of_stock' });
  return { shipmentId, orderId, warehouseId: 'wh-lyon', wave: '2026-11-02-W1', lines: [{ lineId: '1', sku: 'SKU-KETTLE-01', quantity: 1 }], shipTo: SHIP_TO, steps };
}

// Given: dispatches around the edges of 2026-11-03 (UTC), an order dispatched twice that day,
// and shipments that were never dispatched.
const HISTORIES = [
  shipment('shp-a-1', 'ord-a', '2026-11-02T23:59:59.999Z'),
  shipment('shp-b-1', 'ord-b', '2026-11-03T00:00:00.000Z'),
  shipment('shp-b-2', 'ord-b', '2026-11-03T10:00:00.000Z'),
  shipment('shp-c-1', 'ord-c', '2026-11-03T23:59:59.999Z'),
  shipment('shp-d-1', 'ord-d', '2026-11-04T00:00:00.000Z'),
  shipment('shp-e-1', 'ord-e', null),
  shipment('shp-f-1', 'ord-f', null, true),
];
const QUERY = /* GraphQL */ `query ($from: DateTime!, $until: DateTime!) { orderIdsDispatchedBetween(from: $from, until: $until) }`;

describe.each(bothDatabases)('fulfillment/v1 orderIdsDispatchedBetween on %s', (_name, openDb) => {
  let db: Database;
  let projector: Projector;
  const schema = uniqueName('fulfillment_dispatched');

  beforeAll(async () => {
    db = await openDb();
    const log = createEmbeddedEventLog();
    const prng = createPrng(3);
    await produceAll(log, HISTORIES.flatMap((h) => renderShipmentEvents(h, prng)));
    projector = createProjector({ log, db }, fulfillmentContextModule.ingestion, { schema });
    await projector.start();
    await waitUntilCaughtUp(db, log, schema, [FULFILLMENT_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC]);
  });
  afterAll(async () => {
    await projector.stop();
    await db.close();
  });

  /** Runs the query on a database that records every statement sent. */
  const run = async (from: string, until: string) => {
    const statements: Array<{ sql: string; params: readonly unknown[] }> = [];
    const recording: Queryable = { query: (sql, params = []) => (statements.push({ sql, params }), db.query(sql, params)), copyRows: (...args) => db.copyRows(...args), copyRowsOut: (select) => db.copyRowsOut(select) };
    const result = await graphql({ schema: fulfillmentV1Subgraph.schema, source: QUERY, variableValues: { from, until }, contextValue: fulfillmentV1Subgraph.createContext(recording, schema) });
    return { result, statements };
  };

  it('answers the orders dispatched in [from, until), each once, in id order, in one statement', async () => {
    const day = await run('2026-11-03T00:00:00.000Z', '2026-11-04T00:00:00.000Z');
    expect(day.result.errors).toBeUndefined();
    expect(day.result.data?.orderIdsDispatchedBetween).toEqual(['ord-b', 'ord-c']);
    expect(day.statements).toHaveLength(1);
    const threeDays = await run('2026-11-02T00:00:00.000Z', '2026-11-05T00:00:00.000Z');
    expect(threeDays.result.data?.orderIdsDispatchedBetween).toEqual(['ord-a', 'ord-b', 'ord-c', 'ord-d']);
    const empty = await run('2026-11-03T00:00:00.000Z', '2026-11-03T00:00:00.000Z');
    expect(empty.result.data?.orderIdsDispatchedBetween).toEqual([]);
  });

  it('plans the statement on the dispatched_at index, not a scan of every shipment', async () => {
    const { statements } = await run('2026-11-03T00:00:00.000Z', '2026-11-04T00:00:00.000Z');
    const plan = await db.transaction(async (tx) => {
      // With a handful of rows a scan is cheapest; forbid it to see which index the statement can use.
      await tx.query('set local enable_seqscan = off');
      const { rows } = await tx.query(`explain ${statements[0]!.sql}`, statements[0]!.params);
      return rows.map((r) => String(Object.values(r)[0])).join('\n');
    });
    expect(plan).toContain('shipments_dispatched_idx');
    expect(plan).not.toMatch(/Seq Scan/);
  });

  it('declares @lineage to columns that exist and events its topics yield', async () => {
    const lineage = fieldLineage(fulfillmentV1Subgraph, fulfillmentV1Subgraph.schema.getQueryType()!.getFields().orderIdsDispatchedBetween!)!;
    expect(lineage.projection).toBe(SHIPMENT_TRACKING.projection);
    const { rows } = await db.query<{ table_name: string; column_name: string }>('select table_name, column_name from information_schema.columns where table_schema = $1', [schema]);
    const columns = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    expect(lineage.columns.filter((c) => !columns.has(c))).toEqual([]);
    const events = new Set(fulfillmentV1Subgraph.topics.flatMap((t) => t.events));
    expect(lineage.events.filter((e) => !events.has(e.split('.')[0]!))).toEqual([]);
  });

  it('refuses a window backwards, over 31 days, or not a timestamp, saying what it received', async () => {
    for (const [from, until, message] of [
      ['2026-11-04T00:00:00.000Z', '2026-11-03T00:00:00.000Z', 'orderIdsDispatchedBetween takes a window [from, until) with until not before from, received from 2026-11-04T00:00:00.000Z and until 2026-11-03T00:00:00.000Z.'],
      ['2026-11-01T00:00:00.000Z', '2026-12-02T00:00:00.001Z', 'orderIdsDispatchedBetween spans at most 31 days, received 2026-11-01T00:00:00.000Z to 2026-12-02T00:00:00.001Z; split the window.'],
    ] as const) {
      const { result, statements } = await run(from, until);
      expect(result.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
      expect(statements).toHaveLength(0);
    }
    // Not a timestamp: refused by the DateTime scalar while the variables are coerced, before any resolver runs.
    const notATimestamp = await run('yesterday', '2026-11-03T00:00:00.000Z');
    expect(notATimestamp.result.errors?.[0]?.message).toBe('Variable "$from" got invalid value "yesterday"; DateTime must be an RFC 3339 timestamp with a real date and time, years 1900 to 9998, such as "2026-11-02T08:00:00.000Z"; received "yesterday".');
    expect(notATimestamp.statements).toHaveLength(0);
    expect((await run('2026-11-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z')).result.errors).toBeUndefined();
  });
});
