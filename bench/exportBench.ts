/**
 * `npm run bench:export`: a partner's bulk export of ≥ 1,000,000 orders (1–3 lines each), with
 * redaction (tokenized customer, masked email and postal code) and row scope (marketplace only),
 * against `COPY (SELECT <the same columns, lines aggregated>) TO STDOUT` of the same rows in the
 * same order, in the same run on the same PostgreSQL.
 *
 *   copy    one COPY statement through pg-copy-streams, consumed and discarded: the floor of
 *           reading those rows out of PostgreSQL, with no redaction, JSON or compression
 *   export  POST-equivalent `start` of an export job in a child process (gateway, contract view,
 *           the same resolvers as GraphQL, NDJSON, gzip, SHA-256, file on disk); its peak RSS is
 *           the child's (getrusage maxrss, plus sampling)
 *
 * Writes bench/results/export.json and export.md. Env: BENCH_ROWS (1000000 partner rows),
 * BENCH_DATABASE_URL (default the test database), BENCH_PAGE_SIZE, BENCH_GZIP_LEVEL (export
 * BENCH_READ_AHEAD (export options; default the job's defaults), BENCH_CPU_PROFILE=1 (child writes a .cpuprofile to .tmp/).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { createMemoryCache } from '../platform/cache/index.js';
import { createPostgresDatabase } from '../platform/database/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import { createProjector, projectionStorage } from '../platform/projection/index.js';
import { orderTimelineProjection, ordersContext } from '../subgraphs/orders/index.js';
import { createGateway } from '../gateway/createGateway.js';
import { createExportJobs, isExportRefusal } from '../gateway/exports/index.js';
import { createFreshnessReader } from '../gateway/metadata/index.js';
import { openAccess } from '../gateway/openAccess.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'bench_export';
const ACCESS_SCHEMA = 'bench_export_access';
/** Orders of other channels beside the partner's: the row scope has something to leave out. */
const OTHER_CHANNEL_SHARE = 0.1;
const GENERATE_BATCH = 100_000;
const tables = projectionStorage(SCHEMA, orderTimelineProjection).tables;

/** The partner's rows as the COPY baseline reads them: the columns behind every field of the partner view, lines aggregated, in feed order. */
const COPY_SQL = `copy (
  select o.order_id, o.sales_channel, o.order_lifecycle_state, o.placed_at, o.confirmed_at, o.cancelled_at, o.order_total_amount, o.currency,
    (select json_agg(json_build_object('lineId', l.line_id, 'sku', l.sku, 'quantity', l.quantity) order by l.line_id) from ${tables.order_lines!} l where l.order_id = o.order_id) as order_lines,
    o.customer_id, o.customer_email, o.shipping_postal_code, o.shipping_country
  from ${tables.order_changes!} c join ${tables.orders!} o using (order_id)
  where o.sales_channel = 'marketplace'
  order by c.change_xid, c.order_id) to stdout`;

interface ChildResult {
  rows: number;
  seconds: number;
  fileBytes: number;
  sha256Matches: boolean;
  peakRssMb: number;
  sampledPeakRssMb: number;
  rssBeforeJobMb: number;
  pageSize: number | null;
  compressionLevel: number | null;
  readAhead: number | null;
  /** CPU time of the export process while the job ran (user + system). */
  cpuSeconds: number;
}

async function ensureData(): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = (await client.query(`select to_regclass($1) is not null as present`, [`${SCHEMA}.order_changes`])).rows[0].present as boolean;
    if (exists) {
      const n = Number((await client.query(`select count(*) as n from ${tables.order_changes!} c join ${tables.orders!} o using (order_id) where o.sales_channel = 'marketplace'`)).rows[0].n);
      if (n >= ROWS) {
        console.log(`reusing ${n} marketplace orders in schema ${SCHEMA}`);
        return n;
      }
    }
  } finally {
    await client.end();
  }
  const db = await createPostgresDatabase(url);
  await db.query(`drop schema if exists "${SCHEMA}" cascade`);
  // The projector creates the projection's tables (and watermarks); the rows are then generated
  // with SQL, each batch stamped in the change feed by its own transaction, as the projector does.
  const projector = createProjector({ log: createEmbeddedEventLog(), db }, ordersContext, { schema: SCHEMA });
  await projector.start();
  await projector.stop();
  const total = Math.ceil(ROWS / (1 - OTHER_CHANNEL_SHARE));
  const started = Date.now();
  for (let from = 1; from <= total; from += GENERATE_BATCH) {
    const to = Math.min(total, from + GENERATE_BATCH - 1);
    await db.transaction(async (tx) => {
      // Every 10th order is a web order; the rest are the partner's (marketplace).
      await tx.query(
        `insert into ${tables.orders!}
         select 'ord-' || lpad(n::text, 8, '0'), 'cus-' || lpad((n % 250000)::text, 6, '0'), case when n % 10 = 0 then 'web' else 'marketplace' end, 'EUR',
           'customer' || (n % 250000) || '@example.com', (n % 200) || ' Market Street', 'City ' || (n % 5000), (10000 + n % 90000)::text, 'DE',
           case n % 4 when 0 then 'placed' when 3 then 'cancelled' else 'confirmed' end, timestamptz '2026-01-01' + n * interval '1 second',
           case when n % 4 in (1, 2) then timestamptz '2026-01-01' + n * interval '1 second' + interval '5 minutes' end,
           case when n % 4 = 3 then timestamptz '2026-01-01' + n * interval '1 second' + interval '9 minutes' end,
           case when n % 4 = 3 then 'customer_request' end,
           (select sum(k * 12.5) from generate_series(1, 1 + n % 3) k), 2, timestamptz '2026-01-01' + n * interval '1 second'
         from generate_series($1::int, $2::int) n`,
        [from, to],
      );
      await tx.query(
        `insert into ${tables.order_lines!} select 'ord-' || lpad(n::text, 8, '0'), 'line-' || k, 'SKU-' || lpad((n % 997)::text, 4, '0'), k, 12.5, k * 12.5
         from generate_series($1::int, $2::int) n, generate_series(1, 1 + n % 3) k`,
        [from, to],
      );
      await tx.query(`insert into ${tables.order_changes!} (order_id, change_xid) select 'ord-' || lpad(n::text, 8, '0'), pg_current_xact_id() from generate_series($1::int, $2::int) n`, [from, to]);
    });
    process.stdout.write(`\rgenerated ${to}/${total} orders`);
  }
  await db.query(`analyze ${tables.orders!}; analyze ${tables.order_lines!}; analyze ${tables.order_changes!}`);
  await db.close();
  console.log(`\ngenerated ${total} orders (${ROWS} marketplace) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return ROWS;
}

/** Waits until the feed can read every row: it stops below the oldest transaction in flight on the server. */
async function waitUntilReadable(): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (;;) {
      const hidden = Number((await client.query(`select count(*) as n from ${tables.order_changes!} where change_xid >= pg_snapshot_xmin(pg_current_snapshot())`)).rows[0].n);
      if (hidden === 0) return;
      console.log(`${hidden} rows not yet readable by the feed (an older transaction is open); waiting`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await client.end();
  }
}

/** COPY of the same rows, consumed and discarded; returns rows and seconds. */
async function copyBaseline(): Promise<{ rows: number; seconds: number; bytes: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let rows = 0;
    let bytes = 0;
    const started = performance.now();
    await pipeline(
      client.query(copyTo(COPY_SQL)),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
          callback();
        },
      }),
    );
    return { rows, seconds: (performance.now() - started) / 1000, bytes };
  } finally {
    await client.end();
  }
}

/** The export job, in this (child) process: the gateway and export jobs as `npm start` wires them. */
async function runExportChild(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'dpg-export-bench-'));
  const db = await createPostgresDatabase(url);
  const log = createEmbeddedEventLog();
  const cache = createMemoryCache();
  const access = await openAccess({ db, cache }, { schema: ACCESS_SCHEMA, tokenizationSecret: 'bench-tokenization-secret-0123456789abcdef' });
  const name = `bench-partner-${process.pid}`;
  const { principal } = await access.principals.create({ name, audience: 'PARTNER', contracts: ['partner_order_status/v1'], rights: ['export'], rowScope: { salesChannel: ['MARKETPLACE'] } });
  const gateway = await createGateway({ db, log, cache }, access, { projectionSchemas: { orders: SCHEMA } });
  const pageSize = process.env.BENCH_PAGE_SIZE ? Number(process.env.BENCH_PAGE_SIZE) : undefined;
  const compressionLevel = process.env.BENCH_GZIP_LEVEL ? Number(process.env.BENCH_GZIP_LEVEL) : undefined;
  const readAhead = process.env.BENCH_READ_AHEAD ? Number(process.env.BENCH_READ_AHEAD) : undefined;
  const jobs = createExportJobs({ db, gateway, audit: access.audit, freshness: createFreshnessReader({ db, log }, SCHEMA) }, { directory, schema: ACCESS_SCHEMA, pageSize, compressionLevel, readAhead });
  await jobs.migrate();

  const rssBeforeJob = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  let sampledPeak = rssBeforeJob;
  const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 25);
  const started = performance.now();
  const job = await jobs.start(principal, { contract: 'partner_order_status', version: 1, filter: { since: null } });
  if (isExportRefusal(job)) throw new Error(`export refused: ${job.message}`);
  const done = await jobs.waitFor(job.id);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (done.status !== 'SUCCEEDED' || !done.manifest) throw new Error(`export ${done.status}: ${JSON.stringify(done.error)}`);

  // The manifest's checksum against the file as stored, read back independently.
  const hash = createHash('sha256');
  await pipeline(createReadStream(jobs.filePath(job.id)), hash);
  const result: ChildResult = {
    rows: done.manifest.rows,
    seconds,
    fileBytes: done.manifest.file.bytes,
    sha256Matches: hash.digest('hex') === done.manifest.file.sha256,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    sampledPeakRssMb: sampledPeak / 1024 / 1024,
    rssBeforeJobMb: rssBeforeJob / 1024 / 1024,
    pageSize: pageSize ?? null,
    compressionLevel: compressionLevel ?? null,
    readAhead: readAhead ?? null,
    cpuSeconds: (process.cpuUsage(cpuBefore).user + process.cpuUsage(cpuBefore).system) / 1e6,
  };
  await jobs.close();
  await access.principals.revoke(name);
  await gateway.stop();
  await access.close();
  await db.close();
  await rm(directory, { recursive: true, force: true });
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
}

function runChild(): Promise<ChildResult> {
  const profile = process.env.BENCH_CPU_PROFILE === '1' ? ['--cpu-prof', '--cpu-prof-dir', fileURLToPath(new URL('../.tmp/', import.meta.url))] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', fileURLToPath(import.meta.url)], { env: { ...process.env, EXPORT_BENCH_ROLE: 'job' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0) resolve(JSON.parse(last) as ChildResult);
      else reject(new Error(`export child failed (${code}): ${stdout.slice(-2000)}`));
    }),
  );
}

async function main(): Promise<void> {
  const partnerRows = await ensureData();
  await waitUntilReadable();
  // Two COPY runs, the faster one kept: the baseline gets warm caches and the benefit of the doubt.
  const copies = [await copyBaseline(), await copyBaseline()];
  const copy = copies.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  console.log(`copy: ${copy.rows} rows in ${copy.seconds.toFixed(2)} s (${copies.map((c) => c.seconds.toFixed(2)).join(', ')})`);
  const exported = await runChild();
  console.log(`export: ${exported.rows} rows in ${exported.seconds.toFixed(2)} s, peak RSS ${exported.peakRssMb.toFixed(0)} MB`);
  if (exported.rows !== copy.rows) throw new Error(`the export wrote ${exported.rows} rows but COPY read ${copy.rows}: not the same rows`);
  if (!exported.sha256Matches) throw new Error('the manifest checksum does not match the file');

  const copyRate = copy.rows / copy.seconds;
  const exportRate = exported.rows / exported.seconds;
  const ratio = Number((exportRate / copyRate).toFixed(3));
  const output = {
    rows: exported.rows,
    partner_rows_generated: partnerRows,
    lines_per_order: '1-3',
    copy: { rows: copy.rows, seconds: round(copy.seconds), rows_per_second: Math.round(copyRate), bytes: copy.bytes, runs_seconds: copies.map((c) => round(c.seconds)) },
    export: {
      rows: exported.rows,
      seconds: round(exported.seconds),
      rows_per_second: Math.round(exportRate),
      file_bytes: exported.fileBytes,
      manifest_sha256_matches_file: exported.sha256Matches,
      page_size: exported.pageSize ?? 'default',
      gzip_level: exported.compressionLevel ?? 'default',
      read_ahead: exported.readAhead ?? 'default',
      process_cpu_seconds: round(exported.cpuSeconds),
    },
    ratio_export_vs_copy: ratio,
    target_ratio: 0.5,
    peak_rss_mb: Math.round(exported.peakRssMb),
    sampled_peak_rss_mb: Math.round(exported.sampledPeakRssMb),
    rss_before_job_mb: Math.round(exported.rssBeforeJobMb),
    target_peak_rss_mb: 256,
    machine: { node: process.version, cpus: cpus().length, cpu_model: cpus()[0]?.model ?? 'unknown', memory_gb: Math.round(totalmem() / 1024 ** 3), postgres: await serverVersion() },
    measured_at: new Date().toISOString(),
  };
  await writeFile(new URL('./results/export.json', import.meta.url), `${JSON.stringify(output, null, 2)}\n`);
  await writeFile(new URL('./results/export.md', import.meta.url), renderMarkdown(output));
  console.log(JSON.stringify(output, null, 2));
}

async function serverVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return String((await client.query('show server_version')).rows[0].server_version);
  } finally {
    await client.end();
  }
}

const round = (n: number) => Number(n.toFixed(2));

function renderMarkdown(o: { rows: number; copy: { rows_per_second: number; seconds: number }; export: { rows_per_second: number; seconds: number; file_bytes: number }; ratio_export_vs_copy: number; peak_rss_mb: number; sampled_peak_rss_mb: number; rss_before_job_mb: number; machine: { node: string; cpus: number; cpu_model: string; postgres: string } }): string {
  return [
    '# Export benchmark',
    '',
    `A partner's bulk export of ${o.rows.toLocaleString('en')} orders (1–3 lines each; customer tokenized, email and postal code masked, marketplace rows only) against \`COPY (SELECT …) TO STDOUT\` of the same rows, same columns (lines aggregated with json_agg) and same order, in the same run on the same PostgreSQL ${o.machine.postgres} (${o.machine.cpus} cores, ${o.machine.cpu_model}, Node ${o.machine.node}).`,
    '',
    '| path | seconds | rows/s |',
    '|---|---:|---:|',
    `| COPY … TO STDOUT (consumed, discarded; faster of two runs) | ${o.copy.seconds} | ${o.copy.rows_per_second.toLocaleString('en')} |`,
    `| export job (GraphQL view, redaction, NDJSON, gzip, SHA-256, file) | ${o.export.seconds} | ${o.export.rows_per_second.toLocaleString('en')} |`,
    '',
    `export ÷ COPY: **${o.ratio_export_vs_copy}** (target ≥ 0.5). Peak RSS of the export process: **${o.peak_rss_mb} MB** (getrusage maxrss; sampled peak ${o.sampled_peak_rss_mb} MB, ${o.rss_before_job_mb} MB before the job started; target < 256 MB). File: ${(o.export.file_bytes / 1024 / 1024).toFixed(1)} MB gzip, its SHA-256 matches the manifest.`,
    '',
  ].join('\n');
}

if (process.env.EXPORT_BENCH_ROLE === 'job') {
  runExportChild().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
