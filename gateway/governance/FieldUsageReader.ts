import type { FieldUseCount } from './CheckReport.js';

/** How far back "used" looks: the window the gateway's usage counters keep (one owner: the usage counters). */
export { USAGE_WINDOW_DAYS } from '../usage/index.js';

/**
 * The port `check` asks "who used this field of this contract version in the last 30 days?".
 * Adapters: the gateway's usage counters (createCounterUsageReader) and its audit log
 * (createAuditUsageReader). A reader that cannot answer throws; the check then reports the
 * field's usage as not verified instead of guessing zero.
 */
export interface FieldUsageReader {
  /** Where the answer comes from, for the report: `usage counters in Redis`, `audit log "gateway"."audit_log"`. */
  readonly source: string;
  /** Uses per client over the last USAGE_WINDOW_DAYS days; empty when nobody used it. */
  read(contract: string, version: number, coordinate: string): Promise<FieldUseCount[]>;
}
