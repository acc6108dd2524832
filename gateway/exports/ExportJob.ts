import type { PrincipalAudience } from '../access/index.js';
import type { GatewayErrorCode } from '../errors/index.js';
import type { Freshness } from '../metadata/index.js';
import type { RedactionStrategy } from '../redaction/index.js';

/**
 * Where a job stands. QUEUED → RUNNING → SUCCEEDED | FAILED; nothing moves back. A job whose
 * process died is found by its stale heartbeat and moved to FAILED (`EXPORT_INTERRUPTED`).
 */
export type ExportJobStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
export const EXPORT_JOB_STATUSES: readonly ExportJobStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'];

/** Which rows an export holds: the contract's change feed from `since` (null: from the beginning). */
export interface ExportFilter {
  since: string | null;
}

/** What `POST /exports` asks for. */
export interface ExportRequest {
  contract: string;
  version: number;
  filter: ExportFilter;
}

/** Why a job failed, as a client sees it (in `GET /exports/<id>`). One public list, to switch on. */
export const ExportFailureCode = {
  /** The process running the job stopped (crash, deploy, shutdown) before it finished. Start a new export. */
  Interrupted: 'EXPORT_INTERRUPTED',
  /** The contract refused a page (e.g. the cursor no longer applies): the message says why. */
  QueryFailed: 'EXPORT_QUERY_FAILED',
  /** Anything unexpected (database, disk): details are in the server log under the correlation id. */
  InternalError: 'EXPORT_INTERNAL_ERROR',
} as const;
export type ExportFailureCode = (typeof ExportFailureCode)[keyof typeof ExportFailureCode];

export interface ExportFailure {
  code: ExportFailureCode;
  message: string;
}

/** How one field of the exported rows left the gateway for the principal's audience. */
export interface RedactionPolicyEntry {
  /** Schema coordinate, `PartnerOrderStatus.customerEmailMasked`. */
  field: string;
  classification: string;
  /** NONE: the value as the projection holds it. OMIT fields are not listed: they do not exist in the view exported. */
  strategy: Exclude<RedactionStrategy, 'OMIT'> | 'NONE';
  /** The documented mask, for MASK. */
  mask?: string;
}

/** What a finished export is: enough to check the file, trust its shape and continue incrementally. */
export interface ExportManifest {
  exportId: string;
  contract: { name: string; version: number };
  /** The view the rows were shaped by: the principal's audience. */
  audience: PrincipalAudience;
  /** `sha256:<hex>` of the SDL of that view (the one `GET /contracts/<name>/v<N>/schema.graphql` serves this principal). */
  schemaHash: string;
  rows: number;
  file: {
    name: string;
    /** Size of the file as stored and downloaded (gzip bytes). */
    bytes: number;
    /** SHA-256 (hex) of exactly those bytes. */
    sha256: string;
    mediaType: 'application/x-ndjson';
    compression: 'gzip';
  };
  /**
   * Freshness of each projection behind the contract, read when the job started: every change
   * applied by then is in the file (the feed is read to its end after that read).
   */
  freshness: Array<Freshness | { projection: string; status: 'UNKNOWN'; unavailable: string }>;
  redactionPolicy: RedactionPolicyEntry[];
  principal: { id: string; name: string };
  filter: ExportFilter;
  /**
   * Where the file ends in the change feed: pass it as `changes(since:)` (or as the next export's
   * `filter.since`) to receive only what changed afterwards. Null when the file is empty and no
   * `since` was given.
   */
  endCursor: string | null;
  /** The GraphQL document each page was read with (the principal's view of the contract). */
  query: string;
  /** An order changed while the job ran appears again later in the file: its last line is its latest state. */
  ordering: string;
  /** When the job was requested, and when its file was complete (ISO 8601). */
  createdAt: string;
  completedAt: string;
}

/** A job as its principal sees it. */
export interface ExportJob {
  id: string;
  principalId: string;
  contract: string;
  version: number;
  filter: ExportFilter;
  status: ExportJobStatus;
  error: ExportFailure | null;
  /** Rows written so far (updated with each heartbeat while RUNNING). */
  rowsWritten: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  manifest: ExportManifest | null;
}

/** Why `start` did not create a job: the code and message a client gets (the HTTP status follows the code). */
export interface ExportRefusal {
  refusal: GatewayErrorCode;
  message: string;
}

export function isExportRefusal(value: ExportJob | ExportRefusal): value is ExportRefusal {
  return 'refusal' in value;
}
