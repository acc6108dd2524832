import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { isPlatformError, PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { defaultLogger } from '../logging/index.js';
import { isRetriable, retry, untilAborted } from '../retry/index.js';
import { ArrayParam } from './arrayParam.js';
import type { Database, Queryable, Row } from './Database.js';
import { encodeBinaryCopy } from './encodeBinaryCopy.js';
import { parseBinaryCopy } from './parseBinaryCopy.js';
import { parseCopyText } from './parseCopyText.js';
import { toDatabaseError } from './toDatabaseError.js';

export interface PostgresDatabaseOptions {
  /** Pool size. Default 10: the projector holds one, requests share the rest. */
  maxConnections?: number;
  /** Sets `application_name`, visible in pg_stat_activity. Default `data-product-gateway`. */
  applicationName?: string;
  /**
   * Longest wait for a connection, ms: a new one to the server, or a free one from the pool
   * (pg's `connectionTimeoutMillis`). Default 5000. Without it (pg's default is to wait for
   * ever) a server that stops answering, or a pool held by stuck work, would hold every request;
   * with it they fail as DATABASE_UNAVAILABLE, which the gateway answers as 503.
   */
  connectTimeoutMs?: number;
  /**
   * How long the first connection is retried while the server refuses it or is starting up
   * (retriable failures only: a refused password or a missing database fail at once), ms.
   * Default 5000: enough for a PostgreSQL started beside the gateway, short enough that a wrong
   * DATABASE_URL is reported quickly. Later connections need no retry loop: every query takes a
   * connection from the pool, which opens a new one when the old one died.
   */
  startupWaitMs?: number;
  /**
   * Where losing the server and finding it again are logged: one warning when a connection or
   * query first fails as DATABASE_UNAVAILABLE, one info line when a query succeeds again (never
   * one per failed query). Default: warnings and errors on stderr.
   */
  logger?: Logger;
  /** Stops the first connection's retries (a SIGTERM during the start): the wait rejects at once. */
  signal?: AbortSignal;
}

// Keep the type contract of Database: int8 and numeric stay strings (pg's default),
// timestamptz → Date, bytea → Buffer (a Uint8Array).
export async function createPostgresDatabase(url: string, options: PostgresDatabaseOptions = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'data-product-gateway',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    // TCP keepalive: a server that vanished without closing the socket (host down, network cut)
    // is noticed by the kernel instead of leaving a connection waiting for ever.
    keepAlive: true,
  });
  const logger = (options.logger ?? defaultLogger()).child({ component: 'database' });
  // Transitions only: during an outage every query fails, and each caller answers for its own.
  let reachable = true;
  const noteFailure = (error: unknown) => {
    if (!reachable || !isPlatformError(error, PlatformErrorCode.DatabaseUnavailable)) return;
    reachable = false;
    logger.warn({ err: error, pool: { open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } }, 'database connection lost; queries fail as DATABASE_UNAVAILABLE and the pool reconnects on the next one');
  };
  const noteSuccess = () => {
    if (reachable) return;
    reachable = true;
    logger.info({ pool: { open: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } }, 'database reachable again');
  };
  // An idle client losing its connection (a server restart terminates every session with 57P01)
  // must not crash the process: the pool drops it and the next query opens a new connection.
  pool.on('error', (error) => noteFailure(toDatabaseError(error)));
  try {
    await retry(
      async () => {
        try {
          await untilAborted(pool.query('select 1'), options.signal);
        } catch (error) {
          throw toDatabaseError(error);
        }
      },
      { deadlineMs: options.startupWaitMs ?? 5_000, baseMs: 100, maxMs: 1_000, signal: options.signal },
    );
  } catch (error) {
    await pool.end().catch(() => undefined);
    const cause = isPlatformError(error) && error.cause instanceof Error ? error.cause : error;
    throw new PlatformError(
      PlatformErrorCode.DatabaseUnavailable,
      `Cannot connect to PostgreSQL at DATABASE_URL (${describe(url)}): ${(cause as Error).message}. Fix: start PostgreSQL or correct DATABASE_URL; unset it to use the embedded PGlite.`,
      { retriable: isRetriable(error), cause },
    );
  }

  const run = async <R extends Row>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) => {
    try {
      const result = await client.query<R>(sql, params?.map(toDriverValue));
      noteSuccess();
      return { rows: result.rows };
    } catch (error) {
      const classified = toDatabaseError(error);
      noteFailure(classified);
      throw classified;
    }
  };
  // A checked-out client has no listener of the pool's: a server restart terminating its session
  // between two statements of a transaction (57P01) would be an 'error' event nobody handles,
  // which crashes the process. The statement after it fails instead (DATABASE_UNAVAILABLE).
  const onCheckedOutError = new WeakMap<pg.PoolClient, () => void>();
  const connect = async () => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      const classified = toDatabaseError(error);
      noteFailure(classified);
      throw classified;
    }
    const ignore = () => undefined;
    client.on('error', ignore);
    onCheckedOutError.set(client, ignore);
    return client;
  };
  // A client whose connection failed goes back to the pool with the error, so the pool discards
  // it rather than hand a dead connection to the next query (the pool also checks by itself).
  // A client left mid-statement (a COPY its reader abandoned) is discarded the same way.
  const release = (client: pg.PoolClient, error?: unknown, discard = false) => {
    const ignore = onCheckedOutError.get(client);
    if (ignore) client.off('error', ignore);
    client.release(discard ? new Error('statement abandoned by its reader') : isPlatformError(error, PlatformErrorCode.DatabaseUnavailable) ? error : undefined);
  };

  const copyRows = async (client: pg.PoolClient, table: string, columns: Parameters<Queryable['copyRows']>[1], rows: Parameters<Queryable['copyRows']>[2]) => {
    if (rows.length === 0) return;
    const payload = encodeBinaryCopy(columns.map((c) => c[1]), rows);
    try {
      await pipeline(Readable.from(payload), client.query(copyFrom(`copy ${table} (${columns.map((c) => c[0]).join(', ')}) from stdin (format binary)`)));
    } catch (error) {
      throw toDatabaseError(error);
    }
  };

  const copyRowsOut = async (client: pg.PoolClient, select: string) => {
    const chunks: Buffer[] = [];
    try {
      const stream = client.query(copyTo(`copy (${select}) to stdout (format binary)`));
      for await (const chunk of stream) chunks.push(chunk as Buffer);
    } catch (error) {
      throw toDatabaseError(error);
    }
    return parseBinaryCopy(Buffer.concat(chunks));
  };

  /** One statement on a connection of its own, given back (discarded if it failed) after. */
  const onClient = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await connect();
    let failure: unknown;
    try {
      return await work(client);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      release(client, failure);
    }
  };

  const maxConnections = options.maxConnections ?? 10;
  return {
    kind: 'postgres',
    stats: () => ({ kind: 'pool', maxConnections, openConnections: pool.totalCount, idleConnections: pool.idleCount, waitingRequests: pool.waitingCount }),
    query: (sql, params) => run(pool, sql, params),
    copyRows: (table, columns, rows) => onClient((client) => copyRows(client, table, columns, rows)),
    copyRowsOut: (select) => onClient((client) => copyRowsOut(client, select)),
    async *streamTextRows(select) {
      const client = await connect();
      let failure: unknown;
      let finished = false;
      const stream = client.query(copyTo(`copy (${select}) to stdout`));
      try {
        for await (const rows of parseCopyText(stream)) yield rows;
        finished = true;
      } catch (error) {
        failure = toDatabaseError(error);
        throw failure;
      } finally {
        if (!finished) stream.destroy();
        release(client, failure, !finished);
      }
    },
    async transaction(work) {
      const client = await connect();
      let failure: unknown;
      try {
        await run(client, 'begin');
        const tx: Queryable = { query: (sql, params) => run(client, sql, params), copyRows: (table, columns, rows) => copyRows(client, table, columns, rows), copyRowsOut: (select) => copyRowsOut(client, select) };
        const result = await work(tx);
        // A COMMIT lost with its connection leaves the outcome unknown; callers that retry must
        // make the work idempotent (the projector re-reads its checkpoint, so it is).
        await run(client, 'commit');
        return result;
      } catch (error) {
        failure = error;
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        release(client, failure);
      }
    },
    close: () => pool.end(),
  };
}

/** pg sends a Buffer parameter in binary format: an ArrayParam goes as its binary array. */
function toDriverValue(value: unknown): unknown {
  return value instanceof ArrayParam ? value.encode() : value;
}

function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'unparseable URL';
  }
}
