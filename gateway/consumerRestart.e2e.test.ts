import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../platform/cache/index.js';
import type { Database } from '../platform/database/index.js';
import { createPostgresDatabase } from '../platform/database/index.js';
import type { EventLog } from '../platform/eventLog/index.js';
import { createEmbeddedEventLog, createKafkaEventLog } from '../platform/eventLog/index.js';
import type { Projector } from '../platform/projection/index.js';
import { contexts } from '../subgraphs/index.js';
import { captureLogger } from '../test/support/captureLogger.js';
import type { OutageGateway } from '../test/support/outageHarness.js';
import { expectSameAsReference, journeyStream, projectReference, schemasFor, startOutageGateway, startProjectors, topicsOf, waitFor, waitForAllCaughtUp } from '../test/support/outageHarness.js';
import { produceAll } from '../test/support/projectionHarness.js';
import { postgresUrl } from '../test/support/services.js';
import type { MockKafkaBroker } from '../test/support/startMockKafkaBroker.js';
import { startMockKafkaBroker } from '../test/support/startMockKafkaBroker.js';

// kafkajs restarts a consumer by itself only after errors it classifies as retriable. After any
// other crash (here: Heartbeats refused with GROUP_AUTHORIZATION_FAILED, which kafkajs does not
// retry) it reports `restart: false` and the member stays stopped for good: the projector would
// stop consuming while the process looked alive. The adapter starts a new member after its
// backoff; meanwhile /ready says not ready; afterwards the projection equals a run without it.

const HEARTBEAT = 12;
const GROUP_AUTHORIZATION_FAILED = 30;

describe('A Kafka consumer that crashes with an error kafkajs does not retry', () => {
  let broker: MockKafkaBroker | undefined;
  let kafka: EventLog | undefined;
  let db: Database | undefined;
  let gateway: OutageGateway | undefined;
  const projectors: Projector[] = [];

  beforeAll(async () => {
    broker = await startMockKafkaBroker([...new Set(contexts.flatMap(topicsOf))].map((t) => `${t}:4`));
    kafka = await createKafkaEventLog({ brokers: [broker.bootstrap], sessionTimeoutMs: 6_000 });
    db = await createPostgresDatabase(postgresUrl());
  });
  afterAll(async () => {
    for (const projector of projectors) await projector.stop().catch(() => undefined);
    await gateway?.stop().catch(() => undefined);
    await kafka?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await broker?.stop();
  });

  it('is restarted by the adapter with backoff, is not ready meanwhile, and the projector resumes without a process restart', async () => {
    const records = journeyStream(71, 60);
    const [early, late] = [records.slice(0, Math.floor(records.length / 2)), records.slice(Math.floor(records.length / 2))];
    const reference = await projectReference({ db: db!, log: await embeddedWith(records) }, 'kafkarestart_ref');

    const deps = { db: db!, log: kafka! };
    const { logger, lines } = captureLogger('debug');
    await produceAll(deps.log, early);
    const schemas = schemasFor('kafkarestart_run');
    const run = await startProjectors(deps, schemas, { batchSize: 10, partitionConcurrency: 1, logger });
    projectors.push(...run.projectors);
    gateway = await startOutageGateway({ ...deps, cache: createMemoryCache() }, schemas, { readiness: { projectors: run.projectors } });
    const ready = async () => {
      const response = await fetch(`${gateway!.url}/ready`);
      return { status: response.status, body: (await response.json()) as { checks: Array<{ name: string; ready: boolean; detail: string }> } };
    };
    await waitFor('every consumer assigned', async () => (await ready()).status === 200, 60_000);
    await waitForAllCaughtUp({ db: deps.db, log: await embeddedWith(early) }, schemas, 60_000);

    // When the broker refuses the next Heartbeats with an error kafkajs does not retry.
    await broker!.fail(HEARTBEAT, GROUP_AUTHORIZATION_FAILED, 3);
    const notReady = await waitForValue('/ready to say not ready', async () => {
      const answer = await ready();
      return answer.status === 503 ? answer : null;
    });
    // Then the crashed consumer is named, restarting; nothing else about the broker is revealed.
    expect(notReady.body.checks.filter((c) => !c.ready).map((c) => c.detail).join(' ')).toContain('restarting');
    const crash = lines.find((l) => l.msg.startsWith('consumer crashed and left its group'));
    expect(crash).toMatchObject({ level: 'warn', component: 'projector' });

    // The rest of the stream is applied by the restarted members, in this same process.
    await produceAll(deps.log, late);
    await waitForAllCaughtUp({ db: deps.db, log: await embeddedWith(records) }, schemas, 120_000);
    for (const projector of run.projectors) await projector.settle();
    await waitFor('/ready to say ready again', async () => (await ready()).status === 200, 30_000);

    // One warning per crashed projection, one line when it is back; the restart waited for the
    // backoff of an error that says retrying may not help (the longest wait, 5 s).
    const crashed = new Set(lines.filter((l) => l.msg.startsWith('consumer crashed and left its group')).map((l) => `${String(l.schema)} ${String(l.projection)}`));
    const back = lines.filter((l) => l.msg.startsWith('consumer back in its group'));
    expect(crashed.size).toBeGreaterThan(0);
    expect(new Set(back.map((l) => `${String(l.schema)} ${String(l.projection)}`))).toEqual(crashed);
    for (const line of back) expect(line.downMs).toBeGreaterThanOrEqual(4_000);
    expect(run.failures.some((f) => f.notice && !f.notice.retriable && f.notice.delayMs === 5_000)).toBe(true);

    await expectSameAsReference(deps.db, schemas, reference, records);
  }, 240_000);
});

async function waitForValue<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The same records in an embedded log, with the same partitioner: the end offsets to wait for. */
async function embeddedWith(records: Parameters<typeof produceAll>[1]): Promise<EventLog> {
  const log = createEmbeddedEventLog();
  await produceAll(log, records);
  return log;
}
