import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../platform/cache/index.js';
import type { Database } from '../platform/database/index.js';
import { createPostgresDatabase, quoteIdent } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { createKafkaEventLog } from '../platform/eventLog/index.js';
import { contextTables, createProjector } from '../platform/projection/index.js';
import { contexts } from '../subgraphs/index.js';
import { captureLogger } from '../test/support/captureLogger.js';
import { openTestAccess } from '../test/support/gatewayAccess.js';
import { snapshotContext, snapshotQuarantine, waitUntilCaughtUp } from '../test/support/projectionHarness.js';
import { postgresUrl, uniqueName } from '../test/support/services.js';
import { startMockKafkaBroker } from '../test/support/startMockKafkaBroker.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const DEADLINE_SECONDS = 10;
const TOPICS = [...new Set(contexts.flatMap((c) => c.ingestion.decoders.map((d) => d.topic)))];

interface LoadResult {
  at: number;
  status: number | 'network-error';
  code?: string;
}

/**
 * `npm start` itself (gateway/main.ts) on PostgreSQL and a Kafka-protocol broker, under queries and
 * simulator ingest, stopped with SIGTERM: it must exit 0 within SHUTDOWN_DEADLINE_SECONDS, answer
 * every request it accepted, and leave no batch half-applied (the stored state, resumed, equals a
 * clean replay of the same log).
 */
describe('SIGTERM under load', () => {
  let broker: { bootstrap: string; stop: () => Promise<void> };
  const database = uniqueName('shutdown');
  let databaseUrl: string;
  let db: Database;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    // A broker of its own: the process uses the registry's real topic names.
    broker = await startMockKafkaBroker(TOPICS.map((t) => `${t}:4`));
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    await admin.query(`create database ${quoteIdent(database)}`);
    await admin.end();
    const url = new URL(postgresUrl());
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
    db = await createPostgresDatabase(databaseUrl);
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await db?.close();
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    await admin.query(`drop database if exists ${quoteIdent(database)} with (force)`);
    await admin.end();
    await broker?.stop();
  });

  it('drains, commits or rolls back the batch in flight, leaves the groups and exits 0 within the deadline', async () => {
    const lines: Array<Record<string, unknown>> = [];
    let stderr = '';
    const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: databaseUrl,
        KAFKA_BROKERS: broker.bootstrap,
        TOKENIZATION_SECRET: 'shutdown-test-tokenization-secret-0123456789',
        SIMULATOR: 'on',
        SIMULATOR_EVENTS_PER_SECOND: '300',
        PROJECTION_BATCH_SIZE: '100',
        LOG_LEVEL: 'info',
        SHUTDOWN_DEADLINE_SECONDS: String(DEADLINE_SECONDS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let pending = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      // Every line on stdout is a JSON log line: no banner without a terminal or demo keys.
      for (const line of complete) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => proc.once('exit', (code) => resolve({ code, at: Date.now() })));

    const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 90_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (proc.exitCode !== null) throw new Error(`gateway exited (${proc.exitCode}) while waiting for ${what}: ${stderr}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr: ${stderr}`);
        await sleep(200);
      }
    };
    await until('the listening line', () => lines.some((l) => l.msg === 'gateway listening'));
    const url = String(lines.find((l) => l.msg === 'gateway listening')!.url);
    await until('/ready', async () => (await fetch(`${url}/ready`).catch(() => null))?.status === 200);

    // Principals of this database (the process created the access schema).
    const { access, keys } = await openTestAccess({ db, cache: createMemoryCache() }, 'gateway');
    await access.close();
    // Records committed by every projector, summed (the process runs each context in a schema named after it).
    const applied = async () => {
      let total = 0;
      for (const context of contexts) total += Number((await db.query<{ n: string }>(`select coalesce(sum(next_offset), 0) as n from ${contextTables(context.name).checkpoints}`)).rows[0]!.n);
      return total;
    };
    await until('batches to commit', async () => (await applied()) > 200);

    // Load: two principals (each under its rate limit) asking contract queries in a loop, while
    // the simulator feeds the projectors.
    const results: LoadResult[] = [];
    let loading = true;
    const client = async (key: string, path: string, query: string) => {
      while (loading) {
        try {
          const response = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
          const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
          results.push({ at: Date.now(), status: response.status, code: body.errors?.[0]?.extensions?.code });
        } catch {
          results.push({ at: Date.now(), status: 'network-error' });
        }
        await sleep(80);
      }
    };
    const load = Promise.all([
      client(keys.internal, '/contracts/order_journey/v1', '{ orderJourneys(first: 20) { orderId journeyStage payments { paymentLifecycleState } shipments { shipmentStatus } } }'),
      client(keys.operator, '/contracts/customer_order_timeline/v2', '{ recentCustomerOrders(first: 20) { orderId orderLifecycleState orderTotal { amount currency } } }'),
    ]);
    await sleep(3000);
    const before = await applied();
    const signalledAt = Date.now();
    proc.kill('SIGTERM');
    const { code, at } = await exited;
    loading = false;
    await load;

    // In time, and clean.
    expect(code, stderr).toBe(0);
    expect(at - signalledAt).toBeLessThan(DEADLINE_SECONDS * 1000 + 1500);
    const shutdownLines = lines.filter((l) => l.component === 'shutdown');
    expect(shutdownLines.map((l) => l.msg)).toContain('shutdown complete');
    expect(shutdownLines.map((l) => l.msg)).not.toContain('shutdown deadline passed; stopping with work still pending');
    expect(lines.filter((l) => l.msg === 'left the consumer group').length).toBe(contexts.flatMap((c) => c.ingestion.projections).length);
    // The load was real: requests answered before the signal, and batches committed meanwhile.
    expect(results.filter((r) => r.at < signalledAt && r.status === 200).length).toBeGreaterThan(5);
    expect(before).toBeGreaterThan(200);
    // Every request got a whole answer: 200, or 503 SHUTTING_DOWN once draining; never a 5xx
    // of another kind, and no connection cut before the signal.
    for (const r of results) {
      if (r.status === 'network-error') expect(r.at).toBeGreaterThanOrEqual(signalledAt);
      else if (r.status === 503) expect(r.code).toBe('SHUTTING_DOWN');
      else expect(r.status).toBe(200);
    }

    // No batch half-applied: per partition, the raw evidence ends exactly at the checkpoint...
    for (const context of contexts) {
      const { raw, checkpoints } = contextTables(context.name);
      const evidence = context.ingestion.projections[0]!.name;
      const { rows } = await db.query<{ topic: string; partition: number; next_offset: string; raw_rows: string; raw_end: string }>(
        `select c.topic, c.partition, c.next_offset, count(r.record_offset) as raw_rows, coalesce(max(r.record_offset) + 1, 0) as raw_end
         from ${checkpoints} c left join ${raw} r on r.topic = c.topic and r.partition = c.partition
         where c.projection = $1 group by c.topic, c.partition, c.next_offset`,
        [evidence],
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect({ ...row, raw_rows: row.next_offset, raw_end: row.next_offset }, `${context.name} ${row.topic}/${row.partition}`).toEqual(row);
    }

    // ...and the stored state, resumed to the end of the log, equals a clean replay of that log.
    const quiet = captureLogger('error').logger;
    const log: EventLog = await createKafkaEventLog({ brokers: broker.bootstrap.split(','), sessionTimeoutMs: 6000 });
    try {
      await Promise.all(
        contexts.map(async (context) => {
          const topics = context.ingestion.decoders.map((d) => d.topic);
          for (const schema of [context.name, `${context.name}_replay`]) {
            // Its own warnings (a slow first JoinGroup on the test broker) are not this test's subject.
            const projector = createProjector({ log, db }, context.ingestion, { schema, logger: quiet });
            await projector.start();
            try {
              await waitUntilCaughtUp(db, log, schema, topics, 120_000);
            } finally {
              await projector.stop();
            }
          }
          expect(await snapshotContext(db, context.name, context.ingestion), context.name).toEqual(await snapshotContext(db, `${context.name}_replay`, context.ingestion));
          expect(await snapshotQuarantine(db, context.name), context.name).toEqual(await snapshotQuarantine(db, `${context.name}_replay`));
        }),
      );
    } finally {
      await log.close();
    }
  }, 300_000);
});
