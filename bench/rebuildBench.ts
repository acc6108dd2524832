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
 * BENCH_BATCH_SIZE (5000, the live projector's), BENCH_REPLAY_BATCH_SIZE (the rebuild's records per
 * replay transaction; default BENCH_BATCH_SIZE), BENCH_DATABASE_URL, BENCH_REBUILD_FROM_LOG.
 * Besides wall time, the CPU seconds of this process and of its PostgreSQL backends per phase
 * (read from /proc: Linux, server on this machine), steadier than wall time on shared cores.
 */
import { readFile } from 'node:fs/promises';
import { createPostgresDatabase } from '../platform/database/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import type { RebuildReport } from '../platform/projection/index.js';
import { createProjector, rebuildProjection } from '../platform/projection/index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, orderTimelineProjection, ordersContext } from '../subgraphs/orders/index.js';
import { waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import { produceInProducerBatches, simulatedOrderHistory } from './simulatedOrderHistory.js';
import { writeBenchResults } from './writeBenchResults.js';

const targetEvents = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 5000);
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const alsoFromLog = process.env.BENCH_REBUILD_FROM_LOG === '1';
const TOPICS = [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC];
const GAP_BOUND = 10_000;
const replayBatchSize = Number(process.env.BENCH_REPLAY_BATCH_SIZE ?? batchSize);
const APPLICATION_NAME = `bench-rebuild-${process.pid}`;

/** CPU seconds (user + system) of each PostgreSQL backend of this benchmark's pool, by pid (Linux, server on this machine). */
async function backendCpu(db: Awaited<ReturnType<typeof createPostgresDatabase>>): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pid: number }>(`select pid from pg_stat_activity where application_name = $1`, [APPLICATION_NAME]);
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // Not on this machine (or gone): its CPU is not counted.
    }
  }
  return out;
}

/** CPU seconds of this process and of the pool's backends since `since` (backends that closed meanwhile are not counted). */
async function cpuSince(db: Awaited<ReturnType<typeof createPostgresDatabase>>, since: { node: NodeJS.CpuUsage; backends: Map<number, number> }) {
  const node = process.cpuUsage(since.node);
  const now = await backendCpu(db);
  let postgres = 0;
  for (const [pid, cpu] of now) postgres += cpu - (since.backends.get(pid) ?? 0);
  return { node: Number(((node.user + node.system) / 1e6).toFixed(2)), postgres: Number(postgres.toFixed(2)) };
}
const cpuMark = async (db: Awaited<ReturnType<typeof createPostgresDatabase>>) => ({ node: process.cpuUsage(), backends: await backendCpu(db) });

async function main() {
  const history = simulatedOrderHistory(targetEvents);
  const records = history.records.length;
  console.log(`generated ${records} records (${history.orders} orders)`);
  const log = createEmbeddedEventLog();
  await produceInProducerBatches(log, history.records);
  const db = await createPostgresDatabase(url, { maxConnections: 4, applicationName: APPLICATION_NAME });
  const schema = `bench_rebuild_${Date.now().toString(36)}`;
  try {
    const projector = createProjector({ log, db }, ordersContext, { schema, batchSize, gapBound: GAP_BOUND });
    const liveMark = await cpuMark(db);
    const t0 = performance.now();
    await projector.start();
    await waitUntilCaughtUp(db, log, schema, TOPICS, 60 * 60_000);
    const liveSeconds = (performance.now() - t0) / 1000;
    const liveCpu = await cpuSince(db, liveMark);
    await projector.stop();
    console.log(`live projector: ${records} records in ${liveSeconds.toFixed(1)} s`);
    const replaySeconds = new Map<RebuildReport, number>();
    const drillCpu = new Map<RebuildReport, { node: number; postgres: number }>();

    const drill = async (replaySource: 'evidence' | 'log') => {
      const mark = await cpuMark(db);
      const t = performance.now();
      let replayMs = 0;
      const report = await rebuildProjection({ log, db }, ordersContext, orderTimelineProjection.name, {
        schema,
        gapBound: GAP_BOUND,
        replaySource,
        replayBatchSize,
        beforeSwap: async () => {
          replayMs = performance.now() - t;
        },
      });
      replaySeconds.set(report, replayMs / 1000);
      drillCpu.set(report, await cpuSince(db, mark));
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
      cpu_seconds: drillCpu.get(report),
      cpu_ratio_vs_live: Number(((liveCpu.node + liveCpu.postgres) / (drillCpu.get(report)!.node + drillCpu.get(report)!.postgres)).toFixed(3)),
      parity: report.parity.map((p) => ({ table: p.table, rows: p.liveRows, missing: p.missingInShadow, extra: p.extraInShadow })),
    });
    const result = {
      records,
      batch_size: batchSize,
      replay_batch_size: replayBatchSize,
      live: { seconds: Number(liveSeconds.toFixed(2)), records_per_second: Math.round(records / liveSeconds), cpu_seconds: liveCpu },
      rebuild_from_evidence: summary(fromEvidence),
      ...(fromLog ? { rebuild_from_log: summary(fromLog) } : {}),
      measured_at: new Date().toISOString(),
    };
    await writeBenchResults(
      'rebuild',
      result,
      [
        '# Rebuild benchmark',
        '',
        `${records.toLocaleString('en')} simulator records (the bench:ingest history) applied live by the projector, then rebuilt by the drill (replay into shadow tables, parity check against the live tables, atomic swap), in one run on the same PostgreSQL. Batch size ${batchSize} (live), ${replayBatchSize} (replay). Rates are records of history per second, the rebuild's including its parity check and swap.`,
        '',
        '| method | seconds (replay + parity and swap) | records/s | ÷ live projector | CPU s: Node + PostgreSQL | CPU ratio |',
        '|---|---:|---:|---:|---:|---:|',
        `| live projector (embedded log → PostgreSQL, raw evidence kept) | ${result.live.seconds} | ${result.live.records_per_second.toLocaleString('en')} | 1 | ${liveCpu.node} + ${liveCpu.postgres} | 1 |`,
        `| rebuild from the raw evidence | ${result.rebuild_from_evidence.seconds} (${result.rebuild_from_evidence.replay_seconds} + ${result.rebuild_from_evidence.parity_and_swap_seconds}) | ${result.rebuild_from_evidence.records_per_second.toLocaleString('en')} | ${result.rebuild_from_evidence.ratio_vs_live} | ${result.rebuild_from_evidence.cpu_seconds!.node} + ${result.rebuild_from_evidence.cpu_seconds!.postgres} | ${result.rebuild_from_evidence.cpu_ratio_vs_live} |`,
        ...(result.rebuild_from_log ? [`| rebuild from the log (embedded, through the event-log port) | ${result.rebuild_from_log.seconds} (${result.rebuild_from_log.replay_seconds} + ${result.rebuild_from_log.parity_and_swap_seconds}) | ${result.rebuild_from_log.records_per_second.toLocaleString('en')} | ${result.rebuild_from_log.ratio_vs_live} | ${result.rebuild_from_log.cpu_seconds!.node} + ${result.rebuild_from_log.cpu_seconds!.postgres} | ${result.rebuild_from_log.cpu_ratio_vs_live} |`] : []),
        '',
        `Parity held for every table and the shadow tables were swapped in. Target: rebuild ≥ 1 × live. Measured: ${result.rebuild_from_evidence.ratio_vs_live} (wall), ${result.rebuild_from_evidence.cpu_ratio_vs_live} (CPU: live CPU ÷ rebuild CPU). The CPU of a phase counts this process and the pool's PostgreSQL backends open at its end.`,
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
