/** A row as the driver returns it. Adapters agree on the JS types listed in `Database`. */
export type Row = Record<string, unknown>;

export interface Queryable {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[] }>;
}

/**
 * The database port. Both adapters are real PostgreSQL (server or PGlite), so SQL is shared.
 * Type contract, the same for both adapters (the conformance suite checks it): `int4` → number,
 * `int8`/`numeric` → string (select `::int` where a number is wanted), `timestamptz` → Date,
 * `jsonb` → parsed value, `bytea` → Uint8Array, arrays as JS arrays (parameters too).
 */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
