/**
 * `npm run soak`: the gateway as `npm start` runs it (compiled, embedded defaults: in-process log,
 * PGlite, memory cache, the simulator feeding every context) in a child process, under a steady,
 * bounded mix of contract queries from the demo principals for SOAK_SECONDS, on loopback only.
 * Every SOAK_SAMPLE_SECONDS it reads the child's RSS (from /proc, else /metrics), heap and event
 * loop lag (/metrics) and how many records the projectors have applied (/admin/watermarks). At the
 * end it sends SIGTERM and times the shutdown.
 *
 * Writes bench/results/soak.json and soak.md (soak-postgres.* with SOAK_DATABASE_URL). Memory is
 * split into what holds data by design (PGlite's WebAssembly memory, from the gateway's
 * dpg_database_wasm_memory_bytes, and the in-process log's record buffers, the rest of external)
 * and what would be a leak (see analyzeSoakMemory). Verdict: the JS heap floor (lowest heap used per
 * minute) at the end within 10 % or 20 MB of the first minute after warm-up, RSS growth beyond
 * the data within 10 % or 20 MB of RSS at the 60 s mark (the first minute is warm-up, JIT and
 * caches), zero error responses and a clean exit on SIGTERM. Raw RSS flatness is reported too.
 *
 * Env: SOAK_SECONDS (600), SOAK_RPS (4 requests/s in all: below what the embedded gateway (PGlite
 * runs on its event loop) sustains on two shared cores, and under every demo principal's rate
 * limit), SOAK_SAMPLE_SECONDS (10), SOAK_EVENTS_PER_SECOND (simulator, 20 as `npm start`),
 * SOAK_DATABASE_URL (PostgreSQL instead of PGlite; the event log stays embedded).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createPostgresDatabase } from '../platform/database/index.js';
import { createDemoPrincipals, createPrincipalStore } from '../gateway/access/index.js';
import type { SoakMemory } from './analyzeSoakMemory.js';
import { analyzeSoakMemory, slope } from './analyzeSoakMemory.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const RPS = Number(process.env.SOAK_RPS ?? 4);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 10);
const EVENTS_PER_SECOND = Number(process.env.SOAK_EVENTS_PER_SECOND ?? 20);
const DATABASE_URL = process.env.SOAK_DATABASE_URL;
/** Requests allowed in flight: past it a tick is skipped and counted, so a slow gateway is not buried. */
const MAX_IN_FLIGHT = 16;
const WARM_UP_SECONDS = 60;
/** bench/results of the repository (npm scripts run from its root), also when this runs compiled from dist/bench. */
const RESULTS_DIRECTORY = join(process.cwd(), 'bench', 'results');
const RESULTS_NAME = DATABASE_URL ? 'soak-postgres' : 'soak';

type Who = 'internal' | 'partner' | 'operator';
interface Target {
  name: string;
  who: Who;
  path: string;
  query: string;
  /** Share of requests. */
  weight: number;
}

// What consumers of each kind ask, in proportions that keep every principal under its rate limit
// (internal 20/s, partner 2/s; the partner gets at most 1/8 of SOAK_RPS).
const TARGETS: Target[] = [
  { name: 'timeline_v1', who: 'internal', path: '/contracts/customer_order_timeline/v1', weight: 2, query: '{ recentCustomerOrders(first: 10) { orderId orderLifecycleState orderTotal { amount currency } orderStatus } }' },
  { name: 'timeline_v2', who: 'internal', path: '/contracts/customer_order_timeline/v2', weight: 2, query: '{ recentCustomerOrders(first: 20) { orderId orderLifecycleState orderTotal { amount currency } orderLines { sku quantity } } }' },
  { name: 'order_journey', who: 'internal', path: '/contracts/order_journey/v1', weight: 2, query: '{ orderJourneys(first: 10) { orderId journeyStage stageSince payments { paymentLifecycleState capturedAmount { amount currency } } shipments { warehouseId shipmentStatus carrier } } journeyFlow(recentOrders: 200, stuckLongerThanSeconds: 120) { stages { stage orders stuck } stuckCount } }' },
  { name: 'reconciliation', who: 'operator', path: '/contracts/reconciliation_exceptions/v1', weight: 1, query: '{ watermark { watermark } exceptionCounts(filter: { states: [OPEN] }) { rule owner severity count } exceptions(first: 5, filter: { states: [OPEN] }) { exceptions { exceptionId rule ageSeconds } endCursor } }' },
  { name: 'partner_changes', who: 'partner', path: '/contracts/partner_order_status/v1', weight: 1, query: '{ changes(first: 10) { nodes { orderId orderLifecycleState customerToken customerEmailMasked } endCursor hasMore } }' },
];
const SCHEDULE = TARGETS.flatMap((t) => Array<Target>(t.weight).fill(t));

interface Sample {
  atSeconds: number;
  rssMb: number;
  heapUsedMb: number | null;
  heapTotalMb: number | null;
  /** Memory outside the JS heap that V8 knows of: Buffers and ArrayBuffers, PGlite's WebAssembly memory among them. */
  externalMb: number | null;
  /** PGlite's WebAssembly memory, which holds the embedded database (part of external); null on PostgreSQL. */
  wasmMb: number | null;
  eventLoopLagP99Ms: number | null;
  recordsApplied: number | null;
  requests: number;
  errors: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** The compiled gateway when this runs compiled (`npm run soak`), else the TypeScript one through tsx. */
function gatewayCommand(): string[] {
  const compiled = import.meta.url.endsWith('.js');
  const main = fileURLToPath(new URL(`../gateway/main.${compiled ? 'js' : 'ts'}`, import.meta.url));
  return compiled ? [main] : ['--import', 'tsx', main];
}

async function startGateway(): Promise<{ child: ChildProcess; url: string; keys: Record<Who, string>; logLines: { warn: number; error: number; total: number } }> {
  const child = spawn(process.execPath, gatewayCommand(), {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      SIMULATOR: 'on',
      SIMULATOR_EVENTS_PER_SECOND: String(EVENTS_PER_SECOND),
      ...(DATABASE_URL ? { DATABASE_URL, TOKENIZATION_SECRET: 'soak-bench-tokenization-secret-0123456789abcdef' } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines = { warn: 0, error: 0, total: 0 };
  let stdout = '';
  let stderr = '';
  const keys: Partial<Record<Who, string>> = {};
  let url: string | undefined;
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split('\n');
    stdout = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('{')) {
        const parsed = JSON.parse(line) as { level?: string; msg?: string; url?: string };
        logLines.total++;
        if (parsed.level === 'warn') logLines.warn++;
        if (parsed.level === 'error' || parsed.level === 'fatal') {
          logLines.error++;
          process.stderr.write(`gateway: ${line}\n`);
        }
        if (parsed.msg === 'gateway listening') url = parsed.url;
        continue;
      }
      // The banner: demo keys (embedded defaults only).
      const key = /^\s+(internal|partner|operator)\s+(dpg_\S+)/.exec(line);
      if (key) keys[key[1] as Who] = key[2]!;
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Generous: the machine is shared, and PGlite applies the simulator's week of backfill while starting.
  const deadline = Date.now() + 300_000;
  while (!url || (!DATABASE_URL && !(keys.internal && keys.partner && keys.operator))) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`gateway did not start in 300 s: ${stderr}`);
    await sleep(100);
  }
  if (DATABASE_URL) {
    // No demo keys on a shared database: the same three principals, made in its store.
    const db = await createPostgresDatabase(DATABASE_URL);
    try {
      const demo = await createDemoPrincipals(createPrincipalStore(db, { schema: 'gateway' }));
      for (const who of ['internal', 'partner', 'operator'] as const) keys[who] = demo[who].apiKey;
    } finally {
      await db.close();
    }
  }
  return { child, url, keys: keys as Record<Who, string>, logLines };
}

async function readRssMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round((Number(kb) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

function metric(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : null;
}

async function main(): Promise<void> {
  const { child, url, keys, logLines } = await startGateway();
  const auth = (who: Who) => ({ authorization: `Bearer ${keys[who]}` });
  const readyBy = Date.now() + 120_000;
  while ((await fetch(`${url}/ready`).catch(() => null))?.status !== 200) {
    if (Date.now() > readyBy) throw new Error('gateway not ready in 120 s');
    await sleep(250);
  }
  process.stdout.write(`soak: ${SECONDS} s at ${RPS} requests/s against ${url} (pid ${child.pid})\n`);

  let requests = 0;
  let skipped = 0;
  let inFlight = 0;
  const errors = new Map<string, number>();
  const latencies: number[] = [];
  const perTarget = new Map<string, { requests: number; errors: number }>();
  const fail = (reason: string) => errors.set(reason, (errors.get(reason) ?? 0) + 1);
  const errorCount = () => [...errors.values()].reduce((a, b) => a + b, 0);

  const ask = async (target: Target) => {
    inFlight++;
    requests++;
    const counts = perTarget.get(target.name) ?? { requests: 0, errors: 0 };
    perTarget.set(target.name, counts);
    counts.requests++;
    const started = performance.now();
    try {
      const response = await fetch(`${url}${target.path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(target.who) }, body: JSON.stringify({ query: target.query }) });
      const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      if (response.status !== 200 || body.errors?.length) {
        counts.errors++;
        fail(`${target.name}: ${response.status} ${body.errors?.[0]?.extensions?.code ?? ''}`.trim());
      }
    } catch (error) {
      counts.errors++;
      fail(`${target.name}: ${(error as Error).message}`);
    } finally {
      latencies.push(performance.now() - started);
      inFlight--;
    }
  };

  const samples: Sample[] = [];
  const started = performance.now();
  const sample = async () => {
    const rss = await readRssMb(child.pid!);
    const metrics = await fetch(`${url}/metrics`, { headers: auth('operator') })
      .then((r) => r.text())
      .catch(() => '');
    const marks = await fetch(`${url}/admin/watermarks`, { headers: auth('operator') })
      .then((r) => r.json() as Promise<Array<{ appliedCount?: number }>>)
      .catch(() => null);
    const heapUsed = metric(metrics, 'nodejs_heap_size_used_bytes');
    const heapTotal = metric(metrics, 'nodejs_heap_size_total_bytes');
    const external = metric(metrics, 'nodejs_external_memory_bytes');
    const wasm = metric(metrics, 'dpg_database_wasm_memory_bytes');
    const lag = metric(metrics, 'nodejs_eventloop_lag_p99_seconds');
    const rssFromMetrics = metric(metrics, 'process_resident_memory_bytes');
    const entry: Sample = {
      atSeconds: Math.round((performance.now() - started) / 1000),
      rssMb: rss ?? (rssFromMetrics === null ? 0 : mb(rssFromMetrics)),
      heapUsedMb: heapUsed === null ? null : mb(heapUsed),
      heapTotalMb: heapTotal === null ? null : mb(heapTotal),
      externalMb: external === null ? null : mb(external),
      wasmMb: wasm === null ? null : mb(wasm),
      eventLoopLagP99Ms: lag === null ? null : Math.round(lag * 1000 * 10) / 10,
      recordsApplied: Array.isArray(marks) ? marks.reduce((n, m) => n + Number(m.appliedCount ?? 0), 0) : null,
      requests,
      errors: errorCount(),
    };
    samples.push(entry);
    process.stdout.write(`  ${String(entry.atSeconds).padStart(4)} s  rss ${entry.rssMb} MB  heap ${entry.heapUsedMb} MB  external ${entry.externalMb} MB (wasm ${entry.wasmMb ?? '-'})  lag p99 ${entry.eventLoopLagP99Ms} ms  applied ${entry.recordsApplied}  requests ${requests}  errors ${entry.errors}\n`);
  };

  await sample();
  const intervalMs = 1000 / RPS;
  const total = Math.round(SECONDS * RPS);
  let nextSampleAt = SAMPLE_SECONDS * 1000;
  const pending = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    // A fixed schedule (not "as fast as answers come"): the request count is bounded by time.
    const due = i * intervalMs;
    const wait = due - (performance.now() - started);
    if (wait > 0) await sleep(wait);
    if (performance.now() - started >= nextSampleAt) {
      nextSampleAt += SAMPLE_SECONDS * 1000;
      void sample();
    }
    if (inFlight >= MAX_IN_FLIGHT) {
      skipped++;
      continue;
    }
    const request = ask(SCHEDULE[i % SCHEDULE.length]!);
    pending.add(request);
    void request.finally(() => pending.delete(request));
  }
  await Promise.all(pending);
  await sample();

  // A clean stop at the end of the soak: SIGTERM, timed.
  const signalled = performance.now();
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const exitCode = await exit;
  const shutdownMs = Math.round(performance.now() - signalled);

  const baseline = samples.find((s) => s.atSeconds >= WARM_UP_SECONDS) ?? samples[0]!;
  const end = samples.at(-1)!;
  const allowedMb = Math.max(baseline.rssMb * 0.1, 20);
  const growthMb = Math.round((end.rssMb - baseline.rssMb) * 10) / 10;
  const flat = growthMb <= allowedMb;
  // RSS swings by tens of MB between collections; the least-squares slope after warm-up tells a
  // steady climb (a leak) from that noise. Reported beside the verdict, which stays end vs 60 s.
  const settled = samples.filter((s) => s.atSeconds >= baseline.atSeconds);
  const slopeMbPerMinute = slope(settled.map((s) => [s.atSeconds, s.rssMb]));
  // What holds data by design (PGlite's database, the log's records) against what would be a leak.
  const memory = analyzeSoakMemory(samples, baseline);
  const heapFlat = memory.heapFloorMb.growth !== null && memory.heapFloorMb.growth <= Math.max((memory.heapFloorMb.first ?? 0) * 0.1, 20);
  const beyondDataFlat = memory.rssGrowthBeyondDataMb <= allowedMb;
  const sorted = [...latencies].sort((a, b) => a - b);
  const quantile = (q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
  const result = {
    seconds: SECONDS,
    targetRequestsPerSecond: RPS,
    services: DATABASE_URL ? 'embedded event log, PostgreSQL, memory cache' : 'embedded defaults (in-process event log, PGlite, memory cache)',
    simulatorEventsPerSecond: EVENTS_PER_SECOND,
    requests,
    skippedTicks: skipped,
    errorResponses: errorCount(),
    errorsByKind: Object.fromEntries(errors),
    perTarget: Object.fromEntries(perTarget),
    latencyMs: { p50: quantile(0.5), p99: quantile(0.99), max: quantile(1) },
    rssMb: { start: samples[0]!.rssMb, atWarmUp: baseline.rssMb, warmUpAtSeconds: baseline.atSeconds, end: end.rssMb, max: Math.max(...samples.map((s) => s.rssMb)), growthAfterWarmUp: growthMb, allowedGrowth: Math.round(allowedMb * 10) / 10, slopeAfterWarmUpMbPerMinute: slopeMbPerMinute },
    heapUsedMb: { start: samples[0]!.heapUsedMb, atWarmUp: baseline.heapUsedMb, end: end.heapUsedMb, max: Math.max(...samples.map((s) => s.heapUsedMb ?? 0)) },
    externalMb: { start: samples[0]!.externalMb, atWarmUp: baseline.externalMb, end: end.externalMb },
    memory,
    recordsApplied: end.recordsApplied,
    gatewayLogLines: logLines,
    shutdown: { exitCode, ms: shutdownMs },
    // flatMemory is raw RSS (it cannot hold on embedded defaults, where the data lives in the
    // process); pass asks for a flat JS heap and no RSS growth beyond what the data holds.
    verdict: { flatMemory: flat, heapFlat, rssBeyondDataFlat: beyondDataFlat, zeroErrors: errorCount() === 0, pass: heapFlat && beyondDataFlat && errorCount() === 0 && exitCode === 0 },
    samples,
    node: process.version,
    measuredAt: new Date().toISOString(),
  };
  await writeFile(join(RESULTS_DIRECTORY, `${RESULTS_NAME}.json`), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(join(RESULTS_DIRECTORY, `${RESULTS_NAME}.md`), renderMarkdown(result));
  process.stdout.write(`${JSON.stringify({ ...result, samples: undefined }, null, 2)}\n`);
  if (!result.verdict.pass) process.exitCode = 1;
}

function renderMarkdown(r: {
  seconds: number;
  targetRequestsPerSecond: number;
  services: string;
  simulatorEventsPerSecond: number;
  requests: number;
  skippedTicks: number;
  errorResponses: number;
  errorsByKind: Record<string, number>;
  latencyMs: { p50: number; p99: number; max: number };
  rssMb: { start: number; atWarmUp: number; warmUpAtSeconds: number; end: number; max: number; growthAfterWarmUp: number; allowedGrowth: number; slopeAfterWarmUpMbPerMinute: number | null };
  heapUsedMb: { start: number | null; atWarmUp: number | null; end: number | null; max: number };
  externalMb: { start: number | null; atWarmUp: number | null; end: number | null };
  memory: SoakMemory;
  recordsApplied: number | null;
  shutdown: { exitCode: number | null; ms: number };
  verdict: { flatMemory: boolean; heapFlat: boolean; rssBeyondDataFlat: boolean; zeroErrors: boolean; pass: boolean };
  samples: Sample[];
  node: string;
  measuredAt: string;
}): string {
  return `# Soak benchmark

${r.seconds} s of mixed contract queries (${r.targetRequestsPerSecond} requests/s on a fixed schedule, from the internal, partner and operator demo principals) against \`npm start\` compiled, on ${r.services}, with the simulator producing ~${r.simulatorEventsPerSecond} events/s; loopback only. Node ${r.node}, ${r.measuredAt}.

| | value |
|---|---:|
| requests | ${r.requests} (${r.skippedTicks} ticks skipped with 16 in flight) |
| error responses | ${r.errorResponses}${r.errorResponses ? ` (${Object.entries(r.errorsByKind).map(([k, n]) => `${k}: ${n}`).join('; ')})` : ''} |
| latency p50 / p99 / max | ${r.latencyMs.p50} / ${r.latencyMs.p99} / ${r.latencyMs.max} ms |
| RSS start / at ${r.rssMb.warmUpAtSeconds} s / end / max | ${r.rssMb.start} / ${r.rssMb.atWarmUp} / ${r.rssMb.end} / ${r.rssMb.max} MB |
| RSS growth after warm-up (allowed) | ${r.rssMb.growthAfterWarmUp} MB (${r.rssMb.allowedGrowth} MB) |
| RSS trend after warm-up (least squares) | ${r.rssMb.slopeAfterWarmUpMbPerMinute ?? 'n/a'} MB/min |
| heap used start / at warm-up / end / max | ${r.heapUsedMb.start} / ${r.heapUsedMb.atWarmUp} / ${r.heapUsedMb.end} / ${r.heapUsedMb.max} MB |
| external (Buffers, ArrayBuffers, WebAssembly memory) start / at warm-up / end | ${r.externalMb.start} / ${r.externalMb.atWarmUp} / ${r.externalMb.end} MB |
| JS heap floor (lowest heap used per minute) first / last minute after warm-up, trend | ${r.memory.heapFloorMb.first ?? 'n/a'} / ${r.memory.heapFloorMb.last ?? 'n/a'} MB, ${r.memory.heapFloorMb.slopePerMinute ?? 'n/a'} MB/min |
| PGlite WebAssembly memory at warm-up / end (per 10k records applied) | ${r.memory.wasmMb.atWarmUp ?? 'n/a'} / ${r.memory.wasmMb.end ?? 'n/a'} MB (${r.memory.wasmMb.per10kRecords ?? 'n/a'} MB) |
| other external memory (PGlite's in-memory files: database and WAL; the log's record bytes) at warm-up / end (per 10k records) | ${r.memory.otherExternalMb.atWarmUp ?? 'n/a'} / ${r.memory.otherExternalMb.end ?? 'n/a'} MB (${r.memory.otherExternalMb.per10kRecords ?? 'n/a'} MB) |
| RSS growth after warm-up beyond what the data holds | ${r.memory.rssGrowthBeyondDataMb} MB (allowed ${r.rssMb.allowedGrowth} MB) |
| records applied by the projectors (after warm-up) | ${r.recordsApplied ?? 'unknown'} (${r.memory.recordsAfterWarmUp}) |
| SIGTERM at the end | exit ${r.shutdown.exitCode} in ${r.shutdown.ms} ms |

Verdict: JS heap flat ${r.verdict.heapFlat ? 'yes' : 'NO'}; RSS flat beyond the data ${r.verdict.rssBeyondDataFlat ? 'yes' : 'NO'}; zero errors ${r.verdict.zeroErrors ? 'yes' : 'NO'}; ${r.verdict.pass ? 'PASS' : 'FAIL'} (raw RSS flat: ${r.verdict.flatMemory ? 'yes' : 'no'}).

Reading it: on embedded defaults the data lives in the process. PGlite's WebAssembly memory
(\`dpg_database_wasm_memory_bytes\`) stays at its initial size; what grows is PGlite's in-memory
file system (Emscripten MEMFS, JS ArrayBuffers counted in "external"), which holds the database
files and the WAL (PGlite does not checkpoint below \`max_wal_size\`, 1 GB): measured in process,
about 2.9 KB of database and 4 KB of WAL per record applied. The in-process log keeps every
record's bytes (about 0.4 KB each, in memory of their own). So raw RSS grows with the records
applied, by design. A leak in our code would show as JS heap floors (the lowest heap used in each
minute, what survives collections) that keep rising, or as RSS growing beyond what the data holds;
on PostgreSQL (\`SOAK_DATABASE_URL\`, soak-postgres.md) only the log's records stay in the process.

| s | RSS MB | heap MB | external MB | of which WebAssembly MB | event loop p99 ms | records applied | requests | errors |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${r.samples.map((s) => `| ${s.atSeconds} | ${s.rssMb} | ${s.heapUsedMb ?? ''} | ${s.externalMb ?? ''} | ${s.wasmMb ?? ''} | ${s.eventLoopLagP99Ms ?? ''} | ${s.recordsApplied ?? ''} | ${s.requests} | ${s.errors} |`).join('\n')}
`;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
