/** What was done. One word per kind of access; a new kind is a new member, never a free-text action. */
export type AuditAction = 'contract.query' | 'export.create' | 'export.download' | 'quarantine.original' | 'access.denied';
export const AUDIT_ACTIONS: readonly AuditAction[] = ['contract.query', 'export.create', 'export.download', 'quarantine.original', 'access.denied'];

export type AuditOutcome = 'ok' | 'error' | 'denied';

/** A redaction applied to a response: which field (schema coordinate) and how (`MASK`, `TOKENIZE`, `OMIT`). */
export interface AuditRedaction {
  field: string;
  strategy: string;
}

/**
 * One access to data, as the audit log keeps it. It says who, what and how much, never what
 * was seen: **no value of a data field ever goes in** (no ids of customers, emails, addresses,
 * amounts, filter arguments or row contents): fields are schema coordinates (`Order.customerEmail`),
 * results are counts, and `detail` is for a code-written explanation, not for payloads or
 * variables. An audit log full of personal data would itself need auditing.
 */
export interface AuditEntry {
  action: AuditAction;
  /** When it happened. Default: when `record` was called (not when the batch reached the database). */
  at?: Date;
  /** The principal's stable id; null when no principal could be established (a bad credential). */
  principalId: string | null;
  principalName: string | null;
  audience: string | null;
  /** The contract version used, as `name/vN`. */
  contract?: string;
  /** The client's operation name as sent; null for an anonymous operation. */
  operationName?: string | null;
  /** A hash of the query document (e.g. SHA-256 of its text): identifies the query without its literals. */
  operationHash?: string;
  /** Schema coordinates selected (`Order.orderId`), never values. */
  fieldsSelected?: readonly string[];
  /** How many rows (or records) left the gateway: a count, never the rows. */
  rowsReturned?: number;
  /** Redactions applied to what left. */
  redactions?: readonly AuditRedaction[];
  exportId?: string;
  outcome: AuditOutcome;
  /** The `extensions.code` (or HTTP reason) of a failure or a denial. */
  errorCode?: string;
  /** Joins this entry to the request's logs and traces. */
  correlationId: string;
  /** A short, code-written note (e.g. `quarantine ids 4, 7`); never user input or data values. */
  detail?: string;
}

/** An entry as stored: every optional field resolved, with its id and the time it reached the database. */
export interface AuditRecord {
  /** Monotonic per database: the order entries were written in. */
  auditId: number;
  action: AuditAction;
  at: Date;
  /** When the entry reached the database: later than `at` by the batching delay, or by an outage. */
  recordedAt: Date;
  principalId: string | null;
  principalName: string | null;
  audience: string | null;
  contract: string | null;
  operationName: string | null;
  operationHash: string | null;
  fieldsSelected: string[];
  rowsReturned: number | null;
  redactions: AuditRedaction[];
  exportId: string | null;
  outcome: AuditOutcome;
  errorCode: string | null;
  correlationId: string;
  detail: string | null;
}
