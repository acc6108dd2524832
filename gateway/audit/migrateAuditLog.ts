import type { Queryable } from '../../platform/database/index.js';
import { quoteIdent } from '../../platform/database/index.js';

/** The audit table, qualified. One owner of the name: the log, its migration and its tests use this. */
export function auditLogTable(schema: string): string {
  return `${quoteIdent(schema)}.${quoteIdent('audit_log')}`;
}

/**
 * Creates the audit table and makes it append-only in the database itself: a statement trigger
 * refuses UPDATE, DELETE and TRUNCATE, whoever sends them (a psql session, a migration, a bug),
 * with a message that says so. Idempotent.
 *
 * A trigger stops data changes, not DDL: a role that owns the table can still disable the
 * trigger or drop the table. In production the gateway's role should have INSERT and SELECT on
 * it and not own it.
 */
export async function migrateAuditLog(db: Queryable, schema: string): Promise<void> {
  const table = auditLogTable(schema);
  const refuse = `${quoteIdent(schema)}.${quoteIdent('audit_log_refuse_change')}`;
  await db.query(`create schema if not exists ${quoteIdent(schema)}`);
  await db.query(`create table if not exists ${table} (
    audit_id bigserial primary key,
    at timestamptz not null,
    recorded_at timestamptz not null default now(),
    action text not null,
    principal_id text, principal_name text, audience text,
    contract text, operation_name text, operation_hash text,
    fields_selected text[] not null default '{}',
    rows_returned bigint,
    redactions jsonb not null default '[]',
    export_id text,
    outcome text not null,
    error_code text,
    correlation_id text not null,
    detail text)`);
  await db.query(`create index if not exists audit_log_principal_at_idx on ${table} (principal_id, at)`);
  await db.query(`create or replace function ${refuse}() returns trigger language plpgsql as $$
    begin
      raise exception 'the audit log %.% is append-only: % is refused', tg_table_schema, tg_table_name, tg_op
        using errcode = 'insufficient_privilege', hint = 'Audit entries are never changed or removed; record a new entry instead.';
    end $$`);
  await db.query(`create or replace trigger audit_log_append_only before update or delete or truncate on ${table} for each statement execute function ${refuse}()`);
}
