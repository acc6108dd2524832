import type { Database, Queryable } from './Database.js';

/**
 * Runs schema changes (`create ... if not exists`) for one Postgres schema while holding an
 * advisory lock named after that schema. `if not exists` does not make concurrent DDL safe: two
 * processes creating the same table at once can both pass the check and one fails on a catalog
 * unique index. Replicas start together (two projectors, two gateways), so every start-up
 * migration of a schema goes through here and they take turns; the work is idempotent, so the
 * second finds everything in place.
 *
 * `statementByStatement`: the lock is held by a transaction of its own and the work runs outside
 * it, each statement committing on its own. For schemas other processes are already writing (a
 * projector joining a running group): in one transaction, the ShareLocks that `create index if
 * not exists` takes would pile up across tables and deadlock with batches writing them. Default
 * false: the work is one transaction (all or nothing). PGlite is one process: no lock is needed.
 */
export async function migrateExclusively<T>(db: Database, schema: string, work: (q: Queryable) => Promise<T>, options: { statementByStatement?: boolean } = {}): Promise<T> {
  const lock = (tx: Queryable) => tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [`data-product-gateway/migrate/${schema}`]);
  if (options.statementByStatement) {
    if (db.kind === 'pglite') return work(db);
    return db.transaction(async (tx) => {
      await lock(tx);
      return work(db);
    });
  }
  return db.transaction(async (tx) => {
    await lock(tx);
    return work(tx);
  });
}
