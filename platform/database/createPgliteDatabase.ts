import { PGlite, types } from '@electric-sql/pglite';
import { ArrayParam } from './arrayParam.js';
import type { Database, Queryable, Row } from './Database.js';
import { encodeBinaryCopy } from './encodeBinaryCopy.js';
import { parseBinaryCopy } from './parseBinaryCopy.js';

export interface PgliteDatabaseOptions {
  /** Where PGlite keeps its files. Default `memory://`: the embedded demo starts clean each time. */
  dataDir?: string;
  /**
   * How often the embedded database checkpoints, in ms (0: never). Default 30 s. PGlite runs
   * PostgreSQL as a single backend without its checkpointer, so nothing else ever checkpoints, and
   * WAL segments are only recycled past a checkpoint: measured, 60 MB of inserts left 24 segments
   * (384 MB of in-memory files) without one and 3 with a checkpoint every few seconds.
   */
  checkpointEveryMs?: number;
}

export const DEFAULT_PGLITE_CHECKPOINT_MS = 30_000;

/**
 * PGlite is PostgreSQL compiled to WASM, in-process: the embedded default needs no server.
 * Its parsers are aligned with node-postgres so the same SQL returns the same JS types.
 */
export async function createPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<Database> {
  const identity = (value: string) => value;
  const db = await PGlite.create(options.dataDir ?? 'memory://', {
    parsers: { [types.INT8]: identity, [types.NUMERIC]: identity },
  });
  type Runner = Pick<PGlite, 'query'>;
  const copyRows = async (runner: Runner, ...[table, columns, rows]: Parameters<Queryable['copyRows']>) => {
    if (rows.length === 0) return;
    const payload = encodeBinaryCopy(columns.map((c) => c[1]), rows);
    // PGlite reads COPY input from a blob it exposes as /dev/blob.
    await runner.query(`copy ${table} (${columns.map((c) => c[0]).join(', ')}) from '/dev/blob' (format binary)`, [], { blob: new Blob(payload) });
  };
  const copyRowsOut = async (runner: Runner, select: string) => {
    // PGlite writes COPY output to a blob it returns with the result.
    const { blob } = await runner.query(`copy (${select}) to '/dev/blob' (format binary)`);
    if (!blob) throw new Error('PGlite returned no blob for COPY TO /dev/blob');
    return parseBinaryCopy(Buffer.from(await blob.arrayBuffer()));
  };
  // PGlite keeps its Emscripten module in a protected field; its memory is the embedded database's
  // working memory (its files are in MEMFS, JS ArrayBuffers, which Node reports as external).
  const wasmMemory = (db as unknown as { mod?: { wasmMemory?: { buffer: ArrayBufferLike } } }).mod?.wasmMemory;
  const checkpointEveryMs = options.checkpointEveryMs ?? DEFAULT_PGLITE_CHECKPOINT_MS;
  let closed = false;
  // PGlite runs one statement at a time, so a checkpoint queues between the callers' statements
  // and transactions; in memory it costs a few milliseconds of copying.
  // One that fails (the database is closing) is simply tried again at the next tick.
  const checkpoints = checkpointEveryMs > 0 ? setInterval(() => void db.query('checkpoint').catch(() => undefined), checkpointEveryMs) : null;
  checkpoints?.unref();
  return {
    kind: 'pglite',
    stats: () => ({ kind: 'embedded', wasmMemoryBytes: wasmMemory?.buffer.byteLength ?? 0 }),
    copyRows: (table, columns, rows) => copyRows(db, table, columns, rows),
    copyRowsOut: (select) => copyRowsOut(db, select),
    async query<R extends Row>(sql: string, params?: readonly unknown[]) {
      const result = await db.query<R>(sql, params?.map(toPgliteValue));
      return { rows: result.rows };
    },
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          async query<R extends Row>(sql: string, params?: readonly unknown[]) {
            const result = await tx.query<R>(sql, params?.map(toPgliteValue));
            return { rows: result.rows };
          },
          copyRows: (table, columns, rows) => copyRows(tx, table, columns, rows),
          copyRowsOut: (select) => copyRowsOut(tx, select),
        }),
      ),
    async close() {
      if (closed) return;
      closed = true;
      if (checkpoints) clearInterval(checkpoints);
      await db.close();
    },
  };
}

/**
 * PGlite serialises parameters itself, in process: an ArrayParam goes as its plain array, with
 * epoch milliseconds (which the binary encoder takes for timestamptz) as Dates.
 */
function toPgliteValue(value: unknown): unknown {
  if (!(value instanceof ArrayParam)) return value;
  return value.elementType === 'timestamptz' ? value.values.map((v) => (typeof v === 'number' ? new Date(v) : v)) : value.values;
}
