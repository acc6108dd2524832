/**
 * `npm run bench:ingest`: the projector against the physical limits of the same PostgreSQL, in
 * one run on the same rows. Writes bench/results/ingest.json and ingest.md.
 *
 *   projector   simulator events (with duplicates and reorders) → raw evidence + engine state
 *               + projection rows + checkpoints, one transaction per batch
 *   copy        COPY of the final projection rows into empty tables (physical limit)
 *   copy+upsert COPY into staging + one set-based upsert per table
 *
 * Rates are "events per second": the events the projector applied, over each method's time.
 * Options (env): BENCH_EVENTS (default 1000000), BENCH_BATCH_SIZE (5000), BENCH_DATABASE_URL.
 */
import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { createPostgresDatabase } from '../platform/database/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import { createProjector } from '../platform/projection/index.js';
import { createOrdersSimulator } from '../subgraphs/orders/index.js';
import { LEGACY_OMS_CDC_TOPIC, ORDERS_EVENTS_TOPIC, orderTimelineProjection, ordersContext } from '../subgraphs/orders/index.js';
import { produceAll, waitUntilCaughtUp } from '../test/support/projectionHarness.js';

const targetEvents = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const batchSize = Number(process.env.BENCH_BATCH_SIZE ?? 5000);
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TABLES = ['orders', 'order_lines', 'order_status_history'] as const;

async function main() {
  const log = createEmbeddedEventLog();
  const simulator = createOrdersSimulator({ seed: 1, faults: { legacyShare: 0.2, duplicateRate: 0.02, reorderRate: 0.02 } });
  let produced = 0;
  while (produced < targetEvents) {
    const { records } = simulator.nextOrders(2000);
    await produceAll(log, records);
    produced += records.length;
  }
  console.log(`generated ${produced} records (${simulator.stats.orders} orders, ${simulator.stats.duplicates} duplicates, ${simulator.stats.reordered} reordered)`);

  const db = await createPostgresDatabase(url, { maxConnections: 4 });
  const schema = `bench_ingest_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const projector = createProjector({ log, db }, ordersContext, { schema, batchSize, gapBound: 10_000 });
    const t0 = performance.now();
    await projector.start();
    await waitUntilCaughtUp(db, log, schema, [ORDERS_EVENTS_TOPIC, LEGACY_OMS_CDC_TOPIC], 60 * 60_000);
    const projectorSeconds = (performance.now() - t0) / 1000;
    await projector.stop();
    const { rows: marks } = await db.query<{ applied: string; duplicates: string }>(`select sum(applied_count) as applied, sum(duplicate_count) as duplicates from "${schema}".projection_checkpoints`);
    const applied = Number(marks[0]!.applied);
    console.log(`projector: ${produced} records, ${applied} events applied, ${marks[0]!.duplicates} duplicates dropped in ${projectorSeconds.toFixed(1)} s`);

    // The final projection rows, exported before any timing starts.
    const exported = new Map<string, Buffer>();
    let finalRows = 0;
    for (const table of TABLES) {
      const chunks: Buffer[] = [];
      await pipeline(client.query(copyTo(`copy "${schema}"."${table}" to stdout`)), async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) chunks.push(chunk);
      });
      exported.set(table, Buffer.concat(chunks));
      finalRows += Number((await client.query(`select count(*) from "${schema}"."${table}"`)).rows[0].count);
    }
    const tableDdl = (target: string) => orderTimelineProjection.tables.flatMap((t) => t.ddl(`"${target}"."${t.name}"`, t.name));
    const copyInto = async (target: string) => {
      for (const table of TABLES) await pipeline(Readable.from([exported.get(table)!]), client.query(copyFrom(`copy "${target}"."${table}" from stdin`)));
    };

    const copySchema = `${schema}_copy`;
    await client.query(`create schema "${copySchema}"`);
    for (const statement of tableDdl(copySchema)) await client.query(statement);
    const t1 = performance.now();
    await copyInto(copySchema);
    const copySeconds = (performance.now() - t1) / 1000;

    const upsertSchema = `${schema}_upsert`;
    const stagingSchema = `${schema}_staging`;
    await client.query(`create schema "${upsertSchema}"; create schema "${stagingSchema}"`);
    for (const statement of [...tableDdl(upsertSchema), ...tableDdl(stagingSchema)]) await client.query(statement);
    const keys = { orders: 'order_id', order_lines: 'order_id, line_id', order_status_history: 'order_id, sequence' } as const;
    const t2 = performance.now();
    await copyInto(stagingSchema);
    for (const table of TABLES) {
      const { rows: cols } = await client.query<{ column_name: string }>(`select column_name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position`, [upsertSchema, table]);
      const set = cols.map((c) => `${c.column_name} = excluded.${c.column_name}`).join(', ');
      await client.query(`insert into "${upsertSchema}"."${table}" select * from "${stagingSchema}"."${table}" on conflict (${keys[table]}) do update set ${set}`);
    }
    const copyUpsertSeconds = (performance.now() - t2) / 1000;

    const pgVersion = String((await client.query('show server_version')).rows[0].server_version);
    const result = {
      events: produced,
      events_applied: applied,
      final_rows: finalRows,
      projector_eps: Math.round(produced / projectorSeconds),
      copy_eps: Math.round(produced / copySeconds),
      copy_upsert_eps: Math.round(produced / copyUpsertSeconds),
      ratio_vs_copy_upsert: Number((copyUpsertSeconds / projectorSeconds).toFixed(3)),
      ratio_vs_copy: Number((copySeconds / projectorSeconds).toFixed(3)),
      batch_size: batchSize,
      raw_preservation: true,
      pg_version: pgVersion,
      seconds: { projector: Number(projectorSeconds.toFixed(2)), copy: Number(copySeconds.toFixed(2)), copy_upsert: Number(copyUpsertSeconds.toFixed(2)) },
      measured_at: new Date().toISOString(),
    };
    await writeFile(new URL('./results/ingest.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(
      new URL('./results/ingest.md', import.meta.url),
      [
        '# Ingest benchmark',
        '',
        `${produced.toLocaleString('en')} simulator records (${applied.toLocaleString('en')} events applied; duplicates and reorders on) into PostgreSQL ${pgVersion}, batch size ${batchSize}, raw preservation on. One run, same final rows (${finalRows.toLocaleString('en')}) for every method.`,
        '',
        '| method | seconds | events/s | projector speed ÷ this method’s speed |',
        '|---|---:|---:|---:|',
        `| projector (raw + engine state + projection + checkpoint, one tx per batch) | ${result.seconds.projector} | ${result.projector_eps.toLocaleString('en')} | 1 |`,
        `| COPY final rows into empty tables (physical limit) | ${result.seconds.copy} | ${result.copy_eps.toLocaleString('en')} | ${result.ratio_vs_copy} |`,
        `| COPY into staging + one set-based upsert | ${result.seconds.copy_upsert} | ${result.copy_upsert_eps.toLocaleString('en')} | ${result.ratio_vs_copy_upsert} |`,
        '',
        `Target: projector ≥ 0.8 × copy+upsert. Measured: ${result.ratio_vs_copy_upsert}.`,
        '',
      ].join('\n'),
    );
    console.log(JSON.stringify(result, null, 2));
    for (const s of [schema, copySchema, upsertSchema, stagingSchema]) await client.query(`drop schema if exists "${s}" cascade`);
  } finally {
    await client.end();
    await db.close();
    await log.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
