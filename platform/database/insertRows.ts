import { arrayParam } from './arrayParam.js';
import type { CopyColumnType, CopyScalar, CopyScalarType, CopyValue } from './binaryFields.js';
import type { Queryable } from './Database.js';

/**
 * Below this many rows an insert from `unnest` of binary array parameters is used instead of
 * COPY: a COPY is a stream set up and several round trips per call, which live batches of a few
 * records (the freshness path) paid for every table they wrote; above it COPY's cheaper rows win.
 */
export const COPY_MIN_ROWS = 100;

/**
 * Inserts new rows (no `on conflict`: a row that exists fails the statement) into `table`, by
 * binary COPY when there are many, else by one `insert … select from unnest(…)`. Columns of array
 * types always go by COPY (`unnest` would flatten them).
 */
export async function insertRows(db: Queryable, table: string, columns: ReadonlyArray<readonly [name: string, type: CopyColumnType]>, rows: ReadonlyArray<readonly CopyValue[]>): Promise<void> {
  if (rows.length === 0) return;
  if (rows.length >= COPY_MIN_ROWS || columns.some(([, type]) => type.endsWith('[]'))) return db.copyRows(table, columns, rows);
  const params = columns.map(([, type], i) => arrayParam(type as CopyScalarType, rows.map((row) => (row[i] ?? null) as CopyScalar)));
  const casts = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  await db.query(`insert into ${table} (${columns.map(([name]) => name).join(', ')}) select * from unnest(${casts})`, params);
}
