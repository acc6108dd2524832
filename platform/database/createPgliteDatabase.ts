import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Row } from './Database.js';

export interface PgliteDatabaseOptions {
  /** Where PGlite keeps its files. Default `memory://`: the embedded demo starts clean each time. */
  dataDir?: string;
}

/**
 * PGlite is PostgreSQL compiled to WASM, in-process: the embedded default needs no server.
 * Its parsers are aligned with node-postgres so the same SQL returns the same JS types.
 */
export async function createPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<Database> {
  const identity = (value: string) => value;
  const db = await PGlite.create(options.dataDir ?? 'memory://', {
    parsers: { [types.INT8]: identity, [types.NUMERIC]: identity },
  });
  return {
    kind: 'pglite',
    async query<R extends Row>(sql: string, params?: readonly unknown[]) {
      const result = await db.query<R>(sql, params as unknown[] | undefined);
      return { rows: result.rows };
    },
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          async query<R extends Row>(sql: string, params?: readonly unknown[]) {
            const result = await tx.query<R>(sql, params as unknown[] | undefined);
            return { rows: result.rows };
          },
        }),
      ),
    close: () => db.close(),
  };
}
