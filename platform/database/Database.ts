/** A row as the driver returns it. Adapters agree on the JS types listed in `Database`. */
export type Row = Record<string, unknown>;

import type { CopyColumnType, CopyValue } from './binaryFields.js';
import type { BinaryRow } from './parseBinaryCopy.js';
import type { TextRow } from './parseCopyText.js';

export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[] }>;
  /**
   * Bulk-inserts rows with binary COPY: the fast lane for append-only writes (raw evidence).
   * `table` is a qualified, quoted name; columns pair a quoted name with its type.
   */
  copyRows(table: string, columns: ReadonlyArray<readonly [name: string, type: CopyColumnType]>, rows: ReadonlyArray<readonly CopyValue[]>): Promise<void>;
  /**
   * Runs one `select` as `COPY (<select>) TO STDOUT (FORMAT binary)` and returns its rows whole,
   * each field as its bytes in PostgreSQL's binary format (null for NULL): the read for large
   * `bytea` values, which a query returns as hex text that the driver then decodes (twice the
   * bytes, and the server's and Node's CPU). The select takes no parameters (COPY accepts none):
   * values go in as literals (`quoteLiteral`). Rows are held in memory: select a bounded window.
   */
  copyRowsOut(select: string): Promise<BinaryRow[]>;
}

/**
 * The database port. Both adapters are real PostgreSQL (server or PGlite), so SQL is shared.
 * Type contract, the same for both adapters (the conformance suite checks it): `int4` → number,
 * `int8`/`numeric` → string (select `::int` where a number is wanted), `timestamptz` → Date,
 * `jsonb` → parsed value, `bytea` → Uint8Array, arrays as JS arrays (parameters too; a large
 * array parameter can be an ArrayParam, sent in binary to the server).
 */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Streams the rows of one `select` (run as `COPY (<select>) TO STDOUT`, text format) in batches,
   * every column as text, with the socket paused while the caller is busy: a read of millions of
   * rows in one statement, one snapshot, and bounded memory. The select takes no parameters (COPY
   * accepts none): values go in as literals (`quoteLiteral`). Leaving the loop early abandons the
   * statement and discards its connection. Only the server adapter offers it: PGlite's COPY TO
   * writes one blob held whole in memory, so callers read in pages there.
   */
  streamTextRows?(select: string): AsyncIterable<TextRow[]>;
  /**
   * How the adapter's connections are used right now, for metrics (cheap: no I/O). Optional so a
   * wrapper (a test's counting database) need not forward it; the adapters always report.
   */
  stats?(): DatabaseStats;
  close(): Promise<void>;
}

/**
 * `pool`: a PostgreSQL connection pool (pg's totalCount, idleCount, waitingCount and its size).
 * `embedded`: PGlite, one in-process instance with no pool; what it has instead is its
 * WebAssembly memory (working memory, never given back once grown; the database and WAL files
 * live in its in-memory file system, JS ArrayBuffers outside it).
 */
export type DatabaseStats =
  | { kind: 'pool'; maxConnections: number; openConnections: number; idleConnections: number; waitingRequests: number }
  | { kind: 'embedded'; wasmMemoryBytes: number };
