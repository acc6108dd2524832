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
 * BENCH_READ_AHEAD (export options; default the job's defaults), BENCH_PROFILE=0 (skip the
 * second, profiled export run that breaks the job's time down by stage).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
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
/** bench/results of the repository: npm scripts run from its root. */
const RESULTS_DIRECTORY = join(process.cwd(), 'bench', 'results');

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
  const streaming = process.env.BENCH_STREAMING !== '0';
  const jobs = createExportJobs({ db, gateway, audit: access.audit, freshness: createFreshnessReader({ db, log }, new Map([[orderTimelineProjection.name, SCHEMA]])) }, { directory, schema: ACCESS_SCHEMA, pageSize, compressionLevel, readAhead, streaming });
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

function runChild(profileDirectory: string | null, env: Record<string, string> = {}): Promise<ChildResult> {
  const profile = profileDirectory ? ['--cpu-prof', '--cpu-prof-dir', profileDirectory] : [];
  // The child runs as this module does: compiled (`npm run bench:export` runs dist/, as `npm start`
  // does), or through tsx when this file is run as TypeScript.
  const loader = import.meta.url.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...profile, ...loader, fileURLToPath(import.meta.url)], { env: { ...process.env, ...env, EXPORT_BENCH_ROLE: 'job' }, stdio: ['ignore', 'pipe', 'inherit'] });
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

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Where a sample's time goes, by the code it was in (its own time, not its callees'). */
function stageOf(url: string, name: string): string {
  if (name === '(idle)') return 'idle: waiting for PostgreSQL';
  if (name === '(garbage collector)') return 'garbage collection';
  if (/node_modules\/(pg|pg-protocol|pg-types|pg-pool|postgres-date|postgres-array|postgres-interval|postgres-bytea)\//.test(url) || name.startsWith('RegExp:')) return 'PostgreSQL driver: parsing rows';
  if (url.includes('/subgraphs/')) return 'orders subgraph: loaders and resolvers';
  if (url.includes('/gateway/contracts/') || url.includes('/gateway/redaction/') || url === 'node:internal/crypto/hash') return 'contract resolvers and redaction (incl. HMAC tokens, file SHA-256)';
  // graphql-jit compiles each operation with new Function: its code has no URL and no name, or a `…Handler` name.
  if (/node_modules\/(graphql-jit|graphql|dataloader)\//.test(url) || (url === '' && (name === '' || name.includes('Handler')))) return 'GraphQL execution: graphql-jit, DataLoader';
  if (url === 'node:buffer' || url === 'node:internal/buffer' || ['utf8Slice', 'utf8Write', 'latin1Slice', 'base64urlSlice'].includes(name)) return 'text ↔ bytes: driver decoding, cursors, gzip input';
  if (name === 'writev' || name === 'writeBuffer' || name === 'writeUtf8String' || url.includes('stream_base_commons')) return 'socket and file writes';
  if (url.includes('/gateway/exports/') || url === 'node:zlib' || url.startsWith('node:internal/fs') || url === 'node:fs' || url.includes('internal/streams')) return 'export: JSON lines, gzip hand-off, file';
  if (name === 'runMicrotasks' || url.includes('async_hooks') || url.includes('task_queues')) return 'promises and async context';
  if (url.includes('internal/modules') || url.includes('source_map') || url.includes('/tsx/')) return 'module loading (start-up, tsx)';
  return 'other: Node runtime';
}

/** The main thread's time in the profiled child, by stage: which work an exported row costs. */
async function summariseProfile(directory: string, rows: number): Promise<Array<{ stage: string; seconds: number; share: string; microseconds_per_row: number }>> {
  const files = await readdir(directory);
  const sized = await Promise.all(files.filter((f) => f.endsWith('.cpuprofile')).map(async (f) => ({ f, size: (await stat(join(directory, f))).size })));
  // The main thread writes the largest profile (tsx's loader thread writes a small one).
  const main = sized.sort((a, b) => b.size - a.size)[0];
  if (!main) return [];
  const profile = JSON.parse(await readFile(join(directory, main.f), 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byStage = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)!;
    const micros = profile.timeDeltas[i] ?? 0;
    total += micros;
    const stage = stageOf(frame.url, frame.functionName);
    byStage.set(stage, (byStage.get(stage) ?? 0) + micros);
  });
  return [...byStage]
    .sort((a, b) => b[1] - a[1])
    .map(([stage, micros]) => ({ stage, seconds: round(micros / 1e6), share: `${((micros / total) * 100).toFixed(1)}%`, microseconds_per_row: round(micros / rows) }));
}

/** Variants of the export options run with BENCH_VARIANTS=1, each against the defaults: what was tried. */
const VARIANTS: Array<{ label: string; env: Record<string, string> }> = [
  { label: 'in pages of 250, read-ahead 1', env: { BENCH_STREAMING: '0', BENCH_PAGE_SIZE: '250', BENCH_READ_AHEAD: '1' } },
  { label: 'in pages of 1000, read-ahead 3', env: { BENCH_STREAMING: '0', BENCH_READ_AHEAD: '3' } },
  { label: 'streamed, gzip level 6', env: { BENCH_GZIP_LEVEL: '6' } },
];

async function main(): Promise<void> {
  const partnerRows = await ensureData();
  await waitUntilReadable();
  // Two COPY runs, the faster one kept: the baseline gets warm caches and the benefit of the doubt.
  const copies = [await copyBaseline(), await copyBaseline()];
  const copy = copies.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  console.log(`copy: ${copy.rows} rows in ${copy.seconds.toFixed(2)} s (${copies.map((c) => c.seconds.toFixed(2)).join(', ')})`);
  const exported = await runChild(null);
  console.log(`export: ${exported.rows} rows in ${exported.seconds.toFixed(2)} s, peak RSS ${exported.peakRssMb.toFixed(0)} MB`);
  // The paged path (what PGlite, or a selection the database cannot stream, uses), same run.
  const paged = await runChild(null, { BENCH_STREAMING: '0' });
  console.log(`export in pages: ${paged.rows} rows in ${paged.seconds.toFixed(2)} s, peak RSS ${paged.peakRssMb.toFixed(0)} MB`);
  for (const run of [exported, paged]) {
    if (run.rows !== copy.rows) throw new Error(`the export wrote ${run.rows} rows but COPY read ${copy.rows}: not the same rows`);
    if (!run.sha256Matches) throw new Error('the manifest checksum does not match the file');
  }

  // A second, profiled run says where the export's time goes (profiling slows it: its timing is not the one reported).
  let breakdown: Awaited<ReturnType<typeof summariseProfile>> = [];
  if (process.env.BENCH_PROFILE !== '0') {
    const directory = await mkdtemp(join(tmpdir(), 'dpg-export-profile-'));
    const profiled = await runChild(directory);
    breakdown = await summariseProfile(directory, profiled.rows);
    await rm(directory, { recursive: true, force: true });
  }
  const variants: Array<{ variant: string; seconds: number; rows_per_second: number; ratio_vs_copy: number; peak_rss_mb: number; process_cpu_seconds: number; file_bytes: number }> = [];
  if (process.env.BENCH_VARIANTS === '1') {
    for (const variant of VARIANTS) {
      const run = await runChild(null, variant.env);
      variants.push({ variant: variant.label, seconds: round(run.seconds), rows_per_second: Math.round(run.rows / run.seconds), ratio_vs_copy: Number((run.rows / run.seconds / (copy.rows / copy.seconds)).toFixed(3)), peak_rss_mb: Math.round(run.peakRssMb), process_cpu_seconds: round(run.cpuSeconds), file_bytes: run.fileBytes });
      console.log(variant.label, variants.at(-1));
    }
  }

  const copyRate = copy.rows / copy.seconds;
  const exportRate = exported.rows / exported.seconds;
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
      page_size: exported.pageSize ?? 'default (1000)',
      gzip_level: exported.compressionLevel ?? 'default (1)',
      read_ahead: exported.readAhead ?? 'default (2)',
      process_cpu_seconds: round(exported.cpuSeconds),
    },
    ratio_export_vs_copy: Number((exportRate / copyRate).toFixed(3)),
    export_paged: { rows: paged.rows, seconds: round(paged.seconds), rows_per_second: Math.round(paged.rows / paged.seconds), peak_rss_mb: Math.round(paged.peakRssMb), process_cpu_seconds: round(paged.cpuSeconds), ratio_vs_copy: Number((paged.rows / paged.seconds / copyRate).toFixed(3)) },
    target_ratio: 0.5,
    peak_rss_mb: Math.round(exported.peakRssMb),
    sampled_peak_rss_mb: Math.round(exported.sampledPeakRssMb),
    rss_before_job_mb: Math.round(exported.rssBeforeJobMb),
    target_peak_rss_mb: 256,
    time_breakdown: { note: 'main thread of the export process in a second, profiled run (node --cpu-prof): self time by the code it was spent in', stages: breakdown },
    variants,
    machine: { node: process.version, cpus: cpus().length, cpu_model: cpus()[0]?.model ?? 'unknown', memory_gb: Math.round(totalmem() / 1024 ** 3), postgres: await serverVersion(), shared: 'PostgreSQL, the benchmark and the export share the cores' },
    measured_at: new Date().toISOString(),
  };
  // Results go to the sources' bench/results, also when this runs compiled from dist/bench.
  await writeFile(join(RESULTS_DIRECTORY, 'export.json'), `${JSON.stringify(output, null, 2)}\n`);
  await writeFile(join(RESULTS_DIRECTORY, 'export.md'), renderMarkdown(output));
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

function renderMarkdown(o: {
  rows: number;
  copy: { rows_per_second: number; seconds: number };
  export: { rows_per_second: number; seconds: number; file_bytes: number; process_cpu_seconds: number };
  ratio_export_vs_copy: number;
  export_paged: { seconds: number; rows_per_second: number; peak_rss_mb: number; ratio_vs_copy: number };
  peak_rss_mb: number;
  sampled_peak_rss_mb: number;
  rss_before_job_mb: number;
  time_breakdown: { stages: Array<{ stage: string; seconds: number; share: string; microseconds_per_row: number }> };
  variants: Array<{ variant: string; seconds: number; rows_per_second: number; ratio_vs_copy: number; peak_rss_mb: number; process_cpu_seconds: number; file_bytes: number }>;
  machine: { node: string; cpus: number; cpu_model: string; postgres: string };
  measured_at: string;
}): string {
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  return [
    '# Export benchmark',
    '',
    `\`npm run bench:export\` (${o.measured_at.slice(0, 10)}): a partner's bulk export of ${o.rows.toLocaleString('en')} orders (1–3 lines each; customer tokenized, email and postal code masked, marketplace rows only, 10% other-channel rows left out by the row scope) against \`COPY (SELECT …) TO STDOUT\` of the same rows, same columns (lines aggregated with json_agg) and same order, in the same run on the same PostgreSQL ${o.machine.postgres} (${o.machine.cpus} cores shared by PostgreSQL and Node, ${o.machine.cpu_model}, Node ${o.machine.node}).`,
    '',
    '| path | seconds | rows/s |',
    '|---|---:|---:|',
    `| COPY … TO STDOUT (consumed, discarded; faster of two runs) | ${o.copy.seconds} | ${o.copy.rows_per_second.toLocaleString('en')} |`,
    `| export job, streamed (the default on PostgreSQL): one COPY of the feed statement, rows built as JSON by PostgreSQL, redaction in the gateway, NDJSON, gzip, SHA-256, file | ${o.export.seconds} | ${o.export.rows_per_second.toLocaleString('en')} |`,
    `| export job, in pages (as on PGlite): feed pages of 1000, two read at once, otherwise the same | ${o.export_paged.seconds} | ${o.export_paged.rows_per_second.toLocaleString('en')} |`,
    '',
    `- **export ÷ COPY: ${o.ratio_export_vs_copy}** (target ≥ 0.5): ${o.ratio_export_vs_copy >= 0.5 ? 'met' : '**missed**'}. In pages: ${o.export_paged.ratio_vs_copy} (peak RSS ${o.export_paged.peak_rss_mb} MB).`,
    `- **Peak RSS of the export process: ${o.peak_rss_mb} MB** (getrusage maxrss; sampled peak ${o.sampled_peak_rss_mb} MB; target < 256 MB: ${o.peak_rss_mb < 256 ? 'met' : '**missed**'}). ${o.rss_before_job_mb} MB of it is the process before the job starts: gateway, contracts and Apollo servers, compiled JavaScript from npm run build, as npm start runs it (the same modules through tsx held about 190 MB before the job). The job adds ${o.peak_rss_mb - o.rss_before_job_mb} MB of RSS, which is the collector's headroom, not data held: the live heap a job adds stays at a few MB whatever the size of the export (gateway/exports/exports.e2e.test.ts measures it after forced collections: ~5 MB for a 20,000-row export, and fails when the pages are kept).`,
    `- File: ${mb(o.export.file_bytes)} MB gzip; its SHA-256, computed while writing, matches the manifest and the file read back. CPU of the export process during the job: ${o.export.process_cpu_seconds} s for ${o.export.seconds} s of wall time.`,
    '',
    ...(o.time_breakdown.stages.length
      ? [
          '## Where the time goes',
          '',
          'Main thread of the export process, profiled in a second run (`node --cpu-prof`; profiling slows the run, so only the shares count):',
          '',
          '| stage | share | µs per row |',
          '|---|---:|---:|',
          ...o.time_breakdown.stages.map((s) => `| ${s.stage} | ${s.share} | ${s.microseconds_per_row} |`),
          '',
        ]
      : []),
    ...(o.variants.length
      ? [
          '## What was tried (BENCH_VARIANTS=1, same data, same run)',
          '',
          '| variant | seconds | rows/s | ÷ COPY | peak RSS MB | CPU s | file MB |',
          '|---|---:|---:|---:|---:|---:|---:|',
          `| defaults: streamed, gzip 1 | ${o.export.seconds} | ${o.export.rows_per_second.toLocaleString('en')} | ${o.ratio_export_vs_copy} | ${o.peak_rss_mb} | ${o.export.process_cpu_seconds} | ${mb(o.export.file_bytes)} |`,
          ...o.variants.map((v) => `| ${v.variant} | ${v.seconds} | ${v.rows_per_second.toLocaleString('en')} | ${v.ratio_vs_copy} | ${v.peak_rss_mb} | ${v.process_cpu_seconds} | ${mb(v.file_bytes)} |`),
          '',
        ]
      : []),
    ...FINDINGS,
  ].join('\n');
}

/** What the numbers mean; kept with the code that produces them. */
const FINDINGS = [
  '## How the export path got here, and what bounds it',
  '',
  'History on this machine: 0.18 × COPY when every page was executed as GraphQL; 0.30–0.33 once the orders context built each row’s JSON in PostgreSQL (`subgraphs/orders/projections/planOrderChangeRows.ts`, the feed statement of the GraphQL field) and the gateway only spliced in the redacted values; 0.45–0.64 (median about 0.52) with pages of 1000, two read at once, in a compiled process.',
  '',
  'Since then, on PostgreSQL the job **streams the feed**: the same statement without its page limit runs once as `COPY (…) TO STDOUT` (`Database.streamTextRows`, pg-copy-streams, the socket paused while the file side is busy), its text rows are parsed as they arrive and regrouped into pages of 1000 for the compressor. One statement means one snapshot, so each row appears once (pages could repeat a row that changed mid-export), no cursor scout or per-page statements, and no per-row protocol decoding in the driver. PGlite cannot stream (its COPY TO holds the whole output in memory), so there, and with `streaming: false`, the job reads pages as before; both paths are measured in every run.',
  '',
  'What bounds it now is PostgreSQL building the rows. Measured with `COPY (…) TO \'/dev/null\'` on the server (no client at all): the feed statement costs about 1.1–1.2 × the baseline statement; without the lines’ JSON it costs less than half (the correlated subquery over 2.2 million lines is the largest part, as in the baseline’s own `json_agg`), without the three `to_char` timestamps about 10% less. A grouped join for the lines instead of the subquery measured about 10% faster for a whole-feed read but slower per page, and was not adopted. With streaming, the export process’s main thread waits for PostgreSQL most of the time (see the profile above); its own work is about 10 µs per row.',
  '',
  'Caveat on the figures: this machine has two cores shared with PostgreSQL and, during some runs, with other work; the ratio is taken within one run, but COPY (one backend, a trivial client) and the export (one backend plus a busy client and the compressor) suffer differently from contention, so ratios from a loaded machine understate the export.',
  '',
];

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
