import type { Database, Queryable } from './Database.js';

/**
 * Runs schema changes (`create ... if not exists`) for one Postgres schema in a transaction that
 * holds an advisory lock named after that schema. `if not exists` does not make concurrent DDL
 * safe: two processes creating the same table at once can both pass the check and one fails on a
 * catalog unique index. Replicas start together (two projectors, two gateways), so every start-up
 * migration of a schema goes through here and they take turns; the work is idempotent, so the
 * second finds everything in place.
 */
export async function migrateExclusively<T>(db: Database, schema: string, work: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [`data-product-gateway/migrate/${schema}`]);
    return work(tx);
  });
}
