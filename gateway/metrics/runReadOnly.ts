import type { Database, Queryable } from '../../platform/database/index.js';

/**
 * Runs a collector's queries so that a scrape can neither write nor hold the database for long.
 * PostgreSQL: one read-only transaction whose statements are cancelled after `timeoutMs`.
 * PGlite: plain queries. It runs in-process, cannot cancel a running statement, and serializes
 * every query behind an open transaction, so a collector awaiting anything inside one would hold
 * the whole embedded database; each query is exclusive there anyway.
 */
export function runReadOnly<T>(db: Database, timeoutMs: number, work: (tx: Queryable) => Promise<T>): Promise<T> {
  if (db.kind === 'pglite') return work(db);
  return db.transaction(async (tx) => {
    await tx.query('set transaction read only');
    await tx.query(`select set_config('statement_timeout', $1, true)`, [`${Math.max(1, Math.round(timeoutMs))}ms`]);
    return work(tx);
  });
}
