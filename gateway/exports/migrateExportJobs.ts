import type { Queryable } from '../../platform/database/index.js';
import { quoteIdent } from '../../platform/database/index.js';

/** The export job table, qualified. One owner of the name: the store, its migration and tests use this. */
export function exportJobsTable(schema: string): string {
  return `${quoteIdent(schema)}.${quoteIdent('export_jobs')}`;
}

/** Creates the export job table (idempotent). */
export async function migrateExportJobs(db: Queryable, schema: string): Promise<void> {
  const table = exportJobsTable(schema);
  await db.query(`create schema if not exists ${quoteIdent(schema)}`);
  await db.query(`create table if not exists ${table} (
    export_id text primary key,
    principal_id text not null,
    principal_name text not null,
    audience text not null,
    contract text not null,
    version int not null,
    filter jsonb not null,
    status text not null check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    error jsonb,
    rows_written bigint not null default 0,
    correlation_id text not null,
    created_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz,
    heartbeat_at timestamptz not null default now(),
    manifest jsonb)`);
  await db.query(`create index if not exists export_jobs_principal_created_idx on ${table} (principal_id, created_at desc)`);
  // The sweep for interrupted jobs reads only unfinished ones.
  await db.query(`create index if not exists export_jobs_unfinished_idx on ${table} (heartbeat_at) where status in ('QUEUED', 'RUNNING')`);
}
