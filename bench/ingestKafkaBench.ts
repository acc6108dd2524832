/**
 * `npm run bench:ingest:kafka`: the Kafka path of ingest. The same simulator records as
 * bench:ingest, produced through the Kafka adapter as a batching producer does (one record batch
 * per partition per produce request, 4 partitions per topic) to the test broker (librdkafka's
 * mock cluster, or BENCH_KAFKA_BROKERS), and read in the same run by
 *
 *   bare kafkajs          a kafkajs consumer that only reads (the baseline)
 *   projector (Kafka)     the projector through the Kafka adapter into PostgreSQL
 *   projector (embedded)  the projector on the embedded log, same records, same PostgreSQL:
 *                         the projector's own write speed, without Kafka
 *
 * The test broker keeps at most 5 MB per partition (librdkafka's mock drops the oldest record
 * batches beyond that, a hard-coded retention), so a million records cannot sit in it at once.
 * The history goes in rounds that fit (BENCH_ROUND_RECORDS): each round is produced while both
 * consumers are held at a gate, then the bare consumer reads it alone, then the projector
 * applies it alone; each is timed from its gate opening to its reaching the round's log end.
 * The projector's gate holds its transactions, not its fetches: its consumer fetches (and the
 * adapter gathers) the round while it is produced, so up to the bare consumer's whole time of
 * reading is outside the projector's timing. The report says how large that is against its time.
 *
 * Writes bench/results/ingest-kafka.json and .md. Options (env): BENCH_EVENTS (1000000),
 * BENCH_BATCH_SIZE (5000), BENCH_ROUND_RECORDS (32000), BENCH_DATABASE_URL, BENCH_KAFKA_BROKERS.
 */
import { loadavg } from 'node:os';
import type { Database } from '../platform/database/index.js';
import { createPostgresDatabase } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { createEmbeddedEventLog, createKafkaEventLog, DEFAULT_KAFKA_FETCH } from '../platform/eventLog/index.js';
import { createProjector } from '../platform/projection/index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, ordersContext } from '../subgraphs/orders/index.js';
import { waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import { startMockKafkaBroker } from '../test/support/startMockKafkaBroker.js';
import { createGate } from './createGate.js';
import { gateDatabase } from './gateDatabase.js';
import { produceInProducerBatches, simulatedOrderHistory } from './simulatedOrderHistory.js';
import { startBareKafkajsConsumer } from './startBareKafkajsConsumer.js';
import { writeBenchResults } from './writeBenchResults.js';

const targetEvents = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 5000);
const roundRecords = Number(process.env.BENCH_ROUND_RECORDS ?? 32_000);
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TOPICS = [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC];
const PARTITIONS = 4;

async function appliedEvents(db: Database, schema: string): Promise<number> {
  const { rows } = await db.query<{ applied: string }>(`select sum(applied_count) as applied from "${schema}".projection_checkpoints`);
  return Number(rows[0]!.applied);
}

/** Resolves once the projector's checkpoints have reached `ends`. */
async function projectorReached(db: Database, schema: string, ends: ReadonlyMap<string, readonly number[]>): Promise<void> {
  for (;;) {
    const { rows } = await db.query<{ topic: string; partition: number; next_offset: string }>(`select topic, partition, next_offset from "${schema}".projection_checkpoints`);
    const at = new Map(rows.map((r) => [`${r.topic}/${r.partition}`, Number(r.next_offset)]));
    if (![...ends].some(([topic, offsets]) => offsets.some((end, partition) => (at.get(`${topic}/${partition}`) ?? 0) < end))) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function endOffsets(log: EventLog): Promise<Map<string, number[]>> {
  const ends = new Map<string, number[]>();
  for (const topic of TOPICS) ends.set(topic, await log.endOffsets(topic));
  return ends;
}

async function main() {
  const history = simulatedOrderHistory(targetEvents);
  const records = history.records.length;
  console.log(`generated ${records} records (${history.orders} orders, ${history.duplicates} duplicates, ${history.reordered} reordered)`);

  const external = process.env.BENCH_KAFKA_BROKERS;
  const broker = external ? null : await startMockKafkaBroker(TOPICS.map((t) => `${t}:${PARTITIONS}`));
  const brokers = external ? external.split(',') : [broker!.bootstrap];
  const kafka = await createKafkaEventLog({ brokers });
  const embedded = createEmbeddedEventLog({ defaultPartitions: PARTITIONS });
  const db = await createPostgresDatabase(url, { maxConnections: 4 });
  const stamp = Date.now().toString(36);
  const schemas = { kafka: `bench_ingest_kafka_${stamp}`, embedded: `bench_ingest_embedded_${stamp}` };
  const bareGate = createGate();
  const projectorGate = createGate();
  try {
    await kafka.ensureTopics(TOPICS.map((name) => ({ name, partitions: PARTITIONS })));
    const bare = await startBareKafkajsConsumer(brokers, TOPICS, bareGate, DEFAULT_KAFKA_FETCH.maxWaitMs);
    const projector = createProjector({ log: kafka, db: gateDatabase(db, projectorGate) }, ordersContext, { schema: schemas.kafka, batchSize, gapBound: 10_000, partitions: PARTITIONS });
    // Its start creates tables in transactions: through the gate, before any record is produced.
    projectorGate.open();
    await projector.start();
    projectorGate.close();
    const seconds = { produce: 0, bare: 0, projector: 0 };
    // CPU seconds of this process in each timed window (both consumers live in it; outside its
    // window each one is held at its gate, so the window's CPU is its own, kafkajs' fetching aside).
    const cpu = { bare: 0, projector: 0, embedded: 0 };
    const cpuSince = (from: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(from);
      return (used.user + used.system) / 1e6;
    };
    const loadAtStart = loadavg()[0]!;
    let rounds = 0;
    for (let i = 0; i < records; i += roundRecords) {
      let t = performance.now();
      await produceInProducerBatches(kafka, history.records.slice(i, i + roundRecords));
      seconds.produce += (performance.now() - t) / 1000;
      const ends = await endOffsets(kafka);
      t = performance.now();
      let c = process.cpuUsage();
      bareGate.open();
      await bare.reached(ends);
      seconds.bare += (performance.now() - t) / 1000;
      cpu.bare += cpuSince(c);
      bareGate.close();
      t = performance.now();
      c = process.cpuUsage();
      projectorGate.open();
      await projectorReached(db, schemas.kafka, ends);
      seconds.projector += (performance.now() - t) / 1000;
      cpu.projector += cpuSince(c);
      projectorGate.close();
      rounds++;
      if (rounds % 5 === 0) console.log(`round ${rounds}: ${Math.min(records, i + roundRecords)} records; bare ${seconds.bare.toFixed(1)} s, projector ${seconds.projector.toFixed(1)} s so far`);
    }
    projectorGate.open();
    await projector.stop();
    await bare.stop();
    const viaKafka = { seconds: seconds.projector, applied: await appliedEvents(db, schemas.kafka) };
    const { rows: raw } = await db.query<{ n: string }>(`select count(*) as n from "${schemas.kafka}".raw_events`);
    if (bare.records !== records || Number(raw[0]!.n) !== records) {
      throw new Error(`records lost: produced ${records}, bare consumer read ${bare.records}, projector kept ${raw[0]!.n} (a round larger than the broker's retention?)`);
    }
    console.log(`bare kafkajs: ${records} records in ${seconds.bare.toFixed(1)} s; projector via Kafka: ${viaKafka.applied} applied in ${viaKafka.seconds.toFixed(1)} s (${rounds} rounds)`);

    await produceInProducerBatches(embedded, history.records);
    const local = createProjector({ log: embedded, db }, ordersContext, { schema: schemas.embedded, batchSize, gapBound: 10_000, partitions: PARTITIONS });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await local.start();
    await waitUntilCaughtUp(db, embedded, schemas.embedded, TOPICS, 60 * 60_000);
    const embeddedSeconds = (performance.now() - t0) / 1000;
    cpu.embedded = cpuSince(c0);
    await local.stop();
    const viaEmbedded = { seconds: embeddedSeconds, applied: await appliedEvents(db, schemas.embedded) };
    console.log(`projector via embedded log: ${viaEmbedded.applied} applied in ${viaEmbedded.seconds.toFixed(1)} s`);

    const rate = (s: number) => Math.round(records / s);
    const result = {
      records,
      events_applied: { kafka: viaKafka.applied, embedded: viaEmbedded.applied },
      broker: external ? `external (${external})` : 'librdkafka mock cluster (test broker)',
      partitions_per_topic: PARTITIONS,
      rounds,
      round_records: roundRecords,
      batch_size: batchSize,
      fetch: DEFAULT_KAFKA_FETCH,
      produce_rps: rate(seconds.produce),
      bare_kafkajs_rps: rate(seconds.bare),
      projector_kafka_rps: rate(viaKafka.seconds),
      projector_embedded_rps: rate(viaEmbedded.seconds),
      ratio_projector_kafka_vs_bare_kafkajs: Number((seconds.bare / viaKafka.seconds).toFixed(3)),
      ratio_projector_kafka_vs_projector_embedded: Number((viaEmbedded.seconds / viaKafka.seconds).toFixed(3)),
      seconds: { produce: round(seconds.produce), bare_kafkajs: round(seconds.bare), projector_kafka: round(viaKafka.seconds), projector_embedded: round(viaEmbedded.seconds) },
      // Node process CPU (PostgreSQL's backends not included) in each timed window.
      process_cpu_seconds: { bare_kafkajs: round(cpu.bare), projector_kafka: round(cpu.projector), projector_embedded: round(cpu.embedded) },
      load_average_1m: { start: round(loadAtStart), end: round(loadavg()[0]!) },
      measured_at: new Date().toISOString(),
    };
    await writeBenchResults(
      'ingest-kafka',
      result,
      [
        '# Ingest benchmark, Kafka path',
        '',
        `${records.toLocaleString('en')} simulator records (the bench:ingest history: duplicates and reorders on), produced through the Kafka adapter in producer batches (one record batch per partition per produce request, ${PARTITIONS} partitions per topic) to the ${result.broker}, in ${rounds} rounds of ${roundRecords.toLocaleString('en')} (the test broker keeps at most 5 MB per partition). Each round is read by the bare consumer alone, then applied by the projector alone, each timed from its gate opening to the round's log end. Projector batch size ${batchSize}, raw preservation on, PostgreSQL. One run.`,
        '',
        '| method | seconds | Node CPU s | records/s | projector via Kafka ÷ this method |',
        '|---|---:|---:|---:|---:|',
        `| bare kafkajs consumer (eachBatch, reads key and value) | ${result.seconds.bare_kafkajs} | ${result.process_cpu_seconds.bare_kafkajs} | ${result.bare_kafkajs_rps.toLocaleString('en')} | ${result.ratio_projector_kafka_vs_bare_kafkajs} |`,
        `| projector through the Kafka adapter into PostgreSQL | ${result.seconds.projector_kafka} | ${result.process_cpu_seconds.projector_kafka} | ${result.projector_kafka_rps.toLocaleString('en')} | 1 |`,
        `| projector on the embedded log into PostgreSQL (its own write speed, one pass) | ${result.seconds.projector_embedded} | ${result.process_cpu_seconds.projector_embedded} | ${result.projector_embedded_rps.toLocaleString('en')} | ${result.ratio_projector_kafka_vs_projector_embedded} |`,
        '',
        `Events applied: ${viaKafka.applied.toLocaleString('en')} via Kafka, ${viaEmbedded.applied.toLocaleString('en')} via the embedded log. Producing took ${result.seconds.produce} s (${result.produce_rps.toLocaleString('en')} records/s).`,
        '',
        `The projector's gate holds its transactions, not its fetches: its consumer reads each round while it is produced, so up to ${result.seconds.bare_kafkajs} s of reading (the bare consumer's time) is not in its ${result.seconds.projector_kafka} s.`,
        '',
        `Target: projector via Kafka ≥ 0.8 × bare kafkajs. Measured: ${result.ratio_projector_kafka_vs_bare_kafkajs}. The projector via Kafka runs at ${result.ratio_projector_kafka_vs_projector_embedded} × its wall-clock speed on the embedded log and spends ${Number((result.process_cpu_seconds.projector_kafka / result.process_cpu_seconds.projector_embedded).toFixed(3))} × its Node CPU for the same events; the embedded-log projector itself is ${Number((result.seconds.bare_kafkajs / result.seconds.projector_embedded).toFixed(3))} × bare kafkajs: the projector's own write speed caps this ratio.`,
        '',
        `Load average (1 min): ${result.load_average_1m.start} at start, ${result.load_average_1m.end} at end (2 cores).`,
        '',
      ].join('\n'),
    );
    console.log(JSON.stringify(result, null, 2));
    for (const schema of Object.values(schemas)) await db.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    bareGate.open();
    projectorGate.open();
    await db.close();
    await kafka.close();
    await embedded.close();
    await broker?.stop();
  }
}

function round(s: number): number {
  return Number(s.toFixed(2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
