import type { LogRecord } from '../eventLog/index.js';

/** Where a record came from in the log. */
export interface Provenance {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
}

/** How a provenance is stored beside a parked event or a quarantine entry (select `PROVENANCE_COLUMNS`). */
export type ProvenanceRow = {
  topic: string;
  partition: number;
  record_offset: string;
  record_key: Uint8Array | null;
  record_value: Uint8Array | null;
};

/** The columns of a `ProvenanceRow`, for a select list. */
export const PROVENANCE_COLUMNS = 'topic, partition, record_offset, record_key, record_value';

export function provenanceOf(record: LogRecord): Provenance {
  return { topic: record.topic, partition: record.partition, offset: record.offset, key: record.key, value: record.value };
}

export function provenanceFromRow(row: ProvenanceRow): Provenance {
  return { topic: row.topic, partition: row.partition, offset: Number(row.record_offset), key: row.record_key && Buffer.from(row.record_key), value: row.record_value && Buffer.from(row.record_value) };
}

/** Bytes as hex text, for set-based writes that pass bytea through `unnest` (`decode(x, 'hex')`). */
export const hexOf = (bytes: Buffer | Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('hex'));
