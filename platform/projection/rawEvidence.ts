import type { Queryable } from '../database/index.js';
import { quoteIdent, quoteLiteral } from '../database/index.js';
import type { LogRecord } from '../eventLog/index.js';
import { decodeEvidenceFrames, encodeEvidenceFrames } from './evidenceFrames.js';

/**
 * The raw evidence (DESIGN §6: every consumed record as received, in the transaction of its
 * effects), stored as ONE row per applied partition batch: its offsets, and its records as one
 * byte string (evidenceFrames), TOAST-compressed with lz4 where the server has it. A row per
 * record wrote a tuple, an index entry and their WAL for each record; one row per batch is one
 * index entry and a few compressed TOAST chunks, and the repeated JSON of a batch compresses
 * several times. SQL readers see one row per record through the `raw_events` view; the engine
 * reads the batch rows and decodes them itself (`readEvidence`).
 */
export interface RawEvidenceTables {
  /** The batch rows (written here only). */
  batches: string;
  /** The view: one row per record, as the evidence table was before (topic, partition, record_offset, …). */
  records: string;
}

export function rawEvidenceTables(schema: string): RawEvidenceTables {
  const q = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  return { batches: q('raw_event_batches'), records: q('raw_events') };
}

/**
 * Creates the batch table, the `raw_events` view and what it needs, in the caller's migration.
 * A schema whose `raw_events` is still the table of one row per record (the earlier shape) is
 * converted: its records become batch rows of up to 10,000 offsets, and the view takes its name.
 */
export async function createRawEvidence(db: Queryable, schema: string): Promise<void> {
  const { batches, records } = rawEvidenceTables(schema);
  const fn = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  // first_offset and last_offset bound the batch's offsets (the checkpoint lock of each batch
  // transaction keeps batches of a partition from overlapping); record_offsets lists them, so a
  // range's coverage is counted without reading the records.
  await db.query(`create table if not exists ${batches} (
    topic text not null, partition int not null, first_offset bigint not null, last_offset bigint not null,
    record_offsets bigint[] not null, records bytea not null, received_at timestamptz not null default now(),
    primary key (topic, partition, first_offset))`);
  const { rows: compression } = await db.query<{ lz4: boolean }>(`select coalesce('lz4' = any(enumvals), false) as lz4 from pg_settings where name = 'default_toast_compression'`);
  if (compression[0]?.lz4) await db.query(`alter table ${batches} alter column records set compression lz4`);
  // The frames' layout, parsed in SQL for the view (the engine decodes in Node, far faster).
  await db.query(`create or replace function ${fn('raw_evidence_records')}(frames bytea)
    returns table (record_offset bigint, appended_at timestamptz, record_key bytea, record_value bytea, headers jsonb, frame_start int, frame_length int)
    language plpgsql immutable strict as $fn$
    declare
      -- Concatenation yields the bytes decompressed once; substring on a compressed value would
      -- decompress it again for every field.
      data bytea := frames || ''::bytea;
      p int := 1;
      n int;
      total int := length(frames);
    begin
      while p <= total loop
        frame_start := p;
        record_offset := ('x' || encode(substring(data from p for 8), 'hex'))::bit(64)::bigint;
        appended_at := timestamptz 'epoch' + ('x' || encode(substring(data from p + 8 for 8), 'hex'))::bit(64)::bigint * interval '1 millisecond';
        p := p + 16;
        n := ('x' || encode(substring(data from p for 4), 'hex'))::bit(32)::int;
        p := p + 4;
        record_key := case when n < 0 then null else substring(data from p for n) end;
        p := p + greatest(n, 0);
        n := ('x' || encode(substring(data from p for 4), 'hex'))::bit(32)::int;
        p := p + 4;
        record_value := case when n < 0 then null else substring(data from p for n) end;
        p := p + greatest(n, 0);
        n := ('x' || encode(substring(data from p for 4), 'hex'))::bit(32)::int;
        headers := convert_from(substring(data from p + 4 for n), 'UTF8')::jsonb;
        p := p + 4 + n;
        frame_length := p - frame_start;
        return next;
      end loop;
    end $fn$`);
  const { rows: existing } = await db.query<{ relkind: string }>(`select c.relkind::text as relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = 'raw_events'`, [schema]);
  if (existing[0]?.relkind === 'r') {
    const frame = `int8send(record_offset) || int8send((extract(epoch from appended_at) * 1000)::bigint)
      || coalesce(int4send(length(record_key)) || record_key, int4send(-1)) || coalesce(int4send(length(record_value)) || record_value, int4send(-1))
      || int4send(octet_length(headers::text)) || convert_to(headers::text, 'UTF8')`;
    await db.query(`insert into ${batches} (topic, partition, first_offset, last_offset, record_offsets, records, received_at)
      select topic, partition, min(record_offset), max(record_offset), array_agg(record_offset order by record_offset), string_agg(${frame}, ''::bytea order by record_offset), min(received_at)
      from ${records} group by topic, partition, record_offset / 10000`);
    await db.query(`drop table ${records}`);
  }
  await db.query(`create or replace view ${records} as select b.topic, b.partition, r.record_offset, r.record_key, r.record_value, r.headers, r.appended_at, b.received_at
    from ${batches} b cross join lateral ${fn('raw_evidence_records')}(b.records) r`);
  // Evidence is append-only; a delete through the view exists for drills of lost evidence (a
  // rebuild must then fall back to the log), and cuts the record out of its batch row.
  await db.query(`create or replace function ${fn('raw_events_delete')}() returns trigger language plpgsql as $fn$
    begin
      update ${batches} b set record_offsets = array_remove(b.record_offsets, old.record_offset),
        records = substring(b.records from 1 for r.frame_start - 1) || substring(b.records from r.frame_start + r.frame_length)
      from ${batches} s cross join lateral ${fn('raw_evidence_records')}(s.records) r
      where s.topic = old.topic and s.partition = old.partition and old.record_offset between s.first_offset and s.last_offset
        and r.record_offset = old.record_offset and b.topic = s.topic and b.partition = s.partition and b.first_offset = s.first_offset;
      return old;
    end $fn$`);
  await db.query(`drop trigger if exists raw_events_delete on ${records}`);
  await db.query(`create trigger raw_events_delete instead of delete on ${records} for each row execute function ${fn('raw_events_delete')}()`);
}

/**
 * Appends one partition batch's records as one evidence row, by binary COPY, in the caller's
 * transaction. `records` are in offset order and not in the evidence yet (the caller holds the
 * partition's checkpoint lock and filtered out what it already applied).
 */
export async function appendEvidence(tx: Queryable, batchesTable: string, topic: string, partition: number, records: readonly LogRecord[]): Promise<void> {
  if (records.length === 0) return;
  await tx.copyRows(
    batchesTable,
    [['topic', 'text'], ['partition', 'int4'], ['first_offset', 'int8'], ['last_offset', 'int8'], ['record_offsets', 'int8[]'], ['records', 'bytea']],
    [[topic, partition, records[0]!.offset, records[records.length - 1]!.offset, records.map((r) => r.offset), encodeEvidenceFrames(records)]],
  );
}

/**
 * The evidence records of one partition with `from <= offset < until`, in offset order. With
 * `window`, only the batches that begin before `from + window` are read (about `window` records,
 * more when a batch reaches past it): the caller reads on from `nextFrom`.
 */
export async function readEvidence(db: Queryable, batchesTable: string, topic: string, partition: number, from: number, until: number, window?: number): Promise<{ records: LogRecord[]; nextFrom: number }> {
  const end = window === undefined ? until : Math.min(until, from + window);
  // The batch holding `from` is the last one that begins at or before it: found through the
  // primary key, so a read costs the same at the start of a partition and at its end. Read by
  // binary COPY: a query returns bytea as hex text, twice the bytes, encoded by the server and
  // decoded by Node (a rebuild reads the whole evidence this way: measured, 8% of its Node CPU
  // and more garbage to collect).
  const [t, p, f, e] = [quoteLiteral(topic), quoteLiteral(partition), quoteLiteral(from), quoteLiteral(end)];
  const rows = await db.copyRowsOut(
    `select records from ${batchesTable} where topic = ${t} and partition = ${p} and first_offset < ${e}
       and first_offset >= coalesce((select max(first_offset) from ${batchesTable} where topic = ${t} and partition = ${p} and first_offset <= ${f}), ${f})
     order by first_offset`,
  );
  const records: LogRecord[] = [];
  for (const [frames] of rows) {
    for (const record of decodeEvidenceFrames(topic, partition, frames!)) {
      if (record.offset >= from && record.offset < until) records.push(record);
    }
  }
  const last = records[records.length - 1];
  return { records, nextFrom: Math.max(end, last ? last.offset + 1 : end) };
}

/** How many evidence records one partition holds with `from <= offset < until` (from the offsets alone). */
export async function countEvidence(db: Queryable, batchesTable: string, topic: string, partition: number, from: number, until: number): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `select count(*) as n from ${batchesTable} b cross join lateral unnest(b.record_offsets) as o(record_offset)
     where b.topic = $1 and b.partition = $2 and b.first_offset < $4 and b.last_offset >= $3 and o.record_offset >= $3 and o.record_offset < $4`,
    [topic, partition, from, until],
  );
  return Number(rows[0]!.n);
}
