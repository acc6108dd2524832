import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextModule } from '../platform/context/index.js';
import type { Database } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import type { FaultPoint, Projector, ProjectorOptions } from '../platform/projection/index.js';
import { createProjector, readWatermarks, rebuildProjection } from '../platform/projection/index.js';
import type { SimulatedRecord } from '../platform/simulator/index.js';
import { bothDatabases } from '../test/support/databases.js';
import { produceAll, snapshotContext, waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import { uniqueName } from '../test/support/services.js';
import type { JourneySimulatorOptions } from './index.js';
import { contexts, createJourneySimulator } from './index.js';

// The projection engine's guarantees (DESIGN §6), checked for every context in the registry by
// one harness: each context is fed its own topics' share of the same simulated journeys.

const topicsOf = (context: ContextModule) => context.ingestion.decoders.map((d) => d.topic);
const journeys = (seed: number, count: number, faults: JourneySimulatorOptions['faults'] = {}, lateBy?: number) =>
  createJourneySimulator({ seed, faults: { legacyShare: 0.3, ...faults }, ...(lateBy ? { lateBy } : {}) }).next(count).records;
const only = (context: ContextModule, records: readonly SimulatedRecord[]) => {
  const topics = new Set(topicsOf(context));
  return records.filter((r) => topics.has(r.topic));
};

describe.each(contexts.flatMap((context) => bothDatabases.map(([dbName, open]) => [context.name, dbName, context, open] as const)))('engine guarantees for the %s context on %s', (_contextName, _dbName, context, openDb) => {
  let db: Database;
  const projectors: Projector[] = [];
  const topics = topicsOf(context);
  beforeAll(async () => {
    db = await openDb();
  });
  afterAll(async () => {
    await Promise.all(projectors.map((p) => p.stop()));
    await db.close();
  });
  const start = async (log: EventLog, schema: string, options: ProjectorOptions = {}) => {
    const projector = createProjector({ log, db }, context.ingestion, { schema, batchSize: 40, gapBound: 100, onError: () => undefined, ...options });
    projectors.push(projector);
    await projector.start();
    return projector;
  };
  const run = async (log: EventLog, prefix: string, options: ProjectorOptions = {}) => {
    const schema = uniqueName(`${context.name}_${prefix}`);
    await start(log, schema, options);
    await waitUntilCaughtUp(db, log, schema, topics);
    return schema;
  };
  const count = async (schema: string, table: string) => (await db.query<{ n: number }>(`select count(*)::int as n from "${schema}".${table}`)).rows[0]!.n;

  it('given a crash at any point inside a batch, when restarted, then the state equals a run without the crash, and every record is kept', async () => {
    const records = only(context, journeys(7, 100, { duplicateRate: 0.03, reorderRate: 0.03, lateRate: 0.02, malformedRate: 0.01 }));
    expect(records.length).toBeGreaterThan(100);
    const log = createEmbeddedEventLog();
    await produceAll(log, records);
    const reference = await run(log, 'ref');

    const crashed = uniqueName(`${context.name}_crash`);
    for (const point of ['after-raw', 'after-projection', 'before-commit', 'after-commit'] satisfies FaultPoint[]) {
      let calls = 0;
      let crash!: () => void;
      const crashedOnce = new Promise<void>((resolve) => (crash = resolve));
      // Small batches: every crash point must find a third batch to crash in, whatever the context's share of the traffic.
      const projector = await start(log, crashed, {
        batchSize: 10,
        fault: (p) => {
          if (p !== point || ++calls !== 3) return;
          crash();
          throw new Error(`injected crash at ${p}`);
        },
      });
      await crashedOnce;
      await projector.stop(); // the process "dies"; a new one starts below
    }
    await start(log, crashed);
    await waitUntilCaughtUp(db, log, crashed, topics);

    expect(await snapshotContext(db, crashed, context.ingestion)).toEqual(await snapshotContext(db, reference, context.ingestion));
    expect(await count(crashed, 'raw_events')).toBe(records.length);
    expect(await count(reference, 'raw_events')).toBe(records.length);
    expect(await count(crashed, 'quarantine')).toBe(await count(reference, 'quarantine'));
    const totals = async (schema: string) => (await readWatermarks(db, schema)).reduce((t, w) => ({ applied: t.applied + w.appliedCount, duplicates: t.duplicates + w.duplicateCount, quarantined: t.quarantined + w.quarantinedCount }), { applied: 0, duplicates: 0, quarantined: 0 });
    const referenceTotals = await totals(reference);
    expect(await totals(crashed)).toEqual(referenceTotals);
    expect(referenceTotals.applied).toBeGreaterThan(100);
    // The injected duplicates and poison records each have their outcome, counted.
    expect(referenceTotals.duplicates).toBeGreaterThan(0);
    expect(referenceTotals.quarantined).toBeGreaterThan(0);
  });

  it('given gaps, late, reordered and duplicated records, then the outcome does not depend on batch boundaries', async () => {
    const log = createEmbeddedEventLog();
    await produceAll(log, only(context, journeys(17, 120, { gapRate: 0.05, lateRate: 0.05, reorderRate: 0.05, duplicateRate: 0.02, malformedRate: 0.01 }, 30)));
    const outcome = async (batchSize: number) => {
      const schema = await run(log, `b${batchSize}`, { batchSize, gapBound: 20 });
      const quarantine = await db.query(`select topic, partition, record_offset, reason_code, reason, quarantine_state, redrive_outcome from "${schema}".quarantine order by topic, partition, record_offset, reason`);
      return { rows: await snapshotContext(db, schema, context.ingestion), quarantine: quarantine.rows };
    };
    const single = await outcome(1);
    expect(single.quarantine.length).toBeGreaterThan(0);
    expect(await outcome(7)).toEqual(single);
    expect(await outcome(1000)).toEqual(single);
  });

  it('given two projector instances in one group, joining and leaving mid-stream, then the state equals one instance', async () => {
    const records = only(context, journeys(23, 120, { duplicateRate: 0.02, reorderRate: 0.02 }));
    const referenceLog = createEmbeddedEventLog();
    await produceAll(referenceLog, records);
    const reference = await run(referenceLog, 'one');

    const third = Math.floor(records.length / 3);
    const log = createEmbeddedEventLog();
    const shared = uniqueName(`${context.name}_group`);
    const first = await start(log, shared, { batchSize: 10 });
    await produceAll(log, records.slice(0, third));
    const second = await start(log, shared, { batchSize: 10 }); // joins: the group rebalances
    await produceAll(log, records.slice(third, 2 * third));
    await first.stop(); // leaves: its partitions move to the other member, which resumes from the stored offsets
    await produceAll(log, records.slice(2 * third));
    await waitUntilCaughtUp(db, log, shared, topics);
    await second.stop();
    expect(await snapshotContext(db, shared, context.ingestion)).toEqual(await snapshotContext(db, reference, context.ingestion));
  });

  it('given a rebuild of every projection while the projector keeps writing, then the shadow reaches parity and swaps in', async () => {
    const log = createEmbeddedEventLog();
    const simulator = createJourneySimulator({ seed: 3, faults: { legacyShare: 0.3, duplicateRate: 0.02, reorderRate: 0.02, malformedRate: 0.01, gapRate: 0.01 } });
    await produceAll(log, only(context, simulator.next(100).records));
    const schema = await run(log, 'rb', { batchSize: 50 });
    for (const projection of context.ingestion.projections) {
      const report = await rebuildProjection({ log, db }, context.ingestion, projection.name, {
        schema,
        gapBound: 100,
        beforeSwap: async () => {
          await produceAll(log, only(context, simulator.next(10).records));
          await waitUntilCaughtUp(db, log, schema, topics);
        },
      });
      expect(report.parity.filter((p) => p.missingInShadow + p.extraInShadow > 0)).toEqual([]);
      expect(report.swapped).toBe(true);
      expect(report.events).toBe(await count(schema, 'raw_events'));
    }
    // The projector keeps working on the swapped-in tables, and a second rebuild finds nothing to change.
    await produceAll(log, only(context, simulator.next(5).records));
    await waitUntilCaughtUp(db, log, schema, topics);
    const again = await rebuildProjection({ log, db }, context.ingestion, context.ingestion.projections[0]!.name, { schema, gapBound: 100 });
    expect(again.parityOk).toBe(true);
  });
});
