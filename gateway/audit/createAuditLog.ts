import type { Database } from '../../platform/database/index.js';
import { migrateExclusively } from '../../platform/database/index.js';
import type { Logger } from '../../platform/logging/index.js';
import { defaultLogger } from '../../platform/logging/index.js';
import type { AuditAction, AuditEntry, AuditOutcome, AuditRecord, AuditRedaction } from './AuditEntry.js';
import { auditLogTable, migrateAuditLog } from './migrateAuditLog.js';

export interface AuditLogOptions {
  /** Postgres schema of the `audit_log` table. Default `gateway`: the gateway's own, apart from any context's. */
  schema?: string;
  /** How long an entry may wait in memory before its batch is written. Default 200 ms: invisible to an auditor, and one INSERT per batch instead of per request. */
  flushIntervalMs?: number;
  /** Entries per INSERT. Default 500: a statement of tens of kilobytes, written in a few milliseconds. */
  maxBatch?: number;
  /**
   * Entries kept in memory while the database cannot take them. Default 50,000 (tens of MB;
   * about a minute of a busy gateway): past it the oldest are dropped, counted and warned about,
   * so an outage cannot exhaust memory.
   */
  maxBuffered?: number;
  /** Longest wait between retries while the database is failing. Default 5,000 ms. */
  maxRetryDelayMs?: number;
  /** Where outage, recovery and drop warnings go. Default: a warning on `logger`. */
  warn?: (message: string) => void;
  /** Where the default `warn` writes. Default: warnings and errors on stderr. */
  logger?: Logger;
}

export interface AuditLogFilter {
  principalId?: string;
  action?: AuditAction;
  /** Default 100. */
  limit?: number;
}

export interface AuditLogStats {
  /** Entries waiting for the database. */
  buffered: number;
  /** Entries lost since start: dropped at the buffer bound, or recorded after `close`. */
  dropped: number;
}

export interface AuditLog {
  /** Creates the table and its append-only trigger (idempotent). */
  migrate(): Promise<void>;
  /**
   * Queues an entry; it reaches the database with the next batch. Never throws and never waits,
   * so auditing cannot fail or slow a request. See `AuditEntry`: coordinates and counts only.
   */
  record(entry: AuditEntry): void;
  /**
   * Writes everything queued, in batches of `maxBatch`, one INSERT each. Rejects if the database
   * refuses a batch; the entries are then kept and retried by the next flush.
   */
  flush(): Promise<void>;
  /** Stored entries, newest first. Entries still queued are not listed: `flush()` first to read your writes. */
  list(filter?: AuditLogFilter): Promise<AuditRecord[]>;
  stats(): AuditLogStats;
  /** Stops the timer and flushes; rejects (after a warning) if what is left cannot be written. Does not close `db`. */
  close(): Promise<void>;
}

const COLUMNS = ['action', 'at', 'principal_id', 'principal_name', 'audience', 'contract', 'operation_name', 'operation_hash', 'fields_selected', 'rows_returned', 'redactions', 'export_id', 'outcome', 'error_code', 'correlation_id', 'detail'] as const;
// One array parameter per column. fields_selected travels as jsonb (a ragged text[][] cannot be
// unnested row by row) and becomes text[] again in the SELECT.
const ARRAY_TYPES = ['text', 'timestamptz', 'text', 'text', 'text', 'text', 'text', 'text', 'jsonb', 'bigint', 'jsonb', 'text', 'text', 'text', 'text', 'text'] as const;

type Phase = 'open' | 'closed';

/**
 * The append-only audit log of the gateway: every contract request and export, who asked, what
 * was selected, how many rows left and which redactions applied. Entries are buffered and written
 * in batches off the request path; an outage keeps them (up to `maxBuffered`) until the database
 * is back, so an entry is not lost to a transient failure.
 */
export function createAuditLog(db: Database, options: AuditLogOptions = {}): AuditLog {
  const schema = options.schema ?? 'gateway';
  const table = auditLogTable(schema);
  const flushIntervalMs = options.flushIntervalMs ?? 200;
  const maxBatch = options.maxBatch ?? 500;
  const maxBuffered = options.maxBuffered ?? 50_000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
  const warn = options.warn ?? ((message: string) => (options.logger ?? defaultLogger()).warn({ component: 'audit' }, message));

  let phase: Phase = 'open';
  let buffer: unknown[][] = [];
  let dropped = 0;
  /** Dropped since the last successful flush: the warning says how many an outage cost. */
  let droppedThisOutage = 0;
  let failures = 0;
  /** Flushes requested and not yet finished: a full batch needs no new one while one runs (its loop takes it). */
  let flushesUnderway = 0;
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();

  const schedule = (delayMs: number) => {
    if (timer !== null || phase !== 'open') return;
    timer = setTimeout(() => {
      timer = null;
      // A failure is already kept, counted and warned about in drain(); nothing to add here.
      flush().catch(() => undefined);
    }, delayMs);
    timer.unref();
  };

  /** Counts lost entries; warns once per outage (the recovery message gives the total), not once per entry. */
  const drop = (count: number, message: string) => {
    dropped += count;
    if (droppedThisOutage === 0) warn(`[audit] ${message} (${dropped} audit entries lost since start).`);
    droppedThisOutage += count;
  };

  const keepWithinBound = () => {
    const excess = buffer.length - maxBuffered;
    if (excess <= 0) return;
    buffer.splice(0, excess);
    drop(excess, `buffer full (${maxBuffered} entries) while the database is unavailable: dropped ${excess} audit entr${excess === 1 ? 'y' : 'ies'}, oldest first. Fix: restore the database; raise maxBuffered to survive longer outages`);
  };

  // One INSERT per batch, its size not in the statement text: unnest of one array per column.
  const insertSql = `insert into ${table} (${COLUMNS.join(', ')})
    select ${COLUMNS.map((c) => (c === 'fields_selected' ? 'array(select jsonb_array_elements_text(fields_selected))' : c)).join(', ')}
    from unnest(${ARRAY_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ')}) as batch(${COLUMNS.join(', ')})`;
  const insert = async (batch: unknown[][]) => {
    await db.query(insertSql, COLUMNS.map((_, column) => batch.map((row) => row[column])));
  };

  // Entries taken from the buffer by a batch not yet committed: still unwritten, so still counted.
  let inFlight = 0;
  const drain = async () => {
    while (buffer.length > 0) {
      const batch = buffer.splice(0, maxBatch);
      inFlight = batch.length;
      try {
        await insert(batch);
        inFlight = 0;
      } catch (error) {
        inFlight = 0;
        buffer = [...batch, ...buffer];
        keepWithinBound();
        if (failures++ === 0) warn(`[audit] cannot write the audit log (${(error as Error).message}); ${buffer.length} entries kept in memory and retried.`);
        schedule(Math.min(flushIntervalMs * 2 ** failures, maxRetryDelayMs));
        throw error;
      }
    }
    if (failures > 0) warn(`[audit] audit log writable again after ${failures} failed attempt(s)${droppedThisOutage > 0 ? `; ${droppedThisOutage} entries were dropped meanwhile` : ''}.`);
    failures = 0;
    droppedThisOutage = 0;
  };

  const flush = (): Promise<void> => {
    flushesUnderway++;
    const run = flushing.then(drain).finally(() => flushesUnderway--);
    flushing = run.catch(() => undefined);
    return run;
  };

  return {
    // Gateway replicas start together: their migrations of the schema take turns.
    migrate: () => migrateExclusively(db, schema, (tx) => migrateAuditLog(tx, schema)),

    record(entry) {
      try {
        if (phase === 'closed') {
          drop(1, 'an entry was recorded after close() and dropped. Fix: close the audit log after the server stops taking requests');
          return;
        }
        buffer.push(toRow(entry));
        keepWithinBound();
        // While the database fails, the armed retry timer paces the writes.
        if (failures > 0) return;
        // A full batch goes now, unless one is being written: its loop takes this one too.
        if (buffer.length >= maxBatch && flushesUnderway === 0) flush().catch(() => undefined);
        else schedule(flushIntervalMs);
      } catch (error) {
        // Only a malformed entry gets here (a bad Date, a cyclic array); it must not fail the request.
        drop(1, `an unrecordable audit entry was dropped (${(error as Error).message})`);
      }
    },

    flush,

    async list(filter = {}) {
      const { rows } = await db.query<StoredRow>(
        `select audit_id, action, at, recorded_at, principal_id, principal_name, audience, contract, operation_name, operation_hash,
                fields_selected, rows_returned, redactions, export_id, outcome, error_code, correlation_id, detail
         from ${table}
         where ($1::text is null or principal_id = $1) and ($2::text is null or action = $2)
         order by audit_id desc limit $3`,
        [filter.principalId ?? null, filter.action ?? null, filter.limit ?? 100],
      );
      return rows.map(fromRow);
    },

    stats: () => ({ buffered: buffer.length + inFlight, dropped }),

    async close() {
      phase = 'closed';
      if (timer !== null) clearTimeout(timer);
      timer = null;
      try {
        await flush();
      } catch (error) {
        warn(`[audit] closing with ${buffer.length} audit entries that could not be written: they are lost.`);
        throw error;
      }
    },
  };
}

type StoredRow = {
  audit_id: string;
  action: AuditAction;
  at: Date;
  recorded_at: Date;
  principal_id: string | null;
  principal_name: string | null;
  audience: string | null;
  contract: string | null;
  operation_name: string | null;
  operation_hash: string | null;
  fields_selected: string[];
  rows_returned: string | null;
  redactions: AuditRedaction[];
  export_id: string | null;
  outcome: AuditOutcome;
  error_code: string | null;
  correlation_id: string;
  detail: string | null;
};

function fromRow(r: StoredRow): AuditRecord {
  return {
    auditId: Number(r.audit_id),
    action: r.action,
    at: r.at,
    recordedAt: r.recorded_at,
    principalId: r.principal_id,
    principalName: r.principal_name,
    audience: r.audience,
    contract: r.contract,
    operationName: r.operation_name,
    operationHash: r.operation_hash,
    fieldsSelected: r.fields_selected,
    rowsReturned: r.rows_returned === null ? null : Number(r.rows_returned),
    redactions: r.redactions,
    exportId: r.export_id,
    outcome: r.outcome,
    errorCode: r.error_code,
    correlationId: r.correlation_id,
    detail: r.detail,
  };
}

/**
 * The entry as INSERT parameters, in COLUMNS order, copied now (the caller may reuse its arrays)
 * and made storable: a batch the database refuses for one bad value would block every entry
 * behind it, so NUL characters and lone surrogates (which text and jsonb reject) are removed and
 * counts that are not safe integers become null.
 */
function toRow(entry: AuditEntry): unknown[] {
  const at = entry.at instanceof Date && !Number.isNaN(entry.at.getTime()) ? entry.at : new Date();
  const rows = entry.rowsReturned;
  return [
    storable(entry.action),
    at,
    optional(entry.principalId),
    optional(entry.principalName),
    optional(entry.audience),
    optional(entry.contract),
    optional(entry.operationName),
    optional(entry.operationHash),
    printedOnce(entry.fieldsSelected ?? [], (fields) => JSON.stringify(fields.map(storable))),
    typeof rows === 'number' && Number.isSafeInteger(rows) ? rows : null,
    printedOnce(entry.redactions ?? [], (redactions) => JSON.stringify(redactions.map((r) => ({ field: storable(r.field), strategy: storable(r.strategy) })))),
    optional(entry.exportId),
    storable(entry.outcome),
    optional(entry.errorCode),
    storable(entry.correlationId),
    optional(entry.detail),
  ];
}

const printed = new WeakMap<readonly unknown[], string>();

/**
 * `print(list)`, remembered for a list that cannot change (frozen, its items too): the request
 * path records the same frozen lists for every request of an operation (see useAuditTrail).
 */
function printedOnce<T>(list: readonly T[], print: (list: readonly T[]) => string): string {
  if (!Object.isFrozen(list) || !list.every((item) => typeof item !== 'object' || item === null || Object.isFrozen(item))) return print(list);
  let text = printed.get(list);
  if (text === undefined) printed.set(list, (text = print(list)));
  return text;
}

const optional = (value: string | null | undefined) => (value === null || value === undefined ? null : storable(value));

const UNSTORABLE = /[\u0000\uD800-\uDFFF]/;

function storable(value: string): string {
  const text = String(value);
  // Surrogates are checked only when present: a well-formed pair is kept, a lone one replaced.
  if (!UNSTORABLE.test(text)) return text;
  return text.replace(/\u0000/g, '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
