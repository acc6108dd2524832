import type { Database } from '../../platform/database/index.js';
import { migrateExclusively } from '../../platform/database/index.js';
import type { ExportFailure, ExportFilter, ExportJob, ExportJobStatus, ExportManifest } from './ExportJob.js';
import { exportJobsTable, migrateExportJobs } from './migrateExportJobs.js';

/** A new job row: who asked for what, under which correlation id. */
export interface NewExportJob {
  id: string;
  principalId: string;
  principalName: string;
  audience: string;
  contract: string;
  version: number;
  filter: ExportFilter;
  correlationId: string;
}

/** The job rows: every status change is one statement, guarded by the status it leaves. */
export interface ExportJobStore {
  migrate(): Promise<void>;
  insert(job: NewExportJob): Promise<ExportJob>;
  /** The job if it belongs to `principalId`; null otherwise (another principal's job is as unknown as a missing one). */
  get(id: string, principalId: string): Promise<ExportJob | null>;
  /** Any job by id, whoever owns it: for the process that runs it, never for a request. */
  read(id: string): Promise<ExportJob | null>;
  /** The principal's jobs, newest first. */
  list(principalId: string, limit: number): Promise<ExportJob[]>;
  /** Jobs of the principal not finished yet, for the per-principal bound. */
  countUnfinished(principalId: string): Promise<number>;
  /** QUEUED → RUNNING; false when the job is no longer QUEUED (swept as interrupted meanwhile). */
  markRunning(id: string): Promise<boolean>;
  /** Keeps the jobs this process holds alive, with the rows each has written so far. */
  heartbeat(progress: ReadonlyMap<string, number>): Promise<void>;
  /** RUNNING → SUCCEEDED with its manifest; false when the job was swept meanwhile. */
  markSucceeded(id: string, manifest: ExportManifest): Promise<boolean>;
  /** QUEUED or RUNNING → FAILED. */
  markFailed(id: string, failure: ExportFailure, rowsWritten: number): Promise<void>;
  /** Unfinished jobs nobody has kept alive for `staleAfterMs` → FAILED with `failure`; returns their ids. */
  failStale(staleAfterMs: number, failure: ExportFailure): Promise<string[]>;
}

type JobRow = {
  export_id: string;
  principal_id: string;
  contract: string;
  version: number;
  filter: ExportFilter;
  status: ExportJobStatus;
  error: ExportFailure | null;
  rows_written: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  manifest: ExportManifest | null;
};

const COLUMNS = 'export_id, principal_id, contract, version, filter, status, error, rows_written, created_at, started_at, finished_at, manifest';

export function createExportJobStore(db: Database, schema: string): ExportJobStore {
  const table = exportJobsTable(schema);
  return {
    // Gateway replicas start together: their migrations of the schema take turns.
    migrate: () => migrateExclusively(db, schema, (tx) => migrateExportJobs(tx, schema)),

    async insert(job) {
      const { rows } = await db.query<JobRow>(
        `insert into ${table} (export_id, principal_id, principal_name, audience, contract, version, filter, status, correlation_id)
         values ($1, $2, $3, $4, $5, $6, $7::jsonb, 'QUEUED', $8) returning ${COLUMNS}`,
        [job.id, job.principalId, job.principalName, job.audience, job.contract, job.version, JSON.stringify(job.filter), job.correlationId],
      );
      return fromRow(rows[0]!);
    },

    async get(id, principalId) {
      const { rows } = await db.query<JobRow>(`select ${COLUMNS} from ${table} where export_id = $1 and principal_id = $2`, [id, principalId]);
      return rows[0] ? fromRow(rows[0]) : null;
    },

    async read(id) {
      const { rows } = await db.query<JobRow>(`select ${COLUMNS} from ${table} where export_id = $1`, [id]);
      return rows[0] ? fromRow(rows[0]) : null;
    },

    async list(principalId, limit) {
      const { rows } = await db.query<JobRow>(`select ${COLUMNS} from ${table} where principal_id = $1 order by created_at desc, export_id limit $2`, [principalId, limit]);
      return rows.map(fromRow);
    },

    async countUnfinished(principalId) {
      const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from ${table} where principal_id = $1 and status in ('QUEUED', 'RUNNING')`, [principalId]);
      return rows[0]?.n ?? 0;
    },

    async markRunning(id) {
      const { rows } = await db.query(`update ${table} set status = 'RUNNING', started_at = now(), heartbeat_at = now() where export_id = $1 and status = 'QUEUED' returning export_id`, [id]);
      return rows.length === 1;
    },

    async heartbeat(progress) {
      if (progress.size === 0) return;
      await db.query(
        `update ${table} j set heartbeat_at = now(), rows_written = p.rows
         from unnest($1::text[], $2::bigint[]) p(export_id, rows)
         where j.export_id = p.export_id and j.status in ('QUEUED', 'RUNNING')`,
        [[...progress.keys()], [...progress.values()]],
      );
    },

    async markSucceeded(id, manifest) {
      const { rows } = await db.query(
        `update ${table} set status = 'SUCCEEDED', finished_at = now(), heartbeat_at = now(), rows_written = $2, manifest = $3::jsonb
         where export_id = $1 and status = 'RUNNING' returning export_id`,
        [id, manifest.rows, JSON.stringify(manifest)],
      );
      return rows.length === 1;
    },

    async markFailed(id, failure, rowsWritten) {
      await db.query(
        `update ${table} set status = 'FAILED', finished_at = now(), error = $2::jsonb, rows_written = $3 where export_id = $1 and status in ('QUEUED', 'RUNNING')`,
        [id, JSON.stringify(failure), rowsWritten],
      );
    },

    async failStale(staleAfterMs, failure) {
      // Both sides of the comparison use the database's clock: gateways' clocks may disagree.
      const { rows } = await db.query<{ export_id: string }>(
        `update ${table} set status = 'FAILED', finished_at = now(), error = $2::jsonb
         where status in ('QUEUED', 'RUNNING') and heartbeat_at < now() - make_interval(secs => $1::float8 / 1000) returning export_id`,
        [staleAfterMs, JSON.stringify(failure)],
      );
      return rows.map((r) => r.export_id);
    },
  };
}

function fromRow(r: JobRow): ExportJob {
  return {
    id: r.export_id,
    principalId: r.principal_id,
    contract: r.contract,
    version: r.version,
    filter: r.filter,
    status: r.status,
    error: r.error,
    rowsWritten: Number(r.rows_written),
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    manifest: r.manifest,
  };
}
