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
 * replay transaction; default BENCH_BATCH_SIZE), BENCH_ROUNDS (3: rounds of live projector then
 * rebuild, each in a fresh schema; the median of their ratios is the figure), BENCH_DATABASE_URL,
 * BENCH_REBUILD_FROM_LOG.
 * Besides wall time, the CPU seconds of this process and of its PostgreSQL backends per phase
 * (read from /proc: Linux, server on this machine), steadier than wall time on shared cores.
 */
import { createPostgresDatabase } from '../platform/database/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import type { RebuildReport } from '../platform/projection/index.js';
import { createProjector, rebuildProjection } from '../platform/projection/index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, orderTimelineProjection, ordersContext } from '../subgraphs/orders/index.js';
import { waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import { produceInProducerBatches, simulatedOrderHistory } from './simulatedOrderHistory.js';
import { median } from './median.js';
import { cpuSecondsOf } from './processCpu.js';
import { writeBenchResults } from './writeBenchResults.js';

const targetEvents = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 5000);
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const alsoFromLog = process.env.BENCH_REBUILD_FROM_LOG === '1';
const TOPICS = [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC];
const GAP_BOUND = 10_000;
const replayBatchSize = Number(process.env.BENCH_REPLAY_BATCH_SIZE ?? batchSize);
const roundCount = Number(process.env.BENCH_ROUNDS ?? 3);
const APPLICATION_NAME = `bench-rebuild-${process.pid}`;

/** CPU seconds (user + system) of each PostgreSQL backend of this benchmark's pool, by pid (Linux, server on this machine). */
async function backendCpu(db: Awaited<ReturnType<typeof createPostgresDatabase>>): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pid: number }>(`select pid from pg_stat_activity where application_name = $1`, [APPLICATION_NAME]);
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    // Null: not on this machine (or gone): its CPU is not counted.
    const seconds = await cpuSecondsOf(pid);
    if (seconds !== null) out.set(pid, seconds);
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

interface PhaseFigures {
  seconds: number;
  cpu: { node: number; postgres: number };
}

interface DrillFigures extends PhaseFigures {
  replaySeconds: number;
  report: RebuildReport;
}

async function main() {
  const history = simulatedOrderHistory(targetEvents);
  const records = history.records.length;
  console.log(`generated ${records} records (${history.orders} orders)`);
  const log = createEmbeddedEventLog();
  await produceInProducerBatches(log, history.records);
  const db = await createPostgresDatabase(url, { maxConnections: 4, applicationName: APPLICATION_NAME });
  const schemas: string[] = [];
  try {
    // One round: the live projector applies the whole history into a fresh schema, then the
    // drill rebuilds it there. Rounds alternate the two, so a slow minute of a shared machine
    // falls on one round's pair, and the median of the rounds' ratios sets it aside.
    const round = async (n: number) => {
      const schema = `bench_rebuild_${Date.now().toString(36)}`;
      schemas.push(schema);
      const projector = createProjector({ log, db }, ordersContext, { schema, batchSize, gapBound: GAP_BOUND });
      const liveMark = await cpuMark(db);
      const t0 = performance.now();
      await projector.start();
      await waitUntilCaughtUp(db, log, schema, TOPICS, 60 * 60_000);
      const live: PhaseFigures = { seconds: (performance.now() - t0) / 1000, cpu: await cpuSince(db, liveMark) };
      await projector.stop();
      console.log(`round ${n}: live projector, ${records} records in ${live.seconds.toFixed(1)} s`);

      const drill = async (replaySource: 'evidence' | 'log'): Promise<DrillFigures> => {
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
        const cpu = await cpuSince(db, mark);
        if (!report.parityOk || !report.swapped) throw new Error(`rebuild from ${replaySource}: parity failed ${JSON.stringify(report.parity)}`);
        console.log(`round ${n}: rebuild from ${replaySource}, ${report.events} records in ${(report.durationMs / 1000).toFixed(1)} s, parity ok`);
        return { seconds: report.durationMs / 1000, replaySeconds: replayMs / 1000, cpu, report };
      };
      const fromEvidence = await drill('evidence');
      const fromLog = alsoFromLog ? await drill('log') : null;
      await db.query(`drop schema if exists "${schema}" cascade`);
      return { live, fromEvidence, fromLog };
    };
    const rounds = [];
    for (let n = 1; n <= roundCount; n++) rounds.push(await round(n));

    const seconds = (x: number) => Number(x.toFixed(2));
    const ratio = (live: PhaseFigures, drill: PhaseFigures) => Number((live.seconds / drill.seconds).toFixed(3));
    const cpuRatio = (live: PhaseFigures, drill: PhaseFigures) => Number(((live.cpu.node + live.cpu.postgres) / (drill.cpu.node + drill.cpu.postgres)).toFixed(3));
    const drillSummary = (live: PhaseFigures, drill: DrillFigures) => ({
      seconds: seconds(drill.seconds),
      records_per_second: Math.round(records / drill.seconds),
      ratio_vs_live: ratio(live, drill),
      replay_seconds: seconds(drill.replaySeconds),
      parity_and_swap_seconds: seconds(drill.seconds - drill.replaySeconds),
      records_from_log: drill.report.eventsFromLog,
      cpu_seconds: drill.cpu,
      cpu_ratio_vs_live: cpuRatio(live, drill),
      parity: drill.report.parity.map((p) => ({ table: p.table, rows: p.liveRows, missing: p.missingInShadow, extra: p.extraInShadow })),
    });
    const perRound = rounds.map(({ live, fromEvidence, fromLog }) => ({
      live: { seconds: seconds(live.seconds), records_per_second: Math.round(records / live.seconds), cpu_seconds: live.cpu },
      rebuild_from_evidence: drillSummary(live, fromEvidence),
      ...(fromLog ? { rebuild_from_log: drillSummary(live, fromLog) } : {}),
    }));
    const result = {
      records,
      batch_size: batchSize,
      replay_batch_size: replayBatchSize,
      rounds: perRound,
      median_ratio_vs_live: Number(median(perRound.map((r) => r.rebuild_from_evidence.ratio_vs_live)).toFixed(3)),
      median_cpu_ratio_vs_live: Number(median(perRound.map((r) => r.rebuild_from_evidence.cpu_ratio_vs_live)).toFixed(3)),
      ...(alsoFromLog ? { median_ratio_vs_live_from_log: Number(median(perRound.map((r) => r.rebuild_from_log!.ratio_vs_live)).toFixed(3)) } : {}),
      measured_at: new Date().toISOString(),
    };
    const row = (label: string, d: ReturnType<typeof drillSummary>) =>
      `| ${label} | ${d.seconds} (${d.replay_seconds} + ${d.parity_and_swap_seconds}) | ${d.records_per_second.toLocaleString('en')} | ${d.ratio_vs_live} | ${d.cpu_seconds.node} + ${d.cpu_seconds.postgres} | ${d.cpu_ratio_vs_live} |`;
    await writeBenchResults(
      'rebuild',
      result,
      [
        '# Rebuild benchmark',
        '',
        `${records.toLocaleString('en')} simulator records (the bench:ingest history) applied live by the projector, then rebuilt by the drill (replay into shadow tables, parity check against the live tables, atomic swap), in one run on the same PostgreSQL, ${roundCount} round${roundCount === 1 ? '' : 's'} of the two (each round a fresh schema). Batch size ${batchSize} (live), ${replayBatchSize} (replay). Rates are records of history per second, the rebuild's including its parity check and swap.`,
        '',
        '| round: method | seconds (replay + parity and swap) | records/s | ÷ live projector | CPU s: Node + PostgreSQL | CPU ratio |',
        '|---|---:|---:|---:|---:|---:|',
        ...perRound.flatMap((r, i) => [
          `| ${i + 1}: live projector (embedded log → PostgreSQL, raw evidence kept) | ${r.live.seconds} | ${r.live.records_per_second.toLocaleString('en')} | 1 | ${r.live.cpu_seconds.node} + ${r.live.cpu_seconds.postgres} | 1 |`,
          row(`${i + 1}: rebuild from the raw evidence`, r.rebuild_from_evidence),
          ...(r.rebuild_from_log ? [row(`${i + 1}: rebuild from the log (embedded, through the event-log port)`, r.rebuild_from_log)] : []),
        ]),
        '',
        `Parity held for every table in every round and the shadow tables were swapped in. Target: rebuild ≥ 1 × live. Median of the rounds: ${result.median_ratio_vs_live} (wall), ${result.median_cpu_ratio_vs_live} (CPU: live CPU ÷ rebuild CPU). The CPU of a phase counts this process and the pool's PostgreSQL backends open at its end.`,
        '',
      ].join('\n'),
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    for (const schema of schemas) await db.query(`drop schema if exists "${schema}" cascade`).catch(() => undefined);
    await db.close();
    await log.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
