import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/database/index.js';
import { createEmbeddedEventLog } from '../../platform/eventLog/index.js';
import type { Projection, Projector } from '../../platform/projection/index.js';
import { createProjector, listQuarantine, projectionStorage, readWatermarks, rebuildProjection, redriveQuarantine, settleProjection } from '../../platform/projection/index.js';
import type { OrderEvent, OrderTimelineState } from '../../subgraphs/orders/index.js';
import { ORDERS_EVENTS_TOPIC, ordersContext, orderTimelineProjection } from '../../subgraphs/orders/index.js';
import { bothDatabases } from '../../test/support/databases.js';
import { orderEvent, placed } from '../../test/support/orderEvents.js';
import { waitUntilCaughtUp } from '../../test/support/projectionHarness.js';
import { uniqueName } from '../../test/support/services.js';
import { createFreshnessReader } from '../metadata/index.js';

// What the response cache is keyed by: a projection's version, as the freshness reader reads it.
// It must move on every applied change, and on nothing else a reader could tell apart.

describe.each(bothDatabases)('a projection version on %s', (_name, openDb) => {
  let db: Database;
  const projectors: Projector[] = [];
  beforeAll(async () => {
    db = await openDb();
  });
  afterAll(async () => {
    for (const projector of projectors) await projector.stop();
    await db.close();
  });

  it('moves on a batch (a late event too), a re-drive by hand, a settlement, a settled watermark and a rebuild swap; not on a settle that settles nothing', async () => {
    const log = createEmbeddedEventLog({ defaultPartitions: 1 });
    const schema = uniqueName('projection_version');
    const projector = createProjector({ log, db }, ordersContext, { schema, partitions: 1, onError: () => undefined });
    projectors.push(projector);
    await projector.start();
    const reader = createFreshnessReader({ db, log }, new Map([['order_timeline', schema]]), { ttlMs: 0 });
    const version = () => reader.version('order_timeline');
    const caughtUp = () => waitUntilCaughtUp(db, log, schema, [ORDERS_EVENTS_TOPIC]);

    await log.produce(ORDERS_EVENTS_TOPIC, [orderEvent('ord-v', 1, 'OrderPlaced', JSON.parse(placed('x').value).data as object, { occurredAt: '2026-06-01T00:00:00.000Z' })]);
    await caughtUp();
    const v0 = await version();
    expect(v0).not.toBeNull();
    expect(await version()).toBe(v0);

    // A late event: older than what was applied, so the event-time watermark stays where it was.
    const maxEventTime = async () => (await readWatermarks(db, schema))[0]!.maxEventTime?.toISOString();
    const asOf = await maxEventTime();
    await log.produce(ORDERS_EVENTS_TOPIC, [placed('ord-late')]);
    await caughtUp();
    expect(await maxEventTime()).toBe(asOf);
    const v1 = await version();
    expect(v1).not.toBe(v0);

    // A re-drive by hand applies outside any batch (counted whatever its outcome).
    await log.produce(ORDERS_EVENTS_TOPIC, [{ key: 'ord-bad', value: '{"eventId": "x", "type": ' }]);
    await caughtUp();
    const v2 = await version();
    const [entry] = await listQuarantine(db, schema, { state: 'open' });
    await redriveQuarantine(db, ordersContext, schema, [entry!.quarantineId]);
    const v3 = await version();
    expect(v3).not.toBe(v2);

    // A settlement: counted when the stored watermark moves, or when it settles something.
    let due = 0;
    const settling: Projection<OrderEvent, OrderTimelineState> = { ...orderTimelineProjection, settlement: { settle: async () => due } };
    const { tables } = projectionStorage(schema, settling);
    await settleProjection({ db }, settling, tables, { schema, allowedLatenessMs: 0, log });
    const v4 = await version();
    expect(v4).not.toBe(v3);
    await settleProjection({ db }, settling, tables, { schema, allowedLatenessMs: 0, log });
    expect(await version()).toBe(v4);
    due = 1;
    await settleProjection({ db }, settling, tables, { schema });
    const v5 = await version();
    expect(v5).not.toBe(v4);

    // A rebuild swap: the live tables are replaced while every checkpoint stays where it was.
    const checkpoints = (await readWatermarks(db, schema)).map((m) => m.nextOffset);
    await rebuildProjection({ log, db }, ordersContext, 'order_timeline', { schema });
    expect((await readWatermarks(db, schema)).map((m) => m.nextOffset)).toEqual(checkpoints);
    expect(await version()).not.toBe(v5);
  });
});
