import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { ExecutionResult } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Database } from '../../platform/database/index.js';
import type { Principal } from '../access/index.js';
import { hasRight, isAccessError, mayUseContract } from '../access/index.js';
import type { AuditLog } from '../audit/index.js';
import { auditPrincipal } from '../audit/index.js';
import type { CompiledContract } from '../contracts/index.js';
import { GatewayErrorCode, logUnexpected, runInRequestScope } from '../errors/index.js';
import type { FreshnessReader } from '../metadata/index.js';
import type { ExportDocument } from './buildExportDocument.js';
import { buildExportDocument, CHANGE_FEED_FIELD } from './buildExportDocument.js';
import { createExportJobStore } from './createExportJobStore.js';
import { createExportRoutes } from './createExportRoutes.js';
import { describeRedactionPolicy } from './describeRedactionPolicy.js';
import type { ExportFailure, ExportJob, ExportManifest, ExportRefusal, ExportRequest } from './ExportJob.js';
import { ExportFailureCode } from './ExportJob.js';
import type { ChangeFeed, ChangePage, ChangePageEnd } from './readChangePages.js';
import { readChangePages } from './readChangePages.js';
import { writeExportFile } from './writeExportFile.js';
import type { Logger } from '../../platform/logging/index.js';
import { defaultLogger } from '../../platform/logging/index.js';

/**
 * What exports need of the gateway: its contracts, and running an operation against a
 * principal's view of one in-process (`Gateway.executeContractOperation`): the same schema,
 * resolvers, redaction and row scope as over HTTP. A structural port, so this folder does not
 * import the composition root that wires it.
 */
export interface ContractOperationRunner {
  readonly contracts: readonly CompiledContract[];
  executeContractOperation(operation: { contract: CompiledContract; principal: Principal; document: string; variables?: Record<string, unknown> }): Promise<ExecutionResult>;
  /** The feed's page built in SQL (JSON text per row), or null when it cannot be planned. Optional: without it every page is executed as GraphQL. */
  executeChangeFeedPage?(page: { contract: CompiledContract; principal: Principal; feedField: string; since: string | null; first: number; endOnly?: boolean }): Promise<{ lines: string[]; endCursor: string | null; hasMore: boolean } | null>;
  /** The whole feed from `since` in one statement and one snapshot, or null when it cannot stream. Optional: without it the feed is read in pages. */
  streamChangeFeed?(request: { contract: CompiledContract; principal: Principal; feedField: string; since: string | null }): AsyncIterable<{ lines: string[]; endCursor: string | null; hasMore: boolean }> | null;
}

export interface ExportJobsDeps {
  db: Database;
  gateway: ContractOperationRunner;
  audit: AuditLog;
  /**
   * Freshness of each projection, written into the manifest. Default: none; the manifest then
   * says UNKNOWN with the reason rather than leave the field out.
   */
  freshness?: FreshnessReader;
  /** Where failures the jobs survive (a heartbeat, a cleanup) are warned about. Default: warnings and errors on stderr. */
  logger?: Logger;
}

export interface ExportJobsOptions {
  /** Where finished files (`<id>.ndjson.gz`) and files being written (`.partial`) live. Created if missing. No default: the composition root decides (config `EXPORT_DIRECTORY`). */
  directory: string;
  /** Postgres schema of the `export_jobs` table. Default `gateway`: the gateway's own, beside principals and the audit log. */
  schema?: string;
  /**
   * Rows per page of the change feed (at most the feed's own maximum, 1000). Default 1000 when
   * pages are built in SQL (the gateway offers executeChangeFeedPage): a quarter of the statements
   * and cursor walks of pages of 250, and the bench's export ran faster with them (about 16 s
   * against 19-21 s for 1,000,001 rows, bench/results/export.md) for 20-40 MB more peak RSS.
   * Else 250: a page is then one GraphQL execution, and smaller pages' objects die young, so the
   * collector does less work, which outweighed the extra round trips.
   */
  pageSize?: number;
  /**
   * Pages of one job read at once: above 1, a cheap cursor-only query walks ahead and the pages at
   * those cursors are read concurrently (checked, see readChangePages). Default 2 when pages are
   * built in SQL (the gateway offers executeChangeFeedPage): then PostgreSQL is the bottleneck and
   * two pages run in two backends; else 1, since GraphQL execution already keeps this process
   * busy (bench/results/export.md). Memory holds this many pages plus the one being written.
   */
  readAhead?: number;
  /**
   * Jobs running at once in this process; more wait in order. Default 1: a job keeps one core
   * busy (executing, redacting, serialising its pages), and the gateway must keep answering
   * queries beside it. 0 accepts and queues jobs without running them (a draining instance).
   */
  maxConcurrentJobs?: number;
  /** Unfinished (queued or running) jobs one principal may have. Default 3: a loop of POSTs cannot fill the disk or the queue. */
  maxUnfinishedJobsPerPrincipal?: number;
  /**
   * gzip level, 1 (fastest) to 9 (smallest). Default 1: NDJSON of one contract row type is highly
   * repetitive, so level 1 already compresses it well, at a fraction of level 6's CPU
   * (bench/results/export.md).
   */
  compressionLevel?: number;
  /**
   * Read the feed in one streamed statement when the gateway and database can (PostgreSQL server,
   * a selection planned in SQL): one snapshot, so each row appears once, and no page statements,
   * cursor walks or per-page row decoding. Default true; false reads pages (as on PGlite).
   */
  streaming?: boolean;
  /** How often this process marks the jobs it holds as alive (and records their progress). Default 5,000 ms. */
  heartbeatIntervalMs?: number;
  /**
   * An unfinished job nobody has marked alive for this long is failed as interrupted: its process
   * died. Default 30,000 ms: six missed heartbeats, so a slow database does not fail a live job.
   */
  staleAfterMs?: number;
}

export interface ExportJobs {
  /** Creates the job table and the directory, fails jobs left unfinished by a dead process, and starts the heartbeat. Call once before anything else. */
  migrate(): Promise<void>;
  /** Serves `POST /exports`, `GET /exports`, `GET /exports/<id>` and `GET /exports/<id>/file` for an authenticated principal; false for other paths. */
  handle(req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<boolean>;
  /** Checks and queues an export; the job runs in the background. A refusal is a value, not a throw. */
  start(principal: Principal, request: ExportRequest, options?: { correlationId?: string }): Promise<ExportJob | ExportRefusal>;
  /** The principal's job, or null (unknown, or another principal's). */
  get(id: string, principal: Principal): Promise<ExportJob | null>;
  /** The path of a finished job's file on this gateway. */
  filePath(id: string): string;
  /** Resolves when the job is no longer QUEUED or RUNNING in this process, with its final state (tests and benchmarks). */
  waitFor(id: string): Promise<ExportJob>;
  /**
   * Stops the heartbeat, refuses new jobs, stops running jobs between pages and fails them and
   * the queued ones as interrupted, then resolves. Does not close `db` or `audit`.
   */
  close(): Promise<void>;
}

type Phase = 'created' | 'open' | 'closing' | 'closed';

interface HeldJob {
  job: ExportJob;
  principal: Principal;
  contract: CompiledContract;
  document: ExportDocument;
  correlationId: string;
  rows: number;
  abort: AbortController;
  done: Promise<void>;
  finish: () => void;
}

const ID = /^exp_[A-Za-z0-9_-]{22}$/;
/** Jobs `GET /exports` lists, newest first. */
const MAX_LISTED = 100;
const INTERRUPTED_MESSAGE = 'The process running this export stopped before it finished (crash, deploy or shutdown). Start a new export; a previous manifest’s endCursor as filter.since exports only what changed since.';

/**
 * Bulk exports of a contract's change feed as redacted NDJSON (gzip), with a manifest (DESIGN
 * §9a). Each job pages through `changes` with the principal's own view of the contract, through
 * the gateway's in-process executor: redaction and row scope come from the same resolvers and SQL
 * as the GraphQL path, so an export cannot show what a query would not.
 *
 * Jobs run in this process, at most `maxConcurrentJobs` at once. A process that dies leaves its
 * jobs RUNNING (or QUEUED) in the table; their heartbeat stops, and the next sweep of any gateway
 * sharing the database (at start-up in `migrate`, then every heartbeat) marks them FAILED with
 * `EXPORT_INTERRUPTED` and removes their partial files from its directory. Jobs are not resumed:
 * the principal starts a new one (a file is only ever written whole, then renamed into place).
 */
export function createExportJobs(deps: ExportJobsDeps, options: ExportJobsOptions): ExportJobs {
  const schema = options.schema ?? 'gateway';
  const pageSize = options.pageSize ?? (deps.gateway.executeChangeFeedPage ? 1000 : 250);
  const readAhead = options.readAhead ?? (deps.gateway.executeChangeFeedPage ? 2 : 1);
  const maxConcurrent = options.maxConcurrentJobs ?? 1;
  const maxUnfinished = options.maxUnfinishedJobsPerPrincipal ?? 3;
  const compressionLevel = options.compressionLevel ?? 1;
  const streaming = options.streaming ?? true;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 5_000;
  const staleAfterMs = options.staleAfterMs ?? 30_000;
  const directory = options.directory;
  const store = createExportJobStore(deps.db, schema);

  let phase: Phase = 'created';
  let timer: NodeJS.Timeout | null = null;
  const queue: HeldJob[] = [];
  const held = new Map<string, HeldJob>();
  let running = 0;
  const documents = new Map<string, ExportDocument | { problem: string }>();

  const fileName = (id: string) => `${id}.ndjson.gz`;
  const filePath = (id: string) => join(directory, fileName(id));
  const partialPath = (id: string) => join(directory, `${fileName(id)}.partial`);
  const contractRef = (contract: CompiledContract) => `${contract.meta.name}/v${contract.meta.version}`;

  const documentFor = (contract: CompiledContract, principal: Principal) => {
    const key = `${contractRef(contract)}:${principal.audience}`;
    let document = documents.get(key);
    if (!document) {
      document = buildExportDocument(contract.views[principal.audience].schema);
      documents.set(key, document);
    }
    return document;
  };

  const logger = (deps.logger ?? defaultLogger()).child({ component: 'exports' });
  const warn = (msg: string, error: unknown) => logger.warn({ err: error }, msg);

  const sweep = async () => {
    const interrupted = await store.failStale(staleAfterMs, { code: ExportFailureCode.Interrupted, message: INTERRUPTED_MESSAGE });
    await Promise.all(interrupted.map((id) => rm(partialPath(id), { force: true })));
  };

  const beat = async () => {
    try {
      await store.heartbeat(new Map([...held.values()].map((h) => [h.job.id, h.rows])));
      await sweep();
    } catch (error) {
      // A missed heartbeat is retried by the next one; only staleAfterMs of them fails a job.
      warn('export heartbeat failed', error);
    }
  };

  /** The feed as this job's principal sees it: every read through the gateway's executor, its view and row scope. */
  const feedOf = (h: HeldJob): ChangeFeed => {
    const run = async <T>(document: string, since: string | null): Promise<T> => {
      const result = await deps.gateway.executeContractOperation({ contract: h.contract, principal: h.principal, document, variables: { since, first: pageSize } });
      const first = result.errors?.[0];
      if (first) throw first;
      return (result.data as Record<string, T>)[CHANGE_FEED_FIELD]!;
    };
    // Planned in SQL when the gateway can (the same rows, cursors, scope and redaction as the
    // GraphQL feed, built by PostgreSQL); else, or once it said it cannot, executed as GraphQL.
    let planned = Boolean(deps.gateway.executeChangeFeedPage);
    const fetchPage = async (since: string | null): Promise<ChangePage> => {
      if (planned) {
        const page = await deps.gateway.executeChangeFeedPage!({ contract: h.contract, principal: h.principal, feedField: CHANGE_FEED_FIELD, since, first: pageSize });
        if (page) return { nodes: [], lines: page.lines, endCursor: page.endCursor, hasMore: page.hasMore };
        planned = false;
      }
      return run<ChangePage>(h.document.document, since);
    };
    const fetchPageEnd = async (since: string | null): Promise<ChangePageEnd> => {
      if (planned) {
        const end = await deps.gateway.executeChangeFeedPage!({ contract: h.contract, principal: h.principal, feedField: CHANGE_FEED_FIELD, since, first: pageSize, endOnly: true });
        if (end) return { endCursor: end.endCursor, hasMore: end.hasMore };
      }
      return run<ChangePageEnd>(h.document.pageEndDocument, since);
    };
    return { fetchPage, fetchPageEnd };
  };

  const readFreshness = async (contract: CompiledContract): Promise<ExportManifest['freshness']> => {
    const reader = deps.freshness;
    if (!reader) return contract.projections.map((projection) => ({ projection, status: 'UNKNOWN' as const, unavailable: 'this gateway was started without a freshness reader for exports' }));
    return Promise.all(contract.projections.map((projection) => reader.read(projection, contract.meta)));
  };

  const record = (h: HeldJob, outcome: 'ok' | 'error', detail: string, extra: { rows?: number; errorCode?: string } = {}) => {
    deps.audit.record({
      action: 'export.create',
      ...auditPrincipal(h.principal),
      contract: contractRef(h.contract),
      operationName: 'Export',
      operationHash: sha256(h.document.document),
      fieldsSelected: h.document.fields,
      redactions: describeRedactionPolicy(h.contract, h.principal.audience, h.document.fields).flatMap((p) => (p.strategy === 'NONE' ? [] : [{ field: p.field, strategy: p.strategy }])),
      exportId: h.job.id,
      ...(extra.rows === undefined ? {} : { rowsReturned: extra.rows }),
      outcome,
      ...(extra.errorCode ? { errorCode: extra.errorCode } : {}),
      correlationId: h.correlationId,
      detail,
    });
  };

  const failureOf = (error: unknown, h: HeldJob): ExportFailure => {
    if (h.abort.signal.aborted) return { code: ExportFailureCode.Interrupted, message: 'The gateway shut down while this export ran. Start a new export.' };
    // A GraphQL error raised on purpose (a refused cursor) keeps its message; anything else is
    // logged with the job's correlation id and masked: no SQL or path reaches the principal.
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    const code = error instanceof GraphQLError ? (error.extensions?.code ?? (original instanceof GraphQLError ? original.extensions?.code : undefined)) : undefined;
    if (original instanceof GraphQLError || (typeof code === 'string' && code !== GatewayErrorCode.InternalServerError)) {
      return { code: ExportFailureCode.QueryFailed, message: `The contract refused a page: ${(error as GraphQLError).message}` };
    }
    const correlationId = logUnexpected(`export ${h.job.id}`, original);
    return { code: ExportFailureCode.InternalError, message: `Internal error while exporting. Quote correlation id ${correlationId} when reporting it.` };
  };

  const run = async (h: HeldJob) => {
    const { id } = h.job;
    try {
      if (!(await store.markRunning(id))) return;
      const freshness = await readFreshness(h.contract);
      const streamed = streaming ? (deps.gateway.streamChangeFeed?.({ contract: h.contract, principal: h.principal, feedField: CHANGE_FEED_FIELD, since: h.job.filter.since }) ?? null) : null;
      const pages = streamed ? inPagesOf(streamed, pageSize, h.abort.signal) : readChangePages(feedOf(h), h.job.filter.since, { signal: h.abort.signal, readAhead });
      const written = await writeExportFile(pages, partialPath(id), {
        compressionLevel,
        since: h.job.filter.since,
        onProgress: (rows) => (h.rows = rows),
      });
      await rename(partialPath(id), filePath(id));
      const view = h.contract.views[h.principal.audience];
      const manifest: ExportManifest = {
        exportId: id,
        contract: { name: h.contract.meta.name, version: h.contract.meta.version },
        audience: h.principal.audience,
        schemaHash: `sha256:${sha256(view.sdl)}`,
        rows: written.rows,
        file: { name: fileName(id), bytes: written.bytes, sha256: written.sha256, mediaType: 'application/x-ndjson', compression: 'gzip' },
        freshness,
        redactionPolicy: describeRedactionPolicy(h.contract, h.principal.audience, h.document.fields),
        principal: { id: h.principal.id, name: h.principal.name },
        filter: h.job.filter,
        endCursor: written.endCursor,
        query: h.document.document,
        ordering: streamed
          ? `${h.document.nodeType} rows in change-feed order, oldest change first, as of one snapshot: each row once, in its state when the export started; rows changed since follow endCursor in the changes feed.`
          : `${h.document.nodeType} rows in change-feed order, oldest change first; a row changed while the export ran appears again later, its last line being its latest state.`,
        createdAt: h.job.createdAt.toISOString(),
        completedAt: new Date().toISOString(),
      };
      if (await store.markSucceeded(id, manifest)) record(h, 'ok', 'export succeeded', { rows: written.rows });
      else await rm(filePath(id), { force: true }); // swept as interrupted meanwhile: its status says FAILED, so no file
    } catch (error) {
      const failure = failureOf(error, h);
      await rm(partialPath(id), { force: true }).catch((e: unknown) => warn('export partial file not removed', e));
      await store.markFailed(id, failure, h.rows).catch((e: unknown) => warn('export failure not recorded', e));
      record(h, 'error', 'export failed', { rows: h.rows, errorCode: failure.code });
    }
  };

  const pump = () => {
    while (running < maxConcurrent && queue.length > 0 && phase === 'open') {
      const h = queue.shift()!;
      running++;
      void runInRequestScope({ correlationId: h.correlationId }, () => run(h)).finally(() => {
        running--;
        held.delete(h.job.id);
        h.finish();
        pump();
      });
    }
  };

  const refuse = (refusal: GatewayErrorCode, message: string): ExportRefusal => ({ refusal, message });

  const start = async (principal: Principal, request: ExportRequest, startOptions: { correlationId?: string } = {}): Promise<ExportJob | ExportRefusal> => {
    if (phase !== 'open') throw new Error(`export jobs are ${phase}: call migrate() once before start(), and none after close().`);
    const asked = `${request.contract} v${request.version}`;
    if (!hasRight(principal, 'export')) return refuse(GatewayErrorCode.Forbidden, `Principal "${principal.name}" has no "export" right. An operator grants it (principals create ... --rights export).`);
    const contract = deps.gateway.contracts.find((c) => c.meta.name === request.contract && c.meta.version === request.version);
    const usable = (c: CompiledContract) => mayUseContract(principal, c.meta) && (principal.audience === 'INTERNAL' || c.meta.audience === 'PARTNER');
    if (!contract) {
      const yours = deps.gateway.contracts.filter(usable).map((c) => `${c.meta.name} v${c.meta.version}`);
      return refuse(GatewayErrorCode.UnknownContract, `No contract ${asked}. Yours: ${yours.join(', ') || 'none'}.`);
    }
    if (!usable(contract)) return refuse(GatewayErrorCode.Forbidden, `Principal "${principal.name}" may not use ${asked}. Ask the contract owner (${contract.meta.owner}) for access.`);
    const document = documentFor(contract, principal);
    if ('problem' in document) return refuse(GatewayErrorCode.BadRequest, `${asked} cannot be exported: it ${document.problem}`);
    if ((await store.countUnfinished(principal.id)) >= maxUnfinished) {
      return refuse(GatewayErrorCode.RateLimited, `Principal "${principal.name}" has ${maxUnfinished} exports queued or running, the most allowed at once. Wait for one to finish (GET /exports).`);
    }
    // An empty first page checks, before anything is queued, what the job would otherwise fail on
    // later: access and row scope (as the gateway checks them for a request) and the cursor.
    try {
      const probe = await deps.gateway.executeContractOperation({ contract, principal, document: document.document, variables: { since: request.filter.since, first: 0 } });
      const error = probe.errors?.[0];
      if (error) {
        if (error.extensions?.code === 'BAD_USER_INPUT' || (error.originalError instanceof GraphQLError && error.originalError.extensions.code === 'BAD_USER_INPUT')) return refuse(GatewayErrorCode.BadRequest, `"filter.since": ${error.message}`);
        throw error;
      }
    } catch (error) {
      if (isAccessError(error)) return refuse(GatewayErrorCode.Forbidden, error.message);
      throw error;
    }

    const correlationId = startOptions.correlationId ?? 'none';
    const job = await store.insert({ id: `exp_${randomBytes(16).toString('base64url')}`, principalId: principal.id, principalName: principal.name, audience: principal.audience, contract: contract.meta.name, version: contract.meta.version, filter: request.filter, correlationId });
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const h: HeldJob = { job, principal, contract, document, correlationId, rows: 0, abort: new AbortController(), done, finish };
    held.set(job.id, h);
    queue.push(h);
    record(h, 'ok', 'export queued');
    pump();
    return job;
  };

  const jobs: ExportJobs = {
    async migrate() {
      if (phase !== 'created') return;
      await mkdir(directory, { recursive: true });
      await store.migrate();
      await sweep();
      phase = 'open';
      timer = setInterval(() => void beat(), heartbeatIntervalMs);
      timer.unref();
    },
    handle: (req, res, principal) => routes(req, res, principal),
    start,
    async get(id, principal) {
      return ID.test(id) ? store.get(id, principal.id) : null;
    },
    filePath,
    async waitFor(id) {
      await held.get(id)?.done;
      const job = await store.read(id);
      if (!job) throw new Error(`waitFor: no export job ${id}.`);
      return job;
    },
    async close() {
      if (phase === 'closed' || phase === 'closing') return;
      phase = 'closing';
      if (timer) clearInterval(timer);
      timer = null;
      const waiting = queue.splice(0);
      for (const h of waiting) {
        held.delete(h.job.id);
        await store.markFailed(h.job.id, { code: ExportFailureCode.Interrupted, message: 'The gateway shut down before this export started. Start a new export.' }, 0).catch((e: unknown) => warn('export failure not recorded', e));
        record(h, 'error', 'export interrupted before it started', { rows: 0, errorCode: ExportFailureCode.Interrupted });
        h.finish();
      }
      const runningJobs = [...held.values()];
      for (const h of runningJobs) h.abort.abort();
      await Promise.all(runningJobs.map((h) => h.done));
      phase = 'closed';
    },
  };
  const routes = createExportRoutes({ jobs, list: (principal) => store.list(principal.id, MAX_LISTED), audit: deps.audit });
  return jobs;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * A stream's rows regrouped into pages of at least `size` lines (the last may be shorter), stopping
 * (and so abandoning its statement) once `signal` aborts. The database hands over rows as they
 * arrive, often a few dozen at a time; each page handed on costs a round trip through the
 * compressor's thread, so small ones would make that latency, not the work, the export's pace.
 */
async function* inPagesOf(pages: AsyncIterable<{ lines: string[]; endCursor: string | null; hasMore: boolean }>, size: number, signal: AbortSignal): AsyncGenerator<ChangePage> {
  let lines: string[] = [];
  for await (const page of pages) {
    signal.throwIfAborted();
    for (const line of page.lines) lines.push(line);
    if (lines.length >= size || !page.hasMore) {
      yield { nodes: [], lines, endCursor: page.endCursor, hasMore: page.hasMore };
      lines = [];
    }
  }
  if (lines.length > 0) yield { nodes: [], lines, endCursor: null, hasMore: false };
}
