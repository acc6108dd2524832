/**
 * `npm run bench:freshness`: how long an event takes from its producer to a contract response.
 * Simulated orders are produced at a steady BENCH_RATE records/s (1000) through the Kafka adapter
 * to the test broker (librdkafka's mock cluster, or BENCH_KAFKA_BROKERS); the orders projector
 * applies them into PostgreSQL; the gateway serves them over real HTTP. Every 4th `OrderPlaced`
 * is a marker: its produce call's start is t0, and a poller asks the gateway (contract
 * customer_order_timeline/v2, one request for every pending marker every BENCH_POLL_INTERVAL_MS,
 * 20) until the order is in the answer; the response's arrival is t1. Latency = t1 − t0, so it
 * includes the produce round trip, the consumer's fetch, the batch transaction, the HTTP request
 * and up to one poll interval: an upper bound on "visible". Producer, projector, gateway and
 * poller share one process (and the machine's two cores), as on a single-node deployment.
 *
 * Runs BENCH_WARMUP_SECONDS (10) unmeasured, then BENCH_SECONDS (60) measured. Writes
 * bench/results/freshness.json and .md. Options (env) also: BENCH_DATABASE_URL,
 * BENCH_KAFKA_BROKERS, BENCH_FETCH_MAX_WAIT_MS (the adapter's default), BENCH_BATCH_SIZE (500),
 * BENCH_PARTITION_CONCURRENCY (2), BENCH_GATHER_MS (the adapter's default), BENCH_LINGER_MS (the adapter's default).
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { createGateway } from '../gateway/createGateway.js';
import { listen } from '../gateway/http/listen.js';
import { createMemoryCache } from '../platform/cache/index.js';
import { createPostgresDatabase } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { createEmbeddedEventLog, createKafkaEventLog, DEFAULT_KAFKA_FETCH, DEFAULT_KAFKA_PRODUCE } from '../platform/eventLog/index.js';
import { createProjector } from '../platform/projection/index.js';
import type { SimulatedRecord } from '../platform/simulator/index.js';
import { contexts } from '../subgraphs/index.js';
import { createOrdersSimulator, LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContextModule } from '../subgraphs/orders/index.js';
import { openTestAccess } from '../test/support/gatewayAccess.js';
import { startMockKafkaBroker } from '../test/support/startMockKafkaBroker.js';

const rate = Number(process.env.BENCH_RATE ?? 1000);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const measuredSeconds = Number(process.env.BENCH_SECONDS ?? 60);
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TOPICS = [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC];
const fetchMaxWaitMs = Number(process.env.BENCH_FETCH_MAX_WAIT_MS ?? DEFAULT_KAFKA_FETCH.maxWaitMs);
const maxGatherMs = Number(process.env.BENCH_GATHER_MS ?? DEFAULT_KAFKA_FETCH.maxGatherMs);
const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 500);
const partitionConcurrency = Number(process.env.BENCH_PARTITION_CONCURRENCY ?? 2);
const pollIntervalMs = Number(process.env.BENCH_POLL_INTERVAL_MS ?? 20);
const lingerMs = Number(process.env.BENCH_LINGER_MS ?? DEFAULT_KAFKA_PRODUCE.lingerMs);
const TICK_MS = 10;
// BENCH_LOG=embedded: the same pipeline on the embedded log, no Kafka: what the projector, the
// gateway and the poller take on their own (results in freshness-embedded.*).
const embedded = process.env.BENCH_LOG === 'embedded';
const resultName = embedded ? 'freshness-embedded' : 'freshness';
const CONTRACT = '/contracts/customer_order_timeline/v2';

interface Marker {
  orderId: string;
  producedAt: number;
  measured: boolean;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main() {
  const external = process.env.BENCH_KAFKA_BROKERS;
  const broker = external || embedded ? null : await startMockKafkaBroker(TOPICS.map((t) => `${t}:4`));
  const kafka: EventLog = embedded ? createEmbeddedEventLog() : await createKafkaEventLog({ brokers: external ? external.split(',') : [broker!.bootstrap], fetch: { maxWaitMs: fetchMaxWaitMs, maxGatherMs }, produce: { lingerMs } });
  const db = await createPostgresDatabase(url);
  const cache = createMemoryCache();
  const schema = `bench_fresh_${Date.now().toString(36)}`;
  const schemas = Object.fromEntries(contexts.map((c) => [c.name, c === ordersContextModule ? schema : `${schema}_${c.name}`]));
  // Transactions during the measured window: how many, and how long each took (the apply step of the latency).
  const transactionMs: number[] = [];
  let measuring = false;
  const projector = createProjector({ log: kafka, db }, ordersContextModule.ingestion, {
    schema,
    batchSize,
    partitionConcurrency,
    onBatch: (_projection, _counts, durationMs) => {
      if (measuring) transactionMs.push(durationMs);
    },
  });
  await projector.start();
  const { access, bearer } = await openTestAccess({ db, cache }, `${schema}_access`);
  const gateway = await createGateway({ db, log: kafka, cache }, access, { projectionSchemas: schemas, freshnessHistory: null, usage: undefined });
  const { server, url: gatewayUrl } = await listen(gateway.handle, '127.0.0.1', 0);
  const headers = { 'content-type': 'application/json', ...bearer('internal') };

  const simulator = createOrdersSimulator({ seed: 7, startTime: Date.now() });
  const queue: SimulatedRecord[] = [];
  const pending = new Map<string, Marker>();
  const latencies: number[] = [];
  const produceMs: number[] = [];
  let produced = 0;
  let placed = 0;
  let polls = 0;
  let running = true;
  const started = performance.now();
  const loadAtStart = loadavg()[0]!;
  const measureFrom = started + warmupSeconds * 1000;
  const stopAt = measureFrom + measuredSeconds * 1000;

  // The producer: every tick, the records due by now at `rate`, one produce call per record, as a
  // service producing each event as it happens: the adapter's linger puts them in shared requests.
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  let cpuSeconds = 0;
  const producer = (async () => {
    while (performance.now() < stopAt) {
      if (!measuring && performance.now() >= measureFrom) {
        measuring = true;
        cpuAtStart = process.cpuUsage();
      }
      const due = Math.floor(((performance.now() - started) / 1000) * rate) - produced;
      if (due > 0) {
        while (queue.length < due) queue.push(...simulator.nextOrders(100).records);
        const batch = queue.splice(0, due);
        produced += batch.length;
        const t0 = performance.now();
        for (const record of batch) {
          if (record.topic !== ORDERS_EVENTS_TOPIC || !record.value?.includes('"type":"OrderPlaced"')) continue;
          if (placed++ % 4 === 0) pending.set(record.key, { orderId: record.key, producedAt: t0, measured: t0 >= measureFrom });
        }
        await Promise.all(batch.map(async (r) => {
          await kafka.produce(r.topic, [{ key: r.key, value: r.value }]);
          produceMs.push(performance.now() - t0);
        }));
      }
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
  })();

  // The poller: one request for every pending marker, back to back.
  const poller = (async () => {
    while (running || pending.size > 0) {
      const asked = [...pending.values()].slice(0, 100);
      // The poller shares the process with the projector and the gateway: asking back to back
      // would take the CPU the projector needs, so it asks every pollIntervalMs.
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
      if (asked.length === 0) continue;
      const query = `{ ${asked.map((m, i) => `m${i}: customerOrderTimeline(orderId: ${JSON.stringify(m.orderId)}) { orderId }`).join(' ')} }`;
      const response = await fetch(`${gatewayUrl}${CONTRACT}`, { method: 'POST', headers, body: JSON.stringify({ query }) });
      const body = (await response.json()) as { data?: Record<string, { orderId: string } | null>; errors?: unknown[] };
      const seenAt = performance.now();
      polls++;
      if (body.errors) throw new Error(`the gateway answered with errors: ${JSON.stringify(body.errors).slice(0, 500)}`);
      asked.forEach((marker, i) => {
        if (!body.data?.[`m${i}`]) return;
        pending.delete(marker.orderId);
        if (marker.measured) latencies.push(seenAt - marker.producedAt);
      });
      // Markers still missing 30 s after the last produce are reported as such, not waited for.
      if (!running && performance.now() > stopAt + 30_000) break;
    }
  })();

  try {
    await producer;
    running = false;
    measuring = false;
    const cpu = process.cpuUsage(cpuAtStart);
    cpuSeconds = (cpu.user + cpu.system) / 1e6;
    // How far behind the projector was when production stopped: records produced, not yet applied.
    const { rows: marks } = await db.query<{ applied: string }>(`select sum(next_offset) as applied from "${schema}".projection_checkpoints`);
    let inLog = 0;
    for (const topic of TOPICS) inLog += (await kafka.endOffsets(topic)).reduce((a, b) => a + b, 0);
    const lagAtEnd = inLog - Number(marks[0]!.applied);
    await poller;
    const missing = [...pending.values()].filter((m) => m.measured).length;
    // A marker never seen counts as slower than any seen: percentiles stay honest when some are missing.
    for (let i = 0; i < missing; i++) latencies.push(Number.POSITIVE_INFINITY);
    const sorted = [...latencies].sort((a, b) => a - b);
    const produceSorted = [...produceMs].sort((a, b) => a - b);
    const transactionsSorted = [...transactionMs].sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    const show = (n: number): number | string => (Number.isFinite(n) ? round(n) : 'not visible within 30 s');
    const result = {
      rate_per_second: rate,
      measured_seconds: measuredSeconds,
      warmup_seconds: warmupSeconds,
      records_produced: produced,
      markers_measured: sorted.length,
      markers_not_visible_30s_after_end: missing,
      lag_records_when_production_stopped: lagAtEnd,
      polls,
      latency_ms: { p50: show(percentile(sorted, 50)), p90: show(percentile(sorted, 90)), p99: show(percentile(sorted, 99)), max: show(sorted[sorted.length - 1] ?? Number.NaN) },
      produce_call_ms: { p50: round(percentile(produceSorted, 50)), p99: round(percentile(produceSorted, 99)) },
      projector_transactions: { count: transactionMs.length, per_second: round(transactionMs.length / measuredSeconds), ms: { p50: round(percentile(transactionsSorted, 50)), p99: round(percentile(transactionsSorted, 99)) } },
      // Producer, projector, gateway and poller share this process: its CPU per second of wall time.
      process_cpu_seconds_per_second: Number((cpuSeconds / measuredSeconds).toFixed(3)),
      load_average_1m: { start: Number(loadAtStart.toFixed(2)), end: Number(loadavg()[0]!.toFixed(2)) },
      settings: { linger_ms: lingerMs, fetch_max_wait_ms: fetchMaxWaitMs, max_gather_ms: maxGatherMs, projector_batch_size: batchSize, partition_concurrency: partitionConcurrency, poll_interval_ms: pollIntervalMs, broker: embedded ? 'none: embedded log (BENCH_LOG=embedded)' : external ? `external (${external})` : 'librdkafka mock cluster (test broker)' },
      measured_at: new Date().toISOString(),
    };
    await writeFile(new URL(`./results/${resultName}.json`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(
      new URL(`./results/${resultName}.md`, import.meta.url),
      [
        embedded ? '# Freshness benchmark, embedded log (no Kafka: the rest of the path on its own)' : '# Freshness benchmark',
        '',
        embedded
          ? `Simulated orders produced at a steady ${rate.toLocaleString('en')} records/s, one produce call per record, to the embedded log, applied by the orders projector (batch size ${batchSize}, ${partitionConcurrency} partitions at a time) into PostgreSQL, read through the gateway over HTTP (contract customer_order_timeline/v2). Latency: from the start of the produce call of an \`OrderPlaced\` to the arrival of the first contract response that contains the order (every 4th order is a marker; one poll request for all pending markers every ${pollIntervalMs} ms). ${warmupSeconds} s warm-up, then ${measuredSeconds} s measured.`
          : `Simulated orders produced at a steady ${rate.toLocaleString('en')} records/s, one produce call per record (the adapter lingers ${lingerMs} ms and sends what gathered in one request), through the Kafka adapter to the ${result.settings.broker}, applied by the orders projector (Kafka adapter, batch size ${batchSize}, ${partitionConcurrency} partitions at a time, fetch wait ${fetchMaxWaitMs} ms, gathering up to ${maxGatherMs} ms) into PostgreSQL, read through the gateway over HTTP (contract customer_order_timeline/v2). Latency: from the start of the produce call of an \`OrderPlaced\` to the arrival of the first contract response that contains the order (every 4th order is a marker; one poll request for all pending markers every ${pollIntervalMs} ms). ${warmupSeconds} s warm-up, then ${measuredSeconds} s measured.`,
        '',
        '| markers | p50 ms | p90 ms | p99 ms | max ms |',
        '|---:|---:|---:|---:|---:|',
        `| ${result.markers_measured.toLocaleString('en')} | ${result.latency_ms.p50} | ${result.latency_ms.p90} | ${result.latency_ms.p99} | ${result.latency_ms.max} |`,
        '',
        `Records produced but not yet applied when production stopped: ${lagAtEnd.toLocaleString('en')}. Markers not visible 30 s after the last produce: ${missing}.`,
        '',
        `Produce call (send → acknowledged, linger ${lingerMs} ms included): p50 ${result.produce_call_ms.p50} ms, p99 ${result.produce_call_ms.p99} ms. Polls: ${polls.toLocaleString('en')}. Projector transactions: ${result.projector_transactions.per_second}/s, p50 ${result.projector_transactions.ms.p50} ms, p99 ${result.projector_transactions.ms.p99} ms.`,
        '',
        `This process (producer, projector, gateway, poller) used ${result.process_cpu_seconds_per_second} CPU s per second. Load average (1 min) ${result.load_average_1m.start} at start, ${result.load_average_1m.end} at end (2 cores).`,
        '',
        `Target: p99 < 250 ms. Measured: ${result.latency_ms.p99}${typeof result.latency_ms.p99 === 'number' ? ' ms' : ''}.`,
        '',
      ].join('\n'),
    );
    console.log(JSON.stringify(result, null, 2));
  } finally {
    running = false;
    server.close();
    await gateway.stop();
    await projector.stop();
    await access.close();
    await db.query(`drop schema if exists "${schema}" cascade`).catch(() => undefined);
    await db.query(`drop schema if exists "${schema}_access" cascade`).catch(() => undefined);
    await cache.close();
    await db.close();
    await kafka.close();
    await broker?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
