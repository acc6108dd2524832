import type { Server } from 'node:http';
import { expect } from 'vitest';
import type { Gateway, GatewayOptions } from '../../gateway/createGateway.js';
import { createGateway } from '../../gateway/createGateway.js';
import { listen } from '../../gateway/http/listen.js';
import type { OpenedAccess } from '../../gateway/openAccess.js';
import type { Cache } from '../../platform/cache/index.js';
import type { ContextModule } from '../../platform/context/index.js';
import type { Database } from '../../platform/database/index.js';
import { quoteIdent } from '../../platform/database/index.js';
import type { EventLog } from '../../platform/eventLog/index.js';
import type { Projector, ProjectorOptions } from '../../platform/projection/index.js';
import { createProjector, readWatermarks } from '../../platform/projection/index.js';
import type { RetryNotice } from '../../platform/retry/index.js';
import type { SimulatedRecord } from '../../platform/simulator/index.js';
import { contexts, createJourneySimulator } from '../../subgraphs/index.js';
import type { TestPrincipalName } from './gatewayAccess.js';
import { openTestAccess } from './gatewayAccess.js';
import { snapshotContext, snapshotQuarantine, waitUntilCaughtUp } from './projectionHarness.js';
import { uniqueName } from './services.js';

// What the outage tests share: a stream of order journeys for every context of the registry, a
// clean reference run to compare with, projectors that record their failures, a gateway over
// HTTP, and a client that keeps asking it while a dependency goes down and comes back.

export const topicsOf = (context: ContextModule): string[] => context.ingestion.decoders.map((d) => d.topic);
export const recordsOf = (context: ContextModule, records: readonly SimulatedRecord[]): SimulatedRecord[] => {
  const topics = new Set(topicsOf(context));
  return records.filter((r) => topics.has(r.topic));
};

/** Journeys across all topics, with the delivery faults the engine must absorb (duplicates, reordering, poison records, legacy CDC). */
export function journeyStream(seed: number, journeys: number): SimulatedRecord[] {
  return createJourneySimulator({ seed, startTime: Date.now() - 3_600_000, faults: { legacyShare: 0.3, duplicateRate: 0.02, reorderRate: 0.02, malformedRate: 0.01 } }).next(journeys).records;
}

/** A schema per context, named after a prefix of this run. */
export const schemasFor = (prefix: string): Record<string, string> => Object.fromEntries(contexts.map((c) => [c.name, uniqueName(`${prefix}_${c.name}`)]));

export interface RecordedFailure {
  projection: string;
  code: unknown;
  notice: RetryNotice | undefined;
}

/** One projector per context of the registry; failures (with their retry notices) are recorded, not logged. */
export async function startProjectors(deps: { log: EventLog; db: Database }, schemas: Record<string, string>, options: ProjectorOptions = {}): Promise<{ projectors: Projector[]; failures: RecordedFailure[]; batches: () => number }> {
  const failures: RecordedFailure[] = [];
  let batches = 0;
  const projectors: Projector[] = [];
  for (const context of contexts) {
    const projector = createProjector(deps, context.ingestion, {
      schema: schemas[context.name],
      onError: (error, notice) => failures.push({ projection: context.name, code: (error as { code?: unknown } | null)?.code, notice }),
      onBatch: () => void batches++,
      ...options,
    });
    projectors.push(projector);
    await projector.start();
  }
  return { projectors, failures, batches: () => batches };
}

/** Projects `records` (already in `log`) for every context into fresh schemas, without faults: what a run must equal. */
export async function projectReference(deps: { log: EventLog; db: Database }, prefix: string): Promise<Record<string, string>> {
  const schemas = schemasFor(prefix);
  const { projectors } = await startProjectors(deps, schemas, { batchSize: 100 });
  try {
    await waitForAllCaughtUp(deps, schemas);
  } finally {
    for (const projector of projectors) await projector.stop();
  }
  return schemas;
}

export async function waitForAllCaughtUp(deps: { log: EventLog; db: Database }, schemas: Record<string, string>, timeoutMs = 120_000): Promise<void> {
  for (const context of contexts) await waitUntilCaughtUp(deps.db, deps.log, schemas[context.name]!, topicsOf(context), timeoutMs);
}

/**
 * Then: every context's projection equals the reference run's (rows, quarantine, and the
 * counts of applied, duplicate, parked, quarantined and ignored records), and every record
 * produced was kept as raw evidence exactly once.
 */
export async function expectSameAsReference(db: Database, schemas: Record<string, string>, reference: Record<string, string>, records: readonly SimulatedRecord[]): Promise<void> {
  const totals = async (schema: string) =>
    (await readWatermarks(db, schema)).reduce(
      (t, w) => ({ applied: t.applied + w.appliedCount, duplicates: t.duplicates + w.duplicateCount, parked: t.parked + w.parkedCount, quarantined: t.quarantined + w.quarantinedCount, ignored: t.ignored + w.ignoredCount }),
      { applied: 0, duplicates: 0, parked: 0, quarantined: 0, ignored: 0 },
    );
  for (const context of contexts) {
    const [schema, ref] = [schemas[context.name]!, reference[context.name]!];
    expect(await snapshotContext(db, schema, context.ingestion), `${context.name} projection rows`).toEqual(await snapshotContext(db, ref, context.ingestion));
    expect(await snapshotQuarantine(db, schema), `${context.name} quarantine`).toEqual(await snapshotQuarantine(db, ref));
    const referenceTotals = await totals(ref);
    expect(await totals(schema), `${context.name} watermark counts`).toEqual(referenceTotals);
    expect(referenceTotals.applied).toBeGreaterThan(0);
    const { rows } = await db.query<{ n: number; distinct_records: number }>(`select count(*)::int as n, count(distinct (topic, partition, record_offset))::int as distinct_records from ${quoteIdent(schema)}.raw_events`);
    expect(rows[0], `${context.name} raw evidence`).toEqual({ n: recordsOf(context, records).length, distinct_records: recordsOf(context, records).length });
  }
}

export interface OutageGateway {
  gateway: Gateway;
  url: string;
  access: OpenedAccess;
  bearer: (who: TestPrincipalName) => Record<string, string>;
  stop(): Promise<void>;
}

/** The gateway over HTTP on loopback, serving every context from `schemas`, with the test principals. */
export async function startOutageGateway(deps: { db: Database; log: EventLog; cache: Cache }, schemas: Record<string, string>, options: Omit<GatewayOptions, 'projectionSchemas'> = {}): Promise<OutageGateway> {
  const { access, bearer } = await openTestAccess(deps, uniqueName('outage_access'));
  const gateway = await createGateway(deps, access, { ...options, projectionSchemas: schemas });
  const { server, url }: { server: Server; url: string } = await listen(gateway.handle, '127.0.0.1', 0);
  return {
    gateway,
    url,
    access,
    bearer,
    async stop() {
      server.closeAllConnections();
      server.close();
      await gateway.stop();
      await access.close().catch(() => undefined);
    },
  };
}

/** One answer the client got, as it saw it. */
export interface Answer {
  /** When it was asked, ms on the monotonic clock. */
  at: number;
  /** How long the answer took. */
  tookMs: number;
  status: number;
  codes: string[];
  retriable: boolean[];
  dependency: unknown[];
  freshnessStatus: unknown;
  retryAfter: string | null;
  rateLimit: string | null;
}

/**
 * A client asking the gateway one query every `everyMs`, one at a time, recording every answer
 * (or its failure to answer within `timeoutMs`, which the outage tests forbid: status 0).
 */
export function keepAsking(url: string, headers: Record<string, string>, query: string, everyMs = 100, timeoutMs = 15_000): { answers: Answer[]; stop(): Promise<void> } {
  const answers: Answer[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = performance.now();
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers }, body: JSON.stringify({ query }), signal: AbortSignal.timeout(timeoutMs) });
        const body = (await response.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }>; extensions?: Record<string, unknown> };
        answers.push({
          at,
          tookMs: performance.now() - at,
          status: response.status,
          codes: (body.errors ?? []).map((e) => String(e.extensions?.code)),
          retriable: (body.errors ?? []).map((e) => e.extensions?.retriable === true),
          dependency: (body.errors ?? []).map((e) => e.extensions?.dependency),
          freshnessStatus: body.extensions?.freshnessStatus,
          retryAfter: response.headers.get('retry-after'),
          rateLimit: response.headers.get('ratelimit'),
        });
      } catch {
        answers.push({ at, tookMs: performance.now() - at, status: 0, codes: [], retriable: [], dependency: [], freshnessStatus: undefined, retryAfter: null, rateLimit: null });
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    answers,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** Polls until `check` holds, or fails naming `what`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
