/**
 * `npm run bench:rebuild`: a rebuild drill of the order timeline over the bench:ingest history
 * (≥ 1,000,000 records), against the live projector's rate in the same run on the same PostgreSQL.
 *
 *   live        the projector applies the history from the embedded log (raw evidence kept)
 *   rebuild     rebuildProjection replays the raw evidence into shadow tables, checks parity
 *               against the live tables and swaps them in (the drill operators run)
 *
 * The rebuild reads the raw evidence, not the log: the evidence keeps every applied record for as
 * long as the projection exists, where a log keeps records for its retention only (the test
 * broker keeps 5 MB per partition: a million records do not fit in it). BENCH_REBUILD_FROM_LOG=1
 * adds a second drill that replays the embedded log through the event-log port instead.
 *
 * Writes bench/results/rebuild.json and .md. Options (env): BENCH_EVENTS (1000000),
 * BENCH_BATCH_SIZE (5000), BENCH_DATABASE_URL, BENCH_REBUILD_FROM_LOG.
 */
import { writeFile } from 'node:fs/promises';
import { createPostgresDatabase } from '../platform/database/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import type { RebuildReport } from '../platform/projection/index.js';
import { createProjector, rebuildProjection } from '../platform/projection/index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, orderTimelineProjection, ordersContext } from '../subgraphs/orders/index.js';
import { waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import { produceInProducerBatches, simulatedOrderHistory } from './simulatedOrderHistory.js';

const targetEvents = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 5000);
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const alsoFromLog = process.env.BENCH_REBUILD_FROM_LOG === '1';
const TOPICS = [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC];
const GAP_BOUND = 10_000;

async function main() {
  const history = simulatedOrderHistory(targetEvents);
  const records = history.records.length;
  console.log(`generated ${records} records (${history.orders} orders)`);
  const log = createEmbeddedEventLog();
  await produceInProducerBatches(log, history.records);
  const db = await createPostgresDatabase(url, { maxConnections: 4 });
  const schema = `bench_rebuild_${Date.now().toString(36)}`;
  try {
    const projector = createProjector({ log, db }, ordersContext, { schema, batchSize, gapBound: GAP_BOUND });
    const t0 = performance.now();
    await projector.start();
    await waitUntilCaughtUp(db, log, schema, TOPICS, 60 * 60_000);
    const liveSeconds = (performance.now() - t0) / 1000;
    await projector.stop();
    console.log(`live projector: ${records} records in ${liveSeconds.toFixed(1)} s`);
    const replaySeconds = new Map<RebuildReport, number>();

    const drill = async (replaySource: 'evidence' | 'log') => {
      const t = performance.now();
      let replayMs = 0;
      const report = await rebuildProjection({ log, db }, ordersContext, orderTimelineProjection.name, {
        schema,
        gapBound: GAP_BOUND,
        replaySource,
        replayBatchSize: batchSize,
        beforeSwap: async () => {
          replayMs = performance.now() - t;
        },
      });
      replaySeconds.set(report, replayMs / 1000);
      if (!report.parityOk || !report.swapped) throw new Error(`rebuild from ${replaySource}: parity failed ${JSON.stringify(report.parity)}`);
      console.log(`rebuild from ${replaySource}: ${report.events} records in ${(report.durationMs / 1000).toFixed(1)} s, parity ok`);
      return report;
    };
    const fromEvidence = await drill('evidence');
    const fromLog = alsoFromLog ? await drill('log') : null;

    const rate = (ms: number) => Math.round(records / (ms / 1000));
    const summary = (report: RebuildReport) => ({
      seconds: Number((report.durationMs / 1000).toFixed(2)),
      records_per_second: rate(report.durationMs),
      ratio_vs_live: Number((liveSeconds / (report.durationMs / 1000)).toFixed(3)),
      replay_seconds: Number((replaySeconds.get(report) ?? 0).toFixed(2)),
      parity_and_swap_seconds: Number((report.durationMs / 1000 - (replaySeconds.get(report) ?? 0)).toFixed(2)),
      records_from_log: report.eventsFromLog,
      parity: report.parity.map((p) => ({ table: p.table, rows: p.liveRows, missing: p.missingInShadow, extra: p.extraInShadow })),
    });
    const result = {
      records,
      batch_size: batchSize,
      live: { seconds: Number(liveSeconds.toFixed(2)), records_per_second: Math.round(records / liveSeconds) },
      rebuild_from_evidence: summary(fromEvidence),
      ...(fromLog ? { rebuild_from_log: summary(fromLog) } : {}),
      measured_at: new Date().toISOString(),
    };
    await writeFile(new URL('./results/rebuild.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(
      new URL('./results/rebuild.md', import.meta.url),
      [
        '# Rebuild benchmark',
        '',
        `${records.toLocaleString('en')} simulator records (the bench:ingest history) applied live by the projector, then rebuilt by the drill (replay into shadow tables, parity check against the live tables, atomic swap), in one run on the same PostgreSQL. Batch size ${batchSize}. Rates are records of history per second, the rebuild's including its parity check and swap.`,
        '',
        '| method | seconds (replay + parity and swap) | records/s | ÷ live projector |',
        '|---|---:|---:|---:|',
        `| live projector (embedded log → PostgreSQL, raw evidence kept) | ${result.live.seconds} | ${result.live.records_per_second.toLocaleString('en')} | 1 |`,
        `| rebuild from the raw evidence | ${result.rebuild_from_evidence.seconds} (${result.rebuild_from_evidence.replay_seconds} + ${result.rebuild_from_evidence.parity_and_swap_seconds}) | ${result.rebuild_from_evidence.records_per_second.toLocaleString('en')} | ${result.rebuild_from_evidence.ratio_vs_live} |`,
        ...(result.rebuild_from_log ? [`| rebuild from the log (embedded, through the event-log port) | ${result.rebuild_from_log.seconds} (${result.rebuild_from_log.replay_seconds} + ${result.rebuild_from_log.parity_and_swap_seconds}) | ${result.rebuild_from_log.records_per_second.toLocaleString('en')} | ${result.rebuild_from_log.ratio_vs_live} |`] : []),
        '',
        `Parity held for every table and the shadow tables were swapped in. Target: rebuild ≥ 1 × live. Measured: ${result.rebuild_from_evidence.ratio_vs_live}.`,
        '',
      ].join('\n'),
    );
    console.log(JSON.stringify(result, null, 2));
    await db.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await db.close();
    await log.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
