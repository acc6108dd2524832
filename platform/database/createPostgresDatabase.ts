import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PlatformError, PlatformErrorCode } from '../errors/index.js';
import type { Database, Queryable, Row } from './Database.js';
import { encodeBinaryCopy } from './encodeBinaryCopy.js';

export interface PostgresDatabaseOptions {
  /** Pool size. Default 10: the projector holds one, requests share the rest. */
  maxConnections?: number;
  /** Sets `application_name`, visible in pg_stat_activity. Default `data-product-gateway`. */
  applicationName?: string;
}

// Keep the type contract of Database: int8 and numeric stay strings (pg's default),
// timestamptz → Date, bytea → Buffer (a Uint8Array).
export async function createPostgresDatabase(url: string, options: PostgresDatabaseOptions = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'data-product-gateway',
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await pool.query('select 1');
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw new PlatformError(
      PlatformErrorCode.DatabaseUnavailable,
      `Cannot connect to PostgreSQL at DATABASE_URL (${describe(url)}): ${(cause as Error).message}. Fix: start PostgreSQL or correct DATABASE_URL; unset it to use the embedded PGlite.`,
      { retriable: true, cause },
    );
  }

  const run = async <R extends Row>(client: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) => {
    const result = await client.query<R>(sql, params as unknown[] | undefined);
    return { rows: result.rows };
  };

  const copyRows = async (client: pg.PoolClient, table: string, columns: Parameters<Queryable['copyRows']>[1], rows: Parameters<Queryable['copyRows']>[2]) => {
    if (rows.length === 0) return;
    const payload = encodeBinaryCopy(columns.map((c) => c[1]), rows);
    await pipeline(Readable.from([payload]), client.query(copyFrom(`copy ${table} (${columns.map((c) => c[0]).join(', ')}) from stdin (format binary)`)));
  };

  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async copyRows(table, columns, rows) {
      const client = await pool.connect();
      try {
        await copyRows(client, table, columns, rows);
      } finally {
        client.release();
      }
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const tx: Queryable = { query: (sql, params) => run(client, sql, params), copyRows: (table, columns, rows) => copyRows(client, table, columns, rows) };
        const result = await work(tx);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'unparseable URL';
  }
}
