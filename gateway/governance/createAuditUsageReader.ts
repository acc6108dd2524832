import type { Queryable } from '../../platform/database/index.js';
import { auditLogTable } from '../audit/index.js';
import type { FieldUseCount } from './CheckReport.js';
import type { FieldUsageReader } from './FieldUsageReader.js';
import { USAGE_WINDOW_DAYS } from './FieldUsageReader.js';

export interface AuditUsageReaderOptions {
  /** Postgres schema of the gateway's `audit_log`. Default `gateway` (the audit log's own default). */
  schema?: string;
}

/**
 * Reads who used a field from the audit log: every contract request is recorded with the field
 * coordinates it selected and the principal that asked (`useAuditTrail`), so this is an exact
 * 30-day window, per principal. One query per removed deprecated field, which is rare; the scan
 * is bounded by the window.
 */
export function createAuditUsageReader(db: Queryable, options: AuditUsageReaderOptions = {}): FieldUsageReader {
  const schema = options.schema ?? 'gateway';
  const table = auditLogTable(schema);
  return {
    source: `audit log ${table}`,
    async read(contract, version, coordinate) {
      const { rows } = await db.query<{ client: string; count: number }>(
        `select coalesce(principal_name, principal_id, 'unknown') as client, count(*)::int as count
           from ${table}
          where action = 'contract.query' and contract = $1 and $2 = any(fields_selected)
            and at >= now() - make_interval(days => $3)
          group by 1 order by 2 desc, 1`,
        [`${contract}/v${version}`, coordinate, USAGE_WINDOW_DAYS],
      );
      return rows satisfies FieldUseCount[];
    },
  };
}
