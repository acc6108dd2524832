import type { Database, Queryable } from '../../platform/database/index.js';

/** Wraps a real database and counts the SQL statements sent through it (for N+1 checks). */
export function countingDatabase(db: Database): Database & { statements: number } {
  const counted = {
    statements: 0,
    kind: db.kind,
    query: ((sql: string, params?: readonly unknown[]) => {
      counted.statements++;
      return db.query(sql, params);
    }) as Queryable['query'],
    copyRows: ((...args: Parameters<Queryable['copyRows']>) => {
      counted.statements++;
      return db.copyRows(...args);
    }) as Queryable['copyRows'],
    copyRowsOut: ((select: string) => {
      counted.statements++;
      return db.copyRowsOut(select);
    }) as Queryable['copyRowsOut'],
    transaction: db.transaction.bind(db),
    close: async () => undefined,
  };
  return counted;
}
