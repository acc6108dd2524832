import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../platform/cache/index.js';
import type { Database } from '../platform/database/index.js';
import { createPostgresDatabase } from '../platform/database/index.js';
import { createEmbeddedEventLog } from '../platform/eventLog/index.js';
import type { Projector } from '../platform/projection/index.js';
import { produceAll } from '../test/support/projectionHarness.js';
import type { OutageGateway } from '../test/support/outageHarness.js';
import { expectSameAsReference, journeyStream, keepAsking, projectReference, schemasFor, startOutageGateway, startProjectors, waitFor, waitForAllCaughtUp } from '../test/support/outageHarness.js';
import type { ScratchPostgres } from '../test/support/startScratchPostgres.js';
import { startScratchPostgres } from '../test/support/startScratchPostgres.js';

// PostgreSQL restarted under load, on a server of the test's own (stopping this machine's shared
// one would fail every other test run): the projector rides it out with backoff and resumes from
// its checkpoints, the gateway answers 503 DEPENDENCY_UNAVAILABLE promptly meanwhile, and both
// carry on when it is back, without a restart of anything but PostgreSQL.

const QUERY = /* GraphQL */ `{ recentCustomerOrders(first: 5) { orderId orderLifecycleState } }`;

describe('PostgreSQL restarted while the projector applies a stream and the gateway serves queries', () => {
  let pg: ScratchPostgres | undefined;
  let db: Database | undefined;
  let gateway: OutageGateway | undefined;
  const projectors: Projector[] = [];

  beforeAll(async () => {
    pg = await startScratchPostgres();
    db = await createPostgresDatabase(pg.url);
  });
  afterAll(async () => {
    // Each step on its own: a failed test must still leave no server, pool or timer behind.
    for (const projector of projectors) await projector.stop().catch(() => undefined);
    await gateway?.stop().catch(() => undefined);
    await db?.close().catch(() => undefined);
    await pg?.destroy();
  });

  it('equals a run without the restart, loses and repeats nothing, and answers again within seconds', async () => {
    const deps = { db: db!, log: createEmbeddedEventLog() };
    const records = journeyStream(31, 150);
    await produceAll(deps.log, records);
    const reference = await projectReference(deps, 'dbout_ref');

    // Given the projectors applying the stream in small batches while a client keeps asking.
    const schemas = schemasFor('dbout_run');
    gateway = await startOutageGateway({ ...deps, cache: createMemoryCache() }, schemas, { freshness: { ttlMs: 100 } });
    const run = await startProjectors(deps, schemas, { batchSize: 5, partitionConcurrency: 1 });
    projectors.push(...run.projectors);
    const client = keepAsking(`${gateway.url}/contracts/customer_order_timeline/v2`, gateway.bearer('internal'), QUERY);
    await waitFor('the first answers with data', () => client.answers.some((a) => a.status === 200), 30_000);
    await waitFor('a few batches applied', () => run.batches() >= 20);

    // When PostgreSQL stops mid-stream, stays down for 7 s, and starts again.
    const batchesBefore = run.batches();
    const stoppedAt = performance.now();
    await pg!.stop();
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    const restartedAt = performance.now();
    await pg!.start();
    const upAt = performance.now();
    await waitFor('an answer with data after the restart', () => client.answers.some((a) => a.at > upAt && a.status === 200), 30_000);
    await waitForAllCaughtUp(deps, schemas);
    for (const projector of run.projectors) await projector.settle();
    await client.stop();

    // Then it was mid-stream: batches were still to come when PostgreSQL stopped.
    const batchesAfter = run.batches();
    expect(batchesAfter).toBeGreaterThan(batchesBefore);

    // While it was down, every answer came promptly and said so: 503, DEPENDENCY_UNAVAILABLE,
    // retriable, naming the database, with Retry-After. None hung.
    const during = client.answers.filter((a) => a.at > stoppedAt + 200 && a.at + a.tookMs < restartedAt);
    expect(during.length).toBeGreaterThan(20);
    for (const answer of during) {
      expect(answer.tookMs).toBeLessThan(2_000);
      expect(answer).toMatchObject({ status: 503, retryAfter: '1' });
      expect(answer.codes.length).toBeGreaterThan(0);
      expect(new Set(answer.codes)).toEqual(new Set(['DEPENDENCY_UNAVAILABLE']));
      expect(answer.retriable.every(Boolean)).toBe(true);
      expect(new Set(answer.dependency)).toEqual(new Set(['database']));
    }
    // Answers that got as far as executing (the caller's key was still in the authentication
    // cache) say the freshness is UNKNOWN: the watermarks could not be read.
    const executed = during.filter((a) => a.freshnessStatus !== undefined && a.at > stoppedAt + 500);
    for (const answer of executed) expect(answer.freshnessStatus).toBe('UNKNOWN');

    // Once it was back, the gateway answered with data within seconds, without a restart.
    const firstGood = client.answers.find((a) => a.at > upAt && a.status === 200)!;
    expect(firstGood.at + firstGood.tookMs - upAt).toBeLessThan(5_000);
    expect(client.answers.filter((a) => a.status === 0)).toEqual([]);

    // The projector retried with backoff (no tight loop), saying the failures were retriable.
    const outageFailures = run.failures.filter((f) => f.notice !== undefined);
    expect(outageFailures.length).toBeGreaterThan(0);
    expect(outageFailures.every((f) => f.notice!.retriable && ['DATABASE_UNAVAILABLE', 'TRANSACTION_CONFLICT'].includes(String(f.code)))).toBe(true);
    expect(Math.max(...outageFailures.map((f) => f.notice!.attempt))).toBeGreaterThan(1);
    // Fewer than one attempt per 50 ms per partition and projector over the 7 s outage.
    expect(outageFailures.length).toBeLessThan(4 * 4 * 4 * (7_000 / 50));

    // And the projection equals the clean run: nothing lost, nothing applied twice.
    await expectSameAsReference(deps.db, schemas, reference, records);
  });
});
